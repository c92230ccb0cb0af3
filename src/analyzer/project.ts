import { dirname, join, relative, resolve } from 'node:path';

import type { ts } from 'ts-morph';

import type { FileError } from '../catalog/finding.js';
import { contentHash } from '../discovery/content-hash.js';
import { readSourceText, toPosix } from '../discovery/files.js';
import type { TsConfigUnit, TsProject } from './tsconfig.js';
import type { FileFacts } from './types.js';

export interface LoadedSources {
  facts: Map<string, FileFacts>;
  errors: FileError[];
  /** The TypeScript project from `tsconfig.json`, when there is one (module resolution follows its options). */
  tsProject?: TsProject;
  /** Files whose facts came from the cache (the rest were parsed). */
  cached: number;
}

/** Per-file facts cache entry, keyed by content hash (the cache file itself is keyed by tool version). */
export interface FactsCacheEntry {
  hash: string;
  facts: FileFacts;
}

export interface LoadOptions {
  root: string;
  /** Absolute paths of the source files to read. */
  files: readonly string[];
  /** Texts already read (path → text), so files are read once per run. */
  texts: ReadonlyMap<string, string>;
  cache?: Map<string, FactsCacheEntry>;
  /** The project's tsconfig, already read (see `readTsProject`). */
  tsProject?: TsProject;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Loads the project: the given files (the caller selects them with the tsconfig, see
 * `projectSourceFiles`) parsed with ts-morph's compiler API without type checking, each read into
 * facts and released again so memory stays flat on large code bases. Unchanged files come from the
 * cache. Imports are later resolved with the tsconfig's compiler options (`ModuleResolver`).
 */
export async function loadSources(options: LoadOptions): Promise<LoadedSources> {
  const facts = new Map<string, FileFacts>();
  const errors: FileError[] = [];
  let cached = 0;
  const pending: string[] = [];
  for (const path of options.files) {
    const rel = toPosix(relative(options.root, path));
    const text = options.texts.get(path) ?? readSourceText(path);
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
      const text = options.texts.get(path) ?? readSourceText(path);
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
  return { facts, errors, cached, ...(options.tsProject === undefined ? {} : { tsProject: options.tsProject }) };
}

function scriptKind(path: string, ts: typeof import('ts-morph').ts): import('ts-morph').ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * Resolves import specifiers to project files the way the compiler does: with the owning tsconfig's
 * options (`paths`, `baseUrl`, `rootDirs`, `moduleResolution`, package `exports` of workspace packages
 * linked into node_modules). Without a tsconfig, or for a specifier the compiler cannot place,
 * relative specifiers are tried against the project's files with the usual extensions.
 */
export class ModuleResolver {
  readonly #root: string;
  readonly #files: ReadonlySet<string>;
  readonly #project: TsProject | undefined;
  readonly #memo = new Map<string, string | undefined>();
  readonly #caches = new Map<TsConfigUnit, ts.ModuleResolutionCache>();
  readonly #compiler: typeof ts | undefined;
  #host: ts.ModuleResolutionHost | undefined;

  /** `compiler` is ts-morph's `ts`, passed in so that warm runs that never resolve need not load it. */
  constructor(root: string, files: ReadonlySet<string>, project?: { tsProject: TsProject; compiler: typeof ts }) {
    this.#root = root;
    this.#files = files;
    this.#project = project?.tsProject;
    this.#compiler = project?.compiler;
  }

  /** The project file (relative, posix) an import in `fromFile` refers to, if it is part of the project. */
  resolve(fromFile: string, specifier: string): string | undefined {
    const key = `${fromFile}\u0000${specifier}`;
    if (this.#memo.has(key)) return this.#memo.get(key);
    let result = this.#compilerResolve(fromFile, specifier);
    if (result === undefined && specifier.startsWith('.')) result = this.#candidate(join(dirname(fromFile), specifier));
    this.#memo.set(key, result);
    return result;
  }

  #compilerResolve(fromFile: string, specifier: string): string | undefined {
    const project = this.#project;
    const compiler = this.#compiler;
    if (project === undefined || compiler === undefined) return undefined;
    const absolute = resolve(this.#root, fromFile);
    const unit = project.owner.get(absolute) ?? project.units[0];
    if (unit === undefined) return undefined;
    let cache = this.#caches.get(unit);
    if (cache === undefined) {
      cache = compiler.createModuleResolutionCache(this.#root, (name) => name, unit.options);
      this.#caches.set(unit, cache);
    }
    const host = (this.#host ??= { ...compiler.sys, getCurrentDirectory: () => this.#root });
    const resolved = compiler.resolveModuleName(specifier, absolute, unit.options, host, cache).resolvedModule;
    if (resolved === undefined) return undefined;
    const rel = toPosix(relative(this.#root, resolved.resolvedFileName));
    return this.#files.has(rel) ? rel : undefined;
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
