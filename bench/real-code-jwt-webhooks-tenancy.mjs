/**
 * Runs the recommended preset over the shipped source of popular packages and prints lines scanned,
 * crashes and every finding, per rule. Not part of `npm run bench` (it needs the packages installed):
 *
 *   npm i --prefix bench-tmp --ignore-scripts express fastify jose openid-client stripe hono next-auth \
 *     better-auth jsonwebtoken svix @octokit/webhooks koa
 *   npm run build && node bench/real-code-jwt-webhooks-tenancy.mjs [bench-tmp/node_modules]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';

import plugin from '../dist/eslint-plugin/index.js';

const ROOT = process.argv[2] ?? 'bench-tmp/node_modules';
const PACKAGES = [
  'express',
  'fastify',
  'jose',
  'openid-client',
  'oauth4webapi',
  'stripe',
  'hono',
  'next-auth',
  'better-auth',
  '@better-auth',
  'better-call',
  'jsonwebtoken',
  'jws',
  'svix',
  'standardwebhooks',
  '@octokit',
  'koa',
  'router',
  'body-parser',
];
const SOURCE = /\.(?:[cm]?js|[cm]?ts|tsx|jsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* files(path);
    } else if (
      entry.isFile() &&
      SOURCE.test(entry.name) &&
      !DECLARATION.test(entry.name) &&
      !entry.name.endsWith('.min.js')
    ) {
      yield path;
    }
  }
}

const linter = new Linter({ configType: 'flat' });
const config = [
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'],
    // Library code carries its own eslint-disable comments for other plugins; they must not matter here.
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
    plugins: { portcullis: plugin },
    rules: plugin.configs.recommended.rules,
  },
];

let lines = 0;
let scanned = 0;
const unparseable = [];
const crashes = [];
const findings = [];
const started = Date.now();
for (const pkg of PACKAGES) {
  const dir = join(ROOT, pkg);
  try {
    statSync(dir);
  } catch {
    continue;
  }
  for (const file of files(dir)) {
    const text = readFileSync(file, 'utf8');
    scanned++;
    lines += text.split('\n').length;
    const name = relative(ROOT, file);
    try {
      // The file keeps its name (route-file rules read it); .js files are parsed by the typescript-eslint parser too.
      const messages = linter.verify(text, config, { filename: name });
      for (const m of messages) {
        if (m.fatal) unparseable.push(`${name}: ${m.message}`);
        else if (m.ruleId !== null)
          findings.push({ rule: m.ruleId, file: name, line: m.line, column: m.column, message: m.message });
      }
    } catch (error) {
      crashes.push({
        file: name,
        error: String(error?.stack ?? error)
          .split('\n')
          .slice(0, 4)
          .join(' | '),
      });
    }
  }
}
const perRule = {};
for (const f of findings) perRule[f.rule] = (perRule[f.rule] ?? 0) + 1;
const seconds = (Date.now() - started) / 1000;
console.log(JSON.stringify({ files: scanned, lines, seconds, unparseable, crashes, perRule, findings }, null, 2));
