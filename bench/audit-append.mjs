// Benchmark (not a test): audit appends per second on the generated audit module, sequential and
// with concurrent writers on one chain (the contended case) and spread over tenants. Embedded PGlite
// always; PostgreSQL through a pool too when PORTCULLIS_TEST_PG_URL is set.
// Run after `npm run build`: node bench/audit-append.mjs [events-per-run]
import { generateKeyPairSync } from 'node:crypto';
import { rm } from 'node:fs/promises';

import { compileGenerated, loadBuilt } from './generated-module.mjs';

const { dbGenerator } = await loadBuilt('dist/generators/db/index.js');
const { auditGenerator } = await loadBuilt('dist/generators/audit/index.js');
const EVENTS = Number(process.argv[2] ?? 1_000);
const PG_URL = process.env.PORTCULLIS_TEST_PG_URL;

async function build() {
  const app = { framework: 'express', db: 'pglite', modules: ['db', 'audit'] };
  const { dir, load } = await compileGenerated(
    'audit',
    [
      [dbGenerator, {}],
      [auditGenerator, auditGenerator.normalizeOptions({}, app)],
    ],
    app,
  );
  return { dir, audit: await load('audit/index.js'), testing: await load('audit/testing.js') };
}

async function measure(label, log, writers, tenants) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < EVENTS) {
        const index = next++;
        await log.append({
          action: 'authz.decision',
          outcome: 'success',
          decision: 'allow',
          actor: `user-${index}`,
          tenantId: `tenant-${index % tenants}`,
          resource: `document:${index}`,
          requestId: `req-${index}`,
          metadata: { requestedAction: 'document.read', ip: '203.0.113.7' },
        });
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${label.padEnd(44)} ${Math.round(EVENTS / elapsed)
      .toLocaleString('en-US')
      .padStart(8)} appends/s  (${EVENTS} in ${elapsed.toFixed(2)} s)`,
  );
}

const { dir, audit, testing } = await build();
const { privateKey } = generateKeyPairSync('ed25519');
try {
  const engines = [['pglite', async () => ({ db: await testing.openPgliteAuditDatabase(), drop: null })]];
  if (PG_URL) engines.push(['postgres pool(10)', () => testing.openPostgresAuditDatabase(PG_URL, 10)]);
  for (const [name, open] of engines) {
    const { db, drop } = await open();
    try {
      const log = audit.createAuditLog({ db, signingKey: privateKey, hashKey: 'bench' });
      await measure(`${name}: 1 writer, 1 chain`, log, 1, 1);
      await measure(`${name}: 16 writers, 1 chain (contended)`, log, 16, 1);
      await measure(`${name}: 16 writers, 16 tenant chains`, log, 16, 16);
      const started = process.hrtime.bigint();
      const result = await log.verify();
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `${`${name}: verifyAuditLog()`.padEnd(44)} ${Math.round(result.events / elapsed)
          .toLocaleString('en-US')
          .padStart(8)} events/s  (ok=${result.ok})`,
      );
    } finally {
      if (drop) await drop();
      else await db.close();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
