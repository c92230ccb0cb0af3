// Calls whose result is used as a truth value: `if (!isOwner(user, id))`, `a() && b`, `ok ? x : y`.
import { ts } from 'ts-morph';

import { type Ctx, nameRef, span } from './facts-context.js';
import type { ConditionCallFact } from './types.js';

function isLogical(node: ts.Node): node is ts.BinaryExpression {
  return (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  );
}

function isNot(node: ts.Node): node is ts.PrefixUnaryExpression {
  return ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken;
}

/** `node` is the test of an `if`, a loop or a `?:`. */
function isTest(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) &&
      parent.expression === node) ||
    (ts.isConditionalExpression(parent) && parent.condition === node) ||
    (ts.isForStatement(parent) && parent.condition === node)
  );
}

/**
 * A call (not awaited) whose value is read as true or false: negated (`!check()`, anywhere), or the
 * test of an `if`/loop/`?:`, directly or as an operand of `&&`/`||` inside one. A Promise there is
 * always truthy, so the check it stands for never decides anything.
 */
export function readConditionCall(ctx: Ctx, call: ts.CallExpression): ConditionCallFact | undefined {
  const callee = nameRef(call.expression);
  if (callee === undefined) return undefined;
  let node: ts.Node = call;
  let negated = false;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent)) node = parent;
    else if (isNot(parent)) {
      negated = true;
      node = parent;
    } else if (isLogical(parent) && (parent.left === node || parent.right === node)) {
      node = parent;
    } else break;
  }
  if (!negated && !isTest(node)) return undefined;
  return {
    callee,
    span: span(ctx.sf, call),
    negated,
    text: call.getText(ctx.sf).replace(/\s+/g, ' ').slice(0, 120),
  };
}

/** The function is `async` or declares a Promise return type: its call's value is a Promise. */
export function returnsPromise(node: ts.FunctionLikeDeclaration): boolean {
  if (node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) === true) return true;
  const type = node.type;
  return (
    type !== undefined && ts.isTypeReferenceNode(type) && /^(?:Promise|PromiseLike)$/.test(type.typeName.getText())
  );
}
