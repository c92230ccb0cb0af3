import { pinned } from '../pins.js';
import type { GeneratorAction, GeneratorSpec } from '../types.js';
import { APP_OPTIONS_SCHEMA, normalizeAppOptions, type AppOptions } from './options.js';

export type { AppOptions } from './options.js';

/** The app skeleton `portcullis new` writes before any module: a runnable, strict, tested, linted TypeScript server. */
export const appGenerator: GeneratorSpec<AppOptions> = {
  name: 'app',
  description:
    'App skeleton: Express 5 or Hono (on @hono/node-server), strict TypeScript, vitest, prettier, ESLint with the Portcullis preset, a health route and security headers.',
  version: '1.0.0',
  schema: APP_OPTIONS_SCHEMA,
  normalizeOptions: normalizeAppOptions,
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
