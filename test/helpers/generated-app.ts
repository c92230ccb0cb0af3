/**
 * Test harness for generated modules: renders generators into a throw-away app folder inside the
 * repository (so the repository's node_modules resolve), then typechecks it with strict TS, runs
 * its generated tests with vitest, and lints it with Portcullis itself.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { expect } from 'vitest';

import type { AppContext, GeneratorSpec } from '../../generators/types.js';
import { runCheck, type CheckResult } from '../../src/check/run-check.js';
import { appGenerator } from '../../generators/app/index.js';
import { GENERATORS, OptionsError } from '../../generators/index.js';
import { generate, type GenerateResult } from '../../src/generate/engine.js';
import { renderGenerator, type RenderedFile } from '../../src/generate/render.js';

const run = promisify(execFile);
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = (name: string): string => join(REPO_ROOT, 'node_modules', '.bin', name);

/** How many tests the `db` generator writes; module tests count them with their own. */
export const DB_GENERATED_TESTS = 3;

export const DEFAULT_APP: AppContext = { framework: 'express', db: 'pglite', modules: [] };

export const TEST_TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    exactOptionalPropertyTypes: false,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    isolatedModules: true,
  },
  include: ['src', 'test'],
};

export interface ScaffoldedApp {
  dir: string;
  files: RenderedFile[];
  remove(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous generator options
export type GeneratorRun = readonly [GeneratorSpec<any>, Readonly<Record<string, unknown>>];

/** Renders the generators (in order) into `.tmp/apps/<label>-<random>/` with a strict tsconfig. */
export async function scaffoldForTest(
  label: string,
  runs: readonly GeneratorRun[],
  app: AppContext = DEFAULT_APP,
): Promise<ScaffoldedApp> {
  const dir = join(REPO_ROOT, '.tmp', 'apps', `${label}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const context: AppContext = { ...app, modules: [...new Set([...app.modules, ...runs.map(([spec]) => spec.name)])] };
  const files: RenderedFile[] = [];
  for (const [spec, raw] of runs) {
    const options: unknown = spec.normalizeOptions(raw, context);
    files.push(...(await renderGenerator(spec, options, context)));
  }
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, 'utf8');
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: label, private: true, type: 'module' }, null, 2));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TEST_TSCONFIG, null, 2));
  await writeFile(
    join(dir, 'vitest.config.ts'),
    "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } });\n",
  );
  return { dir, files, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The OptionsError `normalize` throws (a test of option validation); anything else fails the test. */
export function optionsErrorOf(normalize: () => unknown, input: unknown): OptionsError {
  try {
    normalize();
  } catch (error) {
    if (error instanceof OptionsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

/** "Tests  16 passed | 5 skipped (21)" → { passed: 16, skipped: 5, failed: 0 } */
export function testCounts(output: string): { passed: number; skipped: number; failed: number } {
  // eslint-disable-next-line no-control-regex -- strip ANSI colours from vitest's summary
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((text) => /^\s*Tests\s/.test(text)) ?? '';
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: count('passed'), skipped: count('skipped'), failed: count('failed') };
}

export interface CommandOutcome {
  ok: boolean;
  output: string;
}

async function outcome(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CommandOutcome> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` || failure.message };
  }
}

/** `tsc --noEmit -p <dir>` with the repository's TypeScript. */
export function typecheck(dir: string): Promise<CommandOutcome> {
  return outcome(BIN('tsc'), ['-p', join(dir, 'tsconfig.json')], dir);
}

/**
 * The app's own generated tests, with the repository's vitest; `filters` (paths relative to the app)
 * run only those test files, where the rest is the contract test's (every module, both frameworks).
 */
export function runGeneratedTests(
  dir: string,
  env: NodeJS.ProcessEnv = {},
  filters: readonly string[] = [],
): Promise<CommandOutcome> {
  return outcome(BIN('vitest'), ['run', '--root', dir, ...filters], dir, env);
}

/** `portcullis check` over the generated app (recommended preset). */
export function lintGenerated(dir: string): Promise<CheckResult> {
  return runCheck({ cwd: dir });
}

export interface ScaffoldedFullApp {
  dir: string;
  /** What the engine did: created files, skipped registrations, next steps. */
  result: GenerateResult;
  remove(): Promise<void>;
}

/**
 * Like `scaffoldForTest`, but through the real engine and on the real app skeleton (`portcullis new`):
 * `src/app.ts` with `registerModules`, package.json and `.env.example` edits, prettier formatting,
 * `register` actions applied. The app sits in `.tmp/apps/` so the repository's node_modules resolve.
 */
export async function scaffoldAppForTest(
  label: string,
  runs: readonly GeneratorRun[],
  framework: AppContext['framework'] = 'express',
): Promise<ScaffoldedFullApp> {
  const dir = join(REPO_ROOT, '.tmp', 'apps', `${label}-${randomBytes(4).toString('hex')}`);
  const extra = runs.map(([spec]) => spec).filter((spec) => !GENERATORS.includes(spec));
  const result = await generate({
    target: dir,
    generators: [
      { generator: appGenerator.name, options: { name: label.toLowerCase().replace(/[^a-z0-9-]+/g, '-'), framework } },
      ...runs.map(([spec, options]) => ({ generator: spec.name, options })),
    ],
    app: { framework },
    registry: [appGenerator, ...GENERATORS.filter((spec) => !extra.some((e) => e.name === spec.name)), ...extra],
  });
  return { dir, result, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The comment a file type starts its provenance banner with. */
function bannerComment(path: string): string {
  if (path.endsWith('.sql')) return '--';
  if (path.endsWith('.md')) return '<!--';
  return '//';
}

/** Every file `spec` wrote starts with the provenance banner naming the generator and its current version. */
export function expectProvenanceBanners(
  files: readonly RenderedFile[],
  spec: Pick<GeneratorSpec, 'name' | 'version'>,
): void {
  const own = files.filter((file) => file.generator === spec.name);
  expect(own.length, `files written by ${spec.name}`).toBeGreaterThan(0);
  const version = spec.version.replaceAll('.', '\\.');
  for (const file of own)
    expect(file.content.split('\n')[0], file.path).toMatch(
      new RegExp(`^${bannerComment(file.path)} Generated by portcullis ${spec.name} generator ${version}\\b`),
    );
}
