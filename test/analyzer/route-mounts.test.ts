/**
 * Route paths through mounts (issue 16): a router that a mounted call returns gets the mount's prefix
 * (`app.use('/api', apiRoutes(services))`, Hono `app.route('/api', apiRoutes(services))`); a router
 * handed to a parameter of the same name in the same file stays one router; routes registered in
 * test files are not part of the app's inventory. Each case is a small app written to disk and read
 * through `portcullis routes`; the generated apps themselves are checked in generated-app-routes.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { UnresolvedRouteEntry } from '../../src/analyzer/routes.js';
import { listRouteInventory, type RouteRow } from '../../src/cli/commands/routes.js';

const TSCONFIG = '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" } }\n';

async function inventory(
  files: Record<string, string>,
): Promise<{ rows: RouteRow[]; unresolved: UnresolvedRouteEntry[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-mounts-'));
  try {
    for (const [file, text] of Object.entries({ 'tsconfig.json': TSCONFIG, ...files })) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const { routes, unresolved } = await listRouteInventory(dir);
    return { rows: routes, unresolved };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const paths = (rows: readonly RouteRow[]): string[] =>
  rows.map((row) => `${row.method} ${row.path} ${row.file}`).sort();

const EXPRESS_API = `import express, { type Router } from 'express';
import { requireUser } from './guard.js';

export function apiRoutes(db: { query(sql: string): Promise<unknown> }): Router {
  const router = express.Router();
  router.use(requireUser);
  router.get('/orders', async (_req, res) => {
    res.json(await db.query('SELECT * FROM orders'));
  });
  return router;
}
`;
const GUARD = `import type { NextFunction, Request, Response } from 'express';
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  const session = (req as unknown as { session?: { user?: string } }).session;
  if (!session?.user) {
    res.status(401).end();
    return;
  }
  next();
}
`;

describe('a router a mounted call returns', () => {
  it('Express: app.use(prefix, factory(...)) lists the full path, with the factory router middleware as guard', async () => {
    const { rows, unresolved } = await inventory({
      'src/guard.ts': GUARD,
      'src/api.ts': EXPRESS_API,
      'src/app.ts': `import express from 'express';
import { apiRoutes } from './api.js';
const app = express();
app.use('/api/v1', apiRoutes({ query: async () => [] }));
export default app;
`,
    });
    expect(unresolved).toEqual([]);
    expect(paths(rows)).toEqual(['GET /api/v1/orders src/api.ts']);
    expect(rows[0]!.guard).toMatch(/^requireUser/);
  });

  it('Hono: app.route(prefix, factory(...)) lists the full path', async () => {
    const { rows } = await inventory({
      'src/api.ts': `import { Hono } from 'hono';
export function apiRoutes(): Hono {
  const api = new Hono();
  api.get('/me', (c) => c.json({}));
  return api;
}
`,
      'src/app.ts': `import { Hono } from 'hono';
import { apiRoutes } from './api.js';
export const app = new Hono();
app.route('/api', apiRoutes());
`,
    });
    expect(paths(rows)).toEqual(['GET /api/me src/api.ts']);
  });

  it('a call that returns something other than a router mounts nothing under the prefix', async () => {
    const { rows } = await inventory({
      'src/app.ts': `import express from 'express';
function limiter(): (req: unknown, res: unknown, next: () => void) => void {
  const handler = (_req: unknown, _res: unknown, next: () => void): void => next();
  return handler;
}
const app = express();
app.use('/api', limiter());
app.get('/api/ping', (_req, res) => { res.send('pong'); });
`,
    });
    expect(paths(rows)).toEqual(['GET /api/ping src/app.ts']);
  });
});

describe('a router handed to a parameter of the same name', () => {
  it('keeps the routes a function registers on `app` when createApp passes its own `app`', async () => {
    const { rows, unresolved } = await inventory({
      'src/app.ts': `import express, { type Express } from 'express';
export function registerModules(app: Express): void {
  app.get('/health', (_req, res) => { res.json({ ok: true }); });
}
export function createApp(): Express {
  const app = express();
  registerModules(app);
  return app;
}
`,
    });
    expect(unresolved).toEqual([]);
    expect(paths(rows)).toEqual(['GET /health src/app.ts']);
  });
});

describe('routes registered in tests', () => {
  it('are not part of the inventory (*.test.ts, test/, __tests__/)', async () => {
    const testApp = (path: string): string => `import express from 'express';
const app = express();
app.get('${path}', (_req, res) => { res.send('x'); });
export default app;
`;
    const { rows } = await inventory({
      'src/app.ts': testApp('/real'),
      'src/app.test.ts': testApp('/from-a-test'),
      'test/helpers.ts': testApp('/from-test-folder'),
      'src/__tests__/server.ts': testApp('/from-dunder-tests'),
    });
    expect(paths(rows)).toEqual(['GET /real src/app.ts']);
  });
});
