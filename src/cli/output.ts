import { existsSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

/**
 * Colour for people at a terminal: FORCE_COLOR forces it on (or off with 0/false), as Node and most
 * CLIs read it; otherwise a non-empty NO_COLOR turns it off (no-color.org); otherwise only on a TTY.
 */
export function colorEnabled(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}

/** Fails with one line, before any work is written, when `path` cannot be a file we write. */
export async function writableTarget(path: string, shown: string): Promise<void> {
  const folder = dirname(path);
  if (!existsSync(folder))
    throw new UsageError(`cannot write ${shown}: the folder ${dirname(shown)} does not exist`, { code: 'path_error' });
  if (!statSync(folder).isDirectory())
    throw new UsageError(`cannot write ${shown}: ${dirname(shown)} is not a folder`, { code: 'path_error' });
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`cannot write ${shown}: it is a folder`, { code: 'path_error' });
  return Promise.resolve();
}

/** Writes a report to stdout, or atomically to `--output` (temp file + rename); nothing half-written. */
export async function writeOutput(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  const target = resolve(io.cwd, output);
  await writableTarget(target, output);
  const temp = `${target}.${String(process.pid)}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UsageError(
      `cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { code: 'path_error', option: 'output' },
    );
  }
}
