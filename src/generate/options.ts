import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { Ajv, ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv';

import { OptionsError, type AppContext, type GeneratorSpec, type OptionSchema } from '../../generators/types.js';
import { PACKAGE_ROOT } from '../paths.js';

/** How option schemas are checked (`scripts/precompile.mjs` builds the standalone validators with the same). */
export const AJV_OPTIONS: AjvOptions = { allErrors: true, useDefaults: true, strict: false };
/** Written by `scripts/precompile.mjs` in `npm run build`: Ajv standalone code of each generator's schema. */
const PREBUILT = join(PACKAGE_ROOT, 'dist', 'option-validators.cjs');

type Prebuilt = Record<string, ValidateFunction> & { fingerprints?: Record<string, string> };

const require = createRequire(import.meta.url);
const validators = new WeakMap<object, ValidateFunction>();
let ajv: Ajv | undefined;
let prebuilt: Prebuilt | undefined;

export function schemaFingerprint(schema: object): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** The schema's validator: built ahead of time when the schema is unchanged since the build, else Ajv's. */
function validatorFor(spec: GeneratorSpec<unknown>): ValidateFunction {
  let validate = validators.get(spec.schema);
  if (validate !== undefined) return validate;
  if (prebuilt === undefined)
    try {
      prebuilt = require(PREBUILT) as Prebuilt;
    } catch {
      prebuilt = {};
    }
  const built = Object.hasOwn(prebuilt, spec.name) ? prebuilt[spec.name] : undefined;
  if (built !== undefined && prebuilt.fingerprints?.[spec.name] === schemaFingerprint(spec.schema)) validate = built;
  else {
    // Ajv (and its 30 modules) loads only for a schema the build did not see.
    ajv ??= new (require('ajv') as typeof import('ajv')).Ajv(AJV_OPTIONS);
    validate = ajv.compile(spec.schema);
  }
  validators.set(spec.schema, validate);
  return validate;
}

/** "one of a, b, c" / "a boolean" / … for an option, as an error message shows it. */
export function describeAllowed(schema: OptionSchema): string {
  if (schema.enum !== undefined) return `one of ${schema.enum.join(', ')}`;
  if (schema.type === 'array')
    return schema.items?.enum !== undefined
      ? `a list of ${schema.items.enum.join(', ')}`
      : 'a list of strings (comma-separated)';
  if (schema.pattern !== undefined) return `a string matching ${schema.pattern}`;
  return schema.type === 'integer' ? 'an integer' : schema.type === 'boolean' ? 'true or false' : 'a string';
}

function optionError(spec: GeneratorSpec<unknown>, error: ErrorObject): OptionsError {
  const known = Object.keys(spec.schema.properties);
  if (error.keyword === 'additionalProperties') {
    const name = String((error.params as { additionalProperty: string }).additionalProperty);
    const list = known.length > 0 ? `its options are ${known.map((k) => `--${k}`).join(', ')}` : 'it takes no options';
    return new OptionsError(name, `${spec.name}: unknown option "--${name}"; ${list}.`, 'unknown_option');
  }
  if (error.keyword === 'required') {
    const name = String((error.params as { missingProperty: string }).missingProperty);
    const schema = spec.schema.properties[name];
    const allowed = schema === undefined ? '' : ` (${describeAllowed(schema)}: ${schema.description})`;
    return new OptionsError(name, `${spec.name}: missing option --${name}${allowed}.`, 'missing_option');
  }
  const name = error.instancePath.split('/')[1] ?? '';
  const schema = spec.schema.properties[name];
  const allowed = schema === undefined ? (error.message ?? 'invalid') : describeAllowed(schema);
  return new OptionsError(name, `${spec.name}: option --${name} must be ${allowed}.`);
}

/**
 * Validates raw options against the generator's JSON schema (filling defaults), then runs its own
 * `normalizeOptions`. Throws `OptionsError` naming the first bad option and its allowed values.
 */
export function validateOptions<O>(
  spec: GeneratorSpec<O>,
  input: Readonly<Record<string, unknown>>,
  app: AppContext,
): O {
  const validate = validatorFor(spec as GeneratorSpec<unknown>);
  const data: Record<string, unknown> = structuredClone({ ...input });
  // A list option also takes a comma-separated string (as on the command line), so every caller
  // (CLI, API, MCP) accepts what the schema's description advertises.
  for (const [name, schema] of Object.entries(spec.schema.properties))
    if (schema.type === 'array' && typeof data[name] === 'string') data[name] = splitList(data[name]);
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    const first =
      errors.find((e) => e.keyword === 'additionalProperties') ??
      errors.find((e) => e.keyword === 'required') ??
      errors[0];
    if (first !== undefined) throw optionError(spec as GeneratorSpec<unknown>, first);
  }
  return spec.normalizeOptions(data, app);
}

/** Options the user still has to answer: required, absent, without a default. */
export function missingOptions(spec: GeneratorSpec<unknown>, input: Readonly<Record<string, unknown>>): string[] {
  return (spec.schema.required ?? []).filter(
    (name) => input[name] === undefined && spec.schema.properties[name]?.default === undefined,
  );
}

/**
 * Turns CLI text (`--provider stripe`, `--scopes a,b`, `--mfa`, `--no-mfa`, `--max 5`) into typed values
 * by the generator's schema. Unknown names pass through so schema validation can name them.
 */
export function coerceCliOptions(
  spec: GeneratorSpec<unknown>,
  raw: Readonly<Record<string, string | boolean | readonly string[]>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const schema = spec.schema.properties[key];
    const text = Array.isArray(value) ? value.join(',') : value;
    if (schema === undefined) out[key] = text;
    else if (schema.type === 'boolean')
      out[key] = text === true || text === 'true' ? true : text === 'false' ? false : text;
    else if (schema.type === 'integer')
      out[key] = typeof text === 'string' && /^-?\d+$/.test(text) ? Number(text) : text;
    else if (schema.type === 'array') out[key] = typeof text === 'string' ? splitList(text) : text;
    else out[key] = text;
  }
  return out;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
