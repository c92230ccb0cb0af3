import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { ts } from 'ts-morph';

import { UsageError } from '../errors.js';
import { discoverFiles, toPosix } from '../discovery/files.js';

/** One `tsconfig.json` of the project: its compiler options and the source files it includes. */
export interface TsConfigUnit {
  /** Absolute path of the config file. */
  configFile: string;
  options: ts.CompilerOptions;
  /** Absolute paths of the source files it includes (no declaration files, nothing in node_modules). */
  fileNames: string[];
}

/** The TypeScript project: the root config and the configs it references (solution-style setups). */
export interface TsProject {
  units: TsConfigUnit[];
  /** Every config file read, extended ones included (their contents key the analysis cache). */
  configFiles: string[];
  /**
   * Absolute source path → the unit that includes it whose config lies nearest above it (as an
   * editor picks a file's tsconfig); the first unit when none lies above it. Its options resolve the
   * file's imports.
   */
  owner: Map<string, TsConfigUnit>;
  /**
   * The folders the entry configs speak for: the root, or each nested config's folder when the root
   * has none. A discovered file outside all of them is still analyzed (no config excludes it).
   */
  scopes: string[];
}

const MAX_REFERENCES = 256;

/**
 * Reads the project's `tsconfig.json` the way `tsc` does — through the TypeScript API that ts-morph
 * ships — so `extends` (relative or from a package), `include`/`exclude`/`files`, `paths`, `rootDirs`
 * and project `references` mean what they mean to the compiler. Returns undefined when the root has no
 * tsconfig and none was named. A config the compiler rejects is a configuration error (exit 2).
 */
export function readTsProject(
  root: string,
  configPath?: string,
  nestedConfigs: readonly string[] = [],
): TsProject | undefined {
  const first = configPath === undefined ? resolve(root, 'tsconfig.json') : resolve(root, configPath);
  let entries = [first];
  // Configs found in subfolders were named by nobody: one the compiler rejects (a test fixture, a
  // half-finished package) is left out — its folder is analyzed without it — instead of failing.
  let lenient = false;
  if (!existsSync(first)) {
    if (configPath !== undefined)
      throw new UsageError(`--project: ${display(root, first)} does not exist.`, {
        code: 'not_found',
        option: 'project',
      });
    if (nestedConfigs.length === 0) return undefined;
    entries = [...nestedConfigs].map((file) => resolve(file)).sort(byDepth);
    lenient = true;
  }
  const skipped = new Set<string>();
  const units: TsConfigUnit[] = [];
  const configFiles = new Set<string>();
  const queue = [...entries];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_REFERENCES) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    let parsed: ReturnType<typeof parseConfig>;
    try {
      parsed = parseConfig(root, file);
    } catch (error) {
      if (!lenient || !(error instanceof UsageError)) throw error;
      skipped.add(file);
      continue;
    }
    configFiles.add(file);
    for (const extended of parsed.extendedFiles) configFiles.add(extended);
    units.push({
      configFile: file,
      options: parsed.options,
      fileNames: parsed.fileNames.map((name) => resolve(name)).filter((name) => isSource(name) && isInside(root, name)),
    });
    for (const reference of parsed.references) {
      const target = ts.resolveProjectReferencePath(reference);
      if (existsSync(target)) queue.push(target);
      else if (!lenient)
        throw new UsageError(
          `${display(root, file)}: the referenced project ${display(root, target)} does not exist.`,
          {
            code: 'invalid_input',
          },
        );
    }
  }
  const owner = new Map<string, TsConfigUnit>();
  const nearness = (unit: TsConfigUnit, file: string): number =>
    isInside(dirname(unit.configFile), file) ? dirname(unit.configFile).length : -1;
  for (const unit of units)
    for (const name of unit.fileNames) {
      const current = owner.get(name);
      if (current === undefined || nearness(unit, name) > nearness(current, name)) owner.set(name, unit);
    }
  const scopes = entries
    .filter((entry) => seen.has(entry) && !skipped.has(entry))
    .map((entry) => (entry === first ? root : dirname(entry)));
  return { units, configFiles: [...configFiles], owner, scopes: [...new Set(scopes)] };
}

