import { isTestFile } from '../detectors/test-files.js';
import { isWebhookPath } from '../detectors/route-evidence.js';
import { AUTH_OFF_PREFIX } from './facts-context.js';
import type { Evidence, Linker } from './link.js';
import { nextMiddlewareGuard, pathPatternRegex, samplePath } from './next-middleware.js';
import type { FileFacts, Framework, FunctionFact, HandlerRef, RouteFact, Span, UseFact } from './types.js';

/** A middleware or handler in a route's chain, with the file it was written in. */
export interface ChainLink {
  file: string;
  ref: HandlerRef;
}

export interface RouteEntry {
  framework: Framework;
  method: string;
  path: string;
  file: string;
  span: Span;
  /** Middleware that runs before the handler, outermost first. */
  chain: ChainLink[];
  handler: ChainLink;
  handlerFn?: { file: string; fn: FunctionFact };
  guard?: Evidence;
  publicReason?: string;
  readsOrChangesData: boolean;
  webhook: boolean;
}

/** A route registration the inventory could not place (a computed path, an unknown receiver, a router never mounted). */
export interface UnresolvedRouteEntry {
  file: string;
  line: number;
  text: string;
  reason: string;
}

export interface RouteInventory {
  routes: RouteEntry[];
  unresolved: UnresolvedRouteEntry[];
}

