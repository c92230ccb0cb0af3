// Route facts: routers, route registrations and mounts, Next.js route files, Server Actions and middleware exports.
import { ts } from 'ts-morph';

import {
  type Ctx,
  span,
  stringValue,
  nameRef,
  isFunctionLike,
  functionId,
  moduleOf,
  handlerRef,
} from './facts-context.js';
import { unwrapExpression, readAuthWrapper } from './facts-middleware.js';
import type { HandlerRef } from './types.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all']);
const NEXT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);

export const ROUTER_TYPES: Readonly<Record<string, 'express' | 'hono' | 'fastify'>> = {
  Router: 'express',
  Express: 'express',
  Application: 'express',
  Hono: 'hono',
  FastifyInstance: 'fastify',
};

export function routerFramework(ctx: Ctx, init: ts.Expression): 'express' | 'hono' | 'fastify' | undefined {
  let expression = init;
  while (ts.isAwaitExpression(expression) || ts.isParenthesizedExpression(expression))
    expression = expression.expression;
  if (ts.isNewExpression(expression)) {
    const ref = nameRef(expression.expression);
    if (ref === undefined) return undefined;
    const imported = moduleOf(ctx, ref.name);
    if (imported !== undefined && imported[0].startsWith('hono') && /Hono$/.test(ref.member ?? imported[1]))
      return 'hono';
    if (imported !== undefined && imported[0] === '@hono/zod-openapi') return 'hono';
    return undefined;
  }
  if (!ts.isCallExpression(expression)) return undefined;
  const ref = nameRef(expression.expression);
  if (ref === undefined) return undefined;
  const imported = moduleOf(ctx, ref.name);
  if (imported === undefined) return undefined;
  if (imported[0] === 'express') {
    if (ref.member === undefined && (imported[1] === 'default' || imported[1] === '*' || imported[1] === 'Router'))
      return 'express';
    if (ref.member === 'Router') return 'express';
  }
  if (imported[0] === 'fastify' && ref.member === undefined) return 'fastify';
  return undefined;
}

export function nextRoutePath(file: string): { kind: 'next-app' | 'next-pages'; path: string } | undefined {
  const app = /(?:^|\/)app\/((?:.+\/)?)route\.[cm]?[jt]sx?$/.exec(file);
  const toPath = (segments: string): string =>
    `/${segments
      .split('/')
      .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'))
      .join('/')}`;
  if (app !== null) return { kind: 'next-app', path: toPath(app[1] ?? '') };
  const pages = /(?:^|\/)pages\/(api\/.+?)\.[cm]?[jt]sx?$/.exec(file);
  if (pages !== null) return { kind: 'next-pages', path: toPath((pages[1] ?? '').replace(/\/index$/, '')) };
  return undefined;
}

export function isNextMiddlewareFile(file: string): boolean {
  return /^(?:src\/)?(?:middleware|proxy)\.[cm]?[jt]s$/.test(
    file.replace(/^.*?(?=(?:src\/)?(?:middleware|proxy)\.[cm]?[jt]s$)/, ''),
  );
}

/**
 * Routes registered from configuration (`router.post(endpoint.path, …)`) inside a function that says
 * it builds webhook routes (`webhookRouter`): a webhook route whose path is only known at run time.
 */
function configuredWebhookPath(
  sf: ts.SourceFile,
  call: ts.CallExpression,
  pathArgument: ts.Expression | undefined,
): string | undefined {
  if (pathArgument === undefined) return undefined;
  for (let current: ts.Node | undefined = call.parent; current !== undefined; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const name =
      (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) && current.name !== undefined
        ? current.name.text
        : ts.isVariableDeclaration(current.parent) && ts.isIdentifier(current.parent.name)
          ? current.parent.name.text
          : undefined;
    if (name === undefined) continue;
    return /webhook/i.test(name) ? `/webhooks/<${pathArgument.getText(sf)}>` : undefined;
  }
  return undefined;
}

