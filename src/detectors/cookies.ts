/**
 * Cookie attribute evaluation shared by the `require-secure-cookies` rule and the analyzer. AST-free:
 * front ends read options objects or `Set-Cookie` strings into `CookieFlags` and ask what is wrong.
 */

/** What the code says about one attribute: a literal value, nothing at all, or something not static. */
export type FlagValue = boolean | 'unset' | 'unknown';
export type SameSiteValue = 'strict' | 'lax' | 'none' | 'unset' | 'unknown';

export interface CookieFlags {
  httpOnly: FlagValue;
  secure: FlagValue;
  sameSite: SameSiteValue;
}

export type CookieFlag = keyof CookieFlags;

export interface CookieProblems {
  /** Flags a session/auth cookie needs that the code never sets. */
  missing: CookieFlag[];
  /** Flags a session/auth cookie needs that the code turns off explicitly. */
  disabled: CookieFlag[];
  /** `SameSite=None` without `Secure`: browsers drop the cookie or send it over plain HTTP (CWE-614). */
  sameSiteNoneInsecure: boolean;
  /** `SameSite=None` on a session/auth cookie: it rides along on every cross-site request (CWE-1275). */
  sameSiteNoneSession: boolean;
}

/**
 * Cookie names that carry a session or credential. Matched on whole words of the name so `session`,
 * `connect.sid`, `__Host-auth`, `refresh_token`, `next-auth.session-token` qualify and `theme` or
 * `sidebar_state` do not.
 */
const SENSITIVE_COOKIE =
  /(?:^|[^a-z])(?:sess(?:ion)?|sid|ssid|auth|token|jwt|login|remember(?:[-_]?me)?|refresh|access|id[-_]?token|bearer|credentials?|sso|oauth|oidc|pkce|code[-_]?verifier|nonce)(?:$|[^a-z])|session|token/i;

export function isSensitiveCookieName(name: string): boolean {
  return SENSITIVE_COOKIE.test(name);
}

/**
 * Cookies that only carry one step of a sign-in flow (OAuth `state`, PKCE `code_verifier`, OIDC `nonce`).
 * They must come back on the provider's top-level redirect, which browsers' default `SameSite=Lax`
 * allows, and they are themselves the CSRF defence of the flow: a missing `sameSite` is not a weakness.
 */
const FLOW_COOKIE = /(?:^|[^a-z])(?:state|code[-_]?verifier|pkce(?:[-_]?verifier)?|nonce)$/i;
const SESSION_WORD = /sess(?:ion)?|(?:^|[^a-z])sid(?:$|[^a-z])|jwt|refresh|access|id[-_]?token|bearer|remember/i;

export function isFlowCookieName(name: string): boolean {
  return FLOW_COOKIE.test(name) && !SESSION_WORD.test(name);
}

/** Reads a `sameSite` option value as Express, Hono, Next.js and `cookie` accept it. */
export function sameSiteFromValue(value: string | boolean): SameSiteValue {
  if (value === true) return 'strict';
  if (value === false) return 'unset';
  const lower = value.toLowerCase();
  return lower === 'strict' || lower === 'lax' || lower === 'none' ? lower : 'unknown';
}

/** What is wrong with a cookie's flags. Non-sensitive cookies only fail on `SameSite=None` without `Secure`. */
export function evaluateCookie(flags: CookieFlags, sensitive: boolean, name?: string): CookieProblems {
  const problems: CookieProblems = {
    missing: [],
    disabled: [],
    sameSiteNoneInsecure: false,
    sameSiteNoneSession: false,
  };
  if (flags.sameSite === 'none' && (flags.secure === false || flags.secure === 'unset')) {
    problems.sameSiteNoneInsecure = true;
  }
  if (!sensitive) return problems;
  for (const flag of ['httpOnly', 'secure'] as const) {
    if (flags[flag] === 'unset') problems.missing.push(flag);
    else if (flags[flag] === false && !(flag === 'secure' && problems.sameSiteNoneInsecure))
      problems.disabled.push(flag);
  }
  if (flags.sameSite === 'unset' && (name === undefined || !isFlowCookieName(name))) problems.missing.push('sameSite');
  else if (flags.sameSite === 'none' && !problems.sameSiteNoneInsecure) problems.sameSiteNoneSession = true;
  return problems;
}

export function hasProblems(problems: CookieProblems): boolean {
  return (
    problems.missing.length > 0 ||
    problems.disabled.length > 0 ||
    problems.sameSiteNoneInsecure ||
    problems.sameSiteNoneSession
  );
}

export interface ParsedSetCookie {
  /** The cookie name, or undefined when it is not static text. */
  name: string | undefined;
  flags: CookieFlags;
}

/**
 * Parses a `Set-Cookie` header value (or a `document.cookie` assignment). Dynamic parts are passed as
 * `\u0000` so they never look like an attribute name.
 */
export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  const rawName = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  const name = rawName.length === 0 || rawName.includes('\u0000') ? undefined : rawName;
  const flags: CookieFlags = { httpOnly: 'unset', secure: 'unset', sameSite: 'unset' };
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=').map((part) => part.trim());
    const lower = key.toLowerCase();
    if (lower.includes('\u0000')) {
      // `; ${flags}`: attributes come from code we cannot read.
      flags.httpOnly = flags.httpOnly === 'unset' ? 'unknown' : flags.httpOnly;
      flags.secure = flags.secure === 'unset' ? 'unknown' : flags.secure;
      flags.sameSite = flags.sameSite === 'unset' ? 'unknown' : flags.sameSite;
    } else if (lower === 'httponly') flags.httpOnly = true;
    else if (lower === 'secure') flags.secure = true;
    else if (lower === 'samesite') flags.sameSite = value.includes('\u0000') ? 'unknown' : sameSiteFromValue(value);
  }
  return { name, flags };
}

/** The text a fix appends to a `Set-Cookie` string for the missing flags. */
export function setCookieSuffix(missing: readonly CookieFlag[]): string {
  const parts: Record<CookieFlag, string> = { httpOnly: 'HttpOnly', secure: 'Secure', sameSite: 'SameSite=Lax' };
  return missing.map((flag) => `; ${parts[flag]}`).join('');
}
