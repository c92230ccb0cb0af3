import type { FileError, Finding, SuppressedFinding } from './finding.js';
import { createHash } from 'node:crypto';

import type { SecurityMetadata } from './metadata.js';
import { docsUrl } from './metadata.js';
import type { Span } from './finding.js';
import { repositoryPath } from '../discovery/root.js';

/** A suppression or public-route comment in a source file, as the analyzer reads it. */
export interface CommentFact {
  kind: 'public' | 'ignore' | 'eslint-disable';
  line: number;
  /** For `portcullis-ignore`: the rule id; for `eslint-disable`: the rules named. */
  rules: string[];
  reason: string;
  /** The comment sits alone on its line (applies to the next line) or trails code (applies to its own line). */
  standalone: boolean;
  /** For a standalone comment: the first line after it (where it applies). */
  endLineTarget: number;
  span: Span;
}

/** Fingerprint of a gate finding (kept free of the TypeScript-based fingerprinter so warm runs never load it). */
function textFingerprint(ruleId: string, file: string, snippet: string): string {
  return createHash('sha256').update([ruleId, file, snippet].join('\u0000')).digest('hex').slice(0, 32);
}

export const SUPPRESSION_REASON_META: SecurityMetadata = {
  id: 'require-suppression-reason',
  kind: 'meta',
  description: 'A portcullis-ignore or eslint-disable comment that silences a Portcullis rule states why.',
  category: 'authz',
  severity: 'medium',
  securitySeverity: 5.0,
  cwe: ['CWE-1068'],
  recommended: true,
  url: docsUrl('require-suppression-reason'),
};

export const UNUSED_SUPPRESSION_META: SecurityMetadata = {
  id: 'no-unused-suppression',
  kind: 'meta',
  description: 'A portcullis-ignore comment that no longer silences anything is removed.',
  category: 'authz',
  severity: 'low',
  securitySeverity: 2.0,
  cwe: ['CWE-1164'],
  recommended: true,
  url: docsUrl('no-unused-suppression'),
};

/** A `portcullis-ignore` comment, from TS facts or from a `#`/`--` comment in a text file. */
export interface InlineSuppression {
  file: string;
  /** The line the suppression applies to. */
  target: number;
  ruleId: string;
  reason: string;
  line: number;
  column: number;
  text: string;
}

