import { externalGuard, type Evidence, type Linker } from './link.js';
import type {
  AuthWrapperFact,
  FunctionFact,
  HandlerRef,
  NameRef,
  NextMiddlewareFact,
  RequestCondition,
} from './types.js';

/** The request a guard is asked about: the route's path (Next.js style, `[id]` segments) and method. */
export interface RouteProbe {
  path: string;
  method: string;
}

type Value =
  | { kind: 'function'; file: string; fn: FunctionFact }
  | { kind: 'wrapper'; file: string; fact: AuthWrapperFact }
  | { kind: 'external'; module: string; name: string };

/**
 * How a function's deny sites count:
 * `middleware` — denials and calls (a Next.js middleware or a helper it calls);
 * `clerk` — also `auth.protect()` on the callback's own parameter (`clerkMiddleware((auth, req) => …)`);
 * `authorized` — also falsy returns (next-auth `withAuth` / Auth.js `authorized` callbacks used bare);
 * `authorized-response` — Auth.js `authorized` next to a user middleware: only a returned Response
 * (a redirect to sign-in) takes effect, a `false` is ignored by next-auth.
 */
type Mode = 'middleware' | 'clerk' | 'authorized' | 'authorized-response';

const MAX_DEPTH = 8;
const CLERK = new Set(['@clerk/nextjs', '@clerk/nextjs/server']);

/** Route path → a concrete sample path (`[id]` → `x`, catch-alls → `x/y`). */
export function samplePath(path: string): string {
  return path.replace(/\[\[?\.{3}[^\]]+\]?\]/g, 'x/y').replace(/\[[^\]]+\]/g, 'x');
}

/** A Next.js `matcher` / Clerk `createRouteMatcher` pattern (path-to-regexp with regex groups) as a RegExp. */
export function pathPatternRegex(pattern: string): RegExp | undefined {
  const source = pattern
    .replace(/\/:(\w+)\*/g, '(?:/.*)?')
    .replace(/\/:(\w+)\+/g, '/.+')
    .replace(/\/:(\w+)\?/g, '(?:/[^/]+)?')
    .replace(/\/:(\w+)(\([^)]*\))?/g, (_all, _name: string, group?: string) => `/${group ?? '[^/]+'}`);
  try {
    return new RegExp(`^${source}$`);
  } catch {
    return undefined;
  }
}

function regexLiteral(text: string): RegExp | undefined {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (match === null) return undefined;
  try {
    return new RegExp(match[1] ?? '', (match[2] ?? '').replace(/[gy]/g, ''));
  } catch {
    return undefined;
  }
}

/** Three-valued: true / false when the condition is known for every request to the route, undefined otherwise. */
export function conditionHolds(
  condition: RequestCondition,
  route: RouteProbe,
  matcher?: (ref: NameRef) => RequestCondition | undefined,
): boolean | undefined {
  switch (condition.kind) {
    case 'matcher': {
      const resolved = matcher?.(condition.ref);
      return resolved === undefined ? undefined : conditionHolds(resolved, route);
    }
    case 'always':
      return true;
    case 'never':
      return false;
    case 'unknown':
      return undefined;
    case 'method':
      return route.method === 'ALL' ? undefined : route.method === condition.method;
    case 'not': {
      const inner = conditionHolds(condition.of, route, matcher);
      return inner === undefined ? undefined : !inner;
    }
    case 'and':
    case 'or': {
      let unknown = false;
      for (const part of condition.of) {
        const value = conditionHolds(part, route, matcher);
        if (value === undefined) unknown = true;
        else if (value === (condition.kind === 'or')) return value;
      }
      return unknown ? undefined : condition.kind === 'and';
    }
    case 'path': {
      const sample = samplePath(route.path);
      const tests = condition.values.map((value): boolean | undefined => {
        if (condition.test === 'prefix') return sample.startsWith(value);
        if (condition.test === 'equals') return sample === value;
        const regex = condition.test === 'regex' ? regexLiteral(value) : pathPatternRegex(value);
        return regex === undefined ? undefined : regex.test(sample);
      });
      if (tests.includes(true)) return true;
      return tests.includes(undefined) ? undefined : false;
    }
  }
}

