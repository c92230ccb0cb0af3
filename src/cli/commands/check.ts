import { SEVERITIES } from '../../catalog/categories.js';
import { runCheck, type CheckResult } from '../../check/run-check.js';
import { FORMATS, REPORTERS, type Format } from '../../report/index.js';
import { parseArgs } from 'node:util';

import { oneOf, parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';
import { writeOutput } from '../output.js';

export const CHECK_HELP = `Usage: portcullis check [paths...] [options]

Runs the Portcullis ESLint rules and project checks over the given files or folders
(default: the current folder), honouring .gitignore and skipping node_modules, dist,
build, .next and coverage. Works without an ESLint config of your own.

Options:
  --format <text|json|sarif|html>  report format (default: text)
  --output <file>                  write the report to a file instead of stdout
  --fail-on <critical|high|medium|low>
                                   exit 1 when a finding is at or above this severity (default: high)
  --preset <recommended|strict>    which rule set to run (default: recommended)
  -h, --help                       show this help

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or configuration error.
`;

export interface CheckCommandResult {
  result: CheckResult;
  exitCode: 0 | 1;
}

export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage('check', () =>
    parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        preset: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help === true) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  const format: Format = oneOf('format', values.format, FORMATS, 'text');
  const failOn = oneOf('fail-on', values['fail-on'], SEVERITIES, 'high');
  const preset = oneOf('preset', values.preset, ['recommended', 'strict'] as const, 'recommended');

  const result = await runCheck({ cwd: io.cwd, paths: positionals, failOn, preset });
  const color =
    values.output === undefined && format === 'text' && io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
  const report = REPORTERS[format](result, { color });
  await writeOutput(report, values.output, io);
  return result.failed ? 1 : 0;
}
