import { basename, resolve } from 'node:path';

import { appGenerator } from '../../generators/app/index.js';
import { GENERATORS } from '../../generators/index.js';
import { OptionsError, type AppContext } from '../../generators/types.js';
import { UsageError } from '../errors.js';
import { generate, type GenerateResult, type GeneratorRequest } from './engine.js';
import type { Formatter } from './format.js';
import type { FileSystem } from './fs.js';
import { coerceCliOptions, missingOptions } from './options.js';
import type { Ask } from './prompt.js';

export interface CommonGenerateOptions {
  cwd: string;
  dryRun?: boolean;
  force?: boolean;
  /** Interactive answers for options that are missing (absent: headless, missing options fail). */
  ask?: Ask;
  fileSystem?: FileSystem;
  format?: Formatter;
}

export interface NewAppOptions extends CommonGenerateOptions {
  dir: string;
  name?: string;
  framework?: AppContext['framework'];
  db?: AppContext['db'];
  /** Generator names, or 'all' for every generator in `GENERATORS`. */
  modules?: readonly string[] | 'all';
  /** Options per module: `{ auth: { provider: 'oidc' } }`. */
  moduleOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface AddModuleOptions extends CommonGenerateOptions {
  generator: string;
  options?: Readonly<Record<string, unknown>>;
  framework?: AppContext['framework'];
}

function optionsToUsage(error: unknown): never {
  if (error instanceof OptionsError) throw new UsageError(error.message, { code: error.code, option: error.option });
  throw error;
}

function moduleSpec(name: string): (typeof GENERATORS)[number] {
  const spec = GENERATORS.find((candidate) => candidate.name === name);
  if (spec === undefined)
    throw new UsageError(
      `unknown generator "${name}"; generators: ${GENERATORS.map((g) => g.name).join(', ') || 'none'} (see "portcullis list")`,
      { code: 'unknown_generator' },
    );
  return spec;
}

async function askMissing(
  spec: (typeof GENERATORS)[number],
  input: Record<string, unknown>,
  ask: Ask | undefined,
): Promise<Record<string, unknown>> {
  if (ask === undefined) return input;
  const answers: Record<string, unknown> = { ...input };
  for (const name of missingOptions(spec, input)) {
    const schema = spec.schema.properties[name]!;
    const answer = await ask(`${spec.name}.${name}`, schema);
    if (answer !== undefined) Object.assign(answers, coerceCliOptions(spec, { [name]: answer }));
  }
  return answers;
}

/** `portcullis new <dir>`: the app skeleton plus the chosen modules. */
export async function newApp(options: NewAppOptions): Promise<GenerateResult> {
  const modules = options.modules === 'all' ? GENERATORS.map((spec) => spec.name) : [...(options.modules ?? [])];
  for (const name of Object.keys(options.moduleOptions ?? {}))
    if (!modules.includes(name))
      throw new UsageError(`options given for "${name}", which is not among --modules`, {
        code: 'conflicting_options',
        option: 'set',
      });
  const specs = modules.map(moduleSpec);
  let framework = options.framework;
  if (framework === undefined && options.ask !== undefined) {
    const answer = await options.ask('framework', appGenerator.schema.properties.framework!);
    if (answer !== undefined && answer !== 'express' && answer !== 'hono')
      throw new UsageError(`--framework must be one of express, hono (got "${answer}")`, {
        code: 'invalid_value',
        option: 'framework',
      });
    framework = answer;
  }
  const fallbackName = basename(resolve(options.cwd, options.dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  const appOptions = {
    name: options.name ?? (fallbackName === '' ? 'portcullis-app' : fallbackName),
    ...(framework === undefined ? {} : { framework }),
    ...(options.db === undefined ? {} : { db: options.db }),
  };
  const requests: GeneratorRequest[] = [{ generator: appGenerator.name, options: appOptions }];
  for (const spec of specs)
    requests.push({
      generator: spec.name,
      options: await askMissing(spec, { ...options.moduleOptions?.[spec.name] }, options.ask),
    });
  return generate({
    target: options.dir,
    cwd: options.cwd,
    generators: requests,
    app: { framework: framework ?? 'express', db: options.db ?? 'pglite' },
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
    ...(options.force === undefined ? {} : { force: options.force }),
    ...(options.fileSystem === undefined ? {} : { fileSystem: options.fileSystem }),
    ...(options.format === undefined ? {} : { format: options.format }),
  }).catch(optionsToUsage);
}

/** `portcullis add <generator>`: one module into an existing app (framework detected from package.json). */
export async function addModule(options: AddModuleOptions): Promise<GenerateResult> {
  const spec = moduleSpec(options.generator);
  const input = await askMissing(spec, { ...options.options }, options.ask);
  return generate({
    target: '.',
    cwd: options.cwd,
    generators: [{ generator: spec.name, options: input }],
    ...(options.framework === undefined ? {} : { app: { framework: options.framework } }),
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
    ...(options.force === undefined ? {} : { force: options.force }),
    ...(options.fileSystem === undefined ? {} : { fileSystem: options.fileSystem }),
    ...(options.format === undefined ? {} : { format: options.format }),
  }).catch(optionsToUsage);
}
