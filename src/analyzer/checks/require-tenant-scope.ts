import { DEFAULT_TENANT_KEYS, snakeCase, tenantKeyOf } from '../tenant-keys.js';
import type { ProjectModel } from '../model.js';
import type { NameRef, QueryFact } from '../types.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'require-tenant-scope',
  description:
    'Every query on a tenant-scoped model or table carries a tenant predicate, directly, via a helper, or in a tenant-scoped client.',
  category: 'tenancy',
  severity: 'high',
  securitySeverity: 8.5,
  cwe: ['CWE-639'],
  recommended: true,
});

/** Functions that run their callback in a tenant-scoped transaction or client, by convention. */
const TENANT_SCOPE_NAME =
  /(?:withTenant|forTenant|asTenant|inTenant|tenantScoped|scopedTo|runAsTenant|tenantDb|tenantClient|withOrg|forOrg|withWorkspace)/i;

export interface TenantModel {
  /** How queries name it: the Prisma delegate (`post`) or the Drizzle table variable (`posts`). */
  name: string;
  orm: 'prisma' | 'drizzle';
  /** The Prisma model name as written in the schema (`Project`). */
  modelName?: string;
  tenantKey: string;
  file: string;
  /** For Drizzle: the file the table is declared in (queries resolve their table reference to it). */
  variable?: string;
}

export function tenantKeys(model: ProjectModel): string[] {
  return [...DEFAULT_TENANT_KEYS, ...model.config.tenantKeys];
}

/** Tenant-scoped models from the schema: Prisma models and Drizzle tables with a tenant key column. */
export function tenantModels(model: ProjectModel): TenantModel[] {
  const keys = tenantKeys(model);
  const result: TenantModel[] = [];
  for (const schema of model.prisma)
    for (const prismaModel of schema.models) {
      const key = tenantKeyOf(prismaModel.fields, keys);
      if (key !== undefined)
        result.push({
          name: prismaModel.delegate,
          modelName: prismaModel.name,
          orm: 'prisma',
          tenantKey: key,
          file: schema.file,
        });
    }
  for (const [file, facts] of model.linker.facts)
    for (const table of facts.drizzleTables) {
      const key = tenantKeyOf(table.columns, keys);
      if (key !== undefined) {
        // The property name queries use (`posts.orgId`), whichever of key/column name matched.
        const property = table.columns.find((column) => column === key || snakeCase(column) === snakeCase(key)) ?? key;
        result.push({ name: table.variable, orm: 'drizzle', tenantKey: property, file, variable: table.variable });
      }
    }
  return result;
}

/** Options for the ESLint rule `require-tenant-filter` when run through check: the schema's tenant-scoped models. */
export function tenantRuleOptions(model: ProjectModel): Record<string, unknown> {
  const models = tenantModels(model);
  if (models.length === 0) return {};
  // Both the client delegate (`project`) and the schema name (`Project`): the rule may match either.
  const names = models.flatMap((m) => (m.modelName === undefined ? [m.name] : [m.name, m.modelName]));
  return { 'require-tenant-filter': { tenantKeys: tenantKeys(model), models: [...new Set(names)].sort() } };
}

function keyMatches(keys: readonly string[], tenantKey: string): boolean {
  const snake = snakeCase(tenantKey);
  const camel = snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const relation = camel.replace(/Id$/, '');
  return keys.some((key) => key === tenantKey || key === snake || key === camel || key === relation);
}

function scopedByContext(model: ProjectModel, file: string, query: QueryFact): boolean {
  const { linker } = model;
  const scopes = (ref: NameRef): boolean => {
    if (TENANT_SCOPE_NAME.test(ref.member ?? ref.name)) return true;
    const resolved = linker.resolve(file, ref);
    return (
      resolved?.kind === 'function' &&
      linker.addsTenantFilter(resolved.file, resolved.fn) &&
      resolved.fn.setsTenantContext
    );
  };
  if (linker.queryTypes(file, query)?.tenantScope !== undefined) return true;
  if (query.receiverFactory !== undefined && scopes(query.receiverFactory)) return true;
  if (TENANT_SCOPE_NAME.test(query.receiver)) return true;
  return query.enclosingCallees.some(scopes);
}

function filteredByHelper(model: ProjectModel, file: string, query: QueryFact, tenantKey: string): boolean {
  const { linker } = model;
  for (const helper of query.helperCalls) {
    const resolved = linker.resolve(file, helper);
    if (resolved?.kind === 'function' && linker.addsTenantFilter(resolved.file, resolved.fn)) return true;
  }
  const facts = linker.facts.get(file);
  for (const identifier of query.filterIdentifiers) {
    const keys = facts?.objectInits[identifier];
    if (keys === undefined) return true; // built elsewhere (a parameter, a computed value): not provably missing
    if (keyMatches(keys, tenantKey)) return true;
  }
  return false;
}

export const requireTenantScope: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const models = tenantModels(model);
    if (models.length === 0) return;
    const prismaModels = new Map(models.filter((m) => m.orm === 'prisma').map((m) => [m.name, m]));
    const drizzleTables = models.filter((m) => m.orm === 'drizzle');
    const { linker } = model;
    for (const [file, facts] of linker.facts) {
      for (const query of facts.queries) {
        let target: TenantModel | undefined;
        if (query.orm === 'prisma') target = prismaModels.get(query.target.name);
        else {
          const resolved = linker.resolve(file, query.target);
          if (resolved?.kind === 'table')
            target = drizzleTables.find((t) => t.file === resolved.file && t.variable === resolved.table.variable);
        }
        if (target === undefined) continue;
        if (keyMatches(query.keys, target.tenantKey)) continue;
        if (linker.queryTypes(file, query)?.notOrm === true) continue;
        if (filteredByHelper(model, file, query, target.tenantKey)) continue;
        if (scopedByContext(model, file, query)) continue;
        const what =
          query.orm === 'prisma'
            ? `${query.receiver}.${query.target.name}.${query.method}()`
            : `${query.method} on ${query.target.name}`;
        sink.add(meta, {
          file,
          span: query.span,
          message: `${what} on tenant-scoped ${query.orm === 'prisma' ? 'model' : 'table'} ${target.name} has no ${target.tenantKey} condition (directly or through a helper), so it can read or change other tenants' rows. Add \`${target.tenantKey}\` from the authenticated session to the ${query.method.startsWith('create') || query.method === 'insert' ? 'data' : 'where clause'}, or run it in the tenant-scoped client.`,
          fix: 'portcullis add tenancy',
        });
      }
    }
  },
};
