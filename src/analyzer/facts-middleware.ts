import { ts } from 'ts-morph';

import { DENY_ERROR, isSessionName, LOGIN_PATH } from '../detectors/route-evidence.js';
import {
  DENY_MESSAGE,
  functionId,
  handlerRef,
  isDenyNumber,
  isFunctionLike,
  isTokenVerifierCall,
  moduleOf,
  nameRef,
  rootIdentifier,
  span,
  stringValue,
  type Ctx,
} from './facts-context.js';
import type { AuthWrapperFact, DenySite, FunctionFact, RequestCondition } from './types.js';

// Next.js middleware facts: where a function turns away a caller without a session, under which request
// conditions, and what auth wrappers (Clerk, NextAuth/Auth.js) a file builds.

export const CLERK_MODULES = new Set(['@clerk/nextjs', '@clerk/nextjs/server']);
const AUTH_WRAPPER_MODULES = new Set([...CLERK_MODULES, 'next-auth', 'next-auth/middleware']);
const NOT_FOLLOWED = new Set([
  'fetch',
  'URL',
  'String',
  'Number',
  'Boolean',
  'Array',
  'Object',
  'JSON',
  'Promise',
  'Date',
  'encodeURIComponent',
  'decodeURIComponent',
  'parseInt',
  'parseFloat',
  'setTimeout',
  'require',
]);
const routeMatcherMemo = new WeakMap<ts.SourceFile, Map<string, RequestCondition>>();
const moduleConstantMemo = new WeakMap<ts.SourceFile, Map<string, ts.Expression>>();

/** Top-level `const` initialisers of the file. */
function moduleConstants(ctx: Ctx): Map<string, ts.Expression> {
  const memo = moduleConstantMemo.get(ctx.sf);
  if (memo !== undefined) return memo;
  const found = new Map<string, ts.Expression>();
  for (const statement of ctx.sf.statements)
    if (ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.Const) !== 0)
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.initializer !== undefined)
          found.set(declaration.name.text, declaration.initializer);
  moduleConstantMemo.set(ctx.sf, found);
  return found;
}

function unknownCondition(sf: ts.SourceFile, node: ts.Node): RequestCondition {
  const start = node.getStart(sf);
  return { kind: 'unknown', text: sf.text.slice(start, Math.min(node.getEnd(), start + 60)) };
}

/** Folds constants so a fact holds a small formula (or a constant the reader can drop). */
export function simplifyCondition(condition: RequestCondition): RequestCondition {
  if (condition.kind === 'not') {
    const inner = simplifyCondition(condition.of);
    if (inner.kind === 'always') return { kind: 'never' };
    if (inner.kind === 'never') return { kind: 'always' };
    if (inner.kind === 'not') return inner.of;
    return { kind: 'not', of: inner };
  }
  if (condition.kind === 'and' || condition.kind === 'or') {
    const absorbing = condition.kind === 'and' ? 'never' : 'always';
    const neutral = condition.kind === 'and' ? 'always' : 'never';
    const parts: RequestCondition[] = [];
    for (const part of condition.of.map(simplifyCondition)) {
      if (part.kind === absorbing) return part;
      if (part.kind === neutral) continue;
      if (part.kind === condition.kind) parts.push(...part.of);
      else parts.push(part);
    }
    if (parts.length === 0) return { kind: neutral };
    if (parts.length === 1 && parts[0] !== undefined) return parts[0];
    return { kind: condition.kind, of: parts };
  }
  return condition;
}

export function unwrapExpression(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAwaitExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current)
  )
    current = current.expression;
  return current;
}

