import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dbGenerator } from '../../generators/db/index.js';
import { GENERATORS, OptionsError, type AppContext } from '../../generators/index.js';
import { tenancyGenerator } from '../../generators/tenancy/index.js';
import {
  DB_GENERATED_TESTS,
  DEFAULT_APP,
  expectProvenanceBanners,
  lintGenerated,
  runGeneratedTests,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
  optionsErrorOf,
  testCounts,
} from '../helpers/generated-app.js';

const PG_URL = process.env.PORTCULLIS_TEST_PG_URL ?? '';
const HONO_APP: AppContext = { framework: 'hono', db: 'pglite', modules: [] };
const REAL_PG_TESTS = 6;

function optionsError(input: Record<string, unknown>): OptionsError {
  return optionsErrorOf(() => tenancyGenerator.normalizeOptions(input, DEFAULT_APP), input);
}

describe('tenancy generator: options', () => {
  it('is registered and requires the db layer', () => {
    expect(GENERATORS.map((spec) => spec.name)).toContain('tenancy');
    expect(tenancyGenerator.requires).toEqual(['db']);
  });

  it('fills defaults: rls mode, tenant_id, app_tenant, an example projects table, no data keys', () => {
    expect(tenancyGenerator.normalizeOptions({}, DEFAULT_APP)).toEqual({
      tables: ['projects'],
      tenantColumn: 'tenant_id',
      mode: 'rls',
      appRole: 'app_tenant',
      dataKeys: false,
      schemaPerTenant: false,
      express: true,
      hono: false,
    });
  });

  it('rejects identifiers that are not plain lower-case SQL names, naming the option', () => {
    expect(optionsError({ tables: ['projects; DROP TABLE users'] }).option).toBe('tables');
    expect(optionsError({ tables: ['Projects'] }).message).toMatch(/lower-case SQL identifier/);
    expect(optionsError({ tables: ['a'.repeat(41)] }).option).toBe('tables');
    expect(optionsError({ tables: [] }).option).toBe('tables');
    expect(optionsError({ tables: 'projects' }).option).toBe('tables');
    expect(optionsError({ tables: ['projects', 'projects'] }).message).toMatch(/twice/);
    expect(optionsError({ tables: ['tenant_data_keys'] }).message).toMatch(/reserved/);
    expect(optionsError({ tables: ['pg_class'] }).message).toMatch(/reserved/);
    expect(optionsError({ tenantColumn: 'tenant-id' }).option).toBe('tenantColumn');
    expect(optionsError({ tenantColumn: 'id' }).option).toBe('tenantColumn');
    expect(optionsError({ appRole: 'postgres' }).option).toBe('appRole');
    expect(optionsError({ appRole: 'pg_read_all_data' }).option).toBe('appRole');
    expect(optionsError({ appRole: 'app"; ALTER ROLE x SUPERUSER; --' }).option).toBe('appRole');
    expect(optionsError({ mode: 'database-per-tenant' }).message).toMatch(/rls, schema-per-tenant/);
    expect(optionsError({ dataKeys: 'yes' }).option).toBe('dataKeys');
    expect(optionsError({ tenant: 'acme' }).message).toMatch(/Unknown option "tenant"/);
  });

  it('documents every option in its JSON schema', () => {
    for (const [name, option] of Object.entries(tenancyGenerator.schema.properties)) {
      expect(option.description.length, name).toBeGreaterThan(20);
      expect(option.default, name).toBeDefined();
    }
  });

  it('derives its actions purely from the options: migrations in 0100–0199, only the app framework adapter', () => {
    const rls = tenancyGenerator.normalizeOptions({}, DEFAULT_APP);
    const first = tenancyGenerator.actions(rls, DEFAULT_APP);
    expect(tenancyGenerator.actions(rls, DEFAULT_APP)).toEqual(first);
    const paths = first.flatMap((action) => (action.type === 'add' ? [action.path] : []));
    expect(paths.filter((path) => path.startsWith('migrations/'))).toEqual([
      'migrations/0100_tenancy_role.sql',
      'migrations/0101_tenancy_tables.sql',
      'migrations/0104_tenancy_context.sql',
    ]);
    expect(paths).toContain('src/tenancy/express.ts');
    expect(paths).not.toContain('src/tenancy/hono.ts');
    expect(paths).not.toContain('src/tenancy/data-keys.ts');
    const all = tenancyGenerator.normalizeOptions({ mode: 'schema-per-tenant', dataKeys: true }, HONO_APP);
    const allPaths = tenancyGenerator
      .actions(all, HONO_APP)
      .flatMap((action) => (action.type === 'add' ? [action.path] : []));
    expect(allPaths).toEqual(
      expect.arrayContaining([
        'migrations/0102_tenancy_data_keys.sql',
        'migrations/0103_tenancy_schemas.sql',
        'src/tenancy/hono.ts',
        'src/tenancy/data-keys.ts',
      ]),
    );
    for (const path of allPaths.filter((p) => p.startsWith('migrations/')))
      expect(path).toMatch(/^migrations\/01\d\d_tenancy_[a-z_]+\.sql$/);
    const env = tenancyGenerator.actions(all, HONO_APP).find((action) => action.type === 'env');
    expect(env).toMatchObject({
      entries: [
        { key: 'TENANCY_CONTEXT_KEY', example: '' },
        { key: 'TENANCY_MASTER_KEY', example: '' },
      ],
    });
    const rlsEnv = first.find((action) => action.type === 'env');
    expect(rlsEnv).toMatchObject({ entries: [{ key: 'TENANCY_CONTEXT_KEY', example: '' }] });
  });
});

