// Function facts: the evidence a function carries (session reads, denials, token and webhook verification, data access, body use).
import { ts } from 'ts-morph';

import {
  DENY_ERROR,
  isSessionName,
  LOGIN_PATH,
  PARSED_BODY_METHODS,
  STRIPE_VERIFIER_METHODS,
  VERIFIER_METHODS,
  WEBHOOK_VERIFIER_MODULES,
} from '../detectors/route-evidence.js';
import {
  DENY_MESSAGE,
  isDenyNumber,
  isTokenVerifierCall,
  type Ctx,
  span,
  nameRef,
  rootIdentifier,
  isFunctionLike,
  functionId,
  moduleOf,
  objectKeys,
  turnsAuthOff,
} from './facts-context.js';
import { aiToolCall, requestArguments, requestValuesOf } from './request-values.js';
import type { CallFact, FunctionFact } from './types.js';
import { readGuardClause } from './facts-guard-clause.js';
import { DATA_METHODS, DATA_RECEIVER, TENANT_KEYS } from './facts-query.js';

/** Verbs of an SDK call that changes what a service holds: `managementClient.organizations.update(…)`, `stripe.customers.create(…)`. */
const SERVICE_WRITE =
  /^(?:create|update|delete|remove|insert|upsert|destroy|invite|revoke|assign|unassign|cancel)(?:[A-Z]\w*)?$/;
const NOT_A_SERVICE =
  /^(?:req|request|res|response|reply|ctx|c|console|document|window|globalThis|Object|Array|Promise|Reflect|JSON|Math)$/;

/** `client.resource.verb(…)`: a call two members deep on a client, with a verb that writes. */
function isServiceWrite(callee: ts.PropertyAccessExpression): boolean {
  if (!SERVICE_WRITE.test(callee.name.text) || !ts.isPropertyAccessExpression(callee.expression)) return false;
  // `supabase.auth.updateUser(…)`: an auth API acts on the caller's own session, which it requires.
  if (callee.expression.name.text === 'auth') return false;
  const root = rootIdentifier(callee.expression);
  return root !== undefined && !NOT_A_SERVICE.test(root);
}

/** `const store = await cookies()`: the request's cookie or header store, which a `store.set(…)` writes — not data. */
function requestStoreLocals(node: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.initializer !== undefined) {
      let init: ts.Expression = child.initializer;
      while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        /^(?:cookies|headers)$/.test(init.expression.text)
      )
        names.add(child.name.text);
    }
    ts.forEachChild(child, visit);
  };
  if (node.body !== undefined) visit(node.body);
  return names;
}

/** `return impl(args)` as the whole body (or `() => impl()`): the function is its helper, early returns included. */
function delegatedCall(node: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const body = node.body;
  if (body === undefined) return undefined;
  let expression: ts.Expression | undefined;
  if (!ts.isBlock(body)) expression = body;
  else if (body.statements.length === 1) {
    const only = body.statements[0];
    if (only !== undefined && ts.isReturnStatement(only)) expression = only.expression;
  }
  while (expression !== undefined && (ts.isAwaitExpression(expression) || ts.isParenthesizedExpression(expression)))
    expression = expression.expression;
  return expression !== undefined && ts.isCallExpression(expression) ? expression : undefined;
}

const GENERATED_WEBHOOK_VERIFIER = 'verifyWebhook';

/** `Buffer.isBuffer(req.body)`, `req.body === undefined`, `typeof req.body`: looking at the body's shape is not using it. */
function isShapeCheck(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isTypeOfExpression(parent)) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node)) {
    const callee = parent.expression.getText();
    return callee === 'Buffer.isBuffer' || callee === 'ArrayBuffer.isView';
  }
  if (ts.isBinaryExpression(parent)) {
    const other = parent.left === node ? parent.right : parent.left;
    const comparison = [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
    ].includes(parent.operatorToken.kind);
    return (
      comparison && (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined'))
    );
  }
  return false;
}

