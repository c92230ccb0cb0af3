import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { allMetadata } from '../../check/registry.js';
import { UsageError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { parseArgs } from 'node:util';

import { parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';

export const EXPLAIN_HELP = `Usage: portcullis explain <rule-id>

Prints the documentation of a rule or check: the threat, examples, options, and how to fix it.
`;

/** The doc of a rule or check, as markdown. */
export async function explainRule(id: string): Promise<string> {
  const normalized = id.replace(/^portcullis\//, '');
  const metadata = allMetadata();
  if (!metadata.has(normalized)) {
    const known = [...metadata.keys()].sort().join(', ');
    throw new UsageError(`Unknown rule "${id}". Known rules and checks: ${known}`, { code: 'unknown_rule' });
  }
  const file = join(PACKAGE_ROOT, 'eslint-plugin', 'docs', 'rules', `${normalized}.md`);
  if (!existsSync(file)) throw new Error(`The doc of ${normalized} is missing from the package (${file}).`);
  return readFile(file, 'utf8');
}

export async function explainCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage('explain', () =>
    parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help === true) {
    io.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  const [id, ...extra] = positionals;
  if (id === undefined) throw new UsageError('explain: which rule? Usage: portcullis explain <rule-id>');
  if (extra.length > 0) throw new UsageError(`explain: takes one rule id, got ${String(positionals.length)}`);
  io.stdout.write(await explainRule(id));
  return 0;
}
