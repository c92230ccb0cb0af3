/** Facts read from one source file. Plain JSON, so they can be cached by content hash. */

export type { Span } from '../catalog/finding.js';
import type { Span } from '../catalog/finding.js';

/** A name as written at a call or reference: `helper` or `ns.helper` (`ns` an import namespace or object). */
export interface NameRef {
  name: string;
  member?: string;
}

/** A project function a name was resolved to by the type checker (`--types`). */
export interface FunctionTarget {
  file: string;
  id: string;
}

export interface CallFact {
  callee: NameRef;
  offset: number;
  /** Ids of functions passed inline as arguments (`withTenant(id, async (tx) => …)`). */
  callbackIds?: string[];
  /** With `--types`: the declaration the checker resolved the callee to (methods, re-exports, aliases). */
  target?: FunctionTarget;
  /** An option turns authentication off for this call (`{ skipAuth: true }`, `{ credentialsRequired: false }`). */
  authOff?: true;
  /**
   * Arguments the request supplies, when no access check surrounds the call: `0` for a whole argument
   * (`getPost(req.params.id)`), `0.chatId` for a property of an object argument (`update({ chatId })`).
   */
  requestArgs?: string[];
  /** Where the call is, when it passes request values on. */
  requestSpan?: Span;
}

export interface FunctionFact {
  /** The local binding name, or `<anonymous@line:column>` for inline functions. */
  id: string;
  span: Span;
  start: number;
  end: number;
  readsSession: boolean;
  denies: boolean;
  /** The function itself verifies a token (jose `jwtVerify`, `jwt.verify`, Fastify `request.jwtVerify`). */
  verifiesToken: boolean;
  dataAccess: boolean;
  /** Offset of the first call to a webhook signature verifier. */
  verifies?: number;
  /** Offset of the first use of a parsed request body (outside a verifier's arguments). */
  bodyUse?: number;
  /** An object literal with a tenant key is returned (a helper that adds the tenant filter). */
  returnsTenantKey: boolean;
  /** The local name the function returns (`return router;`): a router factory when that name is a router. */
  returnsName?: string;
  /** Sets the tenant for row-level security (`set_config('app.tenant_id', …)`) or scopes a client by tenant. */
  setsTenantContext: boolean;
  /** Reads a tenant-key property (`posts.orgId`): a Drizzle helper that builds the tenant condition. */
  referencesTenantKey: boolean;
  params: string[];
  calls: CallFact[];
  /**
   * `if (!user) throw …` / `redirect('/login')` (`throw`: guards every caller) or `if (!user) return …`
   * (`return`: guards only this function) after the caller's identity is read.
   */
  guardClause?: 'throw' | 'return';
  /** Offset of the call the function only delegates to (`return impl(args)` as its whole body). */
  delegates?: number;
  /**
   * Where the function turns away a request without a session, with the request conditions under
   * which each place is reached (read for middleware and the helpers and callbacks it uses).
   */
  denySites?: DenySite[];
  /** `async`, or a declared `Promise<…>` return type: a call's value is a Promise. */
  async?: true;
  /**
   * The `execute` of an AI SDK tool (`tool({ inputSchema, execute })`): the name it is given, and
   * whether a session or user is in scope around it (the signed-in caller the tool acts for).
   */
  aiTool?: { name: string; session: boolean };
}

/** A call whose value is read as true or false (`if (!isOwner(user, id))`), not awaited. */
export interface ConditionCallFact {
  callee: NameRef;
  span: Span;
  /** Under `!`. */
  negated: boolean;
  /** The call as written, cut short. */
  text: string;
}

/**
 * A condition on the incoming request, read under the assumption that the caller has no session
 * (session reads are falsy): path and method tests stay symbolic, anything else is `unknown`.
 */
export type RequestCondition =
  | { kind: 'always' }
  | { kind: 'never' }
  | { kind: 'unknown'; text: string }
  /** `pathname.startsWith(…)`, `pathname === …`, `/re/.test(pathname)`, Clerk `createRouteMatcher([…])(req)`. */
  | { kind: 'path'; test: 'prefix' | 'equals' | 'regex' | 'patterns'; values: string[] }
  | { kind: 'method'; method: string }
  /** A call to an imported function: a route matcher made in another file (`createRouteMatcher`), read at link time. */
  | { kind: 'matcher'; ref: NameRef }
  | { kind: 'not'; of: RequestCondition }
  | { kind: 'and' | 'or'; of: RequestCondition[] };