/** `x.post('/path', handler)`: a registration by its shape, whatever `x` is. */
function looksLikeRoute(method: string, args: ts.Expression[]): boolean {
  if (!HTTP_METHODS.has(method) || args.length < 2) return false;
  const path = stringValue(args[0]);
  const handler = args.at(-1);
  return (
    path !== undefined &&
    path.startsWith('/') &&
    handler !== undefined &&
    (isFunctionLike(handler) ||
      ts.isIdentifier(handler) ||
      ts.isPropertyAccessExpression(handler) ||
      ts.isCallExpression(handler))
  );
}

/** The id of the function whose parameter `name` is, when the call sits inside it. */
function parameterOwner(ctx: Ctx, node: ts.Node, name: string): string | undefined {
  for (let current: ts.Node | undefined = node.parent; current !== undefined; current = current.parent)
    if (isFunctionLike(current)) {
      const index = current.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (index >= 0) return functionId(ctx, current);
    }
  return undefined;
}

function unresolvedRoute(ctx: Ctx, call: ts.CallExpression, reason: string): void {
  const text = call.getText(ctx.sf).replace(/\s+/g, ' ');
  (ctx.facts.unresolvedRoutes ??= []).push({
    line: span(ctx.sf, call).line,
    text: text.length > 60 ? `${text.slice(0, 57)}...` : text,
    reason,
  });
}

/** `systemEndpoints(api)`: a known router handed to a function that may register routes on it. */
export function readRouterPass(ctx: Ctx, call: ts.CallExpression): void {
  const callee = nameRef(call.expression);
  if (callee === undefined) return;
  call.arguments.forEach((arg, index) => {
    if (ts.isIdentifier(arg) && ctx.facts.routers[arg.text] !== undefined)
      (ctx.facts.routerPasses ??= []).push({ router: arg.text, callee, index, order: call.getStart(ctx.sf) });
  });
}

