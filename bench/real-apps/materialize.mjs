#!/usr/bin/env node
// Materializes the real-app corpus (apps.json) at its pinned commits from a folder of bare git
// mirrors: `git archive <commit> | tar -x`, into a folder outside any git repository (an app inside
// ours would inherit our .gitignore and git root, which changes paths and fingerprints).
//
//   PORTCULLIS_MIRRORS=/path/to/mirrors [PORTCULLIS_REAL_APPS=/tmp/apps] node bench/real-apps/materialize.mjs [--app <id>]
//
// Mirror layouts accepted: <mirrors>/<owner>+<name>/repo (bare, or a clone with repo/.git) and
// <mirrors>/<owner>+<name>.git. Snapshots may lack large blobs: those paths are left out and named.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const STAMP_VERSION = 1;

export function readCorpus(file = join(here, 'apps.json')) {
  const corpus = JSON.parse(readFileSync(file, 'utf8'));
  return corpus.apps;
}

export function defaultAppsFolder(env = process.env) {
  return resolve(env.PORTCULLIS_REAL_APPS ?? join(tmpdir(), 'portcullis-real-apps'));
}

/** The git directory of an app's mirror, or undefined when the folder holds none. */
export function findMirror(mirrors, id) {
  const candidates = [join(mirrors, id, 'repo', '.git'), join(mirrors, id, 'repo'), join(mirrors, `${id}.git`)];
  return candidates.find((dir) => existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')));
}

/** The folder the check runs in for an app (its `subdir` when the app lives in a subfolder). */
export function appDirectory(appsFolder, app) {
  return app.subdir ? join(appsFolder, app.id, app.subdir) : join(appsFolder, app.id);
}

function git(gitDir, args, input) {
  return execFileSync('git', [`--git-dir=${gitDir}`, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function hasCommit(gitDir, commit) {
  try {
    git(gitDir, ['cat-file', '-e', `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Paths of the commit's blobs that the mirror does not hold (snapshots leave out files of 4 MiB and more). */
export function missingBlobs(gitDir, commit) {
  const entries = git(gitDir, ['ls-tree', '-r', '-z', commit])
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, object] = line.slice(0, tab).split(' ');
      return { type, object, path: line.slice(tab + 1) };
    })
    .filter((entry) => entry.type === 'blob');
  if (entries.length === 0) return [];
  const answers = git(gitDir, ['cat-file', '--batch-check'], entries.map((entry) => entry.object).join('\n') + '\n')
    .trim()
    .split('\n');
  return entries.filter((_, index) => answers[index]?.endsWith(' missing')).map((entry) => entry.path);
}

function insideGitRepository(folder) {
  let dir = folder;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function extract(gitDir, commit, excluded, into) {
  return new Promise((resolvePromise, reject) => {
    const pathspecs = ['.', ...excluded.map((path) => `:(exclude,literal)${path}`)];
    const archive = spawn('git', [`--git-dir=${gitDir}`, 'archive', '--format=tar', commit, '--', ...pathspecs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tar = spawn('tar', ['-x', '-C', into], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let errors = '';
    archive.stderr.on('data', (chunk) => (errors += chunk));
    tar.stderr.on('data', (chunk) => (errors += chunk));
    let pending = 2;
    let failed = false;
    const done = (name) => (code) => {
      if (code !== 0) failed = true;
      if (code !== 0 && errors === '') errors = `${name} exited with ${String(code)}`;
      if (--pending > 0) return;
      if (failed) reject(new Error(errors.trim().split('\n')[0]));
      else resolvePromise();
    };
    archive.on('close', done('git archive'));
    tar.on('close', done('tar'));
  });
}

/**
 * Writes each app at its commit into `<appsFolder>/<id>`. Idempotent: a stamp (outside the app's
 * folder) records the commit; an app is re-extracted only when its commit changes or it is gone.
 * Returns the apps materialized (with the paths left out) and one line per app that could not be.
 */
export async function materialize({ mirrors, appsFolder, apps, log = () => {} }) {
  const ready = [];
  const problems = [];
  const repository = insideGitRepository(appsFolder);
  if (repository !== undefined)
    throw new Error(
      `${appsFolder} lies inside the git repository ${repository}: its .gitignore and git root would change what check reads. Set PORTCULLIS_REAL_APPS to a folder outside any repository.`,
    );
  mkdirSync(join(appsFolder, '.stamps'), { recursive: true });
  for (const app of apps) {
    const gitDir = mirrors === undefined ? undefined : findMirror(mirrors, app.id);
    if (gitDir === undefined) {
      problems.push(
        `${app.id}: no mirror (looked for ${join(mirrors ?? '$PORTCULLIS_MIRRORS', app.id, 'repo')} and ${app.id}.git)`,
      );
      continue;
    }
    if (!hasCommit(gitDir, app.commit)) {
      problems.push(`${app.id}: the mirror ${gitDir} does not contain commit ${app.commit}`);
      continue;
    }
    const dir = join(appsFolder, app.id);
    const stampFile = join(appsFolder, '.stamps', `${app.id}.json`);
    const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined;
    if (stamp?.commit === app.commit && stamp.version === STAMP_VERSION && existsSync(dir)) {
      ready.push({ ...app, dir: appDirectory(appsFolder, app), excluded: stamp.excluded, fresh: false });
      continue;
    }
    const excluded = missingBlobs(gitDir, app.commit);
    const part = `${dir}.part`;
    rmSync(part, { recursive: true, force: true });
    mkdirSync(part, { recursive: true });
    try {
      await extract(gitDir, app.commit, excluded, part);
    } catch (error) {
      rmSync(part, { recursive: true, force: true });
      problems.push(`${app.id}: git archive of ${app.commit} failed: ${error.message}`);
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(part, dir);
    writeFileSync(stampFile, `${JSON.stringify({ version: STAMP_VERSION, commit: app.commit, excluded }, null, 2)}\n`);
    if (
      app.subdir &&
      !(existsSync(appDirectory(appsFolder, app)) && statSync(appDirectory(appsFolder, app)).isDirectory())
    )
      problems.push(`${app.id}: subdir ${app.subdir} does not exist at ${app.commit}`);
    log(
      `materialized ${app.id} at ${app.commit.slice(0, 12)}${excluded.length > 0 ? ` (left out, blob not in the mirror: ${excluded.join(', ')})` : ''}`,
    );
    ready.push({ ...app, dir: appDirectory(appsFolder, app), excluded, fresh: true });
  }
  return { ready, problems };
}

function parseCli(argv) {
  const only = [];
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--app' && argv[index + 1] !== undefined) only.push(argv[++index]);
    else throw new Error(`unknown argument ${argv[index]} (usage: materialize.mjs [--app <id>]...)`);
  }
  return { only };
}

async function main() {
  const { only } = parseCli(process.argv.slice(2));
  const mirrors = process.env.PORTCULLIS_MIRRORS;
  if (mirrors === undefined) {
    console.error('PORTCULLIS_MIRRORS is not set: name the folder of bare git mirrors (<folder>/<owner>+<name>/repo).');
    process.exit(2);
  }
  let apps = readCorpus();
  if (only.length > 0) {
    const unknown = only.filter((id) => !apps.some((app) => app.id === id));
    if (unknown.length > 0) throw new Error(`not in apps.json: ${unknown.join(', ')}`);
    apps = apps.filter((app) => only.includes(app.id));
  }
  const appsFolder = defaultAppsFolder();
  const { ready, problems } = await materialize({ mirrors: resolve(mirrors), appsFolder, apps, log: console.log });
  for (const problem of problems) console.error(`not materialized: ${problem}`);
  for (const app of ready.filter((entry) => entry.excluded.length > 0 && !entry.fresh))
    console.log(`${app.id}: left out (blob not in the mirror): ${app.excluded.join(', ')}`);
  console.log(`${String(ready.length)} of ${String(apps.length)} apps ready in ${appsFolder}`);
  if (ready.length === 0) process.exit(1);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`materialize: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
