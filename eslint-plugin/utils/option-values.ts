/**
 * Reading option objects and literal text for the secrets, cookie, CORS and OAuth rules: follow a
 * `const` in the same file to its value, find a property, read a boolean or a template's static text.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { propertyName } from './ast.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

const MAX_DEPTH = 5;

/** Unwraps `x as T`, `x satisfies T`, `x!`, `(x)` and follows a `const` identifier to its initializer. */
export function constValue(context: Context, node: TSESTree.Node, depth = 0): TSESTree.Node {
  if (depth > MAX_DEPTH) return node;
  switch (node.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
      return constValue(context, node.expression, depth + 1);
    case AST_NODE_TYPES.Identifier: {
      const init = constInit(context, node);
      return init === undefined ? node : constValue(context, init, depth + 1);
    }
    default:
      return node;
  }
}

/** The initializer of the `const` an identifier refers to (plain `const x = …`, no destructuring). */
export function constInit(context: Context, identifier: TSESTree.Identifier): TSESTree.Expression | undefined {
  let scope: TSESLint.Scope.Scope | null = context.sourceCode.getScope(identifier);
  while (scope !== null) {
    const variable = scope.set.get(identifier.name);
    if (variable !== undefined) {
      const definition = variable.defs[0];
      if (
        variable.defs.length === 1 &&
        definition?.type === 'Variable' &&
        definition.parent.kind === 'const' &&
        definition.node.id.type === AST_NODE_TYPES.Identifier &&
        definition.node.init !== null
      ) {
        return definition.node.init;
      }
      return undefined;
    }
    scope = scope.upper;
  }
  return undefined;
}

/** The last non-computed property named `name` in an object literal (later ones win, like at run time). */
export function findProperty(object: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
  let found: TSESTree.Property | undefined;
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.Property && !property.computed && propertyName(property.key) === name) {
      found = property;
    }
  }
  return found;
}

/** True when the object has a spread (`{ ...defaults }`), so any property may come from elsewhere. */
export function hasSpread(object: TSESTree.ObjectExpression): boolean {
  return object.properties.some((property) => property.type === AST_NODE_TYPES.SpreadElement);
}

/** `true`/`false` literals (also `!0`/`!1`), otherwise undefined. */
export function staticBoolean(node: TSESTree.Node): boolean | undefined {
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'boolean') return node.value;
  if (
    node.type === AST_NODE_TYPES.UnaryExpression &&
    node.operator === '!' &&
    node.argument.type === AST_NODE_TYPES.Literal &&
    typeof node.argument.value === 'number'
  ) {
    return !node.argument.value;
  }
  return undefined;
}

/**
 * The static text of a string, template literal or `+` concatenation, with every dynamic part as
 * `\u0000`; undefined when the node holds no static text at all.
 */
export function textWithHoles(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Literal) return typeof node.value === 'string' ? node.value : undefined;
  if (node.type === AST_NODE_TYPES.TemplateLiteral) {
    return node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join('\u0000');
  }
  if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+') {
    const left = textWithHoles(node.left);
    const right = textWithHoles(node.right);
    if (left === undefined && right === undefined) return undefined;
    return (left ?? '\u0000') + (right ?? '\u0000');
  }
  return undefined;
}
