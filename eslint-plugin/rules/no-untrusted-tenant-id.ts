import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { requestInputKind, type RequestInputKind } from '../../src/detectors/request-input.js';
import { tenantKeyMatcher } from '../../src/detectors/tenancy.js';
import { createRule } from '../utils/create-rule.js';
import { memberName } from '../utils/ast.js';
import { chainOf, constInit, enclosingFunction, findVariable, unwrap, walk } from '../utils/flow.js';
import {
  configuredTenantKeys,
  drizzleQuery,
  prismaQuery,
  scanWhere,
  TENANT_KEYS_OPTION,
} from '../utils/tenant-queries.js';

type MessageIds = 'untrustedTenantId';
type Options = [
  {
    /** Field/column names that scope a row to a tenant. */
    tenantKeys?: string[];
  },
];

const SOURCE_LABEL: Readonly<Record<RequestInputKind, string>> = {
  body: 'the request body',
  query: 'the query string',
  params: 'the URL path',
  headers: 'a request header',
  searchParams: 'the query string',
  formData: 'the submitted form',
};

/** Conversions that keep the caller's value: `String(req.query.orgId)`, `Number(params.teamId)`. */
const CONVERSIONS: ReadonlySet<string> = new Set(['String', 'Number', 'parseInt', 'BigInt', 'decodeURIComponent']);

/** A call that checks the caller may act in that tenant (`assertMember(user, orgId)`, `can(user, 'read', orgId)`). */
const MEMBERSHIP_CHECK =
  /member|access|authori[sz]|permission|assert|^can$|^can[A-Z]|check|ensure|require|verify|belongs|guard|isIn/i;

export default createRule<Options, MessageIds>({
  name: 'no-untrusted-tenant-id',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow tenant keys in query filters that come straight from request input instead of the session.',
      category: 'tenancy',
      severity: 'high',
      securitySeverity: 8.1,
      cwe: ['CWE-639'],
      recommended: true,
    },
    messages: {
      untrustedTenantId:
        "`{{key}}` is taken from {{source}}, which the caller controls, so anyone can read or change another tenant's data by sending a different id. Use the tenant of the authenticated session (e.g. `principal.tenantId`), or check membership first.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          tenantKeys: TENANT_KEYS_OPTION,
        },
      },
    ],
    defaultOptions: [{}],
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const isTenantKey = tenantKeyMatcher(configuredTenantKeys(options.tenantKeys));

    /** The request input a value is read from, following const bindings and destructuring. */
    function source(node: TSESTree.Node, depth = 0): RequestInputKind | undefined {
      if (depth > 4) return undefined;
      const value = unwrap(node);
      // `c.req.query('orgId') ?? ''`: a fallback does not take the choice away from the caller.
      if (value.type === AST_NODE_TYPES.LogicalExpression && value.operator !== '&&')
        return source(value.left, depth + 1) ?? source(value.right, depth + 1);
      if (
        value.type === AST_NODE_TYPES.CallExpression &&
        value.callee.type === AST_NODE_TYPES.Identifier &&
        CONVERSIONS.has(value.callee.name) &&
        value.arguments[0] !== undefined
      ) {
        return source(value.arguments[0], depth + 1);
      }
      const chain = chainOf(value);
      if (chain === undefined) return undefined;
      const direct = requestInputKind(chain);
      if (direct !== undefined) return direct;
      const root = rootIdentifier(value);
      if (root === undefined) return undefined;
      const variable = findVariable(context, root);
      const definition = variable?.defs[0];
      // Next.js route segments: `export async function GET(req, { params })`, `Page({ params })`.
      if (root.name === 'params' && isDestructuredParameter(definition) && chain.length > 1) return 'params';
      const found = constInit(context, root);
      if (found === undefined) return undefined;
      if (found.id.type === AST_NODE_TYPES.Identifier) {
        const base = chainOf(found.init);
        if (base !== undefined) {
          const combined = requestInputKind([...base, ...chain.slice(1)]);
          if (combined !== undefined) return combined;
        }
        return chain.length === 1 ? source(found.init, depth + 1) : undefined;
      }
      // const { orgId } = req.body / await request.json()
      return source(found.init, depth + 1) ?? (isParamsPattern(found.init) ? 'params' : undefined);
    }

    function isParamsPattern(init: TSESTree.Node): boolean {
      const value = unwrap(init);
      if (value.type !== AST_NODE_TYPES.Identifier || value.name !== 'params') return false;
      return isDestructuredParameter(findVariable(context, value)?.defs[0]);
    }

    /**
     * `{ params }` taken apart in a parameter list is Next.js's route segments; a parameter that is
     * itself named `params` (`function run(params: { orgId: string })`) is the caller's arguments.
     */
    function isDestructuredParameter(definition: { type: string; name: TSESTree.Node } | undefined): boolean {
      if (definition?.type !== 'Parameter') return false;
      const parent = definition.name.parent;
      return parent?.type === AST_NODE_TYPES.Property && parent.parent.type === AST_NODE_TYPES.ObjectPattern;
    }

    function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
      let value = unwrap(node);
      while (value.type === AST_NODE_TYPES.MemberExpression || value.type === AST_NODE_TYPES.CallExpression) {
        value = unwrap(value.type === AST_NODE_TYPES.MemberExpression ? value.object : value.callee);
      }
      return value.type === AST_NODE_TYPES.Identifier ? value : undefined;
    }

    /** The same function passes the value (or its root) to a membership/permission check. */
    function isMembershipChecked(value: TSESTree.Node, query: TSESTree.Node): boolean {
      const fn = enclosingFunction(query);
      if (fn === undefined) return false;
      // app.get('/orgs/:orgId/projects', requireOrgMember, handler): membership checked by route middleware.
      const registration = fn.parent;
      if (
        registration.type === AST_NODE_TYPES.CallExpression &&
        registration.arguments.some((arg) => {
          if (arg === fn) return false;
          const name = memberName(arg.type === AST_NODE_TYPES.CallExpression ? arg.callee : arg);
          return name !== undefined && MEMBERSHIP_CHECK.test(name);
        })
      ) {
        return true;
      }
      const text = sourceCode.getText(unwrap(value));
      const root = rootIdentifier(value)?.name;
      let checked = false;
      walk(context, fn.body, (node) => {
        if (checked) return false;
        if (node.type === AST_NODE_TYPES.CallExpression && node !== query) {
          const name = memberName(node.callee);
          if (name !== undefined && MEMBERSHIP_CHECK.test(name)) {
            checked = node.arguments.some((arg) => {
              const argText = sourceCode.getText(arg);
              return argText.includes(text) || (root !== undefined && chainOf(arg)?.length === 1 && argText === root);
            });
          }
        }
        return undefined;
      });
      return checked;
    }

    return {
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const query = prismaQuery(context, node) ?? drizzleQuery(node);
        if (query?.where === undefined) return;
        for (const condition of scanWhere(context, query.where, isTenantKey).conditions) {
          const kind = source(condition.value);
          if (kind === undefined || isMembershipChecked(condition.value, node)) continue;
          context.report({
            node: condition.value,
            messageId: 'untrustedTenantId',
            data: { key: condition.key, source: SOURCE_LABEL[kind] },
          });
        }
      },
    };
  },
});
