import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rbacGenerator } from '../../generators/rbac/index.js';
import { OptionsError, type AppContext } from '../../generators/types.js';
import {
  expectProvenanceBanners,
  lintGenerated,
  runGeneratedTests,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
} from '../helpers/generated-app.js';

const EXPRESS: AppContext = { framework: 'express', db: 'pglite', modules: [] };
const HONO: AppContext = { framework: 'hono', db: 'pglite', modules: [] };

/** The shared policy suite (53 cases) plus the 5 guard tests of the app's framework adapter. */
const POLICY_TESTS = 53;
const GUARD_TESTS = 5;

describe('rbac generator: options', () => {
  it('defaults to the typed engine and auditing every decision', () => {
    expect(rbacGenerator.normalizeOptions({}, EXPRESS)).toEqual({ engine: 'typed', auditDecisions: 'all' });
  });

  it('rejects an unknown engine, naming the option and its allowed values', () => {
    expect(() => rbacGenerator.normalizeOptions({ engine: 'opa' }, EXPRESS)).toThrow(OptionsError);
    expect(() => rbacGenerator.normalizeOptions({ engine: 'opa' }, EXPRESS)).toThrow(/"engine".*typed, cedar/);
    expect(() => rbacGenerator.normalizeOptions({ auditDecisions: true }, EXPRESS)).toThrow(/auditDecisions/);
    expect(() => rbacGenerator.normalizeOptions({ engin: 'cedar' }, EXPRESS)).toThrow(/Unknown option "engin"/);
  });

  it('emits only the chosen engine and framework adapter, with pinned dependencies', () => {
    const typed = rbacGenerator.actions({ engine: 'typed', auditDecisions: 'all' }, EXPRESS);
    const cedar = rbacGenerator.actions({ engine: 'cedar', auditDecisions: 'all' }, HONO);
    const paths = (actions: typeof typed): string[] =>
      actions.flatMap((action) => (action.type === 'add' ? [action.path] : [])).sort();
    expect(paths(typed)).toEqual([
      'src/authz/express.test.ts',
      'src/authz/express.ts',
      'src/authz/index.ts',
      'src/authz/pdp.ts',
      'src/authz/policy.test.ts',
      'src/authz/policy.ts',
      'src/authz/principal.ts',
      'src/authz/typed-engine.ts',
      'src/authz/types.ts',
    ]);
    expect(paths(cedar)).toEqual([
      'src/authz/cedar-engine.ts',
      'src/authz/hono.test.ts',
      'src/authz/hono.ts',
      'src/authz/index.ts',
      'src/authz/pdp.ts',
      'src/authz/policies/authz.cedar',
      'src/authz/policies/authz.cedarschema',
      'src/authz/policy.test.ts',
      'src/authz/policy.ts',
      'src/authz/principal.ts',
      'src/authz/types.ts',
    ]);
    expect(cedar.find((action) => action.type === 'dependencies')).toMatchObject({
      dependencies: { hono: '4.13.19', '@cedar-policy/cedar-wasm': '4.13.0' },
    });
    expect(rbacGenerator.actions({ engine: 'typed', auditDecisions: 'all' }, EXPRESS)).toEqual(typed);
  });
});

describe.each([
  { engine: 'typed', app: EXPRESS },
  { engine: 'cedar', app: HONO },
])('rbac generator: $engine engine on $app.framework', ({ engine, app: context }) => {
  let app: ScaffoldedApp;
  beforeAll(async () => {
    app = await scaffoldForTest(`rbac-${engine}`, [[rbacGenerator, { engine }]], context);
  });
  afterAll(async () => {
    await app.remove();
  });

  it('writes a provenance banner as the first line of every file', () => {
    expectProvenanceBanners(app.files, rbacGenerator);
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await typecheck(app.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 180_000);

  it('passes the shared policy suite and the guard tests through the real adapter', async () => {
    const result = await runGeneratedTests(app.dir);
    expect(result.output).toContain(`${POLICY_TESTS + GUARD_TESTS} passed`);
    expect(result.ok).toBe(true);
  }, 900_000);

  it('lints clean under Portcullis', async () => {
    const result = await lintGenerated(app.dir);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
  }, 120_000);
});