function isVerifierCall(ctx: Ctx, call: ts.CallExpression, verifierInstances: Set<string>): boolean {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (
      STRIPE_VERIFIER_METHODS.has(method) &&
      ts.isPropertyAccessExpression(callee.expression) &&
      callee.expression.name.text === 'webhooks'
    )
      return true;
    const root = rootIdentifier(callee.expression);
    if (VERIFIER_METHODS.has(method) && root !== undefined && verifierInstances.has(root)) return true;
    if (root !== undefined) {
      const imported = moduleOf(ctx, root);
      if (imported !== undefined && imported[1] === '*') {
        const spec = WEBHOOK_VERIFIER_MODULES[imported[0]];
        if (spec?.functions?.includes(method) === true) return true;
      }
      if (
        imported !== undefined &&
        imported[1] === 'default' &&
        (imported[0] === 'crypto' || imported[0] === 'node:crypto')
      )
        return method === 'timingSafeEqual';
    }
    return false;
  }
  if (ts.isIdentifier(callee)) {
    const imported = moduleOf(ctx, callee.text);
    if (imported === undefined) return false;
    // The verifier `portcullis add webhook` generates (as the ESLint rule recognises it too).
    if (imported[1] === GENERATED_WEBHOOK_VERIFIER && imported[0].startsWith('.')) return true;
    return WEBHOOK_VERIFIER_MODULES[imported[0]]?.functions?.includes(imported[1]) === true;
  }
  return false;
}