/**
 * The guard a Next.js middleware (`middleware.ts` / `proxy.ts`) gives one route, or undefined:
 * plain functions by their deny sites and the conditions on them; Clerk `clerkMiddleware` /
 * `authMiddleware`; next-auth `withAuth` and `next-auth/middleware`; Auth.js `auth` with its
 * `authorized` callback (followed into the NextAuth config in another file); helpers and locally
 * wrapped handlers it calls. Anything it cannot read is not a guard, so the route is reported.
 */
export function nextMiddlewareGuard(
  linker: Linker,
  file: string,
  middleware: NextMiddlewareFact,
  route: RouteProbe,
): Evidence | undefined {
  const value =
    middleware.alias === undefined
      ? exportValue(linker, file, middleware.exportName, 0)
      : resolveName(linker, file, { name: middleware.alias }, 0);
  if (value === undefined) return undefined;
  const at = { file, line: middleware.line };
  if (value.kind === 'external') return externalMiddleware(value, at);
  return valueGuard(linker, value, route, 'middleware', undefined, 0, at);
}

function externalMiddleware(
  value: { module: string; name: string },
  at: { file: string; line: number },
): Evidence | undefined {
  // `export { default } from 'next-auth/middleware'`: withAuth with its default `authorized`, a token is required.
  if (value.module === 'next-auth/middleware' && (value.name === 'default' || value.name === 'withAuth'))
    return { by: 'next-auth/middleware (requires a session token)', ...at };
  const known = externalGuard(value.module, value.name);
  return known === undefined ? undefined : { ...known, ...at };
}

function resolveName(linker: Linker, file: string, ref: NameRef, depth: number): Value | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const facts = linker.facts.get(file);
  if (facts === undefined) return undefined;
  if (ref.member === undefined) {
    const wrapper = facts.authWrappers?.[ref.name];
    if (wrapper !== undefined) return { kind: 'wrapper', file, fact: wrapper };
    const fn = linker.functionById(file, ref.name);
    if (fn !== undefined) return { kind: 'function', file, fn };
  }
  for (const imported of facts.imports) {
    if (imported.typeOnly) continue;
    const name = imported.bindings[ref.name];
    if (name === undefined) continue;
    const target = linker.resolver.resolve(file, imported.specifier);
    const exported = ref.member !== undefined && (name === '*' || name === 'default') ? ref.member : name;
    if (ref.member !== undefined && name !== '*' && name !== 'default') return undefined;
    if (target === undefined) return { kind: 'external', module: imported.specifier, name: exported };
    return exportValue(linker, target, exported, depth + 1);
  }
  return undefined;
}

