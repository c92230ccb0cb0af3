import { cp } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appGenerator } from '../../generators/app/index.js';
import { GENERATORS } from '../../generators/index.js';
import { OptionsError, type AppContext, type GeneratorSpec } from '../../generators/types.js';
import { validateOptions } from '../../src/generate/options.js';
import { createTemplateEngine, TEMPLATES_ROOT } from '../../src/generate/render.js';
import { tempDir } from './fixtures.js';

// What `npm run build` compiles ahead of time (scripts/precompile.mjs) must behave like compiling at run time.

const SPECS = [appGenerator, ...GENERATORS] as GeneratorSpec<Record<string, unknown>>[];
const APP: AppContext = { framework: 'hono', db: 'pglite', modules: GENERATORS.map((spec) => spec.name).sort() };

let tmp: { dir: string; remove(): Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('precompiled');
  await cp(TEMPLATES_ROOT, join(tmp.dir, 'templates'), { recursive: true });
});
afterAll(async () => {
  await tmp.remove();
});

describe('precompiled templates', () => {
  it('render what the same templates compiled at run time render', async () => {
    const ahead = createTemplateEngine();
    const now = createTemplateEngine();
    let files = 0;
    for (const spec of SPECS) {
      const options = validateOptions(
        spec,
        spec.name === appGenerator.name ? { name: 'shop', framework: 'hono' } : {},
        APP,
      );
      for (const action of spec.actions(options, { ...APP, composed: true, moduleOptions: {} })) {
        if (action.type !== 'add') continue;
        const context = { ...options, ...action.data, app: APP, banner: 'banner' };
        const expected = (await now.template(join(tmp.dir, 'templates'), action.template))(context);
        expect((await ahead.template(TEMPLATES_ROOT, action.template))(context), action.template).toBe(expected);
        files++;
      }
    }
    expect(files).toBeGreaterThan(100);
    expect(now.compiled).toEqual({ ahead: 0, now: files });
    expect(ahead.compiled, 'dist/templates.precompiled.js is missing or stale: run npm run build').toEqual({
      ahead: files,
      now: 0,
    });
  });
});

describe('prebuilt option validators', () => {
  const cases: Record<string, unknown>[] = [
    {},
    { nope: 1 },
    { mfa: 'maybe', engine: 'opa', provider: ['paypal'], mode: 3, currency: 5, name: 'Bad Name', framework: 'koa' },
    { accessTokenTtlSeconds: -1, toleranceSeconds: 'soon', tables: 'a,b', signedRequests: 'yes' },
  ];
  // A copy of the schema under another name has no prebuilt validator: Ajv compiles it at run time.
  const viaAjv = (spec: GeneratorSpec<Record<string, unknown>>): GeneratorSpec<Record<string, unknown>> => ({
    ...spec,
    name: `${spec.name}-at-run-time`,
    schema: structuredClone(spec.schema),
  });
  const outcome = (spec: GeneratorSpec<Record<string, unknown>>, input: Record<string, unknown>): unknown => {
    try {
      return { options: validateOptions(spec, input, APP) };
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      return { option: error.option, code: error.code, message: error.message.replace('-at-run-time', '') };
    }
  };
  it('fill the same defaults and name the same bad option as Ajv', () => {
    for (const spec of SPECS)
      for (const input of cases) expect(outcome(spec, input), spec.name).toEqual(outcome(viaAjv(spec), input));
  });
});
