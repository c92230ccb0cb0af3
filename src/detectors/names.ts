/**
 * Name heuristics shared by the randomness, timing and logging rules: what a variable, property
 * or function name says about the value it holds. Names are compared in a compact lower-case
 * form (`reset_token`, `resetToken` and `RESET-TOKEN` are all `resettoken`).
 */

export function compactName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Words that end a name whose value must be unguessable. */
const UNGUESSABLE_SUFFIX =
  /(?:token|secret|password|passwd|passphrase|nonce|salt|otp|totp|csrf|xsrf|apikey|accesskey|secretkey|privatekey|signingkey|sessionid|sessionkey|sessiontoken|verifier|codeverifier|challenge|resetcode|verificationcode|confirmationcode|activationcode|invitecode|inviteid|invitationcode|registrationcode|signupcode|accesscode|joincode|otpcode|emailcode|authcode|logincode|smscode|mfacode|twofactorcode|onetimecode|(?:login|user|security|account|card|new|temp)pin|recoverycode|backupcode|magiclink|sessionsecret)$/;
/** Names that end like a secret but hold something harmless. */
const HARMLESS_SUFFIX =
  /(?:tokens|tokencount|tokentype|tokenlength|tokenlimit|maxtokens|tokenindex|tokenizer|pinned|spinner|pinyin|pincode|zipcode|postalcode|statuscode|errorcode|keycode|charcode|colorcode|countrycode|languagecode|exitcode|opcode|unicode|barcode|qrcode|sourcecode|shortcode|hashcode)$/;

/** The value must be unguessable: tokens, secrets, OTPs, nonces, salts, session ids, reset codes. */
export function namesUnguessableValue(name: string): boolean {
  const compact = compactName(name);
  if (compact === '' || HARMLESS_SUFFIX.test(compact)) return false;
  if (compact === 'code' || compact === 'key' || compact === 'id') return false;
  if (compact === 'sid' || compact === 'pin') return true;
  return (
    UNGUESSABLE_SUFFIX.test(compact) ||
    /^(?:generate|create|make|new|random|issue)(?:token|secret|password|nonce|salt|otp|code|sessionid|apikey|pin)/.test(
      compact,
    )
  );
}

/**
 * Values whose equality check leaks through timing: signatures, MACs, digests, tokens, keys, hashes, OTPs.
 * Not OIDC/OAuth nonces: the nonce is checked against a signed ID token inside the victim's own flow,
 * where an attacker cannot probe it (bench: oauth4webapi, better-auth, @better-auth/core).
 */
const COMPARED_SECRET_SUFFIX =
  /(?:signature|sig|hmac|digest|token|secret|apikey|passwordhash|hashedpassword|passhash|otp|totp|csrftoken|xsrftoken|apitoken|webhooksecret|signingsecret|accesskey|secretkey)$/;
const COMPARED_HARMLESS =
  /(?:tokentype|tokens|digestalgorithm|signaturealgorithm|signaturemethod|sigalg|macaddress|tokenendpoint|tokenurl|secretname|secretarn|secretid|nonceid)$/;

export function namesComparedSecret(name: string): boolean {
  const compact = compactName(name);
  if (compact === '' || COMPARED_HARMLESS.test(compact)) return false;
  return compact === 'mac' || COMPARED_SECRET_SUFFIX.test(compact);
}

/**
 * Values that must never reach a log line. Not a bare `sessionId`: in chat and analytics code it
 * names a conversation or a log-grouping id, not the cookie that authenticates a user (issue #14);
 * session tokens, cookies and secrets are still covered.
 */
const LOGGED_SECRET_SUFFIX =
  /(?:password|passwd|passphrase|pwd|secret|token|accesstoken|refreshtoken|idtoken|apikey|privatekey|secretkey|accesskey|signingkey|authorization|authheader|cookie|cookies|setcookie|sessiontoken|sessionsecret|sessioncookie|cardnumber|ccnumber|creditcard|cardpan|cvc|cvv|cvv2|securitycode|ssn|socialsecuritynumber|otp|totp|recoverycode|clientsecret|credentials|creds)$/;
const LOGGED_HARMLESS =
  /(?:tokens|tokencount|tokentype|maxtokens|tokenexpires|tokenexpiresat|tokenexpiry|passwordpolicy|passwordlength|passwordstrength|passwordchangedat|passwordresetsent|hassecret|haspassword|haspin|secretname|secretarn|secretid|cookiename|cookieconsent|cookiesaccepted|cookiebanner)$/;

export function namesLoggedSecret(name: string): boolean {
  const compact = compactName(name);
  if (compact === '' || LOGGED_HARMLESS.test(compact)) return false;
  if (compact === 'pan' || compact === 'pwd') return true;
  return LOGGED_SECRET_SUFFIX.test(compact);
}
