import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

import type { Finding, SuppressedFinding } from '../catalog/finding.js';
import { UsageError } from '../errors.js';
import { PACKAGE_VERSION } from '../version.js';

export const BASELINE_VERSION = 1;

/** One accepted finding. The fingerprint holds no source text: secret values are hashed into it. */
export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  reason?: string;
}

export interface BaselineFile {
  version: number;
  tool: string;
  entries: BaselineEntry[];
}

/**
 * Findings no baseline can accept: a suppression without a reason is fixed by writing the reason, not
 * by recording it, or a reasonless ignore would pass the gate through the back door.
 */
export const UNBASELINABLE: ReadonlySet<string> = new Set(['require-suppression-reason']);

export function createBaseline(findings: readonly Finding[], reason?: string): BaselineFile {
  const entries = findings
    .filter((f) => !UNBASELINABLE.has(f.ruleId))
    .map((f) => ({
      ruleId: f.ruleId,
      file: f.file,
      fingerprint: f.fingerprint,
      ...(reason === undefined ? {} : { reason }),
    }))
    .sort(
      (a, b) =>
        a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint),
    );
  return { version: BASELINE_VERSION, tool: PACKAGE_VERSION, entries };
}

export async function writeBaseline(path: string, baseline: BaselineFile): Promise<void> {
  const temp = `${path}.${String(process.pid)}.tmp`;
  await writeFile(temp, `${JSON.stringify(baseline, null, 2)}\n`, 'utf8');
  await rename(temp, path);
}

/** Reads and validates a baseline; any problem is a usage error naming the file. */
export function readBaseline(path: string): BaselineFile {
  if (!existsSync(path))
    throw new UsageError(`Baseline file not found: ${path} (create it with --write-baseline)`, {
      code: 'not_found',
      option: 'baseline',
    });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `Baseline ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'invalid_input', option: 'baseline' },
    );
  }
  const record = json as Partial<BaselineFile> | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    record.version !== BASELINE_VERSION ||
    !Array.isArray(record.entries)
  )
    throw new UsageError(
      `Baseline ${path} is not a Portcullis baseline (version ${String(BASELINE_VERSION)} with "entries")`,
      { code: 'invalid_input', option: 'baseline' },
    );
  for (const [index, entry] of record.entries.entries()) {
    if (
      typeof entry !== 'object' ||
      typeof entry.ruleId !== 'string' ||
      typeof entry.file !== 'string' ||
      typeof entry.fingerprint !== 'string'
    )
      throw new UsageError(`Baseline ${path}: entry ${String(index)} needs string ruleId, file and fingerprint`, {
        code: 'invalid_input',
        option: 'baseline',
      });
  }
  return record as BaselineFile;
}

export interface BaselineOutcome {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Entries that matched nothing in the checked files: fixed or moved away; remove them. */
  stale: BaselineEntry[];
}

/** Splits findings into new ones and baseline-suppressed ones; entries for files not checked are never stale. */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: BaselineFile,
  checkedFiles: ReadonlySet<string>,
): BaselineOutcome {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.entries) {
    const key = `${entry.ruleId}\u0000${entry.fingerprint}`;
    remaining.set(key, [...(remaining.get(key) ?? []), entry]);
  }
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const list = UNBASELINABLE.has(finding.ruleId)
      ? undefined
      : remaining.get(`${finding.ruleId}\u0000${finding.fingerprint}`);
    const entry = list?.shift();
    if (entry === undefined) kept.push(finding);
    else
      suppressed.push({
        ...finding,
        suppression: { kind: 'baseline', ...(entry.reason === undefined ? {} : { justification: entry.reason }) },
      });
  }
  const stale = [...remaining.values()].flat().filter((entry) => checkedFiles.has(entry.file));
  return { findings: kept, suppressed, stale };
}
