/**
 * The contract (issue 5): for every framework, a new app with every generator in GENERATORS installs
 * from its own package.json (pinned versions, the packed portcullis tarball), typechecks, passes its own
 * tests, lints and formats clean, and `portcullis check` reports zero findings. The apps live in the OS
 * temp folder so nothing resolves from this repository's node_modules. They are installed together, as the
 * workspaces of one throw-away root, so one `npm install` (with the shared npm cache) serves every case.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GENERATORS } from '../../generators/index.js';
import { runCheck } from '../../src/check/run-check.js';
import { newApp } from '../../src/generate/commands.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const exec = promisify(execFile);
const INSTALL_TIMEOUT = 8 * 60_000;
/** The CI's PostgreSQL (see .ci/postgres.sh): the Express pilot runs on it when set, on PGlite otherwise. */
const PG_URL = process.env.PORTCULLIS_TEST_PG_URL ?? '';

interface Outcome {
  ok: boolean;
  output: string;
}

async function sh(
  command: string,
  args: string[],
  cwd: string,
  timeout = INSTALL_TIMEOUT,
  env: NodeJS.ProcessEnv = {},
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_config_update_notifier: 'false', ...env },
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

const FRAMEWORKS = ['express', 'hono'] as const;
const appDir = (framework: string): string => join(work, `app-${framework}`);

const LOCAL_IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

/**
 * The test files of the app in `dir` whose code differs from the app in `base`: the test itself or any
 * local module it imports, transitively, is missing from `base` or has other content. The other tests are
 * the same files on the same code (migrations and packages they use are the same too), already run there.
 */
function testsDifferingFrom(base: string, dir: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  const differs = (file: string): boolean => {
    const other = join(base, relative(dir, file));
    return !existsSync(other) || readFileSync(other, 'utf8') !== readFileSync(file, 'utf8');
  };
  const dependsOnDifference = (test: string): boolean => {
    const seen = new Set<string>();
    const todo = [test];
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      if (seen.has(file) || !existsSync(file)) continue;
      seen.add(file);
      if (differs(file)) return true;
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(LOCAL_IMPORT))
        todo.push(join(dirname(file), specifier!.replace(/\.js$/, '.ts')));
    }
    return false;
  };
  return walk(join(dir, 'src'))
    .filter((file) => file.endsWith('.test.ts') && dependsOnDifference(file))
    .map((file) => relative(dir, file));
}

let work: string;
let install: Outcome;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'portcullis-contract-'));
  if (!existsSync(join(REPO_ROOT, 'dist', 'eslint-plugin', 'index.js'))) {
    const build = await sh('npm', ['run', 'build'], REPO_ROOT);
    expect(build.ok, build.output).toBe(true);
  }
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', work], REPO_ROOT);
  expect(pack.ok, pack.output).toBe(true);
  const [info] = JSON.parse(pack.output.slice(pack.output.indexOf('['), pack.output.lastIndexOf(']') + 1)) as {
    filename: string;
  }[];
  const tarball = join(work, info!.filename);

  for (const framework of FRAMEWORKS) {
    const dir = appDir(framework);
    const result = await newApp({ dir, cwd: work, framework, modules: 'all' });
    expect(result.conflicts).toEqual([]);
    expect(result.generators.map((g) => g.name).sort()).toEqual(['app', ...GENERATORS.map((g) => g.name)].sort());
    // This version of portcullis is not published: install the package this repository builds.
    const pkgPath = join(dir, 'package.json');
    const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { devDependencies: Record<string, string> };
    pkg.devDependencies.portcullis = `file:${tarball}`;
    await writeFile(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  await writeFile(
    join(work, 'package.json'),
    JSON.stringify({ name: 'contract', private: true, workspaces: FRAMEWORKS.map((f) => `app-${f}`) }, null, 2),
  );
  install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], work);
}, 2 * INSTALL_TIMEOUT);

