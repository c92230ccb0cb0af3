import { resolve } from 'node:path';

import { GENERATORS } from '../../../generators/index.js';
import { parseGenerateArgs } from '../../generate/cli-args.js';
import { addModule } from '../../generate/commands.js';
import { coerceCliOptions } from '../../generate/options.js';
import { terminalAsk } from '../../generate/prompt.js';
import { generateOutput } from '../../generate/report.js';
import { UsageError } from '../../errors.js';
import { oneOf } from '../args.js';
import type { CliIo } from '../io.js';

export const ADD_HELP = `Usage: portcullis add <generator> [generator options] [options]

Adds one module to an existing app. The framework is read from the app's package.json (express or
hono). Generator options are --<option> <value> (see "portcullis list" for each generator's schema).

Options:
  --cwd <dir>                 the app folder (default: the current folder)
  --framework <express|hono>  when package.json does not say
  --yes                       never prompt; a missing option fails with exit 2
  --json                      print { created, updated, unchanged, conflicts, skipped, nextSteps }
  --dry-run                   print a unified diff of what would change; write nothing
  --force                     for files you edited, write the new version beside them (<file>.portcullis-new)
  -h, --help                  show this help

Exit codes: 0 done; 1 stopped: files you edited would be overwritten, nothing written (with --json:
{ "error": { "code": "conflict", "conflicts": [{ path, reason, diff }] } }); 2 usage error (with --json:
{ "error": { "code", "message", "option"? } }).
`;

export async function addCommand(args: readonly string[], io: CliIo): Promise<number> {
  const generatorName = args.find((arg) => !arg.startsWith('-'));
  const spec = GENERATORS.find((candidate) => candidate.name === generatorName);
  const { flags, positionals, extra } = parseGenerateArgs(
    'add',
    args,
    { booleans: ['yes', 'json', 'dry-run', 'force', 'help'], strings: ['cwd', 'framework'] },
    (name) => spec?.schema.properties[name]?.type === 'boolean',
  );
  if (flags.help === true) {
    io.stdout.write(ADD_HELP);
    return 0;
  }
  const [name, ...rest] = positionals;
  if (name === undefined)
    throw new UsageError(`add: which generator? One of: ${GENERATORS.map((g) => g.name).join(', ')}`);
  if (rest.length > 0) throw new UsageError(`add: takes one generator, got "${positionals.join(' ')}"`);
  if (spec === undefined)
    throw new UsageError(`add: unknown generator "${name}"; generators: ${GENERATORS.map((g) => g.name).join(', ')}`, {
      code: 'unknown_generator',
    });
  const framework =
    flags.framework === undefined
      ? undefined
      : oneOf('framework', flags.framework as string, ['express', 'hono'] as const, 'express');
  const interactive = flags.yes !== true && process.stdin.isTTY && flags.json !== true;
  const result = await addModule({
    generator: name,
    options: coerceCliOptions(spec, extra),
    cwd: resolve(io.cwd, typeof flags.cwd === 'string' ? flags.cwd : '.'),
    ...(framework === undefined ? {} : { framework }),
    dryRun: flags['dry-run'] === true,
    force: flags.force === true,
    ...(interactive ? { ask: terminalAsk(process.stdin, process.stderr) } : {}),
  });
  const { text, exitCode } = generateOutput(result, flags.json === true);
  io.stdout.write(text);
  return exitCode;
}
