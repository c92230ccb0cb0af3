/**
 * `--json` failures (issue 16): every failure of new, add, list, check and routes prints
 * `{ "error": { "code", "message", "option"? } }` on stdout as the only output, with a non-zero exit
 * code and no stack trace. The codes are stable (src/errors.ts, README "Errors as JSON").
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ERROR_CODES, type ErrorCode } from '../../src/errors.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'portcullis-json-errors-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd: work,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

interface Expected {
  code: ErrorCode;
  option?: string;
  message: string | RegExp;
}

/** The run failed with exactly this JSON error on stdout and nothing else anywhere. */
async function expectJsonError(argv: string[], expected: Expected, exitCode = 2): Promise<Record<string, unknown>> {
  const run = await cli(...argv);
  expect(run.code).toBe(exitCode);
  expect(run.stderr).toBe('');
  const parsed = JSON.parse(run.stdout) as { error: Record<string, unknown> };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error.code).toBe(expected.code);
  expect(parsed.error.option).toBe(expected.option);
  expect(parsed.error.message).toEqual(
    typeof expected.message === 'string'
      ? expect.stringContaining(expected.message)
      : expect.stringMatching(expected.message),
  );
  expect(String(parsed.error.message)).not.toMatch(/\n\s+at /);
  expect(String(parsed.error.message).split('\n')).toHaveLength(1);
  return parsed.error;
}

const app = async (): Promise<void> => {
  await mkdir(join(work, 'app'));
  await writeFile(join(work, 'app', 'package.json'), '{"name":"app","dependencies":{"express":"5.2.1"}}');
};

describe('portcullis new --json', () => {
  it.each<[string[], Expected]>([
    [['new', 'x', '--framework', 'koa'], { code: 'invalid_value', option: 'framework', message: 'got "koa"' }],
    [['new', 'x', '--modules', 'nope', '--yes'], { code: 'unknown_generator', message: 'unknown generator "nope"' }],
    [
      ['new', 'x', '--name', 'Bad Name', '--yes'],
      { code: 'invalid_value', option: 'name', message: 'option --name must be' },
    ],
    [['new', '--yes'], { code: 'usage', message: 'new: which folder?' }],
    [['new', 'x', 'y'], { code: 'usage', message: 'new: takes one folder' }],
    [['new', 'x', '--auth', 'oidc'], { code: 'unknown_option', option: 'auth', message: 'unknown option --auth' }],
    [['new', 'x', '-q'], { code: 'unknown_option', option: 'q', message: 'unknown option "-q"' }],
    [['new', 'x', '--name'], { code: 'missing_option', option: 'name', message: '--name needs a value' }],
    [['new', 'x', '--yes=1'], { code: 'invalid_value', option: 'yes', message: '--yes takes no value' }],
    [
      ['new', 'x', '--set', 'db.size=3', '--modules', 'db'],
      { code: 'unknown_option', option: 'size', message: 'db: unknown option "--size"' },
    ],
    [
      ['new', 'x', '--set', 'webhook.provider=stripe'],
      { code: 'conflicting_options', option: 'set', message: 'which is not among --modules' },
    ],
    [
      ['new', 'x', '--modules', 'webhook', '--set', 'webhook.provider=paypal'],
      { code: 'invalid_value', option: 'provider', message: /^webhook: / },
    ],
    [
      ['new', 'x', '--set', 'nope'],
      { code: 'invalid_value', option: 'set', message: '--set takes generator.option=value' },
    ],
  ])('%j', async (argv, expected) => {
    await expectJsonError([...argv, '--json'], expected);
    expect(await readdir(work)).toEqual([]);
  });

  it('stops on a file of the user in the way: code conflict, exit 1, each conflict with its diff, nothing written', async () => {
    await mkdir(join(work, 'shop', 'src'), { recursive: true });
    await writeFile(join(work, 'shop', 'src', 'config.ts'), 'export const mine = true;\n');
    const error = await expectJsonError(
      ['new', 'shop', '--yes', '--json'],
      { code: 'conflict', message: /^1 file\(s\) you changed would be overwritten; nothing was written/ },
      1,
    );
    expect(error.conflicts).toEqual([
      {
        path: 'src/config.ts',
        reason: 'the file exists and was not written by Portcullis',
        diff: expect.stringContaining('-export const mine = true;') as unknown,
      },
    ]);
    expect(error.wouldCreate).toContain('src/app.ts');
    expect(await readdir(join(work, 'shop'))).toEqual(['src']);
    expect(await readdir(join(work, 'shop', 'src'))).toEqual(['config.ts']);
  });

  it('prints the stack on stderr only with --debug; stdout stays the JSON error', async () => {
    const run = await cli('new', 'x', '--framework', 'koa', '--json', '--debug');
    expect(run.code).toBe(2);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe('invalid_value');
    expect(run.stderr).toMatch(/UsageError: --framework must be one of/);
  });
});

