// Benchmark (not a test): policy decisions per second for the typed and the Cedar engine of the
// generated rbac module. Run after `npm run build`: node bench/authz-decisions.mjs [seconds-per-engine]
import { rm } from 'node:fs/promises';

import { compileGenerated, loadBuilt } from './generated-module.mjs';

const { rbacGenerator } = await loadBuilt('dist/generators/rbac/index.js');
const SECONDS = Number(process.argv[2] ?? 2);

/** Renders the module, compiles it with the repository's TypeScript, and imports the compiled index. */
async function build(engine) {
  const app = { framework: 'express', db: 'pglite', modules: ['rbac'] };
  const { dir, load } = await compileGenerated(
    `authz-${engine}`,
    [[rbacGenerator, rbacGenerator.normalizeOptions({ engine }, app)]],
    app,
    { assets: engine === 'cedar' ? ['authz/policies'] : [] },
  );
  return { dir, module: await load('authz/index.js') };
}

const A = 'tenant-a';
const admin = { id: 'alice', tenantId: A, roles: ['admin'], attributes: { department: 'finance' } };
const member = { id: 'bob', tenantId: A, roles: ['member'], attributes: { department: 'finance' } };
const doc = {
  type: 'document',
  id: 'd1',
  tenantId: A,
  ownerId: 'bob',
  department: 'finance',
  sensitivity: 'confidential',
};
// A realistic mix: allows, ABAC allows, forbids, cross-tenant and default denies.
const CASES = [
  [member, 'document.read', doc],
  [member, 'document.update', doc],
  [member, 'document.delete', { ...doc, ownerId: 'carol' }],
  [admin, 'member.role.update', { type: 'member', id: 'bob', tenantId: A }],
  [admin, 'member.role.update', { type: 'member', id: 'alice', tenantId: A }],
  [admin, 'document.read', { ...doc, tenantId: 'tenant-b' }],
  [member, 'tenant.settings.update', { type: 'tenant', id: A, tenantId: A }],
  [admin, 'document.publish', doc],
];

for (const engineName of ['typed', 'cedar']) {
  const { dir, module } = await build(engineName);
  try {
    const engine = engineName === 'typed' ? module.createTypedEngine() : module.createCedarEngine();
    const authorizer = module.createAuthorizer({ engine });
    for (let index = 0; index < 2_000; index += 1) engine.decide(...CASES[index % CASES.length]);
    let decisions = 0;
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(SECONDS * 1e9);
    while (process.hrtime.bigint() < deadline)
      for (const [principal, action, resource] of CASES) {
        await authorizer.authorize(principal, action, resource);
        decisions += 1;
      }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `${engineName.padEnd(6)} ${Math.round(decisions / elapsed)
        .toLocaleString('en-US')
        .padStart(12)} decisions/s  (${decisions} in ${elapsed.toFixed(2)} s, authorize() without an audit sink)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
