import { dirname, relative, resolve, sep } from 'node:path';

import { compareSeverity, meetsThreshold, type Severity } from '../catalog/categories.js';
import type { FileError, Finding, SuppressedFinding } from '../catalog/finding.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { discoverFiles } from './files.js';
import { lintFiles } from './lint.js';
import { allMetadata } from './registry.js';

export interface CheckOptions {
  /** The scanned root; paths in findings are relative to it. Defaults to `process.cwd()`. */
  cwd?: string;
  /** Files or folders to check, relative to `cwd`. Defaults to the whole root. */
  paths?: readonly string[];
  preset?: 'recommended' | 'strict';
  /** Findings at or above this severity make the gate fail (exit 1). */
  failOn?: Severity;
}

export interface CheckResult {
  root: string;
  filesScanned: number;
  findings: Finding[];
  /** Findings silenced by a baseline or an inline suppression (not counted against the gate). */
  suppressed: SuppressedFinding[];
  errors: FileError[];
  /** Metadata of every rule and check that ran (reporters describe rules from it). */
  rules: SecurityMetadata[];
  failOn: Severity;
  /** True when a finding is at or above `failOn`. */
  failed: boolean;
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

/** `portcullis check`: the ESLint rules (and, once present, the analyzer checks) over a project. */
export async function runCheck(options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const root = scannedRoot(cwd, options.paths ?? []);
  const failOn = options.failOn ?? 'high';
  const metadata = allMetadata();
  const files = await discoverFiles({ root, paths: (options.paths ?? []).map((path) => resolve(cwd, path)) });
  const lint = await lintFiles({ root, files, preset: options.preset ?? 'recommended', metadata });
  const findings = sortFindings(lint.findings);
  return {
    root,
    filesScanned: files.length,
    findings,
    suppressed: [],
    errors: lint.errors,
    rules: [...metadata.values()],
    failOn,
    failed: findings.some((finding) => meetsThreshold(finding.severity, failOn)),
  };
}

/** The working directory, or the common ancestor of the targets when one lies outside it. */
function scannedRoot(cwd: string, paths: readonly string[]): string {
  let root = cwd;
  for (const path of paths) {
    const target = resolve(cwd, path);
    while (relative(root, target).startsWith('..') && dirname(root) !== root) root = dirname(root);
  }
  return root.endsWith(sep) && root.length > 1 ? root.slice(0, -1) : root;
}
