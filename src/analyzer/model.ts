import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

import type { FileError } from '../catalog/finding.js';
import { discoverFiles, toPosix } from '../discovery/files.js';
import { UsageError } from '../errors.js';
import { Linker } from './link.js';
import { ModuleResolver, type LoadedSources } from './project.js';
import type { TypeOracle } from './typed.js';
import type { PrismaModel } from './readers/prisma.js';
import type { SqlFileModel } from './readers/sql.js';
import { readSupabaseApiSchemas, readSupabaseConfig, type SupabaseFunctionConfig } from './readers/supabase-config.js';
import { buildRouteInventory, type RouteEntry, type UnresolvedRouteEntry } from './routes.js';

/** `portcullis.config.json` at the scanned root (all keys optional). */
export interface AnalyzerConfig {
  /** Routes public on purpose: `"GET /health"`, `"/api/public/*"`. */
  publicRoutes: string[];
  /** Postgres schemas exposed through the API (Supabase exposes `public`). */
  exposedSchemas: string[];
  /** Extra tenant key column names. */
  tenantKeys: string[];
  /** `exposedSchemas` was set explicitly: then migrations outside `supabase/` are held to RLS too. */
  exposedSchemasConfigured: boolean;
}

export interface TextFile {
  file: string;
  text: string;
}

export interface ProjectModel {
  root: string;
  linker: Linker;
  routes: RouteEntry[];
  /** Route registrations the inventory could not resolve (reported, never silently dropped). */
  unresolvedRoutes: UnresolvedRouteEntry[];
  prisma: { file: string; models: PrismaModel[] }[];
  sql: SqlFileModel[];
  supabase?: { file: string; functions: SupabaseFunctionConfig[] };
  /** Git-tracked `.env*` and config files (JSON, YAML, TOML). */
  secretCandidates: TextFile[];
  /** Front-end entry modules named by a Vite `index.html`. */
  viteEntries: string[];
  config: AnalyzerConfig;
  errors: FileError[];
}

const CONFIG_EXTENSIONS = /\.(?:json|ya?ml|toml)$/;
const SKIPPED_CONFIG =
  /(?:^|\/)(?:package-lock\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb|composer\.lock|tsconfig[^/]*\.json|\.eslintcache)$/;

export function isEnvFile(file: string): boolean {
  return /^\.env(?:\..+)?$/.test(basename(file));
}

/** Non-source files the analyzer reads: schemas, migrations, Supabase config, env and config files. */
export function isAnalyzerInput(path: string): boolean {
  const name = basename(path);
  return (
    name.endsWith('.prisma') ||
    name.endsWith('.sql') ||
    isEnvFile(path) ||
    (CONFIG_EXTENSIONS.test(name) && !SKIPPED_CONFIG.test(toPosix(path))) ||
    name === 'index.html'
  );
}

