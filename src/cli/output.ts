import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { CliIo } from './io.js';

/** Writes a report to stdout, or atomically to `--output` (temp file + rename). */
export async function writeOutput(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  const target = resolve(io.cwd, output);
  const temp = `${target}.${String(process.pid)}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, target);
}
