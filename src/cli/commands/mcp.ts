import { parseArgs } from 'node:util';

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

import { createMcpServer } from '../../mcp/server.js';
import { parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';

export const MCP_HELP = `Usage: portcullis mcp

Serves the Model Context Protocol over stdio with the tools generate, list, check and explain, so an AI
builder can scaffold and check apps without a shell. Paths are relative to the working directory.
`;

export async function mcpCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOrUsage('mcp', () =>
    parseArgs({ args: [...args], strict: true, options: { help: { type: 'boolean', short: 'h' } } }),
  );
  if (values.help === true) {
    io.stdout.write(MCP_HELP);
    return 0;
  }
  const server = createMcpServer(io.cwd);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
  return 0;
}
