import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { PRISMA_WHERE_REQUIRED, modelSet, normalizeModelName, tenantKeyMatcher } from '../../src/detectors/tenancy.js';
import { propertyName } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { constInit, enclosingFunction, walk } from '../utils/flow.js';
import {
  configuredTenantKeys,
  drizzleQuery,
  prismaQuery,
  scanWhere,
  TENANT_KEYS_OPTION,
  type TenantQuery,
} from '../utils/tenant-queries.js';

type MessageIds = 'missingTenantFilter' | 'undefinedTenantValue';
type Options = [
  {
    /** Field/column names that scope a row to a tenant. */
    tenantKeys?: string[];
    /** Tenant-scoped models or tables; when absent they are inferred from the same file. */
    models?: string[];
  },
];

const CREATE_METHODS: ReadonlySet<string> = new Set(['create', 'createMany', 'createManyAndReturn', 'upsert']);

export default createRule<Options, MessageIds>({
  name: 'require-tenant-filter',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require queries on tenant-scoped Prisma models and Drizzle tables to filter by the tenant key.',
      category: 'tenancy',
      severity: 'high',
      securitySeverity: 8.1,
      cwe: ['CWE-639', 'CWE-566'],
      recommended: true,
    },
    messages: {
      missingTenantFilter:
        "This {{method}} on the tenant-scoped `{{model}}` has no `{{key}}` condition, so it reaches every tenant's rows (one customer can read or change another's data). Add `{{key}}` from the authenticated session to the where, or scope all queries with `portcullis add tenancy`.",
      undefinedTenantValue:
        "`{{key}}` may be `undefined` here, and Prisma silently drops `undefined` filters, so the query then matches every tenant's rows. Read the tenant id first, fail when it is missing, and pass the checked value.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          tenantKeys: TENANT_KEYS_OPTION,
          models: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Tenant-scoped Prisma models or Drizzle tables (any spelling: `Invoice`, `invoice`, `invoices`). When absent, a model counts as tenant-scoped if the same file queries or creates it with a tenant key. `portcullis check` fills this from the schema.',
          },
        },
      },
    ],
    defaultOptions: [{}],
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const tenantKeys = configuredTenantKeys(options.tenantKeys);
    const isTenantKey = tenantKeyMatcher(tenantKeys);
    const configured = options.models !== undefined && options.models.length > 0 ? modelSet(options.models) : undefined;
    const inferred = modelSet([]);
    const keyOf = new Map<string, string>();
    const queries: TenantQuery[] = [];

    function infer(model: string, key: string): void {
      inferred.add(model);
      if (!keyOf.has(normalizeModelName(model)))
        keyOf.set(normalizeModelName(model), key.split('_').find(isTenantKey) ?? key);
    }

    function inferFromData(model: string, data: TSESTree.Node | undefined): void {
      if (data === undefined) return;
      const value = data.type === AST_NODE_TYPES.ArrayExpression ? data.elements[0] : data;
      if (value?.type !== AST_NODE_TYPES.ObjectExpression) return;
      for (const property of value.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
        const key = propertyName(property.key);
        if (key !== undefined && isTenantKey(key)) infer(model, key);
        // Prisma relation connect: `org: { connect: { id } }` scopes through the relation; leave it to `models`.
      }
    }

    /** A value Prisma may receive as `undefined`: `session?.orgId`, a const holding one, `x ?? undefined`. */
    function mayBeUndefined(node: TSESTree.Node, fn: TSESTree.Node, depth = 0): boolean {
      if (depth > 3) return false;
      let value: TSESTree.Node = node;
      while (value.type === AST_NODE_TYPES.TSAsExpression || value.type === AST_NODE_TYPES.TSSatisfiesExpression)
        value = value.expression;
      if (value.type === AST_NODE_TYPES.TSNonNullExpression) return false;
      if (value.type === AST_NODE_TYPES.Identifier && value.name === 'undefined') return true;
      if (value.type === AST_NODE_TYPES.ChainExpression) return !isGuarded(sourceCode.getText(value), fn);
      if (value.type === AST_NODE_TYPES.LogicalExpression && (value.operator === '??' || value.operator === '||')) {
        return mayBeUndefined(value.right, fn, depth + 1);
      }
      if (value.type === AST_NODE_TYPES.ConditionalExpression) {
        return mayBeUndefined(value.consequent, fn, depth + 1) || mayBeUndefined(value.alternate, fn, depth + 1);
      }
      if (value.type === AST_NODE_TYPES.Identifier) {
        const found = constInit(context, value);
        if (found === undefined || isGuarded(value.name, fn)) return false;
        if (found.id.type === AST_NODE_TYPES.Identifier) return mayBeUndefined(found.init, fn, depth + 1);
        // const { orgId } = session?.user ?? {}
        const init = found.init;
        return (
          init.type === AST_NODE_TYPES.ChainExpression ||
          (init.type === AST_NODE_TYPES.LogicalExpression && init.left.type === AST_NODE_TYPES.ChainExpression)
        );
      }
      return false;
    }

    /** The value is checked in a condition or assertion in the same function (`if (!orgId) throw …`). */
    function isGuarded(text: string, fn: TSESTree.Node): boolean {
      const needle = text.replace(/\?\./g, '.').replace(/\s/g, '');
      let guarded = false;
      walk(context, fn, (node) => {
        if (guarded) return false;
        let test: TSESTree.Node | undefined;
        if (node.type === AST_NODE_TYPES.IfStatement || node.type === AST_NODE_TYPES.ConditionalExpression)
          test = node.test;
        else if (
          node.type === AST_NODE_TYPES.CallExpression &&
          /^(?:assert\w*|invariant|ok)$/.test(sourceCode.getText(node.callee).split('.').at(-1) ?? '')
        ) {
          test = node;
        }
        if (test !== undefined && sourceCode.getText(test).replace(/\?\./g, '.').replace(/\s/g, '').includes(needle))
          guarded = true;
        return undefined;
      });
      return guarded;
    }

    return {
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const callee = node.callee as TSESTree.MemberExpression;
        const method = callee.computed ? undefined : propertyName(callee.property);
        if (method === undefined) return;
        if (
          CREATE_METHODS.has(method) &&
          callee.object.type === AST_NODE_TYPES.MemberExpression &&
          !callee.object.computed
        ) {
          const model = propertyName(callee.object.property);
          const args = node.arguments[0];
          if (model !== undefined && args?.type === AST_NODE_TYPES.ObjectExpression && node.arguments.length === 1) {
            for (const property of args.properties) {
              if (
                property.type === AST_NODE_TYPES.Property &&
                ['data', 'create'].includes(propertyName(property.key) ?? '')
              ) {
                inferFromData(model, property.value);
              }
            }
          }
        }
        if (method === 'values' && callee.object.type === AST_NODE_TYPES.CallExpression) {
          // Drizzle insert: db.insert(invoices).values({ orgId, … })
          const insert = callee.object;
          const table = insert.arguments[0];
          if (
            insert.callee.type === AST_NODE_TYPES.MemberExpression &&
            propertyName(insert.callee.property) === 'insert' &&
            table?.type === AST_NODE_TYPES.Identifier
          ) {
            inferFromData(table.name, node.arguments[0]);
          }
        }
        const query = prismaQuery(context, node) ?? drizzleQuery(node);
        if (query === undefined) return;
        queries.push(query);
        if (query.where !== undefined) {
          const scan = scanWhere(context, query.where, isTenantKey);
          for (const condition of scan.conditions) infer(query.model, condition.key);
        }
      },
      'Program:exit'() {
        for (const query of queries) {
          const scoped = configured !== undefined ? configured.has(query.model) : inferred.has(query.model);
          if (!scoped || query.opaque) continue;
          const key = keyOf.get(normalizeModelName(query.model)) ?? tenantKeys[0] ?? 'tenantId';
          const reportNode = query.node.type === AST_NODE_TYPES.CallExpression ? query.node.callee : query.node;
          const data = {
            model: query.model,
            method: query.kind === 'prisma' ? `\`${query.method}\`` : `Drizzle ${query.method}`,
            key,
          };
          if (query.where === undefined) {
            if (query.kind === 'prisma' && PRISMA_WHERE_REQUIRED.has(query.method)) continue;
            context.report({ node: reportNode, messageId: 'missingTenantFilter', data });
            continue;
          }
          const scan = scanWhere(context, query.where, isTenantKey);
          if (scan.conditions.length === 0) {
            if (!scan.unknown) context.report({ node: reportNode, messageId: 'missingTenantFilter', data });
            continue;
          }
          if (query.kind !== 'prisma') continue;
          const fn = enclosingFunction(query.node) ?? sourceCode.ast;
          for (const condition of scan.conditions) {
            if (mayBeUndefined(condition.value, fn)) {
              context.report({
                node: condition.value,
                messageId: 'undefinedTenantValue',
                data: { key: condition.key },
              });
            }
          }
        }
      },
    };
  },
});
