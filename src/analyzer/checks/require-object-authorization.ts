import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import type { QueryFact } from '../types.js';
import { ID_KEY } from '../request-values.js';
import {
  hasScopeKey,
  membershipLookedUp,
  requestSites,
  RPC_ID_ARGUMENT,
  rpcTarget,
  type RequestSite,
} from './object-evidence.js';
import { rlsEnabledTables, tenantModels } from './require-tenant-scope.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'require-object-authorization',
  description:
    'A row read, changed or deleted by an id from the request carries an owner, membership or tenant condition, or the code checks the caller may touch it.',
  category: 'tenancy',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-639'],
  // Measured on the real-app corpus at precision 0.72 (47 true, 2 false, 16 debatable): strict until
  // single-company staff tools and public widget flows are told apart from multi-user data.
  recommended: 'strict',
});

const WRITE_METHODS =
  /^(?:update|updateMany|upsert|delete|deleteMany|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove|findOneAndUpdate|findOneAndDelete|deleteOne|updateOne|destroy)$/;

const WEBHOOK_FILE = /(?:^|\/)[^/]*webhooks?[^/]*(?:\/|\.[cm]?[jt]sx?$)/i;

function verifiesWebhook(model: ProjectModel, file: string, query: QueryFact): boolean {
  if (query.enclosingFunction === undefined) return false;
  return model.linker.functionById(file, query.enclosingFunction)?.verifies !== undefined;
}

const OWNED_COLUMN =
  /[a-z](?:Id|_id|ID)$|^(?:user|owner|author|creator|created_?by|tenant|org|organization|team|workspace|account|profile|email)$/;

/** The schema (Prisma, Drizzle, migrations) declares the table and none of its columns ties a row to anyone. */
function unowned(model: ProjectModel, query: QueryFact): boolean {
  let columns: readonly string[] | undefined;
  if (query.orm === 'prisma') {
    for (const schema of model.prisma)
      for (const prismaModel of schema.models)
        if (prismaModel.delegate === query.target.name) columns = [...prismaModel.fields, ...prismaModel.columns];
  } else if (query.orm === 'drizzle' || query.orm === 'drizzle-relational') {
    for (const facts of model.linker.facts.values())
      for (const table of facts.drizzleTables)
        if (table.variable === query.target.name || table.table === query.target.name) columns = table.columns;
  }
  return columns !== undefined && columns.length > 0 && !columns.some((column) => OWNED_COLUMN.test(column));
}

function describe(query: QueryFact): string {
  if (query.orm === 'supabase' && query.method === 'rpc') return `${query.receiver}.rpc('${query.target.name}')`;
  if (query.orm === 'prisma') return `${query.receiver}.${query.target.name}.${query.method}()`;
  if (query.orm === 'supabase') return `${query.receiver}.from('${query.target.name}').${query.method}()`;
  if (query.orm === 'model') return `${query.target.name}.${query.method}()`;
  if (query.orm === 'drizzle-relational') return `${query.receiver}.query.${query.target.name}.${query.method}()`;
  return `${query.method} on ${query.target.name}`;
}

/**
 * The filter names an owner or tenant, or is built elsewhere. Through the service-role client (no
 * row level security) an owner or tenant id the request supplies scopes nothing: the caller names it.
 */
function scoped(query: QueryFact, bypassesRls: boolean): boolean {
  const fromRequest = new Set(bypassesRls ? (query.access?.requestKeys ?? []).map((e) => e.key) : []);
  return (
    hasScopeKey(query.keys.filter((key) => !fromRequest.has(key))) ||
    query.helperCalls.length > 0 ||
    query.filterIdentifiers.length > 0
  );
}

function message(query: QueryFact, site: RequestSite): string {
  const rowWhat =
    query.method === 'rpc' ? 'reaches' : WRITE_METHODS.test(query.method) ? 'changes or deletes' : 'reads';
  const fix =
    'Add the owner or tenant from the authenticated session to the filter, or check that the loaded row belongs to the caller before using it.';
  if (site.viaHelper !== undefined)
    return `${site.viaHelper.callee}() gets an id the caller chooses (${site.evidence}) and ${rowWhat} that row by it alone with ${describe(query)} (${site.viaHelper.queryFile}:${String(site.viaHelper.queryLine)}); nothing here or there checks the row belongs to the caller, so any user reaches other users' rows by changing the id (IDOR). ${fix}`;
  return `${describe(query)} ${rowWhat} a row by an id the caller chooses (${site.evidence}) with no owner, membership or tenant condition and no check of the loaded row, so any user reaches other users' rows by changing the id (IDOR). ${fix}`;
}

