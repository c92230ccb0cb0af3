// Real-code measurement for the secrets, cookies, CORS and OAuth rules (issue 3, "Tests and measurement").
// Lints the published source of popular packages (installed in bench/node_modules from bench/package.json)
// with the recommended preset restricted to those rules, through ESLint's Node API and the
// typescript-eslint parser. Reports crashes, findings per rule (with the source line, for review),
// lines scanned, and the preset's overhead over a plain ESLint + parser run on the same files.
//
// Usage: npm run build && (cd bench && npm ci) && node bench/real-code.mjs [--json out.json] [--runs N]
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';

import plugin, { presetRules } from '../dist/eslint-plugin/index.js';

const BENCH = dirname(fileURLToPath(import.meta.url));
const MODULES = join(BENCH, 'node_modules');
/** The packages named in issue 3, plus the OAuth client openid-client is built on. */
const PACKAGES = [
  'express',
  'fastify',
  'jose',
  'openid-client',
  'oauth4webapi',
  'stripe',
  'better-auth',
  '@better-auth/core',
  '@better-auth/utils',
  'next-auth',
  'hono',
];
const RULES = ['no-hardcoded-secrets', 'require-secure-cookies', 'no-permissive-cors', 'require-oauth-pkce'];
const SOURCE = /\.(?:[cm]?js|[cm]?ts|tsx|jsx)$/;
const SKIP = /\.d\.[cm]?ts$|\.min\.js$/;

const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 3;

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(path, out);
    } else if (SOURCE.test(entry.name) && !SKIP.test(entry.name) && statSync(path).size < 2_000_000) {
      out.push(path);
    }
  }
  return out;
}

// Collect every shipped source file once (identical copies in several builds are linted once).
const seen = new Set();
const files = [];
const linesByPackage = {};
let lines = 0;
for (const name of PACKAGES) {
  const root = join(MODULES, name);
  let found;
  try {
    found = walk(root, []);
  } catch {
    console.error(`skipped ${name}: not installed`);
    continue;
  }
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  let packageLines = 0;
  for (const file of found) {
    const text = readFileSync(file, 'utf8');
    const hash = createHash('sha1').update(text).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    files.push(file);
    packageLines += text.split('\n').length;
  }
  linesByPackage[`${name}@${version}`] = packageLines;
  lines += packageLines;
}

const parserConfig = {
  files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
  languageOptions: {
    parser: tsParser,
    parserOptions: { ecmaFeatures: { jsx: true } },
    sourceType: 'module',
  },
  linterOptions: { reportUnusedDisableDirectives: 'off' },
};
const recommended = Object.fromEntries(
  Object.entries(presetRules('recommended')).filter(([id]) => RULES.includes(id.replace('portcullis/', ''))),
);

function engine(withRules, stats = false) {
  return new ESLint({
    stats,
    // Rooted inside node_modules so ESLint's default `**/node_modules/` ignore does not apply.
    cwd: MODULES,
    overrideConfigFile: true,
    allowInlineConfig: false,
    overrideConfig: [
      { ...parserConfig, plugins: { portcullis: plugin }, ...(withRules ? { rules: recommended } : {}) },
    ],
  });
}

async function lintAll(withRules) {
  const start = performance.now();
  const results = await engine(withRules).lintFiles(files);
  return { ms: performance.now() - start, results };
}

// Correctness pass: any rule crash throws; find the file that crashes.
let results;
try {
  ({ results } = await lintAll(true));
} catch (error) {
  for (const file of files) {
    try {
      await engine(true).lintFiles([file]);
    } catch (inner) {
      console.error(`CRASH on ${relative(BENCH, file)}: ${inner.message}`);
    }
  }
  throw error;
}

const parseErrors = [];
const findings = [];
for (const result of results) {
  const source = readFileSync(result.filePath, 'utf8').split('\n');
  for (const message of result.messages) {
    if (message.fatal) {
      parseErrors.push({ file: relative(MODULES, result.filePath), message: message.message });
      continue;
    }
    findings.push({
      rule: message.ruleId,
      file: relative(MODULES, result.filePath),
      line: message.line,
      column: message.column,
      message: message.message,
      source: (source[message.line - 1] ?? '').trim().slice(0, 200),
    });
  }
}

// Overhead: plain parser run vs the same run with the rules, alternated, best of N each.
const plain = [];
const withRules = [];
for (let i = 0; i < runs; i++) {
  plain.push((await lintAll(false)).ms);
  withRules.push((await lintAll(true)).ms);
}
const best = (list) => Math.min(...list);
const overhead = (best(withRules) - best(plain)) / best(plain);

// Per-rule cost from ESLint's own stats (less sensitive to a busy machine than wall clock).
const statsResults = await engine(true, true).lintFiles(files);
const ruleMs = Object.fromEntries(RULES.map((id) => [id, 0]));
let parseMs = 0;
for (const result of statsResults) {
  for (const pass of result.stats?.times.passes ?? []) {
    parseMs += pass.parse?.total ?? 0;
    for (const [id, time] of Object.entries(pass.rules ?? {})) {
      const short = id.replace('portcullis/', '');
      if (short in ruleMs) ruleMs[short] += time.total;
    }
  }
}

const perRule = Object.fromEntries(
  RULES.map((id) => [id, findings.filter((f) => f.rule === `portcullis/${id}`).length]),
);
const summary = {
  node: process.version,
  eslint: ESLint.version,
  packages: linesByPackage,
  files: files.length,
  lines,
  parseErrors: parseErrors.length,
  findings: findings.length,
  findingsPer20kLines: Number(((findings.length / lines) * 20_000).toFixed(3)),
  perRule,
  timing: {
    runs,
    plainMs: plain.map((ms) => Math.round(ms)),
    withRulesMs: withRules.map((ms) => Math.round(ms)),
    overheadPercent: Number((overhead * 100).toFixed(1)),
    parseMs: Math.round(parseMs),
    ruleMs: Object.fromEntries(Object.entries(ruleMs).map(([id, ms]) => [id, Math.round(ms)])),
    rulesVsParsePercent: Number(((Object.values(ruleMs).reduce((a, b) => a + b, 0) / parseMs) * 100).toFixed(1)),
  },
};
console.log(JSON.stringify(summary, null, 2));
for (const finding of findings) {
  console.log(
    `\n${finding.rule} ${finding.file}:${finding.line}:${finding.column}\n  ${finding.message}\n  > ${finding.source}`,
  );
}
for (const error of parseErrors) console.log(`\nPARSE ${error.file}: ${error.message}`);
if (jsonOut !== undefined) writeFileSync(jsonOut, JSON.stringify({ summary, findings, parseErrors }, null, 2));