/** `const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])` (Clerk): local name → the path test it makes. */
export function routeMatchers(ctx: Ctx): Map<string, RequestCondition> {
  const memo = routeMatcherMemo.get(ctx.sf);
  if (memo !== undefined) return memo;
  const found = new Map<string, RequestCondition>();
  for (const statement of ctx.sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer === undefined ? undefined : unwrapExpression(declaration.initializer);
      if (!ts.isIdentifier(declaration.name) || init === undefined || !ts.isCallExpression(init)) continue;
      const ref = nameRef(init.expression);
      const imported = ref === undefined ? undefined : moduleOf(ctx, ref.name);
      if (imported === undefined || !CLERK_MODULES.has(imported[0])) continue;
      if ((ref?.member ?? imported[1]) !== 'createRouteMatcher') continue;
      const arg = init.arguments[0];
      const elements = arg === undefined ? [] : ts.isArrayLiteralExpression(arg) ? [...arg.elements] : [arg];
      const patterns: string[] = [];
      const regexes: string[] = [];
      const tests: RequestCondition[] = [];
      for (const element of elements) {
        const value = stringValue(element);
        if (value !== undefined) patterns.push(value);
        else if (ts.isRegularExpressionLiteral(element)) regexes.push(element.text);
        else tests.push(unknownCondition(ctx.sf, element));
      }
      if (patterns.length > 0) tests.push({ kind: 'path', test: 'patterns', values: patterns });
      if (regexes.length > 0) tests.push({ kind: 'path', test: 'regex', values: regexes });
      found.set(declaration.name.text, simplifyCondition({ kind: 'or', of: tests }));
    }
  }
  routeMatcherMemo.set(ctx.sf, found);
  return found;
}

/** Names that hold the caller's session or credentials: falsy when nobody is signed in. */
function isSessionish(name: string): boolean {
  return isSessionName(name) || /token$/i.test(name) || /^session[A-Z]/.test(name);
}

/** Some condition on the way to `node` reads the session (`if (!user)`, `if (role !== 'admin')` on the claims). */
function sessionGated(node: ts.Node, fn: ts.Node, locals: Locals): boolean {
  const reads = (expression: ts.Expression): boolean => {
    let found = false;
    const visit = (child: ts.Node): void => {
      if (found || isFunctionLike(child)) return;
      if (
        (ts.isIdentifier(child) || ts.isPropertyAccessExpression(child) || ts.isCallExpression(child)) &&
        isSessionValue(child, locals)
      )
        found = true;
      else ts.forEachChild(child, visit);
    };
    visit(expression);
    return found;
  };
  let child: ts.Node = node;
  for (let parent = node.parent; parent !== fn && !isFunctionLike(parent); parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression && reads(parent.expression)) return true;
    if (ts.isConditionalExpression(parent) && child !== parent.condition && reads(parent.condition)) return true;
    if (ts.isBinaryExpression(parent) && child === parent.right && reads(parent.left)) return true;
    if (ts.isBlock(parent))
      for (const statement of parent.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement) && exits(statement.thenStatement) && reads(statement.expression)) return true;
      }
    child = parent;
  }
  return false;
}

function accessNames(node: ts.Expression): string[] | undefined {
  const names: string[] = [];
  let current: ts.Expression = node;
  for (;;) {
    current = unwrapExpression(current);
    if (ts.isPropertyAccessExpression(current)) {
      names.push(current.name.text);
      current = current.expression;
    } else if (ts.isElementAccessExpression(current)) {
      const key = stringValue(current.argumentExpression);
      if (key !== undefined) names.push(key);
      current = current.expression;
    } else if (ts.isCallExpression(current)) {
      // `request.cookies.get('session')?.value`: the key read counts as a name.
      const key = stringValue(current.arguments[0]);
      if (key !== undefined) names.push(key.replace(/[^A-Za-z]/g, ''));
      current = current.expression;
    } else if (ts.isIdentifier(current)) {
      names.push(current.text);
      return names;
    } else return undefined;
  }
}

type Locals = ReadonlyMap<string, ts.Expression>;

/** The expression is the request path (`req.nextUrl.pathname`, a destructured `pathname`, a local copy). */
function isPathExpression(node: ts.Expression, locals: Locals, depth = 0): boolean {
  const expression = unwrapExpression(node);
  if (ts.isIdentifier(expression)) {
    const init = locals.get(expression.text);
    if (expression.text === 'pathname') return true;
    return init !== undefined && depth < 4 && isPathExpression(init, locals, depth + 1);
  }
  return ts.isPropertyAccessExpression(expression) && expression.name.text === 'pathname';
}

