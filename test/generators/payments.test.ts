import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GENERATORS, OptionsError, type AppContext } from '../../generators/index.js';
import { normalizePaymentsOptions, paymentsGenerator } from '../../generators/payments/index.js';
import { webhookGenerator } from '../../generators/webhook/index.js';
import { addModule } from '../../src/generate/commands.js';
import { renderGenerator } from '../../src/generate/render.js';
import {
  lintGenerated,
  REPO_ROOT,
  scaffoldAppForTest,
  type ScaffoldedFullApp,
  typecheck,
  optionsErrorOf,
} from '../helpers/generated-app.js';

const exec = promisify(execFile);
const VITEST = join(REPO_ROOT, 'node_modules', '.bin', 'vitest');
const EXPRESS: AppContext = { framework: 'express', db: 'pglite', modules: ['db', 'webhook', 'payments'] };

function optionError(input: Record<string, unknown>): OptionsError {
  return optionsErrorOf(() => normalizePaymentsOptions(input, EXPRESS), input);
}

describe('payments generator: options', () => {
  it('is registered after the webhook module it builds on', () => {
    expect(GENERATORS).toContain(paymentsGenerator);
    expect(paymentsGenerator.requires).toEqual(['db', 'webhook']);
    expect(GENERATORS.indexOf(paymentsGenerator)).toBeGreaterThan(GENERATORS.indexOf(webhookGenerator));
  });

  it('defaults to USD and names a bad option with its allowed shape', () => {
    expect(normalizePaymentsOptions({}, EXPRESS)).toEqual({ currency: 'usd', express: true, hono: false });
    expect(optionError({ currency: 'USD' })).toMatchObject({
      option: 'currency',
      message: expect.stringContaining('lower-case ISO 4217'),
    });
    expect(optionError({ currency: 'us' }).option).toBe('currency');
    expect(optionError({ amount: 5 })).toMatchObject({
      option: 'amount',
      message: expect.stringContaining('Unknown option'),
    });
    for (const [name, schema] of Object.entries(paymentsGenerator.schema.properties)) {
      expect(schema.description.length, name).toBeGreaterThan(20);
      expect(schema.default, name).toBeDefined();
    }
  });

  it('renders the ledger under row-level security only when tenancy is in the app, granting the tenancy role', async () => {
    const options = normalizePaymentsOptions({}, EXPRESS);
    const plain = await renderGenerator(paymentsGenerator, options, EXPRESS);
    const tenant: AppContext = {
      ...EXPRESS,
      modules: ['db', 'tenancy', 'webhook', 'payments'],
      moduleOptions: { tenancy: { appRole: 'shop_tenant' } },
    };
    const scoped = await renderGenerator(paymentsGenerator, options, tenant);
    const ledger = (files: typeof plain): string =>
      files.find((file) => file.path === 'migrations/0600_payments_ledger.sql')!.content;
    expect(ledger(plain)).not.toContain('ROW LEVEL SECURITY');
    expect(ledger(scoped)).toContain('ALTER TABLE ledger_postings FORCE ROW LEVEL SECURITY');
    expect(ledger(scoped)).toContain(
      'GRANT SELECT, INSERT ON ledger_accounts, ledger_transactions, ledger_postings TO "shop_tenant"',
    );
    expect(ledger(scoped)).not.toMatch(/GRANT[^;]*(UPDATE|DELETE|TRUNCATE)[^;]*ledger_/);
    expect(paymentsGenerator.actions(options, tenant)).toEqual(paymentsGenerator.actions(options, tenant));
  });
});

// Every module on Express and Hono (typecheck, own tests including payments', lint, `npm run pilot` with its
// payment step on PostgreSQL and on PGlite, regeneration) is the contract test's: not repeated here. This
// suite holds payments alone — the webhook module it requires, nothing else — to the same contract.
const cases = [{ label: 'hono, payments alone', framework: 'hono' as const, runs: [[paymentsGenerator, {}]] as const }];

describe.each(cases)('payments generator: generated app ($label)', ({ framework, runs }) => {
  let app: ScaffoldedFullApp;
  beforeAll(async () => {
    app = await scaffoldAppForTest(`payments-${framework}`, runs, framework);
  }, 120_000);
  afterAll(async () => {
    await app.remove();
  });

  it('writes the module with the webhook module it requires', () => {
    expect(app.result.conflicts).toEqual([]);
    expect(app.result.created).toEqual(
      expect.arrayContaining([
        'migrations/0600_payments_ledger.sql',
        'migrations/0601_payments_state.sql',
        'src/payments/README.md',
        'src/payments/ledger.ts',
        `src/payments/${framework}.ts`,
        'src/webhooks/endpoints.ts',
      ]),
    );
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await typecheck(app.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 240_000);

  it('passes its own payments tests', async () => {
    const { stdout, stderr } = await exec(VITEST, ['run', '--root', app.dir, 'src/payments'], {
      cwd: app.dir,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout: string; stderr: string }) => error);
    const output = stripVTControlCharacters(stdout + stderr);
    expect(output).toMatch(/Test Files\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  }, 600_000);

  it('lints clean under Portcullis (no-float-money and no-raw-card-data quiet)', async () => {
    const result = await lintGenerated(app.dir);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
  }, 240_000);

  it('changes nothing when payments is added again', async () => {
    const again = await addModule({ cwd: app.dir, generator: 'payments', options: {} });
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.conflicts).toEqual([]);
  }, 120_000);
});
