import { UsageError } from '../errors.js';

interface SarifRule {
  id: string;
  [key: string]: unknown;
}

interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  partialFingerprints?: Record<string, string>;
  locations?: {
    physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number } };
  }[];
  [key: string]: unknown;
}

interface SarifRun {
  tool: { driver: { name: string; version?: string; rules?: SarifRule[]; [key: string]: unknown } };
  results?: SarifResult[];
  [key: string]: unknown;
}

interface SarifLog {
  $schema?: string;
  version: string;
  runs: SarifRun[];
}

function isLog(value: unknown): value is SarifLog {
  const record = value as Partial<SarifLog> | null;
  return typeof record === 'object' && record !== null && record.version === '2.1.0' && Array.isArray(record.runs);
}

/**
 * Combines the SARIF logs of `check --shard i/n` runs into one run per tool: rules are the union
 * (ruleIndex rewritten), results are concatenated in a stable order, duplicates (same rule and
 * fingerprint) dropped.
 */
export function mergeSarif(logs: readonly { name: string; json: unknown }[], automationId?: string): SarifLog {
  if (logs.length === 0) throw new UsageError('merge-sarif: give at least one SARIF file');
  const byTool = new Map<
    string,
    { run: SarifRun; rules: Map<string, SarifRule>; results: SarifResult[]; seen: Set<string>; ids: Set<string> }
  >();
  let schema: string | undefined;
  for (const { name, json } of logs) {
    if (!isLog(json)) throw new UsageError(`merge-sarif: ${name} is not a SARIF 2.1.0 log`, { code: 'invalid_input' });
    schema ??= json.$schema;
    for (const run of json.runs) {
      const key = run.tool.driver.name;
      let merged = byTool.get(key);
      if (merged === undefined) {
        merged = { run, rules: new Map(), results: [], seen: new Set(), ids: new Set() };
        byTool.set(key, merged);
      } else if (merged.run.tool.driver.version !== run.tool.driver.version) {
        throw new UsageError(
          `merge-sarif: ${name} was written by ${key} ${String(run.tool.driver.version)}, others by ${String(merged.run.tool.driver.version)}; run every shard with the same version`,
        );
      }
      const id = (run.automationDetails as { id?: string } | undefined)?.id;
      if (id !== undefined) merged.ids.add(id);
      const rules = run.tool.driver.rules ?? [];
      for (const rule of rules) if (!merged.rules.has(rule.id)) merged.rules.set(rule.id, rule);
      for (const result of run.results ?? []) {
        const ruleId =
          result.ruleId ?? (result.ruleIndex === undefined ? undefined : rules[result.ruleIndex]?.id) ?? '';
        const fingerprint = Object.values(result.partialFingerprints ?? {}).join('|');
        const location = result.locations?.[0]?.physicalLocation;
        const identity = `${ruleId}\u0000${fingerprint || `${location?.artifactLocation?.uri ?? ''}:${String(location?.region?.startLine ?? 0)}:${String(location?.region?.startColumn ?? 0)}`}`;
        if (merged.seen.has(identity)) continue;
        merged.seen.add(identity);
        merged.results.push({ ...result, ruleId });
      }
    }
  }
  const runs: SarifRun[] = [];
  for (const { run, rules, results, ids } of byTool.values()) {
    // Shards of one job share one category; a merged run that mixed two would misplace alerts.
    if (automationId === undefined && ids.size > 1)
      throw new UsageError(
        `merge-sarif: the files come from different runs (${[...ids].join(', ')}); merge shards of one run, or name the merged run with --automation-id`,
      );
    const automationDetails = { id: automationId ?? [...ids][0] ?? 'portcullis/merge-sarif/' };
    const sortedRules = [...rules.values()].sort((a, b) => a.id.localeCompare(b.id));
    const index = new Map(sortedRules.map((rule, i) => [rule.id, i]));
    const location = (r: SarifResult): string => {
      const physical = r.locations?.[0]?.physicalLocation;
      return `${physical?.artifactLocation?.uri ?? ''}\u0000${String(physical?.region?.startLine ?? 0).padStart(8, '0')}\u0000${String(physical?.region?.startColumn ?? 0).padStart(6, '0')}`;
    };
    const sorted = results
      .map((r) => ({ ...r, ruleIndex: index.get(r.ruleId ?? '') ?? -1 }))
      .sort((a, b) => location(a).localeCompare(location(b)) || (a.ruleId ?? '').localeCompare(b.ruleId ?? ''));
    runs.push({
      ...run,
      tool: { ...run.tool, driver: { ...run.tool.driver, rules: sortedRules } },
      automationDetails,
      results: sorted,
    });
  }
  return { ...(schema === undefined ? {} : { $schema: schema }), version: '2.1.0', runs };
}
