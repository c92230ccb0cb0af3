import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import { compareSeverity, type Severity } from '../catalog/categories.js';
import type { Finding, SuppressedFinding } from '../catalog/finding.js';
import { REPOSITORY_URL, type SecurityMetadata } from '../catalog/metadata.js';
import { PACKAGE_ROOT } from '../paths.js';
import { PACKAGE_VERSION } from '../version.js';
import type { Reporter } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'portcullis/v1';

/**
 * What GitHub code scanning ingests (docs: "SARIF support for code scanning", upload limits): at most
 * 25,000 results per run and 10 MB of gzipped SARIF per upload. Past them the upload is refused, so
 * the report keeps the most severe results and says what it left out.
 */
export const GITHUB_LIMITS = { resultsPerRun: 25_000, gzipBytes: 10 * 1024 * 1024, tagsPerRule: 20 } as const;

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

const docs = new Map<string, string | undefined>();

/** The rule's doc as shipped in the package (why, examples, fix), for `help.markdown`. */
function ruleDoc(id: string): string | undefined {
  if (!docs.has(id)) {
    try {
      docs.set(id, readFileSync(join(PACKAGE_ROOT, 'eslint-plugin', 'docs', 'rules', `${id}.md`), 'utf8'));
    } catch {
      docs.set(id, undefined);
    }
  }
  return docs.get(id);
}

/** The doc's first paragraph after the title: the threat, in a few sentences. */
function threatParagraph(doc: string | undefined): string | undefined {
  if (doc === undefined) return undefined;
  const paragraphs = doc
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#') && !p.startsWith('>') && !p.startsWith('<!--') && !p.startsWith('|'));
  return paragraphs[0]?.replace(/\s*\n\s*/g, ' ');
}

function sarifRule(meta: SecurityMetadata): Record<string, unknown> {
  const doc = ruleDoc(meta.id);
  const threat = threatParagraph(doc);
  const fullDescription =
    threat !== undefined && threat !== meta.description
      ? threat
      : `${meta.description} (${meta.category}, ${meta.cwe.join(', ')})`;
  return {
    id: meta.id,
    name: meta.id
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(''),
    shortDescription: { text: meta.description },
    fullDescription: { text: fullDescription },
    helpUri: meta.url,
    help: {
      text: `${fullDescription} See ${meta.url}`,
      markdown: doc ?? `${meta.description}\n\n[Documentation](${meta.url})`,
    },
    defaultConfiguration: { enabled: true, level: LEVEL[meta.severity] },
    properties: {
      tags: [
        'security',
        meta.category,
        ...meta.cwe.map((cwe) => `external/cwe/${cwe.toLowerCase()}`),
        ...meta.cwe,
      ].slice(0, GITHUB_LIMITS.tagsPerRule),
      'security-severity': meta.securitySeverity.toFixed(1),
      precision: 'high',
      'problem.severity': meta.severity === 'low' ? 'recommendation' : meta.severity === 'medium' ? 'warning' : 'error',
    },
  };
}

const toUri = (path: string): string => encodeURI(path.split(sep).join('/'));

function sarifResult(finding: Finding, ruleIndex: number, uri: string): Record<string, unknown> {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.fix === undefined ? finding.message : `${finding.message} Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
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

/** The default run category: the command and the scanned folder, so two jobs on two folders stay apart. */
export function defaultAutomationId(command: string, scope: string): string {
  const folder = scope === '' || scope === '.' ? '' : `${scope.replace(/\/+$/, '')}/`;
  return `portcullis/${command}/${folder}`;
}

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: paths relative to the repository root (so a job in a
 * subfolder places alerts on the right files), every rule that ran with its doc as help, and the
 * upload limits kept with a notification saying what was cut.
 */
export const sarifReporter: Reporter = (result, context) => {
  const repoRoot = context.sarif?.repoRoot ?? result.repoRoot ?? result.root;
  const scope = relative(repoRoot, result.root).split(sep).join('/');
  const uriOf = (file: string): string => {
    const rel = relative(repoRoot, join(result.root, file));
    return toUri(isAbsolute(rel) ? file : rel);
  };
  const rules = [...result.rules].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(rules.map((meta, i) => [meta.id, i]));

  type Entry = { finding: Finding | SuppressedFinding; suppressed: boolean };
  const entries: Entry[] = [
    ...result.findings.map((finding) => ({ finding, suppressed: false })),
    ...result.suppressed.map((finding) => ({ finding, suppressed: true })),
  ].sort(
    (a, b) => Number(a.suppressed) - Number(b.suppressed) || compareSeverity(a.finding.severity, b.finding.severity),
  );
  const build = (kept: readonly Entry[], notes: readonly string[]): Record<string, unknown> => ({
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'portcullis',
            version: PACKAGE_VERSION,
            semanticVersion: PACKAGE_VERSION,
            informationUri: REPOSITORY_URL,
            rules: rules.map(sarifRule),
          },
        },
        automationDetails: { id: context.sarif?.automationId ?? defaultAutomationId('check', scope) },
        originalUriBaseIds: {
          '%SRCROOT%': { description: { text: 'The root of the repository (the git top level, or --root).' } },
        },
        results: kept.map(({ finding, suppressed }) => {
          const base = sarifResult(finding, index.get(finding.ruleId) ?? -1, uriOf(finding.file));
          if (!suppressed) return base;
          const { suppression } = finding as SuppressedFinding;
          return {
            ...base,
            suppressions: [
              {
                kind: suppression.kind === 'baseline' ? 'external' : 'inSource',
                ...(suppression.justification === undefined ? {} : { justification: suppression.justification }),
              },
            ],
          };
        }),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...result.errors.map((error) => ({
                level: 'warning',
                message: { text: error.message },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: uriOf(error.file), uriBaseId: '%SRCROOT%' },
                      ...(error.line === undefined
                        ? {}
                        : { region: { startLine: error.line, startColumn: error.column ?? 1 } }),
                    },
                  },
                ],
              })),
              ...notes.map((text) => ({
                level: 'warning',
                descriptor: { id: 'portcullis/results-cut' },
                message: { text },
              })),
            ],
          },
        ],
        columnKind: 'unicodeCodePoints',
      },
    ],
  });

  let kept = entries.slice(0, GITHUB_LIMITS.resultsPerRun);
  const note = (count: number): string[] =>
    count === entries.length
      ? []
      : [
          `${String(entries.length - count)} of ${String(entries.length)} results were left out to stay within GitHub code scanning's limits (${String(GITHUB_LIMITS.resultsPerRun)} results per run, 10 MB gzipped); the most severe were kept. Run with --format json for all of them.`,
        ];
  let text = `${JSON.stringify(build(kept, note(kept.length)), null, 2)}\n`;
  // Halve what is kept until the gzipped log fits (rule docs make a floor of about 100 KB).
  while (gzipSync(text).length > GITHUB_LIMITS.gzipBytes && kept.length > 0) {
    kept = kept.slice(0, Math.floor(kept.length / 2));
    text = `${JSON.stringify(build(kept, note(kept.length)), null, 2)}\n`;
  }
  return text;
};
