/**
 * Secret shapes, placeholders and entropy: one implementation used by the `no-hardcoded-secrets`
 * rule and by the analyzer's `no-committed-secrets` check. AST-free on purpose.
 */

import { isTestFile } from './test-files.js';

/**
 * Files whose literals are sample data: tests, fixtures, mocks, stories, load tests and database seeds. Their
 * named values (`password: 'Admin123!'`) are test users, not deployed credentials; provider-shaped
 * keys are still reported there, because a live key works wherever it is written.
 */
const FIXTURE_FILE =
  /(?:^|[/\\])(?:__stories__|\.storybook|mocks?|seeds?|seeders?|seeding|harness|fixtures?|testdata|test-data|k6|perf|load-?tests?)[/\\]|[.-](?:(?:server|client|unit|int|integration|e2e)?test|spec|stories|story|mocks?|fixtures?|seed)\.[a-z]+$|(?:^|[/\\])(?:seed|seeds|mock|mocks|fixtures?|test[-_][\w-]*)\.[a-z]+$/i;

export function isFixtureFile(filename: string): boolean {
  return isTestFile(filename) || FIXTURE_FILE.test(filename);
}

export interface SecretShape {
  /** Stable kind id, e.g. `stripe-secret-key`. */
  kind: string;
  /** What a person calls it, e.g. "Stripe live secret key". */
  label: string;
  pattern: RegExp;
  /** A regex fragment every match of `pattern` contains (its fixed prefix): the cheap test before the pattern. */
  hint: string;
  /** Extra test on the whole match (e.g. decoding a JWT payload). */
  confirm?: (match: string) => boolean;
}

export interface SecretMatch {
  kind: string;
  label: string;
  /** The matched text (callers must never print it; use `redact`). */
  value: string;
  index: number;
}

/** Provider-shaped credentials, reported anywhere they appear. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  {
    kind: 'aws-access-key-id',
    label: 'AWS access key id',
    hint: 'A(?:KIA|SIA|BIA|CCA)',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g,
  },
  {
    kind: 'stripe-secret-key',
    label: 'Stripe live secret key',
    hint: 'sk_live_',
    pattern: /\bsk_live_[0-9A-Za-z]{16,}\b/g,
  },
  {
    kind: 'stripe-restricted-key',
    label: 'Stripe live restricted key',
    hint: 'rk_live_',
    pattern: /\brk_live_[0-9A-Za-z]{16,}\b/g,
  },
  {
    kind: 'stripe-webhook-secret',
    label: 'Stripe webhook signing secret',
    hint: 'whsec_',
    pattern: /\bwhsec_[0-9A-Za-z+/=]{24,}/g,
    confirm: (value) => !isPlaceholder(value.slice('whsec_'.length)),
  },
  { kind: 'github-token', label: 'GitHub token', hint: 'gh[pousr]_', pattern: /\bgh[pousr]_[0-9A-Za-z]{36,}\b/g },
  {
    kind: 'github-fine-grained-token',
    label: 'GitHub fine-grained token',
    hint: 'github_pat_',
    pattern: /\bgithub_pat_[0-9A-Za-z_]{60,}\b/g,
  },
  // Real Slack tokens carry numeric workspace/user segments (`xoxb-123…-456…-AbC…`); `xoxb-your-token` does not.
  {
    kind: 'slack-token',
    label: 'Slack token',
    hint: 'xox[abposr]-',
    pattern: /\bxox[abposr]-\d+-[0-9A-Za-z-]{10,}\b/g,
  },
  {
    kind: 'slack-webhook-url',
    label: 'Slack incoming-webhook URL',
    hint: 'hooks\\.slack\\.com',
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[0-9A-Z]{6,}\/B[0-9A-Z]{6,}\/[0-9A-Za-z]{20,}/g,
  },
  {
    kind: 'anthropic-api-key',
    label: 'Anthropic API key',
    hint: 'sk-ant-',
    pattern: /\bsk-ant-(?:api|admin)\d{2}-[0-9A-Za-z_-]{40,}/g,
  },
  {
    kind: 'openai-api-key',
    label: 'OpenAI API key',
    hint: 'sk-',
    pattern: /\bsk-(?:(?:proj|svcacct|admin)-[0-9A-Za-z_-]{40,}|[0-9A-Za-z]{20}T3BlbkFJ[0-9A-Za-z]{20})/g,
  },
  { kind: 'google-api-key', label: 'Google API key', hint: 'AIza', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    kind: 'sendgrid-api-key',
    label: 'SendGrid API key',
    hint: 'SG\\.',
    pattern: /\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b/g,
  },
  { kind: 'twilio-api-key', label: 'Twilio API key', hint: 'SK[0-9a-f]', pattern: /\bSK[0-9a-f]{32}\b/g },
  { kind: 'npm-token', label: 'npm access token', hint: 'npm_', pattern: /\bnpm_[0-9A-Za-z]{36}\b/g },
  {
    kind: 'supabase-secret-key',
    label: 'Supabase secret key',
    hint: 'sb_secret_',
    pattern: /\bsb_secret_[0-9A-Za-z_-]{20,}/g,
  },
  {
    kind: 'private-key',
    label: 'PEM private key',
    hint: 'PRIVATE KEY',
    // The header alone is how parsers recognise a key; a key is the header followed by its body, whose
    // first line is 64 base64 characters (RFC 7468) — `BEGIN PRIVATE KEY-----\nfake` is a test stub.
    pattern:
      /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|\s)*[A-Za-z0-9+/=]{40,}/g,
  },
  {
    kind: 'supabase-service-role-key',
    label: 'Supabase service-role JWT',
    hint: 'eyJ',
    pattern: /\beyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}/g,
    // The local Supabase stack's demo keys (`iss: supabase-demo`) are published defaults, not secrets.
    confirm: (value) => jwtClaim(value, 'role') === 'service_role' && jwtClaim(value, 'iss') !== 'supabase-demo',
  },
];

/** One test for "might contain any shape": most text has none of the shapes' fixed prefixes. */
const SHAPE_HINTS = new RegExp(SECRET_SHAPES.map((shape) => shape.hint).join('|'));

