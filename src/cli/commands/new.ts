import { GENERATORS } from '../../../generators/index.js';
import { parseGenerateArgs } from '../../generate/cli-args.js';
import { newApp } from '../../generate/commands.js';
import { coerceCliOptions } from '../../generate/options.js';
import { terminalAsk } from '../../generate/prompt.js';
import { generateOutput } from '../../generate/report.js';
import { UsageError } from '../../errors.js';
import { oneOf } from '../args.js';
import type { CliIo } from '../io.js';

export const NEW_HELP = `Usage: portcullis new <dir> [options]

Scaffolds a runnable TypeScript app (strict tsconfig, vitest, prettier, ESLint with the Portcullis
preset, a health route, security headers, .env.example, README) plus the chosen modules.

Options:
  --framework <express|hono>      HTTP framework (default: express)
  --db <pglite|postgres>          production database (default: pglite)
  --modules <a,b,...|all>         generators to add (see "portcullis list"); default: none
  --set <generator.option=value>  an option of a module, e.g. --set webhook.provider=stripe (repeatable)
  --name <package-name>           package name (default: the folder name)
  --yes                           never prompt; a missing option fails with exit 2
  --json                          print { created, updated, unchanged, conflicts, skipped, nextSteps }
  --dry-run                       print a unified diff of what would change; write nothing
  --force                         for files you edited, write the new version beside them (<file>.portcullis-new)
  --cwd <dir>                     resolve <dir> from here (default: the current folder)
  -h, --help                      show this help

Exit codes: 0 done; 1 stopped: files you edited would be overwritten, nothing written (with --json:
{ "error": { "code": "conflict", "conflicts": [{ path, reason, diff }] } }); 2 usage error (with --json:
{ "error": { "code", "message", "option"? } }).
`;

function parseSets(values: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const value of values) {
    const match = /^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9_-]*)=(.*)$/s.exec(value);
    if (match === null)
      throw new UsageError(`new: --set takes generator.option=value (got "${value}")`, {
        code: 'invalid_value',
        option: 'set',
      });
    const [, generator, option, text] = match as unknown as [string, string, string, string];
    (out[generator] ??= {})[option] = text;
  }
  return out;
}

export async function newCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { flags, positionals, extra } = parseGenerateArgs('new', args, {
    booleans: ['yes', 'json', 'dry-run', 'force', 'help'],
    strings: ['framework', 'db', 'modules', 'set', 'name', 'cwd'],
    repeatable: ['set'],
  });
  if (flags.help === true) {
    io.stdout.write(NEW_HELP);
    return 0;
  }
  const unknown = Object.keys(extra);
  if (unknown.length > 0)
    throw new UsageError(
      `new: unknown option --${unknown[0]!}; module options go through --set <generator>.<option>=<value>`,
      { code: 'unknown_option', option: unknown[0]! },
    );
  const [dir, ...rest] = positionals;
  if (dir === undefined) throw new UsageError('new: which folder? Usage: portcullis new <dir> [options]');
  if (rest.length > 0) throw new UsageError(`new: takes one folder, got ${String(positionals.length)}`);
  const framework =
    flags.framework === undefined
      ? undefined
      : oneOf('framework', flags.framework as string, ['express', 'hono'] as const, 'express');
  const db =
    flags.db === undefined ? undefined : oneOf('db', flags.db as string, ['pglite', 'postgres'] as const, 'pglite');
  const modulesText = flags.modules as string | undefined;
  const modules =
    modulesText === undefined
      ? []
      : modulesText.trim() === 'all'
        ? ('all' as const)
        : modulesText
            .split(',')
            .map((name) => name.trim())
            .filter((name) => name !== '');
  const sets = parseSets((flags.set as string[] | undefined) ?? []);
  const moduleOptions = Object.fromEntries(
    Object.entries(sets).map(([name, raw]) => {
      const spec = GENERATORS.find((candidate) => candidate.name === name);
      if (spec === undefined)
        throw new UsageError(`new: --set names unknown generator "${name}"`, {
          code: 'unknown_generator',
          option: 'set',
        });
      return [name, coerceCliOptions(spec, raw)];
    }),
  );
  const interactive = flags.yes !== true && process.stdin.isTTY && flags.json !== true;
  const result = await newApp({
    dir,
    cwd: typeof flags.cwd === 'string' ? flags.cwd : io.cwd,
    ...(framework === undefined ? {} : { framework }),
    ...(db === undefined ? {} : { db }),
    ...(typeof flags.name === 'string' ? { name: flags.name } : {}),
    modules,
    moduleOptions,
    dryRun: flags['dry-run'] === true,
    force: flags.force === true,
    ...(interactive ? { ask: terminalAsk(process.stdin, process.stderr) } : {}),
  });
  const { text, exitCode } = generateOutput(result, flags.json === true);
  io.stdout.write(text);
  return exitCode;
}
