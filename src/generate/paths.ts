import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep, win32 } from 'node:path';

import { UnsafePathError } from './errors.js';

/**
 * Checks a generator-relative path lexically: forward slashes, relative, no `.`/`..`/empty segments,
 * no NUL. Returns the normalized form. Path traversal: CWE-22.
 */
export function checkRelativePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw new UnsafePathError(String(path), 'the path is empty');
  if (path.includes('\0')) throw new UnsafePathError(path, 'the path contains a NUL byte');
  if (path.includes('\\')) throw new UnsafePathError(path, 'use forward slashes');
  if (isAbsolute(path) || win32.isAbsolute(path)) throw new UnsafePathError(path, 'the path is absolute');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '..') throw new UnsafePathError(path, 'the path climbs out with ".."');
    if (segment === '' || segment === '.') throw new UnsafePathError(path, 'the path has an empty or "." segment');
  }
  return segments.join('/');
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function lstatOrNull(path: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The real (symlink-free) path of the target folder, or of its nearest existing ancestor plus the rest. */
export async function realTarget(target: string): Promise<string> {
  let existing = resolve(target);
  const rest: string[] = [];
  while ((await lstatOrNull(existing)) === null) {
    const parent = resolve(existing, '..');
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length).replace(/^[\\/]/, ''));
    existing = parent;
  }
  return join(await realpath(existing), ...rest);
}

/**
 * The absolute path to write `path` to, after checking that no existing component (a symlinked folder
 * or file) leads outside `root` (a real path). A symlink that stays inside is followed.
 */
export async function confinedPath(root: string, path: string): Promise<string> {
  const normalized = checkRelativePath(path);
  const segments = normalized.split('/');
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = join(current, segment);
    const stat = await lstatOrNull(current);
    if (stat === null) return join(current, ...segments.slice(index + 1));
    if (stat.isSymbolicLink()) {
      const real = await realpath(current).catch(() => null);
      if (real === null || !inside(root, real))
        throw new UnsafePathError(path, `"${relative(root, current)}" is a symlink that leads outside the target`);
      current = real;
    }
  }
  return current;
}
