import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { UsageError } from '../errors.js';

/** Files that make a folder the root of a project of its own. */
export const PROJECT_MARKERS = ['tsconfig.json', 'package.json', 'deno.json', 'deno.jsonc', '.git'] as const;

function isProjectRoot(dir: string): boolean {
  return PROJECT_MARKERS.some((marker) => existsSync(join(dir, marker)));
}

function isWithin(parent: string, path: string): boolean {
  const rel = relative(parent, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The nearest folder at or above `dir` that is a project root, or undefined when none is. */
function nearestProjectRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (isProjectRoot(current)) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The project a target belongs to. Inside the working directory: a folder that is a project of its
 * own (it has a tsconfig.json, package.json, deno.json or .git) is checked as that project —
 * `check apps/web` reads apps/web's tsconfig — and anything else belongs to the working directory's
 * project, as before. Outside it: the nearest project root above the target, else the target's own
 * folder — never a walk from the file-system root.
 */
function projectOf(cwd: string, target: string): string {
  const isDirectory = statSync(target).isDirectory();
  if (isWithin(cwd, target)) return isDirectory && target !== cwd && isProjectRoot(target) ? target : cwd;
  const base = isDirectory ? target : dirname(target);
  return nearestProjectRoot(base) ?? base;
}

function commonAncestor(paths: readonly string[]): string {
  let common = paths[0] as string;
  for (const path of paths.slice(1)) while (!isWithin(common, path)) common = dirname(common);
  return common;
}

/**
 * The folder `check` reads as the project (paths in findings are relative to it): the working
 * directory without paths; otherwise the one project all targets belong to (see `projectOf`).
 * Targets in different projects are read from their common folder, unless that is the file-system
 * root, which is a usage error rather than a walk over the whole machine.
 */
export function scannedRoot(cwd: string, paths: readonly string[]): string {
  const base = resolve(cwd);
  if (paths.length === 0) return base;
  const roots = new Set<string>();
  for (const path of paths) {
    const target = resolve(base, path);
    if (!existsSync(target)) throw new UsageError(`No such file or directory: ${path}`, { code: 'not_found' });
    roots.add(projectOf(base, target));
  }
  const root = commonAncestor([...roots]);
  if (dirname(root) === root && !roots.has(root))
    throw new UsageError(
      `${paths.join(', ')} belong to different projects with no common folder but the file-system root: check them one at a time.`,
    );
  return root;
}

/**
 * The repository `root` lies in: the nearest folder at or above it with a `.git` (folder, or file in a
 * worktree or submodule), else `root` itself. Fingerprints and SARIF paths are relative to it, so a
 * finding is the same finding whichever folder of the repository a check ran from.
 */
export function repositoryRoot(root: string): string {
  for (let current = root; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return root;
  }
}

/** The repository root `--root` names (it must contain the scanned folder), or the one found. */
export function reportRoot(root: string, option: string | undefined): string {
  if (option === undefined) return repositoryRoot(root);
  if (!existsSync(option) || !statSync(option).isDirectory())
    throw new UsageError(`--root ${option} is not a folder`, { code: 'path_error', option: 'root' });
  if (!isWithin(option, root))
    throw new UsageError(`--root ${option} must contain the checked folder ${root}`, {
      code: 'invalid_value',
      option: 'root',
    });
  return option;
}

/** A root-relative path as the repository sees it (`apps/web` + `src/x.ts`). */
export function repositoryPath(prefix: string | undefined, file: string): string {
  return prefix === undefined || prefix === '' ? file : `${prefix}/${file}`;
}
