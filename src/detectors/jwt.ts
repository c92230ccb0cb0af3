/**
 * JWT option evaluation shared by the JWT rules and the analyzer: algorithm allow-lists and
 * token lifetimes. AST-free on purpose. RFC 8725 (JWT Best Current Practices) is the reference.
 */

/** Default longest acceptable access-token lifetime, in seconds (RFC 8725 §3.10 favours short-lived tokens). */
export const DEFAULT_MAX_ACCESS_TOKEN_LIFETIME = '1h';

/** Clock tolerance above this (seconds) quietly extends every token's life. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

/** Names of tokens that are not access tokens, so a longer lifetime is expected (refresh, invitation…). */
const LONG_LIVED_TOKEN_NAME =
  /refresh|invit|reset|verif|confirm|magic|unsubscribe|download|share|remember|activation|signup|onboard|recovery|api[-_]?key|personal|service/i;

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 0.001,
  msec: 0.001,
  msecs: 0.001,
  millisecond: 0.001,
  milliseconds: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  y: 31557600,
  yr: 31557600,
  yrs: 31557600,
  year: 31557600,
  years: 31557600,
};

const DURATION = /^\s*\+?\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*(?:from now)?\s*$/i;

/**
 * Seconds in a time span as jsonwebtoken (`ms` package: `'2h'`, `'7 days'`, a bare `'120'` is
 * milliseconds) or jose (`'2h'`, `'30 minutes'`, `'+1d'`; a bare number string is seconds) spell it.
 * Numbers are seconds. Returns undefined for anything that is not a forward duration.
 */
export function parseDuration(value: string | number, unitless: 'ms' | 's' = 'ms'): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  if (unit === '') return unitless === 'ms' ? amount / 1000 : amount;
  const factor = SECONDS_PER_UNIT[unit];
  return factor === undefined ? undefined : amount * factor;
}

/** `3600` → '1h', `5400` → '90m', `86400 * 30` → '30d' (for messages). */
export function formatDuration(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) return `${String(seconds / 86400)}d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${String(seconds / 3600)}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${String(seconds / 60)}m`;
  return `${String(seconds)}s`;
}

/** True when an algorithm name is the unsecured `none` algorithm (any case, as JOSE libraries have compared it). */
export function isNoneAlgorithm(alg: string): boolean {
  return alg.trim().toLowerCase() === 'none';
}

/** True when names around a signing call say it is not an access token (refresh, invitation, reset…). */
export function isLongLivedTokenName(name: string): boolean {
  return LONG_LIVED_TOKEN_NAME.test(name);
}

/** Claims that carry authorization or identity: reading them from an unverified token decides access. */
export const AUTHORIZATION_CLAIMS: ReadonlySet<string> = new Set([
  'role',
  'roles',
  'permissions',
  'permission',
  'scope',
  'scopes',
  'scp',
  'groups',
  'isAdmin',
  'is_admin',
  'admin',
  'sub',
  'userId',
  'user_id',
  'uid',
  'email',
  'tenantId',
  'tenant_id',
  'orgId',
  'org_id',
  'organizationId',
  'plan',
  'tier',
  'entitlements',
  'aud',
  'iss',
]);
