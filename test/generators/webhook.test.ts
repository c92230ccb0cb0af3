import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dbGenerator } from '../../generators/db/index.js';
import { GENERATORS, OptionsError, type AppContext } from '../../generators/index.js';
import { normalizeOptions, WEBHOOK_DEPENDENCY_VERSIONS, webhookGenerator } from '../../generators/webhook/index.js';
import { lintFiles } from '../../src/check/lint.js';
import { allMetadata } from '../../src/check/registry.js';
import {
  DB_GENERATED_TESTS,
  expectProvenanceBanners,
  lintGenerated,
  REPO_ROOT,
  runGeneratedTests,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
  optionsErrorOf,
} from '../helpers/generated-app.js';

const exec = promisify(execFile);

const EXPRESS: AppContext = { framework: 'express', db: 'pglite', modules: ['db', 'webhook'] };
const HONO: AppContext = { framework: 'hono', db: 'pglite', modules: ['db', 'webhook'] };

function optionError(input: Record<string, unknown>): OptionsError {
  return optionsErrorOf(() => normalizeOptions(input), input);
}

describe('webhook generator: options', () => {
  it('is registered and needs the db layer', () => {
    expect(GENERATORS).toContain(webhookGenerator);
    expect(webhookGenerator.requires).toEqual(['db']);
  });

  it('adds an npm script that runs the compiled replay command (nothing to install beyond the build)', () => {
    const actions = webhookGenerator.actions(normalizeOptions({}), { framework: 'hono', db: 'pglite', modules: [] });
    expect(actions).toContainEqual({ type: 'scripts', scripts: { 'webhooks:replay': 'node dist/webhooks/replay.js' } });
    const steps = webhookGenerator.nextSteps?.(normalizeOptions({}), { framework: 'hono', db: 'pglite', modules: [] });
    expect(steps?.join('\n')).toContain('npm run webhooks:replay -- --list');
    expect(steps?.join('\n')).not.toContain('tsx');
  });

  it('defaults to one Stripe endpoint at /webhooks/stripe', () => {
    const options = normalizeOptions({});
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
    expect(normalizeOptions({ provider: 'github' }).providers).toEqual(['github']);
    expect(normalizeOptions({ provider: 'generic, stripe' }).providers).toEqual(['stripe', 'generic']);
    expect(normalizeOptions({ provider: ['standard', 'stripe'] }).providers).toEqual(['stripe', 'standard']);
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
    expect(optionError({ secret: 'x' })).toMatchObject({
      option: 'secret',
      message: expect.stringContaining('Unknown option'),
    });
  });

  it('describes every option in its JSON schema', () => {
    for (const [name, schema] of Object.entries(webhookGenerator.schema.properties)) {
      expect(schema.description.length, name).toBeGreaterThan(20);
      expect(schema.default, name).toBeDefined();
    }
  });

  it('is pure, pins the exact versions of this repository, and adds each secret to .env.example', () => {
    const options = normalizeOptions({ provider: 'stripe,github' });
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
    extra: [
      'src/webhooks/express.test.ts',
      'src/webhooks/express.ts',
      'src/webhooks/handlers/standard.ts',
      'src/webhooks/handlers/stripe.ts',
    ],
    passed: DB_GENERATED_TESTS + 25 + 10 + 7 + (5 + 5 + 2),
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
    passed: DB_GENERATED_TESTS + 25 + 10 + 7 + (5 + 5 + 4 + 5 + 3),
  },
];

describe.each(cases)(
  'webhook generator: generated module ($label)',
  ({ label, app: context, provider, extra, passed }) => {
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
      expectProvenanceBanners(files, webhookGenerator);
    });

    it('typechecks under strict TypeScript', async () => {
      const result = await typecheck(app.dir);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    }, 180_000);

    it(`passes its own generated tests (${label})`, async () => {
      const result = await runGeneratedTests(app.dir);
      expect(stripVTControlCharacters(result.output)).toMatch(new RegExp(`Tests\\s+${passed} passed \\(${passed}\\)`));
      expect(result.ok).toBe(true);
    }, 600_000);

    it('lints clean under Portcullis', async () => {
      const result = await lintGenerated(app.dir);
      expect(result.findings).toEqual([]);
      expect(result.errors).toEqual([]);
    }, 180_000);

    it.runIf(context.framework === 'express')(
      'compiles to a replay command that runs under plain node against a persistent database',
      async () => {
        const out = join(app.dir, 'dist');
        const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
        await exec(tsc, [
          '-p',
          join(app.dir, 'tsconfig.json'),
          '--noEmit',
          'false',
          '--rootDir',
          app.dir,
          '--outDir',
          out,
        ]);
        const dataDir = await mkdtemp(join(tmpdir(), 'webhook-replay-'));
        try {
          const db = (await import(pathToFileURL(join(out, 'src/db/index.js')).href)) as {
            createPgliteDatabase(dir: string): Promise<{ close(): Promise<void> }>;
            migrate(db: unknown, dir: string): Promise<string[]>;
          };
          const store = (await import(pathToFileURL(join(out, 'src/webhooks/store.js')).href)) as {
            recordDeadLetter(db: unknown, input: Record<string, unknown>): Promise<string>;
          };
          const database = await db.createPgliteDatabase(dataDir);
          await db.migrate(database, join(app.dir, 'migrations'));
          const id = await store.recordDeadLetter(database, {
            endpoint: 'stripe',
            provider: 'stripe',
            eventId: 'evt_cli',
            eventType: 'invoice.paid',
            timestamp: 1_700_000_000,
            rawBody: new TextEncoder().encode('{"id":"evt_cli","type":"invoice.paid"}'),
            error: new Error('database unavailable'),
          });
          await database.close();

          const cli = join(out, 'src/webhooks/replay.js');
          const env = { ...process.env, DATABASE_URL: '', PGLITE_DATA_DIR: dataDir };
          const listed = await exec(process.execPath, [cli, '--list'], { cwd: app.dir, env });
          expect(listed.stdout).toContain(`#${id} stripe evt_cli invoice.paid attempts=1`);
          expect(listed.stdout).toContain('error=Error: database unavailable');
          const replayed = await exec(process.execPath, [cli, '--all'], { cwd: app.dir, env });
          expect(replayed.stdout).toContain(`#${id} processed`);
          const after = await exec(process.execPath, [cli, '--list'], { cwd: app.dir, env });
          expect(after.stdout).toContain('0 unresolved dead letter(s).');
          const usage = await exec(process.execPath, [cli, '--nope'], { cwd: app.dir, env }).catch(
            (error: { code: number; stderr: string }) => error,
          );
          expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage:') });
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      },
      480_000,
    );

    it('is reported by require-webhook-verification and the webhook-flow check once verifyWebhook is removed from the adapter', async () => {
      const adapter = app.files.find((file) => file.path === `src/webhooks/${context.framework}.ts`);
      if (adapter === undefined) throw new Error('adapter not generated');
      const bodyText =
        context.framework === 'express'
          ? "Buffer.from(req.body as Buffer).toString('utf8')"
          : 'new TextDecoder().decode(body)';
      const unverified = adapter.content
        .replace(/^import \{ verifyWebhook \} from '\.\/verify\.js';$/m, '')
        .replace(/verified = verifyWebhook\([\s\S]*?\);/, `verified = JSON.parse(${bodyText}) as VerifiedWebhook;`);
      expect(unverified).not.toContain('verifyWebhook');
      const mutant = `src/webhooks/${context.framework}-unverified.ts`;
      await writeFile(join(app.dir, mutant), unverified, 'utf8');
      try {
        // The ESLint rule alone (the editor's view) reports the unverified handler…
        const lint = await lintFiles({
          root: app.dir,
          files: [join(app.dir, mutant)],
          preset: 'recommended',
          metadata: allMetadata(),
        });
        expect(lint.findings.map((finding) => finding.ruleId)).toContain('require-webhook-verification');
        // …and `portcullis check` reports it once, through the analyzer's route-level flow check, which
        // sees the router built from configuration; nothing else in the app is reported.
        const result = await lintGenerated(app.dir);
        expect(result.findings.map((finding) => [finding.file, finding.ruleId])).toContainEqual([
          mutant,
          'require-webhook-verification-flow',
        ]);
        expect(result.findings.filter((finding) => finding.file !== mutant)).toEqual([]);
      } finally {
        await rm(join(app.dir, mutant), { force: true });
      }
    }, 180_000);
  },
);
