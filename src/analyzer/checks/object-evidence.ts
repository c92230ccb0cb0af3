import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import { SCOPE_KEY } from '../request-values.js';
import { schemaState, type FunctionState } from '../schema-state.js';
import type { FileFacts, QueryFact, Span } from '../types.js';
import { checksCaller } from './require-definer-auth-check.js';

/** `teamId_userId`, `id_projectId`: a Prisma compound unique key names each of its fields. */
export function keyParts(key: string): string[] {
  return key.includes('_') && /[A-Z]/.test(key) ? [key, ...key.split('_')] : [key];
}

/** The filter names an owner, membership or tenant field (`userId`, `org_id`, `id_projectId`). */
export function hasScopeKey(keys: readonly string[]): boolean {
  return keys.some((key) => keyParts(key).some((part) => SCOPE_KEY.test(part)));
}

/** Names of a tenant's id (a procedure's middleware checks membership of `input.projectId`). */
const TENANT_NAME = /^(?:tenant|org|organization|workspace|team|account|project|company|group|space)(?:_?id)?$/i;

/** The last name of a value's source (`input.projectId` → `projectId`). */
function sourceName(source: string): string {
  return /([A-Za-z_$][\w$]*)\W*$/.exec(source)?.[1] ?? source;
}

/**
 * An earlier query in the same function looked the same request value up with an owner or tenant
 * condition (`findFirst({ where: { id: input.id, projectId } })`, then a not-found answer): the row
 * the later query reaches by that id was already shown to be the caller's.
 */
function lookedUpWithScope(facts: FileFacts | undefined, query: QueryFact, sources: ReadonlySet<string>): boolean {
  if (facts === undefined || query.enclosingFunction === undefined) return false;
  return facts.queries.some(
    (other) =>
      other !== query &&
      // An RPC's arguments name the function's parameters: `org_id` passed in filters nothing by itself.
      other.method !== 'rpc' &&
      other.offset < query.offset &&
      other.enclosingFunction === query.enclosingFunction &&
      hasScopeKey(other.keys) &&
      (other.access?.requestKeys ?? []).some((entry) => sources.has(entry.source)),
  );
}

/**
 * Positive evidence that the caller picks the row a query reaches: a filter value taken from the
 * request in the same handler, or a parameter of a helper that some handler calls with a request
 * value (and no access check around that call). Absence of a tenant key alone is not evidence.
 */
interface Caller {
  file: string;
  span: Span;
  /** `0` (the whole argument) or `0.chatId` (a property of it). */
  arg: string;
  callee: string;
}

const callerIndex = new WeakMap<ProjectModel, Map<string, Caller[]>>();

/** Calls that pass a request value on to a project function, by the callee's `file#id`. */
function requestCallers(model: ProjectModel): Map<string, Caller[]> {
  let callers = callerIndex.get(model);
  if (callers !== undefined) return callers;
  callers = new Map();
  for (const [file, facts] of model.linker.facts) {
    if (isTestFile(file)) continue;
    const seen = new Set<number>();
    for (const fn of facts.functions)
      for (const call of fn.calls) {
        // A call inside a nested function is listed by every function around it.
        if (call.requestArgs === undefined || call.requestSpan === undefined || seen.has(call.offset)) continue;
        seen.add(call.offset);
        const resolved = model.linker.resolve(file, call.callee);
        if (resolved?.kind !== 'function') continue;
        const key = `${resolved.file}#${resolved.fn.id}`;
        const callee = call.callee.member ?? call.callee.name;
        for (const arg of call.requestArgs)
          callers.set(key, [...(callers.get(key) ?? []), { file, span: call.requestSpan, arg, callee }]);
      }
  }
  callerIndex.set(model, callers);
  return callers;
}

/** Where to report and what shows the caller picks the row. */
export interface RequestSite {
  file: string;
  span: Span;
  /** `\`id\` comes from the request (req.params.id)`. */
  evidence: string;
  /** Reported at a handler that passes the value to a helper (not at the query itself). */
  viaHelper?: { callee: string; queryFile: string; queryLine: number };
}

function keyText(key: string): string {
  return /^\$\d+$/.test(key) ? 'a bound value' : `\`${key}\``;
}

/**
 * What shows the caller chooses the row, for the filter keys `counts` accepts: the query itself when
 * the request value is read in the same function, else each handler call that fills the helper's
 * parameter from the request with no access check around it. Empty when nothing does.
 */
