import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { appGenerator } from '../../generators/app/index.js';
import { GENERATORS } from '../../generators/index.js';
import { OptionsError } from '../../generators/types.js';
import { generate, type GenerateOptions } from '../../src/generate/engine.js';
import { UnsafePathError, WriteFailedError } from '../../src/generate/errors.js';
import { nodeFileSystem, type FileSystem } from '../../src/generate/fs.js';
import { contentHash, MANIFEST_PATH, parseManifest } from '../../src/generate/manifest.js';
import { greetGenerator, registryWith, tempDir } from './fixtures.js';

let tmp: { dir: string; remove(): Promise<void> };
let app: string;
beforeEach(async () => {
  tmp = await tempDir('engine');
  app = join(tmp.dir, 'app');
});
afterEach(async () => {
  await tmp.remove();
});

const greet = greetGenerator();
const registry = registryWith(greet);

function run(generators: GenerateOptions['generators'], extra: Partial<GenerateOptions> = {}) {
  return generate({ target: app, generators, registry, ...extra });
}

const skeleton = (framework: 'express' | 'hono' = 'express') => run([{ generator: 'app', options: { framework } }]);

async function listTree(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

function commitAll(dir: string): void {
  if (!existsSync(join(dir, '.git'))) git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'generated', '--allow-empty');
}

describe('options', () => {
  it('rejects an invalid enum value naming the option and its allowed values, writing nothing', async () => {
    await expect(run([{ generator: 'app', options: { framework: 'koa' } }])).rejects.toThrow(
      /option --framework must be one of express, hono/,
    );
    expect(existsSync(app)).toBe(false);
  });

  it('rejects a missing required option before writing anything, even the app skeleton', async () => {
    const error = await run([{ generator: 'app' }, { generator: 'greet', options: { tone: 'loud' } }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).option).toBe('greeting');
    expect((error as Error).message).toContain('missing option --greeting (a string: What to say.)');
    expect(existsSync(app)).toBe(false);
  });

  it('rejects an unknown option and lists the known ones', async () => {
    await skeleton();
    await expect(run([{ generator: 'greet', options: { greeting: 'hi', colour: 'red' } }])).rejects.toThrow(
      'greet: unknown option "--colour"; its options are --greeting, --tone, --path.',
    );
  });

  it('fills schema defaults', async () => {
    await skeleton();
    const result = await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    expect(result.generators).toEqual([
      { name: 'greet', version: '1.0.0', options: { greeting: 'hi', tone: 'plain', path: 'docs/greet.md' } },
    ]);
  });
});

