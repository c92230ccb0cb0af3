import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { createTwoFilesPatch } from 'diff';

import { appGenerator } from '../../generators/app/index.js';
import { GENERATORS } from '../../generators/index.js';
import type { AppContext, GeneratorSpec } from '../../generators/types.js';
import { addDependencies, addEnvEntries, addScripts, registerModule } from './edits.js';
import { AppContextError, WriteFailedError } from './errors.js';
import { APP_PRETTIER_CONFIG, formatGenerated as formatDefault, type Formatter } from './format.js';
import { nodeFileSystem, type FileSystem } from './fs.js';
import {
  contentHash,
  MANIFEST_PATH,
  MANIFEST_VERSION,
  parseManifest,
  serializeManifest,
  type Manifest,
} from './manifest.js';
import { validateOptions } from './options.js';
import { checkRelativePath, confinedPath, realTarget } from './paths.js';
import { createTemplateEngine, renderTemplate } from './render.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec has its own options type
export type AnyGeneratorSpec = GeneratorSpec<any>;

export interface GeneratorRequest {
  generator: string;
  options?: Readonly<Record<string, unknown>>;
}

export interface GenerateOptions {
  /** The app folder (created when missing). Relative paths resolve against `cwd`. */
  target: string;
  cwd?: string;
  generators: readonly GeneratorRequest[];
  /** Framework and database of the app; detected from its package.json and manifest when absent. */
  app?: Partial<Pick<AppContext, 'framework' | 'db'>>;
  /** Compute everything, write nothing, return a unified diff. */
  dryRun?: boolean;
  /** For files the user edited: write the new version beside them as `<file>.portcullis-new`. */
  force?: boolean;
  /** The generators to choose from (default: the app skeleton and `GENERATORS`). */
  registry?: readonly AnyGeneratorSpec[];
  fileSystem?: FileSystem;
  /** How generated files are formatted (default: `formatGenerated`); the formatted-record script and tests swap it. */
  format?: Formatter;
}

export interface Conflict {
  path: string;
  reason: string;
  /** Unified diff from the file on disk to what the generator would write. */
  diff: string;
  /** With `--force`: where the new version was written. */
  newFile?: string;
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface GenerateResult {
  target: string;
  dryRun: boolean;
  /**
   * Whether the run wrote its changes. False with `dryRun`, and when it met a conflict without
   * `force`: a file the user changed stops the whole run (plan everything, detect every conflict,
   * then write), so an app never gets half a module. `created`/`updated` then say what it would write.
   */
  written: boolean;
  generators: { name: string; version: string; options: Record<string, unknown> }[];
  created: string[];
  updated: string[];
  unchanged: string[];
  conflicts: Conflict[];
  skipped: Skipped[];
  nextSteps: string[];
  /** Unified diff of every change this run makes (or would make, with `dryRun`). */
  diff: string;
  /** Size and SHA-256 of each file this run writes (or would write), by path. */
  writes: Record<string, { bytes: number; sha256: string }>;
}

/** Shared by every run: it compiles each template source once (and checks the source is unchanged). */
const templates = createTemplateEngine();

export const PACKAGE_JSON = 'package.json';
export const ENV_EXAMPLE = '.env.example';
export const APP_ENTRY = 'src/app.ts';

export function defaultRegistry(): AnyGeneratorSpec[] {
  return [appGenerator, ...GENERATORS];
}

interface Owner {
  generator: string;
  version: string;
  options: Record<string, unknown>;
}

/** What the run would leave each touched file as, next to what is on disk now. */
class Workspace {
  private readonly originals = new Map<string, string | null>();
  readonly planned = new Map<string, string>();

  constructor(
    readonly root: string,
    private readonly fs: FileSystem,
    /** The target folder did not exist when the run started: every file in it is new (nothing to read). */
    private readonly fresh = false,
  ) {}

  async absolute(path: string): Promise<string> {
    return confinedPath(this.root, path);
  }