/**
 * Credentials vendors publish as the defaults of their local development stacks (like AWS's
 * documentation key): anyone can read them in the vendor's docs, and they open nothing but a
 * developer's own machine.
 */
const PUBLISHED_DEV_DEFAULTS = new Set([
  // Supabase CLI: the secret key of every `supabase start` stack.
  'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz',
]);

/** Reads one claim from a JWT's payload without verifying it (for classification only). */
export function jwtClaim(token: string, claim: string): unknown {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[claim] : undefined;
  } catch {
    return undefined;
  }
}

const PLACEHOLDER_WORDS =
  /(?:change[-_ ]?me|changeit|not[-_ ]?(?:used|set|needed|required|applicable)|(?:^|[-_])(?:0?123456789?0?|asdf[a-z]*|qwerty[a-z]*)$|your[-_ ]|my[-_ ]?(?:secret|key|token|password)|example|placeholder|dummy|fake|sample|redacted|replace|insert|todo|fixme|xxx|\*\*\*|\.\.\.|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[sd]|\bnull\b|\bundefined\b|\bnone\b|^test(?:ing)?$|^secret$|^password$)/i;

/** True for values that are obviously not real credentials: `changeme`, `your-api-key`, `xxx`, `<token>`, `${X}`. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return true;
  if (PLACEHOLDER_WORDS.test(trimmed)) return true;
  // One character repeated (`aaaaaaaa`, `00000000`) or a short run of one char class ("xxxxxxx").
  if (/^(.)\1*$/.test(trimmed)) return true;
  if (/^(?:x+|X+|\*+|0+|1234\d*|abc\d*|abcdef\w*)$/.test(trimmed)) return true;
  return false;
}

/** Finds provider-shaped credentials in a piece of text. */
export function findSecretShapes(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  // Cheap prefilters: every shape above has at least 16 characters with no white space, and its hint.
  if (text.length < 16 || !/\S{16}/.test(text) || !SHAPE_HINTS.test(text)) return found;
  for (const shape of SECRET_SHAPES) {
    shape.pattern.lastIndex = 0;
    for (const match of text.matchAll(shape.pattern)) {
      const value = match[0];
      if (shape.confirm !== undefined && !shape.confirm(value)) continue;
      if (isFakeRun(value) || PUBLISHED_DEV_DEFAULTS.has(value)) continue;
      found.push({ kind: shape.kind, label: shape.label, value, index: match.index });
    }
  }
  return found;
}