export interface RouteInventoryOptions {
  /** `portcullis.config.json` `publicRoutes`: `"GET /health"`, `"/api/public/*"`. */
  publicRoutes: readonly string[];
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ALL']);

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

function usePrefix(path: string | undefined): string {
  return (path ?? '/').replace(/\/?\*+$/, '') || '/';
}

function pathUnder(path: string, prefix: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The router a mounted call makes: `app.use('/api', apiRoutes(services))` where `apiRoutes` creates a
 * router, registers routes on it and returns it. Its key, or undefined when the call makes no router.
 */
function madeRouter(linker: Linker, resolved: ReturnType<Linker['resolveHandler']>): string | undefined {
  if (resolved?.kind !== 'function' || resolved.fn.returnsName === undefined) return undefined;
  const name = resolved.fn.returnsName;
  return linker.facts.get(resolved.file)?.routers[name] === undefined ? undefined : `${resolved.file}#${name}`;
}

interface MountContext {
  prefix: string;
  chain: ChainLink[];
}

/** Every route of the project: Express/Router (with mounts), Hono, Fastify, Next.js App Router, Server Actions, Pages API. */
export function buildRouteInventory(linker: Linker, options: RouteInventoryOptions): RouteInventory {
  const routes: RouteEntry[] = [];
  const routerKey = (file: string, name: string): string => `${file}#${name}`;
  const usesByRouter = new Map<string, { file: string; use: UseFact }[]>();
  const routesByRouter = new Map<string, { file: string; route: RouteFact }[]>();
  // Routes registered in tests (`*.test.ts`, `test/`, `__tests__/`, fixtures) are not the app's routes.
  const appFacts = [...linker.facts].filter(([file]) => !isTestFile(file));
  const mounted = new Set<string>();
  /** Router parameters a call hands a router of the same key to (same file, same name). */
  const handedIn = new Set<string>();
  const mounts = new Map<
    string,
    { file: string; use: UseFact; index: number; child: string; childFn?: FunctionFact }[]
  >();

  for (const [file, facts] of appFacts) {
    for (const use of facts.uses) {
      const key = routerKey(file, use.router);
      usesByRouter.set(key, [...(usesByRouter.get(key) ?? []), { file, use }]);
      use.handlers.forEach((handler, index) => {
        const resolved = linker.resolveHandler(file, handler);
        const made = handler.kind === 'call' ? madeRouter(linker, resolved) : undefined;
        const child = made ?? (resolved?.kind === 'router' ? routerKey(resolved.file, resolved.name) : undefined);
        if (child !== undefined) {
          mounted.add(child);
          mounts.set(key, [...(mounts.get(key) ?? []), { file, use, index, child }]);
        } else if (use.mountOnly === true && resolved?.kind === 'function') {
          // A Fastify plugin: the routes it registers on its instance parameter.
          const param = resolved.fn.params[0];
          if (param !== undefined && param !== '') {
            const child = routerKey(resolved.file, param);
            mounted.add(child);
            mounts.set(key, [...(mounts.get(key) ?? []), { file, use, index, child, childFn: resolved.fn }]);
          }
        }
      });
    }
    for (const route of facts.routes) {
      if (route.router === '') continue;
      const key = routerKey(file, route.router);
      routesByRouter.set(key, [...(routesByRouter.get(key) ?? []), { file, route }]);
    }
  }

  // Routers handed to functions that register routes on their parameter (`systemEndpoints(api)`), and
  // routers imported from the file that made them: mounted where they are passed, with no prefix of their own.
  for (const [file, facts] of appFacts) {
    for (const pass of facts.routerPasses ?? []) {
      const target = linker.resolve(file, pass.callee);
      if (target?.kind !== 'function') continue;
      const param = target.fn.params[pass.index];
      if (param === undefined || param === '') continue;
      const child = routerKey(target.file, param);
      if (linker.facts.get(target.file)?.routerParams?.[param] !== target.fn.id) continue;
      const key = routerKey(file, pass.router);
      // `registerModules(app)` where the parameter is also called `app` in the same file: one router.
      if (child === key) {
        handedIn.add(child);
        continue;
      }
      mounted.add(child);
      const use: UseFact = { router: pass.router, handlers: [], order: pass.order, mountOnly: true };
      mounts.set(key, [...(mounts.get(key) ?? []), { file, use, index: 0, child }]);
    }
    for (const name of Object.keys(facts.routers)) {
      if (!facts.imports.some((fact) => fact.bindings[name] !== undefined)) continue;
      const target = linker.resolve(file, { name });
      if (target?.kind !== 'router') continue;
      const child = routerKey(file, name);
      const key = routerKey(target.file, target.name);
      mounted.add(child);
      const use: UseFact = { router: target.name, handlers: [], order: Number.MAX_SAFE_INTEGER, mountOnly: true };
      mounts.set(key, [...(mounts.get(key) ?? []), { file: target.file, use, index: 0, child }]);
    }
  }

  const visited = new Set<string>();
  const walk = (key: string, context: MountContext): void => {
    const visitKey = `${key}@${context.prefix}`;
    if (visited.has(visitKey)) return;
    visited.add(visitKey);
    const uses = usesByRouter.get(key) ?? [];
    const middlewareBefore = (order: number, path: string): ChainLink[] =>
      uses
        .filter(
          ({ use }) =>
            use.mountOnly !== true &&
            (use.order < order || isFastifyHook(linker, key)) &&
            pathUnder(path, joinPath(context.prefix, usePrefix(use.path))),
        )
        .flatMap(({ file, use }) =>
          use.handlers
            .filter((handler) => {
              const resolved = linker.resolveHandler(file, handler);
              return resolved?.kind !== 'router';
            })
            .map((ref) => ({ file, ref })),
        );
    for (const { file, route } of routesByRouter.get(key) ?? []) {
      const path = joinPath(context.prefix, route.path);
      routes.push(
        entry(
          linker,
          file,
          route,
          path,
          [
            ...context.chain,
            ...middlewareBefore(route.order, path),
            ...route.middlewares.map((ref) => ({ file, ref })),
          ],
          options,
        ),
      );
    }
    for (const mount of mounts.get(key) ?? []) {
      const prefix = joinPath(context.prefix, usePrefix(mount.use.path));
      const before = mount.use.handlers.slice(0, mount.index).map((ref) => ({ file: mount.file, ref }));
      walk(mount.child, { prefix, chain: [...context.chain, ...middlewareBefore(mount.use.order, prefix), ...before] });
    }
  };
  const roots = new Set([...routesByRouter.keys(), ...usesByRouter.keys()].filter((key) => !mounted.has(key)));
  for (const root of [...roots].sort()) walk(root, { prefix: '', chain: [] });

  // File-based routes: Next.js App Router, Server Actions, Pages API.
  const middleware = appFacts.map(([, facts]) => facts).find((facts) => facts.nextMiddleware !== undefined);
  for (const [file, facts] of appFacts) {
    for (const route of facts.routes) {
      if (route.router !== '') continue;
      const chain: ChainLink[] = [];
      let middlewareGuard: Evidence | undefined;
      if (
        middleware?.nextMiddleware !== undefined &&
        route.framework !== 'next-action' &&
        nextMatcherCovers(middleware.nextMiddleware.matchers, route.path)
      ) {
        chain.push({ file: middleware.file, ref: middleware.nextMiddleware.handler });
        // Read per route: what a middleware protects depends on the path (Clerk route matchers, path tests).
        middlewareGuard = nextMiddlewareGuard(linker, middleware.file, middleware.nextMiddleware, route);
      }
      // A wrapper around an exported handler (`export const POST = withAuth(…)`) runs after the middleware.
      const wrappers = route.middlewares.map((ref) => ({ file, ref }));
      const guard = middlewareGuard ?? chainGuard(linker, wrappers);
      routes.push(entry(linker, file, route, route.path, [...chain, ...wrappers], options, { guard }));
    }
  }
  const unresolved: UnresolvedRouteEntry[] = [];
  for (const [file, facts] of appFacts) {
    for (const entry of facts.unresolvedRoutes ?? []) unresolved.push({ file, ...entry });
    // Routes on a router parameter that no call hands a router to: listed, but where they are mounted is unknown.
    for (const param of Object.keys(facts.routerParams ?? {})) {
      const key = routerKey(file, param);
      if (mounted.has(key) || handedIn.has(key)) continue;
      for (const { route } of routesByRouter.get(key) ?? [])
        unresolved.push({
          file,
          line: route.span.line,
          text: `${param}.${route.method.toLowerCase()}('${route.path}', …)`,
          reason: `registered on the parameter "${param}"; no call that hands it a router was found, so its prefix and middleware are unknown`,
        });
    }
  }
  return {
    routes: routes.sort(
      (a, b) => a.file.localeCompare(b.file) || a.span.line - b.span.line || a.path.localeCompare(b.path),
    ),
    unresolved: unresolved.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
  };
}

/**
 * Middleware configured not to require a session: `authenticate({ optional: true })` in the chain, or
 * `auth.optional` where `const auth = { optional: jwt({ credentialsRequired: false }) }` (also imported).
 */
function optionalAuth(linker: Linker, link: ChainLink): boolean {
  const ref = link.ref;
  if (ref.kind === 'other') return ref.text.startsWith(AUTH_OFF_PREFIX);
  if (ref.kind !== 'ref' || ref.ref.member === undefined) return false;
  const { name, member } = ref.ref;
  const facts = linker.facts.get(link.file);
  if (facts === undefined) return false;
  if (facts.authOffInits?.includes(`${name}.${member}`) === true) return true;
  for (const imported of facts.imports) {
    const binding = imported.bindings[name];
    if (binding === undefined) continue;
    const target = linker.resolver.resolve(link.file, imported.specifier);
    const targetFacts = target === undefined ? undefined : linker.facts.get(target);
    const local = targetFacts?.exports[binding];
    return local !== undefined && targetFacts?.authOffInits?.includes(`${local}.${member}`) === true;
  }
  return false;
}

/** The first link of a middleware chain that guards. */
function chainGuard(linker: Linker, chain: readonly ChainLink[]): Evidence | undefined {
  for (const link of chain) {
    const guard = linker.handlerGuard(link.file, link.ref);
    if (guard !== undefined) return guard;
  }
  return undefined;
}

function isFastifyHook(linker: Linker, key: string): boolean {
  const [file, name] = key.split('#');
  return linker.facts.get(file ?? '')?.routers[name ?? ''] === 'fastify';
}

function entry(
  linker: Linker,
  file: string,
  route: RouteFact,
  path: string,
  chain: ChainLink[],
  options: RouteInventoryOptions,
  /** The chain's guard, already read (a Next.js middleware, read per route). */
  known?: { guard: Evidence | undefined },
): RouteEntry {
  const handler = { file, ref: route.handler };
  const resolved = linker.resolveHandler(file, route.handler);
  const handlerFn = resolved?.kind === 'function' ? { file: resolved.file, fn: resolved.fn } : undefined;
  let guard: Evidence | undefined = known === undefined ? chainGuard(linker, chain) : known.guard;
  if (guard === undefined && handlerFn !== undefined) {
    guard = linker.functionGuard(handlerFn.file, handlerFn.fn);
    if (guard?.file === handlerFn.file && guard.line === handlerFn.fn.span.line)
      guard = { by: 'a check in the handler', file: handlerFn.file, line: guard.line };
  }
  const optional =
    route.method === 'GET' && guard === undefined ? chain.find((link) => optionalAuth(linker, link)) : undefined;
  const publicReason =
    publicMarker(linker.facts.get(file), route, handlerFn?.file === file ? handlerFn.fn : undefined) ??
    (optional === undefined
      ? undefined
      : 'a read whose authentication is optional on purpose (its middleware is configured not to require a session)') ??
    allowListed(options.publicRoutes, route.method, path) ??
    publicByNature(route.framework === 'next-action' ? route.path.replace(/^action:/, '') : path);
  // A Server Action or a Pages Router API route answers every method: only what it reaches says it touches data.
  const byMethod = route.framework !== 'next-action' && route.framework !== 'next-pages' && MUTATING.has(route.method);
  const readsOrChangesData = byMethod || (handlerFn !== undefined && linker.reachesData(handlerFn.file, handlerFn.fn));
  const webhook = isWebhookPath(path) || (route.framework === 'next-app' && isWebhookPath(file));
  return {
    framework: route.framework,
    method: route.method,
    path,
    file,
    span: route.span,
    chain,
    handler,
    ...(handlerFn === undefined ? {} : { handlerFn }),
    ...(guard === undefined ? {} : { guard }),
    ...(publicReason === undefined ? {} : { publicReason }),
    readsOrChangesData,
    webhook,
  };
}

/** `// portcullis-public: <reason>` on the line above (or at the end of) the route or its handler. */
function publicMarker(
  facts: FileFacts | undefined,
  route: RouteFact,
  handler: FunctionFact | undefined,
): string | undefined {
  if (facts === undefined) return undefined;
  const lines = new Set([route.span.line, route.span.line - 1]);
  if (handler !== undefined) {
    lines.add(handler.span.line);
    lines.add(handler.span.line - 1);
  }
  const marker = facts.comments.find(
    (comment) => comment.kind === 'public' && (lines.has(comment.span.endLine) || lines.has(comment.line)),
  );
  if (marker === undefined) return undefined;
  return marker.reason === '' ? undefined : marker.reason;
}

/** Path segments of routes every visitor must reach: signing in or up, recovering a password, OAuth callbacks, health probes. */
const PUBLIC_SEGMENT =
  /^(?:(?:log-?in|sign-?in|sign-?up|register)(?:-[a-z]+)*|log-?out|sign-?out|forgot-?password|reset-?password|password-?reset|verify-?email|email-?verification|callback|oauth-?callback|magic-?link|\[\.\.\.nextauth\]|refresh-?tokens?|health|healthz|livez|readyz|ready|ping)$/i;

/** Two-segment forms of the same: `/password/forgot`, `/email/verify`. */
const PUBLIC_PAIR = /(?:^|\/)(?:password\/(?:forgot|reset|confirm)|email\/verify)$/i;

/** Server Actions by name: `signIn`, `signUpWithEmail`, `loginAction`, `requestPasswordReset`, `verifyEmailToken`. */
const PUBLIC_ACTION =
  /^(?:sign-?in|sign-?up|log-?in|log-?out|sign-?out|register|forgot-?password|request-?password-?reset|confirm-?password-?reset|reset-?password|verify-?email|refresh-?session|silent-?refresh)(?:[A-Z]\w*)?$/i;

/** Routes public by nature, by what their path (or a Server Action's name) says they do. */
function publicByNature(pathOrAction: string): string | undefined {
  if (!pathOrAction.startsWith('/'))
    return PUBLIC_ACTION.test(pathOrAction)
      ? `a sign-in, sign-up or password-reset action ("${pathOrAction}") is public by nature`
      : undefined;
  const segments = pathOrAction.split('/').filter((segment) => segment !== '');
  const last = segments.at(-1);
  // Everything under a sign-in path (`/api/login/magic`, `/login/github/callback`) serves signing in.
  const underSignIn = segments.slice(0, -1).some((segment) => /^(?:log-?in|sign-?in|sign-?up)$/i.test(segment));
  if ((last !== undefined && PUBLIC_SEGMENT.test(last)) || PUBLIC_PAIR.test(pathOrAction) || underSignIn)
    return `a sign-in, sign-up, password-reset, OAuth callback or health route ("${pathOrAction}") is public by nature`;
  return undefined;
}

function allowListed(patterns: readonly string[], method: string, path: string): string | undefined {
  for (const pattern of patterns) {
    const match = /^(?:([A-Z]+)\s+)?(\S+)$/.exec(pattern.trim());
    if (match === null) continue;
    if (match[1] !== undefined && match[1] !== method) continue;
    const regex = new RegExp(`^${(match[2] ?? '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (regex.test(path)) return `allow-listed in portcullis.config.json ("${pattern}")`;
  }
  return undefined;
}

/** Next.js `config.matcher` (path-to-regexp style with regex groups) against a route path. */
export function nextMatcherCovers(matchers: readonly string[] | undefined, path: string): boolean {
  if (matchers === undefined) return true;
  const sample = samplePath(path);
  return matchers.some((matcher) => pathPatternRegex(matcher)?.test(sample) === true);
}

/** One line per route for `portcullis routes`. */
export function describeGuard(route: RouteEntry): string {
  if (route.guard !== undefined)
    return `guarded by ${route.guard.by}${route.guard.file === undefined ? '' : ` (${route.guard.file}:${String(route.guard.line ?? 1)})`}`;
  if (route.publicReason !== undefined) return `public: ${route.publicReason}`;
  return 'UNGUARDED';
}