it('installs every generated app from its own package.json', () => {
  expect(install.ok, install.output).toBe(true);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.sequential.each(FRAMEWORKS)('a new %s app with every generator', (framework) => {
  const dir = (): string => appDir(framework);

  it('pins every dependency to the exact version this repository is tested with', async () => {
    const own = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const pins = { ...own.devDependencies, ...own.dependencies };
    const app = JSON.parse(await readFile(join(dir(), 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries({ ...app.dependencies, ...app.devDependencies })) {
      if (name === 'portcullis') continue;
      expect(version, name).toBe(pins[name]);
    }
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await sh(join(work, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], dir());
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 600_000);

  it('builds, and its npm scripts run the compiled commands (webhook replay, payments reconciliation)', async () => {
    const build = await sh('npm', ['run', 'build'], dir(), 600_000);
    expect(build.ok, build.output).toBe(true);
    // The script's path is where the build puts the command (replaying against a migrated database
    // under plain node is the webhook module's own test).
    const replay = await sh('npm', ['run', '--silent', 'webhooks:replay', '--', '--help'], dir(), 300_000);
    expect(replay.ok, replay.output).toBe(true);
    expect(replay.output).toContain('Usage: npm run webhooks:replay -- (--list | --all');
    const reconcile = await sh('npm', ['run', '--silent', 'payments:reconcile', '--', '--help'], dir(), 300_000);
    expect(reconcile.ok, reconcile.output).toBe(true);
    expect(reconcile.output).toContain('Usage: npm run payments:reconcile');
  }, 1_200_000);

  // With a PostgreSQL server (CI), Express runs `npm run pilot` on it and Hono on PGlite, the default a user
  // gets: both databases and both frameworks, without a third pilot run. Both frameworks also run the whole
  // pilot on PostgreSQL as the production login role in their own tests (src/setup/login-role.pg.test.ts).
  const pilotOnPostgres = PG_URL !== '' && framework === 'express';
  it(`passes the security pilot (npm run pilot, ${pilotOnPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
    let databaseUrl = '';
    if (pilotOnPostgres) {
      // A database of its own, so the pilot starts from nothing like on a fresh machine.
      const database = `pilot_${framework}_${String(process.pid)}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const url = new URL(PG_URL);
      url.pathname = `/${database}`;
      databaseUrl = url.href;
    }
    const result = await sh('npm', ['run', '--silent', 'pilot'], dir(), 800_000, {
      DATABASE_URL: databaseUrl,
      OIDC_ISSUER: '',
    });
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toMatch(/All \d+ steps passed\./);
    for (const step of [
      'SSO sign-in with PKCE',
      'Roles:',
      'Tenant isolation',
      'Step-up',
      'Rotate the JWT signing key',
      'Process a test payment',
      'Rotate keys: KEK rotated',
      'Audit report',
    ])
      expect(result.output).toMatch(new RegExp(`${step}[^\\n]*\\| pass`));
    expect(result.output).toContain(`Database: ${databaseUrl === '' ? 'PGlite' : 'PostgreSQL'}`);
  }, 900_000);

  // Bounded work (the app's own suite, then two `check` runs): the limits only catch a hang, so they are
  // far above what a loaded 2-core machine needs.
  // The first framework's app runs its whole suite; the next one the tests whose code differs from it
  // (its adapters, composition and every test that imports them: 13 of 32 files for Hono today).
  const first = framework === FRAMEWORKS[0];
  it(`passes its own tests${first ? '' : ` (those whose code differs from the ${FRAMEWORKS[0]} app's)`}`, async () => {
    const files = first ? [] : testsDifferingFrom(appDir(FRAMEWORKS[0]), dir());
    if (!first) expect(files).toEqual(expect.arrayContaining([`src/auth/${framework}.test.ts`, 'src/app.test.ts']));
    const result = await sh('npm', ['test', '--', ...files], dir(), 1_500_000);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toMatch(/Tests\s+\d+ passed/);
    expect(result.output).not.toMatch(/\d+ failed/);
  }, 1_500_000);

  it('lints clean with its own eslint.config.js (Portcullis preset) and is prettier-formatted', async () => {
    const lint = await sh('npm', ['run', 'lint'], dir(), 600_000);
    expect(lint.ok, lint.output).toBe(true);
    const format = await sh('npm', ['run', 'format:check'], dir(), 600_000);
    expect(format.ok, format.output).toBe(true);
  }, 1_200_000);

  it('gets zero findings from portcullis check', async () => {
    const result = await runCheck({ cwd: dir() });
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.filesScanned).toBeGreaterThan(5);
    // With the app's dependencies installed, the type checker sees through every object: still clean.
    const typed = await runCheck({ cwd: dir(), types: true, cache: false });
    expect(typed.errors).toEqual([]);
    expect(typed.findings).toEqual([]);
  }, 900_000);

  it('changes nothing when generated again with the same options', async () => {
    const result = await newApp({ dir: dir(), cwd: work, framework, modules: 'all' });
    expect(result.created).toEqual([]);
    expect(result.updated).toEqual([]);
    expect(result.conflicts).toEqual([]);
  }, 600_000);
});
