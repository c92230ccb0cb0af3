import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/** The text of a string literal or a template literal without expressions; otherwise undefined. */
export function staticString(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+') {
    const left = staticString(node.left);
    const right = staticString(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/** The name a property key or identifier spells (`apiKey`, `'api-key'`), if static. */
export function propertyName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.PrivateIdentifier) return node.name;
  return undefined;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`, `Bun.env.X`. */
export function isEnvRead(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.ChainExpression) return isEnvRead(node.expression);
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    const object = node.object;
    if (object.type === AST_NODE_TYPES.MemberExpression && propertyName(object.property) === 'env') {
      const root = object.object;
      if (root.type === AST_NODE_TYPES.Identifier && (root.name === 'process' || root.name === 'Bun')) return true;
      if (root.type === AST_NODE_TYPES.MetaProperty) return true;
    }
    if (object.type === AST_NODE_TYPES.Identifier && object.name === 'env') return true;
  }
  if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
    const callee = node.callee;
    if (propertyName(callee.property) === 'get' && callee.object.type === AST_NODE_TYPES.MemberExpression) {
      return propertyName(callee.object.property) === 'env';
    }
  }
  return false;
}

/** True when `node` is `object.property` on the global object (e.g. `Math.random`, not a shadowed `Math`). */
export function isGlobalMember(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  object: string,
  property: string,
): boolean {
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed) return false;
  if (node.object.type !== AST_NODE_TYPES.Identifier || node.object.name !== object) return false;
  if (propertyName(node.property) !== property) return false;
  // Walk the scope chain: a local binding named like the global shadows it.
  let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(node);
  while (scope !== null) {
    const variable = scope.set.get(object);
    if (variable !== undefined && variable.defs.length > 0) return false;
    scope = scope.upper;
  }
  return true;
}

/** The name a value is given where it lands: `const x = …`, `{ x: … }`, `this.x = …`, `return` in `function x()`. */
export function bindingName(node: TSESTree.Node): string | undefined {
  let current: TSESTree.Node = node;
  for (let depth = 0; depth < 12 && current.parent; depth++) {
    const parent: TSESTree.Node = current.parent;
    switch (parent.type) {
      case AST_NODE_TYPES.VariableDeclarator:
        return parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
      case AST_NODE_TYPES.Property:
        return parent.value === current && !parent.computed ? propertyName(parent.key) : undefined;
      case AST_NODE_TYPES.PropertyDefinition:
        return parent.value === current && !parent.computed ? propertyName(parent.key) : undefined;
      case AST_NODE_TYPES.AssignmentExpression:
        if (parent.right !== current) return undefined;
        if (parent.left.type === AST_NODE_TYPES.Identifier) return parent.left.name;
        if (parent.left.type === AST_NODE_TYPES.MemberExpression && !parent.left.computed)
          return propertyName(parent.left.property);
        return undefined;
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ArrowFunctionExpression: {
        const fn = parent.type === AST_NODE_TYPES.ArrowFunctionExpression ? parent : enclosingFunction(parent);
        if (fn === undefined) return undefined;
        const name = functionName(fn);
        if (name !== undefined) return name;
        // A callback (`Array.from(n, () => …)`): its result flows into the call's own value.
        if (fn.parent.type !== AST_NODE_TYPES.CallExpression && fn.parent.type !== AST_NODE_TYPES.NewExpression)
          return undefined;
        current = fn.parent;
        break;
      }
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.IfStatement:
        return undefined;
      default:
        current = parent;
    }
  }
  return undefined;
}

export type FunctionNode =
  TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
]);

export function isFunction(node: TSESTree.Node): node is FunctionNode {
  return FUNCTION_TYPES.has(node.type);
}

/** The innermost function containing `node` (not `node` itself), if any. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  // The Program node's parent is null at run time, whatever the types say.
  for (let current = node.parent; current != null; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}

/**
 * The name a function goes by: its own (`function x()`, a named function expression), or the
 * variable, property, method, class field or assignment target it is given to.
 */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.id !== null && fn.id !== undefined) return fn.id.name;
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier)
    return parent.id.name;
  if (
    (parent.type === AST_NODE_TYPES.MethodDefinition ||
      parent.type === AST_NODE_TYPES.Property ||
      parent.type === AST_NODE_TYPES.PropertyDefinition) &&
    !parent.computed
  )
    return propertyName(parent.key);
  if (parent.type === AST_NODE_TYPES.AssignmentExpression) {
    const left = parent.left;
    if (left.type === AST_NODE_TYPES.Identifier) return left.name;
    if (left.type === AST_NODE_TYPES.MemberExpression && !left.computed) return propertyName(left.property);
  }
  return undefined;
}

/** Peels `await`, `!`, `as`, `satisfies` and optional-chain wrappers off an expression. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    if (
      current.type === AST_NODE_TYPES.AwaitExpression ||
      current.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.type === AST_NODE_TYPES.TSAsExpression ||
      current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.type === AST_NODE_TYPES.ChainExpression
    ) {
      current = current.type === AST_NODE_TYPES.AwaitExpression ? current.argument : current.expression;
    } else return current;
  }
}

/** The final name an expression spells: `verify` for `wh.verify`, `f` for `f` or `a['f']`. */
export function memberName(expression: TSESTree.Node): string | undefined {
  const node = unwrap(expression);
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    if (!node.computed) return propertyName(node.property);
    return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
      ? node.property.value
      : undefined;
  }
  return undefined;
}

/** The called function's own name: `f` in `f()`, `a.b.f()`, `a['f']()`; cheap prefilter before resolving. */
export function calleeName(node: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  return memberName(node.callee);
}

/**
 * `callee.property.name` of a call on a member (`x.f()` → `f`), read the way an esquery attribute
 * selector `CallExpression[callee.type="MemberExpression"][callee.property.name="f"]` reads it. Rules
 * listen to plain `CallExpression` and test this instead: ESLint matches every attribute selector
 * against every node of its type, which cost more than the rules' own work on large code bases.
 */
export function memberCalleeName(node: TSESTree.CallExpression): string | undefined {
  if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = (node.callee.property as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
