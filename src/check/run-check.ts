import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

import type { AnalyzeResult } from '../analyzer/run.js';
import { dropSupersededFindings } from './overlap.js';
import { discoverAnalyzerInputs } from '../analyzer/model.js';
import type { UnresolvedRouteEntry } from '../analyzer/routes.js';
import { compareSeverity, meetsThreshold, type Severity } from '../catalog/categories.js';
import type { FileError, Finding, SuppressedFinding } from '../catalog/finding.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { PACKAGE_VERSION } from '../version.js';
import { applyBaseline, readBaseline, type BaselineEntry } from './baseline.js';
import { contentHash } from '../discovery/content-hash.js';
import { CheckCache, defaultCacheDirectory, type LintCacheEntry } from './cache.js';
import { discoverFiles, readSourceText, toPosix } from '../discovery/files.js';
import { reportRoot, scannedRoot } from '../discovery/root.js';
import { changedSince, shardOf, type Shard } from './selection.js';
import { applyInlineSuppressions } from '../catalog/suppressions.js';

export type CheckPhase = 'reading' | 'analyzing' | 'linting';

export interface CheckOptions {
  /** The scanned root; paths in findings are relative to it. Defaults to `process.cwd()`. */
  cwd?: string;
  /**
   * The repository root, relative to `cwd` (default: the nearest folder with `.git`, else the scanned
   * root). Fingerprints and SARIF paths are relative to it, whatever folder the check ran from.
   */
  repoRoot?: string;
  /** Files or folders to check, relative to `cwd`. Defaults to the whole root. */
  paths?: readonly string[];
  preset?: 'recommended' | 'strict';
  /** Findings at or above this severity make the gate fail (exit 1). */
  failOn?: Severity;
  /** A baseline file: its findings are suppressed, its stale entries reported. */
  baseline?: string;
  /** Only files changed since this git ref (the whole project is still read for cross-file checks). */
  changedSince?: string;
  /** Only this deterministic share of the files. */
  shard?: Shard;
  /** Cache directory, or false for none. Defaults to `node_modules/.cache/portcullis` of the project. */
  cache?: string | false;
  /** Run the project checks (default true). */
  analyzer?: boolean;
  /** The tsconfig that defines the project, relative to `cwd` (default: `tsconfig.json` of the scanned root). */
  project?: string;
  /** Type-aware resolution in the project checks (builds a type-checked program; slower). */
  types?: boolean;
  onProgress?: (phase: CheckPhase, done: number, total: number) => void;
}

export interface CheckResult {
  root: string;
  /** The repository root (contains `root`); SARIF paths and fingerprints are relative to it. */
  repoRoot?: string;
  filesScanned: number;
  findings: Finding[];
  /** Findings silenced by a baseline or an inline suppression (not counted against the gate). */
  suppressed: SuppressedFinding[];
  /** Baseline entries that matched nothing: the code was fixed or removed; drop them from the file. */
  /** The route inventory's size and the registrations it could not resolve (when the project checks ran). */
  routes?: RouteSummary;
  staleBaseline?: BaselineEntry[];
  errors: FileError[];
  /** What the project checks read (absent when they did not run). */
  project?: ProjectSummary;
  /** Metadata of every rule and check that ran (reporters describe rules from it). */
  rules: SecurityMetadata[];
  failOn: Severity;
  /** True when a finding is at or above `failOn`. */
  failed: boolean;
}

/** The project the project checks read: which tsconfig files defined it, how many files, whether typed. */
export interface ProjectSummary {
  /** The tsconfig files read, relative to the root (extended and referenced ones included); empty without one. */
  tsconfig: string[];
  /** Source files the project checks read. */
  files: number;
  types: boolean;
}