function isMethodExpression(node: ts.Expression): boolean {
  const expression = unwrapExpression(node);
  return ts.isPropertyAccessExpression(expression) && expression.name.text === 'method';
}

/** The expression reads the session (or a credential) and so is absent for a caller without one. */
function isSessionValue(node: ts.Expression, locals: Locals, depth = 0): boolean {
  const expression = unwrapExpression(node);
  if (ts.isCallExpression(expression)) {
    const names = accessNames(expression.expression);
    if (names?.[0] !== undefined && isSessionish(names[0])) return true;
    // `request.cookies.get('session')`
    const key = stringValue(expression.arguments[0]);
    return names?.[0] === 'get' && key !== undefined && isSessionish(key.replace(/[^A-Za-z]/g, ''));
  }
  const names = accessNames(expression);
  if (names === undefined) return false;
  if (names.length === 1 && names[0] !== undefined) {
    if (isSessionish(names[0])) return true;
    const init = locals.get(names[0]);
    return init !== undefined && depth < 4 && isSessionValue(init, locals, depth + 1);
  }
  return names.some(isSessionish);
}

function stringList(node: ts.Expression | undefined, locals: Locals): string[] | undefined {
  if (node === undefined) return undefined;
  let expression = unwrapExpression(node);
  if (ts.isIdentifier(expression)) {
    const init = locals.get(expression.text);
    if (init === undefined) return undefined;
    expression = unwrapExpression(init);
  }
  if (!ts.isArrayLiteralExpression(expression)) return undefined;
  const values = expression.elements.map((element) => stringValue(element));
  return values.every((value): value is string => value !== undefined) ? values : undefined;
}

function isNullish(node: ts.Expression): boolean {
  const expression = unwrapExpression(node);
  return (
    expression.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(expression) && expression.text === 'undefined')
  );
}

/**
 * When `node` is truthy, for a caller without a session: path and method tests stay symbolic,
 * session reads are falsy, anything else is unknown.
 */
function truthOf(ctx: Ctx, node: ts.Expression, locals: Locals, depth = 0): RequestCondition {
  const expression = unwrapExpression(node);
  const unknown = unknownCondition(ctx.sf, expression);
  if (depth > 8) return unknown;
  if (expression.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'always' };
  if (expression.kind === ts.SyntaxKind.FalseKeyword || isNullish(expression)) return { kind: 'never' };
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken)
    return { kind: 'not', of: truthOf(ctx, expression.operand, locals, depth + 1) };
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken)
      return {
        kind: operator === ts.SyntaxKind.AmpersandAmpersandToken ? 'and' : 'or',
        of: [truthOf(ctx, expression.left, locals, depth + 1), truthOf(ctx, expression.right, locals, depth + 1)],
      };
    return comparison(ctx, expression, locals) ?? unknown;
  }
  if (ts.isIdentifier(expression)) {
    const init = locals.get(expression.text);
    const value = init === undefined ? unknown : simplifyCondition(truthOf(ctx, init, locals, depth + 1));
    return value.kind === 'unknown' && isSessionish(expression.text) ? { kind: 'never' } : value;
  }
  if (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression))
    return isSessionValue(expression, locals) ? { kind: 'never' } : unknown;
  if (ts.isCallExpression(expression)) return callTruth(ctx, expression, locals, depth) ?? unknown;
  return unknown;
}

