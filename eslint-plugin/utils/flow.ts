import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { isFunction, propertyName, unwrap, type FunctionNode } from './ast.js';

export { enclosingFunction, functionName, isFunction, unwrap, type FunctionNode } from './ast.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * Visits `root` and its descendants depth-first in source order. `visit` returns false to skip a
 * node's children. Used on candidate handlers only, never on whole files.
 */
export function walk(context: Context, root: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | undefined): void {
  const keys = context.sourceCode.visitorKeys;
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (visit(node) === false) continue;
    const children: TSESTree.Node[] = [];
    for (const key of keys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push(item);
      } else if (isNode(value)) children.push(value);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as TSESTree.Node);
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * A member/call chain as segments from its root identifier, calls marked `()`:
 * `(await c.req.json()).orgId` → ['c', 'req', 'json', '()', 'orgId']. Undefined when the root is
 * not an identifier or a computed key is not static.
 */
export function chainOf(node: TSESTree.Node): string[] | undefined {
  const current = unwrap(node);
  if (current.type === AST_NODE_TYPES.Identifier) return [current.name];
  if (current.type === AST_NODE_TYPES.ThisExpression) return ['this'];
  if (current.type === AST_NODE_TYPES.MemberExpression) {
    const base = chainOf(current.object);
    const name = current.computed
      ? current.property.type === AST_NODE_TYPES.Literal && typeof current.property.value === 'string'
        ? current.property.value
        : undefined
      : propertyName(current.property);
    return base === undefined || name === undefined ? undefined : [...base, name];
  }
  if (current.type === AST_NODE_TYPES.CallExpression) {
    const base = chainOf(current.callee);
    return base === undefined ? undefined : [...base, '()'];
  }
  return undefined;
}

/** The variable an identifier refers to, searching outward from its scope. */
export function findVariable(context: Context, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
  let scope: TSESLint.Scope.Scope | null = context.sourceCode.getScope(identifier);
  while (scope !== null) {
    const variable = scope.set.get(identifier.name);
    if (variable !== undefined) return variable;
    scope = scope.upper;
  }
  return undefined;
}

/** The initializer of a `const` binding (`const x = init`, or `init` of `const { x } = init`), if that is what `identifier` names. */
export function constInit(
  context: Context,
  identifier: TSESTree.Identifier,
): { init: TSESTree.Expression; id: TSESTree.Node; declarator: TSESTree.VariableDeclarator } | undefined {
  const variable = findVariable(context, identifier);
  const definition = variable?.defs[0];
  if (definition?.type !== 'Variable' || variable?.defs.length !== 1) return undefined;
  const declarator = definition.node;
  if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init === null) return undefined;
  if (definition.parent.kind !== 'const') {
    // A `let` counts only when it is never written again.
    const writes = variable.references.filter((r) => r.isWrite());
    if (writes.length !== 1) return undefined;
  }
  return { init: declarator.init, id: declarator.id, declarator };
}

/** The function a callee identifier names in this file (`function helper() {}` or `const helper = () => {}`). */
export function localFunction(context: Context, callee: TSESTree.Node): FunctionNode | undefined {
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariable(context, callee);
  const definition = variable?.defs[0];
  if (definition === undefined) return undefined;
  if (definition.type === 'FunctionName' && definition.node.type === AST_NODE_TYPES.FunctionDeclaration) {
    return definition.node;
  }
  if (definition.type === 'Variable' && definition.node.type === AST_NODE_TYPES.VariableDeclarator) {
    const init = definition.node.init;
    if (init !== null && isFunction(init)) return init;
  }
  return undefined;
}

/** The value of a property in an object literal (`{ key: value }`), ignoring computed keys. */
export function objectProperty(node: TSESTree.ObjectExpression, key: string): TSESTree.Property | undefined {
  for (const property of node.properties) {
    if (property.type === AST_NODE_TYPES.Property && !property.computed && propertyName(property.key) === key) {
      return property;
    }
  }
  return undefined;
}

/** True when the object literal has a spread (`{ ...defaults }`), so absent keys may still be set. */
export function hasSpread(node: TSESTree.ObjectExpression): boolean {
  return node.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement);
}

/** An object literal behind an expression: the literal itself or a same-file const bound to one. */
export function objectLiteral(
  context: Context,
  node: TSESTree.Node | undefined,
): TSESTree.ObjectExpression | undefined {
  if (node === undefined) return undefined;
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.ObjectExpression) return value;
  if (value.type === AST_NODE_TYPES.Identifier) {
    const found = constInit(context, value);
    if (found !== undefined && found.id.type === AST_NODE_TYPES.Identifier) {
      const init = unwrap(found.init);
      if (init.type === AST_NODE_TYPES.ObjectExpression) return init;
    }
  }
  return undefined;
}

/** The static name of a member expression's property (`a.b` → 'b', `a['b']` → 'b'). */
export function memberPropertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) return propertyName(node.property);
  return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
    ? node.property.value
    : undefined;
}