const TEXT_IGNORE = /(?:#|--|\/\/)\s*portcullis-ignore\s+([\w/-]+)?\s*(?:--\s*(.*?))?\s*$/;

/** Suppressions in a non-source file (`.env`, SQL, YAML, TOML): the comment applies to the next line, or its own when trailing. */
export function textSuppressions(file: string, text: string): InlineSuppression[] {
  const found: InlineSuppression[] = [];
  if (!text.includes('portcullis-ignore')) return found;
  text.split('\n').forEach((line, index) => {
    const match = TEXT_IGNORE.exec(line);
    if (match === null) return;
    const standalone = /^\s*(?:#|--|\/\/)/.test(line);
    found.push({
      file,
      target: standalone ? index + 2 : index + 1,
      ruleId: (match[1] ?? '').replace(/^portcullis\//, ''),
      reason: (match[2] ?? '').trim(),
      line: index + 1,
      column: match.index + 1,
      text: match[0],
    });
  });
  return found;
}

export function sourceSuppressions(file: string, comments: readonly CommentFact[]): InlineSuppression[] {
  const ignores = comments.filter((comment) => comment.kind === 'ignore').sort((a, b) => a.line - b.line);
  const result = ignores.map((comment) => ({
    file,
    target: comment.standalone ? comment.endLineTarget : comment.line,
    ruleId: comment.rules[0] ?? '',
    reason: comment.reason,
    line: comment.line,
    column: comment.span.column,
    text: `portcullis-ignore ${comment.rules[0] ?? ''}`,
  }));
  // Stacked comments (one per rule, on consecutive lines) all apply to the code below the last one.
  for (let i = result.length - 2; i >= 0; i--) {
    const current = result[i];
    const next = result[i + 1];
    if (current !== undefined && next !== undefined && ignores[i]?.standalone === true && current.target === next.line)
      current.target = next.target;
  }
  return result;
}

export interface SuppressionOutcome {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/**
 * Applies inline suppressions. A suppression without a `-- reason` does not silence anything and
 * is itself a finding; one that silences nothing is reported as unused; an `eslint-disable` that
 * silenced a Portcullis rule without a reason is reported and its finding stays.
 */
export function applyInlineSuppressions(
  findings: readonly Finding[],
  disabled: readonly (Finding & { justification: string })[],
  suppressions: readonly InlineSuppression[],
  metadata: ReadonlyMap<string, SecurityMetadata>,
  errors: FileError[],
  fingerprintPrefix = '',
): SuppressionOutcome {
  const at = (file: string): string => repositoryPath(fingerprintPrefix, file);
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<InlineSuppression>();
  const byFileLine = new Map<string, InlineSuppression[]>();
  for (const suppression of suppressions) {
    const key = `${suppression.file}:${String(suppression.target)}`;
    byFileLine.set(key, [...(byFileLine.get(key) ?? []), suppression]);
  }
  for (const finding of findings) {
    const candidates = byFileLine.get(`${finding.file}:${String(finding.line)}`) ?? [];
    const match = candidates.find((s) => s.ruleId === finding.ruleId);
    if (match === undefined) {
      kept.push(finding);
      continue;
    }
    used.add(match);
    if (match.reason === '') kept.push(finding);
    else suppressed.push({ ...finding, suppression: { kind: 'inline', justification: match.reason } });
  }
  for (const suppression of suppressions) {
    const position = {
      line: suppression.line,
      column: suppression.column,
      endLine: suppression.line,
      endColumn: suppression.column + suppression.text.length,
    };
    if (suppression.ruleId === '' || !metadata.has(suppression.ruleId)) {
      errors.push({
        file: suppression.file,
        line: suppression.line,
        column: suppression.column,
        message: `portcullis-ignore names ${suppression.ruleId === '' ? 'no rule' : `an unknown rule "${suppression.ruleId}"`}; write \`portcullis-ignore <rule-id> -- <reason>\`.`,
      });
      continue;
    }
    if (suppression.reason === '') {
      kept.push({
        ruleId: SUPPRESSION_REASON_META.id,
        category: metadata.get(suppression.ruleId)?.category ?? SUPPRESSION_REASON_META.category,
        severity: SUPPRESSION_REASON_META.severity,
        file: suppression.file,
        ...position,
        message: `This portcullis-ignore for ${suppression.ruleId} gives no reason, so it is not applied: unexplained exceptions hide real problems in review. Add \`-- <why this is safe>\` after the rule id, or fix the finding.`,
        fingerprint: textFingerprint(
          SUPPRESSION_REASON_META.id,
          at(suppression.file),
          `${suppression.ruleId}@${String(suppression.line)}`,
        ),
      });
    } else if (!used.has(suppression)) {
      kept.push({
        ruleId: UNUSED_SUPPRESSION_META.id,
        category: metadata.get(suppression.ruleId)?.category ?? UNUSED_SUPPRESSION_META.category,
        severity: UNUSED_SUPPRESSION_META.severity,
        file: suppression.file,
        ...position,
        message: `This portcullis-ignore for ${suppression.ruleId} no longer silences anything, and a stale exception would silently cover a future problem on this line. Remove it.`,
        fingerprint: textFingerprint(
          UNUSED_SUPPRESSION_META.id,
          at(suppression.file),
          `${suppression.ruleId}@${String(suppression.line)}`,
        ),
      });
    }
  }
  for (const finding of disabled) {
    if (finding.justification !== '') {
      const { justification, ...plain } = finding;
      suppressed.push({ ...plain, suppression: { kind: 'inline', justification } });
      continue;
    }
    const { justification: _unused, ...plain } = finding;
    void _unused;
    kept.push(plain);
    kept.push({
      ruleId: SUPPRESSION_REASON_META.id,
      category: finding.category,
      severity: SUPPRESSION_REASON_META.severity,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      message: `An eslint-disable comment silences portcullis/${finding.ruleId} here without a reason, so check does not honour it. Add \`-- <why this is safe>\` to the comment, or fix the finding.`,
      fingerprint: textFingerprint(
        SUPPRESSION_REASON_META.id,
        at(finding.file),
        `eslint-disable:${finding.fingerprint}`,
      ),
    });
  }
  return { findings: kept, suppressed };
}