  async original(path: string): Promise<string | null> {
    if (!this.originals.has(path))
      this.originals.set(path, this.fresh ? null : await this.fs.read(await this.absolute(path)));
    return this.originals.get(path) ?? null;
  }

  async current(path: string): Promise<string | null> {
    return this.planned.get(path) ?? (await this.original(path));
  }
}

/** Orders generators so each comes after the ones it `requires`; adds required ones not in the app yet. */
export function resolveOrder(
  requested: readonly string[],
  registry: readonly AnyGeneratorSpec[],
  installed: ReadonlySet<string>,
): AnyGeneratorSpec[] {
  const byName = new Map(registry.map((spec) => [spec.name, spec]));
  const ordered: AnyGeneratorSpec[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, requestedByUser: boolean, via?: string): void => {
    if (ordered.some((spec) => spec.name === name)) return;
    const spec = byName.get(name);
    if (spec === undefined) {
      const known = registry.map((s) => s.name).join(', ');
      throw new AppContextError(
        via === undefined
          ? `unknown generator "${name}"; generators: ${known}`
          : `generator "${via}" requires "${name}", which is not available (generators: ${known})`,
        { code: 'unknown_generator' },
      );
    }
    if (!requestedByUser && installed.has(name)) return;
    if (visiting.has(name)) throw new AppContextError(`generators require each other in a cycle through "${name}"`);
    visiting.add(name);
    for (const dependency of spec.requires ?? []) visit(dependency, false, name);
    visiting.delete(name);
    ordered.push(spec);
  };
  for (const name of requested) visit(name, true);
  return ordered;
}

function detectFramework(packageJson: string | null): AppContext['framework'] {
  if (packageJson === null)
    throw new AppContextError(
      'no package.json in the target folder; run "portcullis new <dir>" first or pass --cwd <app dir>',
    );
  let json: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    json = JSON.parse(packageJson) as typeof json;
  } catch {
    throw new AppContextError('package.json in the target folder is not valid JSON', { code: 'invalid_input' });
  }
  const deps = { ...json.devDependencies, ...json.dependencies };
  const found = (['express', 'hono'] as const).filter((name) => deps[name] !== undefined);
  if (found.length === 1) return found[0]!;
  throw new AppContextError(
    found.length === 0
      ? 'cannot tell the framework: package.json depends on neither express nor hono (supported: express, hono); pass --framework express|hono'
      : 'package.json depends on both express and hono; pass --framework express|hono to say which one the app uses',
  );
}

function patch(path: string, before: string | null, after: string): string {
  return createTwoFilesPatch(
    before === null ? '/dev/null' : `a/${path}`,
    `b/${path}`,
    before ?? '',
    after,
    undefined,
    undefined,
    { context: 3 },
  );
}