/** Route registrations and mounts on a known router: `router.get('/x', h)`, `app.use('/api', r)`, Hono `route`, Fastify `register`. */
export function readRouteCall(ctx: Ctx, call: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
  const { facts, sf } = ctx;
  const method = callee.name.text;
  // Express `router.route('/x').get(h)`.
  let routerName: string | undefined;
  let chainedPath: string | undefined;
  if (ts.isIdentifier(callee.expression)) routerName = callee.expression.text;
  else if (
    ts.isCallExpression(callee.expression) &&
    ts.isPropertyAccessExpression(callee.expression.expression) &&
    callee.expression.expression.name.text === 'route' &&
    ts.isIdentifier(callee.expression.expression.expression)
  ) {
    routerName = callee.expression.expression.expression.text;
    chainedPath = stringValue(callee.expression.arguments[0]);
  }
  if (routerName === undefined) return;
  const args = [...call.arguments];
  if (facts.routers[routerName] === undefined && looksLikeRoute(method, args)) {
    const owner = parameterOwner(ctx, call, routerName);
    if (owner !== undefined) {
      // `function systemEndpoints(app) { app.post('/x', h) }`: a router handed in; its callers say which.
      facts.routers[routerName] = 'express';
      (facts.routerParams ??= {})[routerName] = owner;
    } else if (ctx.importsByLocal.has(routerName)) facts.routers[routerName] = 'express';
    else unresolvedRoute(ctx, call, 'the receiver is not a router the analyzer knows');
  }
  const framework = facts.routers[routerName];
  if (framework === undefined) return;
  const order = call.getStart(sf);

  if (HTTP_METHODS.has(method)) {
    const path = chainedPath ?? stringValue(args[0]) ?? configuredWebhookPath(sf, call, args[0]);
    if (path === undefined) {
      if (args.length >= 2) unresolvedRoute(ctx, call, 'the path is computed at run time');
      return;
    }
    const rest = chainedPath === undefined ? args.slice(1) : args;
    if (
      framework === 'fastify' &&
      rest.length === 2 &&
      rest[0] !== undefined &&
      ts.isObjectLiteralExpression(rest[0])
    ) {
      const options = rest[0];
      const hooks = fastifyHooks(ctx, options);
      const handler = rest[1];
      if (handler === undefined) return;
      facts.routes.push({
        framework,
        router: routerName,
        method: method.toUpperCase(),
        path,
        span: span(sf, call),
        order,
        middlewares: hooks,
        handler: handlerRef(ctx, handler),
      });
      return;
    }
    const handler = rest.at(-1);
    if (handler === undefined) return;
    facts.routes.push({
      framework,
      router: routerName,
      method: method === 'all' ? 'ALL' : method.toUpperCase(),
      path,
      span: span(sf, call),
      order,
      middlewares: rest.slice(0, -1).map((arg) => handlerRef(ctx, arg)),
      handler: handlerRef(ctx, handler),
    });
    return;
  }
  if (method === 'use') {
    const path = stringValue(args[0]);
    const handlers = (path === undefined ? args : args.slice(1)).map((arg) => handlerRef(ctx, arg));
    facts.uses.push({ router: routerName, ...(path === undefined ? {} : { path }), handlers, order });
    return;
  }
  if (method === 'route' && framework === 'hono' && args.length === 2) {
    const path = stringValue(args[0]);
    if (path !== undefined && args[1] !== undefined)
      facts.uses.push({ router: routerName, path, handlers: [handlerRef(ctx, args[1])], order, mountOnly: true });
    return;
  }
  if (method === 'route' && framework === 'fastify' && args[0] !== undefined && ts.isObjectLiteralExpression(args[0])) {
    const options = args[0];
    const get = (key: string): ts.Expression | undefined => {
      for (const property of options.properties)
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key)
          return property.initializer;
      return undefined;
    };
    const url = stringValue(get('url') ?? get('path'));
    const handler = get('handler');
    const methodNode = get('method');
    const methods =
      methodNode === undefined
        ? []
        : ts.isArrayLiteralExpression(methodNode)
          ? methodNode.elements.map((e) => stringValue(e))
          : [stringValue(methodNode)];
    if (url === undefined || handler === undefined) return;
    for (const m of methods) {
      if (m === undefined) continue;
      facts.routes.push({
        framework,
        router: routerName,
        method: m.toUpperCase(),
        path: url,
        span: span(sf, call),
        order,
        middlewares: fastifyHooks(ctx, options),
        handler: handlerRef(ctx, handler),
      });
    }
    return;
  }
  if (method === 'addHook' && framework === 'fastify') {
    const hook = stringValue(args[0]);
    if (hook !== undefined && /^(?:onRequest|preParsing|preValidation|preHandler)$/.test(hook) && args[1] !== undefined)
      facts.uses.push({ router: routerName, handlers: [handlerRef(ctx, args[1])], order });
    return;
  }
  if (method === 'register' && framework === 'fastify' && args[0] !== undefined) {
    let prefix: string | undefined;
    const options = args[1];
    if (options !== undefined && ts.isObjectLiteralExpression(options))
      for (const property of options.properties)
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'prefix')
          prefix = stringValue(property.initializer);
    facts.uses.push({
      router: routerName,
      ...(prefix === undefined ? {} : { path: prefix }),
      handlers: [handlerRef(ctx, args[0])],
      order,
      mountOnly: true,
    });
  }
}

function fastifyHooks(ctx: Ctx, options: ts.ObjectLiteralExpression): HandlerRef[] {
  const hooks: HandlerRef[] = [];
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
    if (!/^(?:onRequest|preParsing|preValidation|preHandler)$/.test(property.name.text)) continue;
    const value = property.initializer;
    if (ts.isArrayLiteralExpression(value)) for (const element of value.elements) hooks.push(handlerRef(ctx, element));
    else hooks.push(handlerRef(ctx, value));
  }
  return hooks;
}