describe('manifest and re-runs', () => {
  it('records generator, version, options and content hash for every generated file', async () => {
    const result = await skeleton('hono');
    const manifest = parseManifest(await readFile(join(app, MANIFEST_PATH), 'utf8'));
    expect(manifest.app).toEqual({ framework: 'hono', db: 'pglite' });
    const appTs = await readFile(join(app, 'src/app.ts'), 'utf8');
    expect(manifest.files['src/app.ts']).toEqual({
      generator: 'app',
      version: appGenerator.version,
      options: { name: 'portcullis-app', framework: 'hono', db: 'pglite' },
      hash: contentHash(appTs),
    });
    // package.json and .env.example are shared with the user and other generators: edited, not owned.
    expect(manifest.files['package.json']).toBeUndefined();
    expect(result.created).toContain('package.json');
  });

  it.each([['app'], ...GENERATORS.map((spec) => [spec.name])])(
    'running %s twice leaves a clean git status',
    async (name) => {
      await skeleton();
      if (name !== 'app') await run([{ generator: name }]);
      commitAll(app);
      const again = await run([{ generator: name }]);
      expect(again.created).toEqual([]);
      expect(again.updated).toEqual([]);
      expect(again.conflicts).toEqual([]);
      expect(git(app, 'status', '--porcelain')).toBe('');
    },
  );

  it('registers a module in the app entry once, and re-running adds no duplicate import or call', async () => {
    await skeleton();
    await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    commitAll(app);
    await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    await run([
      { generator: 'app', options: { framework: 'express' } },
      { generator: 'greet', options: { greeting: 'hi' } },
    ]);
    expect(git(app, 'status', '--porcelain')).toBe('');
    const entry = await readFile(join(app, 'src/app.ts'), 'utf8');
    expect(entry.match(/import \{ mountGreet \} from '\.\/greet\/mount\.js';/g)).toHaveLength(1);
    expect(entry.match(/mountGreet\(app\);/g)).toHaveLength(1);
    expect(entry.indexOf('mountGreet(app);')).toBeLessThan(entry.indexOf('export function createApp'));
    const pkg = JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as {
      dependencies: object;
      scripts: Record<string, string>;
    };
    expect(pkg.dependencies).toMatchObject({ jose: '6.2.17', express: '5.3.0' });
    expect(pkg.scripts['greet:send']).toBe('node dist/greet/send.js');
    const env = await readFile(join(app, '.env.example'), 'utf8');
    expect(env.match(/^GREETING_SECRET=/gm)).toHaveLength(1);
    expect(env).toContain('# Signs greetings.\nGREETING_SECRET=\n');
  });

  it("keeps the user's own npm script of the same name and says so", async () => {
    await skeleton();
    const path = join(app, 'package.json');
    const pkg = JSON.parse(await readFile(path, 'utf8')) as { scripts?: Record<string, string> };
    pkg.scripts = { ...pkg.scripts, 'greet:send': 'tsx scripts/send.ts' };
    await writeFile(path, `${JSON.stringify(pkg, null, 2)}\n`);
    const result = await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    const after = JSON.parse(await readFile(path, 'utf8')) as { scripts: Record<string, string> };
    expect(after.scripts['greet:send']).toBe('tsx scripts/send.ts');
    expect(result.nextSteps).toContain(
      'Kept your npm script "greet:send"; greet would run it as: node dist/greet/send.js',
    );
  });

  it('adds a required generator (db) when the app does not have it yet, before the one that needs it', async () => {
    await skeleton();
    const needsDb = { ...greetGenerator(), name: 'needs-db', requires: ['db'] };
    const result = await generate({
      target: app,
      generators: [{ generator: 'needs-db', options: { greeting: 'x', path: 'docs/needs-db.md' } }],
      registry: registryWith(needsDb),
    });
    expect(result.generators.map((g) => g.name)).toEqual(['db', 'needs-db']);
    expect(result.created).toContain('src/db/index.ts');
  });

  it('upgrades untouched files when the generator version changes, and leaves edited ones as conflicts', async () => {
    await skeleton();
    await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    const notes = join(app, 'docs/greet.md');
    await writeFile(notes, 'my own notes\n');
    const v2 = greetGenerator('2.0.0', 'greet/greet-v2.ts.hbs');
    const result = await generate({
      target: app,
      generators: [{ generator: 'greet', options: { greeting: 'hi' } }],
      registry: registryWith(v2),
    });
    expect(result.updated).toEqual(['src/greet/greet.ts', 'src/greet/mount.ts']);
    expect(await readFile(join(app, 'src/greet/greet.ts'), 'utf8')).toContain('${name}!');
    // notes.md is the same in both versions: the user's edit stands and nothing is reported.
    expect(result.conflicts).toEqual([]);
    expect(result.unchanged).toContain('docs/greet.md');
    expect(await readFile(notes, 'utf8')).toBe('my own notes\n');
  });
});

