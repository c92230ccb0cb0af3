import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import { UsageError } from '../errors.js';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realPathOf(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realpathSync(existing);
  return existing === path ? real : resolve(real, relative(existing, path));
}

/**
 * The folder an MCP server was started in. Every path an agent passes resolves inside it, symlinks
 * included (CWE-22): a tool that an agent drives never reads or writes outside the workspace.
 */
export class WorkspaceRoot {
  readonly path: string;

  constructor(root: string) {
    this.path = realpathSync(resolve(root));
  }

  /** The absolute real path of `argument` (relative to the root), or a usage error naming the root. */
  resolve(argument: string, name: string): string {
    if (argument.includes('\0')) throw new UsageError(`argument "${name}" contains a NUL byte`);
    const lexical = resolve(this.path, argument);
    const real = realPathOf(lexical);
    if (!inside(this.path, lexical) || !inside(this.path, real))
      throw new UsageError(
        `argument "${name}" (${JSON.stringify(argument)}) is outside the workspace root ${this.path}; pass a path inside it`,
      );
    return real;
  }

  /** `path` relative to the root, with forward slashes ('.' for the root itself). */
  relative(path: string): string {
    const rel = relative(this.path, path).split(sep).join('/');
    return rel === '' ? '.' : rel;
  }
}
