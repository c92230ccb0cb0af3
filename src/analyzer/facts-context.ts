/**
 * The reading context of one file and the syntax helpers every part of the facts reader shares
 * (function ids, names at call sites, deny evidence). `facts.ts` reads a file; `facts-middleware.ts`
 * reads what Next.js middleware denies and under which request conditions.
 */
import { ts } from 'ts-morph';

import { TOKEN_VERIFIERS } from '../detectors/route-evidence.js';
import type { FileFacts, HandlerRef, NameRef, Span } from './types.js';

/** Error messages that say the caller is turned away. */
export const DENY_MESSAGE =
  /unauthori[sz]ed|forbidden|unauthenticated|not (?:signed|logged) in|not allowed|access denied|permission denied/i;

/** Relation names that stand for the tenant (`where: { org: { id } }`). */
export const TENANT_RELATIONS = new Set(['tenant', 'org', 'organization', 'workspace', 'team', 'account']);

/** The call verifies a token: jose `jwtVerify`, `jwt.verify`, Fastify `request.jwtVerify()`. */
export function isTokenVerifierCall(ctx: Ctx, call: ts.CallExpression): boolean {
  const ref = nameRef(call.expression);
  if (ref === undefined) {
    return ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'jwtVerify';
  }
  if (ref.member === 'jwtVerify') return true;
  const imported = moduleOf(ctx, ref.name);
  if (imported === undefined) return false;
  const names = TOKEN_VERIFIERS[imported[0]];
  if (names === undefined) return false;
  const used = ref.member ?? imported[1];
  return names.includes(used);
}

const AUTH_OFF_WHEN_TRUE =
  /^(?:(?:skip|bypass|disable|no|without)Auth\w*|public|isPublic|allowAnonymous|anonymous|optional|unauthenticated)$/i;
const AUTH_OFF_WHEN_FALSE =
  /^(?:auth|requireAuth|authRequired|authenticate|authenticated|credentialsRequired|requireUser|requireSession|protect|protected|secure)$/i;

/** A call whose options turn authentication off: `parseRequest(req, schema, { skipAuth: true })`, express-jwt `{ credentialsRequired: false }`. */
export function turnsAuthOff(call: ts.CallExpression): boolean {
  return call.arguments.some(
    (arg) =>
      ts.isObjectLiteralExpression(arg) &&
      arg.properties.some((property) => {
        if (
          !ts.isPropertyAssignment(property) ||
          !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        )
          return false;
        const key = property.name.text;
        const value = property.initializer.kind;
        return (
          (value === ts.SyntaxKind.TrueKeyword && AUTH_OFF_WHEN_TRUE.test(key)) ||
          (value === ts.SyntaxKind.FalseKeyword && AUTH_OFF_WHEN_FALSE.test(key))
        );
      }),
  );
}

/** Marks a middleware reference configured not to authenticate (`authenticate({ optional: true })`). */
export const AUTH_OFF_PREFIX = 'auth off: ';

/** A 401 or 403 status literal. */
export function isDenyNumber(node: ts.Node): boolean {
  return ts.isNumericLiteral(node) && (node.text === '401' || node.text === '403');
}

/** What reading one file carries: the source, the facts so far, imports by local name, function ids. */
export interface Ctx {
  sf: ts.SourceFile;
  facts: FileFacts;
  /** local name → [module, imported name] */
  importsByLocal: Map<string, [string, string]>;
  anonymous: Map<ts.Node, string>;
  usedNames: Set<string>;
}

export function span(sf: ts.SourceFile, node: ts.Node): Span {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function stringValue(node: ts.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

export function nameRef(node: ts.Expression): NameRef | undefined {
  if (ts.isIdentifier(node)) return { name: node.text };
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression))
    return { name: node.expression.text, member: node.name.text };
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword)
    return { name: 'this', member: node.name.text };
  return undefined;
}

