import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditGenerator } from '../../generators/audit/index.js';
import { dbGenerator } from '../../generators/db/index.js';
import { OptionsError, type AppContext } from '../../generators/types.js';
import {
  DB_GENERATED_TESTS,
  expectProvenanceBanners,
  lintGenerated,
  runGeneratedTests,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
} from '../helpers/generated-app.js';

const APP: AppContext = { framework: 'express', db: 'pglite', modules: [] };
const PG_URL = process.env.PORTCULLIS_TEST_PG_URL;
/** The audit module's PGlite tests (22) and the db module's (2) always run; the two pooled-PostgreSQL concurrency tests only with a server. */
const GENERATED_TESTS = 26 + DB_GENERATED_TESTS + (PG_URL ? 3 : 0);

describe('audit generator: options', () => {
  it('defaults retention and checkpoint interval', () => {
    expect(auditGenerator.normalizeOptions({}, APP)).toEqual({ retentionDays: 365, checkpointEvery: 100 });
    expect(auditGenerator.normalizeOptions({ retentionDays: 90, checkpointEvery: 10 }, APP)).toEqual({
      retentionDays: 90,
      checkpointEvery: 10,
    });
  });

  it('rejects bad values naming the option and its range', () => {
    expect(() => auditGenerator.normalizeOptions({ retentionDays: 0 }, APP)).toThrow(OptionsError);
    expect(() => auditGenerator.normalizeOptions({ retentionDays: '30' }, APP)).toThrow(/"retentionDays".*1 to 36500/);
    expect(() => auditGenerator.normalizeOptions({ checkpointEvery: 1.5 }, APP)).toThrow(/checkpointEvery/);
    expect(() => auditGenerator.normalizeOptions({ retention: 3 }, APP)).toThrow(/Unknown option "retention"/);
  });

  it('needs the db module and writes its migrations in the audit range', () => {
    expect(auditGenerator.requires).toEqual(['db']);
    const migrations = auditGenerator
      .actions({ retentionDays: 365, checkpointEvery: 100 }, APP)
      .flatMap((action) => (action.type === 'add' && action.path.startsWith('migrations/') ? [action.path] : []));
    expect(migrations.length).toBeGreaterThan(0);
    for (const path of migrations) expect(path).toMatch(/^migrations\/04\d\d_audit_[a-z_]+\.sql$/);
  });
});

describe('audit generator: generated module', () => {
  let app: ScaffoldedApp;
  beforeAll(async () => {
    app = await scaffoldForTest('audit', [
      [dbGenerator, {}],
      [auditGenerator, { retentionDays: 30, checkpointEvery: 50 }],
    ]);
  });
  afterAll(async () => {
    await app.remove();
  });

  it('writes a provenance banner as the first line of every file', () => {
    expectProvenanceBanners(app.files, auditGenerator);
    const log = app.files.find((file) => file.path === 'src/audit/log.ts');
    expect(log?.content).toContain('DEFAULT_RETENTION_DAYS = 30;');
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await typecheck(app.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 180_000);

  it(`passes its own generated tests (${GENERATED_TESTS}${PG_URL ? ', including pooled PostgreSQL' : ', PGlite only: PORTCULLIS_TEST_PG_URL is not set'})`, async () => {
    const result = await runGeneratedTests(app.dir, PG_URL ? { PORTCULLIS_TEST_PG_URL: PG_URL } : {});
    expect(result.output).toContain(`${GENERATED_TESTS} passed`);
    expect(result.ok).toBe(true);
  }, 900_000);

  it('lints clean under Portcullis', async () => {
    const result = await lintGenerated(app.dir);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
  }, 120_000);
});