export function readExports(ctx: Ctx, nextRoute: ReturnType<typeof nextRoutePath>, middlewareFile: boolean): void {
  const { sf, facts } = ctx;
  const isExported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  const exported: [string, string, ts.Node][] = [];
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && isExported(statement)) {
      const local = statement.name?.text ?? functionId(ctx, statement);
      exported.push([isDefault(statement) ? 'default' : local, local, statement]);
    } else if (ts.isClassDeclaration(statement) && isExported(statement) && statement.name !== undefined) {
      exported.push([isDefault(statement) ? 'default' : statement.name.text, statement.name.text, statement]);
    } else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name))
          exported.push([declaration.name.text, declaration.name.text, declaration]);
        // `export const { auth, handlers } = NextAuth(config)`
        else if (ts.isObjectBindingPattern(declaration.name))
          for (const element of declaration.name.elements)
            if (ts.isIdentifier(element.name)) exported.push([element.name.text, element.name.text, element]);
      }
    } else if (ts.isExportAssignment(statement)) {
      const expression = statement.expression;
      const wrapper = readAuthWrapper(ctx, expression, middlewareFile);
      if (wrapper?.callee !== undefined) (facts.authWrappers ??= {}).default = wrapper;
      const local = ts.isIdentifier(expression)
        ? expression.text
        : isFunctionLike(expression)
          ? functionId(ctx, expression)
          : ts.isCallExpression(expression)
            ? callLocal(ctx, expression)
            : undefined;
      if (local !== undefined) exported.push(['default', local, statement]);
    } else if (ts.isExportDeclaration(statement)) {
      const specifier = statement.moduleSpecifier !== undefined ? stringValue(statement.moduleSpecifier) : undefined;
      const clause = statement.exportClause;
      if (specifier !== undefined) {
        const names: Record<string, string> = {};
        if (clause !== undefined && ts.isNamedExports(clause))
          for (const element of clause.elements) names[element.name.text] = (element.propertyName ?? element.name).text;
        facts.reexports.push({ specifier, ...(clause === undefined ? {} : { names }) });
      } else if (clause !== undefined && ts.isNamedExports(clause)) {
        for (const element of clause.elements)
          exported.push([element.name.text, (element.propertyName ?? element.name).text, element]);
      }
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const left = statement.expression.left.getText(sf);
      const right = statement.expression.right;
      if (left === 'module.exports') {
        if (ts.isIdentifier(right)) exported.push(['default', right.text, statement]);
        else if (isFunctionLike(right)) exported.push(['default', functionId(ctx, right), statement]);
        else if (ts.isObjectLiteralExpression(right))
          // `module.exports = { systemEndpoints, auth: requireAuth }`
          for (const property of right.properties) {
            if (ts.isShorthandPropertyAssignment(property))
              exported.push([property.name.text, property.name.text, property]);
            else if (
              ts.isPropertyAssignment(property) &&
              ts.isIdentifier(property.name) &&
              ts.isIdentifier(property.initializer)
            )
              exported.push([property.name.text, property.initializer.text, property]);
          }
      } else if (/^(?:module\.)?exports\.\w+$/.test(left) && ts.isIdentifier(right))
        exported.push([left.replace(/^.*\./, ''), right.text, statement]);
    }
  }
  for (const [name, local] of exported) facts.exports[name] = local;

  if (nextRoute !== undefined) {
    for (const [name, local, node] of exported) {
      const method =
        nextRoute.kind === 'next-pages'
          ? name === 'default'
            ? 'ALL'
            : undefined
          : NEXT_METHODS.has(name)
            ? name
            : undefined;
      if (method === undefined) continue;
      facts.routes.push({
        framework: nextRoute.kind,
        router: '',
        method,
        path: nextRoute.path,
        span: span(sf, node),
        order: node.getStart(sf),
        ...wrappedHandler(ctx, local, node),
      });
    }
  }
  if (facts.directive === 'use server') {
    for (const [name, local, node] of exported) {
      if (name === 'default' && !facts.functions.some((fn) => fn.id === local)) continue;
      facts.routes.push({
        framework: 'next-action',
        router: '',
        method: 'POST',
        path: `action:${name}`,
        span: span(sf, node),
        order: node.getStart(sf),
        ...wrappedHandler(ctx, local, node),
      });
    }
  }
  if (middlewareFile) {
    // Next.js runs `middleware` (`proxy` from Next 16) or the default export, also when re-exported
    // (`export { auth as middleware } from '@/auth'`) or built by a wrapper (`export default clerkMiddleware()`).
    const exportName = ['middleware', 'proxy', 'default'].find(
      (name) =>
        facts.exports[name] !== undefined ||
        (name === 'default' && facts.authWrappers?.default !== undefined) ||
        facts.reexports.some((reexport) => reexport.names?.[name] !== undefined),
    );
    const handlerLocal = exportName === undefined ? undefined : (facts.exports[exportName] ?? exportName);
    if (exportName !== undefined && handlerLocal !== undefined) {
      const exportNode = exported.find(([name]) => name === exportName)?.[2];
      const exportStatement =
        exportNode ??
        sf.statements.find(
          (statement) =>
            ts.isExportDeclaration(statement) &&
            statement.exportClause !== undefined &&
            ts.isNamedExports(statement.exportClause) &&
            statement.exportClause.elements.some((element) => element.name.text === exportName),
        ) ??
        sf.statements.find(ts.isExportAssignment);
      let matchers: string[] | undefined;
      for (const statement of sf.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (
            !ts.isIdentifier(declaration.name) ||
            declaration.name.text !== 'config' ||
            declaration.initializer === undefined
          )
            continue;
          const init = declaration.initializer;
          if (!ts.isObjectLiteralExpression(init)) continue;
          for (const property of init.properties) {
            if (
              !ts.isPropertyAssignment(property) ||
              !ts.isIdentifier(property.name) ||
              property.name.text !== 'matcher'
            )
              continue;
            const value = property.initializer;
            if (ts.isArrayLiteralExpression(value))
              matchers = value.elements.flatMap((e) => {
                const s = stringValue(e);
                if (s !== undefined) return [s];
                if (ts.isObjectLiteralExpression(e))
                  for (const p of e.properties)
                    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'source')
                      return [stringValue(p.initializer) ?? ''];
                return [];
              });
            else {
              const s = stringValue(value);
              if (s !== undefined) matchers = [s];
            }
          }
        }
      }
      const declaration = exportNode !== undefined && ts.isVariableDeclaration(exportNode) ? exportNode : undefined;
      const alias =
        declaration?.initializer !== undefined && ts.isIdentifier(unwrapExpression(declaration.initializer))
          ? (unwrapExpression(declaration.initializer) as ts.Identifier).text
          : undefined;
      facts.nextMiddleware = {
        ...(matchers === undefined ? {} : { matchers }),
        ...(alias === undefined ? {} : { alias }),
        handler: { kind: 'ref', ref: { name: handlerLocal } },
        exportName,
        line: exportStatement === undefined ? 1 : span(sf, exportStatement).line,
      };
    }
  }
}

