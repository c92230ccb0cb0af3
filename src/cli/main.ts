import { OptionsError } from '../../generators/types.js';
import { ERROR_CODES, jsonError, UsageError, type ErrorCode } from '../errors.js';
import { WriteFailedError } from '../generate/errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import { PACKAGE_VERSION } from '../version.js';
import type { CliIo } from './io.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

interface CommandEntry {
  run: Command;
  summary: string;
}

/**
 * Only commands that work are registered. Each loads on use: the generators pull in ts-morph and the
 * rule catalog the whole plugin, which a warm `check` (the CI gate's common case) never needs.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  check: {
    run: async (args, io) => (await import('./commands/check.js')).checkCommand(args, io),
    summary: 'check a project with the ESLint rules and project checks',
  },
  report: {
    run: async (args, io) => (await import('./commands/check.js')).reportCommand(args, io),
    summary: 'write the security posture report (HTML) a lead can forward',
  },
  explain: {
    run: async (args, io) => (await import('./commands/explain.js')).explainCommand(args, io),
    summary: "print a rule's documentation",
  },
  routes: {
    run: async (args, io) => (await import('./commands/routes.js')).routesCommand(args, io),
    summary: 'print the route inventory with the guard found for each route',
  },
  'merge-sarif': {
    run: async (args, io) => (await import('./commands/merge-sarif.js')).mergeSarifCommand(args, io),
    summary: 'combine the SARIF reports of sharded check runs',
  },
  new: {
    run: async (args, io) => (await import('./commands/new.js')).newCommand(args, io),
    summary: 'scaffold a secure-by-default app with the chosen modules',
  },
  add: {
    run: async (args, io) => (await import('./commands/add.js')).addCommand(args, io),
    summary: 'add one module (generator) to an existing app',
  },
  list: {
    run: async (args, io) => (await import('./commands/list.js')).listCommand(args, io),
    summary: 'list the generators and the JSON schema of their options',
  },
  mcp: {
    run: async (args, io) => (await import('./commands/mcp.js')).mcpCommand(args, io),
    summary: 'serve generate / list / check / explain over MCP (stdio)',
  },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const commands = Object.entries(COMMANDS)
    .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
    .join('\n');
  return `Portcullis ${PACKAGE_VERSION}: secure-by-default generators, lint rules and CI checks.

Usage: portcullis <command> [options]

Commands:
${commands}

Options:
  -h, --help     show help (also: portcullis <command> --help)
  -v, --version  print the version
  --debug        print the stack trace of an internal error
  --json         (new, add, list, routes, check) a failure prints { "error": { "code", "message", "option"? } }
                 on stdout instead of a line on stderr; codes: ${Object.keys(ERROR_CODES).join(', ')}

Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage error or crash.
`;
}

/** What a file-system error on a user's path means, in words. */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a folder',
  EISDIR: 'is a folder',
  ELOOP: 'too many symbolic links',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** A file-system error on a path outside the Portcullis package is the user's input, not our bug. */
function userFsError(error: unknown): string | undefined {
  const fsError = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof fsError.path !== 'string' || fsError.code === undefined) return undefined;
  const reason = FS_REASONS[fsError.code];
  if (reason === undefined || fsError.path.startsWith(PACKAGE_ROOT)) return undefined;
  return `cannot use ${fsError.path}: ${reason}`;
}

/** `--json` among the arguments: a failure is reported as JSON on stdout. */
function wantsJson(args: readonly string[]): boolean {
  return args.includes('--json');
}

interface Failure {
  code: ErrorCode;
  message: string;
  option?: string;
  /** Not a usage error: a bug, whose stack --debug prints. */
  internal: boolean;
}

/** What went wrong, in words and a stable code. */
function describe(error: unknown): Failure {
  if (error instanceof UsageError)
    return {
      code: error.code,
      message: error.message,
      ...(error.option ? { option: error.option } : {}),
      internal: false,
    };
  if (error instanceof OptionsError)
    return { code: error.code, message: error.message, option: error.option, internal: false };
  if (error instanceof WriteFailedError) return { code: 'write_failed', message: error.message, internal: false };
  const fsMessage = userFsError(error);
  if (fsMessage !== undefined)
    return {
      code: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'path_error',
      message: fsMessage,
      internal: false,
    };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    message: `internal error: ${message.split('\n')[0] ?? ''}. This is a bug in Portcullis; run again with --debug and report the output.`,
    internal: true,
  };
}

/** The one error boundary: every command's errors become an exit code and one clear line (or JSON with --json). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug') || io.env.PORTCULLIS_DEBUG === '1';
  const [first, ...rest] = argv.filter((arg) => arg !== '--debug');
  const json = wantsJson(rest);
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.stdout.write(helpText());
      return first === undefined ? 2 : 0;
    }
    if (first === '-v' || first === '--version') {
      io.stdout.write(`${PACKAGE_VERSION}\n`);
      return 0;
    }
    const entry = COMMANDS[first];
    if (entry === undefined) {
      const hint = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
      throw new UsageError(`${hint}. Commands: ${Object.keys(COMMANDS).join(', ')}. Run "portcullis --help".`, {
        code: first.startsWith('-') ? 'unknown_option' : 'unknown_command',
        ...(first.startsWith('-') ? { option: first.replace(/^-+/, '') } : {}),
      });
    }
    return await entry.run(rest, io);
  } catch (error) {
    const failure = describe(error);
    const stack = error instanceof Error ? error.stack : undefined;
    if (json) {
      io.stdout.write(`${JSON.stringify(jsonError(failure.code, failure.message, failure.option), null, 2)}\n`);
      if (debug && stack !== undefined) io.stderr.write(`${stack}\n`);
      return 2;
    }
    if (!failure.internal) {
      io.stderr.write(`portcullis: ${failure.message}\n`);
      if (debug && stack !== undefined) io.stderr.write(`${stack}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      debug
        ? `portcullis: internal error. This is a bug in Portcullis; please report it with the output below.\n${stack ?? message}\n`
        : `portcullis: ${failure.message}\n`,
    );
    return 2;
  }
}
