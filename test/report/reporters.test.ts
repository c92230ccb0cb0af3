import { createRequire } from 'node:module';

import { Ajv } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

import { meetsThreshold } from '../../src/catalog/categories.js';
import type { Finding, SuppressedFinding } from '../../src/catalog/finding.js';
import type { CheckResult } from '../../src/check/run-check.js';
import { allMetadata } from '../../src/check/registry.js';
import { REPORTERS } from '../../src/report/index.js';
import reportSchema from '../../schemas/report-v1.schema.json' with { type: 'json' };

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS with only a `default` export.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

/** A SARIF 2.1.0 validator with `uri` and `date-time` formats checked, not ignored. */
function sarifValidator(options: { allErrors?: boolean } = {}) {
  const ajv = new AjvDraft04({ strict: false, unicodeRegExp: false, ...options });
  addFormats(ajv as never);
  return ajv;
}
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  ruleId: 'no-hardcoded-secrets',
  category: 'secrets',
  severity: 'critical',
  file: 'src/pay ments.ts',
  line: 3,
  column: 27,
  endLine: 3,
  endColumn: 60,
  message: 'This literal is a Stripe live secret key (sk_live_…0h). Revoke it and load it from the environment.',
  fingerprint: '0123456789abcdef0123456789abcdef',
  ...overrides,
});

function result(findings: Finding[], suppressed: SuppressedFinding[] = []): CheckResult {
  return {
    root: '/tmp/app',
    filesScanned: 4,
    findings,
    suppressed,
    errors: [{ file: 'src/broken.ts', line: 1, column: 14, message: 'Could not parse: Identifier expected.' }],
    rules: [...allMetadata().values()],
    failOn: 'high',
    failed: findings.some((f) => meetsThreshold(f.severity, 'high')),
  };
}

const sample = result(
  [
    finding(),
    finding({
      severity: 'medium',
      line: 9,
      endLine: 10,
      endColumn: 2,
      fix: 'portcullis add webhook --provider stripe',
      fingerprint: 'fedcba9876543210fedcba9876543210',
    }),
  ],
  [
    {
      ...finding({ line: 20, endLine: 20, fingerprint: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }),
      suppression: { kind: 'baseline', justification: 'rotated, tracked in SEC-12' },
    },
  ],
);

describe('sarif reporter', () => {
  const log = JSON.parse(REPORTERS.sarif(sample, { color: false })) as {
    runs: {
      tool: {
        driver: {
          rules: {
            id: string;
            helpUri: string;
            shortDescription: { text: string };
            properties: { tags: string[]; 'security-severity': string };
          }[];
        };
      };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        partialFingerprints: Record<string, string>;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[];
        suppressions?: { kind: string; justification?: string }[];
      }[];
      invocations: { toolExecutionNotifications: unknown[] }[];
    }[];
  };

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const ajv = sarifValidator({ allErrors: true });
    const validate = ajv.compile(sarifSchema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('describes rules the way GitHub code scanning reads them', () => {
    const rule = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'no-hardcoded-secrets');
    expect(rule?.helpUri).toMatch(/no-hardcoded-secrets\.md$/);
    expect(rule?.shortDescription.text).toBe('Disallow credentials written into source code.');
    expect(rule?.properties.tags).toEqual(expect.arrayContaining(['security', 'CWE-798', 'external/cwe/cwe-798']));
    expect(rule?.properties['security-severity']).toBe('9.1');
  });

  it('maps severities to levels, keeps fingerprints, encodes paths and marks suppressions', () => {
    const [first, second, suppressed] = log.runs[0]!.results;
    expect(first?.level).toBe('error');
    expect(second?.level).toBe('warning');
    expect(log.runs[0]!.tool.driver.rules[first!.ruleIndex]?.id).toBe('no-hardcoded-secrets');
    expect(first?.partialFingerprints['portcullis/v1']).toBe('0123456789abcdef0123456789abcdef');
    expect(first?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('src/pay%20ments.ts');
    expect(first?.locations[0]?.physicalLocation.region).toEqual({
      startLine: 3,
      startColumn: 27,
      endLine: 3,
      endColumn: 60,
    });
    expect(suppressed?.suppressions).toEqual([{ kind: 'external', justification: 'rotated, tracked in SEC-12' }]);
    expect(log.runs[0]!.invocations[0]?.toolExecutionNotifications).toHaveLength(1);
  });

  it('the schema check can fail: a result with an unknown level is rejected', () => {
    const ajv = sarifValidator();
    const broken = JSON.parse(REPORTERS.sarif(sample, { color: false })) as {
      runs: { results: { level: string }[] }[];
    };
    broken.runs[0]!.results[0]!.level = 'fatal';
    expect(ajv.validate(sarifSchema, broken)).toBe(false);
  });

  it('is valid with no findings at all', () => {
    const ajv = sarifValidator();
    expect(ajv.validate(sarifSchema, JSON.parse(REPORTERS.sarif(result([]), { color: false })))).toBe(true);
  });
});

