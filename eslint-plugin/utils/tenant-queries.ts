import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import {
  DEFAULT_TENANT_KEYS,
  DRIZZLE_COMPARE,
  DRIZZLE_OTHER_OPERATORS,
  DRIZZLE_UNSCOPING,
  PRISMA_FILTERED_METHODS,
} from '../../src/detectors/tenancy.js';
import { memberName, propertyName } from './ast.js';
import { chainOf, constInit, memberPropertyName, unwrap } from './flow.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** A query that reads or changes rows of one model/table, and the condition that scopes it. */
export interface TenantQuery {
  kind: 'prisma' | 'drizzle';
  /** The model or table as spelled in code: `invoice` (prisma.invoice), `invoices` (Drizzle table). */
  model: string;
  method: string;
  /** Where to report. */
  node: TSESTree.Node;
  /** The `where` object/expression; undefined when there is none. */
  where: TSESTree.Node | undefined;
  /** The arguments object is opaque (`findMany(args)`), so the where cannot be judged. */
  opaque: boolean;
}

/** One tenant condition found in a where: `{ orgId: x }` or `eq(t.orgId, x)`. */
export interface TenantCondition {
  key: string;
  /** The value compared with the key (undefined for `{ tenantId_slug: {...} }` style wrappers checked deeper). */
  value: TSESTree.Node;
}

export interface WhereScan {
  conditions: TenantCondition[];
  /** A spread or an unresolvable reference: absent keys may still be present. */
  unknown: boolean;
}

const IGNORED_BRANCHES: ReadonlySet<string> = new Set(['OR', 'NOT', 'none']);

/** `prisma.invoice.findMany({ where })`, `tx.invoice.update(...)`, `db.query.invoices.findFirst({ where })`. */
export function prismaQuery(context: Context, node: TSESTree.CallExpression): TenantQuery | undefined {
  const callee = node.callee;
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return undefined;
  const method = propertyName(callee.property);
  if (method === undefined || !PRISMA_FILTERED_METHODS.has(method)) return undefined;
  const delegate = callee.object;
  if (delegate.type !== AST_NODE_TYPES.MemberExpression || delegate.computed) return undefined;
  const model = propertyName(delegate.property);
  if (model === undefined || model.startsWith('$')) return undefined;
  // Prisma delegates take one argument object; anything else is another library.
  if (node.arguments.length > 1) return undefined;
  const arg = node.arguments[0];
  if (arg === undefined) return { kind: 'prisma', model, method, node, where: undefined, opaque: false };
  const args = objectOf(context, arg);
  if (args === undefined) return { kind: 'prisma', model, method, node, where: undefined, opaque: true };
  if (args.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement)) {
    const where = findProperty(args, 'where');
    return { kind: 'prisma', model, method, node, where: where?.value, opaque: where === undefined };
  }
  // A Prisma args object only has Prisma's keys; `{ id: 1 }` straight in is another library (Mongoose, a REST SDK).
  if (
    args.properties.some((p) => p.type === AST_NODE_TYPES.Property && !PRISMA_ARG_KEYS.has(propertyName(p.key) ?? ''))
  ) {
    return undefined;
  }
  return { kind: 'prisma', model, method, node, where: findProperty(args, 'where')?.value, opaque: false };
}

const PRISMA_ARG_KEYS: ReadonlySet<string> = new Set([
  'where',
  'select',
  'include',
  'omit',
  'orderBy',
  'take',
  'skip',
  'cursor',
  'distinct',
  'data',
  'create',
  'update',
  'by',
  'having',
  '_count',
  '_sum',
  '_avg',
  '_min',
  '_max',
  'relationLoadStrategy',
  'columns',
  'with',
  'extras',
  'limit',
  'offset',
]);

