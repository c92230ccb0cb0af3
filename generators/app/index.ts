import { pinned, portcullisSpecifier } from '../pins.js';
import type { GeneratorAction, GeneratorSpec } from '../types.js';
import { composition } from './composition.js';
import { APP_OPTIONS_SCHEMA, normalizeAppOptions, type AppOptions } from './options.js';

export type { AppOptions } from './options.js';

/** The app skeleton `portcullis new` writes before any module: a runnable, strict, tested, linted TypeScript server. */
export const appGenerator: GeneratorSpec<AppOptions> = {
  name: 'app',
  description:
    "App skeleton: Express 5 or Hono (on @hono/node-server), strict TypeScript, vitest, prettier, ESLint with the Portcullis preset, a health route and security headers, and the composition root that creates every module's services and mounts them in a safe order (re-rendered when a module is added).",
  version: '1.2.1',
  schema: APP_OPTIONS_SCHEMA,
  normalizeOptions: normalizeAppOptions,
  identity: (options) => [options.name, portcullisSpecifier()],
  actions(options, app) {
    const express = options.framework === 'express';
    const compose = composition(app);
    const data = { compose, environment: app.environment ?? [] };
    const framework = (template: string): string => `app/src/${template}.${express ? 'express' : 'hono'}.ts.hbs`;
    const composed = (path: string, template: string): GeneratorAction => ({ type: 'add', path, template, data });
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
      composed('README.md', 'app/README.md.hbs'),
      composed('src/config.ts', 'app/src/config.ts.hbs'),
      { type: 'add', path: 'src/http/security-headers.ts', template: 'app/src/http/security-headers.ts.hbs' },
      composed('src/services.ts', 'app/src/services.ts.hbs'),
      composed('src/mount.ts', framework('mount')),
      composed('src/app.ts', framework('app')),
      composed('src/server.ts', framework('server')),
      composed('src/app.test.ts', 'app/src/app.test.ts.hbs'),
    ];
    if (compose.api) actions.push(composed('src/api.ts', framework('api')));
    if (compose.webhook) actions.push(composed('src/dev/secrets.ts', 'app/src/dev/secrets.ts.hbs'));
    if (compose.db)
      actions.push(
        composed('src/setup/login-role.ts', 'app/src/setup/login-role.ts.hbs'),
        composed('src/setup/database.ts', 'app/src/setup/database.ts.hbs'),
        composed('src/setup/login-role.pg.test.ts', 'app/src/setup/login-role.pg.test.ts.hbs'),
      );
    if (compose.pilot)
      actions.push(
        composed('src/dev/identity-provider.ts', 'app/src/dev/identity-provider.ts.hbs'),
        composed('src/pilot/browser.ts', 'app/src/pilot/browser.ts.hbs'),
        composed('src/pilot/steps.ts', 'app/src/pilot/steps.ts.hbs'),
        composed('src/pilot/index.ts', 'app/src/pilot/index.ts.hbs'),
      );
    actions.push(
      {
        type: 'dependencies',
        dependencies: express ? pinned('express') : pinned('hono', '@hono/node-server'),
        devDependencies: {
          ...pinned('typescript', 'vitest', 'prettier', 'eslint', 'typescript-eslint', '@types/node'),
          ...(express ? pinned('@types/express') : {}),
          portcullis: portcullisSpecifier(),
        },
      },
      {
        type: 'scripts',
        scripts: {
          dev: 'tsc -p tsconfig.build.json && node dist/server.js',
          ...(compose.pilot ? { pilot: 'tsc -p tsconfig.build.json && node dist/pilot/index.js' } : {}),
          ...(compose.db ? { 'db:setup': 'node dist/setup/database.js' } : {}),
        },
      },
      {
        type: 'env',
        entries: [
          {
            key: 'NODE_ENV',
            example: 'development',
            comment: 'production: every secret must be set; no development defaults or development OpenID provider.',
          },
          { key: 'PORT', example: '3000', comment: 'Port the HTTP server listens on.' },
          {
            key: 'HOST',
            example: '127.0.0.1',
            comment: 'Interface to listen on; 127.0.0.1 keeps the app private, 0.0.0.0 exposes it (containers).',
          },
          ...(compose.db
            ? [
                {
                  key: 'DATABASE_MIGRATION_URL',
                  example: '',
                  comment:
                    'Production: the owner role that runs migrations (npm run db:setup); DATABASE_URL is then the login role it creates.',
                },
              ]
            : []),
          ...(compose.auth
            ? [
                {
                  key: 'AUTH_KEY_OVERLAP_SECONDS',
                  example: String(compose.keyOverlapSeconds),
                  comment: 'How long a rotated-out access-token signing key still verifies (seconds).',
                },
              ]
            : []),
        ],
      },
    );
    return actions;
  },
  nextSteps: () => ['npm install', 'npm test', 'npm run build && npm start'],
};
