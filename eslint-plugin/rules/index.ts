import noHardcodedSecrets from './no-hardcoded-secrets.js';

/** Every rule of the plugin, by id. Add a rule here and the presets, docs table and catalog follow. */
export const rules = {
  'no-hardcoded-secrets': noHardcodedSecrets,
};

export type RuleId = keyof typeof rules;