function byDepth(a: string, b: string): number {
  return a.split(sep).length - b.split(sep).length || a.localeCompare(b);
}

/**
 * The project's TypeScript configuration: the named config, else the root's `tsconfig.json`, else —
 * for a repository whose apps live in subfolders (`apps/web/tsconfig.json`, `nextjs/tsconfig.json`)
 * — every `tsconfig.json` below the root outside ignored and dependency folders, each with its
 * references. Undefined when there is none at all.
 */
export async function findTsProject(root: string, configPath?: string): Promise<TsProject | undefined> {
  if (configPath !== undefined || existsSync(join(root, 'tsconfig.json'))) return readTsProject(root, configPath);
  const nested = await discoverFiles({ root, accept: (path) => basename(path) === 'tsconfig.json' });
  return readTsProject(root, undefined, nested);
}

function parseConfig(
  root: string,
  file: string,
): {
  options: ts.CompilerOptions;
  fileNames: string[];
  references: readonly ts.ProjectReference[];
  extendedFiles: string[];
} {
  const diagnostics: ts.Diagnostic[] = [];
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
  };
  const extendedCache = new Map<string, ts.ExtendedConfigCacheEntry>();
  const parsed = ts.getParsedCommandLineOfConfigFile(file, undefined, host, extendedCache);
  // The config parser recovers from JSON syntax errors silently; `readConfigFile` reports them.
  const syntaxError = ts.readConfigFile(file, (path) => ts.sys.readFile(path)).error;
  const syntax = syntaxError === undefined ? [] : [syntaxError];
  const fatal = [...diagnostics, ...syntax, ...(parsed?.errors ?? [])].filter(
    // "No inputs were found" is not fatal for us: the project may be JavaScript or only partly typed.
    // Nor is a base config from a package that is not installed (a monorepo's shared
    // `@repo/typescript-config` before `npm ci`): the config's own options and files still hold.
    (diagnostic) =>
      diagnostic.category === ts.DiagnosticCategory.Error &&
      diagnostic.code !== 18003 &&
      !(diagnostic.code === MISSING_EXTENDED_FILE && isPackageBase(diagnostic)),
  );
  if (parsed === undefined || fatal.length > 0) {
    const message =
      fatal[0] === undefined ? 'it could not be read' : ts.flattenDiagnosticMessageText(fatal[0].messageText, ' ');
    throw new UsageError(`${display(root, file)} is not a valid tsconfig: ${message}`, { code: 'invalid_input' });
  }
  return {
    options: parsed.options,
    fileNames: parsed.fileNames,
    references: parsed.projectReferences ?? [],
    extendedFiles: [...extendedCache.keys()].map((key) => resolve(key)),
  };
}

/** "File '…' not found." for an `extends` target. */
const MISSING_EXTENDED_FILE = 6053;

function isPackageBase(diagnostic: ts.Diagnostic): boolean {
  const name = /^File '([^']+)'/.exec(ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '))?.[1];
  return name !== undefined && !name.startsWith('.') && !isAbsolute(name);
}

function isSource(file: string): boolean {
  return !/\.d\.[cm]?ts$/.test(file) && !file.split(/[\\/]/).includes('node_modules') && /\.[cm]?[jt]sx?$/.test(file);
}

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function display(root: string, file: string): string {
  const rel = toPosix(relative(root, file));
  return rel.startsWith('..') ? toPosix(file) : rel;
}

/**
 * The files the analyzer reads: the discovered files (so `.gitignore` and build output stay out)
 * that the tsconfig includes, and those outside every folder a config speaks for. JavaScript files count even when the config does not `allowJs` (they are
 * still part of the app), and Supabase edge functions run on Deno under their own config.
 */
export function projectSourceFiles(discovered: readonly string[], project: TsProject | undefined): string[] {
  if (project === undefined) return [...discovered];
  const allowJs = project.units.some((unit) => unit.options.allowJs === true);
  return discovered.filter(
    (path) =>
      project.owner.has(path) ||
      !project.scopes.some((scope) => isInside(scope, path)) ||
      (!allowJs && /\.[cm]?jsx?$/.test(path)) ||
      /(?:^|[\\/])supabase[\\/]functions[\\/]/.test(path),
  );
}
