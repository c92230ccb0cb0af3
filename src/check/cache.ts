import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FileError, Finding } from '../catalog/finding.js';
import type { FactsCacheEntry } from '../analyzer/project.js';
import type { ProjectSummary } from './run-check.js';
import type { AnalyzeResult } from '../analyzer/run.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { FACTS_FORMAT } from '../analyzer/facts-format.js';
import { PACKAGE_VERSION } from '../version.js';

/** The cache file's key: the package version and the facts shape it holds. */
const CACHE_KEY = `${PACKAGE_VERSION}+facts.${String(FACTS_FORMAT)}`;

/** Lint results of one file, valid for one content hash and one lint configuration. */
export interface LintCacheEntry {
  hash: string;
  config: string;
  findings: Finding[];
  /** Findings an `eslint-disable` comment silenced, with its `-- reason` (empty when none). */
  disabled: (Finding & { justification: string })[];
  errors: FileError[];
}

/** The project checks' result, with the tsconfig files it was computed under (their contents are part of the key). */
export interface ProjectCacheEntry {
  key: string;
  configFiles: string[];
  result: AnalyzeResult;
  project: ProjectSummary;
}

interface CacheFile {
  tool: string;
  facts: Record<string, FactsCacheEntry>;
  lint: Record<string, LintCacheEntry>;
  /** The project checks' result for one state of the whole project (key: hash of every file's hash). */
  project?: ProjectCacheEntry;
  metadata?: SecurityMetadata[];
}

/**
 * The warm-run cache: per file, analyzer facts and lint results keyed by content hash, in one
 * file per tool version under `node_modules/.cache/portcullis` (a new version never reads an
 * old version's entries).
 */
export class CheckCache {
  readonly facts: Map<string, FactsCacheEntry>;
  readonly lint: Map<string, LintCacheEntry>;
  project: CacheFile['project'];
  #metadata: Map<string, SecurityMetadata> | undefined;
  readonly #path: string | undefined;

  private constructor(path: string | undefined, data: CacheFile | undefined) {
    this.#path = path;
    this.facts = new Map(Object.entries(data?.facts ?? {}));
    this.lint = new Map(Object.entries(data?.lint ?? {}));
    this.project = data?.project;
    this.#metadata = data?.metadata === undefined ? undefined : new Map(data.metadata.map((meta) => [meta.id, meta]));
  }

  get metadata(): Map<string, SecurityMetadata> | undefined {
    return this.#metadata;
  }

  set metadata(value: Map<string, SecurityMetadata> | undefined) {
    this.#metadata = value;
  }

  static disabled(): CheckCache {
    return new CheckCache(undefined, undefined);
  }

  static open(directory: string): CheckCache {
    const path = join(directory, `check-${createHash('sha256').update(CACHE_KEY).digest('hex').slice(0, 12)}.json`);
    let data: CacheFile | undefined;
    if (existsSync(path)) {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
        if (parsed.tool === CACHE_KEY) data = parsed;
      } catch {
        // A corrupt cache is only a cold run.
      }
    }
    return new CheckCache(path, data);
  }

  /** Keeps only entries of files that still exist, then writes atomically. */
  save(keep: ReadonlySet<string>): void {
    if (this.#path === undefined) return;
    const data: CacheFile = {
      tool: CACHE_KEY,
      facts: {},
      lint: {},
      ...(this.project === undefined ? {} : { project: this.project }),
      ...(this.#metadata === undefined ? {} : { metadata: [...this.#metadata.values()] }),
    };
    for (const [file, entry] of this.facts) if (keep.has(file)) data.facts[file] = entry;
    for (const [file, entry] of this.lint) if (keep.has(file)) data.lint[file] = entry;
    try {
      mkdirSync(dirname(this.#path), { recursive: true });
      const temp = `${this.#path}.${String(process.pid)}.tmp`;
      writeFileSync(temp, JSON.stringify(data));
      renameSync(temp, this.#path);
      // Results of other tool builds can never be read again.
      const own = basename(this.#path);
      for (const name of readdirSync(dirname(this.#path)))
        if (/^check-[0-9a-f]+\.json$/.test(name) && name !== own)
          rmSync(join(dirname(this.#path), name), { force: true });
    } catch {
      // A read-only checkout still gets a correct (cold) result.
    }
  }
}

let fingerprint: string | undefined;

/**
 * The tool version plus the size and mtime of the code that produces findings (rules, detectors,
 * analyzer, check engine), so a rebuilt or patched tool never reads results of the old one even
 * when the version number did not change.
 */
export function toolFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha256').update(PACKAGE_VERSION);
  const base = fileURLToPath(new URL('../..', import.meta.url));
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.[cm]?[jt]s$/.test(entry.name) && !entry.name.endsWith('.map')) {
        const stat = statSync(path);
        hash.update(`${path}\u0000${String(stat.size)}\u0000${String(stat.mtimeMs)}`);
      }
    }
  };
  for (const part of ['eslint-plugin', 'src/detectors', 'src/analyzer', 'src/check', 'src/catalog'])
    walk(join(base, part));
  fingerprint = hash.digest('hex').slice(0, 16);
  return fingerprint;
}

/** `node_modules/.cache/portcullis` of the nearest package at or above `root`; none outside a package (nothing is written into a bare folder). */
export function defaultCacheDirectory(root: string): string | undefined {
  let dir = root;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'node_modules', '.cache', 'portcullis');
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
