/**
 * `--types`: the project checks with the type checker's answers. The typed-app fixture hides its
 * guards, handlers and data clients behind objects (services, controllers, repositories), which
 * names alone cannot follow: with `--types` the holes there are found and the name-based misreadings
 * are corrected; without it, the checks stay quiet where they cannot see (never guessing).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTypeOracle, packageOf } from '../../src/analyzer/typed.js';
import { runCheck, type CheckResult } from '../../src/check/run-check.js';
import { listRoutes } from '../../src/cli/commands/routes.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/generated-app.js';
import { expectedFindings, fixtureRepo } from './fixture-project.js';

const ANALYZER_RULES = new Set(['require-route-authorization', 'require-tenant-scope']);

/** A stand-in for the client `prisma generate` writes (the fixture has no Prisma engine). */
const PRISMA_CLIENT = `export interface OrderDelegate {
  findMany(args?: { where?: Record<string, unknown> }): Promise<unknown[]>;
  count(args?: { where?: Record<string, unknown> }): Promise<number>;
}
export declare class PrismaClient {
  order: OrderDelegate;
}
`;

/** The fixture with a node_modules of real type packages (pg, express, node) and the generated Prisma client. */
function typedApp(): ReturnType<typeof fixtureRepo> {
  const repo = fixtureRepo('typed-app');
  const modules = join(repo.dir, 'node_modules');
  mkdirSync(join(modules, '.prisma', 'client'), { recursive: true });
  mkdirSync(join(modules, '@prisma', 'client'), { recursive: true });
  for (const name of ['@types', 'pg', 'express'])
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(modules, name));
  writeFileSync(join(modules, '.prisma', 'client', 'index.d.ts'), PRISMA_CLIENT);
  writeFileSync(
    join(modules, '@prisma', 'client', 'package.json'),
    JSON.stringify({ name: '@prisma/client', types: 'index.d.ts' }),
  );
  writeFileSync(join(modules, '@prisma', 'client', 'index.d.ts'), "export * from '.prisma/client';\n");
  return repo;
}

function found(result: CheckResult): { ruleId: string; file: string; line: number }[] {
  return result.findings
    .filter((f) => ANALYZER_RULES.has(f.ruleId))
    .map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

describe('check --types on the typed-app fixture', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  let untyped: CheckResult;
  let typed: CheckResult;
  beforeAll(async () => {
    repo = typedApp();
    untyped = await runCheck({ preset: 'strict', cwd: repo.dir, cache: false });
    typed = await runCheck({ preset: 'strict', cwd: repo.dir, cache: false, types: true });
  }, 120_000);
  afterAll(() => repo.cleanup());

  it('without types reports what names prove and stays quiet on handlers it cannot read', () => {
    expect(found(untyped)).toEqual(expectedFindings(repo.dir, 'untyped').filter((e) => ANALYZER_RULES.has(e.ruleId)));
    expect(untyped.errors).toEqual([]);
  });

  it('with types finds the unguarded method handler and the data read through a typed client, and drops the misreadings', () => {
    const expected = expectedFindings(repo.dir, 'typed').filter((e) => ANALYZER_RULES.has(e.ruleId));
    expect(expected.map((e) => e.ruleId)).toEqual([
      'require-route-authorization',
      'require-route-authorization',
      'require-tenant-scope',
    ]);
    expect(found(typed)).toEqual(expected);
    expect(typed.errors).toEqual([]);
  });

  it('names the method that guards a route in the inventory', async () => {
    const rows = await listRoutes(repo.dir, { types: true });
    const row = (method: string, path: string) => rows.find((r) => r.method === method && r.path === path);
    expect(row('GET', '/orders')?.guard).toMatch(/^requireUser \(src\/auth\/auth-service\.ts:\d+\)$/);
    expect(row('GET', '/orders/:id')?.guard).toMatch(/^requireUser/);
    expect(row('DELETE', '/orders/:id')).toMatchObject({ guard: null, handlerResolved: true });
    expect(row('GET', '/stats')).toMatchObject({ guard: null, readsOrChangesData: true });
    expect(row('GET', '/health')).toMatchObject({ readsOrChangesData: false });
    const plain = await listRoutes(repo.dir);
    expect(plain.find((r) => r.method === 'DELETE')).toMatchObject({ guard: null, handlerResolved: false });
    const cli = await runCli(['routes', '--types', '--json', '--project', 'tsconfig.json'], repo.dir);
    expect(cli.code).toBe(0);
    const listed = (JSON.parse(cli.stdout) as { routes: { method: string; path: string; guard: string | null }[] })
      .routes;
    expect(listed.find((r) => r.method === 'GET' && r.path === '/orders')?.guard).toMatch(/^requireUser/);
  });

  it('runs from the CLI with --types and keeps the typed result apart in the cache', async () => {
    const cold = await runCli(['check', '--preset', 'strict', '--types', '--format', 'json'], repo.dir);
    expect(cold.code).toBe(1);
    const report = JSON.parse(cold.stdout) as {
      findings: { ruleId: string; line: number; file: string }[];
      project: { tsconfig: string[]; files: number; types: boolean };
    };
    expect(report.project).toEqual({ tsconfig: ['tsconfig.json'], files: 9, types: true });
    expect(report.findings.filter((f) => f.ruleId === 'require-route-authorization')).toHaveLength(2);
    // The warm run without --types must not serve the typed result.
    const warm = await runCli(['check', '--preset', 'strict', '--format', 'json'], repo.dir);
    const plain = JSON.parse(warm.stdout) as { findings: { ruleId: string }[] };
    expect(plain.findings.filter((f) => f.ruleId === 'require-route-authorization')).toHaveLength(0);
  });
});

