import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

import ignore, { type Ignore } from 'ignore';

import { UsageError } from '../errors.js';

/** Source files the ESLint rules read. */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Folders never worth checking: dependencies and build output. */
export const ALWAYS_SKIPPED = new Set([
  'node_modules',
  'dist',
  'build',
  '.next',
  'coverage',
  '.git',
  '.turbo',
  '.vercel',
  'out',
]);

export interface DiscoverOptions {
  /** The scanned root: paths in findings are relative to it. */
  root: string;
  /** Files or directories to scan, relative to `root` or absolute. Defaults to the root. */
  paths?: readonly string[];
  /** Which files to collect; defaults to the source extensions. */
  accept?: (path: string) => boolean;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isSource(path: string): boolean {
  return SOURCE_EXTENSIONS.some((extension) => path.endsWith(extension)) && !path.endsWith('.d.ts');
}

/**
 * The files under the given paths, honouring every `.gitignore` on the way down (like git) and
 * skipping dependency and build folders. Returns absolute paths, sorted.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<string[]> {
  const root = resolve(options.root);
  const accept = options.accept ?? isSource;
  const targets = (options.paths?.length ? options.paths : ['.']).map((path) => resolve(root, path));
  const found = new Set<string>();

  for (const target of targets) {
    if (!existsSync(target))
      throw new UsageError(`No such file or directory: ${relative(root, target) || target}`, { code: 'not_found' });
    if (statSync(target).isFile()) {
      // A file named explicitly is checked even if ignored, as git does for `git add -f`.
      if (accept(target)) found.add(target);
      continue;
    }
    const matchers = loadAncestorIgnores(root, target);
    await walk(target, matchers, accept, found);
  }
  return [...found].sort();
}

interface ScopedIgnore {
  base: string;
  matcher: Ignore;
}

function readIgnore(dir: string): ScopedIgnore | undefined {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return undefined;
  return { base: dir, matcher: ignore().add(readFileSync(file, 'utf8')) };
}

/** `.gitignore` files between the root and a target directory apply to it too. */
function loadAncestorIgnores(root: string, target: string): ScopedIgnore[] {
  const result: ScopedIgnore[] = [];
  const rel = relative(root, target);
  if (rel.startsWith('..')) {
    const own = readIgnore(target);
    return own ? [own] : [];
  }
  let dir = root;
  const parts = rel === '' ? [] : rel.split(sep);
  const rootIgnore = readIgnore(root);
  if (rootIgnore) result.push(rootIgnore);
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const scoped = readIgnore(dir);
    if (scoped) result.push(scoped);
  }
  return result;
}

function isIgnored(path: string, isDirectory: boolean, matchers: readonly ScopedIgnore[]): boolean {
  for (const { base, matcher } of matchers) {
    const rel = toPosix(relative(base, path));
    if (rel === '' || rel.startsWith('..')) continue;
    if (matcher.ignores(isDirectory ? `${rel}/` : rel)) return true;
  }
  return false;
}

async function walk(
  dir: string,
  inherited: readonly ScopedIgnore[],
  accept: (path: string) => boolean,
  found: Set<string>,
): Promise<void> {
  const own = readIgnore(dir);
  const matchers = own && !inherited.some((scoped) => scoped.base === dir) ? [...inherited, own] : inherited;
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(path, true, matchers)) continue;
      await walk(path, matchers, accept, found);
    } else if (entry.isFile() && accept(path) && !isIgnored(path, false, matchers)) {
      found.add(path);
    }
  }
}

/**
 * A source file's text. UTF-16 files with a byte-order mark (which the TypeScript compiler reads, and
 * some generators write — `supabase gen types` redirected by PowerShell) are decoded as such; anything
 * else is read as UTF-8, as before.
 */
export function readSourceText(path: string): string {
  const bytes = readFileSync(path);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/** True when the file starts with a UTF-16 byte-order mark (ESLint would take it for binary). */
export function hasUtf16Bom(path: string): boolean {
  const bytes = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, bytes, 0, 2, 0) < 2) return false;
  } finally {
    closeSync(fd);
  }
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}
