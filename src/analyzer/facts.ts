import { ts } from 'ts-morph';

import {
  type Ctx,
  span,
  stringValue,
  nameRef,
  isFunctionLike,
  functionName,
  functionId,
  objectKeys,
  turnsAuthOff,
} from './facts-context.js';
import { CLERK_MODULES, routeMatchers, readDenySites, recordAuthWrapper } from './facts-middleware.js';
import type { FileFacts, ImportFact } from './types.js';
import { analyseFunction, collectVerifierInstances } from './facts-function.js';
import { readComments } from './facts-comments.js';
import { readConditionCall, returnsPromise } from './facts-conditions.js';
import {
  DRIZZLE_TABLE_FACTORIES,
  readDrizzleQuery,
  readDrizzleRelationalQuery,
  readObjectQuery,
  readPrismaQuery,
  readRawSqlCall,
  readSqlTemplate,
} from './facts-query.js';
import {
  isNextMiddlewareFile,
  nextRoutePath,
  readExports,
  readRouteCall,
  readRouterPass,
  ROUTER_TYPES,
  routerFramework,
} from './facts-routes.js';

/** Deno/Supabase edge specifiers (`npm:stripe@14`, `https://esm.sh/svix@1`, `jsr:@std/x`) → the package name. */
export function normalizeSpecifier(specifier: string): string {
  const stripped = specifier.replace(
    /^(?:npm:|jsr:|https?:\/\/(?:esm\.sh|cdn\.skypack\.dev|deno\.land\/x|esm\.run)\/)/,
    '',
  );
  if (stripped === specifier) return specifier;
  const match = /^(@[^/@]+\/[^/@]+|[^/@]+)(?:@[^/]*)?(\/.*)?$/.exec(stripped);
  return match === null ? stripped : `${match[1] ?? ''}${match[2] ?? ''}`;
}

