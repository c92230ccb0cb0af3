import type { FileError, Finding } from '../catalog/finding.js';
import type { UnresolvedRouteEntry } from './routes.js';
import { sourceSuppressions, textSuppressions, type InlineSuppression } from '../catalog/suppressions.js';
import { CHECKS } from './checks/index.js';
import { tenantRuleOptions } from './checks/require-tenant-scope.js';
import { FindingSink } from './checks/shared.js';
import { buildModel, type ProjectModel } from './model.js';
import { loadSources, type FactsCacheEntry, type LoadedSources } from './project.js';
import type { TsProject } from './tsconfig.js';

export interface AnalyzeOptions {
  root: string;
  /** `root` relative to the repository root ('' or absent when they are one), for fingerprints. */
  fingerprintPrefix?: string;
  /** Every source file of the project (cross-file checks need them all). */
  files: readonly string[];
  /** Schemas, migrations, Supabase config, env and config files. */
  inputs: readonly string[];
  texts: ReadonlyMap<string, string>;
  cache: Map<string, FactsCacheEntry>;
  /** The project's tsconfig (module resolution, and the program `types` builds). */
  tsProject?: TsProject;
  /** Type-aware resolution: the type checker resolves methods, receivers and re-exports names cannot. */
  types?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyzeResult {
  findings: Finding[];
  errors: FileError[];
  suppressions: InlineSuppression[];
  /** Per-rule ESLint options derived from the project (the schema's tenant-scoped models). */
  ruleOptions: Record<string, unknown>;
  /** The route inventory's size and the registrations it could not resolve. */
  routes?: { total: number; unresolved: UnresolvedRouteEntry[] };
}

/** Reads the project into the model the checks and the route inventory work on. */
export async function loadProjectModel(
  options: Omit<AnalyzeOptions, 'cache'> & { cache?: Map<string, FactsCacheEntry> },
): Promise<{ model: ProjectModel; sources: LoadedSources }> {
  const { root } = options;
  const sources = await loadSources({
    root,
    files: options.files,
    texts: options.texts,
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.tsProject === undefined ? {} : { tsProject: options.tsProject }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const oracle =
    options.types === true
      ? (await import('./typed.js')).createTypeOracle({
          root,
          facts: sources.facts,
          texts: options.texts,
          ...(options.tsProject === undefined ? {} : { tsProject: options.tsProject }),
        })
      : undefined;
  return { model: await buildModel(root, sources, options.inputs, oracle), sources };
}

/** Runs every project check; findings for the whole project (the caller narrows them to its scope). */
export async function analyzeProject(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const { model, sources } = await loadProjectModel(options);
  const sink = new FindingSink(options.root, options.fingerprintPrefix);
  for (const check of CHECKS) check.run(model, sink);
  const suppressions: InlineSuppression[] = [];
  for (const [file, facts] of sources.facts) suppressions.push(...sourceSuppressions(file, facts.comments));
  for (const candidate of model.secretCandidates)
    suppressions.push(...textSuppressions(candidate.file, candidate.text));
  for (const sql of model.sql) {
    const text = options.texts.get(sql.file);
    if (text !== undefined) suppressions.push(...textSuppressions(sql.file, text));
  }
  // The type checker is asked while the checks run: its failures are known only now.
  const errors = [...model.errors, ...(model.linker.oracle?.errors ?? [])];
  return {
    findings: sink.findings,
    errors,
    suppressions,
    ruleOptions: tenantRuleOptions(model),
    routes: { total: model.routes.length, unresolved: model.unresolvedRoutes },
  };
}