export function comparison(ctx: Ctx, node: ts.BinaryExpression, locals: Locals): RequestCondition | undefined {
  const operator = node.operatorToken.kind;
  const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
  const notEqual =
    operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
  if (!equal && !notEqual) return undefined;
  const loose = operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
  const wrap = (condition: RequestCondition): RequestCondition => (equal ? condition : { kind: 'not', of: condition });
  for (const [subject, other] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    const literal = stringValue(unwrapExpression(other));
    if (literal !== undefined && isPathExpression(subject, locals))
      return wrap({ kind: 'path', test: 'equals', values: [literal] });
    if (literal !== undefined && isMethodExpression(subject))
      return wrap({ kind: 'method', method: literal.toUpperCase() });
    if (isSessionValue(subject, locals) && !isSessionValue(other, locals)) {
      // An absent session is null or undefined: equal to either only when compared loosely.
      if (isNullish(other)) return loose ? wrap({ kind: 'always' }) : undefined;
      const otherExpression = unwrapExpression(other);
      if (
        literal !== undefined ||
        ts.isNumericLiteral(otherExpression) ||
        otherExpression.kind === ts.SyntaxKind.TrueKeyword
      )
        return wrap({ kind: 'never' });
    }
  }
  return undefined;
}

function callTruth(ctx: Ctx, call: ts.CallExpression, locals: Locals, depth: number): RequestCondition | undefined {
  const callee = unwrapExpression(call.expression);
  if (ts.isIdentifier(callee)) {
    const matcher = routeMatchers(ctx).get(callee.text);
    if (matcher !== undefined) return matcher;
    if (callee.text === 'Boolean' && call.arguments[0] !== undefined)
      return truthOf(ctx, call.arguments[0], locals, depth + 1);
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const receiver = callee.expression;
    const arg = call.arguments[0];
    const literal = stringValue(arg);
    if (method === 'startsWith' && literal !== undefined && isPathExpression(receiver, locals))
      return { kind: 'path', test: 'prefix', values: [literal] };
    if (method === 'includes' && arg !== undefined && isPathExpression(arg, locals)) {
      const values = stringList(receiver, locals);
      if (values !== undefined) return { kind: 'path', test: 'equals', values };
    }
    // `PUBLIC.some((p) => pathname.startsWith(p))` / `(p) => pathname === p`
    if (method === 'some' && arg !== undefined && ts.isArrowFunction(arg) && !ts.isBlock(arg.body)) {
      const values = stringList(receiver, locals);
      const param = arg.parameters[0]?.name;
      const body = unwrapExpression(arg.body);
      if (values !== undefined && param !== undefined && ts.isIdentifier(param)) {
        const isParam = (node: ts.Expression): boolean => ts.isIdentifier(node) && node.text === param.text;
        if (
          ts.isCallExpression(body) &&
          ts.isPropertyAccessExpression(body.expression) &&
          body.expression.name.text === 'startsWith' &&
          isPathExpression(body.expression.expression, locals) &&
          body.arguments[0] !== undefined &&
          isParam(body.arguments[0])
        )
          return { kind: 'path', test: 'prefix', values };
        if (
          ts.isBinaryExpression(body) &&
          body.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken &&
          ((isParam(body.left) && isPathExpression(body.right, locals)) ||
            (isParam(body.right) && isPathExpression(body.left, locals)))
        )
          return { kind: 'path', test: 'equals', values };
      }
    }
    const regex = unwrapExpression(receiver);
    if (method === 'test' && ts.isRegularExpressionLiteral(regex) && arg !== undefined && isPathExpression(arg, locals))
      return { kind: 'path', test: 'regex', values: [regex.text] };
    if (
      method === 'match' &&
      arg !== undefined &&
      ts.isRegularExpressionLiteral(arg) &&
      isPathExpression(receiver, locals)
    )
      return { kind: 'path', test: 'regex', values: [arg.text] };
  }
  if (isSessionValue(call, locals)) return { kind: 'never' };
  // `isProtectedRoute(req)` with the matcher imported from another file: looked up when linking.
  if (ts.isIdentifier(callee) && moduleOf(ctx, callee.text) !== undefined)
    return { kind: 'matcher', ref: { name: callee.text } };
  return undefined;
}

/** The statement always leaves the function (return or throw, also at the end of a block or both branches of an if). */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements.at(-1);
    return last !== undefined && exits(last);
  }
  if (ts.isIfStatement(statement))
    return statement.elseStatement !== undefined && exits(statement.thenStatement) && exits(statement.elseStatement);
  return false;
}

