/**
 * The fixture apps: every `FINDING <rule>` marker is reported exactly there, and nothing
 * else is (the clean look-alikes — guards in helpers, tenant filters added by helpers,
 * verification in an imported module — stay quiet).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCheck, type CheckResult } from '../../src/check/run-check.js';
import { listRoutes, type RouteRow } from '../../src/cli/commands/routes.js';
import { expectedFindings, FIXTURES, fixtureRepo } from './fixture-project.js';

const ANALYZER_RULES = new Set([
  'require-route-authorization',
  'require-tenant-scope',
  'require-object-authorization',
  'require-webhook-verification-flow',
  'require-rls',
  'require-definer-auth-check',
  'no-self-privilege-update',
  'require-edge-function-auth',
  'no-committed-secrets',
  'no-server-secret-in-client-bundle',
]);

function analyzerFindings(result: CheckResult): { ruleId: string; file: string; line: number }[] {
  return result.findings
    .filter((f) => ANALYZER_RULES.has(f.ruleId))
    .map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

const FIXTURE_APPS = [
  'express-app',
  'next-app',
  'next-clerk-app',
  'next-authjs-app',
  'supabase-project',
  'prisma-tenant-app',
  'sql-tenant-app',
];

describe.each(FIXTURE_APPS)('fixture %s', (name) => {
  let repo: ReturnType<typeof fixtureRepo>;
  let result: CheckResult;
  beforeAll(async () => {
    repo = fixtureRepo(name);
    result = await runCheck({ preset: 'strict', cwd: repo.dir, cache: false });
  }, 120_000);
  afterAll(() => repo.cleanup());

  it('reports every marked finding and nothing else', () => {
    const expected = expectedFindings(repo.dir).filter((e) => ANALYZER_RULES.has(e.ruleId));
    expect(expected.length).toBeGreaterThan(0);
    expect(analyzerFindings(result)).toEqual(expected);
  });

  it('reads every file without errors', () => {
    expect(result.errors).toEqual([]);
  });

  it('gives every finding a message with what, why and how, and a stable fingerprint', () => {
    for (const finding of result.findings) {
      expect(finding.message.length).toBeGreaterThan(80);
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(result.findings.length);
  });
});

describe('route inventory', () => {
  let rows: RouteRow[];
  let nextRows: RouteRow[];
  let repo: ReturnType<typeof fixtureRepo>;
  let nextRepo: ReturnType<typeof fixtureRepo>;
  beforeAll(async () => {
    repo = fixtureRepo('express-app');
    nextRepo = fixtureRepo('next-app');
    rows = await listRoutes(repo.dir);
    nextRows = await listRoutes(nextRepo.dir);
  }, 120_000);
  afterAll(() => {
    repo.cleanup();
    nextRepo.cleanup();
  });
  const find = (list: RouteRow[], method: string, path: string): RouteRow => {
    const row = list.find((r) => r.method === method && r.path === path);
    if (row === undefined)
      throw new Error(`no route ${method} ${path} in ${JSON.stringify(list.map((r) => `${r.method} ${r.path}`))}`);
    return row;
  };

  it('joins mounted routers to their prefix and carries the mount middleware', () => {
    expect(find(rows, 'GET', '/api/users')).toMatchObject({
      file: 'src/routes/users.ts',
      guard: expect.stringContaining('requireAuth'),
    });
    expect(find(rows, 'PATCH', '/api/users/:id').guard).toContain('src/auth/guards.ts');
  });

  it('applies router.use() guards only to routes registered after them', () => {
    expect(find(rows, 'POST', '/api/admin/reindex').guard).toBeNull();
    expect(find(rows, 'DELETE', '/api/admin/users/:id').guard).toContain('requireRole');
  });

  it('follows a handler into a helper in another file that reads the session and throws 401', () => {
    expect(find(rows, 'POST', '/reports').guard).toContain('currentUserOrThrow (src/auth/session.ts');
  });

  it('knows package middleware (hono/jwt) and path-scoped use()', () => {
    expect(find(rows, 'POST', '/api/items').guard).toContain('hono/jwt');
    expect(find(rows, 'DELETE', '/open/items/:id').guard).toBeNull();
  });

  it('records public reasons and data access', () => {
    expect(find(rows, 'POST', '/api/signup').public).toMatch(/marketing sign-up form/);
    expect(find(rows, 'GET', '/health')).toMatchObject({ guard: null, readsOrChangesData: false });
    expect(find(rows, 'GET', '/health').public).toMatch(/public by nature/);
    expect(find(rows, 'GET', '/api/posts').readsOrChangesData).toBe(true);
  });

  it('lists Next.js route handlers, Server Actions, Pages API routes and middleware matchers', () => {
    expect(find(nextRows, 'POST', '/api/billing').guard).toContain('middleware redirect to sign-in (middleware.ts:6)');
    expect(find(nextRows, 'POST', '/api/posts').guard).toBeNull();
    expect(find(nextRows, 'GET', '/api/posts').guard).toContain('a check in the handler');
    expect(find(nextRows, 'DELETE', '/api/admin').guard).toContain('requireAdmin (lib/auth.ts');
    expect(find(nextRows, 'POST', 'action:deletePost').guard).toBeNull();
    expect(find(nextRows, 'POST', 'action:renamePost').guard).not.toBeNull();
    expect(find(nextRows, 'ALL', '/api/legacy').file).toBe('pages/api/legacy.ts');
    expect(find(nextRows, 'POST', '/api/webhook/stripe').webhook).toBe(true);
  });
});

describe('route inventory of wrapped Next.js middleware', () => {
  it('names the Clerk protect() for routes in the route matcher and leaves the others open', async () => {
    const rows = await listRoutes(join(FIXTURES, 'next-clerk-app'));
    const guard = (method: string, path: string): string | null | undefined =>
      rows.find((row) => row.method === method && row.path === path)?.guard;
    expect(guard('POST', '/api/orders')).toBe('clerkMiddleware auth.protect() (middleware.ts:7)');
    expect(guard('DELETE', '/api/orders/[id]')).toBe('clerkMiddleware auth.protect() (middleware.ts:7)');
    expect(guard('POST', '/dashboard/api')).toBe('clerkMiddleware auth.protect() (middleware.ts:7)');
    expect(guard('POST', '/api/products')).toBeNull();
    expect(guard('GET', '/api/export')).toBeNull();
    expect(guard('PATCH', '/api/profile')).toBe('protect (@clerk/nextjs/server)');
    expect(guard('POST', '/api/cart')).toBe('a check in the handler (app/api/cart/route.ts:7)');
  });

  it('follows export { auth as middleware } into the authorized callback of the spread config', async () => {
    const rows = await listRoutes(join(FIXTURES, 'next-authjs-app'));
    const guard = (method: string, path: string): string | null | undefined =>
      rows.find((row) => row.method === method && row.path === path)?.guard;
    expect(guard('POST', '/api/invoices')).toBe('Auth.js authorized callback returns false (auth.config.ts:12)');
    expect(guard('PUT', '/dashboard/settings')).toBe('Auth.js authorized callback returns false (auth.config.ts:12)');
    expect(guard('POST', '/api/feedback')).toBeNull();
  });
});

describe('no-committed-secrets over a git repository', () => {
  const stripeKey = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc9Qx'].join('_');
  let repo: ReturnType<typeof fixtureRepo>;
  let result: CheckResult;
  beforeAll(async () => {
    repo = fixtureRepo('supabase-project', {
      '.env': `# FINDING no-committed-secrets\nSTRIPE_SECRET_KEY=${stripeKey}\nPUBLIC_SITE_NAME=Fixture\n`,
      '.gitignore': '.env.local\n',
      'config/settings.json': `{\n  "service": { "apiKey": "Zq8#vL2pW9!xR4tY" },\n  "label": "API key",\n  "passwordField": "pw"\n}\n`,
      'config/app.yaml': `database:\n  password: \${DB_PASSWORD}\n  host: db.internal\n`,
      'src/config.ts': `export const config = { jwtSecret: 'q8Yt#2vLp9!sWmZ4', stripe: '${stripeKey}' };\n`,
    });
    // Not tracked: ignored by .gitignore, so it never reaches the repository.
    writeFileSync(join(repo.dir, '.env.local'), `STRIPE_SECRET_KEY=${stripeKey}\n`);
    result = await runCheck({ preset: 'strict', cwd: repo.dir, cache: false });
  }, 120_000);
  afterAll(() => repo.cleanup());

  it('reports tracked env and config files, never the values, and stays quiet on placeholders and untracked files', () => {
    const secrets = result.findings.filter((f) => f.ruleId === 'no-committed-secrets');
    expect(secrets.map((f) => `${f.file}:${String(f.line)}`).sort()).toEqual(['.env:2', 'config/settings.json:2']);
    for (const finding of secrets) expect(finding.message).not.toContain(stripeKey);
    expect(JSON.stringify(result)).not.toContain(stripeKey);
  });

  it('rates a name-based guess below a provider-shaped key (messageSeverity)', () => {
    const inSource = result.findings.filter((f) => f.ruleId === 'no-hardcoded-secrets' && f.file === 'src/config.ts');
    expect(inSource.map((f) => `${String(f.column)}:${f.severity}`).sort()).toEqual(['36:high', '64:critical']);
  });
});

describe('require-rls outside Supabase', () => {
  it('holds plain migrations/ to RLS only when portcullis.config.json lists exposed schemas', async () => {
    const { mkdtempSync, mkdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-rls-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'migrations', '0000_db_init.sql'), 'create table public.items (id int primary key);\n');
      const plain = await runCheck({ preset: 'strict', cwd: dir, cache: false });
      expect(plain.findings.filter((f) => f.ruleId === 'require-rls')).toEqual([]);
      writeFileSync(join(dir, 'portcullis.config.json'), '{ "exposedSchemas": ["public"] }\n');
      const exposed = await runCheck({ preset: 'strict', cwd: dir, cache: false });
      expect(
        exposed.findings.filter((f) => f.ruleId === 'require-rls').map((f) => `${f.file}:${String(f.line)}`),
      ).toEqual(['migrations/0000_db_init.sql:1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no-server-secret-in-client-bundle with a Vite front end', () => {
  it('follows imports from the entry index.html names', async () => {
    const { mkdtempSync, mkdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-vite-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'vite.config.ts'), 'export default {};\n');
      writeFileSync(
        join(dir, 'index.html'),
        '<div id="root"></div><script type="module" src="/src/main.tsx"></script>\n',
      );
      writeFileSync(
        join(dir, 'src', 'main.tsx'),
        "import { render } from './render';\nimport { api } from './api';\nimport { Settings } from './settings';\nimport { env } from './env';\nrender(api as Settings, env);\n",
      );
      // Issue #14 look-alikes: a type-only named import (erased by TypeScript) and a split validated env.
      writeFileSync(
        join(dir, 'src', 'settings.ts'),
        'export type Settings = { theme: string };\nexport function load() { return process.env.DATABASE_URL; }\n',
      );
      writeFileSync(
        join(dir, 'src', 'env.ts'),
        "import { createEnv } from '@t3-oss/env-core';\nexport const env = createEnv({ server: {}, runtimeEnv: { STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY } });\n",
      );
      writeFileSync(
        join(dir, 'src', 'render.ts'),
        'export function render(value: unknown) { return String(value); }\n',
      );
      writeFileSync(join(dir, 'src', 'api.ts'), "import { client } from './client';\nexport const api = client;\n");
      writeFileSync(
        join(dir, 'src', 'client.ts'),
        'export const client = { key: import.meta.env.OPENAI_API_KEY, url: import.meta.env.VITE_API_URL };\n',
      );
      const result = await runCheck({ preset: 'strict', cwd: dir, cache: false });
      const found = result.findings.filter((f) => f.ruleId === 'no-server-secret-in-client-bundle');
      expect(found.map((f) => `${f.file}:${String(f.line)}`)).toEqual(['src/main.tsx:2']);
      expect(found[0]?.message).toContain('src/api.ts → src/client.ts');
      expect(found[0]?.message).toContain('OPENAI_API_KEY');
      expect(found[0]?.message).not.toContain('VITE_API_URL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
