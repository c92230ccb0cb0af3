import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';

import { UsageError } from '../errors.js';
import { toPosix } from '../discovery/files.js';

export interface Shard {
  index: number;
  total: number;
}

/** Parses `i/n` (1-based): `--shard 2/4`. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (match === null || total < 1 || index < 1 || index > total)
    throw new UsageError(`--shard must be i/n with 1 <= i <= n, e.g. 1/4 (got "${value}")`, {
      code: 'invalid_value',
      option: 'shard',
    });
  return { index, total };
}

/**
 * The shard a file belongs to, from a hash of its path: deterministic on every machine, and a
 * file keeps its shard when others are added or removed.
 */
export function shardOf(file: string, total: number): number {
  const hash = createHash('sha256').update(file).digest();
  return (hash.readUInt32BE(0) % total) + 1;
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Files (relative to `root`) changed since `ref`: committed, staged, unstaged and untracked. */
export function changedSince(root: string, ref: string): Set<string> {
  let top: string;
  try {
    top = git(root, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    throw new UsageError(`--changed-since needs a git repository (${root} is not in one)`, {
      code: 'not_found',
      option: 'changed-since',
    });
  }
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--changed-since: unknown git ref "${ref}"`, { code: 'not_found', option: 'changed-since' });
  }
  const changed = new Set<string>();
  const add = (output: string): void => {
    for (const line of output.split('\0')) if (line !== '') changed.add(toPosix(relative(root, join(top, line))));
  };
  const base = git(root, ['merge-base', ref, 'HEAD']).trim() || ref;
  add(git(root, ['diff', '--name-only', '-z', '--diff-filter=ACMRT', base]));
  add(git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name', '.']));
  return changed;
}
