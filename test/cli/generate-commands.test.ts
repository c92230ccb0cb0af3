import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { GENERATORS } from '../../generators/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { newApp } from '../../src/generate/commands.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'portcullis-cli-'));
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

describe('portcullis new', () => {
  it('scaffolds an app headless and prints the JSON result', async () => {
    const { code, stdout, stderr } = await cli(
      'new',
      'shop',
      '--framework',
      'hono',
      '--modules',
      'all',
      '--yes',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'written',
      'created',
      'updated',
      'unchanged',
      'conflicts',
      'skipped',
      'nextSteps',
    ]);
    expect(json.written).toBe(true);
    expect(json.created).toContain('src/app.ts');
    for (const spec of GENERATORS)
      expect(
        JSON.parse(await readFile(join(work, 'shop', '.portcullis/manifest.json'), 'utf8')).generators,
      ).toHaveProperty(spec.name);
    const pkg = JSON.parse(await readFile(join(work, 'shop', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.name).toBe('shop');
    expect(pkg.dependencies).toMatchObject({ hono: '4.13.19', '@hono/node-server': '2.1.9' });
  }, 180_000);

  it.each([
    [['new', 'x', '--framework', 'koa'], '--framework must be one of express, hono (got "koa")'],
    [['new', 'x', '--modules', 'nope', '--yes'], 'unknown generator "nope"'],
    [['new', 'x', '--name', 'Bad Name', '--yes'], 'option --name must be'],
    [['new', '--yes'], 'new: which folder?'],
    [['new', 'x', '--auth', 'oidc'], 'unknown option --auth'],
    [
      ['new', 'x', '--set', 'db.size=3', '--modules', 'db', '--yes'],
      'db: unknown option "--size"; it takes no options.',
    ],
  ])('exits 2 with one line for %j and writes nothing', async (argv, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(await readdir(work)).toEqual([]);
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const { code, stdout } = await cli('new', 'shop', '--dry-run', '--yes');
    expect(code).toBe(0);
    expect(stdout).toContain('+++ b/src/server.ts');
    expect(stdout).toContain('Dry run: nothing was written');
    expect(existsSync(join(work, 'shop'))).toBe(false);
  });
});

describe('interactive answers', () => {
  it('asks for the framework when it is not given and a terminal is attached', async () => {
    const asked: string[] = [];
    const result = await newApp({
      dir: 'asked',
      cwd: work,
      ask: async (name, schema) => {
        asked.push(`${name}: ${schema.enum?.join('|') ?? ''}`);
        return 'hono';
      },
    });
    expect(asked).toEqual(['framework: express|hono']);
    expect(result.generators[0]!.options).toMatchObject({ framework: 'hono' });
    expect(await readFile(join(work, 'asked', 'src', 'app.ts'), 'utf8')).toContain("from 'hono'");
  });

  it('rejects an answer outside the allowed values', async () => {
    await expect(newApp({ dir: 'asked', cwd: work, ask: async () => 'koa' })).rejects.toThrow(
      '--framework must be one of express, hono (got "koa")',
    );
    expect(await readdir(work)).toEqual([]);
  });
});

describe('portcullis add', () => {
  beforeEach(async () => {
    expect((await cli('new', 'app', '--yes')).code).toBe(0);
  });

  it('adds a generator to an existing app, detecting the framework', async () => {
    const { code, stdout } = await cli('add', 'db', '--cwd', 'app', '--yes', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { created: string[] }).created).toContain('src/db/index.ts');
  });

  it('exits 1 on a conflict, writes nothing, and --force writes the new version beside it', async () => {
    expect((await cli('add', 'db', '--cwd', 'app', '--yes')).code).toBe(0);
    const file = join(work, 'app', 'src', 'db', 'index.ts');
    await writeFile(file, '// gone\n');
    // A new generator version: edited files conflict instead of being overwritten.
    const manifestPath = join(work, 'app', '.portcullis', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      files: Record<string, { version: string; hash: string }>;
    };
    manifest.files['src/db/index.ts']!.hash = 'sha256-older';
    await writeFile(manifestPath, JSON.stringify(manifest));
    const conflict = await cli('add', 'db', '--cwd', 'app', '--yes');
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toContain('CONFLICT src/db/index.ts: you edited the file since Portcullis generated it');
    expect(conflict.stdout).toContain('-// gone');
    expect(conflict.stdout).toContain('Stopped: files you changed would be overwritten, so nothing was written');
    expect(await readFile(file, 'utf8')).toBe('// gone\n');
    const asJson = await cli('add', 'db', '--cwd', 'app', '--yes', '--json');
    expect(asJson.code).toBe(1);
    expect(asJson.stderr).toBe('');
    const failure = JSON.parse(asJson.stdout) as {
      error: { code: string; message: string; conflicts: { path: string; reason: string; diff: string }[] };
    };
    expect(failure.error.code).toBe('conflict');
    expect(failure.error.message).toMatch(/^1 file\(s\) you changed would be overwritten; nothing was written/);
    expect(failure.error.conflicts).toEqual([
      {
        path: 'src/db/index.ts',
        reason: 'you edited the file since Portcullis generated it',
        diff: expect.stringContaining('-// gone') as unknown,
      },
    ]);
    expect(JSON.parse(await readFile(manifestPath, 'utf8'))).toEqual(manifest);
    const forced = await cli('add', 'db', '--cwd', 'app', '--yes', '--force', '--json');
    expect(forced.code).toBe(0);
    const json = JSON.parse(forced.stdout) as { conflicts: { newFile: string }[] };
    expect(json.conflicts[0]!.newFile).toBe('src/db/index.ts.portcullis-new');
    expect(await readFile(`${file}.portcullis-new`, 'utf8')).toContain('export async function openDatabase');
    expect(await readFile(file, 'utf8')).toBe('// gone\n');
  });

  it('refuses clearly when the framework cannot be told', async () => {
    await mkdir(join(work, 'plain'));
    await writeFile(join(work, 'plain', 'package.json'), '{"name":"plain","dependencies":{"fastify":"5.0.0"}}');
    const { code, stderr } = await cli('add', 'db', '--cwd', 'plain', '--yes');
    expect(code).toBe(2);
    expect(stderr).toContain('cannot tell the framework: package.json depends on neither express nor hono');
    expect(await readdir(join(work, 'plain'))).toEqual(['package.json']);
  });

  it('names the unknown generator and the known ones', async () => {
    const { code, stderr } = await cli('add', 'nope', '--cwd', 'app');
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown generator "nope"; generators: ${GENERATORS.map((g) => g.name).join(', ')}`);
  });
});

describe('portcullis list', () => {
  it('--json gives every generator with its option schema', async () => {
    const { code, stdout } = await cli('list', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { app: { name: string }; generators: { name: string; options: unknown }[] };
    expect(json.app.name).toBe('app');
    expect(json.generators.map((g) => g.name)).toEqual(GENERATORS.map((g) => g.name));
    for (const [index, spec] of GENERATORS.entries()) expect(json.generators[index]!.options).toEqual(spec.schema);
  });

  it('prints options with their allowed values', async () => {
    const { stdout } = await cli('list');
    expect(stdout).toContain('--framework  The HTTP framework. (one of express, hono, default "express")');
  });

  it('is listed in --help with new, add and mcp', async () => {
    const { stdout } = await cli('--help');
    for (const command of ['new', 'add', 'list', 'mcp']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});
