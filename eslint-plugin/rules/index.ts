import noHardcodedSecrets from './no-hardcoded-secrets.js';
import noJwtDecodeForAuth from './no-jwt-decode-for-auth.js';
import noUntrustedTenantId from './no-untrusted-tenant-id.js';
import requireJwtAlgorithms from './require-jwt-algorithms.js';
import requireJwtExpiry from './require-jwt-expiry.js';
import requireTenantFilter from './require-tenant-filter.js';
import requireWebhookVerification from './require-webhook-verification.js';

/** Every rule of the plugin, by id. Add a rule here and the presets, docs table and catalog follow. */
export const rules = {
  'no-hardcoded-secrets': noHardcodedSecrets,
  'require-jwt-algorithms': requireJwtAlgorithms,
  'no-jwt-decode-for-auth': noJwtDecodeForAuth,
  'require-jwt-expiry': requireJwtExpiry,
  'require-webhook-verification': requireWebhookVerification,
  'require-tenant-filter': requireTenantFilter,
  'no-untrusted-tenant-id': noUntrustedTenantId,
};

export type RuleId = keyof typeof rules;
