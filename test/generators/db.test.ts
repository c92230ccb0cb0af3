import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dbGenerator } from '../../generators/db/index.js';
import {
  expectProvenanceBanners,
  lintGenerated,
  runGeneratedTests,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
} from '../helpers/generated-app.js';

describe('db generator', () => {
  let app: ScaffoldedApp;
  beforeAll(async () => {
    app = await scaffoldForTest('db', [[dbGenerator, {}]]);
  });
  afterAll(async () => {
    await app.remove();
  });

  it('writes the database layer with a provenance banner on every file', () => {
    expect(app.files.map((file) => file.path).sort()).toEqual([
      'src/db/db.test.ts',
      'src/db/index.ts',
      'src/db/migrate.ts',
      'src/db/pglite.ts',
      'src/db/postgres.ts',
      'src/db/types.ts',
    ]);
    expectProvenanceBanners(app.files, dbGenerator);
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await typecheck(app.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('passes its own generated tests', async () => {
    const result = await runGeneratedTests(app.dir);
    expect(result.output).toContain('3 passed');
    expect(result.ok).toBe(true);
  });

  it('lints clean under Portcullis', async () => {
    const result = await lintGenerated(app.dir);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
  });
});
