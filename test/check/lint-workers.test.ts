/**
 * Large projects lint on ESLint worker threads (the built package only: workers import it as
 * JavaScript). The report must be the same, finding for finding, as a single-threaded run.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lintWorkerCount } from '../../src/check/lint.js';
import { fixtureRepo } from '../analyzer/fixture-project.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const BIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');

async function check(dir: string, workers: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile);
  return run(process.execPath, [BIN, 'check', '--preset', 'strict', '--no-cache', '--format', 'json'], {
    cwd: dir,
    env: { ...process.env, PORTCULLIS_LINT_WORKERS: workers },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => error as { code: number; stdout: string; stderr: string },
  );
}

describe('linting on worker threads', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  beforeAll(() => {
    repo = fixtureRepo('express-app');
  });
  afterAll(() => repo.cleanup());

  it('reports exactly what a single thread reports', async () => {
    const single = await check(repo.dir, '0');
    const threaded = await check(repo.dir, '2');
    expect(single.code).toBe(1);
    expect(threaded.code).toBe(single.code);
    expect(threaded.stderr).toBe('');
    const findings = (stdout: string): unknown[] => (JSON.parse(stdout) as { findings: unknown[] }).findings;
    expect(findings(single.stdout).length).toBeGreaterThan(3);
    expect(findings(threaded.stdout)).toEqual(findings(single.stdout));
  }, 120_000);

  it('starts workers only when the files pay for them', () => {
    // Under vitest this module is TypeScript, which a worker thread cannot import.
    expect(lintWorkerCount(10_000, {})).toBe(0);
  });
});
