import { SEVERITIES, type Severity } from '../catalog/categories.js';
import type { Finding } from '../catalog/finding.js';
import type { Reporter } from './types.js';
import type { ProjectSummary, RouteSummary } from '../check/run-check.js';

const COLORS: Record<Severity | 'dim' | 'bold' | 'reset', string> = {
  critical: '\u001b[35m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
};

/** Findings grouped by file, one line each, then a one-line summary. */
export const textReporter: Reporter = (result, { color }) => {
  const paint = (style: keyof typeof COLORS, text: string): string =>
    color ? `${COLORS[style]}${text}${COLORS.reset}` : text;
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  for (const [file, findings] of byFile) {
    lines.push(paint('bold', file));
    for (const finding of findings) {
      const where = `${String(finding.line)}:${String(finding.column)}`.padEnd(8);
      lines.push(
        `  ${paint('dim', where)} ${paint(finding.severity, finding.severity.padEnd(8))} ${finding.message}  ${paint('dim', finding.ruleId)}`,
      );
      if (finding.fix !== undefined)
        lines.push(`  ${' '.repeat(8)} ${' '.repeat(8)} ${paint('dim', `fix: ${finding.fix}`)}`);
    }
    lines.push('');
  }
  if (result.errors.length > 0) {
    lines.push(paint('bold', 'Files that could not be checked'));
    for (const error of result.errors) {
      const where = error.line === undefined ? '' : `:${String(error.line)}:${String(error.column ?? 1)}`;
      lines.push(`  ${error.file}${where}  ${error.message}`);
    }
    lines.push('');
  }
  const stale = result.staleBaseline ?? [];
  if (stale.length > 0) {
    lines.push(
      paint(
        'bold',
        `${String(stale.length)} baseline entr${stale.length === 1 ? 'y' : 'ies'} no longer match (fixed or removed); delete them from the baseline:`,
      ),
    );
    for (const entry of stale) lines.push(`  ${entry.file}  ${paint('dim', entry.ruleId)}  ${entry.fingerprint}`);
    lines.push('');
  }
  const baseline = result.suppressed.filter((f) => f.suppression.kind === 'baseline').length;
  const inline = result.suppressed.length - baseline;
  let summary = summaryLine(result.findings, result.filesScanned, result.errors.length, baseline);
  if (inline > 0) summary = `${summary.slice(0, -1)}; ${String(inline)} suppressed inline.`;
  lines.push(summary);
  if (result.project !== undefined) lines.push(paint('dim', projectLine(result.project)));
  if (result.routes !== undefined) lines.push(paint('dim', routesLine(result.routes)));
  return `${lines.join('\n')}\n`;
};

/** How many routes the inventory holds and how many registrations it could not resolve (never silent). */
export function routesLine(routes: RouteSummary): string {
  const unresolved = routes.unresolved.length;
  return `Route inventory: ${String(routes.total)} route${routes.total === 1 ? '' : 's'}, ${String(unresolved)} registration${unresolved === 1 ? '' : 's'} not resolved${unresolved > 0 ? ' (listed by `portcullis routes`)' : ''}.`;
}

/** Which project the project checks read: the answer to "did it honour my tsconfig?". */
export function projectLine(project: ProjectSummary): string {
  const source = project.tsconfig.length === 0 ? 'no tsconfig, every source file' : `${project.tsconfig.join(', ')}`;
  return `Project checks read ${String(project.files)} file${project.files === 1 ? '' : 's'} (${source})${project.types ? ', with types' : ''}.`;
}

export function summaryLine(findings: readonly Finding[], files: number, errors: number, suppressed: number): string {
  const counts = SEVERITIES.map(
    (severity) => [severity, findings.filter((f) => f.severity === severity).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${String(count)} ${severity}`);
  const parts = [
    findings.length === 0
      ? 'No findings'
      : `${String(findings.length)} finding${findings.length === 1 ? '' : 's'} (${counts.join(', ')})`,
    `in ${String(files)} file${files === 1 ? '' : 's'}`,
  ];
  let line = parts.join(' ');
  if (suppressed > 0) line += `; ${String(suppressed)} suppressed by baseline`;
  if (errors > 0) line += `; ${String(errors)} file${errors === 1 ? '' : 's'} could not be checked`;
  return `${line}.`;
}
