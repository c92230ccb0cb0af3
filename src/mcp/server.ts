import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

import { OptionsError } from '../../generators/types.js';
import { SEVERITIES, type Severity } from '../catalog/categories.js';
import { allMetadata } from '../check/registry.js';
import { runCheck } from '../check/run-check.js';
import { explainRule } from '../cli/commands/explain.js';
import { listGenerators } from '../cli/commands/list.js';
import { UsageError } from '../errors.js';
import { newApp } from '../generate/commands.js';
import { generate, type GenerateResult } from '../generate/engine.js';
import { PACKAGE_ROOT } from '../paths.js';
import { REPORTERS } from '../report/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { WorkspaceRoot } from './workspace.js';

/** What an agent reads first: what the server is for and how to use it safely (two sentences). */
export const MCP_INSTRUCTIONS =
  'Portcullis scaffolds secure-by-default modules (auth, RBAC, tenancy, webhooks, audit) into TypeScript apps and checks code for security defects such as unguarded routes, missing tenant filters and leaked secrets. Generate is a dry run unless apply is true, every path stays inside the workspace root, and findings are data to show the developer, each with a fix hint.';

/** A diff longer than this is cut in a dry run unless the agent asks for more (maxDiffBytes). */
const DEFAULT_DIFF_BYTES = 16_000;

type JsonSchema = Record<string, unknown>;
type Args = Record<string, unknown>;

const relativePath = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

/** A generator's option schema as the generate tool takes it: a list option also takes a comma-separated string. */
function acceptedOptions(schema: JsonSchema): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema>;
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, option]) => [
        name,
        option.type === 'array'
          ? {
              description: option.description,
              anyOf: [
                { type: 'array', items: option.items },
                { type: 'string', description: 'A comma-separated list.' },
              ],
            }
          : option,
      ]),
    ),
  };
}

function generatorOptionsSchema(): JsonSchema {
  const listing = listGenerators();
  return {
    type: 'object',
    description:
      'Options per generator, keyed by generator name, each as the list tool shows its schema, e.g. { "webhook": { "provider": ["stripe"] } }.',
    properties: Object.fromEntries(
      [listing.app, ...listing.generators].map((generator) => [
        generator.name,
        acceptedOptions(generator.options as unknown as JsonSchema),
      ]),
    ),
    additionalProperties: false,
  };
}

const listingSchema: JsonSchema = {
  type: 'object',
  required: ['name', 'description', 'version', 'requires', 'options'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    version: { type: 'string' },
    requires: { type: 'array', items: { type: 'string' } },
    options: { type: 'object' },
  },
};

const fileSummarySchema: JsonSchema = {
  type: 'object',
  required: ['path', 'action'],
  properties: {
    path: { type: 'string' },
    action: { enum: ['create', 'update', 'unchanged', 'conflict', 'skipped'] },
    bytes: { type: 'integer' },
    sha256: { type: 'string' },
    reason: { type: 'string' },
  },
};

function reportSchema(): JsonSchema {
  const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'report-v1.schema.json'), 'utf8')) as JsonSchema;
  delete schema.$schema;
  delete schema.$id;
  return schema;
}

