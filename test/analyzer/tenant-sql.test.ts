/**
 * require-tenant-scope over raw SQL end to end: tenant tables from a Prisma schema with `@@map`/`@map`
 * and from migrations, RLS that is forced (quiet) or not (reported), and a facts cache written in an
 * older facts format that must not be read.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ts } from 'ts-morph';
import { afterEach, describe, expect, it } from 'vitest';

import { readFacts } from '../../src/analyzer/facts.js';
import { CheckCache } from '../../src/check/cache.js';
import { contentHash } from '../../src/discovery/content-hash.js';
import { runCheck } from '../../src/check/run-check.js';
import { PACKAGE_VERSION } from '../../src/version.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function project(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-tenant-sql-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const SCHEMA = `model Order {
  id    String @id
  orgId String @map("org_id")
  total Int
  @@map("orders")
}
`;

async function tenantFindings(root: string, cache: string | false = false): Promise<string[]> {
  const result = await runCheck({ cwd: root, cache });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => f.ruleId === 'require-tenant-scope')
    .map((f) => `${f.file}:${String(f.line)} ${f.message}`);
}

// A whole check per case on a shared machine: generous timeouts that do not depend on load.
describe('require-tenant-scope on raw SQL', { timeout: 240_000 }, () => {
  it('knows Prisma tables under their @@map name and tenant columns under their @map name', async () => {
    const root = project({
      'prisma/schema.prisma': SCHEMA,
      'src/orders.ts': `import { prisma } from './db';
export const mine = (req: Req) => prisma.$queryRaw\`SELECT * FROM orders WHERE org_id = \${req.user.orgId} AND id = \${req.params.id}\`;
export const any = (req: Req) => prisma.$queryRaw\`SELECT * FROM orders WHERE id = \${req.params.id}\`;
export const wrongName = (req: Req) => prisma.$queryRaw\`SELECT * FROM "Order" WHERE id = \${req.params.id}\`;
`,
    });
    const found = await tenantFindings(root);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^src\/orders\.ts:3 prisma\.\$queryRaw`…` runs SELECT on orders, a tenant-scoped table, with no org_id condition/,
    );
    expect(found[0]).toContain('AND org_id = $n');
  });

  it('holds migration tables to their tenant column unless RLS is enabled and forced with a policy', async () => {
    const root = project({
      'migrations/0001_init.sql': `create table invoices (id uuid primary key, workspace_id uuid not null);
create table forced (id uuid primary key, workspace_id uuid not null);
alter table forced enable row level security;
alter table forced force row level security;
create policy p on forced using (workspace_id = current_setting('app.tenant_id')::uuid);
create table no_policy (id uuid primary key, workspace_id uuid not null);
alter table no_policy enable row level security;
alter table no_policy force row level security;
create table gone (id uuid primary key, workspace_id uuid);
drop table gone;
`,
      'src/q.ts': `import { Pool } from 'pg';
const pool = new Pool();
export const a = (req: Req) => pool.query('SELECT * FROM invoices WHERE id = $1', [req.params.id]);
export const b = (req: Req) => pool.query('SELECT * FROM forced WHERE id = $1', [req.params.id]);
export const c = (req: Req) => pool.query('SELECT * FROM no_policy WHERE id = $1', [req.params.id]);
export const d = (req: Req) => pool.query('SELECT * FROM gone WHERE id = $1', [req.params.id]);
export const e = (req: Req) => pool.query('UPDATE invoices SET id = id WHERE workspace_id = $1', [req.params.w]);
`,
    });
    expect((await tenantFindings(root)).map((f) => f.split(' ')[0])).toEqual(['src/q.ts:3', 'src/q.ts:5']);
  });

  it('leaves Prisma and Drizzle queries on RLS-forced tables to the database, and no others', async () => {
    const root = project({
      'prisma/schema.prisma': `${SCHEMA}model Note {
  id       String @id
  tenantId String
}
`,
      'prisma/migrations/0001_init/migration.sql': `CREATE TABLE "orders" ("id" TEXT PRIMARY KEY, "org_id" TEXT NOT NULL, "total" INTEGER);
CREATE TABLE "Note" ("id" TEXT PRIMARY KEY, "tenantId" TEXT NOT NULL);
ALTER TABLE "orders" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "orders" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON "orders" USING ("org_id" = current_setting('app.tenant_id'));
`,
      'src/q.ts': `import { prisma } from './db';
export const orders = (req: Req) => prisma.order.findMany({ where: { id: req.params.id } });
export const notes = (req: Req) => prisma.note.findMany({ where: { id: req.params.id } });
`,
    });
    expect((await tenantFindings(root)).map((f) => f.split(' ')[0])).toEqual(['src/q.ts:3']);
  });

  it('honours a reasoned portcullis-ignore below a template with substitutions', async () => {
    const root = project({
      'migrations/0001_init.sql': 'create table events (id uuid primary key, chain text, tenant_id text);\n',
      'src/retention.ts': `import { Pool } from 'pg';
const pool = new Pool();
const COLUMNS = 'id, chain';
export async function prune(req: { body: { chain: string; id: string } }) {
  await pool.query(\`SELECT \${COLUMNS} FROM events WHERE chain = $1\`, [req.body.chain]);
  // portcullis-ignore require-tenant-scope -- retention runs over every tenant's chain by design
  await pool.query('DELETE FROM events WHERE chain = $1', [req.body.chain]);
  return pool.query('SELECT * FROM events WHERE id = $1', [req.body.id]);
}
`,
    });
    const result = await runCheck({ cwd: root, cache: false });
    expect(result.findings.map((f) => `${f.ruleId}:${String(f.line)}`)).toEqual(['require-tenant-scope:8']);
    expect(result.suppressed.map((f) => `${f.ruleId}:${String(f.line)}`)).toEqual(['require-tenant-scope:7']);
  });

  it('never reads a facts cache written in another facts format', async () => {
    const source =
      "import { pool } from './db';\nexport const any = (req: Req) => pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);\n";
    const root = project({
      'package.json': '{ "name": "app", "private": true }\n',
      'prisma/schema.prisma': SCHEMA,
      'src/orders.ts': source,
    });
    const cacheDir = join(root, 'cache');
    mkdirSync(cacheDir);
    // What the same version wrote before the facts format changed: this file's facts, current by
    // content hash, but without its SQL query. Read, they would hide the finding.
    const facts = readFacts(
      'src/orders.ts',
      ts.createSourceFile('src/orders.ts', source, ts.ScriptTarget.Latest, true),
    );
    expect(facts.queries).toHaveLength(1);
    const old = `check-${createHash('sha256').update(PACKAGE_VERSION).digest('hex').slice(0, 12)}.json`;
    writeFileSync(
      join(cacheDir, old),
      JSON.stringify({
        tool: PACKAGE_VERSION,
        facts: { 'src/orders.ts': { hash: contentHash(source), facts: { ...facts, queries: [] } } },
        lint: {},
      }),
    );
    expect(CheckCache.open(cacheDir).facts.size).toBe(0);
    const found = await tenantFindings(root, cacheDir);
    expect(found).toHaveLength(1);
    expect(readdirSync(cacheDir)).not.toContain(old);
    expect(await tenantFindings(root, cacheDir)).toEqual(found);
  });
});
