import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ProjectModel } from '../model.js';
import { schemaState } from '../schema-state.js';
import type { QueryFact } from '../types.js';
import { edgeFunctionVerifiesCaller } from './require-edge-function-auth.js';
import { objectAccessSites, type ObjectAccessSite } from './require-object-authorization.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, routeName } from './shared.js';

const meta = checkMeta({
  id: 'no-unchecked-object-access',
  description:
    'A handler that never checks who calls does not read or change rows by an id from the request through a client that bypasses row level security; nor does a service-role client reach a row by such an id without tying it to the caller.',
  category: 'tenancy',
  severity: 'high',
  securitySeverity: 8.6,
  cwe: ['CWE-639', 'CWE-306'],
  recommended: true,
});

/** A column that ties a row to a user, a tenant or a parent row (`user_id`, `organizationId`, `chatId`). */
const OWNED_COLUMN =
  /[a-z](?:Id|_id|ID)$|^(?:user|owner|author|creator|created_?by|tenant|org|organization|team|workspace|account|profile)$/;

/**
 * A value the caller must already hold (a widget key, a session id, a token, a one-time code): a
 * public flow that hands out access by capability, not an id to enumerate.
 */
const CAPABILITY = /(?:key|token|secret|session|nonce|code|pin)(?:Id|_id)?$/i;