describe('conflicts', () => {
  it('never overwrites a file the user edited: reports a conflict with a unified diff and writes nothing', async () => {
    await skeleton();
    const file = join(app, 'src/config.ts');
    const edited = `${await readFile(file, 'utf8')}export const EXTRA = 1;\n`;
    await writeFile(file, edited);
    const result = await generate({
      target: app,
      generators: [{ generator: 'app', options: { framework: 'express' } }],
      registry: registryWith({ ...appGenerator, version: '99.0.0' }),
    });
    expect(await readFile(file, 'utf8')).toBe(edited);
    expect(result.conflicts).toHaveLength(1);
    const [conflict] = result.conflicts;
    expect(conflict!.path).toBe('src/config.ts');
    expect(conflict!.reason).toBe('you edited the file since Portcullis generated it');
    expect(conflict!.diff).toContain('--- a/src/config.ts');
    expect(conflict!.diff).toContain('-export const EXTRA = 1;');
    expect(conflict!.newFile).toBeUndefined();
    expect(existsSync(`${file}.portcullis-new`)).toBe(false);
    // Plan everything, detect every conflict, then write: nothing else was written, not even the
    // untouched files (no half-upgraded app), and the manifest is as it was.
    expect(result.written).toBe(false);
    expect(result.updated).toContain('src/server.ts');
    const server = await readFile(join(app, 'src/server.ts'), 'utf8');
    expect(server).not.toContain('app generator 99.0.0');
    expect(server).toContain(`app generator ${appGenerator.version}`);
    const manifest = parseManifest(await readFile(join(app, MANIFEST_PATH), 'utf8'));
    expect(manifest.files['src/config.ts']!.version).toBe(appGenerator.version);
    expect(manifest.files['src/server.ts']!.version).toBe(appGenerator.version);
    expect(result.nextSteps).toEqual([expect.stringMatching(/^Nothing was written: 1 file\(s\) you changed/)]);
  });

  it('reports every conflict of the run, not only the first', async () => {
    await skeleton();
    for (const path of ['src/config.ts', 'src/server.ts']) {
      const file = join(app, path);
      await writeFile(file, `${await readFile(file, 'utf8')}// mine\n`);
    }
    const result = await generate({
      target: app,
      generators: [{ generator: 'app', options: { framework: 'express' } }],
      registry: registryWith({ ...appGenerator, version: '99.0.0' }),
    });
    expect(result.conflicts.map((c) => c.path)).toEqual(['src/config.ts', 'src/server.ts']);
    expect(result.conflicts.every((c) => c.diff.includes('-// mine'))).toBe(true);
    expect(result.written).toBe(false);
  });

  it('with --force writes the new version beside the edited file as <file>.portcullis-new', async () => {
    await skeleton();
    const file = join(app, 'src/app.ts');
    await writeFile(file, '// my app now\n');
    const result = await generate({
      target: app,
      generators: [{ generator: 'app' }],
      registry: registryWith({ ...appGenerator, version: '99.0.0' }),
      force: true,
    });
    expect(await readFile(file, 'utf8')).toBe('// my app now\n');
    expect(result.conflicts.map((c) => [c.path, c.newFile])).toEqual([['src/app.ts', 'src/app.ts.portcullis-new']]);
    expect(result.written).toBe(true);
    expect(await readFile(join(app, 'src/server.ts'), 'utf8')).toContain('app generator 99.0.0');
    const beside = await readFile(`${file}.portcullis-new`, 'utf8');
    expect(beside).toContain('export function createApp');
  });

  it('treats a file that exists but was not generated as the user’s', async () => {
    await mkdir(join(app, 'src'), { recursive: true });
    await writeFile(join(app, 'src/config.ts'), 'export const mine = true;\n');
    const result = await skeleton();
    expect(result.conflicts.map((c) => [c.path, c.reason])).toEqual([
      ['src/config.ts', 'the file exists and was not written by Portcullis'],
    ]);
    expect(await readFile(join(app, 'src/config.ts'), 'utf8')).toBe('export const mine = true;\n');
    // `new` into a folder with a file of the user's in the way writes nothing at all.
    expect(result.written).toBe(false);
    expect(existsSync(join(app, 'package.json'))).toBe(false);
    expect(existsSync(join(app, MANIFEST_PATH))).toBe(false);
  });

  it('respects a generated file the user deleted', async () => {
    await skeleton();
    execFileSync('rm', [join(app, 'src/server.ts')]);
    const result = await skeleton();
    expect(result.skipped).toEqual([
      { path: 'src/server.ts', reason: 'deleted since it was generated; run with --force to restore it' },
    ]);
    expect(existsSync(join(app, 'src/server.ts'))).toBe(false);
  });
});

