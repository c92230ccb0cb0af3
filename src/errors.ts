/** A mistake in how Portcullis was called: bad flag, missing option, unknown rule. Exit 2, one line. */
export class UsageError extends Error {
  override name = 'UsageError';
}
