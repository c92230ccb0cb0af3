/**
 * Every user error is one line and exit 2, with no stack trace outside --debug; the warm cache never
 * hides a config change; colour follows FORCE_COLOR / NO_COLOR; a reasonless suppression cannot be
 * baselined away (issue 18, CLI robustness).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { COMMANDS } from '../../src/cli/main.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { fixtureDir, LIVE_KEY } from '../helpers/fixture-dir.js';

const UNGUARDED = `import express from 'express';
const app = express();
app.delete('/items/:id', async (req, res) => {
  await db.item.delete({ where: { id: req.params.id } });
  res.send('ok');
});
declare const db: { item: { delete(args: unknown): Promise<void> } };
`;

function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

let app: Awaited<ReturnType<typeof fixtureDir>>;
beforeAll(async () => {
  app = await fixtureDir({
    'src/payments.ts': `export const stripe = '${LIVE_KEY}';\n`,
    'src/ok.ts': 'export const ok = 1;\n',
  });
});
afterAll(() => app.remove());

describe('user errors are one line and exit 2', () => {
  it('--output into a missing folder fails before the run and writes nothing', async () => {
    const run = await runCli(['check', '--output', 'reports/out.json', '--format', 'json'], app.dir);
    expectOneLineError(run, /^portcullis: cannot write reports\/out\.json: the folder reports does not exist$/);
    expect(existsSync(join(app.dir, 'reports'))).toBe(false);
    const baseline = await runCli(['check', '--write-baseline', 'nope/base.json'], app.dir);
    expectOneLineError(baseline, /cannot write nope\/base\.json: the folder nope does not exist/);
  });

  it('--output onto a folder', async () => {
    expectOneLineError(await runCli(['check', '--output', 'src'], app.dir), /cannot write src: it is a folder/);
  });

  it('a path that does not exist, a broken symlink, a FIFO where a folder is expected', async () => {
    expectOneLineError(await runCli(['check', 'missing'], app.dir), /missing/);
    await symlink(join(app.dir, 'nowhere'), join(app.dir, 'broken-link'));
    expectOneLineError(await runCli(['check', 'broken-link'], app.dir), /broken-link/);
    execFileSync('mkfifo', [join(app.dir, 'pipe.ts')]);
    const fifo = await runCli(['check', 'pipe.ts'], app.dir);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(fifo.stderr).toContain('pipe.ts');
    expect(fifo.stderr).not.toContain('internal error');
  });

  it('bad flag values name the flag and what it takes', async () => {
    expectOneLineError(await runCli(['check', '--format', 'xml'], app.dir), /--format/);
    expectOneLineError(await runCli(['check', '--fail-on', 'extreme'], app.dir), /--fail-on/);
    expectOneLineError(await runCli(['check', '--shard', '3/2'], app.dir), /shard/);
    expectOneLineError(await runCli(['check', '--colour'], app.dir), /colour/);
  });

  it('an internal error is one line without --debug and shows the stack with it', async () => {
    COMMANDS.boom = {
      summary: 'test only',
      run: () => Promise.reject(new Error('kaboom\nsecond line')),
    };
    try {
      const quiet = await runCli(['boom'], app.dir);
      expectOneLineError(
        quiet,
        /^portcullis: internal error: kaboom\. This is a bug in Portcullis; run again with --debug/,
      );
      const loud = await runCli(['boom', '--debug'], app.dir);
      expect(loud.code).toBe(2);
      expect(loud.stderr).toMatch(/\n\s+at /);
    } finally {
      delete COMMANDS.boom;
    }
  });
});

describe('the warm cache never hides a config change', () => {
  it('a broken tsconfig exits 2 warm as cold, and an include edit is read warm', async () => {
    const repo = await fixtureDir({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }),
      'src/a.ts': 'export const a = 1;\n',
      'other/routes.ts': UNGUARDED,
    });
    try {
      expect((await runCli(['check'], repo.dir)).code).toBe(0);
      await writeFile(
        join(repo.dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { strict: true }, include: ['src', 'other'] }),
      );
      const widened = await runCli(['check', '--preset', 'strict', '--format', 'json'], repo.dir);
      expect(widened.code).toBe(1);
      expect(JSON.parse(widened.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
        'require-route-authorization',
      );
      await writeFile(join(repo.dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": tru');
      expectOneLineError(await runCli(['check'], repo.dir), /tsconfig\.json is not a valid tsconfig/);
      expectOneLineError(await runCli(['check', '--no-cache'], repo.dir), /tsconfig\.json is not a valid tsconfig/);
    } finally {
      await repo.remove();
    }
  });
});

describe('colour', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then the TTY', async () => {
    const coloured = async (tty: boolean, env: Record<string, string>): Promise<boolean> =>
      (await runCli(['check'], app.dir, { tty, env })).stdout.includes('\u001b[');
    expect(await coloured(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(await coloured(false, { FORCE_COLOR: '' })).toBe(true);
    expect(await coloured(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(await coloured(true, { NO_COLOR: '1' })).toBe(false);
    expect(await coloured(true, { NO_COLOR: '' })).toBe(true);
    expect(await coloured(true, {})).toBe(true);
    expect(await coloured(false, {})).toBe(false);
    // A report written to a file never carries escape codes.
    await runCli(['check', '--output', 'report.txt'], app.dir, { env: { FORCE_COLOR: '1' } });
    expect(await readdir(app.dir)).toContain('report.txt');
    expect(await readFile(join(app.dir, 'report.txt'), 'utf8')).not.toContain('\u001b[');
  });
});

describe('baselines', () => {
  it('cannot swallow a suppression without a reason', async () => {
    const repo = await fixtureDir({
      'src/keys.ts': `// portcullis-ignore no-hardcoded-secrets\nexport const stripe = '${LIVE_KEY}';\n`,
    });
    try {
      const first = await runCli(['check', '--format', 'json'], repo.dir);
      const rules = JSON.parse(first.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
      expect(rules).toContain('require-suppression-reason');
      const written = await runCli(['check', '--write-baseline', 'baseline.json'], repo.dir);
      expect(written.stdout).toContain('require-suppression-reason');
      const gated = await runCli(
        ['check', '--baseline', 'baseline.json', '--fail-on', 'medium', '--format', 'json'],
        repo.dir,
      );
      expect(gated.code).toBe(1);
      const report = JSON.parse(gated.stdout) as { findings: { ruleId: string }[]; suppressed: { ruleId: string }[] };
      expect(report.findings.map((f) => f.ruleId)).toEqual(['require-suppression-reason']);
      expect(report.suppressed.map((f) => f.ruleId)).not.toContain('require-suppression-reason');
    } finally {
      await repo.remove();
    }
  });
});