export function requestSites(
  model: ProjectModel,
  file: string,
  query: QueryFact,
  counts: (key: string) => boolean,
  tenantIds = false,
): RequestSite[] {
  const access = query.access;
  if (access === undefined || access.checked) return [];
  // A value named after a tenant (`input.projectId`) is the tenant id itself, which a procedure's
  // middleware checks (no-untrusted-tenant-id's), unless the caller asks to count it.
  const requestKeys = access.requestKeys.filter(
    (entry) => counts(entry.key) && (tenantIds || !TENANT_NAME.test(sourceName(entry.source))),
  );
  if (
    requestKeys.length > 0 &&
    lookedUpWithScope(model.linker.facts.get(file), query, new Set(requestKeys.map((e) => e.source)))
  )
    return [];
  const [direct] = requestKeys;
  if (direct !== undefined)
    return [{ file, span: query.span, evidence: `${keyText(direct.key)} comes from the request (${direct.source})` }];
  const sites: RequestSite[] = [];
  const seen = new Set<string>();
  for (const param of access.paramKeys ?? []) {
    if (!counts(param.key)) continue;
    for (const caller of requestCallers(model).get(`${file}#${param.fn}`) ?? []) {
      const [index, prop] = caller.arg.split('.');
      if (index !== String(param.index) || (prop !== undefined && param.prop !== undefined && prop !== param.prop))
        continue;
      if (prop !== undefined && param.prop === undefined) continue;
      const at = `${caller.file}:${String(caller.span.line)}:${String(caller.span.column)}`;
      if (seen.has(at)) continue;
      seen.add(at);
      sites.push({
        file: caller.file,
        span: caller.span,
        evidence: `${keyText(param.key)} is filled from the request here`,
        viaHelper: { callee: caller.callee, queryFile: file, queryLine: query.span.line },
      });
    }
  }
  return sites;
}

/** The caller's own id in a filter: a membership or role lookup for the signed-in user. */
const USER_KEY = /^(?:user_?id|userId|profile_?id|profileId|member_?id|memberId|auth_?user_?id)$/;
/** Tables that answer "may this user act here": memberships, roles, permissions. */
const MEMBERSHIP_TABLE = /member|role|permission|admin|collaborator|access/i;
const TENANT_KEY = /^(?:tenant|org|organization|workspace|team|account|company)_?id$/i;

/**
 * Earlier in the same function the caller's own membership or role was looked up — a check written
 * as a query (`.from('organization_memberships').eq('user_id', user.id).eq('organization_id', row.organization_id)`).
 */
export function membershipLookedUp(facts: FileFacts | undefined, query: QueryFact): boolean {
  if (facts === undefined || query.enclosingFunction === undefined) return false;
  return facts.queries.some(
    (other) =>
      other !== query &&
      other.offset < query.offset &&
      other.enclosingFunction === query.enclosingFunction &&
      other.keys.some((key) => USER_KEY.test(key)) &&
      (other.keys.some((key) => TENANT_KEY.test(key)) || MEMBERSHIP_TABLE.test(other.target.name)),
  );
}

/** Tables a function body reads or writes (`from public.file_items`, `update posts set`, `insert into x`). */
const BODY_TABLE = /\b(?:from|join|update|into)\s+(?:only\s+)?(?:"?public"?\s*\.\s*)?"?([A-Za-z_][\w$]*)"?/gi;

/** What a `supabase.rpc('fn', { … })` call reaches: the function, the tables its body touches, why RLS does not hold. */
export interface RpcTarget {
  fn: FunctionState;
  /** Columns of every table the function body names that the schema declares. */
  columns: string[];
  /** The declared tables the function body names. */
  tables: string[];
  /** `service-role`: the client bypasses row level security; `definer`: the function runs as its owner and never reads the caller. */
  bypass?: 'service-role' | 'definer';
}

/**
 * The Postgres function an RPC call runs, as the migrations leave it; undefined when the call is no
 * RPC or the migrations do not declare the function (nothing to judge it by).
 */
export function rpcTarget(model: ProjectModel, query: QueryFact): RpcTarget | undefined {
  if (query.orm !== 'supabase' || query.method !== 'rpc') return undefined;
  const state = schemaState(model.sql);
  const fn = state.function('public', query.target.name);
  if (fn === undefined) return undefined;
  const columns: string[] = [];
  const tables: string[] = [];
  for (const match of fn.body.matchAll(BODY_TABLE)) {
    const table = state.table('public', (match[1] ?? '').toLowerCase()) ?? state.table('public', match[1] ?? '');
    if (table?.declared === undefined) continue;
    columns.push(...table.columns);
    tables.push(table.name);
  }
  const bypass =
    query.serviceRole === true
      ? ('service-role' as const)
      : fn.securityDefiner && !checksCaller(state, fn)
        ? ('definer' as const)
        : undefined;
  return { fn, columns, tables, ...(bypass === undefined ? {} : { bypass }) };
}

/** An RPC argument that names rows: one id or a list of them (`file_ids`, `p_document_id`, `ids`). */
export const RPC_ID_ARGUMENT = /^(?:ids?|uuids?)$|[a-z](?:Ids?|IDs?|_ids?|Uuids?|_uuids?)$/;
