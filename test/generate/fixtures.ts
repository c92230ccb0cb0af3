/** A small generator used by the engine tests: options with an enum and a required value, every action kind. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appGenerator } from '../../generators/app/index.js';
import { GENERATORS } from '../../generators/index.js';
import type { GeneratorSpec } from '../../generators/types.js';
import type { AnyGeneratorSpec } from '../../src/generate/engine.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

export const FIXTURE_TEMPLATES = join(REPO_ROOT, 'test', 'fixtures', 'generate', 'templates');

export interface GreetOptions {
  greeting: string;
  tone: 'plain' | 'loud';
  path: string;
}

export function greetGenerator(version = '1.0.0', template = 'greet/greet.ts.hbs'): GeneratorSpec<GreetOptions> {
  return {
    name: 'greet',
    description: 'Test generator.',
    version,
    requires: [],
    templatesRoot: FIXTURE_TEMPLATES,
    schema: {
      type: 'object',
      properties: {
        greeting: { type: 'string', description: 'What to say.' },
        tone: { type: 'string', description: 'How to say it.', enum: ['plain', 'loud'], default: 'plain' },
        path: { type: 'string', description: 'Where the notes go.', default: 'docs/greet.md' },
      },
      required: ['greeting'],
      additionalProperties: false,
    },
    normalizeOptions: (input) => ({
      greeting: String(input.greeting),
      tone: input.tone === 'loud' ? 'loud' : 'plain',
      path: String(input.path ?? 'docs/greet.md'),
    }),
    actions: (options, app) => [
      { type: 'add', path: 'src/greet/greet.ts', template },
      {
        type: 'add',
        path: 'src/greet/mount.ts',
        template: app.framework === 'express' ? 'greet/mount-express.ts.hbs' : 'greet/mount-hono.ts.hbs',
      },
      { type: 'add', path: options.path, template: 'greet/notes.md.hbs' },
      { type: 'register', from: './greet/mount.js', name: 'mountGreet' },
      { type: 'dependencies', dependencies: { jose: '6.2.17' } },
      { type: 'scripts', scripts: { 'greet:send': 'node dist/greet/send.js' } },
      { type: 'env', entries: [{ key: 'GREETING_SECRET', example: '', comment: 'Signs greetings.' }] },
    ],
    nextSteps: () => ['Say hello.'],
  };
}

export function registryWith(...extra: AnyGeneratorSpec[]): AnyGeneratorSpec[] {
  return [appGenerator, ...GENERATORS, ...extra];
}

export async function tempDir(label: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `portcullis-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
