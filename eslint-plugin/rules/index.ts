import noClientSecretExposure from './no-client-secret-exposure.js';
import noHardcodedSecrets from './no-hardcoded-secrets.js';
import noUntrustedSystemPrompt from './no-untrusted-system-prompt.js';
import noSecretsInPrompts from './no-secrets-in-prompts.js';
import requireIdempotencyKey from './require-idempotency-key.js';
import noRawCardData from './no-raw-card-data.js';
import noFloatMoney from './no-float-money.js';
import noInsecureCipher from './no-insecure-cipher.js';
import noInsecureRandomness from './no-insecure-randomness.js';
import noSensitiveLogging from './no-sensitive-logging.js';
import noWeakPasswordHash from './no-weak-password-hash.js';
import requireTimingSafeCompare from './require-timing-safe-compare.js';

/** Every rule of the plugin, by id. Add a rule here and the presets, docs table and catalog follow. */
export const rules = {
  'no-untrusted-system-prompt': noUntrustedSystemPrompt,
  'no-secrets-in-prompts': noSecretsInPrompts,
  'require-idempotency-key': requireIdempotencyKey,
  'no-raw-card-data': noRawCardData,
  'no-float-money': noFloatMoney,
  'no-client-secret-exposure': noClientSecretExposure,
  'no-hardcoded-secrets': noHardcodedSecrets,
  'no-insecure-cipher': noInsecureCipher,
  'no-insecure-randomness': noInsecureRandomness,
  'no-sensitive-logging': noSensitiveLogging,
  'no-weak-password-hash': noWeakPasswordHash,
  'require-timing-safe-compare': requireTimingSafeCompare,
};

export type RuleId = keyof typeof rules;