describe('dry run', () => {
  it('prints a unified diff of a new app and writes nothing', async () => {
    const result = await run([{ generator: 'app' }, { generator: 'db' }], { dryRun: true });
    expect(existsSync(app)).toBe(false);
    expect(result.created).toContain('src/db/index.ts');
    expect(result.diff).toContain('--- /dev/null\n+++ b/src/app.ts');
    expect(result.diff).toContain('+export function createApp(services: Services): Express {');
  });

  it('shows only the edits an add would make to existing files', async () => {
    await skeleton();
    const before = await listTree(app);
    const pkgBefore = await readFile(join(app, 'package.json'), 'utf8');
    const result = await run([{ generator: 'greet', options: { greeting: 'hi' } }], { dryRun: true });
    expect(await listTree(app)).toEqual(before);
    expect(await readFile(join(app, 'package.json'), 'utf8')).toBe(pkgBefore);
    // The README's configuration table lists the module's variable too.
    expect(result.updated.sort()).toEqual(['.env.example', 'README.md', 'package.json', 'src/app.ts']);
    expect(result.diff).toContain('+| `GREETING_SECRET` | Signs greetings.');
    expect(result.diff).toContain('+    "jose": "6.2.17"');
    expect(result.diff).toContain("+import { mountGreet } from './greet/mount.js';");
  });
});

describe('safety', () => {
  it.each([['../outside.md'], ['/etc/portcullis.md'], ['docs/../../x.md'], ['docs\\x.md'], ['./docs/x.md']])(
    'rejects the output path %s and writes nothing',
    async (path) => {
      await skeleton();
      const before = await listTree(tmp.dir);
      await expect(run([{ generator: 'greet', options: { greeting: 'hi', path } }])).rejects.toBeInstanceOf(
        UnsafePathError,
      );
      expect(await listTree(tmp.dir)).toEqual(before);
    },
  );

  it('refuses to write through a symlink that leads outside the target', async () => {
    const outside = join(tmp.dir, 'outside');
    await mkdir(outside);
    await mkdir(app);
    await symlink(outside, join(app, 'src'));
    await expect(skeleton()).rejects.toThrow(/"src" is a symlink that leads outside the target/);
    expect(await readdir(outside)).toEqual([]);
    expect(existsSync(join(app, 'package.json'))).toBe(false);
  });

  it('refuses to write through a file symlink that points outside the target', async () => {
    await skeleton();
    const secret = join(tmp.dir, 'outside.ts');
    await writeFile(secret, 'export const untouched = true;\n');
    await rm(join(app, 'src/config.ts'));
    await symlink(secret, join(app, 'src/config.ts'));
    await expect(run([{ generator: 'app' }], { force: true })).rejects.toBeInstanceOf(UnsafePathError);
    expect(await readFile(secret, 'utf8')).toBe('export const untouched = true;\n');
  });

  it('follows a symlink that stays inside the target', async () => {
    await mkdir(join(app, 'real-src'), { recursive: true });
    await symlink(join(app, 'real-src'), join(app, 'src'));
    await skeleton();
    expect(existsSync(join(app, 'real-src', 'app.ts'))).toBe(true);
  });

  it('rolls back every write of the run when one fails part-way', async () => {
    await skeleton();
    commitAll(app);
    let writes = 0;
    const failing: FileSystem = {
      ...nodeFileSystem,
      async writeAtomic(path, content) {
        writes += 1;
        if (writes === 4) throw new Error('disk full');
        await nodeFileSystem.writeAtomic(path, content);
      },
    };
    const error = await run([{ generator: 'greet', options: { greeting: 'hi' } }], { fileSystem: failing }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as WriteFailedError).rolledBack).toHaveLength(3);
    expect((error as Error).message).toContain('disk full');
    expect(git(app, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(app, 'src/greet'))).toBe(false);
    expect(existsSync(join(app, 'docs'))).toBe(false);
  });

  it('leaves no temp files behind', async () => {
    await skeleton();
    expect((await listTree(app)).filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });
});

