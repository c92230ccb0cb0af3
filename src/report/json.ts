import { PACKAGE_VERSION } from '../version.js';
import type { Reporter } from './types.js';

/** Bumped on any breaking change to the shape below; documented in docs/json-report.md. */
export const JSON_REPORT_VERSION = 1;

/** The JSON report: versioned, stable keys, paths relative to the scanned root. */
export const jsonReporter: Reporter = (result) => {
  const report = {
    schemaVersion: JSON_REPORT_VERSION,
    tool: { name: 'portcullis', version: PACKAGE_VERSION },
    failOn: result.failOn,
    failed: result.failed,
    summary: {
      filesScanned: result.filesScanned,
      findings: result.findings.length,
      critical: result.findings.filter((f) => f.severity === 'critical').length,
      high: result.findings.filter((f) => f.severity === 'high').length,
      medium: result.findings.filter((f) => f.severity === 'medium').length,
      low: result.findings.filter((f) => f.severity === 'low').length,
      suppressed: result.suppressed.length,
      staleBaseline: (result.staleBaseline ?? []).length,
      errors: result.errors.length,
    },
    ...(result.project === undefined ? {} : { project: result.project }),
    ...(result.routes === undefined ? {} : { routes: result.routes }),
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      ...(f.fix === undefined ? {} : { fix: f.fix }),
      fingerprint: f.fingerprint,
    })),
    suppressed: result.suppressed.map((f) => ({
      ruleId: f.ruleId,
      file: f.file,
      line: f.line,
      fingerprint: f.fingerprint,
      suppression: f.suppression,
    })),
    staleBaseline: result.staleBaseline ?? [],
    errors: result.errors,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
