import { OptionsError, type AppContext, type OptionsSchema } from '../types.js';

/** The normalized options of the `auth` generator: every value the templates read. */
export interface AuthOptions {
  /** Lifetime of a signed access token (JWT), in seconds. */
  accessTokenTtlSeconds: number;
  /** Lifetime of an opaque refresh token, in seconds. */
  refreshTokenTtlSeconds: number;
  /** Asymmetric JWS algorithm of access tokens. */
  signingAlgorithm: 'ES256' | 'EdDSA';
  /** How long a rotated-out signing key still verifies (at least the access-token lifetime). */
  keyOverlapSeconds: number;
  sessionIdleTimeoutSeconds: number;
  sessionAbsoluteTimeoutSeconds: number;
  /** Relative path prefixes a sign-in may return to (no open redirect). */
  returnPaths: string[];
  mfa: boolean;
  /** How recent a second factor must be for `requireStepUp()`, in seconds. */
  stepUpMaxAgeSeconds: number;
  /** Origins allowed by CORS (credentials allowed; never `*`). */
  corsOrigins: string[];
  /** Audience (`aud`) of the access tokens this app issues and accepts. */
  tokenAudience: string;
  /** Name shown by authenticator apps and passkey prompts. */
  appName: string;
  /** URL prefix of the auth routes. */
  routePrefix: string;
}

export const AUTH_SCHEMA: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accessTokenTtlSeconds: {
      type: 'integer',
      description: 'Lifetime of signed JWT access tokens in seconds (60–3600).',
      default: 600,
    },
    refreshTokenTtlSeconds: {
      type: 'integer',
      description: 'Lifetime of opaque, single-use refresh tokens in seconds (3600–7776000).',
      default: 2_592_000,
    },
    signingAlgorithm: {
      type: 'string',
      description: 'Asymmetric JWS algorithm of access tokens.',
      enum: ['ES256', 'EdDSA'],
      default: 'ES256',
    },
    keyOverlapSeconds: {
      type: 'integer',
      description:
        'How long a rotated-out signing key keeps verifying tokens, in seconds (at least the access-token lifetime; default: that lifetime).',
    },
    sessionIdleTimeoutSeconds: {
      type: 'integer',
      description: 'A session ends after this many seconds without a request (300–86400).',
      default: 1800,
    },
    sessionAbsoluteTimeoutSeconds: {
      type: 'integer',
      description: 'A session ends this many seconds after sign-in whatever its activity (900–2592000).',
      default: 43_200,
    },
    returnPaths: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Relative path prefixes a sign-in may return to, e.g. ["/app", "/settings"]. Anything else returns to "/".',
      default: ['/'],
    },
    mfa: {
      type: 'boolean',
      description: 'Second factors: TOTP with recovery codes, WebAuthn passkeys, and requireStepUp().',
      default: true,
    },
    stepUpMaxAgeSeconds: {
      type: 'integer',
      description: 'How recent a second factor must be for a privileged action, in seconds (30–3600).',
      default: 300,
    },
    corsOrigins: {
      type: 'array',
      items: { type: 'string' },
      description: 'Origins allowed to call the app with credentials, e.g. ["https://admin.example.com"]. Never "*".',
      default: [],
    },
    tokenAudience: {
      type: 'string',
      description: 'Audience (aud) of the access tokens the app issues and accepts.',
      default: 'api',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$',
    },
    appName: {
      type: 'string',
      description: 'Name shown by authenticator apps and passkey prompts.',
      default: 'App',
      pattern: "^[A-Za-z0-9][A-Za-z0-9 ._'-]{0,63}$",
    },
    routePrefix: {
      type: 'string',
      description: 'URL prefix of the auth routes.',
      default: '/auth',
      pattern: '^/[a-z0-9][a-z0-9/-]{0,62}[a-z0-9]$',
    },
  },
};

const RETURN_PATH = /^\/(?:[A-Za-z0-9._~-]+\/?)*$/;

function integer(input: Readonly<Record<string, unknown>>, name: string, min: number, max: number): number {
  const fallback = AUTH_SCHEMA.properties[name]?.default;
  const value = input[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new OptionsError(
      name,
      `Option "${name}" must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}.`,
    );
  return value;
}

function text(input: Readonly<Record<string, unknown>>, name: string): string {
  const schema = AUTH_SCHEMA.properties[name]!;
  const value = input[name] ?? schema.default;
  if (typeof value !== 'string' || (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)))
    throw new OptionsError(
      name,
      `Option "${name}" must be a string matching ${schema.pattern ?? 'any text'}; got ${JSON.stringify(value)}.`,
    );
  return value;
}

