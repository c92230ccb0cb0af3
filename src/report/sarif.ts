import type { Severity } from '../catalog/categories.js';
import type { Finding } from '../catalog/finding.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { PACKAGE_VERSION } from '../version.js';
import type { Reporter } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'portcullis/v1';

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

function sarifRule(meta: SecurityMetadata): Record<string, unknown> {
  return {
    id: meta.id,
    name: meta.id
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(''),
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.description },
    helpUri: meta.url,
    help: { text: `${meta.description} See ${meta.url}`, markdown: `${meta.description} [Documentation](${meta.url})` },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', meta.category, ...meta.cwe.map((cwe) => `external/cwe/${cwe.toLowerCase()}`), ...meta.cwe],
      'security-severity': meta.securitySeverity.toFixed(1),
      precision: 'high',
      'problem.severity': meta.severity === 'low' ? 'recommendation' : meta.severity === 'medium' ? 'warning' : 'error',
    },
  };
}

function sarifResult(finding: Finding, ruleIndex: number): Record<string, unknown> {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.fix === undefined ? finding.message : `${finding.message} Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: Math.max(finding.endLine, finding.line),
            endColumn:
              finding.endLine > finding.line ? finding.endColumn : Math.max(finding.endColumn, finding.column + 1),
          },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
}

/** SARIF 2.1.0 as GitHub code scanning reads it. */
export const sarifReporter: Reporter = (result) => {
  const used = new Set([...result.findings, ...result.suppressed].map((finding) => finding.ruleId));
  const rules = result.rules.filter((meta) => used.has(meta.id)).sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(rules.map((meta, i) => [meta.id, i]));
  const results = [
    ...result.findings.map((finding) => sarifResult(finding, index.get(finding.ruleId) ?? -1)),
    ...result.suppressed.map((finding) => ({
      ...sarifResult(finding, index.get(finding.ruleId) ?? -1),
      suppressions: [
        {
          kind: finding.suppression.kind === 'baseline' ? 'external' : 'inSource',
          ...(finding.suppression.justification === undefined
            ? {}
            : { justification: finding.suppression.justification }),
        },
      ],
    })),
  ];
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'portcullis',
            version: PACKAGE_VERSION,
            semanticVersion: PACKAGE_VERSION,
            informationUri: 'https://github.com/portcullis-dev/portcullis',
            rules: rules.map(sarifRule),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: `file://${encodeURI(result.root.endsWith('/') ? result.root : `${result.root}/`)}` },
        },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.errors.map((error) => ({
              level: 'warning',
              message: { text: error.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: encodeURI(error.file), uriBaseId: '%SRCROOT%' },
                    ...(error.line === undefined
                      ? {}
                      : { region: { startLine: error.line, startColumn: error.column ?? 1 } }),
                  },
                },
              ],
            })),
          },
        ],
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