/** Documentation values such as `sk_live_xxxxxxxxxxxxxxxxxxxxxxxx` or `AKIAXXXXXXXXXXXXXXXX`. */
function isFakeRun(value: string): boolean {
  const body = value.replace(/^[a-z]+_(?:live|test)_|^[A-Za-z]{2,4}[_-]?/, '');
  if (/(x{6,}|X{6,}|\*{4,}|0{10,}|\.{3})/.test(body)) return true;
  // Words people type into documentation and UI hints (`xoxb-your-token-here`), never found in issued keys.
  if (/(?:^|[-_])(?:your|my|here|placeholder|dummy|fake|sample|redacted|replace|insert)(?:[-_]|$)/i.test(body))
    return true;
  return /EXAMPLE|example/.test(value);
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'host.docker.internal']);
const CONNECTION_URL =
  /\b(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver):\/\/([^:/?#@\s'"`]+):([^@/?#\s'"`]+)@([^:/?#\s'"`]+)/gi;

/**
 * Hosts only reachable on a developer's machine or inside a compose network: loopback names and
 * single-label service names (`db`, `postgres`, `redis`) that public DNS never resolves.
 */
function isLocalHost(host: string): boolean {
  return (
    LOCAL_HOSTS.has(host) || /^[a-z][a-z0-9_-]*$/.test(host) || host.endsWith('.local') || host.endsWith('.localhost')
  );
}

/** The passwords database images ship with by default; a URL that uses one is a dev recipe, not a leak. */
const DEFAULT_DEV_PASSWORDS = new Set([
  'postgres',
  'password',
  'root',
  'admin',
  'mysql',
  'secret',
  'pass',
  'guest',
  'redis',
  'mongo',
  'example',
]);

/** A database or broker URL with an inline password to a non-local host. */
export function findConnectionStringPasswords(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  if (!text.includes('://')) return found;
  CONNECTION_URL.lastIndex = 0;
  for (const match of text.matchAll(CONNECTION_URL)) {
    const password = match[3] ?? '';
    const host = (match[4] ?? '').toLowerCase();
    if (isPlaceholder(password) || isLocalHost(host) || DEFAULT_DEV_PASSWORDS.has(password.toLowerCase())) continue;
    found.push({
      kind: 'connection-string-password',
      label: 'database URL with an inline password',
      value: match[0],
      index: match.index,
    });
  }
  return found;
}

/** Every known secret in a piece of text: provider shapes and connection strings. */
export function findSecrets(text: string): SecretMatch[] {
  return [...findSecretShapes(text), ...findConnectionStringPasswords(text)];
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Names that say "this holds a credential". Compared on a lower-cased, separator-free form. */
const SECRET_NAME =
  /(?:secret|password|passwd|passphrase|pwd|apikey|accesskey|privatekey|signingkey|encryptionkey|token|credential|authkey|webhookkey|clientsecret|jwtkey|hmackey|sessionkey|masterkey)$/;
/** Names that end like a secret but hold something else (`tokenType`, `passwordField`…). */
const NOT_SECRET_NAME =
  /(?:label|placeholder|hint|field|input|name|type|url|uri|path|endpoint|header|policy|length|min|max|count|regex|pattern|format|prefix|suffix|id|enabled|required|visible|mode|strategy|error|message|text|title|description|key(?:s)?name|envvar|env|variable|reset|confirm|forgot|expires?(?:at|in)?|ttl|hash|hashed|digest|salt|rounds|cost)$/;

/**
 * Names too generic to say "credential" on their own: `{ key: 'created_at' }`, `token: 'first_name'`.
 * A literal under such a name is reported only when the value itself looks machine-generated.
 */
export function isGenericSecretName(name: string): boolean {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return compact === 'key' || compact === 'token';
}

/**
 * A value built from words, as identifiers, storage keys, slugs and type names are: `app_authToken`,
 * `recruitment-automation-rules`, `guard-in`, `ScimFeatureSupport`, `dashboard.v2`. Issued
 * credentials are random and never split into dictionary-like pieces.
 */
export function isIdentifierLike(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[-_.:/][A-Za-z0-9]+)*$/.test(value)) return false;
  const pieces = value
    .split(/[-_.:/]/)
    .flatMap((piece) => piece.split(/(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/))
    .filter((piece) => piece.length > 0);
  return pieces.every((piece) => isWordPiece(piece));
}

function isWordPiece(piece: string): boolean {
  // A short version or index number (`v2`, `1`, `2024`).
  if (/^v?\d{1,4}$/i.test(piece)) return true;
  // A number with a unit or a short word with a number (`1yr`, `2fa`, `x64`, `s3`).
  if (/^(?:\d{1,4}[a-z]{1,3}|[a-z]{1,3}\d{1,4})$/i.test(piece)) return true;
  if (!/^[A-Za-z]+$/.test(piece)) return false;
  if (piece.length <= 3) return true;
  // Words have vowels and no long consonant runs; random letters rarely do.
  return /[aeiouy]/i.test(piece) && !/[^aeiouy]{5,}/i.test(piece) && piece.length <= 16;
}

/** Looks machine-generated: long, several character classes or high entropy, and not made of words. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value) || isIdentifierLike(value)) return false;
  const hasDigit = /\d/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  // Base64 without digits (`dGhpcyBpcyBhIGtleQ==`) still mixes cases with symbols.
  const mixed = /[a-z]/.test(value) && /[A-Z]/.test(value) && /[+/=_-]/.test(value);
  return ((hasDigit && hasLetter) || mixed) && shannonEntropy(value) >= 3.5;
}

/** True when an identifier names a credential: `apiKey`, `client_secret`, `DB_PASSWORD`, `jwtSecret`. */
export function isSecretName(name: string): boolean {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  // Most names say nothing about credentials: test the positive list first (`token` and `secret` are on it).
  if (compact !== 'key' && !SECRET_NAME.test(compact)) return false;
  return !NOT_SECRET_NAME.test(compact);
}

/**
 * True when a literal assigned to a secret-named binding looks like a real credential rather
 * than UI text, an env-var name, a path or a placeholder. Entropy alone never decides: the name
 * must already say "secret".
 */
export function looksLikeCredentialValue(value: string): boolean {
  if (value.length < 8 || value.length > 4096) return false;
  if (/\s/.test(value)) return false;
  if (isPlaceholder(value)) return false;
  // An environment variable name (`STRIPE_SECRET_KEY`) or a config key path (`auth.jwt.secret`).
  if (/^[A-Z][A-Z0-9_]*$/.test(value) || /^[a-z][\w-]*(?:\.[a-z][\w-]*)+$/i.test(value)) return false;
  // Paths, URLs without credentials, file names, CSS and selectors.
  if (/^(?:\.{0,2}\/|https?:\/\/|#|@|[\w-]+\.(?:pem|key|json|txt|env|crt))/.test(value)) return false;
  // Publishable keys are meant to be public.
  if (/^(?:pk_(?:live|test)_|sb_publishable_)/.test(value)) return false;
  // UUIDs, git SHAs and content hashes identify things; they are not credentials by themselves.
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
  if (/^(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i.test(value)) return false;
  if (/^(?:sha(?:1|256|384|512)|md5)[-:]/i.test(value)) return false;
  // A single word, as i18n tables give it (`Passwort`, `Contraseña`), or a CSS function value or custom property.
  if (/^\p{Lu}?\p{Ll}+$/u.test(value)) return false;
  if (/^[a-z-]+\(.*\)$/i.test(value) || /^--[a-z][\w-]*$/.test(value)) return false;
  // HTTP header names (`Content-Type`) and camelCase identifiers (`secureHeadersNonce`) name things.
  if (/^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$/.test(value) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(value)) return false;
  if (isPublicSupabaseKey(value)) return false;
  // Storage keys, slugs and identifiers (`app_authToken`, `recruitment-automation-rules`).
  if (isIdentifierLike(value)) return false;
  // Text in a script without case (`パスワード`, `密码`) or any non-ASCII letters: UI text, not a key.
  if (/[^\p{ASCII}]/u.test(value) && !/[A-Za-z0-9]{12,}/.test(value)) return false;
  const classes =
    Number(/[a-z]/.test(value)) +
    Number(/[A-Z]/.test(value)) +
    Number(/\d/.test(value)) +
    Number(/[^A-Za-z0-9]/.test(value));
  return classes >= 2 || shannonEntropy(value) >= 3;
}

/** `sk_live_…abcd`: enough to recognise, never enough to use. */
export function redact(value: string): string {
  if (value.length <= 12) return `${value.slice(0, 2)}…`;
  return `${value.slice(0, 8)}…${value.slice(-2)}`;
}

/** Supabase keys meant for the browser: anon/authenticated JWTs and `sb_publishable_` keys. */
export function isPublicSupabaseKey(value: string): boolean {
  if (value.startsWith('sb_publishable_')) return true;
  if (!/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/.test(value)) return false;
  const role = jwtClaim(value, 'role');
  return role === 'anon' || role === 'authenticated';
}

/**
 * Placeholders as they appear where a secret is consumed (`jwt.sign(p, '<your-secret>')`). Narrower
 * than `isPlaceholder`: `'secret'` or `'keyboard cat'` handed to a signer is a real key attackers guess.
 */
const SINK_PLACEHOLDER =
  /(?:change[-_ ]?me|changeit|^your[-_ ]|example|placeholder|dummy|fake|sample|redacted|replace[-_ ]?(?:me|this|with)|insert[-_ ]|todo|fixme|xxx|\*\*\*|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\})/i;

/** True when a literal handed to a secret consumer (signer, HMAC, session, SDK) is a real value, not a placeholder. */
export function isSinkSecretValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return false;
  if (SINK_PLACEHOLDER.test(trimmed)) return false;
  if (/^(.)\1*$/.test(trimmed)) return false;
  return true;
}
