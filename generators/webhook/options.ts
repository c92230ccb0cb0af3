import { OptionsError, type OptionsSchema } from '../types.js';

/** Who sends the webhooks an endpoint receives. */
export const WEBHOOK_PROVIDERS = ['stripe', 'standard', 'github', 'generic'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

const ROUTE_PREFIX = /^(?:\/[a-z0-9][a-z0-9-]*)+$/;
const TOLERANCE_RANGE = { min: 30, max: 3600 } as const;
const BODY_RANGE = { min: 1024, max: 26_214_400 } as const;

export const WEBHOOK_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    provider: {
      type: 'array',
      description:
        'Providers to receive webhooks from, one endpoint each: stripe (Stripe-Signature), standard (Standard Webhooks / Svix), github (X-Hub-Signature-256), generic (HMAC-SHA256 of timestamp.body). A comma-separated string is accepted.',
      items: { type: 'string', enum: WEBHOOK_PROVIDERS },
      default: ['stripe'],
    },
    routePrefix: {
      type: 'string',
      description: 'Path under which the endpoints are mounted; each provider gets <routePrefix>/<provider>.',
      pattern: ROUTE_PREFIX.source,
      default: '/webhooks',
    },
    toleranceSeconds: {
      type: 'integer',
      description: `How far a signed timestamp may lie in the past or the future before a delivery is rejected as a replay (${TOLERANCE_RANGE.min}-${TOLERANCE_RANGE.max}).`,
      default: 300,
    },
    maxBodyBytes: {
      type: 'integer',
      description: `Largest request body accepted on a webhook route, in bytes (${BODY_RANGE.min}-${BODY_RANGE.max}).`,
      default: 1_048_576,
    },
  },
  additionalProperties: false,
};

/** One inbound endpoint as the templates see it. */
export interface WebhookEndpointOptions {
  provider: WebhookProvider;
  /** Route path, e.g. `/webhooks/stripe`. */
  path: string;
  /** Environment variable holding the signing secret(s), comma-separated during rotation. */
  envKey: string;
  /** Exported name of the app's handler in `src/webhooks/handlers/<provider>.ts`. */
  handlerName: string;
  /** Human name for comments and messages. */
  label: string;
}

export interface WebhookOptions {
  providers: WebhookProvider[];
  routePrefix: string;
  toleranceSeconds: number;
  maxBodyBytes: number;
  endpoints: WebhookEndpointOptions[];
  /** Flags for `{{#if}}` in templates. */
  stripe: boolean;
  standard: boolean;
  github: boolean;
  generic: boolean;
}

const ENDPOINT_INFO: Readonly<Record<WebhookProvider, Omit<WebhookEndpointOptions, 'provider' | 'path'>>> = {
  stripe: { envKey: 'STRIPE_WEBHOOK_SECRET', handlerName: 'handleStripeEvent', label: 'Stripe' },
  standard: { envKey: 'STANDARD_WEBHOOK_SECRET', handlerName: 'handleStandardEvent', label: 'Standard Webhooks' },
  github: { envKey: 'GITHUB_WEBHOOK_SECRET', handlerName: 'handleGithubEvent', label: 'GitHub' },
  generic: { envKey: 'GENERIC_WEBHOOK_SECRET', handlerName: 'handleGenericEvent', label: 'generic HMAC' },
};

function allowed(values: readonly string[]): string {
  return values.join(', ');
}

function normalizeProviders(raw: unknown): WebhookProvider[] {
  if (raw === undefined) return ['stripe'];
  const list = typeof raw === 'string' ? raw.split(',').map((part) => part.trim()) : raw;
  if (!Array.isArray(list) || list.length === 0) {
    throw new OptionsError(
      'provider',
      `Option "provider" must be one or more of: ${allowed(WEBHOOK_PROVIDERS)} (an array or a comma-separated string).`,
    );
  }
  const providers: WebhookProvider[] = [];
  for (const value of list) {
    if (typeof value !== 'string' || !(WEBHOOK_PROVIDERS as readonly string[]).includes(value)) {
      throw new OptionsError(
        'provider',
        `Option "provider" has an unknown value ${JSON.stringify(value)}; allowed values: ${allowed(WEBHOOK_PROVIDERS)}.`,
      );
    }
    if (providers.includes(value as WebhookProvider)) {
      throw new OptionsError('provider', `Option "provider" lists "${value}" twice; list each provider once.`);
    }
    providers.push(value as WebhookProvider);
  }
  // A stable order, so the same set of providers always renders the same files.
  return WEBHOOK_PROVIDERS.filter((provider) => providers.includes(provider));
}

function normalizeInteger(name: string, raw: unknown, fallback: number, range: { min: number; max: number }): number {
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new OptionsError(
      name,
      `Option "${name}" must be an integer from ${range.min} to ${range.max}; got ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}

/** Validates the options and fills defaults. Pure; throws `OptionsError` naming the bad option. */
export function normalizeOptions(input: Readonly<Record<string, unknown>>): WebhookOptions {
  for (const key of Object.keys(input)) {
    if (!(key in WEBHOOK_SCHEMA.properties)) {
      throw new OptionsError(
        key,
        `Unknown option "${key}" for the webhook generator; known options: ${allowed(Object.keys(WEBHOOK_SCHEMA.properties))}.`,
      );
    }
  }
  const providers = normalizeProviders(input.provider);
  const routePrefix = input.routePrefix ?? '/webhooks';
  if (typeof routePrefix !== 'string' || !ROUTE_PREFIX.test(routePrefix)) {
    throw new OptionsError(
      'routePrefix',
      `Option "routePrefix" must be a path of lower-case segments such as "/webhooks" or "/api/hooks"; got ${JSON.stringify(routePrefix)}.`,
    );
  }
  const toleranceSeconds = normalizeInteger('toleranceSeconds', input.toleranceSeconds, 300, TOLERANCE_RANGE);
  const maxBodyBytes = normalizeInteger('maxBodyBytes', input.maxBodyBytes, 1_048_576, BODY_RANGE);
  return {
    providers,
    routePrefix,
    toleranceSeconds,
    maxBodyBytes,
    endpoints: providers.map((provider) => ({
      provider,
      path: `${routePrefix}/${provider}`,
      ...ENDPOINT_INFO[provider],
    })),
    stripe: providers.includes('stripe'),
    standard: providers.includes('standard'),
    github: providers.includes('github'),
    generic: providers.includes('generic'),
  };
}

/**
 * Adding the webhook module to an app that already has it adds endpoints: the providers given join
 * the ones the app has (`add webhook --provider github` keeps Stripe); the other options keep their
 * recorded values unless given again. Pure.
 */
export function extendOptions(
  previous: Readonly<Record<string, unknown>>,
  input: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const had = Array.isArray(previous.providers) ? (previous.providers as unknown[]) : [];
  const given = input.provider === undefined ? [] : normalizeProviders(input.provider);
  const kept: Record<string, unknown> = {};
  for (const key of ['routePrefix', 'toleranceSeconds', 'maxBodyBytes'] as const)
    if (previous[key] !== undefined) kept[key] = previous[key];
  const providers = WEBHOOK_PROVIDERS.filter((provider) => had.includes(provider) || given.includes(provider));
  return { ...kept, ...input, ...(providers.length === 0 ? {} : { provider: providers }) };
}
