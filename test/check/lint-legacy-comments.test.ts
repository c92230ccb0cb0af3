/**
 * Files with a legacy `/* eslint-env … *\/` comment are linted like any other (ESLint 9+ would refuse
 * them with "no longer supported"), at unchanged positions; a project's `.eslintignore` neither
 * leaks ESLint's "no longer supported" warning to stderr nor hides files from the check (issue #14).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { neutralizeEslintEnv } from '../../src/check/lint.js';
import { runCheck } from '../../src/check/run-check.js';
import { fixtureDir, LIVE_KEY } from '../helpers/fixture-dir.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const secretLine = `export const stripe = new Stripe('${LIVE_KEY}');`;

describe('neutralizeEslintEnv', () => {
  it('blanks each eslint-env block comment with spaces of its length, keeping line breaks', () => {
    const text = `/* eslint-env node, mocha */\nconst a = 1; /*eslint-env browser*/ const b = 2;\n/*\n  eslint-env jest\n*/\nconst c = 3;\n`;
    const out = neutralizeEslintEnv(text);
    expect(out).toHaveLength(text.length);
    expect(out.split('\n').map((line) => line.length)).toEqual(text.split('\n').map((line) => line.length));
    expect(out).not.toMatch(/eslint-env/);
    expect(out).toContain('const a = 1;');
    expect(out).toContain(' const b = 2;');
    expect(out).toContain('const c = 3;');
  });

  it('leaves other directives and look-alikes alone', () => {
    const text = [
      '/* eslint-disable no-console */',
      '/* global window */',
      '// eslint-env node (a line comment: ESLint never read these)',
      '/* eslint-environment is not a directive */',
      'const x = 1;',
    ].join('\n');
    expect(neutralizeEslintEnv(text)).toBe(text);
  });
});

describe('check on files with eslint-env comments and an .eslintignore', () => {
  it('lints the file and reports at the original line and column', async () => {
    const app = await fixtureDir({
      'package.json': '{ "name": "legacy", "private": true }\n',
      'server.js': `/* eslint-env node */\nimport Stripe from 'stripe';\n${secretLine}\n`,
      'multi.ts': `/* eslint-env browser,\n   es2020 */ import Stripe from 'stripe';\n  ${secretLine}\n`,
    });
    try {
      const result = await runCheck({ cwd: app.dir, cache: false, analyzer: false });
      expect(result.errors).toEqual([]);
      const column = secretLine.indexOf("'") + 1;
      expect(result.findings.map((finding) => [finding.file, finding.ruleId, finding.line, finding.column])).toEqual([
        ['multi.ts', 'no-hardcoded-secrets', 3, column + 2],
        ['server.js', 'no-hardcoded-secrets', 3, column],
      ]);
    } finally {
      await app.remove();
    }
  }, 60_000);

  it('prints no .eslintignore warning and still checks the files it lists (built CLI)', async () => {
    const app = await fixtureDir({
      'package.json': '{ "name": "legacy", "private": true }\n',
      '.eslintignore': 'node_modules\nbin\n',
      'bin/www.js': `import Stripe from 'stripe';\n${secretLine}\n`,
    });
    try {
      const outcome = await promisify(execFile)(
        process.execPath,
        [join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js'), 'check', '--no-cache', '--format', 'json'],
        { cwd: app.dir },
      ).catch((error: unknown) => error as { code: number; stdout: string; stderr: string });
      expect((outcome as { code?: number }).code).toBe(1);
      expect(outcome.stderr).toBe('');
      const report = JSON.parse(outcome.stdout) as { findings: { file: string }[] };
      expect(report.findings.map((finding) => finding.file)).toEqual(['bin/www.js']);
    } finally {
      await app.remove();
    }
  }, 60_000);
});
