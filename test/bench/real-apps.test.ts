/**
 * The comparison logic of `npm run bench:real` (bench/real-apps/compare.mjs) on small hand-made
 * reports, ledgers and recall sets: verdict matching by fingerprint, strict precision, recall by
 * category and location, stale entries, failures, and the rendered results and README section.
 */
import { describe, expect, it } from 'vitest';

import {
  evaluateApp,
  findsItem,
  ledgerProblems,
  matchLedger,
  matchRecall,
  perTenThousandLines,
  precision,
  README_END,
  README_START,
  renderReadmeSection,
  renderResults,
  replaceReadmeSection,
  summarize,
  type ReportFinding,
} from '../../bench/real-apps/compare.mjs';

function finding(partial: Partial<ReportFinding> & { fingerprint: string }): ReportFinding {
  return {
    ruleId: 'no-hardcoded-secrets',
    category: 'secrets',
    severity: 'critical',
    file: 'src/a.ts',
    line: 1,
    ...partial,
  };
}

const secret = finding({ fingerprint: 'f-secret', line: 3 });
const route = finding({
  fingerprint: 'f-route',
  ruleId: 'require-route-authorization',
  category: 'authz',
  severity: 'high',
  file: 'app/api/x/route.ts',
  line: 12,
});
const rls = finding({
  fingerprint: 'f-rls',
  ruleId: 'require-rls',
  category: 'supabase',
  severity: 'critical',
  file: 'supabase/migrations/1_init.sql',
  line: 40,
});