/** A signed-in user's token checked (as opposed to a machine caller's shared secret or signature). */
const USER_AUTH =
  /\.auth\s*\.\s*getUser\s*\(|\bgetClaims\s*\(|\b(?:require|get|verify)(?:User|Session|AuthUser|AuthenticatedUser|CurrentUser)\w*\s*\(/;

/** `supabase/functions/<name>/…`: the function's entry point. */
const EDGE_FUNCTION = /^((?:.*\/)?supabase\/functions\/)([^/_.][^/]*)\//;

const WRITE_METHODS =
  /^(?:update|updateMany|upsert|delete|deleteMany|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove|findOneAndUpdate|findOneAndDelete|deleteOne|updateOne|destroy)$/;

/** The columns the schema (migrations, Prisma, Drizzle) gives the queried table; undefined when it does not declare it. */
function columnsOf(model: ProjectModel, access: ObjectAccessSite): readonly string[] | undefined {
  const { query } = access;
  if (access.rpcColumns !== undefined) return access.rpcColumns;
  if (query.orm === 'supabase') {
    const table = schemaState(model.sql).table('public', query.target.name);
    return table?.declared === undefined ? undefined : [...table.columns];
  }
  if (query.orm === 'prisma') {
    for (const schema of model.prisma)
      for (const prismaModel of schema.models)
        if (prismaModel.delegate === query.target.name) return [...prismaModel.fields, ...prismaModel.columns];
    return undefined;
  }
  if (query.orm === 'drizzle' || query.orm === 'drizzle-relational')
    for (const facts of model.linker.facts.values())
      for (const table of facts.drizzleTables)
        if (table.variable === query.target.name || table.table === query.target.name) return table.columns;
  return undefined;
}

/** The row is tied to someone: the schema gives it an owner, tenant or parent column, or the filter names one. */
function owned(model: ProjectModel, access: ObjectAccessSite): boolean {
  const columns = columnsOf(model, access);
  if (columns?.some((column) => OWNED_COLUMN.test(column)) === true) return true;
  // An RPC's arguments name the function's parameters, not columns.
  if (access.rpcColumns !== undefined) return false;
  return access.query.keys.some((key) => key !== 'id' && OWNED_COLUMN.test(key));
}

/** The last name of a value's source (`req.json().sessionId` → `sessionId`). */
function sourceName(source: string): string {
  return /([A-Za-z_$][\w$]*)\W*$/.exec(source)?.[1] ?? source;
}

/**
 * In the handler, a row is looked up by a capability from the request (`.eq('widget_key', widgetKey)`)
 * or the id itself is one (`sessionId`): a public flow whose callers hold a bearer value.
 */
function capabilityFlow(model: ProjectModel, access: ObjectAccessSite, scope: (query: QueryFact) => boolean): boolean {
  const { query, queryFile } = access;
  // The row itself is found by a capability column (`session_id`, `widget_key`), or a helper's parameter is one.
  if (query.keys.some((key) => key !== 'id' && CAPABILITY.test(key))) return true;
  // A row of a sessions or tokens table: its id is the bearer value itself (`widget_chat_sessions`).
  if ((access.rpcTables ?? [query.target.name]).some((table) => /(?:session|token|nonce)s?$/i.test(table))) return true;
  // A function that works a queue (`claim_queue_row(p_queue_id)`) is handed the row's id by the system that wakes it.
  if (access.rpcTables?.some((table) => /queues?$/i.test(table)) === true) return true;
  const helperParams = (query.access?.paramKeys ?? []).map(
    (param) => param.prop ?? model.linker.functionById(queryFile, param.fn)?.params[param.index] ?? '',
  );
  if (access.site.viaHelper !== undefined && helperParams.some((name) => CAPABILITY.test(name))) return true;
  const queries = model.linker.facts.get(access.site.file)?.queries ?? [];
  const own = access.site.viaHelper === undefined ? (query.access?.requestKeys ?? []) : [];
  return [...own, ...queries.filter(scope).flatMap((query) => query.access?.requestKeys ?? [])].some(
    (entry) => CAPABILITY.test(entry.key) || CAPABILITY.test(sourceName(entry.source)),
  );
}

interface CallerPath {
  /** `edge function "x"`, `POST /api/x`, `Server Action deleteChat`, `AI tool updateDocument`. */
  what: string;
  authenticated: boolean;
  /** An AI SDK tool's `execute`: the model picks the id, for the signed-in user in scope. */
  aiTool?: true;
  /** Whether a query of the site's file belongs to the same handler. */
  contains: (query: QueryFact) => boolean;
}

/**
 * An AI SDK tool's `execute` the site sits in, made where a session is in scope: the tool acts for
 * that signed-in user on an id the model chose. A tool with no caller in scope is not judged.
 */
function aiToolPath(model: ProjectModel, access: ObjectAccessSite): CallerPath | undefined {
  const { file, span } = access.site;
  const tool = model.linker.facts
    .get(file)
    ?.functions.find((fn) => fn.aiTool !== undefined && fn.span.line <= span.line && span.line <= fn.span.endLine);
  if (tool?.aiTool?.session !== true) return undefined;
  return {
    what: `AI tool ${tool.aiTool.name}`,
    authenticated: true,
    aiTool: true,
    contains: (query) => query.span.line >= tool.span.line && query.span.line <= tool.span.endLine,
  };
}

/** The request handler the site sits in, and whether it checks who calls; undefined when it is in none. */
function callerPath(model: ProjectModel, access: ObjectAccessSite): CallerPath | undefined {
  const { file, span } = access.site;
  const edge = EDGE_FUNCTION.exec(file);
  if (edge !== null) {
    const entry = `${edge[1] ?? ''}${edge[2] ?? ''}/index.ts`;
    const verified = edgeFunctionVerifiesCaller(model, entry);
    // A machine caller proven by a shared secret or a signature is trusted with the ids it sends.
    if (verified === true && !USER_AUTH.test(readFileSync(join(model.root, entry), 'utf8'))) return undefined;
    return verified === undefined
      ? undefined
      : { what: `edge function "${edge[2] ?? ''}"`, authenticated: verified, contains: () => true };
  }
  const routes = model.routes.filter(
    (route) =>
      route.handlerFn !== undefined &&
      route.handlerFn.file === file &&
      route.handlerFn.fn.span.line <= span.line &&
      span.line <= route.handlerFn.fn.span.endLine,
  );
  if (routes.length === 0) return aiToolPath(model, access);
  // A route public by nature (sign-in, a health probe) or marked public, or a webhook, is not judged here.
  if (routes.some((route) => route.publicReason !== undefined || route.webhook)) return undefined;
  const route = routes.find((candidate) => candidate.guard === undefined) ?? routes[0];
  if (route?.handlerFn === undefined) return undefined;
  const { fn } = route.handlerFn;
  return {
    what: routeName(route),
    authenticated: route.guard !== undefined,
    contains: (query) => query.span.line >= fn.span.line && query.span.line <= fn.span.endLine,
  };
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
 * The high-confidence part of `require-object-authorization`: a row reached by a request id on a
 * path that bypasses row level security (the service-role key, or a server-side ORM with no RLS)
 * and either never checks who calls or — through the service-role client — never ties the row to
 * the caller it checked. The row's table must have an owner, tenant or parent column in the schema.
 */
export const noUncheckedObjectAccess: AnalyzerCheck = {
  meta,
  run(model, sink) {
    for (const access of objectAccessSites(model)) {
      const { query, site } = access;
      if (!owned(model, access)) continue;
      const path = callerPath(model, access);
      if (path === undefined) continue;
      if (path.authenticated) {
        // A signed-in caller through a server ORM: whether every user may reach every row is strict's
        // question — unless an AI tool picks the row: its input is whatever the prompt steered the model to.
        if (!access.serviceRole && path.aiTool !== true) continue;
      } else if (capabilityFlow(model, access, path.contains)) continue;
      const rowWhat =
        query.method === 'rpc' ? 'reaches' : WRITE_METHODS.test(query.method) ? 'changes or deletes' : 'reads';
      const via =
        site.viaHelper === undefined
          ? describe(query)
          : `${site.viaHelper.callee}() (${describe(query)}, ${site.viaHelper.queryFile}:${String(site.viaHelper.queryLine)})`;
      const bypass =
        access.definer !== undefined
          ? `through SECURITY DEFINER function ${access.definer}(), which bypasses row level security and never checks the caller`
          : access.serviceRole
            ? 'with the service-role key, which bypasses row level security'
            : 'with a server-side database client (no row level security)';
      const evidence = path.aiTool ? site.evidence.replace('the request', "the tool's input") : site.evidence;
      const message = path.aiTool
        ? `${via} ${rowWhat} a row by an id the model chooses (${evidence}) ${bypass}; ${path.what} acts for the signed-in user in scope but never compares the row's owner with them, and a tool's input is whatever the prompt steers the model to (the user asks, or text injected into a document or a web page), so another user's row is read or changed by naming its id (IDOR). Compare the loaded row's owner with the session user, or query by the id and the user's id.`
        : path.authenticated
          ? `${via} ${rowWhat} a row by an id the caller chooses (${evidence}) ${bypass}; ${path.what} checks that the caller is signed in but nothing ties the row to them, so any user reaches other users' or tenants' rows by changing the id (IDOR). Add the caller's user or organization to the filter, or check the loaded row belongs to them.`
          : `${via} ${rowWhat} a row by an id the caller chooses (${evidence}) ${bypass}, and ${path.what} never checks who calls: anyone reaches any user's or tenant's rows by changing the id (IDOR). Authenticate the caller first, then add their user or organization to the filter or check the loaded row belongs to them.`;
      sink.add(meta, { file: site.file, span: site.span, message, fix: 'portcullis add tenancy' });
    }
  },
};
