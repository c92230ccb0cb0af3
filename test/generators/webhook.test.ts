import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dbGenerator } from '../../generators/db/index.js';
import { GENERATORS, OptionsError, type AppContext } from '../../generators/index.js';
import { normalizeOptions, WEBHOOK_DEPENDENCY_VERSIONS, webhookGenerator } from '../../generators/webhook/index.js';
import {
  lintGenerated,
  REPO_ROOT,
  runGeneratedTests,
  scaffoldForTest,
  typecheck,
  type ScaffoldedApp,
} from '../helpers/generated-app.js';

const EXPRESS: AppContext = { framework: 'express', db: 'pglite', modules: ['db', 'webhook'] };
const HONO: AppContext = { framework: 'hono', db: 'pglite', modules: ['db', 'webhook'] };

function optionError(input: Record<string, unknown>): OptionsError {
  try {
    normalizeOptions(input, EXPRESS);
  } catch (error) {
    if (error instanceof OptionsError) return error;
    throw error;
  }
  throw new Error('expected an OptionsError');
}

describe('webhook generator: options', () => {
  it('is registered and needs the db layer', () => {
    expect(GENERATORS).toContain(webhookGenerator);
    expect(webhookGenerator.requires).toEqual(['db']);
  });

  it('defaults to one Stripe endpoint at /webhooks/stripe', () => {
    const options = normalizeOptions({}, EXPRESS);
    expect(options).toMatchObject({ providers: ['stripe'], routePrefix: '/webhooks', toleranceSeconds: 300 });
    expect(options.endpoints).toEqual([
      {
        provider: 'stripe',
        path: '/webhooks/stripe',
        envKey: 'STRIPE_WEBHOOK_SECRET',
        handlerName: 'handleStripeEvent',
        label: 'Stripe',
      },
    ]);
  });

  it('accepts --provider as a string, a comma list or an array, in a stable order', () => {
    expect(normalizeOptions({ provider: 'github' }, EXPRESS).providers).toEqual(['github']);
    expect(normalizeOptions({ provider: 'generic, stripe' }, EXPRESS).providers).toEqual(['stripe', 'generic']);
    expect(normalizeOptions({ provider: ['standard', 'stripe'] }, EXPRESS).providers).toEqual(['stripe', 'standard']);
  });

  it('names the option and its allowed values when it is invalid', () => {
    expect(optionError({ provider: 'paypal' })).toMatchObject({
      option: 'provider',
      message: expect.stringContaining('allowed values: stripe, standard, github, generic'),
    });
    expect(optionError({ provider: ['stripe', 'stripe'] }).message).toContain('twice');
    expect(optionError({ provider: [] }).option).toBe('provider');
    expect(optionError({ routePrefix: '/hooks/../admin' }).option).toBe('routePrefix');
    expect(optionError({ routePrefix: "/x'); evil(" }).option).toBe('routePrefix');
    expect(optionError({ toleranceSeconds: 86_400 }).message).toContain('from 30 to 3600');
    expect(optionError({ maxBodyBytes: 1.5 }).option).toBe('maxBodyBytes');
    expect(optionError({ secret: 'x' })).toMatchObject({ option: 'secret', message: expect.stringContaining('Unknown option') });
  });

  it('describes every option in its JSON schema', () => {
    for (const [name, schema] of Object.entries(webhookGenerator.schema.properties)) {
      expect(schema.description.length, name).toBeGreaterThan(20);
      expect(schema.default, name).toBeDefined();
    }
  });

  it('is pure, pins the exact versions of this repository, and adds each secret to .env.example', () => {
    const options = normalizeOptions({ provider: 'stripe,github' }, HONO);
    expect(webhookGenerator.actions(options, HONO)).toEqual(webhookGenerator.actions(options, HONO));
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(WEBHOOK_DEPENDENCY_VERSIONS)) {
      expect(pkg.devDependencies[name], name).toBe(version);
    }
    const env = webhookGenerator.actions(options, HONO).find((action) => action.type === 'env');
    expect(env?.type === 'env' && env.entries.map((entry) => [entry.key, entry.example])).toEqual([
      ['STRIPE_WEBHOOK_SECRET', ''],
      ['GITHUB_WEBHOOK_SECRET', ''],
    ]);
  });
});

const CORE = [
  'migrations/0500_webhooks_events.sql',
  'migrations/0501_webhooks_dead_letters.sql',
  'migrations/0502_webhooks_dead_letters_pending.sql',
  'src/webhooks/dead-letters.ts',
  'src/webhooks/endpoints.ts',
  'src/webhooks/index.ts',
  'src/webhooks/outbound.test.ts',
  'src/webhooks/outbound.ts',
  'src/webhooks/process.ts',
  'src/webhooks/processing.test.ts',
  'src/webhooks/replay.ts',
  'src/webhooks/store.ts',
  'src/webhooks/types.ts',
  'src/webhooks/verify.test.ts',
  'src/webhooks/verify.ts',
];

/** Passed-test counts of the generated suites (db: 2, verify: 25, processing: 9, outbound: 7, adapter: per endpoint). */
const cases = [
  {
    label: 'express + stripe + standard',
    app: EXPRESS,
    provider: 'stripe,standard',
    extra: ['src/webhooks/express.test.ts', 'src/webhooks/express.ts', 'src/webhooks/handlers/standard.ts', 'src/webhooks/handlers/stripe.ts'],
    passed: 2 + 25 + 9 + 7 + (5 + 5 + 2),
  },
  {
    label: 'hono + all providers',
    app: HONO,
    provider: ['stripe', 'standard', 'github', 'generic'],
    extra: [
      'src/webhooks/handlers/generic.ts',
      'src/webhooks/handlers/github.ts',
      'src/webhooks/handlers/standard.ts',
      'src/webhooks/handlers/stripe.ts',
      'src/webhooks/hono.test.ts',
      'src/webhooks/hono.ts',
    ],
    passed: 2 + 25 + 9 + 7 + (5 + 5 + 4 + 5 + 3),
  },
];

describe.each(cases)('webhook generator: generated module ($label)', ({ label, app: context, provider, extra, passed }) => {
  let app: ScaffoldedApp;
  beforeAll(async () => {
    app = await scaffoldForTest(
      `webhook-${context.framework}`,
      [
        [dbGenerator, {}],
        [webhookGenerator, { provider }],
      ],
      context,
    );
  });
  afterAll(async () => {
    await app.remove();
  });

  it('writes the module, its migrations and tests, each with the provenance banner', () => {
    const files = app.files.filter((file) => file.generator === 'webhook');
    expect(files.map((file) => file.path).sort()).toEqual([...CORE, ...extra].sort());
    for (const file of files) {
      const comment = file.path.endsWith('.sql') ? '--' : '//';
      expect(file.content.split('\n')[0], file.path).toMatch(
        new RegExp(`^${comment} Generated by portcullis webhook generator 1\\.0\\.0`),
      );
    }
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await typecheck(app.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it(`passes its own generated tests (${label})`, async () => {
    const result = await runGeneratedTests(app.dir);
    expect(result.output).toMatch(new RegExp(`Tests\\s+${passed} passed \\(${passed}\\)`));
    expect(result.ok).toBe(true);
  });

  it('lints clean under Portcullis', async () => {
    const result = await lintGenerated(app.dir);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
  });
});