export interface DenySite {
  /**
   * `deny`: answers 401/403, redirects to sign-in, throws an auth error, verifies a token;
   * `protect`: `auth.protect()` on a parameter (Clerk's middleware callback);
   * `refuse`: returns a falsy value for a caller without a session (an `authorized` callback);
   * `call`: calls a function that may deny (followed across files).
   */
  kind: 'deny' | 'protect' | 'refuse' | 'call';
  by: string;
  line: number;
  when: RequestCondition;
  call?: NameRef;
  /** The call's result is returned (`return updateSession(request)`). */
  returned?: boolean;
}

/**
 * A variable (or the default export) made by an auth wrapper or holding an auth config:
 * `clerkMiddleware(cb)`, `withAuth(fn, { callbacks })`, `const { auth } = NextAuth(config)`,
 * `NextAuth(config).auth`, `const authConfig = { callbacks: { authorized } }`.
 */
export interface AuthWrapperFact {
  /** The function called; absent for a plain config object. */
  callee?: NameRef;
  /** The member taken from the call's result (`auth` of `NextAuth(config)`). */
  member?: string;
  line: number;
  /** Functions passed as arguments, in order. */
  callbacks: HandlerRef[];
  /** Top-level option keys present in the options/config object. */
  keys: string[];
  /** String (and `:regex`) lists among the options (`publicRoutes`, `ignoredRoutes`). */
  lists: Record<string, string[]>;
  /** Options set to something the analyzer cannot read as a literal list. */
  opaque: string[];
  /** Functions among the options, by path (`callbacks.authorized`, `afterAuth`). */
  functions: Record<string, HandlerRef>;
  /** Identifiers spread into or passed as the options object (`NextAuth(authConfig)`). */
  spreads: NameRef[];
}

export type HandlerRef =
  | { kind: 'function'; id: string }
  | { kind: 'ref'; ref: NameRef; offset?: number }
  | { kind: 'call'; ref: NameRef; module?: string; offset?: number }
  | { kind: 'json-parser' }
  | { kind: 'raw-parser' }
  | { kind: 'other'; text: string };

export type Framework = 'express' | 'hono' | 'fastify' | 'next-app' | 'next-action' | 'next-pages' | 'supabase-edge';

export interface RouteFact {
  framework: Framework;
  /** The router variable (`app`, `router`); empty for file-based routes. */
  router: string;
  method: string;
  path: string;
  span: Span;
  order: number;
  middlewares: HandlerRef[];
  handler: HandlerRef;
}

export interface UseFact {
  router: string;
  path?: string;
  handlers: HandlerRef[];
  order: number;
  /** `app.route('/x', sub)` (Hono) / `register(plugin, { prefix })` (Fastify): a mount, never a middleware. */
  mountOnly?: boolean;
}

export interface QueryFact {
  /**
   * `prisma` delegate calls, `drizzle` query builders, `drizzle-relational` (`db.query.orders.findMany`)
   * and `sql` text (`$queryRaw`, `pool.query('…')`, sql`…`).
   */
  orm: 'prisma' | 'drizzle' | 'drizzle-relational' | 'sql' | 'supabase' | 'model';
  /**
   * Prisma delegate (`post`), Drizzle table reference (`posts`, possibly imported), relational query
   * key (`db.query.posts` → `posts`), or for SQL the API that runs it (`pool.query`, `sql`).
   */
  target: NameRef;
  method: string;
  /** For `sql`: the statement text, template substitutions as `$n` bind parameters. */
  sql?: string;
  span: Span;
  offset: number;
  /** Keys present in the where/data object (recursively through AND/OR and nested objects). */
  keys: string[];
  /** Calls made inside the filter (`where: tenantWhere(ctx)`, `...scoped(ctx)`); followed to see if they add the key. */
  helperCalls: NameRef[];
  /** Identifiers spread or passed as the filter (`where: filter`), resolved to a local object literal when possible. */
  filterIdentifiers: string[];
  /** The receiver's root name (`prisma`, `tx`, `db`). */
  receiver: string;
  /** When the receiver is a local created by a call (`const db = forTenant(id)`), that callee. */
  receiverFactory?: NameRef;
  /** Callees of the calls this query sits inside as a callback (`withTenant(id, async (tx) => …)`). */
  enclosingCallees: NameRef[];
  enclosingFunction?: string;
  /** What the type checker says of the receiver (`--types`; asked through the linker, never cached). */
  typed?: {
    /** The receiver's type is a tenant-scoped client (`TenantScopedDb`): the database scopes the query. */
    tenantScope?: string;
    /** The "delegate" is the project's own object (a repository with Prisma-like method names), not an ORM. */
    notOrm?: boolean;
  };
  /** Object-level access: filter values the request supplies, and whether the caller's right to the row is checked. */
  access?: ObjectAccessFact;
  /** Supabase: the client is made with the service-role key (row level security does not apply). */
  serviceRole?: boolean;
}