/** Memo of one function's reading: conditions per node and per block prefix. */
interface ReachMemo {
  nodes: Map<ts.Node, RequestCondition>;
  prefixes: Map<ts.Node, RequestCondition[]>;
}

/** For each statement of a block: the early returns before it (`if (isPublic(req)) return …`), negated. */
function blockPrefixes(
  ctx: Ctx,
  block: ts.Block | ts.CaseClause | ts.DefaultClause,
  locals: Locals,
  memo: ReachMemo,
): RequestCondition[] {
  const known = memo.prefixes.get(block);
  if (known !== undefined) return known;
  const prefixes: RequestCondition[] = [];
  let so: RequestCondition = { kind: 'always' };
  for (const statement of block.statements) {
    prefixes.push(so);
    let after: RequestCondition | undefined;
    if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) after = { kind: 'never' };
    else if (ts.isIfStatement(statement) && exits(statement.thenStatement))
      after =
        statement.elseStatement !== undefined && exits(statement.elseStatement)
          ? { kind: 'never' }
          : { kind: 'not', of: truthOf(ctx, statement.expression, locals) };
    if (after !== undefined) so = simplifyCondition({ kind: 'and', of: [so, after] });
  }
  memo.prefixes.set(block, prefixes);
  return prefixes;
}

/** The request conditions under which `node` is reached inside `fn`: enclosing branches and earlier early returns. */
function reachedWhen(ctx: Ctx, node: ts.Node, fn: ts.Node, locals: Locals, memo: ReachMemo): RequestCondition {
  const parent = node.parent;
  if (parent === fn || isFunctionLike(parent) || ts.isSourceFile(parent)) return { kind: 'always' };
  const known = memo.nodes.get(node);
  if (known !== undefined) return known;
  const parts: RequestCondition[] = [reachedWhen(ctx, parent, fn, locals, memo)];
  if (ts.isIfStatement(parent)) {
    if (node === parent.thenStatement) parts.push(truthOf(ctx, parent.expression, locals));
    else if (node === parent.elseStatement) parts.push({ kind: 'not', of: truthOf(ctx, parent.expression, locals) });
  } else if (ts.isConditionalExpression(parent)) {
    if (node === parent.whenTrue) parts.push(truthOf(ctx, parent.condition, locals));
    else if (node === parent.whenFalse) parts.push({ kind: 'not', of: truthOf(ctx, parent.condition, locals) });
  } else if (ts.isBinaryExpression(parent) && node === parent.right) {
    const operator = parent.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) parts.push(truthOf(ctx, parent.left, locals));
    else if (operator === ts.SyntaxKind.BarBarToken) parts.push({ kind: 'not', of: truthOf(ctx, parent.left, locals) });
    else if (operator === ts.SyntaxKind.QuestionQuestionToken) parts.push(unknownCondition(ctx.sf, parent.left));
  } else if (ts.isCatchClause(parent)) parts.push(unknownCondition(ctx.sf, parent));
  // A loop body may run zero times.
  else if (ts.isIterationStatement(parent, false) && !ts.isDoStatement(parent) && node === parent.statement)
    parts.push(unknownCondition(ctx.sf, parent));
  if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) parts.push(unknownCondition(ctx.sf, parent));
  if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
    const index = parent.statements.indexOf(node as ts.Statement);
    const prefix = index === -1 ? undefined : blockPrefixes(ctx, parent, locals, memo)[index];
    if (prefix !== undefined) parts.push(prefix);
  }
  const result = simplifyCondition({ kind: 'and', of: parts });
  memo.nodes.set(node, result);
  return result;
}

/**
 * Where the function turns away a caller without a session: `auth.protect()`, a redirect to
 * sign-in, a 401/403 answer, an auth error, a token check, a falsy return (for `authorized`
 * callbacks), or a call to a helper that may do one of these — each with the conditions under
 * which it is reached. Places that are never, or not knowably, reached are left out.
 */
