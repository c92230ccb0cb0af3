// Benchmark (not a test): `portcullis check` over a real 100k+ line TypeScript code base from
// node_modules (zod's and rxjs's .ts sources), cold cache vs warm cache, with peak memory.
// Usage: npm run build && node bench/check-speed.mjs   (targets: cold < 30 s, warm < 3 s)
//        node bench/check-speed.mjs --app <dir>   also: one cold run (no cache) on an app folder, e.g. the
//        largest real app of bench/real-apps, with its peak memory (target: under 1 GB)
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');

if (process.argv[2] === '--child-oracle') {
  // The upper bound of --types: the type checker asked about every call of every function (a check
  // only asks about the functions it follows — route handlers, their helpers, tenant queries).
  const started = performance.now();
  const root = process.argv[3];
  const { discoverFiles } = await import(join(repo, 'dist/src/discovery/files.js'));
  const { loadSources } = await import(join(repo, 'dist/src/analyzer/project.js'));
  const { createTypeOracle } = await import(join(repo, 'dist/src/analyzer/typed.js'));
  const sources = await loadSources({ root, files: await discoverFiles({ root }), texts: new Map() });
  const oracle = createTypeOracle({ root, facts: sources.facts, texts: new Map() });
  let functions = 0;
  for (const [file, facts] of sources.facts)
    for (const fn of facts.functions) {
      oracle.calls(file, fn);
      oracle.dataAccess(file, fn);
      functions++;
    }
  process.stdout.write(
    JSON.stringify({
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      functions,
      resolved: oracle.resolved,
      errors: oracle.errors.length,
    }),
  );
  process.exit(0);
}

if (process.argv[2] === '--child' || process.argv[2] === '--child-types') {
  // One check run in a fresh process, so "cold" includes loading everything. `--child-types` runs the
  // project checks with --types and no cache (the cost of building the type-checked program).
  const types = process.argv[2] === '--child-types';
  const started = performance.now();
  const { runCheck } = await import(join(repo, 'dist/src/check/run-check.js'));
  const noCache = process.argv[4] === '--no-cache';
  const result = await runCheck({
    cwd: process.argv[3],
    ...(types ? { types: true, cache: false } : {}),
    ...(noCache ? { cache: false } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      files: result.filesScanned,
      findings: result.findings.length,
      errors: result.errors.length,
      byRule: Object.fromEntries(
        [...new Set(result.findings.map((f) => f.ruleId))].map((id) => [
          id,
          result.findings.filter((f) => f.ruleId === id).length,
        ]),
      ),
    }),
  );
  process.exit(0);
}

if (!existsSync(join(repo, 'dist/src/check/run-check.js'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const corpus = join(here, '.corpus', 'check-speed');
const sources = ['zod', 'rxjs'].map((name) => join(repo, 'node_modules', name));
let lines = 0;
let files = 0;
if (!existsSync(join(corpus, 'package.json'))) {
  rmSync(corpus, { recursive: true, force: true });
  for (const source of sources) {
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== 'node_modules') walk(path);
        } else if (/\.tsx?$/.test(name) && !/\.d\.[cm]?ts$/.test(name)) {
          const target = join(corpus, relative(join(repo, 'node_modules'), path));
          mkdirSync(dirname(target), { recursive: true });
          cpSync(path, target);
        }
      }
    };
    walk(source);
  }
  writeFileSync(join(corpus, 'package.json'), '{ "name": "check-speed-corpus", "private": true }\n');
}
const count = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') count(path);
    } else if (/\.tsx?$/.test(name)) {
      files++;
      lines += readFileSync(path, 'utf8').split('\n').length;
    }
  }
};
count(corpus);

const run = (mode = '--child', dir = corpus, extra = []) => {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, dir, ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`check failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
};

rmSync(join(corpus, 'node_modules', '.cache'), { recursive: true, force: true });
const cold = run();
const warm = run();
const typed = run('--child-types');
const oracle = run('--child-oracle');
const appArg = process.argv.indexOf('--app');
const appDir = appArg === -1 ? undefined : process.argv[appArg + 1];
const app = appDir === undefined ? undefined : run('--child', appDir, ['--no-cache']);
const { lintWorkerCount } = await import(join(repo, 'dist/src/check/lint.js'));
const report = {
  corpus: { packages: ['zod', 'rxjs'], files, lines },
  // Wall time depends on what else the machine runs; CPU time is what the run itself costs.
  cold: {
    seconds: +cold.seconds.toFixed(2),
    cpuSeconds: +cold.cpuSeconds.toFixed(2),
    peakRssMb: Math.round(cold.peakRssMb),
  },
  warm: {
    seconds: +warm.seconds.toFixed(2),
    cpuSeconds: +warm.cpuSeconds.toFixed(2),
    peakRssMb: Math.round(warm.peakRssMb),
  },
  typesCold: {
    seconds: +typed.seconds.toFixed(2),
    cpuSeconds: +typed.cpuSeconds.toFixed(2),
    peakRssMb: Math.round(typed.peakRssMb),
    findings: typed.findings,
  },
  typesEveryFunction: {
    seconds: +oracle.seconds.toFixed(2),
    cpuSeconds: +oracle.cpuSeconds.toFixed(2),
    peakRssMb: Math.round(oracle.peakRssMb),
    functions: oracle.functions,
    callsResolved: oracle.resolved,
  },
  ...(app === undefined
    ? {}
    : {
        appCold: {
          app: appDir,
          files: app.files,
          seconds: +app.seconds.toFixed(2),
          cpuSeconds: +app.cpuSeconds.toFixed(2),
          peakRssMb: Math.round(app.peakRssMb),
          findings: app.findings,
          under1GB: app.peakRssMb < 1024,
        },
      }),
  lintWorkers: lintWorkerCount(files),
  findings: cold.findings,
  byRule: cold.byRule,
  errors: cold.errors,
  sameFindingsWarm: cold.findings === warm.findings,
  loadAverage: (await import('node:os')).loadavg().map((n) => +n.toFixed(1)),
  targets: { coldUnder30s: cold.seconds < 30, warmUnder3s: warm.seconds < 3 },
};
console.log(JSON.stringify(report, null, 2));
