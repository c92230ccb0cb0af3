import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

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
