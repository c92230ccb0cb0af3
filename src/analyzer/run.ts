import type { FileError, Finding } from '../catalog/finding.js';
import { sourceSuppressions, textSuppressions, type InlineSuppression } from '../check/suppressions.js';
import { CHECKS } from './checks/index.js';
import { tenantRuleOptions } from './checks/require-tenant-scope.js';
import { FindingSink } from './checks/shared.js';
import { buildModel } from './model.js';
import { loadSources, type FactsCacheEntry } from './project.js';

export interface AnalyzeOptions {
  root: string;
  /** Every source file of the project (cross-file checks need them all). */
  files: readonly string[];
  /** Schemas, migrations, Supabase config, env and config files. */
  inputs: readonly string[];
  texts: ReadonlyMap<string, string>;
  cache: Map<string, FactsCacheEntry>;
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyzeResult {
  findings: Finding[];
  errors: FileError[];
  suppressions: InlineSuppression[];
  /** Per-rule ESLint options derived from the project (the schema's tenant-scoped models). */
  ruleOptions: Record<string, unknown>;
}

/** Runs every project check; findings for the whole project (the caller narrows them to its scope). */
export async function analyzeProject(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const { root } = options;
  const sources = await loadSources({
    root,
    files: options.files,
    texts: options.texts,
    cache: options.cache,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const model = await buildModel(root, sources, options.inputs);
  const sink = new FindingSink(root);
  for (const check of CHECKS) check.run(model, sink);
  const suppressions: InlineSuppression[] = [];
  for (const [file, facts] of sources.facts) suppressions.push(...sourceSuppressions(file, facts.comments));
  for (const candidate of model.secretCandidates)
    suppressions.push(...textSuppressions(candidate.file, candidate.text));
  for (const sql of model.sql) {
    const text = options.texts.get(sql.file);
    if (text !== undefined) suppressions.push(...textSuppressions(sql.file, text));
  }
  return { findings: sink.findings, errors: model.errors, suppressions, ruleOptions: tenantRuleOptions(model) };
}
