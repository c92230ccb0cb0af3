import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

import { discoverAnalyzerInputs } from '../../analyzer/model.js';
import { describeGuard, type RouteEntry, type UnresolvedRouteEntry } from '../../analyzer/routes.js';
import { discoverFiles } from '../../discovery/files.js';
import { UsageError } from '../../errors.js';
import { parseOrUsage } from '../args.js';
import type { CliIo } from '../io.js';
import { writeOutput } from '../output.js';

export const ROUTES_HELP = `Usage: portcullis routes [dir] [--json] [--output <file>] [--project <tsconfig>] [--types]

Prints the project's route inventory: Express/Router (with mounted routers and middleware
chains), Fastify, Hono, Next.js App Router handlers, Server Actions and Pages API routes,
with the guard found for each or the reason it is public.

Options:
  --json                 machine-readable output ({ schemaVersion: 1, routes: [...], unresolved: [...] })
  --output <file>        write to a file instead of stdout
  --project <tsconfig>   the tsconfig that defines the project (default: <dir>/tsconfig.json)
  --types                type-aware resolution: handlers and guards that are methods on objects
`;

export interface RouteRow {
  method: string;
  path: string;
  file: string;
  line: number;
  framework: string;
  guard: string | null;
  public: string | null;
  readsOrChangesData: boolean;
  webhook: boolean;
  /** The handler was found in the project (otherwise its own checks could not be read). */
  handlerResolved: boolean;
}

export function routeRow(route: RouteEntry): RouteRow {
  return {
    method: route.method,
    path: route.path,
    file: route.file,
    line: route.span.line,
    framework: route.framework,
    guard: route.guard === undefined ? null : describeGuard(route).replace(/^guarded by /, ''),
    public: route.publicReason ?? null,
    readsOrChangesData: route.readsOrChangesData,
    webhook: route.webhook,
    handlerResolved: route.handlerFn !== undefined,
  };
}

export interface ListRoutesOptions {
  /** The tsconfig that defines the project (default: `tsconfig.json` in `dir`). */
  project?: string;
  /** Type-aware resolution (class methods as handlers, guards called on objects). */
  types?: boolean;
}

/** The inventory of the project at `dir`, as data (the same project model `check` analyses). */
export async function listRoutes(dir: string, options: ListRoutesOptions = {}): Promise<RouteRow[]> {
  return (await listRouteInventory(dir, options)).routes;
}

/** The inventory with the route registrations it could not resolve. */
export async function listRouteInventory(
  dir: string,
  options: ListRoutesOptions = {},
): Promise<{ routes: RouteRow[]; unresolved: UnresolvedRouteEntry[] }> {
  // The compiler loads only when the command runs (the CLI imports every command up front).
  const { findTsProject, projectSourceFiles } = await import('../../analyzer/tsconfig.js');
  const { loadProjectModel } = await import('../../analyzer/run.js');
  const tsProject = await findTsProject(dir, options.project);
  const files = projectSourceFiles(await discoverFiles({ root: dir }), tsProject);
  const { model } = await loadProjectModel({
    root: dir,
    files,
    inputs: await discoverAnalyzerInputs(dir),
    texts: new Map(),
    ...(tsProject === undefined ? {} : { tsProject }),
    types: options.types === true,
  });
  return { routes: model.routes.map(routeRow), unresolved: model.unresolvedRoutes };
}

export async function routesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage('routes', () =>
    parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        output: { type: 'string' },
        project: { type: 'string' },
        types: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help === true) {
    io.stdout.write(ROUTES_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`routes: takes one directory, got ${String(positionals.length)}`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const { routes: rows, unresolved } = await listRouteInventory(dir, {
    ...(values.project === undefined ? {} : { project: resolve(io.cwd, values.project) }),
    types: values.types === true,
  });
  if (values.json === true) {
    await writeOutput(
      `${JSON.stringify({ schemaVersion: 1, routes: rows, unresolved }, null, 2)}\n`,
      values.output,
      io,
    );
    return 0;
  }
  const width = (pick: (row: RouteRow) => string): number => Math.max(0, ...rows.map((row) => pick(row).length));
  const methodWidth = width((r) => r.method);
  const pathWidth = width((r) => r.path);
  const whereWidth = width((r) => `${r.file}:${String(r.line)}`);
  const lines = rows.map((row) =>
    [
      row.method.padEnd(methodWidth),
      row.path.padEnd(pathWidth),
      `${row.file}:${String(row.line)}`.padEnd(whereWidth),
      row.guard !== null
        ? `guarded by ${row.guard}`
        : row.public !== null
          ? `public: ${row.public}`
          : row.webhook
            ? 'webhook: no session guard (its signature check is require-webhook-verification-flow)'
            : !row.handlerResolved
              ? 'unknown: handler not found in the project'
              : row.readsOrChangesData
                ? 'UNGUARDED'
                : 'no guard (no data access)',
    ].join('  '),
  );
  const unguarded = rows.filter(
    (r) => r.guard === null && r.public === null && !r.webhook && r.handlerResolved && r.readsOrChangesData,
  ).length;
  if (unresolved.length > 0) {
    lines.push('', 'Route registrations that could not be resolved:');
    for (const entry of unresolved)
      lines.push(`  ${entry.file}:${String(entry.line)}  ${entry.text}  (${entry.reason})`);
  }
  lines.push(
    '',
    `${String(rows.length)} route${rows.length === 1 ? '' : 's'}, ${String(unguarded)} unguarded with data access.`,
    `${String(unresolved.length)} route registration${unresolved.length === 1 ? '' : 's'} could not be resolved.`,
  );
  await writeOutput(`${lines.join('\n')}\n`, values.output, io);
  return 0;
}
