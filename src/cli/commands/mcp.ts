import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

import { createMcpServer } from '../../mcp/server.js';
import { UsageError } from '../../errors.js';
import { parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';

export const MCP_HELP = `Usage: portcullis mcp [--root <dir>]

Serves the Model Context Protocol over stdio with the tools portcullis_generate, portcullis_list_generators,
portcullis_check and portcullis_explain_rule, so an AI builder can scaffold and check apps without a shell.
Every path resolves inside the workspace root (default: the working directory; symlinks included);
generate is a dry run unless called with apply: true.

Options:
  --root <dir>   the workspace root the tools are confined to
`;

export async function mcpCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOrUsage('mcp', () =>
    parseArgs({
      args: [...args],
      strict: true,
      options: { help: { type: 'boolean', short: 'h' }, root: { type: 'string' } },
    }),
  );
  if (values.help === true) {
    io.stdout.write(MCP_HELP);
    return 0;
  }
  const root = resolve(io.cwd, values.root ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`mcp: --root ${values.root ?? '.'} is not a folder`, { code: 'path_error', option: 'root' });
  const server = createMcpServer(root);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
  return 0;
}