/**
 * Runs generators against an app folder: validates every option first, computes every file in memory,
 * compares with disk and the manifest, then (unless `dryRun`) writes atomically, rolling back on failure.
 * Nothing is written when an option or a path is invalid.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const fs = options.fileSystem ?? nodeFileSystem;
  const registry = options.registry ?? defaultRegistry();
  const root = await realTarget(resolve(options.cwd ?? process.cwd(), options.target));
  const fresh = await lstat(root).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
  const ws = new Workspace(root, fs, fresh);

  const manifestText = await ws.original(MANIFEST_PATH);
  let manifest: Manifest | undefined;
  try {
    manifest = manifestText === null ? undefined : parseManifest(manifestText);
  } catch (error) {
    throw new AppContextError(`${MANIFEST_PATH} is damaged (${(error as Error).message}); fix or delete it`, {
      code: 'invalid_input',
    });
  }

  const requests = new Map(options.generators.map((request) => [request.generator, request.options ?? {}]));
  const specs = resolveOrder([...requests.keys()], registry, new Set(Object.keys(manifest?.generators ?? {})));

  const appRequest = requests.get(appGenerator.name);
  const framework =
    options.app?.framework ??
    (appRequest?.framework as AppContext['framework'] | undefined) ??
    (requests.has(appGenerator.name) ? 'express' : detectFramework(await ws.original(PACKAGE_JSON)));
  const db = options.app?.db ?? (appRequest?.db as AppContext['db'] | undefined) ?? manifest?.app.db ?? 'pglite';
  const modules = [...new Set([...Object.keys(manifest?.generators ?? {}), ...specs.map((spec) => spec.name)])]
    .filter((name) => name !== appGenerator.name)
    .sort();
  const app: AppContext = { framework, db, modules };

  // Validate every option of every generator before touching anything.
  app.composed = requests.has(appGenerator.name) || manifest?.generators[appGenerator.name] !== undefined;
  const runs = specs.map((spec) => {
    const requested = requests.get(spec.name) ?? {};
    const previous = manifest?.generators[spec.name]?.options;
    const raw =
      previous !== undefined && spec.extendOptions !== undefined ? spec.extendOptions(previous, requested) : requested;
    const normalized = validateOptions(spec, spec === appGenerator ? { ...raw, framework, db } : raw, app) as Record<
      string,
      unknown
    >;
    return { spec, options: normalized, recompose: false };
  });
  app.moduleOptions = Object.fromEntries(
    [
      ...Object.entries(manifest?.generators ?? {}).map(([name, entry]) => [name, entry.options] as const),
      ...runs.map(({ spec, options: opts }) => [spec.name, opts] as const),
    ].filter(([name]) => name !== appGenerator.name),
  );
  // The app generator owns the composition root: when modules are added to an app it generated, it
  // renders the root again (with the options recorded in the manifest) so the new module is wired in.
  // It runs first, so `register` edits of the modules apply on top of what it renders.
  const appSpec = registry.findLast((spec) => spec.name === appGenerator.name);
  const appEntry = manifest?.generators[appGenerator.name];
  if (appSpec !== undefined && appEntry !== undefined && !runs.some(({ spec }) => spec.name === appGenerator.name))
    runs.unshift({
      spec: appSpec,
      options: validateOptions(appSpec, { ...appEntry.options, framework, db }, app) as Record<string, unknown>,
      recompose: true,
    });

  // Every variable the app's generators read (this run's and those installed before), in registry
  // order so the README is the same however the modules came in.
  const environment = new Map<string, { key: string; example: string; comment: string }>();
  const optionsByName = new Map<string, Record<string, unknown>>(
    Object.entries(manifest?.generators ?? {}).map(([name, entry]) => [name, entry.options]),
  );
  for (const { spec, options: opts } of runs) optionsByName.set(spec.name, opts);
  for (const spec of new Map(registry.map((candidate) => [candidate.name, candidate])).values()) {
    const opts = optionsByName.get(spec.name);
    if (opts === undefined) continue;
    for (const action of spec.actions(opts, app))
      if (action.type === 'env')
        for (const entry of action.entries) if (!environment.has(entry.key)) environment.set(entry.key, entry);
  }
  app.environment = [...environment.values()];

  const prettierConfig = await readPrettierConfig(ws);
  const format = options.format ?? formatDefault;
  const identity = runs.flatMap(({ spec, options: opts }) => spec.identity?.(opts) ?? []);
  const formatGenerated: Formatter = (path, content, config) => format(path, content, config, identity);
  const owners = new Map<string, Owner>();
  const skipped: Skipped[] = [];
  const nextSteps: string[] = [];
  const kept = new Set<string>();

  for (const { spec, options: opts, recompose } of runs) {
    const owner: Owner = { generator: spec.name, version: spec.version, options: opts };
    for (const action of spec.actions(opts, app)) {
      switch (action.type) {
        case 'add': {
          const path = checkRelativePath(action.path);
          if (path === MANIFEST_PATH || path.startsWith('.portcullis/'))
            throw new AppContextError(`generator ${spec.name} may not write into .portcullis/`);
          const other = owners.get(path);
          if (other !== undefined)
            throw new Error(`generators ${other.generator} and ${spec.name} both write ${path}; this is a bug`);
          if (action.ifMissing === true && (await ws.original(path)) !== null) break;
          const data = action.data === undefined ? opts : { ...opts, ...action.data };
          const rendered = await renderTemplate(templates, action.template, spec, data, app, spec.templatesRoot);
          ws.planned.set(path, await formatGenerated(path, rendered, prettierConfig));
          if (action.ifMissing !== true) owners.set(path, owner);
          break;
        }
        case 'dependencies': {
          const current = await ws.current(PACKAGE_JSON);
          if (current === null) {
            skipped.push({ path: PACKAGE_JSON, reason: `no package.json to add ${spec.name}'s dependencies to` });
            break;
          }
          let edit;
          try {
            edit = addDependencies(current, {
              ...(action.dependencies === undefined ? {} : { dependencies: action.dependencies }),
              ...(action.devDependencies === undefined ? {} : { devDependencies: action.devDependencies }),
            });
          } catch {
            throw new AppContextError('package.json in the target folder is not valid JSON', { code: 'invalid_input' });
          }
          edit.kept.forEach((entry) => kept.add(entry));
          ws.planned.set(PACKAGE_JSON, await formatGenerated(PACKAGE_JSON, edit.content, prettierConfig));
          break;
        }
        case 'scripts': {
          const current = await ws.current(PACKAGE_JSON);
          if (current === null) {
            skipped.push({ path: PACKAGE_JSON, reason: `no package.json to add ${spec.name}'s scripts to` });
            break;
          }
          let edit;
          try {
            edit = addScripts(current, action.scripts);
          } catch {
            throw new AppContextError('package.json in the target folder is not valid JSON', { code: 'invalid_input' });
          }
          for (const name of edit.kept)
            nextSteps.push(
              `Kept your npm script "${name}"; ${spec.name} would run it as: ${action.scripts[name] ?? ''}`,
            );
          ws.planned.set(PACKAGE_JSON, await formatGenerated(PACKAGE_JSON, edit.content, prettierConfig));
          break;
        }
        case 'env': {
          ws.planned.set(ENV_EXAMPLE, addEnvEntries((await ws.current(ENV_EXAMPLE)) ?? '', action.entries));
          break;
        }
        case 'register': {
          const current = await ws.current(APP_ENTRY);
          const edit =
            current === null
              ? ({ ok: false, reason: 'the file does not exist' } as const)
              : registerModule(current, action.from, action.name);
          if (!edit.ok) {
            skipped.push({ path: APP_ENTRY, reason: `could not register ${spec.name}: ${edit.reason}` });
            nextSteps.push(
              `Register ${spec.name} in your app: import { ${action.name} } from '${action.from}' and call ${action.name}(app).`,
            );
            break;
          }
          ws.planned.set(APP_ENTRY, await formatGenerated(APP_ENTRY, edit.content, prettierConfig));
          break;
        }
      }
    }
    if (!recompose) nextSteps.push(...(spec.nextSteps?.(opts, app) ?? []));
  }
  for (const entry of [...kept].sort())
    nextSteps.push(`Kept your version of ${entry} in package.json; the generated code is tested with the pinned one.`);

  const result: GenerateResult = {
    target: root,
    dryRun: options.dryRun === true,
    written: false,
    generators: runs
      .filter(({ recompose }) => !recompose)
      .map(({ spec, options: opts }) => ({ name: spec.name, version: spec.version, options: opts })),
    created: [],
    updated: [],
    unchanged: [],
    conflicts: [],
    skipped,
    nextSteps: [...new Set(nextSteps)],
    diff: '',
    writes: {},
  };
  const nextManifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    app: { framework, db },
    generators: { ...manifest?.generators },
    files: { ...manifest?.files },
  };
  for (const { spec, options: opts } of runs)
    nextManifest.generators[spec.name] = { version: spec.version, options: opts };

  const writes = new Map<string, string>();
  const diffs: string[] = [];
  for (const path of [...ws.planned.keys()].sort()) {
    const final = ws.planned.get(path)!;
    const before = await ws.original(path);
    const entry = manifest?.files[path];
    const pristine = entry !== undefined && before !== null && contentHash(before) === entry.hash;
    const owner = owners.get(path);
    const record = (): void => {
      if (owner !== undefined) nextManifest.files[path] = { ...owner, hash: contentHash(final) };
      else if (pristine) nextManifest.files[path] = { ...entry, hash: contentHash(final) };
    };
    if (before === final) {
      result.unchanged.push(path);
      record();
    } else if (before === null) {
      if (owner !== undefined && entry !== undefined && options.force !== true) {
        result.skipped.push({ path, reason: 'deleted since it was generated; run with --force to restore it' });
        continue;
      }
      result.created.push(path);
      writes.set(path, final);
      diffs.push(patch(path, before, final));
      record();
    } else if (owner !== undefined && entry !== undefined && contentHash(final) === entry.hash) {
      // The generator would write what it wrote last time: it has nothing new for this file, so the
      // user's edits stand and there is nothing to report.
      result.unchanged.push(path);
    } else if (owner === undefined || pristine) {
      result.updated.push(path);
      writes.set(path, final);
      diffs.push(patch(path, before, final));
      record();
    } else {
      const conflict: Conflict = {
        path,
        reason:
          entry === undefined
            ? 'the file exists and was not written by Portcullis'
            : 'you edited the file since Portcullis generated it',
        diff: patch(path, before, final),
      };
      if (options.force === true) {
        conflict.newFile = `${path}.portcullis-new`;
        const existing = await ws.original(conflict.newFile);
        if (existing !== final) {
          writes.set(conflict.newFile, final);
          diffs.push(patch(conflict.newFile, existing, final));
        }
      }
      result.conflicts.push(conflict);
    }
  }
  const manifestOut = serializeManifest(nextManifest);
  if (manifestOut !== manifestText) writes.set(MANIFEST_PATH, manifestOut);
  result.diff = diffs.join('');
  for (const [path, content] of writes)
    if (path !== MANIFEST_PATH)
      result.writes[path] = {
        bytes: Buffer.byteLength(content),
        sha256: createHash('sha256').update(content).digest('hex'),
      };
  const blocked = result.conflicts.length > 0 && options.force !== true;
  if (blocked)
    result.nextSteps = [
      `Nothing was written: ${String(result.conflicts.length)} file(s) you changed would be overwritten (see conflicts). Merge each diff by hand and run again, or re-run with --force to write everything and put the new version of each beside it as <file>.portcullis-new.`,
    ];

  if (options.dryRun !== true && !blocked) {
    await applyWrites(ws, fs, writes);
    result.written = true;
  }
  return result;
}

async function readPrettierConfig(ws: Workspace): Promise<Record<string, unknown>> {
  const text = await ws.original('.prettierrc.json');
  if (text === null) return { ...APP_PRETTIER_CONFIG };
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ...APP_PRETTIER_CONFIG };
  }
}

/** Writes every file (temp + rename); on the first failure restores what this run changed and rethrows. */
async function applyWrites(ws: Workspace, fs: FileSystem, writes: ReadonlyMap<string, string>): Promise<void> {
  const journal: { absolute: string; path: string; previous: string | null }[] = [];
  const createdDirs: string[] = [];
  let current = '';
  try {
    for (const [path, content] of writes) {
      current = path;
      const absolute = await ws.absolute(path);
      const made = await fs.mkdirp(dirname(absolute));
      if (made !== undefined) createdDirs.push(made);
      const previous = await ws.original(path);
      await fs.writeAtomic(absolute, content);
      journal.push({ absolute, path, previous });
    }
  } catch (error) {
    const restored: string[] = [];
    for (const { absolute, path, previous } of journal.reverse()) {
      try {
        if (previous === null) await fs.remove(absolute);
        else await fs.writeAtomic(absolute, previous);
        restored.push(path);
      } catch {
        // keep restoring the rest; the error below names the file that failed
      }
    }
    for (const dir of createdDirs.reverse()) await fs.remove(dir).catch(() => undefined);
    throw new WriteFailedError(current, restored, error);
  }
}
