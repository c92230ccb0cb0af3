import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

import { SEVERITIES, meetsThreshold } from '../../catalog/categories.js';
import { UNBASELINABLE, createBaseline, writeBaseline } from '../../check/baseline.js';
import { runCheck, type CheckPhase, type CheckResult } from '../../check/run-check.js';
import { parseShard } from '../../check/selection.js';
import { UsageError } from '../../errors.js';
import { FORMATS, REPORTERS, type Format } from '../../report/index.js';
import { oneOf, parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';
import { colorEnabled, writableTarget, writeOutput } from '../output.js';
import { postureContext } from '../posture.js';

export const CHECK_HELP = `Usage: portcullis check [paths...] [options]

Runs the Portcullis ESLint rules and project checks over the given files or folders
(default: the current folder), honouring .gitignore (not .eslintignore) and skipping
node_modules, dist, build, .next and coverage. Works without an ESLint config of your own.
A folder that is a project of its own (tsconfig.json, package.json, deno.json or .git) is
checked as that project wherever you run from: its tsconfig is read and paths in findings
are relative to it. Without a root tsconfig, the tsconfig.json files in subfolders are used.

Options:
  --format <text|json|sarif|html>  report format (default: text)
  --json                           --format json, and a failure prints { "error": { code, message, option? } }
  --output <file>                  write the report to a file instead of stdout
  --fail-on <critical|high|medium|low>
                                   exit 1 when a finding is at or above this severity (default: high)
  --preset <recommended|strict>    which rule set to run (default: recommended)
  --baseline <file>                fail only on findings not in this baseline; report stale entries
  --write-baseline <file>          record the current findings as accepted (exits 0)
  --baseline-reason <text>         reason stored with each entry written by --write-baseline
  --changed-since <git-ref>        report only files changed since the ref (the whole project is still read)
  --shard <i/n>                    check only shard i of n (deterministic by path; merge with merge-sarif)
  --no-cache                       ignore and do not write node_modules/.cache/portcullis
  --root <dir>                     the repository root: SARIF paths and fingerprints are relative to it
                                   (default: the nearest folder with .git, else the checked folder)
  --automation-id <id>             the SARIF run category (default: portcullis/check/<folder>/)
  --project <tsconfig>             the tsconfig that defines the project for the project checks
                                   (default: tsconfig.json in the scanned folder, references followed;
                                   without one, every source file under the paths)
  --types                          type-aware resolution in the project checks: handlers and guards
                                   that are methods on objects, data clients by type, tenant-scoped
                                   clients by type (builds a type-checked program: slower)
  -h, --help                       show this help

Inline suppressions: // portcullis-ignore <rule-id> -- <reason>  (the reason is required)
Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or configuration error.
`;

export interface CheckCommandResult {
  result: CheckResult;
  exitCode: 0 | 1;
}

const PHASE_LABEL: Readonly<Record<CheckPhase, string>> = {
  reading: 'reading',
  analyzing: 'analyzing',
  linting: 'linting',
};

/** A one-line progress display on a TTY, shown only once a run has taken more than a second. */
export function progressLine(
  io: CliIo,
  enabled: boolean,
): { update: (phase: CheckPhase, done: number, total: number) => void; stop: () => void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  let state = '';
  let shown = false;
  const timer = setInterval(() => {
    if (Date.now() - started < 1000 || state === '') return;
    shown = true;
    io.stderr.write(`\r\u001b[Kportcullis: ${state}`);
  }, 200);
  timer.unref();
  return {
    update(phase, done, total) {
      state = `${PHASE_LABEL[phase]} ${String(done)}/${String(total)} files…`;
    },
    stop() {
      clearInterval(timer);
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
}

export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage('check', () =>
    parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        json: { type: 'boolean' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        preset: { type: 'string' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'baseline-reason': { type: 'string' },
        'changed-since': { type: 'string' },
        shard: { type: 'string' },
        'no-cache': { type: 'boolean' },
        root: { type: 'string' },
        'automation-id': { type: 'string' },
        project: { type: 'string' },
        types: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help === true) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  if (values.json === true && values.format !== undefined && values.format !== 'json')
    throw new UsageError(`--json and --format ${values.format} say different things; give one`, {
      code: 'conflicting_options',
      option: 'format',
    });
  const format: Format = oneOf('format', values.json === true ? 'json' : values.format, FORMATS, 'text');
  const failOn = oneOf('fail-on', values['fail-on'], SEVERITIES, 'high');
  const preset = oneOf('preset', values.preset, ['recommended', 'strict'] as const, 'recommended');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values['baseline-reason'] !== undefined && values['write-baseline'] === undefined)
    throw new UsageError('--baseline-reason only goes with --write-baseline', {
      code: 'conflicting_options',
      option: 'baseline-reason',
    });

  // Fail before the (long) run, not after it, when the report or baseline has nowhere to go.
  if (values.output !== undefined) await writableTarget(resolve(io.cwd, values.output), values.output);
  if (values['write-baseline'] !== undefined)
    await writableTarget(resolve(io.cwd, values['write-baseline']), values['write-baseline']);
  const progress = progressLine(io, io.stderr.isTTY === true && (format === 'text' || format === 'html'));
  let result: CheckResult;
  try {
    result = await runCheck({
      cwd: io.cwd,
      paths: positionals,
      failOn,
      preset,
      ...(values.baseline === undefined || values['write-baseline'] !== undefined ? {} : { baseline: values.baseline }),
      ...(values['changed-since'] === undefined ? {} : { changedSince: values['changed-since'] }),
      ...(shard === undefined ? {} : { shard }),
      ...(values['no-cache'] === true ? { cache: false as const } : {}),
      ...(values.root === undefined ? {} : { repoRoot: values.root }),
      ...(values.project === undefined ? {} : { project: values.project }),
      types: values.types === true,
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  if (values['write-baseline'] !== undefined) {
    const path = resolve(io.cwd, values['write-baseline']);
    const baseline = createBaseline(result.findings, values['baseline-reason']);
    await writeBaseline(path, baseline);
    io.stderr.write(
      `portcullis: wrote ${String(baseline.entries.length)} finding(s) to ${values['write-baseline']}; later runs with --baseline fail only on new ones.\n`,
    );
    const accepted = result.findings.filter((f) => !UNBASELINABLE.has(f.ruleId));
    const findings = result.findings.filter((f) => UNBASELINABLE.has(f.ruleId));
    result = {
      ...result,
      suppressed: [
        ...result.suppressed,
        ...accepted.map((f) => ({
          ...f,
          suppression: {
            kind: 'baseline' as const,
            ...(values['baseline-reason'] === undefined ? {} : { justification: values['baseline-reason'] }),
          },
        })),
      ],
      findings,
      failed: findings.some((f) => meetsThreshold(f.severity, failOn)),
    };
  }
  const color = values.output === undefined && format === 'text' && colorEnabled(io);
  const posture =
    format === 'html'
      ? await postureContext(result.root, {
          paths: positionals,
          preset,
          ...(values.project === undefined ? {} : { project: resolve(io.cwd, values.project) }),
        })
      : undefined;
  const report = REPORTERS[format](result, {
    color,
    ...(posture === undefined ? {} : { posture }),
    ...(values['automation-id'] === undefined ? {} : { sarif: { automationId: values['automation-id'] } }),
  });
  await writeOutput(report, values.output, io);
  return result.failed ? 1 : 0;
}

export const REPORT_HELP = `Usage: portcullis report [paths...] [--output <file>] [check options]

Writes the security posture report: one self-contained HTML page (no scripts, no external assets)
with the scope, the checklist areas, findings by category and by file with code excerpts and fixes,
what was suppressed and why, and the route inventory. The same as "portcullis check --format html",
written to portcullis-report.html unless --output names another file. Takes every check option but --format.
`;

/** `portcullis report`: `check --format html`, to a file by default. */
export async function reportCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(REPORT_HELP);
    return 0;
  }
  if (args.some((arg) => arg === '--format' || arg.startsWith('--format=')))
    throw new UsageError('report: always writes HTML; use "portcullis check --format <format>" for other formats', {
      code: 'conflicting_options',
      option: 'format',
    });
  const hasOutput = args.some((arg) => arg === '--output' || arg.startsWith('--output='));
  const output = hasOutput ? [] : ['--output', 'portcullis-report.html'];
  const code = await checkCommand(['--format', 'html', ...output, ...args], io);
  if (!hasOutput) io.stderr.write('portcullis: wrote portcullis-report.html\n');
  return code;
}