function buildTools(): Tool[] {
  const ruleIds = [...allMetadata().keys()].sort();
  return [
    {
      name: 'portcullis_list_generators',
      title: 'List Portcullis generators',
      description: 'List the Portcullis generators (modules) with the JSON schema of their options.',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      outputSchema: {
        type: 'object',
        required: ['app', 'generators'],
        properties: { app: listingSchema, generators: { type: 'array', items: listingSchema } },
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: 'portcullis_generate',
      title: 'Generate secure modules',
      description:
        'Scaffold a new secure app (new: true) or add generators to an existing app inside the workspace. A dry run unless apply is true: it returns the files it would write (sizes, hashes), conflicts and next steps; the diff only with includeDiff. Never overwrites a file the user edited: such files come back as conflicts.',
      inputSchema: {
        type: 'object',
        properties: {
          dir: relativePath('The app folder, relative to the workspace root.'),
          new: { type: 'boolean', description: 'Create the app skeleton first (like `portcullis new`).' },
          generators: {
            type: 'array',
            items: { type: 'string', enum: listGenerators().generators.map((generator) => generator.name) },
            uniqueItems: true,
            description:
              'Generators to run (see portcullis_list_generators); with new: true, the modules of the new app.',
          },
          options: generatorOptionsSchema(),
          framework: {
            type: 'string',
            enum: ['express', 'hono'],
            description: 'HTTP framework (new apps; else detected).',
          },
          db: { type: 'string', enum: ['pglite', 'postgres'], description: 'Production database of a new app.' },
          apply: { type: 'boolean', description: 'Write the files. Without it nothing is written (a dry run).' },
          includeDiff: { type: 'boolean', description: 'Return the unified diff of the change (cut at maxDiffBytes).' },
          maxDiffBytes: {
            type: 'integer',
            minimum: 1000,
            maximum: 1_000_000,
            description: 'Diff size limit (default 16000).',
          },
          force: {
            type: 'boolean',
            description: 'Write new versions of user-edited files beside them (<file>.portcullis-new).',
          },
        },
        required: ['dir', 'generators'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        required: ['applied', 'target', 'files', 'conflicts', 'nextSteps'],
        properties: {
          applied: { type: 'boolean' },
          target: { type: 'string' },
          files: { type: 'array', items: fileSummarySchema },
          conflicts: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'reason'],
              properties: { path: { type: 'string' }, reason: { type: 'string' }, newFile: { type: 'string' } },
            },
          },
          nextSteps: { type: 'array', items: { type: 'string' } },
          diff: { type: 'string' },
          diffBytes: { type: 'integer' },
          diffTruncated: { type: 'boolean' },
        },
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    {
      name: 'portcullis_check',
      title: 'Check code for security defects',
      description:
        'Run the Portcullis rules and project checks on a folder inside the workspace; returns the JSON report (findings with severity, location, message and fix).',
      inputSchema: {
        type: 'object',
        properties: {
          dir: relativePath('The folder to check, relative to the workspace root.'),
          failOn: { type: 'string', enum: [...SEVERITIES], description: 'Gate threshold (default high).' },
          types: {
            type: 'boolean',
            description: 'Type-aware project checks (methods as handlers and guards, clients by type); slower.',
          },
        },
        required: ['dir'],
        additionalProperties: false,
      },
      outputSchema: { type: 'object', ...reportSchema() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: 'portcullis_explain_rule',
      title: 'Explain a Portcullis rule',
      description: 'The documentation of a rule or check: the threat, examples, and the fix.',
      inputSchema: {
        type: 'object',
        properties: { ruleId: { type: 'string', enum: ruleIds, description: 'e.g. no-hardcoded-secrets' } },
        required: ['ruleId'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        required: ['ruleId', 'category', 'severity', 'cwe', 'description', 'url', 'markdown'],
        properties: {
          ruleId: { type: 'string' },
          category: { type: 'string' },
          severity: { type: 'string' },
          cwe: { type: 'array', items: { type: 'string' } },
          description: { type: 'string' },
          url: { type: 'string' },
          markdown: { type: 'string' },
        },
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
  ];
}

function argumentError(error: ErrorObject): string {
  const name = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = name === '' ? 'the arguments' : `argument "${name}"`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown argument "${[name, String((error.params as { additionalProperty: string }).additionalProperty)].filter(Boolean).join('.')}"`;
    case 'required':
      return `missing argument "${String((error.params as { missingProperty: string }).missingProperty)}"`;
    case 'enum':
      return `${where} must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

function result(structured: Record<string, unknown>, summary: string): CallToolResult {
  return { content: [{ type: 'text', text: summary }], structuredContent: structured };
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function fileSummaries(outcome: GenerateResult): Record<string, unknown>[] {
  const sized = (path: string, action: string): Record<string, unknown> => ({
    path,
    action,
    ...(outcome.writes[path] ?? {}),
  });
  return [
    ...outcome.created.map((path) => sized(path, 'create')),
    ...outcome.updated.map((path) => sized(path, 'update')),
    ...outcome.unchanged.map((path) => ({ path, action: 'unchanged' })),
    ...outcome.conflicts.map((conflict) => ({ path: conflict.path, action: 'conflict', reason: conflict.reason })),
    ...outcome.skipped.map((skip) => ({ path: skip.path, action: 'skipped', reason: skip.reason })),
  ];
}

/** The MCP server (transport-agnostic), confined to the workspace root it was started with. */
export function createMcpServer(root: string): Server {
  const workspace = new WorkspaceRoot(root);
  const tools = buildTools();
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new Map<string, ValidateFunction>(tools.map((tool) => [tool.name, ajv.compile(tool.inputSchema)]));

  const handlers: Record<string, (args: Args) => Promise<CallToolResult>> = {
    portcullis_list_generators: () => {
      const listing = listGenerators();
      return Promise.resolve(
        result(
          listing as unknown as Record<string, unknown>,
          `${String(listing.generators.length)} generators: ${listing.generators.map((g) => g.name).join(', ')}.`,
        ),
      );
    },
    portcullis_explain_rule: async (args) => {
      const id = args.ruleId as string;
      const meta = allMetadata().get(id)!;
      const markdown = await explainRule(id);
      return result(
        {
          ruleId: id,
          category: meta.category,
          severity: meta.severity,
          cwe: [...meta.cwe],
          description: meta.description,
          url: meta.url,
          markdown,
        },
        `${id} (${meta.category}, ${meta.severity}): ${meta.description}`,
      );
    },
    portcullis_check: async (args) => {
      const dir = workspace.resolve(args.dir as string, 'dir');
      const outcome = await runCheck({
        cwd: dir,
        ...(args.failOn === undefined ? {} : { failOn: args.failOn as Severity }),
        types: args.types === true,
      });
      const report = JSON.parse(REPORTERS.json(outcome, { color: false })) as Record<string, unknown>;
      const counts = SEVERITIES.map((s) => `${String(outcome.findings.filter((f) => f.severity === s).length)} ${s}`);
      return result(
        report,
        `${String(outcome.findings.length)} finding(s) in ${workspace.relative(dir)} (${counts.join(', ')}); gate ${outcome.failed ? 'failed' : 'passed'} at ${outcome.failOn}.`,
      );
    },
    portcullis_generate: async (args) => {
      const target = workspace.resolve(args.dir as string, 'dir');
      const dir = workspace.relative(target);
      const generators = args.generators as string[];
      const options = (args.options ?? {}) as Record<string, Record<string, unknown>>;
      const framework = args.framework as 'express' | 'hono' | undefined;
      const db = args.db as 'pglite' | 'postgres' | undefined;
      const common = { dryRun: args.apply !== true, force: args.force === true };
      const outcome =
        args.new === true
          ? await newApp({
              dir,
              cwd: workspace.path,
              modules: generators,
              moduleOptions: options,
              ...(framework ? { framework } : {}),
              ...(db ? { db } : {}),
              ...common,
            })
          : await generate({
              target: dir,
              cwd: workspace.path,
              generators: generators.map((generator) => ({ generator, options: options[generator] ?? {} })),
              ...(framework || db ? { app: { ...(framework ? { framework } : {}), ...(db ? { db } : {}) } } : {}),
              ...common,
            });
      const diffBytes = Buffer.byteLength(outcome.diff);
      const limit = (args.maxDiffBytes as number | undefined) ?? DEFAULT_DIFF_BYTES;
      const includeDiff = args.includeDiff === true;
      const structured = {
        applied: outcome.written,
        target: dir,
        files: fileSummaries(outcome),
        conflicts: outcome.conflicts.map(({ path, reason, newFile }) => ({
          path,
          reason,
          ...(newFile === undefined ? {} : { newFile }),
        })),
        nextSteps: outcome.nextSteps,
        diffBytes,
        ...(includeDiff
          ? {
              diff: diffBytes > limit ? Buffer.from(outcome.diff).subarray(0, limit).toString() : outcome.diff,
              diffTruncated: diffBytes > limit,
            }
          : {}),
      };
      const verb = outcome.written ? 'wrote' : 'would write';
      const summary = `${outcome.dryRun ? 'Dry run (nothing written)' : outcome.written ? 'Applied' : 'Stopped by conflicts (nothing written)'}: ${verb} ${String(outcome.created.length)} new and ${String(outcome.updated.length)} updated file(s) in ${dir}; ${String(outcome.unchanged.length)} unchanged, ${String(outcome.conflicts.length)} conflict(s).${includeDiff && diffBytes > limit ? ` The diff (${String(diffBytes)} bytes) was cut at ${String(limit)} bytes.` : ''}`;
      return result(structured, summary);
    },
  };

  const server = new Server(
    { name: 'portcullis', version: PACKAGE_VERSION },
    { capabilities: { tools: {} }, instructions: MCP_INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name } = request.params;
    const args = request.params.arguments ?? {};
    const handler = handlers[name];
    if (handler === undefined)
      return toolError(`unknown tool "${name}"; tools: ${tools.map((tool) => tool.name).join(', ')}`);
    const validate = validators.get(name)!;
    if (!validate(args)) return toolError(`${name}: ${argumentError(validate.errors![0]!)}`);
    try {
      return await handler(args);
    } catch (error) {
      // Usage mistakes go back to the model as tool errors it can correct; anything else is a bug.
      if (error instanceof UsageError || error instanceof OptionsError) return toolError(error.message);
      if (error instanceof Error && error.name === 'WriteFailedError') return toolError(error.message);
      throw error;
    }
  });
  return server;
}
