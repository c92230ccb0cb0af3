import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PACKAGE_VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { fixtureDir, LIVE_KEY } from '../helpers/fixture-dir.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const insecure = `import Stripe from 'stripe';\nexport const stripe = new Stripe('${LIVE_KEY}');\n`;

describe('portcullis CLI', () => {
  let app: Awaited<ReturnType<typeof fixtureDir>>;
  let clean: Awaited<ReturnType<typeof fixtureDir>>;
  beforeAll(async () => {
    app = await fixtureDir({
      'src/payments.ts': insecure,
      'src/ok.ts': 'export const stripe = process.env.STRIPE_SECRET_KEY;\n',
      'src/broken.ts': 'export const = ;\n',
      'node_modules/dep/index.js': insecure,
      'dist/bundle.js': insecure,
      'generated/out.ts': insecure,
      '.gitignore': 'generated/\n',
    });
    clean = await fixtureDir({
      'src/index.ts': 'export const key = process.env.API_KEY;\n',
      'src/view.tsx': 'export const A = () => <div>hi</div>;\n',
    });
  });
  afterAll(async () => {
    await app.remove();
    await clean.remove();
  });

  it('exits 1 with the finding when a live key is in the code', async () => {
    const run = await runCli(['check'], app.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('src/payments.ts');
    expect(run.stdout).toContain('2:34');
    expect(run.stdout).toContain('Stripe live secret key');
    expect(run.stdout).not.toContain(LIVE_KEY);
  });

  it('skips node_modules, dist and .gitignore-d folders, and reports unparseable files', async () => {
    const run = await runCli(['check', '--format', 'json'], app.dir);
    const report = JSON.parse(run.stdout) as {
      findings: { file: string }[];
      errors: { file: string; message: string }[];
      summary: { filesScanned: number };
    };
    expect(report.findings.map((f) => f.file)).toEqual(['src/payments.ts']);
    expect(report.summary.filesScanned).toBe(3);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.file).toBe('src/broken.ts');
    expect(report.errors[0]?.message).toMatch(/^Could not parse/);
  });

  it('exits 0 on a clean project without an ESLint config of its own', async () => {
    const run = await runCli(['check'], clean.dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No findings in 2 files.');
  });

  it('honours --fail-on', async () => {
    expect((await runCli(['check', '--fail-on', 'critical'], app.dir)).code).toBe(1);
    expect((await runCli(['check', '--fail-on', 'low'], app.dir)).code).toBe(1);
    expect((await runCli(['check', '--fail-on', 'low'], clean.dir)).code).toBe(0);
  });

  it('checks only the given paths', async () => {
    const run = await runCli(['check', 'src/ok.ts', '--format', 'json'], app.dir);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { summary: { filesScanned: number } }).summary.filesScanned).toBe(1);
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const run = await runCli(['check', '--format', 'sarif', '--output', 'report.sarif'], app.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const sarif = JSON.parse(await readFile(join(app.dir, 'report.sarif'), 'utf8')) as { version: string };
    expect(sarif.version).toBe('2.1.0');
  });

  it.each([
    [['check', '--format', 'xml'], /--format must be one of text, json, sarif, html \(got "xml"\)/],
    [['check', '--fail-on', 'severe'], /--fail-on must be one of critical, high, medium, low/],
    [['check', '--bogus'], /check: Unknown option '--bogus'/],
    [['check', 'missing-folder'], /No such file or directory: missing-folder/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--frobnicate'], /unknown option "--frobnicate"/],
    [['explain'], /which rule\?/],
    [['explain', 'no-such-rule'], /Unknown rule "no-such-rule"\. Known rules and checks: .*no-hardcoded-secrets/],
  ])('%j is a usage error: exit 2 and one line', async (argv, message) => {
    const run = await runCli(argv, app.dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints help and version', async () => {
    const help = await runCli(['--help'], app.dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: portcullis <command>');
    expect(help.stdout).toContain('check');
    expect((await runCli(['--version'], app.dir)).stdout.trim()).toBe(PACKAGE_VERSION);
    expect((await runCli(['check', '--help'], app.dir)).stdout).toContain('--fail-on');
    expect((await runCli([], app.dir)).code).toBe(2);
  });

  it('explain prints the rule doc, with or without the plugin prefix', async () => {
    const run = await runCli(['explain', 'portcullis/no-hardcoded-secrets'], app.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# no-hardcoded-secrets/);
    expect(run.stdout).toContain('## Examples');
  });

  it('colours text only on a TTY without NO_COLOR', async () => {
    expect((await runCli(['check'], app.dir, { tty: true })).stdout).toContain('\u001b[');
    expect((await runCli(['check'], app.dir, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli(['check'], app.dir, { tty: false })).stdout).not.toContain('\u001b[');
  });

  it('the built binary sets the exit code and drains large piped JSON', async () => {
    const bin = join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');
    const run = promisify(execFile);
    const failure = await run(process.execPath, [bin, 'check', '--format', 'json'], { cwd: app.dir }).catch(
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect((failure as { code: number }).code).toBe(1);
    const parsed = JSON.parse((failure as { stdout: string }).stdout) as { findings: unknown[] };
    expect(parsed.findings).toHaveLength(1);
    const usage = await run(process.execPath, [bin, 'check', '--format', 'xml'], { cwd: app.dir }).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect((usage as { code: number }).code).toBe(2);
  });

  it('the built binary ends quietly when the reader closes the pipe early (… --dry-run | head)', async () => {
    const bin = join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');
    const child = spawn(
      process.execPath,
      [bin, 'new', join(app.dir, 'never-written'), '--modules', 'all', '--dry-run'],
      {
        cwd: app.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -1`: read the first chunk, then close the pipe while the diff is still being written.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(code).toBe(0);
  });
});
