import { parseArgs } from 'node:util';

import { appGenerator } from '../../../generators/app/index.js';
import { GENERATORS, type OptionsSchema } from '../../../generators/index.js';
import { describeAllowed } from '../../generate/options.js';
import { UsageError } from '../../errors.js';
import { parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';

export const LIST_HELP = `Usage: portcullis list [--json]

Lists the generators with their descriptions and the JSON schema of their options, so a call to
"portcullis add <generator>" (or the MCP tool "portcullis_generate") can be built without guessing.
`;

export interface GeneratorListing {
  name: string;
  description: string;
  version: string;
  requires: string[];
  options: OptionsSchema;
}

export interface ListResult {
  /** The app skeleton `portcullis new` writes (its options are `new`'s flags). */
  app: GeneratorListing;
  generators: GeneratorListing[];
}

function listing(spec: (typeof GENERATORS)[number]): GeneratorListing {
  return {
    name: spec.name,
    description: spec.description,
    version: spec.version,
    requires: [...(spec.requires ?? [])],
    options: spec.schema,
  };
}

/** Every generator, with the JSON schema of its options. */
export function listGenerators(): ListResult {
  return { app: listing(appGenerator), generators: GENERATORS.map(listing) };
}

export function listText(result: ListResult): string {
  const lines: string[] = [];
  for (const generator of [result.app, ...result.generators]) {
    const usage = generator === result.app ? 'portcullis new <dir>' : `portcullis add ${generator.name}`;
    lines.push(`${generator.name} ${generator.version}  ${generator.description}`);
    lines.push(
      `  usage: ${usage}${generator.requires.length > 0 ? `  (requires ${generator.requires.join(', ')})` : ''}`,
    );
    const required = new Set(generator.options.required ?? []);
    for (const [name, schema] of Object.entries(generator.options.properties)) {
      const fallback = schema.default === undefined ? '' : `, default ${JSON.stringify(schema.default)}`;
      lines.push(
        `  --${name}  ${schema.description} (${describeAllowed(schema)}${fallback}${required.has(name) ? ', required' : ''})`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

export async function listCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage('list', () =>
    parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help === true) {
    io.stdout.write(LIST_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`list: takes no arguments (got "${positionals.join(' ')}")`);
  const result = listGenerators();
  io.stdout.write(values.json === true ? `${JSON.stringify(result, null, 2)}\n` : listText(result));
  return 0;
}