export function readAnalyzerConfig(root: string): AnalyzerConfig {
  const config: AnalyzerConfig = {
    publicRoutes: [],
    exposedSchemas: ['public'],
    tenantKeys: [],
    exposedSchemasConfigured: false,
  };
  const file = join(root, 'portcullis.config.json');
  if (!existsSync(file)) return config;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `portcullis.config.json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'invalid_input' },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new UsageError('portcullis.config.json must hold a JSON object', { code: 'invalid_input' });
  const record = json as Record<string, unknown>;
  for (const key of ['publicRoutes', 'exposedSchemas', 'tenantKeys'] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
      throw new UsageError(`portcullis.config.json: "${key}" must be an array of strings`, { code: 'invalid_input' });
    config[key] = value as string[];
  }
  config.exposedSchemasConfigured = record.exposedSchemas !== undefined;
  return config;
}

/** Files git tracks under `root`, or undefined when `root` is not in a git work tree. */
export function gitTrackedFiles(root: string): Set<string> | undefined {
  try {
    const output = execFileSync('git', ['ls-files', '-z', '--cached', '--full-name', '.'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return new Set(
      output
        .split('\0')
        .filter((line) => line !== '')
        .map((line) => toPosix(relative(root, join(top, line)))),
    );
  } catch {
    return undefined;
  }
}

/** Analyzer inputs under `root`, plus git-tracked ones a `.gitignore` hides (a force-added `.env` is still committed). */
export async function discoverAnalyzerInputs(root: string): Promise<string[]> {
  const found = new Set(await discoverFiles({ root, accept: isAnalyzerInput }));
  for (const file of gitTrackedFiles(root) ?? []) {
    if (file.split('/').some((part) => part === 'node_modules')) continue;
    const path = join(root, file);
    if (isAnalyzerInput(path) && existsSync(path)) found.add(path);
  }
  return [...found].sort();
}

/** Builds the project model from the loaded source facts and the non-source inputs. */
export async function buildModel(
  root: string,
  sources: LoadedSources,
  inputs: readonly string[],
  oracle?: TypeOracle,
): Promise<ProjectModel> {
  // The Prisma and SQL grammars are large; load them only for projects that have such files.
  const { readPrismaSchema } = inputs.some((path) => path.endsWith('.prisma'))
    ? await import('./readers/prisma.js')
    : { readPrismaSchema: undefined };
  const { readSqlFile } = inputs.some((path) => path.endsWith('.sql'))
    ? await import('./readers/sql.js')
    : { readSqlFile: undefined };
  const errors: FileError[] = [...sources.errors];
  const config = readAnalyzerConfig(root);
  const resolver = new ModuleResolver(
    root,
    new Set(sources.facts.keys()),
    sources.tsProject === undefined
      ? undefined
      : { tsProject: sources.tsProject, compiler: (await import('ts-morph')).ts },
  );
  const linker = new Linker(sources.facts, resolver, oracle);
  const prisma: ProjectModel['prisma'] = [];
  const sql: SqlFileModel[] = [];
  let supabase: ProjectModel['supabase'];
  const secretCandidates: TextFile[] = [];
  const viteEntries: string[] = [];
  const tracked = gitTrackedFiles(root);
  const hasVite = ['vite.config.ts', 'vite.config.js', 'vite.config.mjs', 'vite.config.mts'].some((name) =>
    existsSync(join(root, name)),
  );

  for (const path of inputs) {
    const file = toPosix(relative(root, path));
    const name = basename(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      errors.push({ file, message: `Could not read: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    if (name.endsWith('.prisma') && readPrismaSchema !== undefined) {
      try {
        prisma.push({ file, models: readPrismaSchema(text) });
      } catch (error) {
        errors.push({
          file,
          message: `Could not parse the Prisma schema: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
        });
      }
    } else if (name.endsWith('.sql') && readSqlFile !== undefined) {
      if (/(?:^|\/)(?:migrations|supabase)\//.test(file)) sql.push(readSqlFile(file, text));
    } else if (file === 'supabase/config.toml' || file.endsWith('/supabase/config.toml')) {
      supabase = { file, functions: readSupabaseConfig(text) };
      // Without an explicit `exposedSchemas`, the schemas the Supabase API serves are the exposed ones.
      const apiSchemas = readSupabaseApiSchemas(text);
      if (!config.exposedSchemasConfigured && apiSchemas !== undefined) config.exposedSchemas = apiSchemas;
      secretCandidates.push({ file, text });
    } else if (name === 'index.html') {
      if (hasVite && !file.includes('/')) {
        for (const match of text.matchAll(/<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']\/?([^"']+)["']/g))
          if (match[1] !== undefined) viteEntries.push(match[1]);
      }
    } else if (tracked === undefined || tracked.has(file)) {
      secretCandidates.push({ file, text });
    }
  }
  sql.sort((a, b) => basename(a.file).localeCompare(basename(b.file)) || a.file.localeCompare(b.file));
  const inventory = buildRouteInventory(linker, { publicRoutes: config.publicRoutes });
  return {
    root,
    linker,
    routes: inventory.routes,
    unresolvedRoutes: inventory.unresolved,
    prisma,
    sql,
    ...(supabase === undefined ? {} : { supabase }),
    secretCandidates,
    viteEntries,
    config,
    errors,
  };
}
