import { Ajv, type ErrorObject } from 'ajv';

import { OptionsError, type AppContext, type GeneratorSpec, type OptionSchema } from '../../generators/types.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validators = new WeakMap<object, ReturnType<typeof ajv.compile>>();

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
  let validate = validators.get(spec.schema);
  if (validate === undefined) {
    validate = ajv.compile(spec.schema);
    validators.set(spec.schema, validate);
  }
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
