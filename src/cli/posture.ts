import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PostureContext } from '../report/types.js';
import { listRoutes } from './commands/routes.js';

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The scope around a check result that the posture report shows: commit, date, modules, routes, sources. */
export async function postureContext(
  root: string,
  options: { paths: readonly string[]; preset: string; project?: string },
): Promise<PostureContext> {
  const head = git(root, ['rev-parse', 'HEAD']);
  const dirty = head === undefined ? '' : git(root, ['status', '--porcelain', '--untracked-files=no']);
  const manifest = readJson(join(root, '.portcullis', 'manifest.json'));
  const name = readJson(join(root, 'package.json'))?.name;
  let routes: PostureContext['routes'];
  try {
    routes = await listRoutes(root, options.project === undefined ? {} : { project: options.project });
  } catch {
    routes = undefined; // the report says the inventory was not read
  }
  return {
    ...(typeof name === 'string' ? { name } : {}),
    paths: options.paths,
    ...(head === undefined ? {} : { commit: dirty === '' ? head : `${head} (modified)` }),
    date: new Date().toISOString(),
    preset: options.preset,
    modules: Object.keys((manifest?.generators as Record<string, unknown> | undefined) ?? {}),
    ...(routes === undefined ? {} : { routes }),
    source: (file) => {
      try {
        return readFileSync(join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