export function analyseFunction(
  ctx: Ctx,
  node: ts.FunctionLikeDeclaration,
  verifierInstances: Set<string>,
): FunctionFact {
  const sf = ctx.sf;
  const fact: FunctionFact = {
    id: functionId(ctx, node),
    span: span(sf, node),
    start: node.getStart(sf),
    end: node.getEnd(),
    readsSession: false,
    denies: false,
    verifiesToken: false,
    dataAccess: false,
    returnsTenantKey: false,
    setsTenantContext: false,
    referencesTenantKey: false,
    params: node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')),
    calls: [],
  };
  const requestStores = requestStoreLocals(node);
  const verifierArgRanges: [number, number][] = [];
  const bodyUses: number[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && isSessionName(child.text)) fact.readsSession = true;
    else if (
      ts.isStringLiteral(child) &&
      /^(?:principal|session|user|userId|auth)$/.test(child.text) &&
      ts.isCallExpression(child.parent)
    )
      fact.readsSession = true;
    if (isDenyNumber(child)) {
      const parent = child.parent;
      if (ts.isCallExpression(parent) || ts.isPropertyAssignment(parent) || ts.isNewExpression(parent))
        fact.denies = true;
    }
    // `errorResponse(new AuthError('unauthenticated'))`: an auth error built to answer the request denies it too.
    if (ts.isNewExpression(child) && DENY_ERROR.test(child.expression.getText(sf))) fact.denies = true;
    if (ts.isThrowStatement(child) && child.expression !== undefined) {
      const thrown = child.expression;
      if (ts.isNewExpression(thrown) && DENY_ERROR.test(thrown.expression.getText(sf))) fact.denies = true;
      // `throw new Error('Unauthorized')`: the message says what the class does not.
      if (ts.isNewExpression(thrown) && DENY_MESSAGE.test(thrown.arguments?.[0]?.getText(sf) ?? '')) fact.denies = true;
      if (ts.isCallExpression(thrown) && DENY_ERROR.test(thrown.expression.getText(sf))) fact.denies = true;
    }
    if (ts.isCallExpression(child)) {
      const callee = child.expression;
      const offset = child.getStart(sf);
      // `auth().protect()` (Clerk v5): followed like `auth.protect()`.
      const ref =
        nameRef(callee) ??
        (ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'protect' &&
        ts.isCallExpression(callee.expression) &&
        ts.isIdentifier(callee.expression.expression)
          ? { name: callee.expression.expression.text, member: 'protect' }
          : undefined);
      if (ref !== undefined) {
        const callbacks = child.arguments.flatMap((arg) => (isFunctionLike(arg) ? [functionId(ctx, arg)] : []));
        const requestArgs =
          child.arguments.length === 0
            ? undefined
            : requestArguments(child, requestValuesOf(sf, ctx.facts.directive === 'use server'));
        const call: CallFact = {
          callee: ref,
          offset,
          ...(callbacks.length > 0 ? { callbackIds: callbacks } : {}),
          ...(turnsAuthOff(child) ? { authOff: true as const } : {}),
          ...(requestArgs === undefined ? {} : { requestArgs, requestSpan: span(sf, child) }),
        };
        fact.calls.push(call);
        const simple = ref.member ?? ref.name;
        if (simple === 'redirectToSignIn') fact.denies = true;
        if (
          (simple === 'redirect' || simple === 'unauthorized' || simple === 'forbidden') &&
          (simple !== 'redirect' || LOGIN_PATH.test(child.arguments[0]?.getText(sf) ?? ''))
        )
          fact.denies = true;
        if (simple === 'set_config' || simple === '$extends') fact.setsTenantContext = true;
      }
      if (isVerifierCall(ctx, child, verifierInstances)) {
        fact.verifies ??= offset;
        verifierArgRanges.push([child.arguments.pos, child.arguments.end]);
      }
      if (isTokenVerifierCall(ctx, child)) {
        fact.verifiesToken = true;
        fact.readsSession = true;
      }
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        if (DATA_METHODS.has(method)) {
          let current: ts.Expression = callee.expression;
          for (let i = 0; i < 6; i++) {
            const name = ts.isIdentifier(current)
              ? current.text
              : ts.isPropertyAccessExpression(current)
                ? current.name.text
                : undefined;
            if (name !== undefined && DATA_RECEIVER.test(name) && !requestStores.has(name)) fact.dataAccess = true;
            if (
              ts.isPropertyAccessExpression(current) ||
              ts.isCallExpression(current) ||
              ts.isElementAccessExpression(current)
            )
              current = current.expression;
            else break;
          }
        }
        if (isServiceWrite(callee)) fact.dataAccess = true;
        if (PARSED_BODY_METHODS.has(method) && child.arguments.length === 0) bodyUses.push(offset);
      }
    }
    if (ts.isTaggedTemplateExpression(child) && ts.isIdentifier(child.tag) && child.tag.text === 'sql')
      fact.dataAccess = true;
    if (ts.isStringLiteralLike(child) && /set_config\s*\(\s*'app\.(?:tenant|org|current_tenant)/i.test(child.text))
      fact.setsTenantContext = true;
    if (ts.isPropertyAccessExpression(child) && TENANT_KEYS.has(child.name.text)) fact.referencesTenantKey = true;
    if (
      ts.isPropertyAccessExpression(child) &&
      child.name.text === 'body' &&
      !ts.isCallExpression(child.parent) &&
      !isShapeCheck(child)
    ) {
      const root = rootIdentifier(child.expression);
      if (root !== undefined && /^(?:req|request|ctx|c)$/.test(root)) bodyUses.push(child.getStart(sf));
    }
    if (
      ts.isReturnStatement(child) &&
      child.expression !== undefined &&
      ts.isIdentifier(child.expression) &&
      enclosingFunction(child) === node
    )
      fact.returnsName = child.expression.text;
    if (ts.isReturnStatement(child) && child.expression !== undefined) {
      const keys = new Set<string>();
      objectKeys(child.expression, keys, [], []);
      if ([...keys].some((key) => TENANT_KEYS.has(key))) fact.returnsTenantKey = true;
    }
    ts.forEachChild(child, visit);
  };
  if (node.body !== undefined) {
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      const keys = new Set<string>();
      objectKeys(node.body, keys, [], []);
      if ([...keys].some((key) => TENANT_KEYS.has(key))) fact.returnsTenantKey = true;
    }
    visit(node.body);
  }
  for (const parameter of node.parameters) {
    if (ts.isIdentifier(parameter.name) && isSessionName(parameter.name.text)) fact.readsSession = true;
    if (ts.isObjectBindingPattern(parameter.name))
      for (const element of parameter.name.elements)
        if (ts.isIdentifier(element.name) && isSessionName(element.name.text)) fact.readsSession = true;
  }
  const firstBodyUse = bodyUses
    .filter((offset) => !verifierArgRanges.some(([s, e]) => offset >= s && offset < e))
    .sort((a, b) => a - b)[0];
  if (firstBodyUse !== undefined) fact.bodyUse = firstBodyUse;
  const delegate = delegatedCall(node);
  if (delegate !== undefined) fact.delegates = delegate.getStart(sf);
  const guardClause = readGuardClause(node);
  if (guardClause !== undefined) fact.guardClause = guardClause;
  const tool = aiTool(node);
  if (tool !== undefined) fact.aiTool = tool;
  return fact;
}

