/**
 * The production login role's grants (issue 16): each module declares what its SQL does as the app's
 * login role; the composition collects the declarations of the modules the app has, and the app
 * renders them into src/setup/login-role.ts and its README. The grants themselves are proved on
 * PostgreSQL by the generated app's src/setup/login-role.pg.test.ts (run by the contract test).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { composition } from '../../generators/app/composition.js';
import { databaseAccess, MODULE_DATABASE_ACCESS } from '../../generators/app/database-access.js';
import { GENERATORS } from '../../generators/index.js';
import { generate } from '../../src/generate/engine.js';
import { tempDir } from './fixtures.js';

const APP = { framework: 'express' as const, db: 'pglite' as const };

describe('databaseAccess()', () => {
  it('collects the declaration of every module the app has, the db layer first', () => {
    const access = databaseAccess({ ...APP, modules: ['webhook', 'audit', 'rbac'] });
    expect(access.map((entry) => entry.module)).toEqual(['db', 'webhook', 'audit']);
    expect(access[1]!.tables).toEqual([
      { table: 'webhook_events', privileges: 'SELECT, INSERT' },
      { table: 'webhook_dead_letters', privileges: 'SELECT, INSERT, UPDATE' },
    ]);
  });

  it('keeps the audit log append-only: no UPDATE or DELETE on events, checkpoints or anchors', () => {
    const [, audit] = databaseAccess({ ...APP, modules: ['audit'] });
    const privileges = Object.fromEntries(audit!.tables.map(({ table, privileges }) => [table, privileges]));
    for (const table of ['audit_events', 'audit_checkpoints', 'audit_anchors']) {
      expect(privileges[table]).not.toMatch(/UPDATE|DELETE/);
    }
    expect(audit!.functions).toEqual(['audit_prune(text, bigint)']);
  });

  it('follows module options: no MFA tables without MFA, the tenancy role the app chose', () => {
    const access = databaseAccess({
      ...APP,
      modules: ['auth', 'tenancy'],
      moduleOptions: { auth: { mfa: false }, tenancy: { appRole: 'shop_tenant' } },
    });
    const tables = access.flatMap((entry) => entry.tables.map((t) => t.table));
    expect(tables).toContain('auth_sessions');
    expect(tables).not.toContain('auth_totp');
    expect(access.find((entry) => entry.module === 'tenancy')).toEqual({
      module: 'tenancy',
      tables: [],
      functions: [],
      memberOf: ['shop_tenant'],
    });
  });

  it('grants no TRUNCATE, REFERENCES or TRIGGER to any module', () => {
    for (const declare of Object.values(MODULE_DATABASE_ACCESS))
      for (const { privileges } of declare({}, []).tables ?? [])
        for (const privilege of privileges) expect(['SELECT', 'INSERT', 'UPDATE', 'DELETE']).toContain(privilege);
  });

  it('declares every table a generator creates that its code reads or writes', async () => {
    const declared = new Set(
      Object.values(MODULE_DATABASE_ACCESS).flatMap((declare) => (declare({}, []).tables ?? []).map((t) => t.table)),
    );
    // The owner-only tables: written by SECURITY DEFINER functions or by the migration role.
    const ownerOnly = new Set(['audit_prune_marks', 'tenancy_context', 'tenancy_context_keys', 'tenant_data_keys']);
    for (const spec of GENERATORS) {
      if (spec.name === 'tenancy') continue; // its tables are the tenancy role's, granted by its migrations
      for (const action of spec.actions(spec.normalizeOptions({}, { ...APP, modules: [spec.name] }), {
        ...APP,
        modules: [spec.name],
      })) {
        if (action.type !== 'add' || !action.path.endsWith('.sql')) continue;
        const sql = await readFile(join('templates', action.template), 'utf8');
        for (const [, table] of sql.matchAll(
          /CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?(?:public\.)?"?([a-z_]+)"?/g,
        ))
          if (!ownerOnly.has(table!)) expect(declared, `${spec.name}: ${table!}`).toContain(table);
      }
    }
  });

  it('is part of the composition only when the app has a database', () => {
    expect(composition({ ...APP, modules: [] }).databaseAccess).toEqual([]);
    expect(composition({ ...APP, modules: ['webhook'] }).databaseAccess.map((e) => e.module)).toEqual([
      'db',
      'webhook',
    ]);
  });
});

describe('the login role in a generated app', { timeout: 180_000 }, () => {
  let tmp: { dir: string; remove(): Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir('login-role');
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it('gets the grants of a module added later, and db:setup is an npm script', async () => {
    const app = join(tmp.dir, 'app');
    await generate({
      target: app,
      generators: [{ generator: 'app', options: { framework: 'hono' } }, { generator: 'audit' }],
    });
    const before = await readFile(join(app, 'src/setup/login-role.ts'), 'utf8');
    expect(before).toContain("table: 'audit_events', privileges: 'SELECT, INSERT'");
    expect(before).not.toContain('webhook_events');
    const added = await generate({ target: app, generators: [{ generator: 'webhook' }] });
    expect(added.conflicts).toEqual([]);
    expect(added.updated).toContain('src/setup/login-role.ts');
    const after = await readFile(join(app, 'src/setup/login-role.ts'), 'utf8');
    expect(after).toContain("table: 'webhook_events', privileges: 'SELECT, INSERT'");
    const pkg = JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['db:setup']).toBe('node dist/setup/database.js');
    const readme = await readFile(join(app, 'README.md'), 'utf8');
    expect(readme).toMatch(/\| webhook +\| SELECT, INSERT on `webhook_events`/);
    const env = await readFile(join(app, '.env.example'), 'utf8');
    expect(env).toContain('DATABASE_MIGRATION_URL=');
    // The README documents every variable the app reads, the ones of modules added later included.
    const keys = [...env.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
    expect(keys).toEqual(expect.arrayContaining(['STRIPE_WEBHOOK_SECRET', 'AUDIT_SIGNING_KEY', 'DATABASE_URL']));
    for (const key of keys) expect(readme, key).toMatch(new RegExp(`\\| \`${key}\` +\\|`));
    const again = await generate({ target: app, generators: [{ generator: 'webhook' }] });
    expect([...again.created, ...again.updated]).toEqual([]);
  });
});