export function readDenySites(ctx: Ctx, node: ts.FunctionLikeDeclaration, fact: FunctionFact): DenySite[] {
  const { sf } = ctx;
  const sites: DenySite[] = [];
  const body = node.body;
  if (body === undefined) return sites;
  const params = new Set(fact.params.filter((param) => param !== ''));
  // Module constants (`const PUBLIC = ['/login']`) are read in conditions; the function's own locals shadow them.
  const values = new Map<string, ts.Expression>(moduleConstants(ctx));
  const locals = new Map<string, ts.Expression>();
  const loginTargets = new Set<string>();
  const scan = (child: ts.Node): void => {
    if (isFunctionLike(child)) return;
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.initializer !== undefined) {
      locals.set(child.name.text, child.initializer);
      values.set(child.name.text, child.initializer);
      const init = unwrapExpression(child.initializer);
      if (ts.isNewExpression(init) && LOGIN_PATH.test(stringValue(init.arguments?.[0]) ?? ''))
        loginTargets.add(child.name.text);
    }
    // `const url = request.nextUrl.clone(); url.pathname = '/login'` (the Supabase SSR template).
    if (
      ts.isBinaryExpression(child) &&
      child.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(child.left) &&
      child.left.name.text === 'pathname' &&
      LOGIN_PATH.test(stringValue(child.right) ?? '')
    ) {
      const root = rootIdentifier(child.left.expression);
      if (root !== undefined) loginTargets.add(root);
    }
    ts.forEachChild(child, scan);
  };
  scan(body);
  const memo: ReachMemo = { nodes: new Map(), prefixes: new Map() };
  const isLoginTarget = (arg: ts.Expression | undefined): boolean => {
    if (arg === undefined) return false;
    const expression = unwrapExpression(arg);
    if (ts.isIdentifier(expression) && loginTargets.has(expression.text)) return true;
    if (ts.isNewExpression(expression) && expression.arguments?.[0] !== undefined)
      return isLoginTarget(expression.arguments[0]);
    return LOGIN_PATH.test(expression.getText(sf));
  };
  const add = (
    kind: DenySite['kind'],
    by: string,
    at: ts.Node,
    extra: Partial<DenySite> = {},
    also?: RequestCondition,
  ): void => {
    const reached = reachedWhen(ctx, at, node, values, memo);
    const when = simplifyCondition(also === undefined ? reached : { kind: 'and', of: [reached, also] });
    if (when.kind === 'never' || when.kind === 'unknown') return;
    sites.push({ kind, by, line: span(sf, at).line, when, ...extra });
  };
  const isReturned = (call: ts.Node): boolean => {
    let current = call;
    while (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent))
      current = current.parent;
    return (
      ts.isReturnStatement(current.parent) || (ts.isArrowFunction(current.parent) && current.parent.body === current)
    );
  };
  const refuse = (returned: ts.Expression): void => {
    const truth = simplifyCondition(truthOf(ctx, returned, values));
    if (truth.kind === 'unknown' || truth.kind === 'always') return;
    const expression = unwrapExpression(returned);
    const start = expression.getStart(sf);
    const text = sf.text.slice(start, Math.min(expression.getEnd(), start + 80)).replace(/\s+/g, ' ');
    add(
      'refuse',
      text === 'false' ? 'returns false' : `returns ${text.slice(0, 40)}`,
      returned,
      {},
      {
        kind: 'not',
        of: truth,
      },
    );
  };
  const visit = (child: ts.Node): void => {
    if (isFunctionLike(child)) return;
    if (ts.isCallExpression(child)) {
      const callee = child.expression;
      const simple = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : undefined;
      const ref = nameRef(callee);
      if (simple === 'protect' && ts.isPropertyAccessExpression(callee)) {
        const root = rootIdentifier(callee.expression);
        const receiver = callee.expression.getText(sf);
        if (root !== undefined && params.has(root)) add('protect', `${receiver}.protect()`, child);
        else if (root !== undefined && CLERK_MODULES.has(moduleOf(ctx, root)?.[0] ?? ''))
          add('deny', `${receiver}.protect()`, child);
      } else if (simple !== undefined && /^redirectTo(?:SignIn|Login)$/.test(simple)) add('deny', `${simple}()`, child);
      else if ((simple === 'redirect' || simple === 'rewrite') && isLoginTarget(child.arguments[0]))
        add('deny', `${simple} to sign-in`, child);
      // Sent elsewhere because of the session (`if (claims?.role !== 'admin') return redirect('/')`): turned away too.
      else if ((simple === 'redirect' || simple === 'rewrite') && sessionGated(child, node, values))
        add('deny', `${simple} without a session`, child);
      else if ((simple === 'unauthorized' || simple === 'forbidden') && ts.isIdentifier(callee))
        add('deny', `${simple}()`, child);
      else if (isTokenVerifierCall(ctx, child)) add('deny', `token verification (${simple ?? 'verify'})`, child);
      else if (
        ref !== undefined &&
        !params.has(ref.name) &&
        !locals.has(ref.name) &&
        !NOT_FOLLOWED.has(ref.name) &&
        (ref.member === undefined || moduleOf(ctx, ref.name)?.[1] === '*')
      )
        add(
          'call',
          ref.member === undefined ? ref.name : `${ref.name}.${ref.member}`,
          child,
          isReturned(child) ? { call: ref, returned: true } : { call: ref },
        );
    }
    if (
      isDenyNumber(child) &&
      (ts.isCallExpression(child.parent) || ts.isPropertyAssignment(child.parent) || ts.isNewExpression(child.parent))
    )
      add('deny', `${(child as ts.NumericLiteral).text} response`, child);
    if (ts.isNewExpression(child) && DENY_ERROR.test(child.expression.getText(sf))) add('deny', 'auth error', child);
    if (
      ts.isThrowStatement(child) &&
      child.expression !== undefined &&
      ts.isNewExpression(child.expression) &&
      DENY_MESSAGE.test(child.expression.arguments?.[0]?.getText(sf) ?? '')
    )
      add('deny', 'auth error', child);
    if (ts.isReturnStatement(child) && child.expression !== undefined) refuse(child.expression);
    ts.forEachChild(child, visit);
  };
  if (ts.isArrowFunction(node) && !ts.isBlock(body)) refuse(body);
  visit(body);
  return sites;
}