describe('ledger matching', () => {
  it('gives each finding its verdict by fingerprint and lists entries no finding carries as stale', () => {
    const { judged, stale } = matchLedger([secret, route, rls], {
      entries: [
        { fingerprint: 'f-secret', verdict: 'true', reason: 'a live key in a client file' },
        { fingerprint: 'f-route', verdict: 'false', reason: 'guarded by middleware' },
        { fingerprint: 'f-gone', rule: 'require-rls', file: 'x.sql', line: 1, verdict: 'false', reason: 'old' },
      ],
    });
    expect(judged.map((entry) => [entry.finding.fingerprint, entry.verdict])).toEqual([
      ['f-secret', 'true'],
      ['f-route', 'false'],
      ['f-rls', 'untriaged'],
    ]);
    expect(stale.map((entry) => entry.fingerprint)).toEqual(['f-gone']);
  });

  it('treats a missing ledger as nothing triaged and an unknown verdict as untriaged', () => {
    expect(matchLedger([secret], undefined).judged[0]?.verdict).toBe('untriaged');
    expect(
      matchLedger([secret], { entries: [{ fingerprint: 'f-secret', verdict: 'maybe', reason: 'x' }] }).judged[0]
        ?.verdict,
    ).toBe('untriaged');
  });

  it('names ledger mistakes: bad verdict, missing reason, a fingerprint judged twice', () => {
    const problems = ledgerProblems({
      entries: [
        { fingerprint: 'a', verdict: 'yes', reason: 'r' },
        { fingerprint: 'b', verdict: 'true', reason: ' ' },
        { fingerprint: 'b', verdict: 'false', reason: 'again' },
      ],
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/verdict "yes"/);
    expect(problems[1]).toMatch(/no reason/);
    expect(problems[2]).toMatch(/judged twice/);
  });
});

describe('precision and noise', () => {
  it('is strict: debatable counts against, nothing judged is null', () => {
    expect(precision({ true: 9, false: 0, debatable: 1 })).toBe(0.9);
    expect(precision({ true: 1, false: 1, debatable: 2 })).toBe(0.25);
    expect(precision({ true: 0, false: 0, debatable: 0 })).toBeNull();
  });

  it('counts findings per 10k lines', () => {
    expect(perTenThousandLines(3, 20_000)).toBe(1.5);
    expect(perTenThousandLines(3, 0)).toBeNull();
  });
});

describe('recall matching', () => {
  const item = {
    id: 'app#1',
    category: 'authz',
    title: 'unguarded route',
    file: 'app/api/x/route.ts',
    line: 10,
    endLine: 20,
    alsoAt: [{ file: 'lib/db.ts', line: 5 }],
  };

  it('needs the same category and a line inside the item or one of its alsoAt locations', () => {
    expect(findsItem(route, item)).toBe(true);
    expect(findsItem({ ...route, line: 21 }, item)).toBe(false);
    expect(findsItem({ ...route, line: 9 }, item)).toBe(false);
    expect(findsItem({ ...route, category: 'tenancy' }, item)).toBe(false);
    expect(findsItem({ ...route, file: 'lib/db.ts', line: 5 }, item)).toBe(true);
    // An alsoAt without endLine covers its one line only.
    expect(findsItem({ ...route, file: 'lib/db.ts', line: 6 }, item)).toBe(false);
  });

  it('reports each item with the findings that find it', () => {
    const matched = matchRecall([secret, route], { items: [item, { ...item, id: 'app#2', category: 'webhooks' }] });
    expect(matched.map((entry) => [entry.item.id, entry.found, entry.by])).toEqual([
      ['app#1', true, ['f-route']],
      ['app#2', false, []],
    ]);
  });
});

describe('summary and rendering', () => {
  const appA = evaluateApp({
    id: 'acme+shop',
    kind: 'Next.js App Router + Supabase',
    lines: 20_000,
    files: 120,
    wallMs: 4200,
    maxRssKb: 300 * 1024,
    report: { findings: [secret, route, rls], errors: [] },
    ledger: {
      entries: [
        { fingerprint: 'f-secret', verdict: 'true', reason: 'live key' },
        { fingerprint: 'f-route', verdict: 'debatable', reason: 'depends on deployment' },
        { fingerprint: 'f-rls', verdict: 'false', reason: 'a later migration enables RLS' },
        { fingerprint: 'f-old', rule: 'no-hardcoded-secrets', file: 'src/b.ts', line: 2, verdict: 'true', reason: 'x' },
      ],
    },
    recall: {
      items: [
        { id: 'acme+shop#1', category: 'secrets', file: 'src/a.ts', line: 1, endLine: 5 },
        { id: 'acme+shop#2', category: 'webhooks', file: 'app/api/hook/route.ts', line: 1, endLine: 30 },
        // In a Python service the tool does not read: missed, and shown out of reach.
        { id: 'acme+shop#3', category: 'webhooks', file: 'api/routes/hooks.py', line: 10, endLine: 40 },
      ],
    },
  });
  const appB = evaluateApp({
    id: 'beta+api',
    lines: 10_000,
    files: 50,
    wallMs: 1000,
    maxRssKb: 100 * 1024,
    report: {
      findings: [finding({ fingerprint: 'f-b', file: 'index.js' })],
      errors: [{ file: 'broken.ts', line: 3, message: 'Could not parse: unexpected token' }],
    },
  });
  const crashed = evaluateApp({ id: 'gamma+app', lines: 0, crash: 'exit 2: portcullis: internal error' });
  const summary = summarize([appA, appB, crashed]);

  it('aggregates per rule and per category, with strict precision and false criticals', () => {
    expect(summary.totals).toMatchObject({
      apps: 3,
      lines: 30_000,
      findings: 4,
      true: 1,
      false: 1,
      debatable: 1,
      untriaged: 1,
    });
    expect(summary.totals.precision).toBeCloseTo(1 / 3);
    expect(summary.totals.falseCritical).toBe(1);
    expect(summary.rules['no-hardcoded-secrets']).toMatchObject({ findings: 2, true: 1, untriaged: 1, precision: 1 });
    expect(summary.rules['require-rls']).toMatchObject({ false: 1, precision: 0, falseCritical: 1 });
    expect(summary.rules['no-hardcoded-secrets']?.per10k).toBeCloseTo((2 * 10_000) / 30_000);
    expect(summary.categories.authz).toMatchObject({ findings: 1, debatable: 1, precision: 0 });
    expect(summary.categories.secrets).toMatchObject({ items: 1, found: 1, recall: 1 });
    expect(summary.categories.webhooks).toMatchObject({
      items: 2,
      found: 0,
      recall: 0,
      missed: ['acme+shop#2', 'acme+shop#3'],
      outOfReach: ['acme+shop#3'],
      recallInReach: 0,
    });
    expect(summary.categories.secrets).toMatchObject({ outOfReach: [], recallInReach: 1 });
    expect(summary.categories.cors).toMatchObject({ findings: 0, precision: null, recall: null, recallInReach: null });
    expect(summary.totals.recall).toBeCloseTo(1 / 3);
    expect(summary.totals).toMatchObject({ outOfReach: 1, recallInReach: 0.5 });
  });

  it('fails on untriaged findings, files not read and crashes, naming the app; lists stale entries', () => {
    expect(summary.passed).toBe(false);
    expect(summary.failures.map((failure) => [failure.app, failure.kind])).toEqual([
      ['beta+api', 'file-not-read'],
      ['beta+api', 'untriaged'],
      ['gamma+app', 'crash'],
    ]);
    expect(summary.failures[0]?.detail).toBe('broken.ts:3: Could not parse: unexpected token');
    expect(summary.apps[0]?.stale).toEqual([
      { fingerprint: 'f-old', rule: 'no-hardcoded-secrets', file: 'src/b.ts', line: 2 },
    ]);
    const clean = summarize([evaluateApp({ id: 'x+y', lines: 10, report: { findings: [], errors: [] } })]);
    expect(clean.passed).toBe(true);
  });

  it('renders results.md with the tables, missed recall items, stale entries and failures', () => {
    const markdown = renderResults(summary);
    expect(markdown).toContain('| no-hardcoded-secrets | secrets | 2 | 1 | 0 | 0 | 1 | 1.00 | 0.67 | 0 |');
    expect(markdown).toContain('| acme+shop | 20000 | 120 | 3 | 0 | 0.33 | 1.50 | 1/3 | 4.2 | 300 |');
    expect(markdown).toContain('| gamma+app | 0 | 0 | crash |');
    expect(markdown).toContain('- webhooks: acme+shop#2, acme+shop#3');
    expect(markdown).toContain('| out of reach | recall in reach |');
    expect(markdown).toContain('- acme+shop: no-hardcoded-secrets src/b.ts:2 (f-old)');
    expect(markdown).toContain('- beta+api: untriaged: 1 finding(s) not in triage/beta+api.json');
    expect(markdown).toContain('**Status: FAILED**');
  });

  it('rewrites only the README text between the accuracy markers', () => {
    const readme = `# Tool\n\n## Accuracy on real apps\n\n${README_START}\nplaceholder\n${README_END}\n\n## Next\n`;
    const body = renderReadmeSection(summary);
    const updated = replaceReadmeSection(readme, body);
    expect(updated.startsWith('# Tool\n\n## Accuracy on real apps\n\n<!-- accuracy:start -->\n')).toBe(true);
    expect(updated.endsWith(`${README_END}\n\n## Next\n`)).toBe(true);
    expect(updated).not.toContain('placeholder');
    expect(updated).toContain('| acme/shop | Next.js App Router + Supabase | 20000 | 3 | 0.33 |');
    expect(updated).toContain('| webhooks | 0 | – | 0.00 | 0.00 (0/2) | 0.00 (0/1) |');
    expect(updated).toContain('PORTCULLIS_MIRRORS=<folder> npm run bench:real');
    expect(replaceReadmeSection(updated, body)).toBe(updated);
    expect(() => replaceReadmeSection('# no markers\n', body)).toThrow(/accuracy:start/);
  });
});
