import { isTestFile } from '../../detectors/test-files.js';
import { DEFAULT_TENANT_KEYS, snakeCase, tenantKeyOf } from '../tenant-keys.js';
import type { ProjectModel } from '../model.js';
import { readSqlQuery, type SqlTableInfo, type SqlTableLookup, type SqlTableUse } from '../sql-query.js';
import type { NameRef, QueryFact } from '../types.js';
import { hasScopeKey, keyParts, requestSites, type RequestSite } from './object-evidence.js';
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
  /** The database table (`@@map` or the model name; the Drizzle table name). */
  table: string;
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
          table: prismaModel.table,
        });
    }
  for (const [file, facts] of model.linker.facts)
    for (const table of facts.drizzleTables) {
      const key = tenantKeyOf(table.columns, keys);
      if (key !== undefined) {
        // The property name queries use (`posts.orgId`), whichever of key/column name matched.
        const property = table.columns.find((column) => column === key || snakeCase(column) === snakeCase(key)) ?? key;
        result.push({
          name: table.variable,
          orm: 'drizzle',
          tenantKey: property,
          file,
          variable: table.variable,
          table: table.table,
        });
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

function keyMatches(written: readonly string[], tenantKey: string): boolean {
  const keys = written.flatMap(keyParts);
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
  // The same function first sets the tenant for row level security (`set_config('app.tenant_id', …)`).
  const enclosing =
    query.enclosingFunction === undefined ? undefined : linker.functionById(file, query.enclosingFunction);
  if (enclosing?.setsTenantContext === true) return true;
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

interface TableState {
  columns: string[];
  rls: boolean;
  forced: boolean;
  policies: Set<string>;
}

function tableKey(schema: string | undefined, name: string): string {
  return `${schema ?? 'public'}.${name}`;
}

/** Tables created by the migrations, in order, with their row level security state at the end. */
function migrationTables(model: ProjectModel): Map<string, TableState> {
  const tables = new Map<string, TableState>();
  for (const file of model.sql)
    for (const event of file.events) {
      if (event.kind === 'create-table') {
        // CREATE TABLE IF NOT EXISTS on an existing table is a no-op: its RLS and policies stay.
        if (event.ifNotExists && tables.has(tableKey(event.table.schema, event.table.name))) continue;
        tables.set(tableKey(event.table.schema, event.table.name), {
          columns: event.table.columns,
          rls: false,
          forced: false,
          policies: new Set(),
        });
      } else if (event.kind === 'drop-table') tables.delete(tableKey(event.schema, event.name));
      else if (event.kind === 'rename-table') {
        const state = tables.get(tableKey(event.schema, event.name));
        tables.delete(tableKey(event.schema, event.name));
        if (state !== undefined) tables.set(tableKey(event.schema, event.to), state);
      } else if (event.kind === 'rls') {
        const state = tables.get(tableKey(event.schema, event.name));
        if (state === undefined) continue;
        if (event.action === 'enable' || event.action === 'disable') state.rls = event.action === 'enable';
        else state.forced = event.action === 'force';
      } else if (event.kind === 'policy')
        tables.get(tableKey(event.policy.schema, event.policy.table))?.policies.add(event.policy.name);
      else if (event.kind === 'drop-policy')
        tables.get(tableKey(event.schema, event.table))?.policies.delete(event.name);
    }
  return tables;
}

/**
 * Tables the database holds to a tenant: row level security enabled AND forced (owners bypass it
 * otherwise) with at least one policy. Queries on them are scoped by the connection, not the text.
 */
export function rlsProtectedTables(model: ProjectModel): Set<string> {
  const protectedTables = new Set<string>();
  for (const [key, state] of migrationTables(model))
    if (state.rls && state.forced && state.policies.size > 0) protectedTables.add(key);
  return protectedTables;
}

/** Tables (public schema) with row level security enabled: a user's Supabase client sees only what policies allow (none: nothing). */
export function rlsEnabledTables(model: ProjectModel): Set<string> {
  const enabled = new Set<string>();
  for (const [key, state] of migrationTables(model))
    if (state.rls && key.startsWith('public.')) enabled.add(key.slice('public.'.length));
  return enabled;
}

interface KnownTable extends SqlTableInfo {
  schema?: string;
}

/** Every table the project declares (Prisma, Drizzle, migrations), by database name, with its tenant column. */
export function sqlTableLookup(model: ProjectModel): { lookup: SqlTableLookup; tenantTables: Set<string> } {
  const keys = tenantKeys(model);
  const byName = new Map<string, KnownTable[]>();
  const add = (name: string, table: KnownTable): void => {
    byName.set(name, [...(byName.get(name) ?? []), table]);
  };
  for (const schema of model.prisma)
    for (const prismaModel of schema.models) {
      const key = tenantKeyOf(prismaModel.fields, keys);
      const column = key === undefined ? undefined : prismaModel.columns[prismaModel.fields.indexOf(key)];
      add(prismaModel.table, {
        columns: [...prismaModel.columns, ...prismaModel.fields],
        ...(column === undefined ? {} : { tenantColumn: column }),
      });
    }
  for (const facts of model.linker.facts.values())
    for (const table of facts.drizzleTables) {
      const key = tenantKeyOf(table.columns, keys);
      // The database name (`org_id`) when the table maps the property (`orgId: uuid('org_id')`).
      const column =
        key === undefined
          ? undefined
          : (table.columns.find((c) => c !== key && snakeCase(c) === snakeCase(key)) ?? key);
      add(table.table, { columns: table.columns, ...(column === undefined ? {} : { tenantColumn: column }) });
    }
  for (const [key, state] of migrationTables(model)) {
    const at = key.indexOf('.');
    const tenant = tenantKeyOf(state.columns, keys);
    add(key.slice(at + 1), {
      schema: key.slice(0, at),
      columns: state.columns,
      ...(tenant === undefined ? {} : { tenantColumn: tenant }),
    });
  }
  const tenantTables = new Set<string>();
  for (const [name, tables] of byName) if (tables.some((t) => t.tenantColumn !== undefined)) tenantTables.add(name);
  const lookup: SqlTableLookup = (schema, name) => {
    const found = (byName.get(name) ?? []).filter((t) =>
      schema === undefined || schema === 'public' ? (t.schema ?? 'public') === 'public' : t.schema === schema,
    );
    if (found.length === 0) return undefined;
    const tenantColumn = found.find((t) => t.tenantColumn !== undefined)?.tenantColumn;
    return {
      columns: [...new Set(found.flatMap((t) => t.columns ?? []))],
      ...(tenantColumn === undefined ? {} : { tenantColumn }),
    };
  };
  return { lookup, tenantTables };
}

/** The tenant-scoped tables a statement reaches without a tenant condition (after RLS and filter subqueries). */
function unscopedUses(
  sql: string,
  lookup: SqlTableLookup,
  tenantTables: ReadonlySet<string>,
  rls: ReadonlySet<string>,
): SqlTableUse[] {
  // Cheap gate: a table the text never names cannot be reached; the grammar loads only when one is.
  const lower = sql.toLowerCase();
  if (![...tenantTables].some((name) => lower.includes(name.toLowerCase()))) return [];
  const reading = readSqlQuery(sql, lookup);
  if (!reading.parsed) return [];
  const seen = new Set<string>();
  return reading.uses.filter((use) => {
    if (use.tenantColumn === undefined || use.scoped || use.opaque || use.feedsFilter) return false;
    if (rls.has(tableKey(use.schema, use.table))) return false;
    const key = `${use.statement}\u0000${tableKey(use.schema, use.table)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `\`id\` comes from the request (…)`, or for a handler that calls a helper, the helper and where its query is. */
function siteEvidence(site: RequestSite, file: string, query: QueryFact): string {
  if (site.viaHelper === undefined) return site.evidence;
  return `${site.evidence}, passed to ${site.viaHelper.callee}() whose query at ${file}:${String(query.span.line)} uses it`;
}

function sqlApi(query: QueryFact): string {
  if (query.method === 'sql')
    return `${query.target.member === undefined ? query.target.name : `${query.target.name}.${query.target.member}`}\`…\``;
  if (query.method === '$queryRaw' || query.method === '$executeRaw')
    return query.target.member === undefined ? `${query.method}\`…\`` : `${query.target.name}.${query.method}\`…\``;
  return `${query.receiver === '' ? '' : `${query.receiver}.`}${query.method}()`;
}

function sqlMessage(query: QueryFact, uses: readonly SqlTableUse[], site: RequestSite, file: string): string {
  const evidence = siteEvidence(site, file, query);
  const [first] = uses;
  const tables = uses.map(
    (use) => `${use.statement.toUpperCase()} on ${use.schema === undefined ? '' : `${use.schema}.`}${use.table}`,
  );
  const name = first?.tenantColumn ?? 'tenant_id';
  // Postgres folds unquoted names to lower case: `"tenantId"` must be quoted to be found.
  const column = /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name}"`;
  const insert = uses.every((use) => use.statement === 'insert');
  const what = `${tables.join(' and ')}, ${uses.length === 1 ? 'a tenant-scoped table' : 'tenant-scoped tables'}`;
  return insert
    ? `${sqlApi(query)} runs ${what}, without setting ${column} (${evidence}), so the row belongs to no tenant or to whichever tenant the caller names. Insert ${column} from the authenticated session, or run the query in the tenant-scoped transaction (row level security).`
    : `${sqlApi(query)} runs ${what}, with no ${column} condition (none in the WHERE/JOIN conditions outside OR branches) while ${evidence}, so it can read or change other tenants' rows. Add \`AND ${column} = $n\` bound to the tenant from the authenticated session, or run the query in the tenant-scoped transaction (row level security).`;
}

export const requireTenantScope: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const models = tenantModels(model);
    const prismaModels = new Map(models.filter((m) => m.orm === 'prisma').map((m) => [m.name, m]));
    const drizzleTables = models.filter((m) => m.orm === 'drizzle');
    const rls = rlsProtectedTables(model);
    const { lookup, tenantTables } = sqlTableLookup(model);
    if (models.length === 0 && tenantTables.size === 0) return;
    const { linker } = model;
    for (const [file, facts] of linker.facts) {
      // Tests set up and inspect every tenant's rows on purpose.
      if (isTestFile(file)) continue;
      for (const query of facts.queries) {
        if (query.orm === 'sql') {
          if (query.sql === undefined || tenantTables.size === 0) continue;
          const uses = unscopedUses(query.sql, lookup, tenantTables, rls);
          if (uses.length === 0 || scopedByContext(model, file, query)) continue;
          for (const site of requestSites(model, file, query, () => true))
            sink.add(meta, {
              file: site.file,
              span: site.span,
              message: sqlMessage(query, uses, site, file),
              fix: 'portcullis add tenancy',
            });
          continue;
        }
        if (query.orm === 'supabase' || query.orm === 'model') continue;
        let target: TenantModel | undefined;
        if (query.orm === 'prisma') target = prismaModels.get(query.target.name);
        else if (query.orm === 'drizzle-relational') {
          // `db.query.<key>`: the key is the schema object's key, normally the table variable's name.
          const key = query.target.name;
          target = drizzleTables.find((t) => t.variable === key) ?? drizzleTables.find((t) => t.table === key);
        } else {
          const resolved = linker.resolve(file, query.target);
          if (resolved?.kind === 'table')
            target = drizzleTables.find((t) => t.file === resolved.file && t.variable === resolved.table.variable);
        }
        if (target === undefined) continue;
        if (rls.has(tableKey(undefined, target.table))) continue;
        if (keyMatches(query.keys, target.tenantKey)) continue;
        if (linker.queryTypes(file, query)?.notOrm === true) continue;
        if (filteredByHelper(model, file, query, target.tenantKey)) continue;
        if (scopedByContext(model, file, query)) continue;
        // Filtered by the caller's own row (`userId`, `email`): the row is the caller's, whatever its tenant.
        if (hasScopeKey(query.keys)) continue;
        const tenantKey = target.tenantKey;
        const sites = requestSites(model, file, query, (key) => !keyMatches([key], tenantKey));
        const what =
          query.orm === 'prisma'
            ? `${query.receiver}.${query.target.name}.${query.method}()`
            : query.orm === 'drizzle-relational'
              ? `${query.receiver}.query.${query.target.name}.${query.method}()`
              : `${query.method} on ${query.target.name}`;
        for (const site of sites)
          sink.add(meta, {
            file: site.file,
            span: site.span,
            message: `${what} on tenant-scoped ${query.orm === 'prisma' ? 'model' : 'table'} ${target.name} has no ${target.tenantKey} condition (directly or through a helper) while ${siteEvidence(site, file, query)}, so a caller can read or change other tenants' rows by changing that value. Add \`${target.tenantKey}\` from the authenticated session to the ${query.method.startsWith('create') || query.method === 'insert' ? 'data' : 'where clause'}, or run it in the tenant-scoped client.`,
            fix: 'portcullis add tenancy',
          });
      }
    }
  },
};
