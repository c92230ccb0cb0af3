/**
 * The composition root (issue 16): the app generator owns src/services.ts and src/mount.ts and
 * renders them again whenever a module is added, so `add` wires the module in; a root the user
 * edited is never overwritten; re-running changes nothing. And the generated app's dependency on
 * portcullis points at what generated it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { composition } from '../../generators/app/composition.js';
import { portcullisSpecifier } from '../../generators/pins.js';
import { generate, type GenerateOptions } from '../../src/generate/engine.js';
import { tempDir } from './fixtures.js';

let tmp: { dir: string; remove(): Promise<void> };
let app: string;
beforeEach(async () => {
  tmp = await tempDir('composition');
  app = join(tmp.dir, 'app');
});
afterEach(async () => {
  await tmp.remove();
});

const run = (generators: GenerateOptions['generators'], extra: Partial<GenerateOptions> = {}) =>
  generate({ target: app, generators, ...extra });
const read = (path: string): Promise<string> => readFile(join(app, path), 'utf8');

// Rendering and formatting a whole app takes seconds; generous limits keep a loaded machine from failing it.
describe('composition root', { timeout: 180_000 }, () => {
  it('wires a module added later into services and mount, webhooks before the body parser', async () => {
    await run([{ generator: 'app', options: { framework: 'express' } }]);
    expect(await read('src/mount.ts')).not.toContain('webhookRouter');
    expect(await read('src/services.ts')).not.toContain('migrate(db)');

    const added = await run([{ generator: 'webhook' }]);
    expect(added.conflicts).toEqual([]);
    expect(added.updated).toEqual(expect.arrayContaining(['src/mount.ts', 'src/services.ts', 'src/config.ts']));
    expect(added.generators.map((g) => g.name)).toEqual(['db', 'webhook']);
    const mount = await read('src/mount.ts');
    const webhooks = mount.indexOf('app.use(webhookRouter(');
    const parser = mount.indexOf('app.use(express.json(');
    expect(webhooks).toBeGreaterThan(-1);
    expect(parser).toBeGreaterThan(webhooks);
    expect(await read('src/services.ts')).toContain('await migrate(db);');
    expect(await read('src/config.ts')).toContain('webhooks: read(() => createEndpoints(env))');
    expect(await read('src/dev/secrets.ts')).toContain('WEBHOOK_SECRETS');
    // The root wires it: no hand-wiring in the next steps.
    expect(added.nextSteps.join('\n')).not.toContain('Mount the endpoints in your app entry');
    expect(added.nextSteps).toContain(
      'src/mount.ts mounts the endpoints before any body parser; src/services.ts runs the migrations at start-up.',
    );

    const again = await run([{ generator: 'webhook' }]);
    expect([...again.created, ...again.updated]).toEqual([]);
    expect(again.conflicts).toEqual([]);
  });

  it('mounts authentication before the API and tenant context inside it (Hono)', async () => {
    await run([
      { generator: 'app', options: { framework: 'hono' } },
      { generator: 'auth' },
      { generator: 'rbac' },
      { generator: 'tenancy' },
      { generator: 'audit' },
    ]);
    const mount = await read('src/mount.ts');
    expect(mount.indexOf('authRoutes(services.auth)')).toBeLessThan(mount.indexOf('authenticate(services.auth)'));
    expect(mount.indexOf('authenticate(services.auth)')).toBeLessThan(mount.indexOf("app.route('/api'"));
    const api = await read('src/api.ts');
    expect(api.indexOf("api.use('*', requireAuth())")).toBeLessThan(api.indexOf('tenancyMiddleware(services.db)'));
    expect(api).toContain("guards.requireRole('admin')");
    expect(api).toContain('requireStepUp(services.auth)');
    const services = await read('src/services.ts');
    const order = ['await migrate(db)', 'openAuditLog(db', 'createAuth(', 'createAuthorizer('].map((s) =>
      services.indexOf(s),
    );
    expect(order.every((index) => index > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts).toMatchObject({
      dev: expect.any(String),
      pilot: expect.stringContaining('dist/pilot/index.js'),
    });
  });

  it('creates the keys service after the audit log and before auth, and mounts KEK rotation for admins', async () => {
    await run([
      { generator: 'app', options: { framework: 'express' } },
      { generator: 'auth' },
      { generator: 'rbac' },
      { generator: 'audit' },
    ]);
    const added = await run([{ generator: 'keys', options: { signedRequests: false } }]);
    expect(added.conflicts).toEqual([]);
    expect(added.updated).toEqual(
      expect.arrayContaining(['src/services.ts', 'src/config.ts', 'src/api.ts', 'src/pilot/steps.ts']),
    );
    const services = await read('src/services.ts');
    const order = ['await migrate(db)', 'openAuditLog(db', 'createKeyService(', 'createAuth(', 'createAuthorizer('].map(
      (s) => services.indexOf(s),
    );
    expect(order.every((index) => index > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(services).toContain('audit });');
    expect(await read('src/config.ts')).toContain('keys: read(() => loadKeysConfig(env))');
    const api = await read('src/api.ts');
    const route = api.indexOf("'/admin/keys/kek/rotate'");
    expect(route).toBeGreaterThan(-1);
    expect(api.indexOf("guards.requireRole('admin')", route)).toBeGreaterThan(route);
    expect(api.indexOf('requireStepUp(services.auth)', route)).toBeGreaterThan(route);
    expect(await read('src/pilot/steps.ts')).toContain('Rotate keys: KEK rotated');
    const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['keys:rotate']).toBe('node dist/keys/rotate-cli.js');
    const again = await run([{ generator: 'keys', options: { signedRequests: false } }]);
    expect([...again.created, ...again.updated]).toEqual([]);
  });

  it('add webhook --provider github into an app with a Stripe endpoint adds GitHub and keeps Stripe', async () => {
    await run([{ generator: 'app', options: { framework: 'express' } }, { generator: 'webhook' }]);
    const result = await run([{ generator: 'webhook', options: { provider: ['github'] } }]);
    expect(result.conflicts).toEqual([]);
    expect(result.generators[0]!.options).toMatchObject({ providers: ['stripe', 'github'] });
    const endpoints = await read('src/webhooks/endpoints.ts');
    expect(endpoints).toContain("path: '/webhooks/stripe'");
    expect(endpoints).toContain("path: '/webhooks/github'");
    expect(result.created).toContain('src/webhooks/handlers/github.ts');
    expect(await read('src/webhooks/handlers/stripe.ts')).toContain('handleStripeEvent');
    // Asking again for what the app has changes nothing.
    const again = await run([{ generator: 'webhook', options: { provider: ['stripe'] } }]);
    expect([...again.created, ...again.updated]).toEqual([]);
  });

  it('never overwrites a composition file the user edited: a conflict with a diff, and nothing else written', async () => {
    await run([{ generator: 'app', options: { framework: 'express' } }, { generator: 'db' }]);
    const edited = `${await read('src/mount.ts')}// my own mount tweak\n`;
    await writeFile(join(app, 'src/mount.ts'), edited);
    const result = await run([{ generator: 'webhook' }]);
    expect(await read('src/mount.ts')).toBe(edited);
    expect(result.conflicts.map((conflict) => conflict.path)).toEqual(['src/mount.ts']);
    expect(result.conflicts[0]!.diff).toContain('+  app.use(webhookRouter(');
    // No half-applied module: the webhook files, config and services wait until the conflict is resolved.
    expect(result.written).toBe(false);
    expect(await read('src/config.ts')).not.toContain('createEndpoints(env)');
    expect(existsSync(join(app, 'src/webhooks/index.ts'))).toBe(false);
    // --force writes everything, the new mount.ts beside the edited one.
    const forced = await run([{ generator: 'webhook' }], { force: true });
    expect(forced.written).toBe(true);
    expect(await read('src/mount.ts')).toBe(edited);
    expect(await read('src/mount.ts.portcullis-new')).toContain('app.use(webhookRouter(');
    expect(await read('src/config.ts')).toContain('createEndpoints(env)');
  });
});

describe('composition()', () => {
  it('derives the sample API from the modules and their options', () => {
    const all = { framework: 'express' as const, db: 'pglite' as const };
    const full = composition({ ...all, modules: ['audit', 'auth', 'db', 'rbac', 'tenancy', 'webhook'] });
    expect(full).toMatchObject({ projects: true, stepUp: true, auditReport: true, keyRotation: true, pilot: true });
    const noMfa = composition({
      ...all,
      modules: ['auth', 'db', 'rbac', 'tenancy'],
      moduleOptions: { auth: { mfa: false } },
    });
    expect(noMfa).toMatchObject({ projects: true, stepUp: false, mfa: false, auditReport: false });
    const otherTables = composition({
      ...all,
      modules: ['auth', 'db', 'rbac', 'tenancy'],
      moduleOptions: { tenancy: { tables: ['invoices'] } },
    });
    expect(otherTables.projects).toBe(false);
    expect(composition({ ...all, modules: [] })).toMatchObject({ db: false, auth: false, api: false, pilot: false });
    expect(composition({ ...all, modules: ['keys'] })).toMatchObject({ db: true, keys: true, kekRotation: false });
    expect(composition({ ...all, modules: ['auth', 'db', 'keys', 'rbac'] })).toMatchObject({
      keys: true,
      kekRotation: true,
    });
    expect(full).toMatchObject({ keys: false, kekRotation: false });
  });
});

describe('portcullisSpecifier', () => {
  it('names the checkout when Portcullis runs from one', () => {
    expect(portcullisSpecifier('/home/me/portcullis', '1.2.3')).toBe('file:/home/me/portcullis');
  });

  it('names the registry version when installed from the registry', async () => {
    const project = join(tmp.dir, 'project');
    await mkdir(join(project, 'node_modules', 'portcullis'), { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ devDependencies: { portcullis: '^1.2.0' } }));
    expect(portcullisSpecifier(join(project, 'node_modules', 'portcullis'), '1.2.3')).toBe('1.2.3');
    // npx: no project package.json names it.
    expect(portcullisSpecifier(join(tmp.dir, 'npx', 'node_modules', 'portcullis'), '1.2.3')).toBe('1.2.3');
  });

  it('names the same tarball or folder, as an absolute path, when installed from one', async () => {
    const project = join(tmp.dir, 'project');
    await mkdir(join(project, 'node_modules', 'portcullis'), { recursive: true });
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ devDependencies: { portcullis: 'file:../portcullis-1.2.3.tgz' } }),
    );
    expect(portcullisSpecifier(join(project, 'node_modules', 'portcullis'), '1.2.3')).toBe(
      `file:${join(tmp.dir, 'portcullis-1.2.3.tgz')}`,
    );
  });

  it('is what a new app depends on', async () => {
    await run([{ generator: 'app', options: { framework: 'express' } }]);
    const pkg = JSON.parse(await read('package.json')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies.portcullis).toBe(portcullisSpecifier());
  });
});
