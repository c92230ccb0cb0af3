/**
 * The rule set as a whole: every rule has a test and a doc, the doc's ❌ blocks report and its ✅
 * blocks do not, presets equal the metadata, and the README rule table is current.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin, { presetRules, ruleMetadata } from '../../eslint-plugin/index.js';
import { CATEGORIES } from '../../src/catalog/categories.js';
import { updatedReadme } from '../../src/catalog/rules-table.js';
import { allMetadata } from '../../src/check/registry.js';
import { docExamples, type DocExample } from '../helpers/doc-examples.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const rules = ruleMetadata();
const linter = new Linter({ configType: 'flat' });

function lintExample(ruleId: string, example: DocExample): Linter.LintMessage[] {
  return linter.verify(
    example.code,
    [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', '**/*.mts', '**/*.cts'],
        languageOptions: { parser: tsParser as Linter.Parser, parserOptions: { ecmaFeatures: { jsx: true } } },
        plugins: { portcullis: plugin as never },
        rules: { [`portcullis/${ruleId}`]: 'error' },
      },
    ],
    example.filename,
  );
}

describe('rule metadata', () => {
  it.each(rules.map((rule) => [rule.id, rule] as const))('%s has complete security metadata', (id, rule) => {
    expect(id).toMatch(/^(?:no|require)-[a-z0-9-]+$/);
    expect(CATEGORIES).toContain(rule.category);
    expect(rule.cwe.length).toBeGreaterThan(0);
    for (const cwe of rule.cwe) expect(cwe).toMatch(/^CWE-\d+$/);
    expect(rule.securitySeverity).toBeGreaterThanOrEqual(0);
    expect(rule.securitySeverity).toBeLessThanOrEqual(10);
    expect(rule.url).toMatch(new RegExp(`/${id}\\.md$`));
    expect(rule.description).toMatch(/\.$/);
  });

  it('rule and check ids never collide', () => {
    const ids = [...allMetadata().keys()];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('presets are derived from the metadata', () => {
    const recommended = rules
      .filter((r) => r.recommended === true && r.requiresTypeChecking !== true)
      .map((r) => `portcullis/${r.id}`);
    const strict = rules
      .filter((r) => r.recommended !== false && r.requiresTypeChecking !== true)
      .map((r) => `portcullis/${r.id}`);
    expect(Object.keys(presetRules('recommended')).sort()).toEqual(recommended.sort());
    expect(Object.keys(presetRules('strict')).sort()).toEqual(strict.sort());
    expect(plugin.configs.recommended.rules).toEqual(presetRules('recommended'));
  });

  it('the README rule table is current (run `npm run rules:table`)', async () => {
    const path = join(REPO_ROOT, 'README.md');
    const readme = readFileSync(path, 'utf8');
    expect(readme).toBe(await updatedReadme(readme, [...allMetadata().values()], path));
  });
});

describe.each(rules.map((rule) => [rule.id] as const))('%s', (id) => {
  const docPath = join(REPO_ROOT, 'eslint-plugin', 'docs', 'rules', `${id}.md`);
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';

  it('has a RuleTester test and a doc with the standard sections', () => {
    expect(existsSync(join(REPO_ROOT, 'test', 'eslint-plugin', 'rules', `${id}.test.ts`))).toBe(true);
    expect(doc.startsWith(`# ${id}\n`)).toBe(true);
    for (const section of ['## Examples', '## Options', '## When Not To Use It', '## Related'])
      expect(doc).toContain(section);
  });

  const examples = docExamples(doc);
  it('has both ❌ and ✅ examples', () => {
    expect(examples.some((e) => e.kind === 'incorrect')).toBe(true);
    expect(examples.some((e) => e.kind === 'correct')).toBe(true);
  });
  it.each(examples.map((e) => [`${e.kind} example at line ${String(e.line)}`, e] as const))('%s', (_label, example) => {
    const messages = lintExample(id, example);
    expect(messages.filter((m) => m.fatal === true)).toEqual([]);
    const reported = messages.filter((m) => m.ruleId === `portcullis/${id}`);
    if (example.kind === 'incorrect') expect(reported.length).toBeGreaterThan(0);
    else expect(reported).toEqual([]);
  });
});