export interface ObjectAccessFact {
  /** Filter keys (`id`, `postId`) whose value the request supplies, and that value as written (`req.params.id`). */
  requestKeys: { key: string; source: string }[];
  /** Filter keys whose value is a parameter of the enclosing function (by position): its callers decide. */
  paramKeys?: { key: string; fn: string; index: number; prop?: string }[];
  /** An access check runs before the query, or the loaded row's owner or tenant is compared after it. */
  checked: boolean;
}

export interface DrizzleTableFact {
  variable: string;
  table: string;
  /** Property keys and database column names. */
  columns: string[];
  line: number;
}

export interface EnvRead {
  name: string;
  span: Span;
}

export type { CommentFact } from '../catalog/suppressions.js';
import type { CommentFact } from '../catalog/suppressions.js';

export interface ImportFact {
  specifier: string;
  /** local name → imported name (`default`, `*` or the exported name). */
  bindings: Record<string, string>;
  line: number;
  column: number;
  typeOnly: boolean;
}

export interface NextMiddlewareFact {
  matchers?: string[];
  handler: HandlerRef;
  /** The export Next.js runs: `middleware`, `proxy` (Next 16) or `default`. */
  exportName: string;
  /** Line of that export. */
  line: number;
  /** `export const proxy = auth`: the local name the export stands for. */
  alias?: string;
}

export interface FileFacts {
  file: string;
  directive?: 'use client' | 'use server';
  imports: ImportFact[];
  /** exported name → local name (`default` for default exports). */
  exports: Record<string, string>;
  /** `export * from './x'` and `export { a } from './x'`. */
  reexports: { specifier: string; names?: Record<string, string> }[];
  functions: FunctionFact[];
  /** Variables created as routers/apps, with their framework. */
  routers: Record<string, 'express' | 'hono' | 'fastify'>;
  routes: RouteFact[];
  uses: UseFact[];
  queries: QueryFact[];
  drizzleTables: DrizzleTableFact[];
  envReads: EnvRead[];
  comments: CommentFact[];
  nextMiddleware?: NextMiddlewareFact;
  /** Clerk `createRouteMatcher([...])` results by local name: the path test each makes. */
  routeMatchers?: Record<string, RequestCondition>;
  /** Auth wrappers and auth configs by local name (`default` for an `export default` expression). */
  authWrappers?: Record<string, AuthWrapperFact>;
  /** Local variables initialised by a call (`const db = forTenant(id)`): name → callee. */
  callInits: Record<string, NameRef>;
  /** Local variables initialised by an object literal and the keys it has. */
  objectInits: Record<string, string[]>;
  /** The file imports `server-only` (a build error if bundled for the client). */
  serverOnly: boolean;
  /** Routers handed to functions (`systemEndpoints(api)`): the routes the function registers on its parameter belong to `router`. */
  routerPasses?: RouterPass[];
  /** Routers that are parameters of a function (`function systemEndpoints(app) { app.post(…) }`): name → the function's id. */
  routerParams?: Record<string, string>;
  /** Object members holding middleware configured not to authenticate (`auth.optional` = `jwt({ credentialsRequired: false })`). */
  authOffInits?: string[];
  /** Route registrations read but not resolved to a router and path (a computed path, an unknown receiver). */
  unresolvedRoutes?: UnresolvedRoute[];
  /** Calls read as a truth value without `await` (negated, or the test of an `if`/loop/`?:`). */
  conditionCalls?: ConditionCallFact[];
}

export interface RouterPass {
  router: string;
  callee: NameRef;
  index: number;
  order: number;
}

export interface UnresolvedRoute {
  line: number;
  /** What the registration looks like (`router.post(path, …)`), cut short. */
  text: string;
  reason: string;
}