/**
 * An exported handler built by a wrapper — `export const POST = withAuth(async (req) => …)`,
 * `export default withApiAuthRequired(handler)`, `const action = withServerActionAuth(fn); export { action }` —
 * is the wrapped function behind the wrapper as its middleware, like an Express chain: the wrapper may
 * guard, the wrapped function holds the work.
 */
function wrappedHandler(ctx: Ctx, local: string, node: ts.Node): { middlewares: HandlerRef[]; handler: HandlerRef } {
  const plain = { middlewares: [], handler: { kind: 'ref', ref: { name: local } } } satisfies {
    middlewares: HandlerRef[];
    handler: HandlerRef;
  };
  let init: ts.Expression | undefined;
  if (ts.isExportAssignment(node)) init = node.expression;
  else if (ts.isVariableDeclaration(node)) init = node.initializer;
  else
    for (const statement of ctx.sf.statements)
      if (ts.isVariableStatement(statement))
        for (const declaration of statement.declarationList.declarations)
          if (ts.isIdentifier(declaration.name) && declaration.name.text === local) init = declaration.initializer;
  if (init === undefined) return plain;
  const call = unwrapExpression(init);
  if (!ts.isCallExpression(call) || nameRef(call.expression) === undefined) return plain;
  // `validatedAction(schema, async (data) => …)`: the inline function is the handler, not the schema before it.
  const inner = call.arguments.find((arg) => isFunctionLike(arg)) ?? call.arguments.find((arg) => ts.isIdentifier(arg));
  if (inner === undefined) return plain;
  return { middlewares: [handlerRef(ctx, call)], handler: handlerRef(ctx, inner) };
}

/** `export default withAuth(function handler…)` / `export default clerkMiddleware(…)`: the wrapper's callee. */
function callLocal(ctx: Ctx, call: ts.CallExpression): string | undefined {
  for (const arg of call.arguments) if (isFunctionLike(arg)) return functionId(ctx, arg);
  return undefined;
}
