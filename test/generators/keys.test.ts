import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditGenerator } from '../../generators/audit/index.js';
import { dbGenerator } from '../../generators/db/index.js';
import { GENERATORS, OptionsError, type AppContext } from '../../generators/index.js';
import { keysGenerator } from '../../generators/keys/index.js';
import { tenancyGenerator } from '../../generators/tenancy/index.js';
import {
  DEFAULT_APP,
  expectProvenanceBanners,
  lintGenerated,
  runGeneratedTests,
  type GeneratorRun,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
  optionsErrorOf,
  testCounts,
} from '../helpers/generated-app.js';

const HONO_APP: AppContext = { framework: 'hono', db: 'pglite', modules: [] };
const PG_URL = process.env.PORTCULLIS_TEST_PG_URL ?? '';

function optionsError(input: Record<string, unknown>): OptionsError {
  return optionsErrorOf(() => keysGenerator.normalizeOptions(input, DEFAULT_APP), input);
}

describe('keys generator: options', () => {
  it('is registered after audit and before auth, and requires the db layer', () => {
    const names = GENERATORS.map((spec) => spec.name);
    expect(names.indexOf('keys')).toBeGreaterThan(names.indexOf('audit'));
    expect(names.indexOf('keys')).toBeLessThan(names.indexOf('auth'));
    expect(keysGenerator.requires).toEqual(['db']);
  });

  it('fills defaults', () => {
    expect(keysGenerator.normalizeOptions({}, DEFAULT_APP)).toEqual({
      kekId: 'app-kek',
      region: 'eu-central-1',
      signedRequests: true,
      express: true,
      hono: false,
    });
  });

  it('rejects bad values, naming the option', () => {
    expect(optionsError({ kekId: 'App KEK' }).option).toBe('kekId');
    expect(optionsError({ kekId: '"; process.exit()' }).option).toBe('kekId');
    expect(optionsError({ region: 'EU' }).option).toBe('region');
    expect(optionsError({ region: 'eu-central-1"' }).option).toBe('region');
    expect(optionsError({ signedRequests: 'yes' }).option).toBe('signedRequests');
    expect(optionsError({ kms: 'aws' }).message).toMatch(/Unknown option "kms"/);
  });

  it('documents every option in its JSON schema', () => {
    for (const [name, option] of Object.entries(keysGenerator.schema.properties)) {
      expect(option.description.length, name).toBeGreaterThan(20);
      expect(option.default, name).toBeDefined();
    }
  });

  it('derives its actions purely; migrations in 0700–0799; grants the tenancy role only with tenancy', () => {
    const options = keysGenerator.normalizeOptions({}, DEFAULT_APP);
    const first = keysGenerator.actions(options, DEFAULT_APP);
    expect(keysGenerator.actions(options, DEFAULT_APP)).toEqual(first);
    const paths = first.flatMap((action) => (action.type === 'add' ? [action.path] : []));
    for (const path of paths.filter((p) => p.startsWith('migrations/')))
      expect(path).toMatch(/^migrations\/07\d\d_keys[a-z_]*\.sql$/);
    expect(first.find((action) => action.type === 'scripts')).toEqual({
      type: 'scripts',
      scripts: { 'keys:rotate': 'node dist/keys/rotate-cli.js' },
    });
  });
});

/**
 * `localTests` undefined: the app's own tests are not run here — the contract test runs the keys
 * module's own tests in its every-module apps (Express and Hono), so this suite only typechecks and lints.
 * Otherwise only the keys tests and tenancy's data-key tests run: tenancy's data keys on the keys module
 * (`dataKeys: true`) is what this app has and the contract's apps do not; the rest of its tests are theirs.
 */
function generatedAppSuite(
  label: string,
  runs: readonly GeneratorRun[],
  app: AppContext,
  localTests: number | undefined,
): void {
  describe(`keys generator: generated ${label} app`, () => {
    let scaffolded: ScaffoldedApp;
    beforeAll(async () => {
      scaffolded = await scaffoldForTest(`keys-${label}`, runs, app);
    }, 60_000);
    afterAll(async () => {
      await scaffolded.remove();
    });

    it('starts every file with the provenance banner', () => {
      expectProvenanceBanners(scaffolded.files, keysGenerator);
    });

    if (runs.some(([spec]) => spec.name === 'tenancy'))
      it("puts tenancy's data keys on the keys module: one hierarchy, no second master key", () => {
        const paths = scaffolded.files.map((file) => file.path);
        expect(paths).not.toContain('migrations/0102_tenancy_data_keys.sql');
        const cipher = scaffolded.files.find((file) => file.path === 'src/tenancy/data-keys.ts')?.content ?? '';
        expect(cipher).toContain("from '../keys/index.js'");
        expect(cipher).not.toContain('TENANCY_MASTER_KEY');
        const sql = scaffolded.files.find((file) => file.path === 'migrations/0700_keys.sql')?.content ?? '';
        expect(sql).toContain('CREATE POLICY keys_data_keys_tenant ON public.keys_data_keys TO "app_tenant"');
        expect(sql).toContain('GRANT SELECT, INSERT ON public.keys_data_keys TO "app_tenant";');
        const test = scaffolded.files.find((file) => file.path === 'src/tenancy/data-keys.test.ts')?.content ?? '';
        expect(test).toContain('on the keys module (one key hierarchy)');
      });

    it('typechecks under strict TypeScript', async () => {
      const result = await typecheck(scaffolded.dir);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    }, 180_000);

    it.runIf(localTests !== undefined)(
      'passes its own generated tests',
      async () => {
        const result = await runGeneratedTests(scaffolded.dir, { PORTCULLIS_TEST_PG_URL: PG_URL }, [
          'src/keys',
          'src/tenancy/data-keys.test.ts',
        ]);
        const counts = testCounts(result.output);
        expect(counts.failed, result.output).toBe(0);
        expect(result.ok, result.output).toBe(true);
        expect(counts.passed, result.output).toBeGreaterThanOrEqual(localTests ?? 0);
      },
      400_000,
    );

    it('lints clean under Portcullis', async () => {
      const result = await lintGenerated(scaffolded.dir);
      expect(result.errors).toEqual([]);
      expect(result.findings).toEqual([]);
    }, 120_000);
  });
}

generatedAppSuite(
  'express',
  [
    [dbGenerator, {}],
    [keysGenerator, {}],
  ],
  DEFAULT_APP,
  undefined,
);
generatedAppSuite(
  'hono-tenancy-audit',
  [
    [dbGenerator, {}],
    [tenancyGenerator, { dataKeys: true }],
    [auditGenerator, {}],
    [keysGenerator, { kekId: 'tenant-kek', region: 'us-east-1' }],
  ],
  HONO_APP,
  10,
);