export function rootIdentifier(node: ts.Expression): string | undefined {
  let current: ts.Expression = node;
  for (;;) {
    if (ts.isIdentifier(current)) return current.text;
    if (current.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = current.expression;
    else if (ts.isCallExpression(current)) current = current.expression;
    else if (ts.isNonNullExpression(current) || ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current))
      current = current.expression;
    else return undefined;
  }
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

export function functionName(node: ts.FunctionLikeDeclaration): string | undefined {
  if (
    (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) &&
    node.name !== undefined &&
    ts.isIdentifier(node.name)
  )
    return node.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

export function functionId(ctx: Ctx, node: ts.FunctionLikeDeclaration): string {
  let id = ctx.anonymous.get(node);
  if (id !== undefined) return id;
  const named = functionName(node);
  // Members (methods, class fields holding a function) are never called by their bare name: they get
  // a positional id, so a same-named function in the file keeps the plain one.
  const member = ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node.parent);
  if (named !== undefined && !member && !ctx.usedNames.has(named)) id = named;
  else {
    const { line, column } = span(ctx.sf, node);
    id = `${named ?? '<anonymous'}@${String(line)}:${String(column)}${named === undefined ? '>' : ''}`;
  }
  ctx.usedNames.add(id);
  ctx.anonymous.set(node, id);
  return id;
}

export function moduleOf(ctx: Ctx, name: string): [string, string] | undefined {
  return ctx.importsByLocal.get(name);
}

/** `express.json()`, `bodyParser.json()`, `json()` from express/body-parser → a parser marker. */
export function parserKind(ctx: Ctx, call: ts.CallExpression): HandlerRef | undefined {
  const ref = nameRef(call.expression);
  if (ref === undefined) return undefined;
  const moduleName = moduleOf(ctx, ref.name)?.[0];
  if (moduleName !== 'express' && moduleName !== 'body-parser') return undefined;
  const method = ref.member ?? moduleOf(ctx, ref.name)?.[1];
  if (method === 'json' || method === 'urlencoded') return { kind: 'json-parser' };
  if (method === 'raw' || method === 'text') return { kind: 'raw-parser' };
  return undefined;
}

export function handlerRef(ctx: Ctx, node: ts.Expression): HandlerRef {
  if (isFunctionLike(node)) return { kind: 'function', id: functionId(ctx, node) };
  if (ts.isCallExpression(node)) {
    // `authenticate({ optional: true })`: a middleware configured not to authenticate guards nothing.
    if (turnsAuthOff(node)) return { kind: 'other', text: `${AUTH_OFF_PREFIX}${node.getText(ctx.sf).slice(0, 60)}` };
    const parser = parserKind(ctx, node);
    if (parser !== undefined) return parser;
    const ref = nameRef(node.expression);
    if (ref !== undefined) {
      const moduleName = moduleOf(ctx, ref.name)?.[0];
      return {
        kind: 'call',
        ref,
        ...(moduleName === undefined ? {} : { module: moduleName }),
        offset: node.expression.getStart(ctx.sf),
      };
    }
  }
  const ref = nameRef(node);
  if (ref !== undefined) return { kind: 'ref', ref, offset: node.getStart(ctx.sf) };
  return { kind: 'other', text: node.getText(ctx.sf).slice(0, 60) };
}

export function objectKeys(
  node: ts.Node | undefined,
  keys: Set<string>,
  helpers: NameRef[],
  identifiers: string[],
  depth = 0,
): void {
  if (node === undefined || depth > 6) return;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
    objectKeys(node.expression, keys, helpers, identifiers, depth);
    return;
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isShorthandPropertyAssignment(property)) keys.add(property.name.text);
      else if (ts.isPropertyAssignment(property)) {
        const key =
          ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
        if (key !== undefined) keys.add(key);
        if (key === 'AND' || key === 'OR' || key === 'where' || (key !== undefined && TENANT_RELATIONS.has(key)))
          objectKeys(property.initializer, keys, helpers, identifiers, depth + 1);
      } else if (ts.isSpreadAssignment(property))
        objectKeys(property.expression, keys, helpers, identifiers, depth + 1);
    }
    return;
  }
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) objectKeys(element, keys, helpers, identifiers, depth + 1);
    return;
  }
  if (ts.isCallExpression(node)) {
    const ref = nameRef(node.expression);
    if (ref !== undefined) helpers.push(ref);
    for (const arg of node.arguments) objectKeys(arg, keys, helpers, identifiers, depth + 1);
    return;
  }
  if (ts.isIdentifier(node)) identifiers.push(node.text);
}

export function enclosingCallees(node: ts.Node): NameRef[] {
  const callees: NameRef[] = [];
  let current: ts.Node | undefined = node.parent;
  while (current !== undefined) {
    if (
      isFunctionLike(current) &&
      ts.isCallExpression(current.parent) &&
      current.parent.arguments.includes(current as ts.Expression)
    ) {
      const ref = nameRef(current.parent.expression);
      if (ref !== undefined) callees.push(ref);
    }
    current = current.parent;
  }
  return callees;
}

export function enclosingFunction(ctx: Ctx, node: ts.Node): string | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current !== undefined) {
    if (isFunctionLike(current)) return functionId(ctx, current);
    current = current.parent;
  }
  return undefined;
}
