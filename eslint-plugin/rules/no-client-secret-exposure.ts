import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import {
  isExposedSecretEnvName,
  isSecretEnvName,
  isServerOnlyEnvName,
  publicPrefix,
} from '../../src/detectors/client-exposure.js';
import { propertyName } from '../utils/ast.js';
import { isReference } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'publicSecret' | 'serverEnvInClient' | 'serviceRoleInClient';
type Options = [{ clientDirectories?: string[] }];

interface EnvRead {
  name: string;
  /** `import.meta.env` (Vite) rather than `process.env`. */
  meta: boolean;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X` → the variable name. */
function envRead(node: TSESTree.MemberExpression): EnvRead | undefined {
  const name = node.computed
    ? node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
      ? node.property.value
      : undefined
    : propertyName(node.property);
  if (name === undefined) return undefined;
  const object = node.object;
  if (object.type !== AST_NODE_TYPES.MemberExpression || object.computed || propertyName(object.property) !== 'env')
    return undefined;
  if (object.object.type === AST_NODE_TYPES.Identifier && object.object.name === 'process')
    return { name, meta: false };
  if (object.object.type === AST_NODE_TYPES.MetaProperty) return { name, meta: true };
  return undefined;
}

function hasUseClientDirective(program: TSESTree.Program): boolean {
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.directive === undefined) return false;
    if (statement.directive === 'use client') return true;
  }
  return false;
}

export default createRule<Options, MessageIds>({
  name: 'no-client-secret-exposure',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow secrets in public environment variables and server-only secrets in client code.',
      category: 'client-exposure',
      severity: 'critical',
      securitySeverity: 9.1,
      cwe: ['CWE-200'],
      recommended: true,
    },
    messages: {
      publicSecret:
        '`{{name}}` is named like a secret but its `{{prefix}}` prefix makes the bundler inline it into JavaScript that every visitor downloads. Drop the public prefix and read it only in server code (a route handler, server action or API).',
      serverEnvInClient:
        'Client code reads the server-only variable `{{name}}`. In the browser it is undefined at best; if a bundler inlines it, the secret ships to every visitor. Call a server endpoint that uses it instead.',
      serviceRoleInClient:
        'A Supabase client in browser code is created with `{{name}}`, a key that bypasses row-level security for anyone who opens dev tools (CVE-2025-48757 class). Use the anon/publishable key in the browser and keep the service-role key on the server.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          clientDirectories: {
            type: 'array',
            items: { type: 'string' },
            description:
              "Folders (relative, '/'-separated) whose files run in the browser, besides files marked 'use client'. Default: none.",
          },
        },
      },
    ],
    defaultOptions: [{ clientDirectories: [] }],
  },
  defaultOptions: [{ clientDirectories: [] }],
  create(context, [options]) {
    // Every report is about a `process.env.X` or `import.meta.env.X` read (see `envRead`).
    if (!context.sourceCode.text.includes('env')) return {};
    const filename = `/${context.filename.replace(/\\/g, '/')}`;
    const inClientDirectory = (options.clientDirectories ?? []).some((dir) =>
      filename.includes(`/${dir.replace(/^\.?\/|\/$/g, '')}/`),
    );
    const isClient = inClientDirectory || hasUseClientDirective(context.sourceCode.ast);
    const reported = new Set<TSESTree.Node>();

    return {
      MemberExpression(node) {
        if (
          node.object.type !== AST_NODE_TYPES.MemberExpression ||
          (node.object.property as { name?: unknown }).name !== 'env'
        )
          return;
        const read = envRead(node);
        if (read === undefined || reported.has(node)) return;
        if (isExposedSecretEnvName(read.name)) {
          context.report({
            node,
            messageId: 'publicSecret',
            data: { name: read.name, prefix: publicPrefix(read.name) ?? '' },
          });
          return;
        }
        if (isClient && isServerOnlyEnvName(read.name)) {
          context.report({ node, messageId: 'serverEnvInClient', data: { name: read.name } });
        }
      },
      CallExpression(node) {
        if (!isClient || node.arguments.length < 2) return;
        const supabase =
          isReference(context, node.callee, ['@supabase/supabase-js', '@supabase/ssr'], ['createClient']) ||
          isReference(context, node.callee, '@supabase/ssr', ['createBrowserClient']);
        if (!supabase) return;
        let key = node.arguments[1]!;
        if (key.type === AST_NODE_TYPES.TSNonNullExpression) key = key.expression;
        if (key.type !== AST_NODE_TYPES.MemberExpression) return;
        const read = envRead(key);
        if (read === undefined || !isSecretEnvName(read.name)) return;
        reported.add(key);
        context.report({ node: key, messageId: 'serviceRoleInClient', data: { name: read.name } });
      },
    };
  },
});
