import noClientSecretExposure from './no-client-secret-exposure.js';
import noFloatMoney from './no-float-money.js';
import noHardcodedSecrets from './no-hardcoded-secrets.js';
import noInsecureCipher from './no-insecure-cipher.js';
import noInsecureRandomness from './no-insecure-randomness.js';
import noJwtDecodeForAuth from './no-jwt-decode-for-auth.js';
import noPermissiveCors from './no-permissive-cors.js';
import noRawCardData from './no-raw-card-data.js';
import noSecretsInPrompts from './no-secrets-in-prompts.js';
import noSensitiveLogging from './no-sensitive-logging.js';
import noUntrustedSystemPrompt from './no-untrusted-system-prompt.js';
import noUntrustedTenantId from './no-untrusted-tenant-id.js';
import noWeakPasswordHash from './no-weak-password-hash.js';
import requireIdempotencyKey from './require-idempotency-key.js';
import requireJwtAlgorithms from './require-jwt-algorithms.js';
import requireJwtExpiry from './require-jwt-expiry.js';
import requireOauthPkce from './require-oauth-pkce.js';
import requireOauthStateCheck from './require-oauth-state-check.js';
import requireSecureCookies from './require-secure-cookies.js';
import requireTenantFilter from './require-tenant-filter.js';
import requireTimingSafeCompare from './require-timing-safe-compare.js';
import requireWebhookVerification from './require-webhook-verification.js';

/** Every rule of the plugin, by id. Add a rule here and the presets, docs table and catalog follow. */
export const rules = {
  'no-client-secret-exposure': noClientSecretExposure,
  'no-float-money': noFloatMoney,
  'no-hardcoded-secrets': noHardcodedSecrets,
  'no-insecure-cipher': noInsecureCipher,
  'no-insecure-randomness': noInsecureRandomness,
  'no-jwt-decode-for-auth': noJwtDecodeForAuth,
  'no-permissive-cors': noPermissiveCors,
  'no-raw-card-data': noRawCardData,
  'no-secrets-in-prompts': noSecretsInPrompts,
  'no-sensitive-logging': noSensitiveLogging,
  'no-untrusted-system-prompt': noUntrustedSystemPrompt,
  'no-untrusted-tenant-id': noUntrustedTenantId,
  'no-weak-password-hash': noWeakPasswordHash,
  'require-idempotency-key': requireIdempotencyKey,
  'require-jwt-algorithms': requireJwtAlgorithms,
  'require-jwt-expiry': requireJwtExpiry,
  'require-oauth-pkce': requireOauthPkce,
  'require-oauth-state-check': requireOauthStateCheck,
  'require-secure-cookies': requireSecureCookies,
  'require-tenant-filter': requireTenantFilter,
  'require-timing-safe-compare': requireTimingSafeCompare,
  'require-webhook-verification': requireWebhookVerification,
};

export type RuleId = keyof typeof rules;