function findProperty(node: TSESTree.ObjectExpression, key: string): TSESTree.Property | undefined {
  return node.properties.find(
    (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && propertyName(p.key) === key,
  );
}

function objectOf(context: Context, node: TSESTree.Node): TSESTree.ObjectExpression | undefined {
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.ObjectExpression) return value;
  if (value.type === AST_NODE_TYPES.Identifier) {
    const init = constInit(context, value);
    if (init !== undefined && init.id.type === AST_NODE_TYPES.Identifier) {
      const resolved = unwrap(init.init);
      if (resolved.type === AST_NODE_TYPES.ObjectExpression) return resolved;
    }
  }
  return undefined;
}

/** The table a Drizzle call is given (`from(invoices)`, `update(schema.invoices)`), by its last name. */
function tableName(node: TSESTree.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const value = unwrap(node);
  if (value.type !== AST_NODE_TYPES.Identifier && value.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  return chainOf(value)?.at(-1);
}

/**
 * Drizzle builders: `db.select().from(t)…where()`, `db.update(t).set()…where()`, `db.delete(t)…where()`.
 * Called on the `from`/`update`/`delete` call; follows the chain upward to find `.where(...)`.
 */
export function drizzleQuery(node: TSESTree.CallExpression): TenantQuery | undefined {
  const callee = node.callee;
  if (callee.type !== AST_NODE_TYPES.MemberExpression || node.arguments.length !== 1) return undefined;
  const method = memberPropertyName(callee);
  if (method === 'from') {
    const inner = callee.object;
    if (
      inner.type !== AST_NODE_TYPES.CallExpression ||
      !/^select(?:Distinct(?:On)?)?$/.test(memberName(inner.callee) ?? '')
    ) {
      return undefined;
    }
  } else if (method === 'update') {
    if (nextCall(node)?.name !== 'set') return undefined;
  } else if (method !== 'delete') {
    return undefined;
  }
  const model = tableName(node.arguments[0]);
  if (model === undefined) return undefined;
  let where: TSESTree.Node | undefined;
  let current: TSESTree.CallExpression = node;
  for (let next = nextCall(current); next !== undefined; next = nextCall(current)) {
    if (next.name === 'where') where = next.call.arguments[0];
    current = next.call;
  }
  if (method === 'delete' && where === undefined && nextCall(node) === undefined) {
    // `db.delete(table)` alone is a full-table delete only if it is run: awaited, returned or chained.
    const parent = node.parent;
    if (parent.type !== AST_NODE_TYPES.AwaitExpression && parent.type !== AST_NODE_TYPES.ReturnStatement)
      return undefined;
  }
  return { kind: 'drizzle', model, method: method === 'from' ? 'select' : method, node, where, opaque: false };
}

function nextCall(node: TSESTree.CallExpression): { name: string; call: TSESTree.CallExpression } | undefined {
  const parent = node.parent;
  if (parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return undefined;
  const call = parent.parent;
  if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== parent) return undefined;
  const name = memberPropertyName(parent);
  return name === undefined ? undefined : { name, call };
}

/** Tenant conditions in a where, Prisma object form or Drizzle expression form, skipping OR/NOT branches. */
export function scanWhere(
  context: Context,
  where: TSESTree.Node,
  isTenantKey: (name: string) => boolean,
  depth = 0,
): WhereScan {
  const scan: WhereScan = { conditions: [], unknown: false };
  if (depth > 6) {
    scan.unknown = true;
    return scan;
  }
  const value = unwrap(where);
  const merge = (inner: WhereScan): void => {
    scan.conditions.push(...inner.conditions);
    scan.unknown ||= inner.unknown;
  };
  switch (value.type) {
    case AST_NODE_TYPES.ObjectExpression:
      for (const property of value.properties) {
        if (property.type === AST_NODE_TYPES.SpreadElement) {
          scan.unknown = true;
          continue;
        }
        const key = property.computed ? undefined : propertyName(property.key);
        if (key === undefined) {
          scan.unknown = true;
          continue;
        }
        if (IGNORED_BRANCHES.has(key)) continue;
        const inner = unwrap(property.value);
        if (isTenantKey(key)) {
          if (key.includes('_') && inner.type === AST_NODE_TYPES.ObjectExpression)
            merge(scanWhere(context, inner, isTenantKey, depth + 1));
          else scan.conditions.push({ key, value: prismaValue(property.value) });
          continue;
        }
        if (inner.type === AST_NODE_TYPES.ObjectExpression || inner.type === AST_NODE_TYPES.ArrayExpression) {
          merge(scanWhere(context, inner, isTenantKey, depth + 1));
        }
      }
      return scan;
    case AST_NODE_TYPES.ArrayExpression:
      for (const element of value.elements) {
        if (element === null) continue;
        if (element.type === AST_NODE_TYPES.SpreadElement) scan.unknown = true;
        else merge(scanWhere(context, element, isTenantKey, depth + 1));
      }
      return scan;
    case AST_NODE_TYPES.Identifier: {
      const init = constInit(context, value);
      if (init === undefined || init.id.type !== AST_NODE_TYPES.Identifier) scan.unknown = true;
      else merge(scanWhere(context, init.init, isTenantKey, depth + 1));
      return scan;
    }
    case AST_NODE_TYPES.CallExpression: {
      const name = memberName(value.callee);
      if (name !== undefined && DRIZZLE_UNSCOPING.has(name)) return scan;
      const [first, second] = value.arguments;
      if (name !== undefined && DRIZZLE_COMPARE.has(name) && first !== undefined && second !== undefined) {
        const column = unwrap(first);
        if (column.type === AST_NODE_TYPES.MemberExpression) {
          const key = memberPropertyName(column);
          if (key !== undefined && isTenantKey(key)) {
            scan.conditions.push({ key, value: second });
            return scan;
          }
        }
      }
      if (name !== undefined && (DRIZZLE_COMPARE.has(name) || DRIZZLE_OTHER_OPERATORS.has(name))) return scan;
      if (name === 'and') {
        for (const arg of value.arguments) merge(scanWhere(context, arg, isTenantKey, depth + 1));
        return scan;
      }
      // An opaque helper (`scoped(orgId)`, `byTenant(t)`) may add the condition.
      scan.unknown = true;
      return scan;
    }
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression: {
      // Drizzle relational `where: (t, { eq }) => eq(t.orgId, id)`.
      const body = value.body.type === AST_NODE_TYPES.BlockStatement ? undefined : value.body;
      if (body === undefined) scan.unknown = true;
      else merge(scanWhere(context, body, isTenantKey, depth + 1));
      return scan;
    }
    case AST_NODE_TYPES.TaggedTemplateExpression:
      for (const expression of value.quasi.expressions) {
        const column = unwrap(expression);
        if (column.type === AST_NODE_TYPES.MemberExpression && isTenantKey(memberPropertyName(column) ?? '')) {
          scan.conditions.push({ key: memberPropertyName(column) ?? '', value: column });
        }
      }
      return scan;
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.ConditionalExpression:
      scan.unknown = true;
      return scan;
    default:
      scan.unknown = true;
      return scan;
  }
}

/** `{ tenantId: { equals: x } }` → x; `{ tenantId: x }` → x. */
function prismaValue(node: TSESTree.Node): TSESTree.Node {
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.ObjectExpression) {
    const equals = findProperty(value, 'equals') ?? findProperty(value, 'in');
    if (equals !== undefined) return equals.value;
  }
  return node;
}

/** The `tenantKeys` option both tenancy rules take (JSON schema property). */
export const TENANT_KEYS_OPTION = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  description: `Field or column names that scope a row to a tenant (camelCase; snake_case spellings match too). Default: ${DEFAULT_TENANT_KEYS.join(', ')}.`,
} as const;

/** The configured tenant keys, or the defaults when none are given. */
export function configuredTenantKeys(tenantKeys: readonly string[] | undefined): readonly string[] {
  return tenantKeys !== undefined && tenantKeys.length > 0 ? tenantKeys : DEFAULT_TENANT_KEYS;
}
