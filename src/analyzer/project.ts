import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import type { FileError } from '../catalog/finding.js';
import { contentHash } from '../check/cache.js';
import { toPosix } from '../check/files.js';
import type { FileFacts } from './types.js';

/** Module resolution settings read from the project's `tsconfig.json` (`baseUrl`, `paths`). */
export interface ResolutionConfig {
  baseUrl: string;
  paths: Record<string, string[]>;
}

export interface LoadedSources {
  facts: Map<string, FileFacts>;
  errors: FileError[];
  resolution: ResolutionConfig;
  /** Files whose facts came from the cache (the rest were parsed). */
  cached: number;
}

/** Per-file facts cache entry, keyed by content hash (the cache file itself is keyed by tool version). */
export interface FactsCacheEntry {
  hash: string;
  facts: FileFacts;
}

export { contentHash } from '../check/cache.js';

export interface LoadOptions {
  root: string;
  /** Absolute paths of the source files to read. */
  files: readonly string[];
  /** Texts already read (path → text), so files are read once per run. */
  texts: ReadonlyMap<string, string>;
  cache?: Map<string, FactsCacheEntry>;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Loads the project: module resolution from `tsconfig.json` when there is one (path aliases), the
 * given files parsed with ts-morph's compiler API without type checking, each read into facts and
 * released again so memory stays flat on large code bases. Unchanged files come from the cache.
 */
export async function loadSources(options: LoadOptions): Promise<LoadedSources> {
  const facts = new Map<string, FileFacts>();
  const errors: FileError[] = [];
  const resolution = readResolution(options.root);
  let cached = 0;
  const pending: string[] = [];
  for (const path of options.files) {
    const rel = toPosix(relative(options.root, path));
    const text = options.texts.get(path) ?? readFileSync(path, 'utf8');
    const entry = options.cache?.get(rel);
    if (entry !== undefined && entry.hash === contentHash(text)) {
      facts.set(rel, entry.facts);
      cached++;
    } else pending.push(path);
  }
  if (pending.length > 0) {
    // ts-morph's compiler API, used directly: its Project wrapper doubled the parse cost on large code
    // bases, and the facts need only syntax (no program, no binder, no type checker).
    const { ts } = await import('ts-morph');
    const { readFacts } = await import('./facts.js');
    let done = cached;
    for (const path of pending) {
      const rel = toPosix(relative(options.root, path));
      const text = options.texts.get(path) ?? readFileSync(path, 'utf8');
      try {
        const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path, ts));
        const fileFacts = readFacts(rel, sourceFile);
        facts.set(rel, fileFacts);
        options.cache?.set(rel, { hash: contentHash(text), facts: fileFacts });
      } catch (error) {
        errors.push({
          file: rel,
          message: `The analyzer could not read this file: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      options.onProgress?.(++done, options.files.length);
    }
  }
  return { facts, errors, resolution, cached };
}

function scriptKind(path: string, ts: typeof import('ts-morph').ts): import('ts-morph').ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** `compilerOptions.baseUrl` and `paths` of the root `tsconfig.json` (following one `extends` chain of relative files). */
export function readResolution(root: string): ResolutionConfig {
  const result: ResolutionConfig = { baseUrl: root, paths: {} };
  let file = join(root, 'tsconfig.json');
  const seen = new Set<string>();
  const chain: { dir: string; options: Record<string, unknown> }[] = [];
  while (existsSync(file) && !seen.has(file)) {
    seen.add(file);
    let json: { extends?: unknown; compilerOptions?: Record<string, unknown> };
    try {
      // tsconfig allows comments and trailing commas.
      json = JSON.parse(
        readFileSync(file, 'utf8')
          .replace(/\/\*[\s\S]*?\*\/|(?<![:"'])\/\/[^\n]*/g, '')
          .replace(/,(\s*[}\]])/g, '$1'),
      ) as typeof json;
    } catch {
      break;
    }
    chain.unshift({ dir: dirname(file), options: json.compilerOptions ?? {} });
    if (typeof json.extends !== 'string' || !json.extends.startsWith('.')) break;
    file = resolve(dirname(file), json.extends.endsWith('.json') ? json.extends : `${json.extends}.json`);
  }
  for (const { dir, options } of chain) {
    if (typeof options.baseUrl === 'string') result.baseUrl = resolve(dir, options.baseUrl);
    if (typeof options.paths === 'object' && options.paths !== null) {
      result.paths = options.paths as Record<string, string[]>;
      if (typeof options.baseUrl !== 'string') result.baseUrl = dir;
    }
  }
  return result;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Resolves import specifiers to project files (relative paths and tsconfig `paths` aliases). */
export class ModuleResolver {
  readonly #root: string;
  readonly #files: ReadonlySet<string>;
  readonly #config: ResolutionConfig;
  readonly #memo = new Map<string, string | undefined>();

  constructor(root: string, files: ReadonlySet<string>, config: ResolutionConfig) {
    this.#root = root;
    this.#files = files;
    this.#config = config;
  }

  /** The project file (relative, posix) an import in `fromFile` refers to, if it is part of the project. */
  resolve(fromFile: string, specifier: string): string | undefined {
    const key = `${fromFile}\u0000${specifier}`;
    if (this.#memo.has(key)) return this.#memo.get(key);
    let result: string | undefined;
    if (specifier.startsWith('.')) result = this.#candidate(join(dirname(fromFile), specifier));
    else {
      for (const [pattern, targets] of Object.entries(this.#config.paths)) {
        const star = pattern.indexOf('*');
        const matches =
          star === -1
            ? specifier === pattern
            : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1));
        if (!matches) continue;
        const captured = star === -1 ? '' : specifier.slice(star, specifier.length - (pattern.length - star - 1));
        for (const target of targets) {
          const absolute = resolve(this.#config.baseUrl, target.replace('*', captured));
          result = this.#candidate(toPosix(relative(this.#root, absolute)));
          if (result !== undefined) break;
        }
        if (result !== undefined) break;
      }
    }
    this.#memo.set(key, result);
    return result;
  }

  #candidate(base: string): string | undefined {
    const normal = toPosix(base).replace(/^\.\//, '');
    const stem = normal.replace(/\.(?:[cm]?js|jsx)$/, '');
    const candidates = [
      normal,
      ...EXTENSIONS.map((ext) => `${stem}${ext}`),
      ...EXTENSIONS.map((ext) => `${normal}/index${ext}`),
    ];
    return candidates.find((candidate) => this.#files.has(candidate));
  }
}
