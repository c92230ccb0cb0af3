import { UsageError } from '../errors.js';

/** Runs `util.parseArgs` (strict), turning its errors into one-line usage errors. */
export function parseOrUsage<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = (error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error)).replace(
      / To specify a positional argument starting with a '-'.*$/,
      '',
    );
    const flag = /'(-{1,2}[A-Za-z][\w-]*)/.exec(message)?.[1]?.replace(/^-+/, '');
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`${command}: ${message}`, {
      code:
        code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
          ? 'unknown_option'
          : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
            ? 'invalid_value'
            : 'usage',
      ...(flag === undefined ? {} : { option: flag }),
    });
  }
}

/** Checks a flag value against its allowed values, naming them in the error. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`, {
    code: 'invalid_value',
    option: flag,
  });
}