function strings(input: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = input[name] ?? AUTH_SCHEMA.properties[name]?.default;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string'))
    throw new OptionsError(name, `Option "${name}" must be an array of strings; got ${JSON.stringify(value)}.`);
  return [...new Set(value)];
}

function origin(name: string, value: string): string {
  // CWE-942: a wildcard with credentials lets any site read authenticated responses.
  if (value === '*' || value === 'null')
    throw new OptionsError(
      name,
      `Option "${name}" must list exact origins; "${value}" is not allowed with credentials.`,
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OptionsError(
      name,
      `Option "${name}" has "${value}", which is not an origin like https://app.example.com.`,
    );
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.origin !== value || (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)))
    throw new OptionsError(
      name,
      `Option "${name}" has "${value}": use an exact https origin (scheme://host[:port], no path or trailing slash).`,
    );
  return value;
}

/** Validates the raw options (from flags, prompts or an AI builder) and fills defaults. Pure. */
// The app context is part of the contract; these options do not depend on it.
export function normalizeAuthOptions(input: Readonly<Record<string, unknown>>, app?: AppContext): AuthOptions {
  void app;
  for (const key of Object.keys(input))
    if (!(key in AUTH_SCHEMA.properties))
      throw new OptionsError(
        key,
        `Unknown option "${key}"; the auth generator accepts ${Object.keys(AUTH_SCHEMA.properties).join(', ')}.`,
      );
  const signingAlgorithm = input.signingAlgorithm ?? 'ES256';
  if (signingAlgorithm !== 'ES256' && signingAlgorithm !== 'EdDSA')
    throw new OptionsError(
      'signingAlgorithm',
      `Option "signingAlgorithm" must be one of ES256, EdDSA; got ${JSON.stringify(signingAlgorithm)}.`,
    );
  const accessTokenTtlSeconds = integer(input, 'accessTokenTtlSeconds', 60, 3600);
  const keyOverlapSeconds =
    input.keyOverlapSeconds === undefined
      ? accessTokenTtlSeconds
      : integer(input, 'keyOverlapSeconds', accessTokenTtlSeconds, 30 * 86_400);
  const sessionIdleTimeoutSeconds = integer(input, 'sessionIdleTimeoutSeconds', 300, 86_400);
  const sessionAbsoluteTimeoutSeconds = integer(input, 'sessionAbsoluteTimeoutSeconds', 900, 2_592_000);
  if (sessionAbsoluteTimeoutSeconds < sessionIdleTimeoutSeconds)
    throw new OptionsError(
      'sessionAbsoluteTimeoutSeconds',
      'Option "sessionAbsoluteTimeoutSeconds" must be at least "sessionIdleTimeoutSeconds".',
    );
  const returnPaths = strings(input, 'returnPaths');
  for (const path of returnPaths)
    if (!RETURN_PATH.test(path) || path.includes('/../') || path.endsWith('/..') || path.startsWith('//'))
      throw new OptionsError(
        'returnPaths',
        `Option "returnPaths" has "${path}": use relative path prefixes like "/app" (letters, digits, . _ ~ - and /).`,
      );
  if (returnPaths.length === 0) returnPaths.push('/');
  const mfa = input.mfa ?? true;
  if (typeof mfa !== 'boolean')
    throw new OptionsError('mfa', `Option "mfa" must be true or false; got ${JSON.stringify(mfa)}.`);
  return {
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds: integer(input, 'refreshTokenTtlSeconds', 3600, 7_776_000),
    signingAlgorithm,
    keyOverlapSeconds,
    sessionIdleTimeoutSeconds,
    sessionAbsoluteTimeoutSeconds,
    returnPaths,
    mfa,
    stepUpMaxAgeSeconds: integer(input, 'stepUpMaxAgeSeconds', 30, 3600),
    corsOrigins: strings(input, 'corsOrigins').map((value) => origin('corsOrigins', value)),
    tokenAudience: text(input, 'tokenAudience'),
    appName: text(input, 'appName'),
    routePrefix: text(input, 'routePrefix'),
  };
}
