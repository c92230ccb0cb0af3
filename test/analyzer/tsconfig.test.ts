/**
 * The project the checks read comes from its tsconfig, as the compiler reads it: `include`/`exclude`,
 * `extends` from a package (with `${configDir}`), solution-style `references`, `paths` aliases and
 * workspace packages linked into node_modules. A config the compiler rejects is a usage error.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { projectSourceFiles, readTsProject } from '../../src/analyzer/tsconfig.js';
import { discoverFiles } from '../../src/discovery/files.js';
import { runCheck } from '../../src/check/run-check.js';
import { runCli } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixture-dir.js';

/** An Express app whose unguarded DELETE handler lives behind an import only the tsconfig explains. */
function app(specifier: string): Record<string, string> {
  return {
    'src/server.ts': `import express from 'express';
import { deleteUser } from '${specifier}';

const app = express();
app.delete('/users/:id', deleteUser);
app.listen(3000);
`,
    'src/users/handlers.ts': `import type { Request, Response } from 'express';
import { db } from '../db.js';

export async function deleteUser(req: Request, res: Response): Promise<void> {
  await db.query('DELETE FROM users WHERE id = $1', [req.params.id]);
  res.status(204).end();
}
`,
    'src/db.ts': `import pg from 'pg';
export const db = new pg.Pool();
`,
  };
}

/** Route-authorization findings as file:line. */
async function holes(dir: string, project?: string): Promise<string[]> {
  const result = await runCheck({
    preset: 'strict',
    cwd: dir,
    cache: false,
    ...(project === undefined ? {} : { project }),
  });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => f.ruleId === 'require-route-authorization')
    .map((f) => `${f.file}:${String(f.line)}`);
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function project(files: Record<string, string>): Promise<string> {
  const fixture = await fixtureDir(files);
  cleanup = fixture.remove;
  return fixture.dir;
}

