/**
 * SARIF as GitHub code scanning ingests it (issue 18): repository-relative paths whatever folder was
 * scanned, a run category, every rule that ran with its doc as help, the upload limits kept with a
 * notification, no absolute path of the machine, and doc URLs that exist in the package's repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import type { Finding } from '../../src/catalog/finding.js';
import { DOCS_BASE_URL, REPOSITORY_URL } from '../../src/catalog/metadata.js';
import type { CheckResult } from '../../src/check/run-check.js';
import { allMetadata } from '../../src/check/registry.js';
import { mergeSarif } from '../../src/report/merge-sarif.js';
import { GITHUB_LIMITS, defaultAutomationId, sarifReporter } from '../../src/report/sarif.js';
import { runCli } from '../helpers/cli.js';
import { fixtureDir, LIVE_KEY } from '../helpers/fixture-dir.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

interface Log {
  runs: {
    tool: {
      driver: {
        informationUri: string;
        rules: {
          id: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { markdown: string };
          defaultConfiguration: { enabled: boolean; level: string };
          properties: { tags: string[] };
        }[];
      };
    };
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, { uri?: string }>;
    results: {
      ruleIndex: number;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
}

const finding = (i: number, severity: Finding['severity'] = 'high'): Finding => ({
  ruleId: severity === 'high' ? 'require-route-authorization' : 'no-sensitive-logging',
  category: severity === 'high' ? 'authz' : 'logging',
  severity,
  file: `src/routes/r${String(i)}.ts`,
  line: 1 + (i % 50),
  column: 1,
  endLine: 1 + (i % 50),
  endColumn: 20,
  message: `finding ${String(i)}`,
  fingerprint: i.toString(16).padStart(32, '0'),
});

function result(root: string, findings: Finding[]): CheckResult {
  return {
    root,
    filesScanned: 1,
    findings,
    suppressed: [],
    errors: [],
    rules: [...allMetadata().values()],
    failOn: 'high',
    failed: findings.length > 0,
  };
}

const render = (res: CheckResult, sarif?: { repoRoot?: string; automationId?: string }): Log =>
  JSON.parse(sarifReporter(res, { color: false, ...(sarif === undefined ? {} : { sarif }) })) as Log;

describe('SARIF for GitHub code scanning', () => {
  it('paths are relative to the repository root whatever folder was scanned', () => {
    const fromRoot = render(result('/ci/mono', [{ ...finding(1), file: 'api/src/x.ts' }]), { repoRoot: '/ci/mono' });
    const fromApi = render(result('/ci/mono/api', [{ ...finding(1), file: 'src/x.ts' }]), { repoRoot: '/ci/mono' });
    const uri = (log: Log): string => log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri(fromRoot)).toBe('api/src/x.ts');
    expect(uri(fromApi)).toBe('api/src/x.ts');
    expect(fromApi.runs[0]!.automationDetails.id).toBe('portcullis/check/api/');
    expect(fromRoot.runs[0]!.automationDetails.id).toBe('portcullis/check/');
    expect(render(result('/ci/mono', []), { automationId: 'security/web/' }).runs[0]!.automationDetails.id).toBe(
      'security/web/',
    );
  });

  it('is the same SARIF whichever folder of the repository the check ran from', async () => {
    const repo = await fixtureDir({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'api/package.json': JSON.stringify({ name: 'api', private: true }),
      'api/src/keys.ts': `export const stripe = '${LIVE_KEY}';\n`,
      'api/src/ok.ts': 'export const ok = 1;\n',
    });
    try {
      const runs = await Promise.all([
        runCli(['check', 'api', '--format', 'sarif'], repo.dir),
        runCli(['check', '--format', 'sarif'], join(repo.dir, 'api')),
        runCli(['check', '..', '--format', 'sarif'], join(repo.dir, 'api', 'src')),
      ]);
      for (const run of runs) expect(run.code, run.stderr).toBe(1);
      expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
      expect(runs[2]!.stdout).toBe(runs[0]!.stdout);
      const log = JSON.parse(runs[0]!.stdout) as Log;
      expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('api/src/keys.ts');
      expect(log.runs[0]!.automationDetails.id).toBe('portcullis/check/api/');
      expect(runs[0]!.stdout).not.toContain(repo.dir);
      // The JSON fingerprints (and so baselines) are the repository's too.
      const json = await runCli(['check', '--format', 'json'], join(repo.dir, 'api'));
      const named = await runCli(['check', '--format', 'json', '--root', '..'], join(repo.dir, 'api'));
      const fingerprints = (text: string): string[] =>
        (JSON.parse(text) as { findings: { fingerprint: string }[] }).findings.map((f) => f.fingerprint);
      expect(fingerprints(json.stdout)).toEqual(fingerprints(named.stdout));
      const nested = await runCli(['check', '--format', 'json', '--root', 'src'], join(repo.dir, 'api'));
      expect(nested.code).toBe(2);
      expect(nested.stderr).toContain('must contain the checked folder');
    } finally {
      await repo.remove();
    }
  }, 120_000);

  it('carries no absolute path of the machine', () => {
    const text = sarifReporter(result('/home/runner/work/secret-project', [finding(1)]), {
      color: false,
      sarif: { repoRoot: '/home/runner/work/secret-project' },
    });
    expect(text).not.toContain('/home/runner');
    const log = JSON.parse(text) as Log;
    expect(log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBeUndefined();
  });

  it('lists every rule that ran, with its doc as help and a full description distinct from the short one', () => {
    const log = render(result('/ci/app', [finding(1)]));
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual([...allMetadata().keys()].sort());
    for (const rule of rules) {
      expect(rule.defaultConfiguration, rule.id).toMatchObject({ enabled: true });
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(rule.fullDescription.text, rule.id).not.toBe(rule.shortDescription.text);
      const doc = readFileSync(join(REPO_ROOT, 'eslint-plugin', 'docs', 'rules', `${rule.id}.md`), 'utf8');
      expect(rule.help.markdown, rule.id).toBe(doc);
      expect(rule.help.markdown, rule.id).toContain('## Examples');
      expect(rule.properties.tags.length).toBeLessThanOrEqual(GITHUB_LIMITS.tagsPerRule);
    }
    const index = log.runs[0]!.results[0]!.ruleIndex;
    expect(rules[index]!.id).toBe('require-route-authorization');
  });

  it("keeps GitHub's result limit, the most severe first, and says what it cut", () => {
    const many = [
      ...Array.from({ length: 100 }, (_, i) => finding(i, 'low')),
      ...Array.from({ length: GITHUB_LIMITS.resultsPerRun }, (_, i) => finding(1000 + i)),
    ];
    const text = sarifReporter(result('/ci/app', many), { color: false });
    const log = JSON.parse(text) as Log;
    expect(log.runs[0]!.results).toHaveLength(GITHUB_LIMITS.resultsPerRun);
    expect(log.runs[0]!.results.every((r) => r.level === 'error')).toBe(true);
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text);
    expect(notes.join('\n')).toContain(`100 of ${String(many.length)} results were left out`);
    expect(gzipSync(text).length).toBeLessThan(GITHUB_LIMITS.gzipBytes);
  }, 60_000);

  it("merge-sarif keeps the shards' category and refuses to mix two runs", () => {
    const shard = (root: string, id?: string): unknown =>
      JSON.parse(
        sarifReporter(result(root, [finding(1)]), {
          color: false,
          sarif: { repoRoot: '/ci/mono', ...(id ? { automationId: id } : {}) },
        }),
      );
    const merged = mergeSarif([
      { name: 'a', json: shard('/ci/mono/api') },
      { name: 'b', json: shard('/ci/mono/api') },
    ]) as unknown as Log;
    expect(merged.runs[0]!.automationDetails.id).toBe('portcullis/check/api/');
    expect(() =>
      mergeSarif([
        { name: 'a', json: shard('/ci/mono/api') },
        { name: 'b', json: shard('/ci/mono/web') },
      ]),
    ).toThrow(/different runs/);
    const named = mergeSarif(
      [
        { name: 'a', json: shard('/ci/mono/api') },
        { name: 'b', json: shard('/ci/mono/web') },
      ],
      'portcullis/all/',
    ) as unknown as Log;
    expect(named.runs[0]!.automationDetails.id).toBe('portcullis/all/');
    expect(defaultAutomationId('check', '')).toBe('portcullis/check/');
  });

  it('every doc URL points at a page in the repository package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      repository: { url: string };
      homepage: string;
      bugs: { url: string };
    };
    expect(pkg.repository.url).toBe(`git+${REPOSITORY_URL}.git`);
    expect(pkg.homepage.startsWith(REPOSITORY_URL)).toBe(true);
    expect(pkg.bugs.url).toBe(`${REPOSITORY_URL}/issues`);
    for (const meta of allMetadata().values()) {
      expect(meta.url.startsWith(DOCS_BASE_URL), meta.id).toBe(true);
      const path = meta.url.slice(`${REPOSITORY_URL}/blob/main/`.length);
      expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
    }
    expect(render(result('/ci/app', [])).runs[0]!.tool.driver.informationUri).toBe(REPOSITORY_URL);
  });
});