describe('framework detection', () => {
  it('reads the framework from package.json', async () => {
    await skeleton('hono');
    await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    expect(await readFile(join(app, 'src/greet/mount.ts'), 'utf8')).toContain("from 'hono'");
  });

  it.each([
    [undefined, /no package\.json in the target folder/],
    ['{"dependencies":{"koa":"2.0.0"}}', /depends on neither express nor hono/],
    ['{"dependencies":{"express":"5.3.0","hono":"4.13.19"}}', /depends on both express and hono/],
    ['{ not json', /not valid JSON/],
  ])('refuses clearly when it cannot tell (package.json %s)', async (pkg, message) => {
    await mkdir(app);
    if (pkg !== undefined) await writeFile(join(app, 'package.json'), pkg);
    await expect(run([{ generator: 'db' }])).rejects.toThrow(message);
    expect(await listTree(app)).toEqual(pkg === undefined ? [] : ['package.json']);
  });
});

describe('test harness on the real skeleton', () => {
  it('scaffoldAppForTest writes the app, applies register actions, and the result typechecks', async () => {
    const { scaffoldAppForTest, typecheck } = await import('../helpers/generated-app.js');
    const scaffolded = await scaffoldAppForTest('harness', [[greetGenerator(), { greeting: 'hi' }]], 'hono');
    try {
      expect(scaffolded.result.skipped).toEqual([]);
      expect(await readFile(join(scaffolded.dir, 'src/app.ts'), 'utf8')).toContain('mountGreet(app);');
      const result = await typecheck(scaffolded.dir);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    } finally {
      await scaffolded.remove();
    }
  }, 120_000);
});

describe('apps not made by Portcullis', () => {
  it('adds a module to a plain Express app and says how to register it when the entry has no registerModules', async () => {
    await mkdir(join(app, 'src'), { recursive: true });
    await writeFile(join(app, 'package.json'), '{ "name": "plain", "dependencies": { "express": "5.3.0" } }\n');
    await writeFile(join(app, 'src/app.ts'), "import express from 'express';\nexport const app = express();\n");
    const result = await run([{ generator: 'greet', options: { greeting: 'hi' } }]);
    expect(result.created).toEqual(expect.arrayContaining(['src/greet/greet.ts', '.env.example']));
    expect(result.updated).toEqual(['package.json']);
    expect(result.skipped).toEqual([
      {
        path: 'src/app.ts',
        reason: 'could not register greet: it has no function registerModules(app) to register modules in',
      },
    ]);
    expect(result.nextSteps).toContain(
      "Register greet in your app: import { mountGreet } from './greet/mount.js' and call mountGreet(app).",
    );
    expect(await readFile(join(app, 'src/app.ts'), 'utf8')).toBe(
      "import express from 'express';\nexport const app = express();\n",
    );
  });
});

describe('the app skeleton', () => {
  it('compiles with the same compiler options as the module test harness', async () => {
    const { TEST_TSCONFIG } = await import('../helpers/generated-app.js');
    await skeleton();
    const tsconfig = JSON.parse(await readFile(join(app, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
    expect(tsconfig.compilerOptions).toEqual(TEST_TSCONFIG.compilerOptions);
  });
});
