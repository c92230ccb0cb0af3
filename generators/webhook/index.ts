import type { AppContext, GeneratorAction, GeneratorSpec } from '../types.js';
import { normalizeOptions, WEBHOOK_SCHEMA, type WebhookOptions } from './options.js';

export { normalizeOptions, WEBHOOK_PROVIDERS, WEBHOOK_SCHEMA } from './options.js';
export type { WebhookEndpointOptions, WebhookOptions, WebhookProvider } from './options.js';

/** Exact versions, as pinned in Portcullis' own package.json (a test keeps them equal). */
export const WEBHOOK_DEPENDENCY_VERSIONS = {
  express: '5.3.0',
  '@types/express': '5.0.6',
  hono: '4.13.19',
  stripe: '23.1.0',
  standardwebhooks: '1.1.1',
} as const;

const CORE_FILES = [
  'types.ts',
  'verify.ts',
  'store.ts',
  'process.ts',
  'dead-letters.ts',
  'outbound.ts',
  'endpoints.ts',
  'replay.ts',
  'index.ts',
  'verify.test.ts',
  'processing.test.ts',
  'outbound.test.ts',
] as const;

function add(path: string): GeneratorAction {
  return { type: 'add', path, template: `webhook/${path}.hbs` };
}

function actions(options: WebhookOptions, app: AppContext): GeneratorAction[] {
  const v = WEBHOOK_DEPENDENCY_VERSIONS;
  return [
    add('migrations/0500_webhooks_events.sql'),
    add('migrations/0501_webhooks_dead_letters.sql'),
    add('migrations/0502_webhooks_dead_letters_pending.sql'),
    ...CORE_FILES.map((file) => add(`src/webhooks/${file}`)),
    ...options.providers.map((provider) => add(`src/webhooks/handlers/${provider}.ts`)),
    add(`src/webhooks/${app.framework}.ts`),
    add(`src/webhooks/${app.framework}.test.ts`),
    {
      type: 'dependencies',
      dependencies: app.framework === 'express' ? { express: v.express } : { hono: v.hono },
      devDependencies: {
        ...(app.framework === 'express' ? { '@types/express': v['@types/express'] } : {}),
        stripe: v.stripe,
        standardwebhooks: v.standardwebhooks,
      },
    },
    // The replay command runs the compiled module under plain node: nothing beyond the app's own build.
    { type: 'scripts', scripts: { 'webhooks:replay': 'node dist/webhooks/replay.js' } },
    {
      type: 'env',
      entries: options.endpoints.map((endpoint) => ({
        key: endpoint.envKey,
        example: '',
        comment: `${endpoint.label} webhook signing secret for ${endpoint.path}. During rotation list the new and the old secret, comma-separated; both are accepted.`,
      })),
    },
  ];
}

/** Inbound webhooks verified on the raw body, processed exactly once, dead-lettered on failure; an outbound signer. */
export const webhookGenerator: GeneratorSpec<WebhookOptions> = {
  name: 'webhook',
  description:
    'Inbound webhooks (Stripe, Standard Webhooks/Svix, GitHub, generic HMAC) verified on the raw body with replay protection, processed exactly once with a dead-letter table and replay command; a Standard Webhooks signer for outgoing webhooks.',
  version: '1.2.0',
  schema: WEBHOOK_SCHEMA,
  requires: ['db'],
  normalizeOptions,
  actions,
  nextSteps(options, app) {
    const mount =
      app.framework === 'express'
        ? 'app.use(webhookRouter(createEndpoints(), { db })) BEFORE any express.json() middleware'
        : "app.route('/', webhookRoutes(createEndpoints(), { db }))";
    return [
      `Set ${options.endpoints.map((endpoint) => endpoint.envKey).join(', ')} in your environment (see .env.example).`,
      'Run the migrations: await migrate(db) from src/db.',
      `Mount the endpoints in your app entry: ${mount} (imports from ./webhooks/index.js).`,
      `Put your event logic in src/webhooks/handlers/ (it runs in the same transaction as the idempotency record).`,
      'Replay failed events after `npm run build`: npm run webhooks:replay -- --list, then --all or --id <id>.',
    ];
  },
};