/** A query that reaches a row by an id the caller chooses, and where that is shown. */
export interface ObjectAccessSite {
  query: QueryFact;
  /** The file of the query (the site may be a handler calling the helper that holds it). */
  queryFile: string;
  site: RequestSite;
  /**
   * Row level security does not hold: a Supabase client made with the service-role key, or an RPC
   * to a SECURITY DEFINER function that never reads the caller.
   */
  serviceRole: boolean;
  /** An RPC to a SECURITY DEFINER function (not the client) is what bypasses row level security. */
  definer?: string;
  /** For an RPC: the columns of the tables the function body names. */
  rpcColumns?: string[];
  /** For an RPC: the tables the function body names. */
  rpcTables?: string[];
  message: string;
}

const SITES = new WeakMap<ProjectModel, ObjectAccessSite[]>();

/**
 * Every query that reads, changes or deletes a row by an id from the request with no owner,
 * membership or tenant condition and no check of the loaded row — with where the request value
 * enters. Shared by this check and `no-unchecked-object-access` (its high-confidence part).
 */
export function objectAccessSites(model: ProjectModel): ObjectAccessSite[] {
  const cached = SITES.get(model);
  if (cached !== undefined) return cached;
  const result: ObjectAccessSite[] = [];
  const tenant = tenantModels(model);
  const tenantPrisma = new Set(tenant.filter((m) => m.orm === 'prisma').map((m) => m.name));
  const tenantDrizzle = new Set(tenant.filter((m) => m.orm === 'drizzle').flatMap((m) => [m.name, m.table]));
  const rls = rlsEnabledTables(model);
  for (const [file, facts] of model.linker.facts) {
    if (isTestFile(file)) continue;
    for (const query of facts.queries) {
      if (query.access === undefined) continue;
      const rpc = rpcTarget(model, query);
      const bypassesRls = (query.orm === 'supabase' && query.serviceRole === true) || rpc?.bypass !== undefined;
      if (scoped(query, bypassesRls)) continue;
      if (query.orm === 'sql') continue;
      // Tenant-scoped models are require-tenant-scope's.
      if (query.orm === 'prisma' && tenantPrisma.has(query.target.name)) continue;
      if ((query.orm === 'drizzle' || query.orm === 'drizzle-relational') && tenantDrizzle.has(query.target.name))
        continue;
      // A webhook's ids come from the provider that signs it, not from a user choosing rows.
      if (WEBHOOK_FILE.test(file) || verifiesWebhook(model, file, query)) continue;
      if (query.orm === 'supabase' && query.method === 'rpc') {
        // An RPC is judged by the function the migrations declare: through the user's client a
        // SECURITY INVOKER function is held to row level security, and so is a definer that reads the caller.
        if (rpc?.bypass === undefined) continue;
      } else if (query.orm === 'supabase') {
        // The user's client is held to row level security; the service-role client is not.
        if (query.serviceRole !== true && rls.has(query.target.name)) continue;
      }
      // A table whose schema has no owner, tenant or parent column holds rows that belong to no one.
      if (unowned(model, query)) continue;
      // So do the tables an RPC's function touches when none of them has one.
      if (rpc !== undefined && !rpc.columns.some((column) => OWNED_COLUMN.test(column))) continue;
      // The caller's membership or role was looked up first: a check written as a query.
      if (membershipLookedUp(facts, query)) continue;
      const serviceRole = bypassesRls;
      const idKey = rpc === undefined ? ID_KEY : RPC_ID_ARGUMENT;
      const sites = requestSites(
        model,
        file,
        query,
        (key) => idKey.test(key) && (serviceRole || !hasScopeKey([key])),
        serviceRole,
      );
      for (const site of sites) {
        if (WEBHOOK_FILE.test(site.file)) continue;
        result.push({
          query,
          queryFile: file,
          site,
          serviceRole,
          ...(rpc?.bypass === 'definer' ? { definer: rpc.fn.name } : {}),
          ...(rpc === undefined ? {} : { rpcColumns: rpc.columns, rpcTables: rpc.tables }),
          message: message(query, site),
        });
      }
    }
  }
  SITES.set(model, result);
  return result;
}

export const requireObjectAuthorization: AnalyzerCheck = {
  meta,
  run(model, sink) {
    for (const { site, message } of objectAccessSites(model))
      sink.add(meta, { file: site.file, span: site.span, message, fix: 'portcullis add tenancy' });
  },
};