function exportValue(linker: Linker, file: string, exported: string, depth: number): Value | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const facts = linker.facts.get(file);
  if (facts === undefined) return undefined;
  if (exported === 'default' && facts.authWrappers?.default !== undefined)
    return { kind: 'wrapper', file, fact: facts.authWrappers.default };
  const local = facts.exports[exported];
  if (local !== undefined) return resolveName(linker, file, { name: local }, depth + 1);
  for (const reexport of facts.reexports) {
    const name = reexport.names === undefined ? exported : reexport.names[exported];
    if (name === undefined) continue;
    const target = linker.resolver.resolve(file, reexport.specifier);
    if (target === undefined) {
      if (reexport.names !== undefined) return { kind: 'external', module: reexport.specifier, name };
      continue;
    }
    const found = exportValue(linker, target, name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function handlerFunction(
  linker: Linker,
  file: string,
  handler: HandlerRef | undefined,
  depth: number,
): Value | undefined {
  if (handler === undefined) return undefined;
  if (handler.kind === 'function') {
    const fn = linker.functionById(file, handler.id);
    return fn === undefined ? undefined : { kind: 'function', file, fn };
  }
  if (handler.kind === 'ref' || handler.kind === 'call') return resolveName(linker, file, handler.ref, depth + 1);
  return undefined;
}

function isExternal(value: Value | undefined, modules: ReadonlySet<string>, names: readonly string[]): boolean {
  return value?.kind === 'external' && modules.has(value.module) && names.includes(value.name);
}

/** A NextAuth-made `auth` (`const { auth } = NextAuth(config)` or `NextAuth(config).auth`). */
function isAuthJs(linker: Linker, value: Value | undefined, depth: number): value is Value & { kind: 'wrapper' } {
  if (value?.kind !== 'wrapper' || value.fact.member !== 'auth' || value.fact.callee === undefined) return false;
  const callee = resolveName(linker, value.file, value.fact.callee, depth + 1);
  return isExternal(callee, new Set(['next-auth']), ['default', 'NextAuth']);
}

/** The `callbacks.authorized` of a NextAuth config, following `NextAuth(authConfig)` and `{ ...authConfig }` across files. */
function authorizedCallback(linker: Linker, file: string, fact: AuthWrapperFact, depth: number): Value | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const own = fact.functions['callbacks.authorized'];
  if (own !== undefined) return handlerFunction(linker, file, own, depth);
  // An own `callbacks` object replaces the spread one.
  if (fact.keys.includes('callbacks')) return undefined;
  for (const spread of fact.spreads) {
    const config = resolveName(linker, file, spread, depth + 1);
    if (config?.kind !== 'wrapper') continue;
    const found = authorizedCallback(linker, config.file, config.fact, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function valueGuard(
  linker: Linker,
  value: Value,
  route: RouteProbe,
  mode: Mode,
  label: string | undefined,
  depth: number,
  at: { file: string; line: number },
): Evidence | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (value.kind === 'function') return sitesGuard(linker, value.file, value.fn, route, mode, label, depth);
  if (value.kind === 'external')
    return mode === 'middleware' || mode === 'clerk' ? externalMiddleware(value, at) : undefined;
  return wrapperGuard(linker, value.file, value.fact, route, depth);
}

function wrapperGuard(
  linker: Linker,
  file: string,
  fact: AuthWrapperFact,
  route: RouteProbe,
  depth: number,
): Evidence | undefined {
  const at = { file, line: fact.line };
  const self: Value = { kind: 'wrapper', file, fact };
  // `export { auth as middleware }` / `NextAuth(config).auth`: only the `authorized` callback decides.
  if (isAuthJs(linker, self, depth)) {
    const authorized = authorizedCallback(linker, file, fact, depth);
    return authorized === undefined
      ? undefined
      : valueGuard(linker, authorized, route, 'authorized', 'Auth.js authorized callback', depth + 1, at);
  }
  if (fact.callee === undefined) return undefined;
  const callee = resolveName(linker, file, fact.callee, depth + 1);
  const callback = handlerFunction(linker, file, fact.callbacks[0], depth);
  // clerkMiddleware() only makes auth() available; it protects what its handler protects.
  if (isExternal(callee, CLERK, ['clerkMiddleware']))
    return callback === undefined
      ? undefined
      : valueGuard(linker, callback, route, 'clerk', 'clerkMiddleware', depth + 1, at);
  // Clerk's older authMiddleware: every route is protected except publicRoutes and ignoredRoutes.
  if (isExternal(callee, CLERK, ['authMiddleware'])) {
    // beforeAuth can skip the check and afterAuth replaces it; lists that are not literals cannot be read.
    const decidedElsewhere = ['beforeAuth', 'afterAuth'].some((key) => fact.keys.includes(key));
    const opaqueLists = [...fact.opaque, ...Object.keys(fact.functions)].some((key) => /Routes$/.test(key));
    if (decidedElsewhere || opaqueLists) return undefined;
    const open = [...(fact.lists.publicRoutes ?? []), ...(fact.lists.ignoredRoutes ?? [])];
    const openRegex = [...(fact.lists['publicRoutes:regex'] ?? []), ...(fact.lists['ignoredRoutes:regex'] ?? [])];
    const isOpen = conditionHolds(
      {
        kind: 'or',
        of: [
          { kind: 'path', test: 'patterns', values: open },
          { kind: 'path', test: 'regex', values: openRegex },
        ],
      },
      route,
    );
    return isOpen === false ? { by: 'authMiddleware (all but publicRoutes)', ...at } : undefined;
  }
  // next-auth v4 withAuth: redirects to sign-in unless `authorized` (default: a token exists) passes.
  if (isExternal(callee, new Set(['next-auth/middleware']), ['withAuth', 'default'])) {
    const authorizedRef = fact.functions['callbacks.authorized'];
    if (authorizedRef === undefined)
      return fact.opaque.includes('callbacks') ? undefined : { by: 'withAuth (requires a session token)', ...at };
    const authorized = handlerFunction(linker, file, authorizedRef, depth);
    const viaAuthorized =
      authorized === undefined
        ? undefined
        : valueGuard(linker, authorized, route, 'authorized', 'withAuth authorized callback', depth + 1, at);
    if (viaAuthorized !== undefined) return viaAuthorized;
    return callback === undefined
      ? undefined
      : valueGuard(linker, callback, route, 'middleware', 'withAuth middleware', depth + 1, at);
  }
  // Auth.js `auth((req) => …)`: a Response from `authorized` still answers; a `false` no longer does.
  if (isAuthJs(linker, callee, depth)) {
    const authorized = authorizedCallback(linker, callee.file, callee.fact, depth);
    const viaAuthorized =
      authorized === undefined
        ? undefined
        : valueGuard(linker, authorized, route, 'authorized-response', 'Auth.js authorized callback', depth + 1, at);
    if (viaAuthorized !== undefined) return viaAuthorized;
    return callback === undefined
      ? undefined
      : valueGuard(linker, callback, route, 'middleware', 'auth() middleware', depth + 1, at);
  }
  // Other wrappers (a local `chain([...])`, an unknown package): what they run is not known.
  if (callee?.kind === 'external') {
    const known = externalGuard(callee.module, callee.name);
    return known === undefined ? undefined : { ...known, ...at };
  }
  return undefined;
}

function sitesGuard(
  linker: Linker,
  file: string,
  fn: FunctionFact,
  route: RouteProbe,
  mode: Mode,
  label: string | undefined,
  depth: number,
): Evidence | undefined {
  // A helper whose deny sites were not read (it neither reads a session nor denies itself): the
  // whole-function reading, as for route handlers.
  if (fn.denySites === undefined)
    return mode === 'middleware' || mode === 'clerk' ? linker.functionGuard(file, fn) : undefined;
  const name = label ?? (fn.id.startsWith('<') ? 'middleware' : fn.id);
  const matcher = (ref: NameRef): RequestCondition | undefined => importedMatcher(linker, file, ref);
  for (const site of fn.denySites) {
    if (conditionHolds(site.when, route, matcher) !== true) continue;
    const evidence = { by: `${name} ${site.by}`, file, line: site.line };
    if (site.kind === 'deny') return evidence;
    if (site.kind === 'protect' && mode === 'clerk') return evidence;
    if (site.kind === 'refuse' && mode === 'authorized') return evidence;
    if (site.kind !== 'call' || site.call === undefined) continue;
    if ((mode === 'authorized' || mode === 'authorized-response') && site.returned !== true) continue;
    const target = resolveName(linker, file, site.call, depth + 1);
    if (target === undefined || (target.kind === 'function' && target.fn === fn)) continue;
    // A helper the Clerk callback calls may get its `auth` passed on: clerk mode carries over.
    const inner = valueGuard(linker, target, route, mode, undefined, depth + 1, {
      file,
      line: site.line,
    });
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** A Clerk route matcher imported from another project file (`export const isProtectedRoute = createRouteMatcher([…])`). */
function importedMatcher(linker: Linker, file: string, ref: NameRef): RequestCondition | undefined {
  const facts = linker.facts.get(file);
  for (const imported of facts?.imports ?? []) {
    const name = imported.bindings[ref.name];
    if (name === undefined || imported.typeOnly) continue;
    const target = linker.resolver.resolve(file, imported.specifier);
    const targetFacts = target === undefined ? undefined : linker.facts.get(target);
    const local = targetFacts?.exports[name];
    return local === undefined ? undefined : targetFacts?.routeMatchers?.[local];
  }
  return undefined;
}