function emptyWrapper(line: number): AuthWrapperFact {
  return { line, callbacks: [], keys: [], lists: {}, opaque: [], functions: {}, spreads: [] };
}

/** Options of an auth wrapper or an auth config object: lists, callbacks, spreads. */
function readAuthOptions(ctx: Ctx, object: ts.ObjectLiteralExpression, fact: AuthWrapperFact, prefix: string): void {
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) {
      const ref = nameRef(unwrapExpression(property.expression));
      if (ref !== undefined && prefix === '') fact.spreads.push(ref);
      continue;
    }
    const key =
      property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    if (key === undefined) continue;
    const path = `${prefix}${key}`;
    if (prefix === '') fact.keys.push(key);
    if (ts.isMethodDeclaration(property)) {
      fact.functions[path] = { kind: 'function', id: functionId(ctx, property) };
      continue;
    }
    if (!ts.isPropertyAssignment(property)) {
      fact.opaque.push(path);
      continue;
    }
    const value = unwrapExpression(property.initializer);
    if (isFunctionLike(value)) fact.functions[path] = { kind: 'function', id: functionId(ctx, value) };
    else if (ts.isObjectLiteralExpression(value) && path === 'callbacks')
      readAuthOptions(ctx, value, fact, 'callbacks.');
    else if (ts.isArrayLiteralExpression(value)) {
      for (const element of value.elements) {
        const text = stringValue(element);
        if (text !== undefined) (fact.lists[path] ??= []).push(text);
        else if (ts.isRegularExpressionLiteral(element)) (fact.lists[`${path}:regex`] ??= []).push(element.text);
        else if (!fact.opaque.includes(path)) fact.opaque.push(path);
      }
      fact.lists[path] ??= [];
    } else if (stringValue(value) !== undefined) fact.lists[path] = [stringValue(value) ?? ''];
    else {
      const ref = nameRef(value);
      if (ref !== undefined) fact.functions[path] = { kind: 'ref', ref };
      fact.opaque.push(path);
    }
  }
}

