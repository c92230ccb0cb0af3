/**
 * `check <dir>` reads exactly the project at <dir> wherever it runs from (issue #14, item 4): from a
 * parent folder it finds <dir>/tsconfig.json, from an unrelated folder (even `/`) it walks neither
 * the file system nor its neighbours, and a repository whose app lives in a subfolder without a root
 * tsconfig has its nested tsconfigs found. Through the built CLI, in temp folders.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fixtureDir, LIVE_KEY } from '../helpers/fixture-dir.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const BIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');
const run = promisify(execFile);
const insecure = `import Stripe from 'stripe';\nexport const stripe = new Stripe('${LIVE_KEY}');\n`;
const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, baseUrl: '.', paths: { '@/*': ['./src/*'] } },
  include: ['src'],
});

interface Report {
  summary: { filesScanned: number };
  project?: { tsconfig: string[]; files: number };
  findings: { ruleId: string; file: string }[];
}

async function check(cwd: string, args: readonly string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const outcome = await run(process.execPath, [BIN, 'check', ...args, '--no-cache', '--format', 'json'], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    },
  );
  if (outcome.code !== 0 && outcome.code !== 1)
    throw new Error(`check exited ${String(outcome.code)}: ${outcome.stderr}`);
  return { code: outcome.code, report: JSON.parse(outcome.stdout) as Report, stderr: outcome.stderr };
}

describe('check <dir> reads the project at <dir>', () => {
  let parent: Awaited<ReturnType<typeof fixtureDir>>;
  let elsewhere: string;

  beforeAll(async () => {
    parent = await fixtureDir({
      // The app to check: its own tsconfig with an alias, a package.json, one real finding.
      'app/package.json': '{ "name": "app", "private": true }\n',
      'app/tsconfig.json': TSCONFIG,
      'app/src/payments.ts': insecure,
      'app/src/lib/util.ts': 'export const one = 1;\n',
      'app/src/page.ts': "import { one } from '@/lib/util';\nexport default one;\n",
      // A neighbour project with a finding of its own: it must not be read.
      'neighbour/package.json': '{ "name": "neighbour", "private": true }\n',
      'neighbour/leak.ts': insecure,
      // A repository whose app lives in a subfolder, with no root tsconfig.
      'mono/package.json': '{ "name": "mono", "private": true, "workspaces": ["apps/*"] }\n',
      'mono/apps/web/package.json': '{ "name": "web", "private": true }\n',
      'mono/apps/web/tsconfig.json': TSCONFIG,
      'mono/apps/web/src/payments.ts': insecure,
      'mono/apps/web/src/excluded-by-nothing.ts': 'export const two = 2;\n',
      'mono/apps/web/scripts/outside-include.ts': 'export const three = 3;\n',
      'mono/tools/release.ts': 'export const four = 4;\n',
    });
    elsewhere = await mkdtemp(join(tmpdir(), 'portcullis-elsewhere-'));
  });
  afterAll(async () => {
    await parent.remove();
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('from a parent folder: the app is the root, its tsconfig is read, the neighbour is not', async () => {
    const { code, report } = await check(parent.dir, ['app']);
    expect(code).toBe(1);
    expect(report.project?.tsconfig).toEqual(['tsconfig.json']);
    expect(report.summary.filesScanned).toBe(3);
    expect(report.findings.map((finding) => finding.file)).toEqual(['src/payments.ts']);
  }, 60_000);

  it('from an unrelated folder and from /: the same project, nothing else read', async () => {
    for (const cwd of [elsewhere, '/']) {
      const { code, report, stderr } = await check(cwd, [join(parent.dir, 'app')]);
      expect(stderr).not.toMatch(/internal error/);
      expect(code).toBe(1);
      expect(report.project?.tsconfig).toEqual(['tsconfig.json']);
      expect(report.summary.filesScanned).toBe(3);
      expect(report.findings.map((finding) => finding.file)).toEqual(['src/payments.ts']);
    }
  }, 120_000);

  it('a subfolder that is no project of its own stays part of the working directory’s project', async () => {
    const { report } = await check(join(parent.dir, 'app'), ['src/lib']);
    expect(report.project?.tsconfig).toEqual(['tsconfig.json']);
    expect(report.summary.filesScanned).toBe(1);
    expect(report.findings).toEqual([]);
  }, 60_000);

  it('a repository without a root tsconfig: the nested tsconfig defines its folder', async () => {
    const { code, report } = await check(parent.dir, ['mono']);
    expect(code).toBe(1);
    expect(report.project?.tsconfig).toEqual(['apps/web/tsconfig.json']);
    expect(report.findings.map((finding) => finding.file)).toEqual(['apps/web/src/payments.ts']);
    // apps/web/src (included) and tools/ (no config speaks for it) are analyzed; apps/web/scripts,
    // which the config leaves out, is not (it is still linted).
    expect(report.summary.filesScanned).toBe(4);
    expect(report.project?.files).toBe(3);
  }, 60_000);
});
