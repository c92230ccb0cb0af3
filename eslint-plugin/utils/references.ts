import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { propertyName } from './ast.js';

/**
 * Where a value comes from, in terms of a module: `jwt.verify` with `import jwt from 'jsonwebtoken'`
 * is `{ module: 'jsonwebtoken', path: ['verify'] }`; `new Stripe(k).webhooks.constructEvent` is
 * `{ module: 'stripe', path: ['()', 'webhooks', 'constructEvent'] }` (`()` marks a call or `new`).
 * A leading `default` is dropped, so `import x from`, `import * as x from` and `require()` agree.
 */
export interface ModuleReference {
  module: string;
  path: readonly string[];
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

const MAX_DEPTH = 8;

function normalize(module: string, path: string[]): ModuleReference {
  return { module, path: path[0] === 'default' ? path.slice(1) : path };
}

/** `require('x')` → 'x'. */
function requiredModule(node: TSESTree.Node): string | undefined {
  if (
    node.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === 'require' &&
    node.arguments.length === 1 &&
    node.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    typeof node.arguments[0].value === 'string'
  ) {
    return node.arguments[0].value;
  }
  return undefined;
}

/** The property path from a destructuring pattern down to `target` (`{ a: { b } }` → ['a', 'b']). */
function patternPath(pattern: TSESTree.Node, target: TSESTree.Identifier): string[] | undefined {
  if (pattern === target) return [];
  if (pattern.type === AST_NODE_TYPES.ObjectPattern) {
    for (const property of pattern.properties) {
      if (property.type !== AST_NODE_TYPES.Property) continue;
      const key = property.computed ? undefined : propertyName(property.key);
      if (key === undefined) continue;
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      const rest = patternPath(value, target);
      if (rest !== undefined) return [key, ...rest];
    }
  }
  return undefined;
}

function resolveIdentifier(
  context: Context,
  identifier: TSESTree.Identifier,
  depth: number,
): ModuleReference | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let scope: TSESLint.Scope.Scope | null = context.sourceCode.getScope(identifier);
  while (scope !== null) {
    const variable = scope.set.get(identifier.name);
    if (variable !== undefined) {
      const definition = variable.defs[0];
      if (definition === undefined) return undefined;
      if (definition.type === 'ImportBinding') {
        const declaration = definition.parent;
        if (declaration.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
        const module = declaration.source.value;
        const specifier = definition.node;
        if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return normalize(module, []);
        if (specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return normalize(module, ['default']);
        if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
          const imported = propertyName(specifier.imported) ?? specifier.local.name;
          return normalize(module, [imported]);
        }
        return undefined;
      }
      if (definition.type === 'Variable' && definition.node.type === AST_NODE_TYPES.VariableDeclarator) {
        const declarator = definition.node;
        // Only `const` bindings are followed: a `let` may be reassigned to anything.
        if (definition.parent.kind !== 'const' || declarator.init === null) return undefined;
        const base = resolveExpression(context, declarator.init, depth + 1);
        if (base === undefined) return undefined;
        const path = patternPath(declarator.id, definition.name);
        return path === undefined ? undefined : normalize(base.module, [...base.path, ...path]);
      }
      return undefined;
    }
    scope = scope.upper;
  }
  return undefined;
}

/**
 * Answers of `resolveExpression` by node, for the file being linted: several rules resolve the same
 * callee of every call. Keyed weakly by the node, so nothing outlives the file's AST; the answer depends
 * only on the AST and its scopes, which every rule of one file shares.
 */
const resolved = new WeakMap<TSESTree.Node, ModuleReference | null>();

/** Resolves an expression to the module value it refers to, following imports, requires and const aliases. */
export function resolveExpression(context: Context, node: TSESTree.Node, depth = 0): ModuleReference | undefined {
  if (depth !== 0) return resolve(context, node, depth);
  const known = resolved.get(node);
  if (known !== undefined) return known ?? undefined;
  const reference = resolve(context, node, 0);
  resolved.set(node, reference ?? null);
  return reference;
}

function resolve(context: Context, node: TSESTree.Node, depth: number): ModuleReference | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return resolveIdentifier(context, node, depth);
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
      return resolveExpression(context, node.expression, depth + 1);
    case AST_NODE_TYPES.AwaitExpression:
      // `await import('x')` and awaited factory calls keep their shape.
      return resolveExpression(context, node.argument, depth + 1);
    case AST_NODE_TYPES.ImportExpression:
      return node.source.type === AST_NODE_TYPES.Literal && typeof node.source.value === 'string'
        ? normalize(node.source.value, [])
        : undefined;
    case AST_NODE_TYPES.MemberExpression: {
      const name = node.computed
        ? node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
          ? node.property.value
          : undefined
        : propertyName(node.property);
      if (name === undefined) return undefined;
      const base = resolveExpression(context, node.object, depth + 1);
      return base === undefined ? undefined : normalize(base.module, [...base.path, name]);
    }
    case AST_NODE_TYPES.CallExpression: {
      const module = requiredModule(node);
      if (module !== undefined) return normalize(module, []);
      const base = resolveExpression(context, node.callee, depth + 1);
      return base === undefined ? undefined : { module: base.module, path: [...base.path, '()'] };
    }
    case AST_NODE_TYPES.NewExpression: {
      const base = resolveExpression(context, node.callee, depth + 1);
      return base === undefined ? undefined : { module: base.module, path: [...base.path, '()'] };
    }
    default:
      return undefined;
  }
}

/**
 * False when no expression of the file can resolve to any of `modules`: `resolveExpression` reaches a module
 * only through an import, `require('…')` or `import('…')` that writes the module's name in the file. A cheap
 * test, once per file, for rules whose every report needs such a reference.
 */
export function mayReference(text: string, modules: readonly string[]): boolean {
  return modules.some((module) => text.includes(module));
}

/** True when `node` refers to `module` at `path` (e.g. `isReference(ctx, callee, 'jsonwebtoken', ['verify'])`). */
export function isReference(
  context: Context,
  node: TSESTree.Node,
  module: string | readonly string[],
  path: readonly string[],
): boolean {
  const reference = resolveExpression(context, node);
  if (reference === undefined) return false;
  const modules = typeof module === 'string' ? [module] : module;
  return (
    modules.includes(reference.module) &&
    reference.path.length === path.length &&
    reference.path.every((part, i) => part === path[i])
  );
}

/** `a.b.c` as text for member chains of identifiers (for messages and name heuristics), else undefined. */
export function memberChain(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed) {
    const object = memberChain(node.object);
    const property = propertyName(node.property);
    return object === undefined || property === undefined ? undefined : `${object}.${property}`;
  }
  return undefined;
}
