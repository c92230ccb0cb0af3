/**
 * Where libraries consume secrets, for `no-hardcoded-secrets`: a literal in one of these argument
 * positions is a hard-coded key no matter what the variable is called (CWE-798, CWE-321).
 */
import type { ModuleReference } from './references.js';

export interface SecretSink {
  /** How the message names the sink: "the jsonwebtoken signing key". */
  label: string;
  /** Index of the argument that holds the secret (or the options object). */
  argument: number;
  /** When set, the argument is an options object and these properties hold the secret. */
  properties?: readonly string[];
  /** Browser-safe keys (Supabase anon/publishable) are fine here. */
  publicKeysAllowed?: boolean;
}

interface SinkEntry extends SecretSink {
  modules: readonly string[];
  /** Reference paths (after the module) that reach the sink. `()` marks a constructor or factory call. */
  paths: readonly (readonly string[])[];
}

const CRYPTO = ['crypto', 'node:crypto'];

const SINKS: readonly SinkEntry[] = [
  { modules: ['jsonwebtoken'], paths: [['sign']], argument: 1, label: 'the jsonwebtoken signing key' },
  { modules: ['jsonwebtoken'], paths: [['verify']], argument: 1, label: 'the jsonwebtoken verification secret' },
  {
    modules: ['jose'],
    paths: [
      ['jwtVerify'],
      ['jwtDecrypt'],
      ['compactVerify'],
      ['flattenedVerify'],
      ['generalVerify'],
      ['compactDecrypt'],
    ],
    argument: 1,
    label: 'a jose key',
  },
  { modules: ['jose'], paths: [['importJWK']], argument: 0, properties: ['k'], label: 'a jose JWK secret (`k`)' },
  { modules: CRYPTO, paths: [['createHmac']], argument: 1, label: 'an HMAC key' },
  { modules: CRYPTO, paths: [['createSecretKey']], argument: 0, label: 'a secret key (`createSecretKey`)' },
  {
    modules: ['express-session'],
    paths: [[]],
    argument: 0,
    properties: ['secret'],
    label: 'the express-session secret',
  },
  { modules: ['cookie-parser'], paths: [[]], argument: 0, label: 'the cookie-parser signing secret' },
  {
    modules: ['cookie-session'],
    paths: [[]],
    argument: 0,
    properties: ['secret', 'keys'],
    label: 'the cookie-session signing key',
  },
  { modules: ['stripe'], paths: [[], ['Stripe']], argument: 0, label: 'the Stripe API key' },
  {
    modules: ['openai'],
    paths: [[], ['OpenAI'], ['AzureOpenAI']],
    argument: 0,
    properties: ['apiKey'],
    label: 'the OpenAI API key',
  },
  {
    modules: ['@anthropic-ai/sdk'],
    paths: [[], ['Anthropic']],
    argument: 0,
    properties: ['apiKey', 'authToken'],
    label: 'the Anthropic API key',
  },
  {
    modules: ['@supabase/supabase-js', '@supabase/ssr'],
    paths: [['createClient'], ['createServerClient'], ['createBrowserClient']],
    argument: 1,
    publicKeysAllowed: true,
    label: 'the Supabase key',
  },
  { modules: ['resend'], paths: [[], ['Resend']], argument: 0, label: 'the Resend API key' },
  { modules: ['@sendgrid/mail'], paths: [['setApiKey']], argument: 0, label: 'the SendGrid API key' },
  { modules: ['twilio'], paths: [[]], argument: 1, label: 'the Twilio auth token' },
];

const JOSE_BUILDERS = new Set([
  'SignJWT',
  'EncryptJWT',
  'CompactSign',
  'FlattenedSign',
  'GeneralSign',
  'CompactEncrypt',
]);

/** A cheap test on the file text: no sink module named, no sink to look for. */
export const SECRET_SINK_MODULES =
  /['"](?:jsonwebtoken|jose|(?:node:)?crypto|express-session|cookie-parser|cookie-session|stripe|openai|@anthropic-ai\/sdk|@supabase\/(?:supabase-js|ssr)|resend|@sendgrid\/mail|twilio)['"]/;

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** The sink a resolved callee reaches, if any (`new Stripe(k)` and `Stripe(k)` alike). */
export function findSecretSink(reference: ModuleReference): SecretSink | undefined {
  const { module, path } = reference;
  // `new SignJWT(claims).setProtectedHeader(…).sign(key)`
  if (module === 'jose' && path.length > 2 && JOSE_BUILDERS.has(path[0] ?? '') && path[1] === '()') {
    const last = path.at(-1);
    if (last === 'sign' || last === 'encrypt') return { label: 'a jose signing or encryption key', argument: 0 };
    return undefined;
  }
  for (const sink of SINKS) {
    if (!sink.modules.includes(module)) continue;
    if (sink.paths.some((candidate) => samePath(candidate, path))) return sink;
  }
  return undefined;
}