describe('portcullis add --json', () => {
  it.each<[string[], Expected]>([
    [['add'], { code: 'usage', message: 'add: which generator?' }],
    [['add', 'db', 'webhook'], { code: 'usage', message: 'add: takes one generator' }],
    [['add', 'nope'], { code: 'unknown_generator', message: 'add: unknown generator "nope"' }],
    [
      ['add', 'db', '--cwd', 'nowhere', '--yes'],
      { code: 'not_an_app', message: 'no package.json in the target folder' },
    ],
    [
      ['add', 'webhook', '--cwd', 'app', '--provider', 'paypal', '--yes'],
      { code: 'invalid_value', option: 'provider', message: /^webhook: / },
    ],
    [
      ['add', 'db', '--cwd', 'app', '--color', 'red', '--yes'],
      { code: 'unknown_option', option: 'color', message: 'db: unknown option "--color"' },
    ],
    [
      ['add', 'db', '--cwd', 'app', '--framework', 'koa'],
      { code: 'invalid_value', option: 'framework', message: 'got "koa"' },
    ],
  ])('%j', async (argv, expected) => {
    await app();
    await expectJsonError([...argv, '--json'], expected);
    expect(await readdir(join(work, 'app'))).toEqual(['package.json']);
  });

  it('says not_an_app (invalid_input) for a package.json that is not JSON', async () => {
    await mkdir(join(work, 'broken'));
    await writeFile(join(work, 'broken', 'package.json'), '{ nope');
    await expectJsonError(['add', 'db', '--cwd', 'broken', '--yes', '--json'], {
      code: 'invalid_input',
      message: 'package.json in the target folder is not valid JSON',
    });
  });
});

describe('portcullis list --json', () => {
  it.each<[string[], Expected]>([
    [['list', 'extra'], { code: 'usage', message: 'list: takes no arguments' }],
    [['list', '--bogus'], { code: 'unknown_option', option: 'bogus', message: "Unknown option '--bogus'" }],
  ])('%j', async (argv, expected) => {
    await expectJsonError([...argv, '--json'], expected);
  });
});

describe('portcullis check --json', () => {
  it.each<[string[], Expected]>([
    [
      ['check', '--fail-on', 'extreme'],
      { code: 'invalid_value', option: 'fail-on', message: '--fail-on must be one of' },
    ],
    [['check', 'missing-dir'], { code: 'not_found', message: 'No such file or directory' }],
    [
      ['check', '--format', 'sarif'],
      { code: 'conflicting_options', option: 'format', message: '--json and --format sarif' },
    ],
    [['check', '--shard', '9/2'], { code: 'invalid_value', option: 'shard', message: '--shard must be i/n' }],
    [['check', '--bogus'], { code: 'unknown_option', option: 'bogus', message: "Unknown option '--bogus'" }],
    [
      ['check', '--baseline', 'nope.json'],
      { code: 'not_found', option: 'baseline', message: 'Baseline file not found' },
    ],
    [['check', '--preset'], { code: 'invalid_value', option: 'preset', message: "Option '--preset' argument" }],
    [
      ['check', '--baseline-reason', 'x'],
      { code: 'conflicting_options', option: 'baseline-reason', message: 'only goes with --write-baseline' },
    ],
  ])('%j', async (argv, expected) => {
    await expectJsonError([...argv, '--json'], expected);
  });

  it('--format json without --json keeps failures on stderr (the report format is not the error channel)', async () => {
    const run = await cli('check', '--format', 'json', '--fail-on', 'extreme');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^portcullis: --fail-on must be one of/);
  });

  it('reports a malformed baseline as invalid_input', async () => {
    await writeFile(join(work, 'base.json'), '[]');
    await expectJsonError(['check', '--json', '--baseline', 'base.json'], {
      code: 'invalid_input',
      option: 'baseline',
      message: 'is not a Portcullis baseline',
    });
  });
});

describe('portcullis routes --json', () => {
  it.each<[string[], Expected]>([
    [['routes', 'a', 'b'], { code: 'usage', message: 'routes: takes one directory' }],
    [['routes', '--nope'], { code: 'unknown_option', option: 'nope', message: "Unknown option '--nope'" }],
    [['routes', 'missing'], { code: 'not_found', message: 'No such file or directory' }],
  ])('%j', async (argv, expected) => {
    await expectJsonError([...argv, '--json'], expected);
  });
});

describe('the error codes', () => {
  it('an unknown command is unknown_command', async () => {
    await expectJsonError(['frobnicate', '--json'], {
      code: 'unknown_command',
      message: 'unknown command "frobnicate"',
    });
  });

  it('are documented in the README and the help', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8');
    const help = (await cli('--help')).stdout;
    for (const code of Object.keys(ERROR_CODES)) {
      expect(readme, code).toContain(`\`${code}\``);
      expect(help, code).toContain(code);
    }
  });

  it('without --json, a failure stays one line on stderr', async () => {
    const run = await cli('new', 'x', '--framework', 'koa');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('portcullis: --framework must be one of express, hono (got "koa")\n');
  });
});
