import noHardcodedSecrets from './no-hardcoded-secrets.js';
import noPermissiveCors from './no-permissive-cors.js';
import requireOauthPkce from './require-oauth-pkce.js';
import requireSecureCookies from './require-secure-cookies.js';

/** Every rule of the plugin, by id. Add a rule here and the presets, docs table and catalog follow. */
export const rules = {
  'no-hardcoded-secrets': noHardcodedSecrets,
  'require-secure-cookies': requireSecureCookies,
  'no-permissive-cors': noPermissiveCors,
  'require-oauth-pkce': requireOauthPkce,
};

export type RuleId = keyof typeof rules;
