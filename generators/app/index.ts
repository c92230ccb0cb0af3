import { OptionsError, type AppContext, type GeneratorAction, type GeneratorSpec } from '../types.js';
import { pinned } from '../pins.js';

export interface AppOptions {
  name: string;
  framework: AppContext['framework'];
  db: AppContext['db'];
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** The app skeleton `portcullis new` writes before any module: a runnable, strict, tested, linted TypeScript server. */
export const appGenerator: GeneratorSpec<AppOptions> = {
  name: 'app',
  description:
    'App skeleton: Express 5 or Hono (on @hono/node-server), strict TypeScript, vitest, prettier, ESLint with the Portcullis preset, a health route and security headers.',
  version: '1.0.0',
  schema: {
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
  },
  normalizeOptions(input) {
    const name = typeof input.name === 'string' ? input.name : 'portcullis-app';
    if (!NPM_NAME.test(name) || name.length > 214)
      throw new OptionsError('name', `app: option --name must be a valid npm package name (got "${name}").`);
    const framework = input.framework === 'hono' ? 'hono' : 'express';
    const db = input.db === 'postgres' ? 'postgres' : 'pglite';
    return { name, framework, db };
  },
  actions(options) {
    const express = options.framework === 'express';
    const actions: GeneratorAction[] = [
      { type: 'add', path: 'package.json', template: 'app/package.json.hbs', ifMissing: true },
      { type: 'add', path: '.env.example', template: 'app/env.example.hbs', ifMissing: true },
      { type: 'add', path: '.gitignore', template: 'app/gitignore.hbs' },
      { type: 'add', path: '.prettierrc.json', template: 'app/prettierrc.json.hbs' },
      { type: 'add', path: '.prettierignore', template: 'app/prettierignore.hbs' },
      { type: 'add', path: 'tsconfig.json', template: 'app/tsconfig.json.hbs' },
      { type: 'add', path: 'tsconfig.build.json', template: 'app/tsconfig.build.json.hbs' },
      { type: 'add', path: 'vitest.config.ts', template: 'app/vitest.config.ts.hbs' },
      { type: 'add', path: 'eslint.config.js', template: 'app/eslint.config.js.hbs' },
      { type: 'add', path: 'README.md', template: 'app/README.md.hbs' },
      { type: 'add', path: 'src/config.ts', template: 'app/src/config.ts.hbs' },
      { type: 'add', path: 'src/http/security-headers.ts', template: 'app/src/http/security-headers.ts.hbs' },
      {
        type: 'add',
        path: 'src/app.ts',
        template: express ? 'app/src/app.express.ts.hbs' : 'app/src/app.hono.ts.hbs',
      },
      {
        type: 'add',
        path: 'src/server.ts',
        template: express ? 'app/src/server.express.ts.hbs' : 'app/src/server.hono.ts.hbs',
      },
      { type: 'add', path: 'src/app.test.ts', template: 'app/src/app.test.ts.hbs' },
      {
        type: 'dependencies',
        dependencies: express ? pinned('express') : pinned('hono', '@hono/node-server'),
        devDependencies: pinned(
          'typescript',
          'vitest',
          'prettier',
          'eslint',
          'typescript-eslint',
          '@types/node',
          'portcullis',
          ...(express ? ['@types/express'] : []),
        ),
      },
      {
        type: 'env',
        entries: [
          { key: 'PORT', example: '3000', comment: 'Port the HTTP server listens on.' },
          {
            key: 'HOST',
            example: '127.0.0.1',
            comment: 'Interface to listen on; 127.0.0.1 keeps the app private, 0.0.0.0 exposes it (containers).',
          },
        ],
      },
    ];
    return actions;
  },
  nextSteps: () => ['npm install', 'npm test', 'npm run build && npm start'],
};
