import { resolve } from 'node:path';

import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

import { runCheck } from '../check/run-check.js';
import { explainRule } from '../cli/commands/explain.js';
import { listGenerators } from '../cli/commands/list.js';
import { UsageError } from '../errors.js';
import { newApp } from '../generate/commands.js';
import { generate } from '../generate/engine.js';
import { REPORTERS } from '../report/index.js';
import { PACKAGE_VERSION } from '../version.js';

const TOOLS = [
  {
    name: 'list',
    description: 'List the Portcullis generators with the JSON schema of their options.',
    inputSchema: { type: 'object' as const, properties: {}, additionalProperties: false },
  },
  {
    name: 'generate',
    description:
      'Scaffold a new secure app (new: true) or add generators to an existing app. Never overwrites a file the user edited: such files come back as conflicts with a diff. Returns { created, updated, unchanged, conflicts, skipped, nextSteps, diff }.',
    inputSchema: {
      type: 'object' as const,
      properties: {
        dir: { type: 'string', description: 'The app folder, relative to the server working directory.' },
        new: { type: 'boolean', description: 'Create the app skeleton first (like `portcullis new`).' },
        generators: {
          type: 'array',
          items: { type: 'string' },
          description: 'Generators to run (see the list tool); with new: true, the modules of the new app.',
        },
        options: {
          type: 'object',
          description: 'Options per generator, e.g. { "webhook": { "provider": "stripe" } }.',
          additionalProperties: { type: 'object' },
        },
        framework: {
          type: 'string',
          enum: ['express', 'hono'],
          description: 'HTTP framework (new apps; else detected).',
        },
        db: { type: 'string', enum: ['pglite', 'postgres'], description: 'Production database of a new app.' },
        dryRun: { type: 'boolean', description: 'Return the diff of what would change; write nothing.' },
        force: {
          type: 'boolean',
          description: 'Write new versions of user-edited files beside them (<file>.portcullis-new).',
        },
      },
      required: ['dir', 'generators'],
      additionalProperties: false,
    },
  },
  {
    name: 'check',
    description: 'Run the Portcullis rules and checks on a folder; returns the JSON report.',
    inputSchema: {
      type: 'object' as const,
      properties: {
        dir: { type: 'string', description: 'The folder to check, relative to the server working directory.' },
        failOn: { type: 'string', enum: ['critical', 'high', 'medium', 'low'], description: 'Gate threshold.' },
        types: {
          type: 'boolean',
          description: 'Type-aware project checks (methods as handlers and guards, clients by type); slower.',
        },
      },
      required: ['dir'],
      additionalProperties: false,
    },
  },
  {
    name: 'explain',
    description: 'The documentation of a rule or check: the threat, examples, and the fix.',
    inputSchema: {
      type: 'object' as const,
      properties: { ruleId: { type: 'string', description: 'e.g. no-hardcoded-secrets' } },
      required: ['ruleId'],
      additionalProperties: false,
    },
  },
];

type Args = Record<string, unknown>;

function text(value: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text: value }], ...(isError ? { isError: true } : {}) };
}

function stringArg(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`argument "${name}" must be a non-empty string`);
  return value;
}

async function callTool(name: string, args: Args, cwd: string): Promise<CallToolResult> {
  switch (name) {
    case 'list':
      return text(JSON.stringify(listGenerators(), null, 2));
    case 'explain':
      return text(await explainRule(stringArg(args, 'ruleId')));
    case 'check': {
      const failOn = args.failOn as 'critical' | 'high' | 'medium' | 'low' | undefined;
      if (args.types !== undefined && typeof args.types !== 'boolean')
        throw new UsageError('argument "types" must be true or false');
      const result = await runCheck({
        cwd: resolve(cwd, stringArg(args, 'dir')),
        ...(failOn ? { failOn } : {}),
        types: args.types === true,
      });
      return text(REPORTERS.json(result, { color: false }));
    }
    case 'generate': {
      const dir = stringArg(args, 'dir');
      const generators = args.generators;
      if (!Array.isArray(generators) || generators.some((g) => typeof g !== 'string'))
        throw new UsageError('argument "generators" must be a list of generator names');
      const options = (args.options ?? {}) as Record<string, Record<string, unknown>>;
      const framework = args.framework as 'express' | 'hono' | undefined;
      const db = args.db as 'pglite' | 'postgres' | undefined;
      const common = { dryRun: args.dryRun === true, force: args.force === true };
      const result =
        args.new === true
          ? await newApp({
              dir,
              cwd,
              modules: generators as string[],
              moduleOptions: options,
              ...(framework ? { framework } : {}),
              ...(db ? { db } : {}),
              ...common,
            })
          : await generate({
              target: dir,
              cwd,
              generators: (generators as string[]).map((generator) => ({
                generator,
                options: options[generator] ?? {},
              })),
              ...(framework || db ? { app: { ...(framework ? { framework } : {}), ...(db ? { db } : {}) } } : {}),
              ...common,
            });
      const { created, updated, unchanged, conflicts, skipped, nextSteps, diff } = result;
      return text(JSON.stringify({ created, updated, unchanged, conflicts, skipped, nextSteps, diff }, null, 2));
    }
    default:
      throw new UsageError(`unknown tool "${name}"; tools: ${TOOLS.map((tool) => tool.name).join(', ')}`);
  }
}

/** The MCP server (transport-agnostic): tools generate / list / check / explain. */
export function createMcpServer(cwd: string): Server {
  const server = new Server({ name: 'portcullis', version: PACKAGE_VERSION }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    try {
      return await callTool(request.params.name, request.params.arguments ?? {}, cwd);
    } catch (error) {
      // Usage mistakes go back to the model as tool errors it can correct; anything else is a bug.
      if (error instanceof UsageError) return text(error.message, true);
      if (error instanceof Error && error.name === 'WriteFailedError') return text(error.message, true);
      throw error;
    }
  });
  return server;
}
