import { UsageError, type ErrorDetails } from '../errors.js';

/** A path a generator asked for that would land outside the target folder (CWE-22). Exit 2, nothing written. */
export class UnsafePathError extends UsageError {
  override name = 'UnsafePathError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`refusing to write "${path}": ${reason}. Generated files must stay inside the target folder.`, {
      code: 'path_error',
    });
  }
}

/** The target app cannot take this generator (no package.json, unknown framework, …). Exit 2. */
export class AppContextError extends UsageError {
  override name = 'AppContextError';
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { code: 'not_an_app', ...details });
  }
}

/** Writing failed part-way; every file this run wrote has been restored. */
export class WriteFailedError extends Error {
  override name = 'WriteFailedError';
  constructor(
    readonly path: string,
    readonly rolledBack: readonly string[],
    override readonly cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `writing ${path} failed (${detail}); rolled back the ${String(rolledBack.length)} change(s) this run had made, the app is as it was.`,
    );
  }
}