/** Scaffolds db + tenancy, then holds the app to the contract: typecheck, own tests, zero findings. */
function generatedAppSuite(
  label: string,
  options: Record<string, unknown>,
  app: AppContext,
  expected: { localTests: number },
): void {
  describe(`tenancy generator: generated ${label} app`, () => {
    let scaffolded: ScaffoldedApp;
    beforeAll(async () => {
      scaffolded = await scaffoldForTest(
        `tenancy-${label}`,
        [
          [dbGenerator, {}],
          [tenancyGenerator, options],
        ],
        app,
      );
    });
    afterAll(async () => {
      await scaffolded.remove();
    });

    it('starts every file with the provenance banner', () => {
      expectProvenanceBanners(scaffolded.files, tenancyGenerator);
    });

    it('forces row-level security with an empty-safe policy on every table and never uses a session-level SET', () => {
      const files = scaffolded.files.filter((file) => file.generator === 'tenancy');
      const sql = files
        .filter((file) => file.path.endsWith('.sql'))
        .map((file) => file.content)
        .join('\n');
      const normalized = tenancyGenerator.normalizeOptions(options, app);
      for (const table of normalized.tables) {
        expect(sql).toContain(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY;`);
        expect(sql).toContain(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY;`);
        // The final policy keys on the context only tenancy_enter records, never on a setting SQL can change.
        expect(sql).toContain(`WITH CHECK ("${normalized.tenantColumn}" = (SELECT tenancy_current_tenant()))`);
      }
      expect(sql).toContain('REVOKE ALL ON tenancy_context_keys FROM PUBLIC;');
      expect(sql).toMatch(/FUNCTION tenancy_enter\(p_tenant uuid, p_key bytea\)[\s\S]*SECURITY DEFINER/);
      const code = files
        .filter((file) => file.path.endsWith('.ts'))
        .map((file) => file.content)
        .join('\n');
      expect(code).toContain("set_config('app.tenant_id', $1, true)");
      expect(code).not.toMatch(/['"`]SET (SESSION )?app\./i);
      expect(code).not.toMatch(/['"`]SET LOCAL app\./i);
    });

    it('typechecks under strict TypeScript', async () => {
      const result = await typecheck(scaffolded.dir);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    }, 180_000);

    it(
      PG_URL === ''
        ? 'passes its own generated tests (PORTCULLIS_TEST_PG_URL unset: real-PostgreSQL tests skipped)'
        : 'passes its own generated tests, including the real-PostgreSQL ones',
      async () => {
        const result = await runGeneratedTests(scaffolded.dir, { PORTCULLIS_TEST_PG_URL: PG_URL });
        const counts = testCounts(result.output);
        expect(counts.failed, result.output).toBe(0);
        expect(result.ok, result.output).toBe(true);
        if (PG_URL === '') {
          expect(counts).toEqual({ passed: expected.localTests, skipped: REAL_PG_TESTS, failed: 0 });
          expect(result.output).toContain('PORTCULLIS_TEST_PG_URL is not set');
        } else {
          expect(counts).toEqual({ passed: expected.localTests + REAL_PG_TESTS, skipped: 0, failed: 0 });
        }
      },
      300_000,
    );

    it('lints clean under Portcullis', async () => {
      const result = await lintGenerated(scaffolded.dir);
      expect(result.filesScanned).toBeGreaterThan(10);
      expect(result.findings).toEqual([]);
      expect(result.errors).toEqual([]);
    }, 120_000);
  });
}

generatedAppSuite('express-rls', { tables: ['projects', 'documents'], dataKeys: true }, DEFAULT_APP, {
  localTests: 17 + DB_GENERATED_TESTS,
});
generatedAppSuite(
  'hono-schema',
  { mode: 'schema-per-tenant', tenantColumn: 'org_id', appRole: 'tenant_app' },
  HONO_APP,
  { localTests: 14 + DB_GENERATED_TESTS },
);