describe('json reporter', () => {
  it('validates against the documented, versioned schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(reportSchema);
    const report = JSON.parse(REPORTERS.json(sample, { color: false })) as unknown;
    expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(report).toMatchObject({
      schemaVersion: 1,
      failed: true,
      summary: { findings: 2, critical: 1, medium: 1, suppressed: 1, errors: 1 },
      findings: [
        { ruleId: 'no-hardcoded-secrets', file: 'src/pay ments.ts', line: 3, column: 27, endLine: 3 },
        { fix: 'portcullis add webhook --provider stripe' },
      ],
    });
  });

  it('describes the project the project checks read, in the schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const withProject = { ...sample, project: { tsconfig: ['tsconfig.json'], files: 12, types: true } };
    const report = JSON.parse(REPORTERS.json(withProject, { color: false })) as Record<string, unknown>;
    expect(ajv.validate(reportSchema, report), JSON.stringify(ajv.errors)).toBe(true);
    expect(report.project).toEqual({ tsconfig: ['tsconfig.json'], files: 12, types: true });
    expect(
      ajv.validate(reportSchema, { ...report, project: { tsconfig: 'tsconfig.json', files: 12, types: true } }),
    ).toBe(false);
    expect(REPORTERS.text(withProject, { color: false })).toContain(
      'Project checks read 12 files (tsconfig.json), with types.',
    );
  });

  it('the schema rejects a finding without a fingerprint (the schema test can fail)', () => {
    const ajv = new Ajv({ strict: false });
    const report = JSON.parse(REPORTERS.json(sample, { color: false })) as { findings: Record<string, unknown>[] };
    delete report.findings[0]!.fingerprint;
    expect(ajv.validate(reportSchema, report)).toBe(false);
  });
});

describe('text reporter', () => {
  it('groups by file, lists errors and ends with a one-line summary', () => {
    const text = REPORTERS.text(sample, { color: false });
    expect(text.split('\n')[0]).toBe('src/pay ments.ts');
    expect(text).toContain('3:27');
    expect(text).toContain('fix: portcullis add webhook --provider stripe');
    expect(text).toContain('Files that could not be checked');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '2 findings (1 critical, 1 medium) in 4 files; 1 suppressed by baseline; 1 file could not be checked.',
    );
    expect(text).not.toContain('\u001b[');
    expect(REPORTERS.text(sample, { color: true })).toContain('\u001b[');
  });
});

describe('html reporter', () => {
  it('escapes everything it prints and loads nothing external', () => {
    const html = REPORTERS.html(result([finding({ message: '<script>alert(1)</script>' })]), { color: false });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(?:script|link|img)\b/);
  });
});

describe('severity threshold', () => {
  it('meets at or above, not below', () => {
    expect(meetsThreshold('critical', 'high')).toBe(true);
    expect(meetsThreshold('high', 'high')).toBe(true);
    expect(meetsThreshold('medium', 'high')).toBe(false);
    expect(meetsThreshold('low', 'low')).toBe(true);
  });
});
