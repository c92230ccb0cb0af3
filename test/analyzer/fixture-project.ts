import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { expect } from 'vitest';

import type { Finding } from '../../src/catalog/finding.js';
import { runCheck } from '../../src/check/run-check.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/**
 * `portcullis check` (no cache) over these files, written to a fresh folder that is removed after: the
 * findings of `ruleIds`, each as `describe` puts it (default `<rule> <file>:<line>`), sorted. No errors allowed.
 */
export async function checkFiles(
  files: Readonly<Record<string, string>>,
  ruleIds: readonly string[],
  {
    preset = 'strict',
    describe = (finding) => `${finding.ruleId} ${finding.file}:${String(finding.line)}`,
  }: { preset?: 'recommended' | 'strict'; describe?: (finding: Finding) => string } = {},
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-check-files-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const result = await runCheck({ preset, cwd: dir, cache: false });
    expect(result.errors).toEqual([]);
    return result.findings
      .filter((finding) => ruleIds.includes(finding.ruleId))
      .map(describe)
      .sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fixture app copied into a fresh git repository (so git-tracked files and --changed-since are real). */
export function fixtureRepo(name: string, extra: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `portcullis-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  for (const [file, text] of Object.entries(extra)) {
    const path = join(dir, file);
    execFileSync('mkdir', ['-p', join(path, '..')]);
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', path], { input: text });
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'fixture');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.email=t@example.test', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
}

export interface ExpectedFinding {
  ruleId: string;
  file: string;
  line: number;
}

/**
 * `FINDING <rule-id>` markers in a fixture: each expects a finding of that rule on the first
 * line after the marker that is not a comment or blank. `FINDING-TYPED` expects it only with
 * `--types` (a hole only the type checker can see), `FINDING-UNTYPED` only without (a name-based
 * reading the type checker corrects).
 */
export function expectedFindings(root: string, mode: 'untyped' | 'typed' = 'untyped'): ExpectedFinding[] {
  const expected: ExpectedFinding[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== '.git' && name !== 'node_modules') walk(path);
        continue;
      }
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, index) => {
        const match = /(?:\/\/|--|#)\s*FINDING(?:-(TYPED|UNTYPED))? ([a-z-]+)/.exec(line);
        if (match === null) return;
        if (match[1] !== undefined && match[1].toLowerCase() !== mode) return;
        let target = index + 1;
        while (target < lines.length && /^\s*(?:\/\/|--|#|$)/.test(lines[target] ?? '')) target++;
        expected.push({ ruleId: match[2] ?? '', file: relative(root, path).split('\\').join('/'), line: target + 1 });
      });
    }
  };
  walk(root);
  return expected.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