/**
 * `clerkMiddleware(cb)`, `withAuth(fn, options)`, `NextAuth(config)`, `NextAuth(config).auth`, an
 * object with `callbacks.authorized`. Calls are kept when they come from an auth package, or
 * (`anyCall`) when they build the export of a middleware file.
 */
export function readAuthWrapper(ctx: Ctx, init: ts.Expression, anyCall: boolean): AuthWrapperFact | undefined {
  let expression = unwrapExpression(init);
  const line = span(ctx.sf, expression).line;
  if (ts.isObjectLiteralExpression(expression)) {
    const fact = emptyWrapper(line);
    readAuthOptions(ctx, expression, fact, '');
    return fact.functions['callbacks.authorized'] === undefined ? undefined : fact;
  }
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(expression) && ts.isCallExpression(expression.expression)) {
    member = expression.name.text;
    expression = expression.expression;
  }
  if (!ts.isCallExpression(expression)) return undefined;
  const callee = nameRef(expression.expression);
  if (callee === undefined) return undefined;
  const imported = moduleOf(ctx, callee.name);
  if (!anyCall && (imported === undefined || !AUTH_WRAPPER_MODULES.has(imported[0]))) return undefined;
  const fact: AuthWrapperFact = { ...emptyWrapper(line), callee, ...(member === undefined ? {} : { member }) };
  for (const arg of expression.arguments) {
    const value = unwrapExpression(arg);
    const lazyConfig = imported?.[0] === 'next-auth' ? lazyConfigObject(value) : undefined;
    // `NextAuth((req) => ({ …config }))`: the config the lazy initialiser returns.
    if (lazyConfig !== undefined) readAuthOptions(ctx, lazyConfig, fact, '');
    else if (isFunctionLike(value)) fact.callbacks.push({ kind: 'function', id: functionId(ctx, value) });
    else if (ts.isObjectLiteralExpression(value)) readAuthOptions(ctx, value, fact, '');
    else if (ts.isArrayLiteralExpression(value))
      for (const element of value.elements) fact.callbacks.push(handlerRef(ctx, element));
    else {
      const ref = nameRef(value);
      if (ref !== undefined) {
        fact.callbacks.push({ kind: 'ref', ref });
        fact.spreads.push(ref);
      }
    }
  }
  return fact;
}

function lazyConfigObject(node: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return undefined;
  let returned: ts.Expression | undefined;
  if (!ts.isBlock(node.body)) returned = node.body;
  else {
    const last = node.body.statements.at(-1);
    if (last !== undefined && ts.isReturnStatement(last)) returned = last.expression;
  }
  const object = returned === undefined ? undefined : unwrapExpression(returned);
  return object !== undefined && ts.isObjectLiteralExpression(object) ? object : undefined;
}

/** Top-level `const x = wrapper(…)` / `export const { auth } = NextAuth(config)` / `const authConfig = {…}`. */
export function recordAuthWrapper(ctx: Ctx, node: ts.VariableDeclaration, middlewareFile: boolean): void {
  if (node.initializer === undefined || !ts.isVariableStatement(node.parent.parent)) return;
  if (!ts.isSourceFile(node.parent.parent.parent)) return;
  const fact = readAuthWrapper(ctx, node.initializer, middlewareFile);
  if (fact === undefined) return;
  const wrappers = (ctx.facts.authWrappers ??= {});
  if (ts.isIdentifier(node.name)) wrappers[node.name.text] = fact;
  else if (ts.isObjectBindingPattern(node.name) && fact.callee !== undefined && fact.member === undefined)
    for (const element of node.name.elements) {
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && ts.isIdentifier(key))
        wrappers[element.name.text] = { ...fact, member: key.text };
    }
}
