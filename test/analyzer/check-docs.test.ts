/**
 * The project checks' docs as a whole: the standard sections, and examples that work — the ❌
 * blocks (written out as a small project, each fence to its `filename=`) produce the check's
 * finding and the ✅ blocks do not.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { CHECKS } from '../../src/analyzer/checks/index.js';
import { runCheck } from '../../src/check/run-check.js';
import { allMetadata } from '../../src/check/registry.js';
import { docExamples, type DocExample } from '../helpers/doc-examples.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

type Block = DocExample;

/** Check docs name every fence's file: the check reads files by their place in a project. */
function blocks(markdown: string): Block[] {
  return docExamples(markdown).filter((example) => example.named);
}

async function findingsFor(id: string, files: readonly Block[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), `portcullis-doc-${id}-`));
  try {
    for (const file of files) {
      const path = join(dir, file.filename);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.code);
    }
    const result = await runCheck({ preset: 'strict', cwd: dir, cache: false });
    expect(result.errors).toEqual([]);
    return result.findings.filter((finding) => finding.ruleId === id).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ids = [...allMetadata().values()].filter((meta) => meta.kind !== 'rule').map((meta) => meta.id);

describe.each(ids.map((id) => [id] as const))('%s doc', (id) => {
  const path = join(REPO_ROOT, 'eslint-plugin', 'docs', 'rules', `${id}.md`);
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '';

  it('exists with the standard sections', () => {
    expect(doc.startsWith(`# ${id}\n`)).toBe(true);
    for (const section of [
      '## Examples',
      '### ❌ Incorrect',
      '### ✅ Correct',
      '## Options',
      '## When Not To Use It',
      '## Related',
    ])
      expect(doc).toContain(section);
  });

  if (!CHECKS.some((check) => check.meta.id === id)) return;
  const examples = blocks(doc);
  it('has runnable ❌ examples that report', async () => {
    const incorrect = examples.filter((b) => b.kind === 'incorrect');
    expect(incorrect.length).toBeGreaterThan(0);
    expect(await findingsFor(id, incorrect)).toBeGreaterThan(0);
  }, 60_000);
  it('has runnable ✅ examples that stay quiet', async () => {
    const correct = examples.filter((b) => b.kind === 'correct');
    expect(correct.length).toBeGreaterThan(0);
    expect(await findingsFor(id, correct)).toBe(0);
  }, 60_000);
});