/** Reads one file's facts. Pure function of (relative path, source file). */
export function readFacts(file: string, sf: ts.SourceFile): FileFacts {
  const facts: FileFacts = {
    file,
    imports: [],
    exports: {},
    reexports: [],
    functions: [],
    routers: {},
    routes: [],
    uses: [],
    queries: [],
    drizzleTables: [],
    envReads: [],
    comments: [],
    callInits: {},
    objectInits: {},
    serverOnly: false,
  };
  const ctx: Ctx = { sf, facts, importsByLocal: new Map(), anonymous: new Map(), usedNames: new Set() };
  // File-level functions own their plain names, whatever nested function of the same name comes first.
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement)) functionId(ctx, statement);
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (declaration.initializer !== undefined && isFunctionLike(declaration.initializer))
          functionId(ctx, declaration.initializer);
  }

  // Directives and imports first: everything else resolves names through them.
  for (const statement of sf.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
      const value = statement.expression.text;
      if (value === 'use client' || value === 'use server') facts.directive ??= value;
      continue;
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = normalizeSpecifier(statement.moduleSpecifier.text);
      if (specifier === 'server-only') facts.serverOnly = true;
      const bindings: Record<string, string> = {};
      const clause = statement.importClause;
      if (clause?.name !== undefined) bindings[clause.name.text] = 'default';
      const named = clause?.namedBindings;
      if (named !== undefined && ts.isNamespaceImport(named)) bindings[named.name.text] = '*';
      if (named !== undefined && ts.isNamedImports(named))
        for (const element of named.elements) bindings[element.name.text] = (element.propertyName ?? element.name).text;
      const { line, character } = sf.getLineAndCharacterOfPosition(statement.getStart(sf));
      const fact: ImportFact = {
        specifier,
        bindings,
        line: line + 1,
        column: character + 1,
        typeOnly: clause?.isTypeOnly === true,
      };
      facts.imports.push(fact);
      for (const [local, imported] of Object.entries(bindings)) ctx.importsByLocal.set(local, [specifier, imported]);
    }
  }

  const verifierInstances = collectVerifierInstances(ctx);
  const nextRoute = nextRoutePath(file);
  const middlewareFile = isNextMiddlewareFile(file);

  const visit = (node: ts.Node): void => {
    // require('x') bindings behave like imports.
    if (ts.isVariableDeclaration(node) && node.initializer !== undefined) {
      const init = node.initializer;
      if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
        const rawSpecifier = stringValue(init.arguments[0]);
        if (rawSpecifier !== undefined) {
          const specifier = normalizeSpecifier(rawSpecifier);
          const bindings: Record<string, string> = {};
          if (ts.isIdentifier(node.name)) bindings[node.name.text] = 'default';
          else if (ts.isObjectBindingPattern(node.name))
            for (const element of node.name.elements)
              if (ts.isIdentifier(element.name))
                bindings[element.name.text] =
                  element.propertyName !== undefined && ts.isIdentifier(element.propertyName)
                    ? element.propertyName.text
                    : element.name.text;
          const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          facts.imports.push({ specifier, bindings, line: line + 1, column: character + 1, typeOnly: false });
          for (const [local, imported] of Object.entries(bindings))
            ctx.importsByLocal.set(local, [specifier, imported]);
        }
      }
      recordAuthWrapper(ctx, node, middlewareFile);
      if (ts.isIdentifier(node.name)) {
        const name = node.name.text;
        const framework = routerFramework(ctx, init);
        if (framework !== undefined) facts.routers[name] = framework;
        let unwrapped: ts.Expression = init;
        while (ts.isAwaitExpression(unwrapped) || ts.isParenthesizedExpression(unwrapped))
          unwrapped = unwrapped.expression;
        if (ts.isCallExpression(unwrapped)) {
          const ref = nameRef(unwrapped.expression);
          if (ref !== undefined && ref.name !== 'require') facts.callInits[name] = ref;
        }
        if (ts.isObjectLiteralExpression(unwrapped)) {
          const keys = new Set<string>();
          objectKeys(unwrapped, keys, [], []);
          facts.objectInits[name] = [...keys];
          // `const auth = { required: jwt({…}), optional: jwt({ credentialsRequired: false }) }`: `auth.required` is
          // what `jwt` made; an entry whose options turn auth off is left out (it never guards).
          for (const property of unwrapped.properties) {
            if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
            const value = property.initializer;
            if (!ts.isCallExpression(value)) continue;
            if (turnsAuthOff(value)) {
              (facts.authOffInits ??= []).push(`${name}.${property.name.text}`);
              continue;
            }
            const ref = nameRef(value.expression);
            if (ref !== undefined) facts.callInits[`${name}.${property.name.text}`] = ref;
          }
        }
        if (
          ts.isCallExpression(unwrapped) &&
          ts.isIdentifier(unwrapped.expression) &&
          DRIZZLE_TABLE_FACTORIES.has(unwrapped.expression.text)
        ) {
          const table = stringValue(unwrapped.arguments[0]);
          const columnsArg = unwrapped.arguments[1];
          if (table !== undefined && columnsArg !== undefined && ts.isObjectLiteralExpression(columnsArg)) {
            const columns: string[] = [];
            for (const property of columnsArg.properties) {
              if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
              columns.push(property.name.text);
              let value: ts.Expression = property.initializer;
              while (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression))
                value = value.expression.expression;
              if (ts.isCallExpression(value)) {
                const dbName = stringValue(value.arguments[0]);
                if (dbName !== undefined) columns.push(dbName);
              }
            }
            facts.drizzleTables.push({ variable: name, table, columns, line: span(sf, node).line });
          }
        }
      }
    }
    if (isFunctionLike(node)) {
      const fact = analyseFunction(ctx, node, verifierInstances);
      if (returnsPromise(node)) fact.async = true;
      if (
        middlewareFile ||
        fact.readsSession ||
        fact.denies ||
        fact.verifiesToken ||
        functionName(node) === 'authorized'
      )
        fact.denySites = readDenySites(ctx, node, fact);
      facts.functions.push(fact);
      for (const parameter of node.parameters) {
        const typeName =
          parameter.type !== undefined && ts.isTypeReferenceNode(parameter.type)
            ? parameter.type.typeName.getText(sf)
            : undefined;
        const framework = typeName === undefined ? undefined : ROUTER_TYPES[typeName.replace(/^.*\./, '')];
        if (framework !== undefined && ts.isIdentifier(parameter.name)) {
          facts.routers[parameter.name.text] ??= framework;
          (facts.routerParams ??= {})[parameter.name.text] ??= functionId(ctx, node);
        }
      }
      const body = node.body;
      if (body !== undefined && ts.isBlock(body)) {
        const first = body.statements[0];
        if (
          first !== undefined &&
          ts.isExpressionStatement(first) &&
          ts.isStringLiteral(first.expression) &&
          first.expression.text === 'use server' &&
          facts.directive !== 'use server'
        ) {
          facts.routes.push({
            framework: 'next-action',
            router: '',
            method: 'POST',
            path: `action:${functionId(ctx, node)}`,
            span: span(sf, node),
            order: node.getStart(sf),
            middlewares: [],
            handler: { kind: 'function', id: functionId(ctx, node) },
          });
        }
      }
    }
    if (ts.isCallExpression(node)) {
      readCall(ctx, node);
      const condition = readConditionCall(ctx, node);
      if (condition !== undefined) (facts.conditionCalls ??= []).push(condition);
    }
    if (ts.isTaggedTemplateExpression(node)) {
      const query = readSqlTemplate(ctx, node);
      if (query !== undefined) facts.queries.push(query);
    }
    if (ts.isPropertyAccessExpression(node)) readEnv(ctx, node);
    if (ts.isElementAccessExpression(node)) readEnv(ctx, node);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer !== undefined &&
      isProcessEnv(node.initializer)
    ) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key)) facts.envReads.push({ name: key.text, span: span(sf, element) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  readExports(ctx, nextRoute, middlewareFile);
  if (facts.imports.some((fact) => CLERK_MODULES.has(fact.specifier))) {
    const matchers = routeMatchers(ctx);
    if (matchers.size > 0) facts.routeMatchers = Object.fromEntries(matchers);
  }
  facts.comments = readComments(ctx);
  return facts;
}

function isProcessEnv(node: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ((ts.isIdentifier(node.expression) && node.expression.text === 'process') ||
      (ts.isMetaProperty(node.expression) && node.expression.name.text === 'meta') ||
      (ts.isPropertyAccessExpression(node.expression) && node.expression.getText() === 'import.meta'))
  );
}

function readEnv(ctx: Ctx, node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
  if (!isProcessEnv(node.expression)) return;
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : stringValue(node.argumentExpression);
  if (name !== undefined) ctx.facts.envReads.push({ name, span: span(ctx.sf, node) });
}

/** A method call: a query it runs, or a route it registers. */
function readCall(ctx: Ctx, call: ts.CallExpression): void {
  const { facts } = ctx;
  const callee = call.expression;
  readRouterPass(ctx, call);
  if (!ts.isPropertyAccessExpression(callee)) return;
  const query =
    readDrizzleRelationalQuery(ctx, call, callee) ??
    readPrismaQuery(ctx, call, callee) ??
    readDrizzleQuery(ctx, call, callee) ??
    readRawSqlCall(ctx, call, callee) ??
    readObjectQuery(ctx, call);
  if (query !== undefined) facts.queries.push(query);
  readRouteCall(ctx, call, callee);
}
