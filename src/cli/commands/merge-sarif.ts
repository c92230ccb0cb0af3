import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { UsageError } from '../../errors.js';
import { mergeSarif } from '../../report/merge-sarif.js';
import { parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';
import { writeOutput } from '../output.js';

export const MERGE_SARIF_HELP = `Usage: portcullis merge-sarif <file.sarif>... [--output <file>] [--automation-id <id>]

Combines the SARIF reports of sharded runs (portcullis check --shard i/n --format sarif)
into one report for code scanning: rules are merged, duplicate results dropped.

Options:
  --output <file>          write to a file instead of stdout
  --automation-id <id>     the run category GitHub keys alerts by (default: the shards' own,
                           which they must share, else portcullis/merge-sarif/)
`;

export async function mergeSarifCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage('merge-sarif', () =>
    parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        output: { type: 'string' },
        'automation-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help === true) {
    io.stdout.write(MERGE_SARIF_HELP);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError('merge-sarif: which files? Usage: portcullis merge-sarif <file.sarif>...');
  const logs = [];
  for (const name of positionals) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, name), 'utf8');
    } catch {
      throw new UsageError(`merge-sarif: cannot read ${name}`, { code: 'not_found' });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UsageError(`merge-sarif: ${name} is not valid JSON`, { code: 'invalid_input' });
    }
    logs.push({ name, json });
  }
  await writeOutput(`${JSON.stringify(mergeSarif(logs, values['automation-id']), null, 2)}\n`, values.output, io);
  return 0;
}
