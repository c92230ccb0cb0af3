import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { propertyName } from './ast.js';
import { memberChain } from './references.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** Objects that are the incoming HTTP request in Express, Fastify, Koa, Hono, Next.js, SvelteKit/h3. */
const REQUEST_ROOT = /^(?:req|request|ctx\.request|ctx\.req|c\.req|context\.req|event\.request|event)$/;
const BODY_PARTS = new Set(['body', 'rawBody']);
const INPUT_PARTS = new Set(['body', 'query', 'params', 'headers', 'cookies', 'rawBody', 'searchParams']);
/** `await req.json()`, `await c.req.parseBody()`, `await request.formData()`. */
const BODY_READERS = new Set(['json', 'formData', 'text', 'parseBody', 'body', 'arrayBuffer', 'blob']);
/** `searchParams.get('q')`, `formData.get('x')`, `c.req.query('q')`, `c.req.param('id')`, `c.req.header('x')`. */
const INPUT_GETTERS = new Set(['get', 'getAll', 'query', 'param', 'header', 'queries']);
const MAX_DEPTH = 6;

export type InputKind = 'body' | 'input';

function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.AwaitExpression ||
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.ChainExpression
  ) {
    current = current.type === AST_NODE_TYPES.AwaitExpression ? current.argument : current.expression;
  }
  return current;
}

/** The value bound to a const identifier (its initializer, through destructuring), if any. */
function constInitializer(context: Context, identifier: TSESTree.Identifier): TSESTree.Expression | undefined {
  let scope: TSESLint.Scope.Scope | null = context.sourceCode.getScope(identifier);
  while (scope !== null) {
    const variable = scope.set.get(identifier.name);
    if (variable !== undefined) {
      const definition = variable.defs[0];
      if (definition?.type !== 'Variable' || definition.node.type !== AST_NODE_TYPES.VariableDeclarator)
        return undefined;
      return definition.node.init ?? undefined;
    }
    scope = scope.upper;
  }
  return undefined;
}

/**
 * Whether `node` carries data from the incoming request: `'body'` for request bodies (and values
 * read from them), `'input'` for any request input (query, params, headers, search params,
 * form data). Follows const bindings and destructuring in the same file.
 */
export function requestInputKind(context: Context, node: TSESTree.Node, depth = 0): InputKind | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const value = unwrap(node);
  switch (value.type) {
    case AST_NODE_TYPES.Identifier: {
      const init = constInitializer(context, value);
      return init === undefined ? undefined : requestInputKind(context, init, depth + 1);
    }
    case AST_NODE_TYPES.MemberExpression: {
      const chain = memberChain(value.object);
      const property = value.computed ? undefined : propertyName(value.property);
      if (chain !== undefined && REQUEST_ROOT.test(chain) && property !== undefined && INPUT_PARTS.has(property)) {
        return BODY_PARTS.has(property) ? 'body' : 'input';
      }
      return requestInputKind(context, value.object, depth + 1);
    }
    case AST_NODE_TYPES.CallExpression: {
      if (value.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      const method = propertyName(value.callee.property);
      const receiver = memberChain(value.callee.object);
      if (method !== undefined && BODY_READERS.has(method) && receiver !== undefined && REQUEST_ROOT.test(receiver))
        return 'body';
      if (method !== undefined && INPUT_GETTERS.has(method)) {
        if (receiver !== undefined && REQUEST_ROOT.test(receiver)) return 'input';
        const source = requestInputKind(context, value.callee.object, depth + 1);
        if (source !== undefined) return source;
        // `url.searchParams.get()`, `new URL(req.url).searchParams.get()`
        if (receiver !== undefined && /(?:^|\.)searchParams$/.test(receiver)) return 'input';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Each identifier an object pattern binds, with the property path it is bound at
 * (`const { card: { number }, cvc = '' } = x` → `number` at card.number, `cvc` at cvc). Bindings under a
 * computed key, in an array pattern or in a rest element have no such path and are left out.
 */
export function forEachDestructured(
  pattern: TSESTree.ObjectPattern,
  visit: (identifier: TSESTree.Identifier, path: readonly string[]) => void,
  path: readonly string[] = [],
): void {
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const key = propertyName(property.key);
    if (key === undefined) continue;
    const at = [...path, key];
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (value.type === AST_NODE_TYPES.Identifier) visit(value, at);
    else if (value.type === AST_NODE_TYPES.ObjectPattern) forEachDestructured(value, visit, at);
  }
}
