import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import {
  findSecrets,
  isPlaceholder,
  isSecretName,
  looksLikeCredentialValue,
  redact,
} from '../../src/detectors/secrets.js';
import { isEnvRead, propertyName, staticString } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'providerSecret' | 'namedSecret' | 'literalFallback';
type Options = [
  {
    /** Also report literals assigned to secret-named variables and properties. */
    checkNamedValues?: boolean;
  },
];

/** Files whose literals are test data by convention. */
const TEST_FILE = /(?:^|[/\\])(?:__tests__|__mocks__|fixtures?|test|tests|spec)[/\\]|\.(?:test|spec)\.[cm]?[jt]sx?$/;

export default createRule<Options, MessageIds>({
  name: 'no-hardcoded-secrets',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow credentials written into source code.',
      category: 'secrets',
      severity: 'critical',
      securitySeverity: 9.1,
      cwe: ['CWE-798'],
      recommended: true,
    },
    messages: {
      providerSecret:
        'This literal is a {{label}} ({{preview}}). Anyone who can read the code or the bundle can use it. Revoke it, then load it from the environment (process.env) or a secret manager.',
      namedSecret:
        '`{{name}}` is given a literal credential. Secrets in source end up in git history and bundles. Read it from the environment (process.env.{{envName}}) or a secret manager.',
      literalFallback:
        '`{{name}}` falls back to a literal secret when the environment variable is missing, so a misconfigured deployment silently runs with a known key. Fail at start-up instead: throw when the variable is unset.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkNamedValues: {
            type: 'boolean',
            description: 'Also report non-placeholder literals assigned to secret-named variables and properties.',
          },
        },
      },
    ],
    defaultOptions: [{ checkNamedValues: true }],
  },
  defaultOptions: [{ checkNamedValues: true }],
  create(context, [options]) {
    const isTestFile = TEST_FILE.test(context.filename);
    const reported = new Set<TSESTree.Node>();

    function checkText(node: TSESTree.Node, text: string): void {
      const [match] = findSecrets(text);
      if (match === undefined) return;
      reported.add(node);
      context.report({ node, messageId: 'providerSecret', data: { label: match.label, preview: redact(match.value) } });
    }

    function envName(name: string): string {
      return name
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .toUpperCase();
    }

    function checkNamed(name: string | undefined, value: TSESTree.Node | null | undefined): void {
      if (name === undefined || value === null || value === undefined) return;
      if (!isSecretName(name)) return;
      if (value.type === AST_NODE_TYPES.LogicalExpression && (value.operator === '||' || value.operator === '??')) {
        const fallback = staticString(value.right);
        if (isEnvRead(value.left) && fallback !== undefined && !isPlaceholder(fallback) && fallback.length > 0) {
          context.report({ node: value.right, messageId: 'literalFallback', data: { name } });
        }
        return;
      }
      if (!options.checkNamedValues || isTestFile || reported.has(value)) return;
      const literal = staticString(value);
      if (literal === undefined || !looksLikeCredentialValue(literal)) return;
      context.report({ node: value, messageId: 'namedSecret', data: { name, envName: envName(name) } });
    }

    return {
      Literal(node) {
        if (typeof node.value === 'string') checkText(node, node.value);
      },
      TemplateElement(node) {
        checkText(node, node.value.cooked ?? node.value.raw);
      },
      VariableDeclarator(node) {
        if (node.id.type === AST_NODE_TYPES.Identifier) checkNamed(node.id.name, node.init);
      },
      Property(node) {
        if (!node.computed) checkNamed(propertyName(node.key), node.value);
      },
      PropertyDefinition(node) {
        if (!node.computed) checkNamed(propertyName(node.key), node.value);
      },
      AssignmentExpression(node) {
        if (node.left.type === AST_NODE_TYPES.MemberExpression && !node.left.computed) {
          checkNamed(propertyName(node.left.property), node.right);
        } else if (node.left.type === AST_NODE_TYPES.Identifier) {
          checkNamed(node.left.name, node.right);
        }
      },
    };
  },
});