describe('the type oracle', () => {
  it('answers from the checker without changing the facts (the facts cache holds syntactic facts only)', async () => {
    const repo = typedApp();
    try {
      const { readTsProject, projectSourceFiles } = await import('../../src/analyzer/tsconfig.js');
      const { loadSources } = await import('../../src/analyzer/project.js');
      const { discoverFiles } = await import('../../src/discovery/files.js');
      const tsProject = readTsProject(repo.dir);
      expect(tsProject).toBeDefined();
      const files = projectSourceFiles(await discoverFiles({ root: repo.dir }), tsProject);
      const sources = await loadSources({
        root: repo.dir,
        files,
        texts: new Map(),
        ...(tsProject ? { tsProject } : {}),
      });
      const before = JSON.stringify([...sources.facts]);
      const oracle = createTypeOracle({
        root: repo.dir,
        facts: sources.facts,
        texts: new Map(),
        ...(tsProject ? { tsProject } : {}),
      });
      const app = sources.facts.get('src/app.ts');
      const remove = app?.routes.find((r) => r.method === 'DELETE');
      expect(remove).toBeDefined();
      const target = remove === undefined ? undefined : oracle.handler('src/app.ts', remove.handler);
      expect(target).toEqual({
        file: 'src/orders/orders-controller.ts',
        id: expect.stringMatching(/^remove/) as unknown,
      });
      const stats = sources.facts.get('src/stats/stats-service.ts')?.functions.find((f) => f.id.startsWith('totals'));
      expect(stats?.dataAccess).toBe(false);
      expect(stats === undefined ? false : oracle.dataAccess('src/stats/stats-service.ts', stats)).toBe(true);
      expect(JSON.stringify([...sources.facts])).toBe(before);
      expect(oracle.errors).toEqual([]);
      expect(oracle.resolved).toBeGreaterThan(0);
    } finally {
      repo.cleanup();
    }
  }, 60_000);

  it('names packages the way imports do, DefinitelyTyped included', () => {
    expect(packageOf('/app/node_modules/pg/lib/index.js')).toBe('pg');
    expect(packageOf('/app/node_modules/@types/pg/index.d.ts')).toBe('pg');
    expect(packageOf('/app/node_modules/@types/babel__core/index.d.ts')).toBe('@babel/core');
    expect(packageOf('/app/node_modules/.prisma/client/index.d.ts')).toBe('.prisma/client');
    expect(packageOf('/app/node_modules/@prisma/client/index.d.ts')).toBe('@prisma/client');
    expect(packageOf('/app/src/db.ts')).toBeUndefined();
  });
});
