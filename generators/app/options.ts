import { OptionsError, type AppContext, type OptionsSchema } from '../types.js';

export interface AppOptions {
  name: string;
  framework: AppContext['framework'];
  db: AppContext['db'];
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** The options of `portcullis new` (name, framework, db) as a JSON schema. */
export const APP_OPTIONS_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    name: {
      type: 'string',
      description: 'The package name of the app (npm rules: lower case, no spaces).',
      pattern: NPM_NAME.source,
      default: 'portcullis-app',
    },
    framework: {
      type: 'string',
      description: 'The HTTP framework.',
      enum: ['express', 'hono'],
      default: 'express',
    },
    db: {
      type: 'string',
      description: 'The database the app runs on in production (PGlite is always the embedded default for tests).',
      enum: ['pglite', 'postgres'],
      default: 'pglite',
    },
  },
  additionalProperties: false,
};

/** Pure: fills defaults and checks the package name. */
export function normalizeAppOptions(input: Readonly<Record<string, unknown>>): AppOptions {
  const name = typeof input.name === 'string' ? input.name : 'portcullis-app';
  if (!NPM_NAME.test(name) || name.length > 214)
    throw new OptionsError('name', `app: option --name must be a valid npm package name (got "${name}").`);
  const framework = input.framework === 'hono' ? 'hono' : 'express';
  const db = input.db === 'postgres' ? 'postgres' : 'pglite';
  return { name, framework, db };
}
