/**
 * `portcullis routes` on the app `new --modules all` writes (issue 16), Express and Hono: the API
 * routes mounted under `/api` are listed with their full path, the modules' own tests register no
 * route in the inventory, and every route is guarded, public by nature, or a signed webhook.
 */
import { describe, expect, it } from 'vitest';

import { listRouteInventory } from '../../src/cli/commands/routes.js';
import { newApp } from '../../src/generate/commands.js';
import { tempDir } from './fixtures.js';

describe.each(['express', 'hono'] as const)('routes of a new %s app with every module', (framework) => {
  it('lists full paths, no test routes, and nothing unguarded', { timeout: 300_000 }, async () => {
    const tmp = await tempDir(`routes-${framework}`);
    try {
      const result = await newApp({ dir: 'app', cwd: tmp.dir, framework, modules: 'all' });
      expect(result.conflicts).toEqual([]);
      const { routes, unresolved } = await listRouteInventory(`${tmp.dir}/app`);
      expect(unresolved).toEqual([]);
      const listed = routes.map((row) => `${row.method} ${row.path}`).sort();
      expect(listed).toEqual(
        [
          'GET /api/me',
          'GET /api/projects',
          'POST /api/projects',
          'GET /api/projects/:id',
          'DELETE /api/projects/:id',
          'GET /api/admin/audit/report',
          'POST /api/admin/keys/rotate',
          'POST /api/admin/keys/kek/rotate',
          'POST /api/payments/checkout',
          'GET /api/payments/:id',
          'POST /api/payments/:id/refund',
          'GET /health',
          'POST /webhooks/<endpoint.path>',
        ].sort(),
      );
      expect(routes.filter((row) => /\.test\.ts$|(^|\/)(test|__tests__)\//.test(row.file))).toEqual([]);
      for (const row of routes) {
        if (row.path.startsWith('/api/')) expect(row.guard, row.path).not.toBeNull();
        else expect(row.public !== null || row.webhook, row.path).toBe(true);
      }
    } finally {
      await tmp.remove();
    }
  });
});