describe('the tsconfig defines the project', () => {
  // The first test loads the compiler and ESLint cold: a generous timeout for a loaded machine.
  it('follows extends from a package, ${configDir} paths and the include list', async () => {
    const dir = await project({
      ...app('~/users/handlers'),
      'node_modules/@acme/tsconfig/package.json': JSON.stringify({ name: '@acme/tsconfig', version: '1.0.0' }),
      'node_modules/@acme/tsconfig/base.json': JSON.stringify({
        compilerOptions: {
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          paths: { '~/*': ['${configDir}/src/*'] },
        },
        include: ['${configDir}/src'],
      }),
      'tsconfig.json': JSON.stringify({ extends: '@acme/tsconfig/base.json' }),
      // Not in the project (include: src): its unguarded route is not the app's.
      'tools/seed-server.ts': app('../src/users/handlers.js')['src/server.ts'] ?? '',
    });
    expect(await holes(dir)).toEqual(['src/server.ts:5']);
    const result = await runCheck({ preset: 'strict', cwd: dir, cache: false });
    expect(result.project).toEqual({
      tsconfig: ['node_modules/@acme/tsconfig/base.json', 'tsconfig.json'],
      files: 3,
      types: false,
    });
    const text = await runCli(['check', '--preset', 'strict', '--no-cache'], dir);
    expect(text.stdout).toContain(
      'Project checks read 3 files (node_modules/@acme/tsconfig/base.json, tsconfig.json).',
    );
    const tsProject = readTsProject(dir);
    expect(tsProject?.configFiles.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'node_modules/@acme/tsconfig/base.json',
      'tsconfig.json',
    ]);
    const files = projectSourceFiles(await discoverFiles({ root: dir }), tsProject).map((f) => f.slice(dir.length + 1));
    expect(files.sort()).toEqual(['src/db.ts', 'src/server.ts', 'src/users/handlers.ts']);
  }, 120_000);

  it('reads the projects a solution-style tsconfig references', async () => {
    const dir = await project({
      ...app('@app/users/handlers'),
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'tsconfig.app.json': JSON.stringify({
        compilerOptions: {
          composite: true,
          moduleResolution: 'Bundler',
          module: 'ESNext',
          paths: { '@app/*': ['./src/*'] },
        },
        include: ['src'],
      }),
    });
    expect(await holes(dir)).toEqual(['src/server.ts:5']);
  });

  it('resolves a workspace package linked into node_modules to its sources', async () => {
    const dir = await project({
      ...app('@acme/users'),
      'packages/users/package.json': JSON.stringify({ name: '@acme/users', exports: { '.': './src/index.ts' } }),
      'packages/users/src/index.ts': "export { deleteUser } from '../../../src/users/handlers.js';\n",
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'ESNext',
          moduleResolution: 'Bundler',
          allowImportingTsExtensions: true,
          noEmit: true,
        },
        include: ['src', 'packages'],
      }),
    });
    mkdirSync(join(dir, 'node_modules', '@acme'), { recursive: true });
    symlinkSync(join(dir, 'packages', 'users'), join(dir, 'node_modules', '@acme', 'users'));
    expect(await holes(dir)).toEqual(['src/server.ts:5']);
  });

  it('takes another config with --project, and reads every file when there is no tsconfig', async () => {
    const files: Record<string, string> = {
      ...app('../src/users/handlers.js'),
      'tsconfig.json': JSON.stringify({ include: ['src'] }),
      'tsconfig.tools.json': JSON.stringify({ extends: './tsconfig.json', include: ['src', 'tools'] }),
      'tools/seed-server.ts': app('../src/users/handlers.js')['src/server.ts'] ?? '',
    };
    files['src/server.ts'] = app('./users/handlers.js')['src/server.ts'] ?? '';
    const dir = await project(files);
    expect(await holes(dir)).toEqual(['src/server.ts:5']);
    expect(await holes(dir, 'tsconfig.tools.json')).toEqual(['src/server.ts:5', 'tools/seed-server.ts:5']);
    writeFileSync(join(dir, 'tsconfig.json'), '{}');
    expect(readTsProject(dir)?.units[0]?.fileNames.length).toBe(4);
  });

  it('re-analyses a warm project when only an extended config changed', async () => {
    const dir = await project({
      ...app('@app/users/handlers'),
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext', paths: {} },
      }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', include: ['src'] }),
    });
    const warm = async (): Promise<number> =>
      (await runCheck({ preset: 'strict', cwd: dir })).findings.filter(
        (f) => f.ruleId === 'require-route-authorization',
      ).length;
    expect(await warm()).toBe(0);
    writeFileSync(
      join(dir, 'tsconfig.base.json'),
      JSON.stringify({
        compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext', paths: { '@app/*': ['./src/*'] } },
      }),
    );
    expect(await warm()).toBe(1);
  });
});

describe('a repository without a root tsconfig', () => {
  /** The app of `app()` moved into a subfolder, with its own tsconfig and alias. */
  function nested(folder: string, tsconfig: object): Record<string, string> {
    const files: Record<string, string> = { 'package.json': '{ "private": true }\n' };
    for (const [path, text] of Object.entries(app('~/users/handlers'))) files[`${folder}/${path}`] = text;
    files[`${folder}/tsconfig.json`] = JSON.stringify(tsconfig);
    return files;
  }
  const aliased = { compilerOptions: { baseUrl: '.', paths: { '~/*': ['./src/*'] } }, include: ['src'] };

  it('reads the tsconfig.json files in subfolders: their aliases resolve', async () => {
    const dir = await project({
      ...nested('apps/api', aliased),
      // A tsconfig the compiler rejects, found by nobody's choice (a fixture): left out, not fatal.
      'apps/api/test/fixtures/broken/tsconfig.json': '{ "compilerOptions": ',
      'apps/api/test/fixtures/broken/x.ts': 'export const x = 1;\n',
    });
    expect(await holes(dir)).toEqual(['apps/api/src/server.ts:5']);
    const result = await runCheck({ preset: 'strict', cwd: dir, cache: false });
    expect(result.project?.tsconfig).toEqual(['apps/api/tsconfig.json']);
    const tsProject = readTsProject(dir, undefined, [join(dir, 'apps/api/tsconfig.json')]);
    expect(tsProject?.scopes).toEqual([join(dir, 'apps/api')]);
  });

  it('without the nested tsconfig the alias does not resolve (the finding depends on it)', async () => {
    const dir = await project({ ...nested('apps/api', aliased), 'apps/api/tsconfig.json': '' });
    expect(await holes(dir)).toEqual([]);
  });

  it('uses a config whose base comes from a package that is not installed', async () => {
    const dir = await project(nested('apps/api', { extends: '@repo/typescript-config/base.json', ...aliased }));
    expect(await holes(dir)).toEqual(['apps/api/src/server.ts:5']);
  });
});

describe('a tsconfig the compiler rejects', () => {
  it.each([
    [
      'a missing extends',
      JSON.stringify({ extends: './tsconfig.missing.json' }),
      /tsconfig\.json is not a valid tsconfig: .*tsconfig\.missing\.json/,
    ],
    ['broken JSON', '{ "compilerOptions": { "strict": true ', /tsconfig\.json is not a valid tsconfig: /],
    [
      'an unknown option value',
      JSON.stringify({ compilerOptions: { module: 'amd64' } }),
      /is not a valid tsconfig: .*module/,
    ],
  ])('is a usage error naming the file (%s)', async (_name, text, message) => {
    const dir = await project({ 'src/a.ts': 'export const a = 1;\n', 'tsconfig.json': text });
    const run = await runCli(['check', '--preset', 'strict', '--no-cache'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('is a usage error when --project names no file', async () => {
    const dir = await project({ 'src/a.ts': 'export const a = 1;\n' });
    const run = await runCli(['check', '--project', 'tsconfig.nope.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--project: tsconfig.nope.json does not exist');
  });
});
