/**
 * The stable codes of a failed command, as `--json` prints them (`{ "error": { "code", "message",
 * "option"? } }`). Codes never change meaning; new ones may be added. Documented in the README.
 */
export const ERROR_CODES = {
  usage: 'the command cannot take these arguments (a missing or extra argument, a flag that needs another)',
  unknown_command: 'no such command',
  unknown_option: 'no such flag or generator option (`option` names it)',
  missing_option: 'a required option has no value and prompting is off (`option` names it)',
  invalid_value: 'an option has a value it does not allow (`option` names it)',
  conflicting_options: 'two options that cannot go together (`option` names the second)',
  unknown_generator: 'no such generator (see `portcullis list`)',
  unknown_rule: 'no such rule or check (see `portcullis explain`)',
  not_found: 'a file, folder or git ref you named does not exist',
  invalid_input: 'a file you gave is malformed (baseline, tsconfig, package.json, manifest, config, SARIF)',
  path_error: 'a path exists but cannot be used (not a folder, permission denied, outside the target)',
  not_an_app: 'the target folder cannot take this generation (no package.json, unknown framework…)',
  conflict: 'files you changed would be overwritten: nothing was written (`conflicts` lists each with its diff)',
  write_failed: 'writing failed part-way; every change of this run was rolled back',
  internal: 'a bug in Portcullis (run again with --debug and report it)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  code?: ErrorCode;
  /** The flag or generator option at fault, without dashes. */
  option?: string;
}

/** A mistake in how Portcullis was called: bad flag, missing option, unknown rule. Exit 2, one line. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code: ErrorCode;
  readonly option: string | undefined;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = details.code ?? 'usage';
    this.option = details.option;
  }
}

/** What `--json` prints for a failure: the only output on stdout. */
export interface JsonError {
  error: { code: ErrorCode; message: string; option?: string } & Record<string, unknown>;
}

export function jsonError(
  code: ErrorCode,
  message: string,
  option?: string,
  extra: Readonly<Record<string, unknown>> = {},
): JsonError {
  return { error: { code, message, ...(option === undefined || option === '' ? {} : { option }), ...extra } };
}