/** A name bound by a parameter or a variable declaration, at any depth of a binding pattern. */
function boundNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) {
        if (element.propertyName !== undefined && ts.isIdentifier(element.propertyName))
          out.push(element.propertyName.text);
        boundNames(element.name, out);
      }
  return out;
}

/**
 * An AI SDK tool's `execute`: the tool's name (the variable or property holding the tool, or its
 * factory) and whether the functions around it bind a session or user (`({ session }) => tool(…)`,
 * `const session = await auth()` in the route that builds the tools).
 */
function aiTool(node: ts.FunctionLikeDeclaration): FunctionFact['aiTool'] {
  const call = aiToolCall(node);
  if (call === undefined) return undefined;
  let name = 'tool';
  for (let current: ts.Node = call; current.parent !== undefined; current = current.parent) {
    const parent = current.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      name = parent.name.text;
      break;
    }
    if (ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) {
      name = parent.name.text;
      break;
    }
    if (ts.isFunctionDeclaration(parent) && parent.name !== undefined) {
      name = parent.name.text;
      break;
    }
    if (
      !ts.isArrowFunction(parent) &&
      !ts.isParenthesizedExpression(parent) &&
      !ts.isReturnStatement(parent) &&
      !ts.isBlock(parent)
    )
      break;
  }
  let session = false;
  for (let current: ts.Node | undefined = call.parent; current !== undefined && !session; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const names = current.parameters.flatMap((parameter) => boundNames(parameter.name));
    const visit = (child: ts.Node): void => {
      if (ts.isVariableDeclaration(child)) names.push(...boundNames(child.name));
      if (!isFunctionLike(child)) ts.forEachChild(child, visit);
    };
    if (current.body !== undefined) ts.forEachChild(current.body, visit);
    session = names.some((bound) => isSessionName(bound));
  }
  return { name, session };
}

/** Variables holding verifier instances (`const wh = new Webhook(secret)` from svix), found before functions are read. */
export function collectVerifierInstances(ctx: Ctx): Set<string> {
  const names = new Set<string>();
  if (!/new\s/.test(ctx.sf.text)) return names;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) {
      let init: ts.Expression = node.initializer;
      while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isNewExpression(init)) {
        const ref = nameRef(init.expression);
        const imported = ref === undefined ? undefined : moduleOf(ctx, ref.name);
        const spec = imported === undefined ? undefined : WEBHOOK_VERIFIER_MODULES[imported[0]];
        if (spec?.classes?.includes(ref?.member ?? imported?.[1] ?? '') === true) names.add(node.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sf);
  return names;
}

/** The function a node belongs to (not counting the node itself). */
function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent)
    if (isFunctionLike(current)) return current;
  return undefined;
}
