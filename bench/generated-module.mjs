// Shared by the runtime benchmarks: a generated module, compiled the way an app would compile it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Imports a module of the built repository (`dist/…`). */
export const loadBuilt = (path) => import(pathToFileURL(join(ROOT, path)).href);

const { renderGenerator } = await loadBuilt('dist/src/generate/render.js');

/**
 * Renders `runs` ([generator, options] pairs) into a scratch folder under `.tmp/bench`, compiles the
 * sources (tests left out) with the repository's TypeScript into `out/src`, puts migrations at
 * `out/migrations` (where the compiled db layer looks: `../../migrations` from `out/src/db`) and copies
 * the `assets` folders of `src` (policy files) beside the compiled code. `load(path)` imports a compiled
 * file by its path under `src`.
 */
export async function compileGenerated(name, runs, app, { assets = [] } = {}) {
  const dir = join(ROOT, '.tmp', 'bench', `${name}-${randomBytes(4).toString('hex')}`);
  const files = [];
  for (const [generator, options] of runs) files.push(...(await renderGenerator(generator, options, app)));
  for (const file of files) {
    if (file.path.endsWith('.test.ts')) continue;
    const target = file.path.startsWith('migrations/') ? join(dir, 'out', file.path) : join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      rootDir: 'src',
      outDir: 'out/src',
      types: ['node'],
    },
    include: ['src'],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
  for (const asset of assets) await cp(join(dir, 'src', asset), join(dir, 'out/src', asset), { recursive: true });
  return { dir, load: (path) => import(pathToFileURL(join(dir, 'out/src', path)).href) };
}
