#!/usr/bin/env node
// `npm run bench:real`: materializes the real-app corpus, runs the built CLI's `check . --no-cache
// --format json` in each app, judges every finding against triage/<id>.json and recall/<id>.json,
// and writes results.md and results.json. Exits 1 when a finding is untriaged, a check crashed or
// a file could not be read (and says which); 2 on a usage or setup error.
//
//   PORTCULLIS_MIRRORS=<folder of bare mirrors> npm run bench:real [-- --app <id>]... [-- --readme]
//
// --app <id>  run only these apps; the summary is printed, results.md/json are left as they are.
// --readme    rewrite the README's accuracy section from results.json (no checks are run).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { evaluateApp, renderReadmeSection, renderResults, replaceReadmeSection, summarize } from './compare.mjs';
import { defaultAppsFolder, materialize, readCorpus } from './materialize.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const CLI = join(repo, 'dist/src/cli/bin.js');
const RSS_WRAPPER = join(here, 'rss.mjs');

function parseArgs(argv) {
  const options = { only: [], readme: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--app' && argv[index + 1] !== undefined) options.only.push(argv[++index]);
    else if (arg === '--readme') options.readme = true;
    else throw new UsageError(`unknown argument ${arg} (usage: run.mjs [--app <id>]... [--readme])`);
  }
  return options;
}

class UsageError extends Error {}

function readJson(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${error.message}`);
  }
}

/** Runs the built CLI in `dir` under the maxRSS wrapper: the parsed report, wall time, peak memory. */
function runCheck(dir) {
  const scratch = mkdtempSync(join(tmpdir(), 'portcullis-bench-real-'));
  const rssFile = join(scratch, 'rss');
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(RSS_WRAPPER).href, CLI, 'check', '.', '--no-cache', '--format', 'json'],
      { cwd: dir, env: { ...process.env, PORTCULLIS_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const maxRssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : null;
      rmSync(scratch, { recursive: true, force: true });
      const errText = Buffer.concat(stderr).toString('utf8').trim();
      let report;
      let crash = null;
      if (code === 0 || code === 1) {
        try {
          report = JSON.parse(Buffer.concat(stdout).toString('utf8'));
        } catch (error) {
          crash = `the JSON report could not be parsed: ${error.message}`;
        }
      } else crash = `exit ${signal ?? String(code)}: ${errText.split('\n').slice(0, 3).join(' / ') || 'no output'}`;
      resolvePromise({ report, crash, wallMs, maxRssKb, stderr: errText });
    });
  });
}

/** Non-empty lines of the files `check` read in `dir`: the lint targets and the project checks' inputs. */
async function countLines(dir) {
  const { discoverFiles } = await import(pathToFileURL(join(repo, 'dist/src/discovery/files.js')).href);
  const { discoverAnalyzerInputs } = await import(pathToFileURL(join(repo, 'dist/src/analyzer/model.js')).href);
  const sources = await discoverFiles({ root: dir });
  const inputs = await discoverAnalyzerInputs(dir);
  let lines = 0;
  for (const file of new Set([...sources, ...inputs]))
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim() !== '') lines++;
  return { lines, files: sources.length };
}

async function writeReadme(summary) {
  const readmeFile = join(repo, 'README.md');
  // Formatted as `npm run format` would (tables aligned), so format:check stays green.
  const prettier = await import('prettier');
  const text = replaceReadmeSection(readFileSync(readmeFile, 'utf8'), renderReadmeSection(summary));
  const config = (await prettier.resolveConfig(readmeFile)) ?? {};
  writeFileSync(readmeFile, await prettier.format(text, { ...config, filepath: readmeFile }));
  console.log('README.md: accuracy section rewritten from bench/real-apps/results.json');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.readme) {
    const results = readJson(join(here, 'results.json'));
    if (results === undefined)
      throw new UsageError('bench/real-apps/results.json does not exist: run npm run bench:real first');
    await writeReadme(results);
    return 0;
  }
  if (!existsSync(CLI)) throw new UsageError(`${CLI} does not exist: run npm run build first`);
  const mirrors = process.env.PORTCULLIS_MIRRORS;
  if (mirrors === undefined)
    throw new UsageError(
      'PORTCULLIS_MIRRORS is not set: name the folder of bare git mirrors (<folder>/<owner>+<name>/repo or <owner>+<name>.git).',
    );
  const corpus = readCorpus();
  const unknown = options.only.filter((id) => !corpus.some((app) => app.id === id));
  if (unknown.length > 0) throw new UsageError(`not in apps.json: ${unknown.join(', ')}`);
  const apps = options.only.length > 0 ? corpus.filter((app) => options.only.includes(app.id)) : corpus;
  const appsFolder = defaultAppsFolder();
  const { ready, problems } = await materialize({ mirrors: resolve(mirrors), appsFolder, apps, log: console.log });
  for (const problem of problems) console.error(`not materialized: ${problem}`);
  if (ready.length === 0) {
    console.error('bench:real: no app could be materialized.');
    return 1;
  }

  const evaluated = [];
  for (const app of ready) {
    const { lines, files } = await countLines(app.dir);
    const run = await runCheck(app.dir);
    if (run.stderr !== '' && run.crash === null) console.error(`${app.id}: stderr: ${run.stderr.split('\n')[0]}`);
    if (run.report !== undefined && run.report.summary?.filesScanned !== files)
      console.error(
        `${app.id}: check scanned ${String(run.report.summary?.filesScanned)} files, discovery found ${String(files)}`,
      );
    const result = evaluateApp({
      id: app.id,
      kind: app.kind,
      lines,
      files,
      wallMs: run.wallMs,
      maxRssKb: run.maxRssKb,
      crash: run.crash,
      report: run.report,
      excluded: app.excluded,
      ledger: readJson(join(here, 'triage', `${app.id}.json`)),
      recall: readJson(join(here, 'recall', `${app.id}.json`)),
    });
    evaluated.push(result);
    console.log(
      `${app.id}: ${String(lines)} lines, ${run.crash === null ? `${String(result.findings)} findings (${String(result.untriaged)} untriaged)` : `CRASH ${run.crash}`}, ` +
        `${(run.wallMs / 1000).toFixed(1)} s, ${run.maxRssKb === null ? '?' : (run.maxRssKb / 1024).toFixed(0)} MiB`,
    );
  }

  const summary = summarize(evaluated);
  // Each app's untriaged findings, so whoever triages knows what to read.
  const untriaged = Object.fromEntries(
    evaluated
      .filter((app) => app.untriaged > 0)
      .map((app) => [
        app.id,
        app.judged
          .filter((entry) => entry.verdict === 'untriaged')
          .map(({ finding }) => ({
            fingerprint: finding.fingerprint,
            rule: finding.ruleId,
            severity: finding.severity,
            file: finding.file,
            line: finding.line,
          })),
      ]),
  );
  const missing = apps.filter((app) => !ready.some((entry) => entry.id === app.id)).map((app) => app.id);
  const results = { ...summary, notMaterialized: missing, untriagedFindings: untriaged };
  if (missing.length > 0) {
    results.passed = false;
    for (const id of missing)
      results.failures.push({ app: id, kind: 'not-materialized', detail: 'see the lines above' });
  }
  const markdown = renderResults(results);
  if (options.only.length > 0) process.stdout.write(`\n${markdown}`);
  else {
    writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(here, 'results.md'), markdown);
    console.log('wrote bench/real-apps/results.md and results.json');
  }
  for (const failure of results.failures) console.error(`FAIL ${failure.app}: ${failure.kind}: ${failure.detail}`);
  return results.passed ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`bench:real: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
