/**
 * The CI gate around the findings: inline suppressions, eslint-disable reasons, baselines,
 * --changed-since, --shard + merge-sarif, the warm cache, and the CLI commands that expose them.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCheck } from '../../src/check/run-check.js';
import { shardOf } from '../../src/check/selection.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fixtureRepo, git } from '../analyzer/fixture-project.js';

const STRIPE_KEY = ['sk', 'live', '51HqLyjWDarjtT1zdp7dcAbCdEfGh'].join('_');

function io(cwd: string, tty = false): CliIo & { out: string; err: string } {
  const result = {
    cwd,
    env: {},
    out: '',
    err: '',
    stdout: { isTTY: tty, write: (text: string) => (result.out += text) },
    stderr: { isTTY: tty, write: (text: string) => (result.err += text) },
  };
  return result;
}

const ROUTES = `import express from 'express';
import { db } from './db.js';

export const app = express();

// portcullis-ignore require-route-authorization -- internal admin tool, reachable only over the VPN
app.post('/internal/reindex', async (_req, res) => {
  await db.query('reindex');
  res.end();
});

// portcullis-ignore require-route-authorization
app.post('/no-reason', async (_req, res) => {
  await db.query('delete from t');
  res.end();
});

// portcullis-ignore require-route-authorization -- nothing here any more
app.get('/health', (_req, res) => res.end());

app.delete('/items/:id', async (req, res) => {
  await db.query('delete from items where id = $1', [req.params.id]);
  res.end();
});
`;

const SECRETS = `// eslint-disable-next-line portcullis/no-hardcoded-secrets
export const unexplained = '${STRIPE_KEY}';
// eslint-disable-next-line portcullis/no-hardcoded-secrets -- revoked test-mode key kept for the replay fixture
export const explained = '${STRIPE_KEY}';
`;

describe('inline suppressions', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-suppress-'));
    writeFileSync(join(dir, 'routes.ts'), ROUTES);
    writeFileSync(join(dir, 'db.ts'), `import pg from 'pg';\nexport const db = new pg.Pool();\n`);
    writeFileSync(join(dir, 'secrets.ts'), SECRETS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('honours reasoned suppressions, reports missing reasons and unused ones, and checks eslint-disable reasons', async () => {
    const result = await runCheck({ preset: 'strict', cwd: dir, cache: false });
    const found = result.findings.map((f) => `${f.ruleId}@${f.file}:${String(f.line)}`).sort();
    expect(found).toEqual(
      [
        'no-hardcoded-secrets@secrets.ts:2',
        'no-unused-suppression@routes.ts:18',
        'require-route-authorization@routes.ts:13',
        'require-route-authorization@routes.ts:21',
        'require-suppression-reason@routes.ts:12',
        'require-suppression-reason@secrets.ts:2',
      ].sort(),
    );
    const suppressed = result.suppressed.map((f) => [f.ruleId, f.line, f.suppression] as const);
    expect(suppressed).toEqual(
      [
        [
          'require-route-authorization',
          7,
          { kind: 'inline', justification: 'internal admin tool, reachable only over the VPN' },
        ],
        [
          'no-hardcoded-secrets',
          4,
          { kind: 'inline', justification: 'revoked test-mode key kept for the replay fixture' },
        ],
      ]
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
        .reverse(),
    );
  });
});

describe('baselines', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  beforeAll(() => {
    repo = fixtureRepo('express-app');
  });
  afterAll(() => repo.cleanup());

  it('records findings, then fails only on new ones, reports stale entries and marks SARIF suppressions', async () => {
    const write = io(repo.dir);
    expect(
      await main(
        [
          'check',
          '--preset',
          'strict',
          '--no-cache',
          '--write-baseline',
          'baseline.json',
          '--baseline-reason',
          'legacy, ticket SEC-12',
        ],
        write,
      ),
    ).toBe(0);
    const baseline = JSON.parse(readFileSync(join(repo.dir, 'baseline.json'), 'utf8')) as {
      version: number;
      entries: { ruleId: string; reason: string; fingerprint: string }[];
    };
    expect(baseline.version).toBe(1);
    expect(baseline.entries.length).toBe(7);
    expect(
      baseline.entries.every((e) => e.reason === 'legacy, ticket SEC-12' && /^[0-9a-f]{32}$/.test(e.fingerprint)),
    ).toBe(true);

    const clean = io(repo.dir);
    expect(await main(['check', '--preset', 'strict', '--no-cache', '--baseline', 'baseline.json'], clean)).toBe(0);
    expect(clean.out).toContain('7 suppressed by baseline');

    // Move code around (fingerprints survive), fix one finding, add a new one.
    const app = join(repo.dir, 'src', 'app.ts');
    const source = readFileSync(app, 'utf8');
    writeFileSync(
      app,
      `// a new header comment moves every line\n\n${source
        .replace(
          "app.post('/hooks/github', async (req, res) => {",
          'void (async (req: express.Request, res: express.Response) => {',
        )
        .replace(
          "app.get('/api/posts', listPosts);",
          "app.get('/api/posts', listPosts);\napp.put('/api/posts/:id', async (req, res) => {\n  await db.query('update posts set x = 1');\n  res.end();\n});",
        )}`,
    );
    const after = io(repo.dir);
    expect(
      await main(
        ['check', '--preset', 'strict', '--no-cache', '--baseline', 'baseline.json', '--format', 'json'],
        after,
      ),
    ).toBe(1);
    const report = JSON.parse(after.out) as {
      findings: { ruleId: string; line: number }[];
      staleBaseline: { ruleId: string }[];
      summary: { suppressed: number };
    };
    expect(report.findings.map((f) => `${f.ruleId}:${String(f.line)}`)).toEqual(['require-route-authorization:38']);
    expect(report.staleBaseline.map((e) => e.ruleId)).toEqual(['require-webhook-verification-flow']);
    expect(report.summary.suppressed).toBe(6);

    const sarif = io(repo.dir);
    await main(
      ['check', '--preset', 'strict', '--no-cache', '--baseline', 'baseline.json', '--format', 'sarif'],
      sarif,
    );
    const log = JSON.parse(sarif.out) as {
      runs: { results: { suppressions?: { kind: string; justification?: string }[] }[] }[];
    };
    const suppressedResults = log.runs[0]?.results.filter((r) => r.suppressions !== undefined) ?? [];
    expect(suppressedResults).toHaveLength(6);
    expect(suppressedResults[0]?.suppressions).toEqual([{ kind: 'external', justification: 'legacy, ticket SEC-12' }]);
  });

  it('rejects a missing or malformed baseline with a usage error', async () => {
    const missing = io(repo.dir);
    expect(await main(['check', '--preset', 'strict', '--no-cache', '--baseline', 'nope.json'], missing)).toBe(2);
    expect(missing.err).toMatch(/Baseline file not found/);
    writeFileSync(join(repo.dir, 'bad.json'), '{"entries": 3}');
    const bad = io(repo.dir);
    expect(await main(['check', '--preset', 'strict', '--no-cache', '--baseline', 'bad.json'], bad)).toBe(2);
    expect(bad.err).toMatch(/not a Portcullis baseline/);
  });
});

describe('--changed-since, --shard and merge-sarif', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  beforeAll(() => {
    repo = fixtureRepo('prisma-tenant-app');
  });
  afterAll(() => repo.cleanup());

  it('reports only files changed since a ref, still reading the whole project', async () => {
    const none = await runCheck({ preset: 'strict', cwd: repo.dir, cache: false, changedSince: 'HEAD' });
    expect(none.findings).toEqual([]);
    // The tenant-scope findings sit at the handlers that pass request values into the queries.
    const file = join(repo.dir, 'src', 'handlers.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// touched\n`);
    const changed = await runCheck({ preset: 'strict', cwd: repo.dir, cache: false, changedSince: 'HEAD' });
    expect([...new Set(changed.findings.map((f) => `${f.ruleId}@${f.file}`))]).toEqual([
      'require-tenant-scope@src/handlers.ts',
    ]);
    git(repo.dir, 'checkout', '--', 'src/handlers.ts');
  });

  it('rejects an unknown ref', async () => {
    const cli = io(repo.dir);
    expect(await main(['check', '--preset', 'strict', '--no-cache', '--changed-since', 'no-such-ref'], cli)).toBe(2);
    expect(cli.err).toMatch(/unknown git ref "no-such-ref"/);
  });

  it('splits files into disjoint deterministic shards whose merged SARIF equals the full run', async () => {
    const files = ['src/a.ts', 'src/b.ts', 'src/projects.ts', 'src/documents.ts', 'lib/x.ts', 'y.ts'];
    for (const file of files) expect(shardOf(file, 3)).toBe(shardOf(file, 3));
    const many = Array.from({ length: 300 }, (_, i) => `src/file-${String(i)}.ts`);
    const counts = [1, 2, 3].map((shard) => many.filter((f) => shardOf(f, 3) === shard).length);
    expect(counts.every((count) => count > 70)).toBe(true);

    const full = io(repo.dir);
    await main(['check', '--preset', 'strict', '--no-cache', '--format', 'sarif'], full);
    const shard1 = io(repo.dir);
    const shard2 = io(repo.dir);
    await main(
      ['check', '--preset', 'strict', '--no-cache', '--format', 'sarif', '--shard', '1/2', '--output', 's1.sarif'],
      shard1,
    );
    await main(
      ['check', '--preset', 'strict', '--no-cache', '--format', 'sarif', '--shard', '2/2', '--output', 's2.sarif'],
      shard2,
    );
    const merged = io(repo.dir);
    expect(await main(['merge-sarif', 's1.sarif', 's2.sarif'], merged)).toBe(0);
    type Log = {
      runs: {
        results: { ruleId: string; partialFingerprints: Record<string, string> }[];
        tool: { driver: { rules: { id: string }[] } };
      }[];
    };
    const fullLog = JSON.parse(full.out) as Log;
    const mergedLog = JSON.parse(merged.out) as Log;
    const ids = (log: Log): string[] =>
      (log.runs[0]?.results ?? []).map((r) => Object.values(r.partialFingerprints).join()).sort();
    expect(ids(mergedLog)).toEqual(ids(fullLog));
    expect(ids(fullLog).length).toBe(4);
    const s1 = JSON.parse(readFileSync(join(repo.dir, 's1.sarif'), 'utf8')) as Log;
    const s2 = JSON.parse(readFileSync(join(repo.dir, 's2.sarif'), 'utf8')) as Log;
    expect(ids(s1).filter((id) => ids(s2).includes(id))).toEqual([]);
    // Every rule that ran is listed (GitHub shows a rule's help for alerts that come later, too).
    expect(mergedLog.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(
      fullLog.runs[0]?.tool.driver.rules.map((r) => r.id),
    );
    expect(mergedLog.runs[0]?.tool.driver.rules.map((r) => r.id)).toContain('require-tenant-scope');
  });

  it('rejects bad shard specs and bad SARIF input', async () => {
    for (const spec of ['0/2', '3/2', 'x', '1/0']) {
      const cli = io(repo.dir);
      expect(await main(['check', '--shard', spec], cli)).toBe(2);
      expect(cli.err).toMatch(/--shard must be i\/n/);
    }
    writeFileSync(join(repo.dir, 'not.sarif'), '{"version":"1.0"}');
    const cli = io(repo.dir);
    expect(await main(['merge-sarif', 'not.sarif'], cli)).toBe(2);
    expect(cli.err).toMatch(/not a SARIF 2.1.0 log/);
  });
});

describe('warm cache', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  let cacheDir: string;
  beforeAll(() => {
    repo = fixtureRepo('next-app');
    cacheDir = mkdtempSync(join(tmpdir(), 'portcullis-cache-'));
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('gives the same result warm as cold and notices changed files', async () => {
    const cold = await runCheck({ preset: 'strict', cwd: repo.dir, cache: cacheDir });
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    const cached = JSON.parse(readFileSync(join(cacheDir, files[0] ?? ''), 'utf8')) as {
      facts: Record<string, unknown>;
      lint: Record<string, unknown>;
    };
    expect(Object.keys(cached.facts)).toContain('app/actions.ts');
    expect(Object.keys(cached.lint)).toContain('app/actions.ts');
    const warm = await runCheck({ preset: 'strict', cwd: repo.dir, cache: cacheDir });
    expect(warm.findings).toEqual(cold.findings);

    const actions = join(repo.dir, 'app', 'actions.ts');
    writeFileSync(
      actions,
      readFileSync(actions, 'utf8').replace(
        "if (!session) throw new Error('Unauthorized');\n  // FINDING",
        '// FINDING',
      ),
    );
    const changed = await runCheck({ preset: 'strict', cwd: repo.dir, cache: cacheDir });
    // Removing the session check makes the action unguarded: one route finding more, found warm.
    const routeFindings = (result: typeof cold): number =>
      result.findings.filter((f) => f.file === 'app/actions.ts' && f.ruleId === 'require-route-authorization').length;
    expect(routeFindings(changed)).toBe(routeFindings(cold) + 1);
  });

  it('writes no cache into a folder that is not a package', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'portcullis-bare-'));
    writeFileSync(join(bare, 'a.ts'), 'export const a = 1;\n');
    await runCheck({ preset: 'strict', cwd: bare });
    expect(existsSync(join(bare, 'node_modules'))).toBe(false);
    rmSync(bare, { recursive: true, force: true });
  });
});

describe('CLI', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  beforeAll(() => {
    repo = fixtureRepo('express-app');
  });
  afterAll(() => repo.cleanup());

  it('prints the route inventory as JSON and as a table', async () => {
    const json = io(repo.dir);
    expect(await main(['routes', '--json'], json)).toBe(0);
    const parsed = JSON.parse(json.out) as {
      schemaVersion: number;
      routes: {
        method: string;
        path: string;
        file: string;
        line: number;
        guard: string | null;
        public: string | null;
      }[];
    };
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.routes).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/api/signup',
        file: 'src/app.ts',
        public: expect.stringContaining('marketing'),
      }),
    );
    const table = io(repo.dir);
    expect(await main(['routes'], table)).toBe(0);
    expect(table.out).toMatch(/^POST\s+\/api\/feedback\s+src\/app\.ts:\d+\s+UNGUARDED$/m);
    expect(table.out).toMatch(
      /routes, 5 unguarded with data access\.\n0 route registrations could not be resolved\.\n$/,
    );
  });

  it('shows no progress line in JSON output or without a TTY', async () => {
    const json = io(repo.dir, true);
    await main(['check', '--preset', 'strict', '--no-cache', '--format', 'json'], json);
    expect(json.err).toBe('');
    const plain = io(repo.dir, false);
    await main(['check', '--no-cache'], plain);
    expect(plain.err).toBe('');
  });

  it('lists the new commands in --help and rejects unknown flags', async () => {
    const help = io(repo.dir);
    await main(['--help'], help);
    expect(help.out).toMatch(/routes\s+print the route inventory/);
    expect(help.out).toMatch(/merge-sarif\s+combine the SARIF reports/);
    const bad = io(repo.dir);
    expect(await main(['routes', '--bogus'], bad)).toBe(2);
  });
});

describe('stacked suppressions', () => {
  it('apply every comment of a stack to the code below the last one', async () => {
    const { sourceSuppressions } = await import('../../src/catalog/suppressions.js');
    const comment = (line: number, rule: string) => ({
      kind: 'ignore' as const,
      line,
      rules: [rule],
      reason: 'why',
      standalone: true,
      endLineTarget: line + 1,
      span: { line, column: 1, endLine: line, endColumn: 20 },
    });
    const result = sourceSuppressions('a.ts', [comment(3, 'rule-b'), comment(2, 'rule-a'), comment(9, 'rule-c')]);
    expect(result.map((s) => [s.ruleId, s.target])).toEqual([
      ['rule-a', 4],
      ['rule-b', 4],
      ['rule-c', 10],
    ]);
  });
});
