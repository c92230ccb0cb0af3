import noHardcodedSecrets from './no-hardcoded-secrets.js';
import noInsecureRandomness from './no-insecure-randomness.js';

/** Every rule of the plugin, by id. Add a rule here and the presets, docs table and catalog follow. */
export const rules = {
  'no-hardcoded-secrets': noHardcodedSecrets,
  'no-insecure-randomness': noInsecureRandomness,
};

export type RuleId = keyof typeof rules;