/** The route inventory behind the project checks: its size and the registrations it could not resolve. */
export interface RouteSummary {
  total: number;
  /** Computed paths, unknown receivers, routers never mounted: listed so a gap is never silent. */
  unresolved: UnresolvedRouteEntry[];
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareSeverity(a.severity, b.severity) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** `portcullis check`: the ESLint rules and the project checks over a project, one finding model. */
export async function runCheck(options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const root = scannedRoot(cwd, options.paths ?? []);
  const repoRoot = reportRoot(root, options.repoRoot === undefined ? undefined : resolve(cwd, options.repoRoot));
  /** Where `root` sits in the repository: fingerprints hash repository paths, not scan-relative ones. */
  const fingerprintPrefix = toPosix(relative(repoRoot, root));
  const failOn = options.failOn ?? 'high';
  const preset = options.preset ?? 'recommended';
  const rel = (path: string): string => toPosix(relative(root, path));

  const explicit = (options.paths ?? []).map((path) => resolve(cwd, path));
  const projectFiles = await discoverFiles({ root });
  const selectedSources = explicit.length === 0 ? projectFiles : await discoverFiles({ root, paths: explicit });
  const analyzerOn = options.analyzer !== false;
  const inputs = analyzerOn ? await discoverAnalyzerInputs(root) : [];
  const underPaths = (file: string): boolean =>
    explicit.length === 0 ||
    explicit.some((target) => {
      const r = relative(target, resolve(root, file));
      return r === '' || (!r.startsWith('..') && !r.startsWith(sep));
    });
  const changed = options.changedSince === undefined ? undefined : changedSince(root, options.changedSince);
  const inScope = (file: string): boolean =>
    underPaths(file) &&
    (changed === undefined || changed.has(file)) &&
    (options.shard === undefined || shardOf(file, options.shard.total) === options.shard.index);
  const lintTargets = selectedSources.filter((path) => inScope(rel(path)));
  const reportSet = new Set([...lintTargets.map(rel), ...inputs.map(rel).filter(inScope)]);

  const cacheDirectory = options.cache === false ? undefined : (options.cache ?? defaultCacheDirectory(root));
  const cache = cacheDirectory === undefined ? CheckCache.disabled() : CheckCache.open(cacheDirectory);
  // Rule metadata is fixed per tool version: a warm run takes it from the cache instead of loading the plugin.
  const metadata = cache.metadata ?? (await import('./registry.js')).allMetadata();
  cache.metadata = metadata;

  const texts = new Map<string, string>();
  const hashes = new Map<string, string>();
  const sourceSet = analyzerOn ? [...projectFiles, ...inputs] : lintTargets;
  sourceSet.forEach((path, index) => {
    const text = readSourceText(path);
    texts.set(path, text);
    texts.set(rel(path), text);
    hashes.set(rel(path), contentHash(text));
    if (index % 200 === 0) options.onProgress?.('reading', index, sourceSet.length);
  });

  const errors: FileError[] = [];
  let analysis: AnalyzeResult = { findings: [], errors: [], suppressions: [], ruleOptions: {} };
  let project: ProjectSummary | undefined;
  if (analyzerOn) {
    // The project checks are cross-file: reuse their result only when no file of the project and no
    // tsconfig it was computed under changed (a warm run then needs neither the compiler nor a parse).
    const projectOption = options.project === undefined ? undefined : resolve(cwd, options.project);
    const keyOf = (configFiles: readonly string[]): string => {
      const hash = createHash('sha256').update(
        JSON.stringify({ types: options.types === true, project: projectOption ?? null, fingerprintPrefix }),
      );
      for (const [file, fileHash] of [...hashes].sort(([a], [b]) => a.localeCompare(b)))
        hash.update(`${file}\u0000${fileHash}\n`);
      for (const config of [...configFiles].sort())
        hash.update(`${config}\u0000${existsSync(config) ? contentHash(readFileSync(config, 'utf8')) : '-'}\n`);
      return hash.digest('hex');
    };
    const prior = cache.project;
    if (prior !== undefined && prior.key === keyOf(prior.configFiles)) {
      analysis = prior.result;
      project = prior.project;
    } else {
      const { findTsProject, projectSourceFiles } = await import('../analyzer/tsconfig.js');
      const tsProject = await findTsProject(root, projectOption);
      const { analyzeProject } = await import('../analyzer/run.js');
      const analyzed = projectSourceFiles(projectFiles, tsProject);
      analysis = await analyzeProject({
        root,
        fingerprintPrefix,
        files: analyzed,
        inputs,
        texts,
        cache: cache.facts,
        ...(tsProject === undefined ? {} : { tsProject }),
        types: options.types === true,
        onProgress: (done, total) => options.onProgress?.('analyzing', done, total),
      });
      // Without a tsconfig, creating one must invalidate the result: its path is part of the key.
      const configFiles = tsProject?.configFiles ?? [projectOption ?? join(root, 'tsconfig.json')];
      project = {
        tsconfig: (tsProject?.configFiles ?? []).map(rel).sort(),
        files: analyzed.length,
        types: options.types === true,
      };
      cache.project = { key: keyOf(configFiles), configFiles, result: analysis, project };
    }
  }
  errors.push(...analysis.errors.filter((error) => reportSet.has(error.file)));
  // The preset decides which project checks report, as it decides which rules lint: a check in `strict`
  // only runs with --preset strict.
  const inPreset = (ruleId: string): boolean => {
    const level = metadata.get(ruleId)?.recommended;
    return level === true || (preset === 'strict' && level === 'strict');
  };
  const analyzerFindings = analysis.findings.filter(
    (finding) => reportSet.has(finding.file) && inPreset(finding.ruleId),
  );
  const suppressions = analysis.suppressions.filter((suppression) => reportSet.has(suppression.file));
  const ruleOptions = analysis.ruleOptions;

  // Lint: cached per file by content hash and lint configuration.
  const configKey = createHash('sha256')
    .update(JSON.stringify({ PACKAGE_VERSION, preset, ruleOptions, rules: [...metadata.keys()], fingerprintPrefix }))
    .digest('hex')
    .slice(0, 16);
  const lintFindings: Finding[] = [];
  const disabled: LintCacheEntry['disabled'] = [];
  const toLint: string[] = [];
  for (const path of lintTargets) {
    const file = rel(path);
    const hash = hashes.get(file) ?? contentHash(texts.get(path) ?? readSourceText(path));
    hashes.set(file, hash);
    const entry = cache.lint.get(file);
    if (entry !== undefined && entry.hash === hash && entry.config === configKey) {
      lintFindings.push(...entry.findings);
      disabled.push(...entry.disabled);
      errors.push(...entry.errors);
    } else toLint.push(path);
  }
  if (toLint.length > 0) {
    options.onProgress?.('linting', lintTargets.length - toLint.length, lintTargets.length);
    const { lintFiles } = await import('./lint.js');
    const lint = await lintFiles({ root, fingerprintPrefix, files: toLint, preset, metadata, ruleOptions });
    lintFindings.push(...lint.findings);
    disabled.push(...lint.disabled);
    errors.push(...lint.errors);
    for (const [file, result] of lint.perFile)
      cache.lint.set(file, { hash: hashes.get(file) ?? '', config: configKey, ...result });
  }
  cache.save(new Set(sourceSet.map(rel)));

  const inline = applyInlineSuppressions(
    [...lintFindings, ...analyzerFindings],
    disabled,
    suppressions,
    metadata,
    errors,
    fingerprintPrefix,
  );
  const tenantOptions = ruleOptions['require-tenant-filter'] as { models?: readonly string[] } | undefined;
  let findings = dropSupersededFindings(inline.findings, {
    tenantModelsFromSchema: (tenantOptions?.models?.length ?? 0) > 0,
  });
  const suppressed = [...inline.suppressed];
  let staleBaseline: BaselineEntry[] = [];
  if (options.baseline !== undefined) {
    const outcome = applyBaseline(findings, readBaseline(resolve(cwd, options.baseline)), reportSet);
    findings = outcome.findings;
    suppressed.push(...outcome.suppressed);
    staleBaseline = outcome.stale;
  }
  sortFindings(findings);
  return {
    root,
    repoRoot,
    filesScanned: lintTargets.length,
    findings,
    suppressed: sortFindings(suppressed) as SuppressedFinding[],
    staleBaseline,
    errors: errors.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)),
    ...(project === undefined ? {} : { project }),
    ...(analysis.routes === undefined ? {} : { routes: analysis.routes }),
    rules: [...metadata.values()].filter((meta) => inPreset(meta.id)),
    failOn,
    failed: findings.some((finding) => meetsThreshold(finding.severity, failOn)),
  };
}
