import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import {
  findSecrets,
  isFixtureFile,
  isGenericSecretName,
  isPlaceholder,
  isPublicSupabaseKey,
  isSecretName,
  isSinkSecretValue,
  looksLikeCredentialValue,
  looksRandom,
  redact,
} from '../../src/detectors/secrets.js';
import { isEnvRead, propertyName, staticString } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { constValue, findProperty } from '../utils/option-values.js';
import { resolveExpression } from '../utils/references.js';
import { findSecretSink, SECRET_SINK_MODULES, type SecretSink } from '../utils/secret-sinks.js';

type MessageIds = 'providerSecret' | 'namedSecret' | 'literalFallback' | 'sinkSecret';
type Options = [
  {
    /** Also report literals assigned to secret-named variables and properties. */
    checkNamedValues?: boolean;
  },
];

const SENTINEL_NAME = /^(?:default|example|sample|dummy|fake|mock|placeholder)(?:[-_]|[A-Z])/i;

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
      // A provider-shaped key or a literal handed to a signer is certain; a secret-looking value under a
      // secret-sounding name is a judgement from names and shapes, so it never fails a critical gate alone.
      messageSeverity: { namedSecret: 'high' },
    },
    messages: {
      providerSecret:
        'This literal is a {{label}} ({{preview}}). Anyone who can read the code or the bundle can use it. Revoke it, then load it from the environment (process.env) or a secret manager.',
      namedSecret:
        '`{{name}}` is given a literal credential. Secrets in source end up in git history and bundles. Read it from the environment (process.env.{{envName}}) or a secret manager.',
      sinkSecret:
        'A literal is used as {{sink}}. Anyone who can read the code or the bundle can use it to forge, decrypt or spend what it protects. Load it from the environment (process.env) or a secret manager, and rotate this value.',
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
    const inTestFile = isFixtureFile(context.filename);
    const reported = new Set<TSESTree.Node>();

    function checkText(node: TSESTree.Node, text: string): void {
      const [match] = findSecrets(text);
      if (match === undefined) return;
      // A concatenation is reported only when no single piece of it already is.
      if (node.type === AST_NODE_TYPES.BinaryExpression && findSecrets(concatenationPieces(node)).length > 0) return;
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
        // `process.env.X || 'dev'` and `process.env.X || DEFAULT_SECRET` with a literal const alike.
        const fallback = staticString(constValue(context, value.right));
        if (
          !inTestFile &&
          isEnvRead(value.left) &&
          fallback !== undefined &&
          !isPlaceholder(fallback) &&
          fallback.length > 0 &&
          !reported.has(value.right)
        ) {
          reported.add(value.right);
          context.report({ node: value.right, messageId: 'literalFallback', data: { name } });
          return;
        }
        // `password: user.password || 'Welcome1!'`: a default credential every such account shares.
        if (!isEnvRead(value.left)) checkNamed(name, value.right);
        return;
      }
      if (!options.checkNamedValues || inTestFile || reported.has(value)) return;
      // A `DEFAULT_SECRET` / `EXAMPLE_KEY` constant is a known value kept for comparison or docs; it is
      // reported where it is used as a key or as a fallback, not where it is declared.
      if (SENTINEL_NAME.test(name)) return;
      const literal = staticString(value);
      if (literal === undefined || !looksLikeCredentialValue(literal)) return;
      // `{ key: 'created_at' }`, `token: 'first_name'`: a bare key/token name needs a machine-made value.
      if (isGenericSecretName(name) && !looksRandom(literal)) return;
      // Provider-shaped values get the more specific report from the literal visitors.
      if (findSecrets(literal).length > 0) return;
      reported.add(value);
      context.report({ node: value, messageId: 'namedSecret', data: { name, envName: envName(name) } });
    }

    const hasSinkModule = SECRET_SINK_MODULES.test(context.sourceCode.text);

    /** Literal key material inside a sink argument: `'k'`, `new TextEncoder().encode('k')`, `Buffer.from('k')`, `['k1', 'k2']`. */
    function literalKeys(node: TSESTree.Node, depth = 0): TSESTree.Node[] {
      if (depth > 4) return [];
      const value = constValue(context, node);
      if (staticString(value) !== undefined) return [value];
      switch (value.type) {
        case AST_NODE_TYPES.ArrayExpression:
          return value.elements.flatMap((element) =>
            element === null || element.type === AST_NODE_TYPES.SpreadElement ? [] : literalKeys(element, depth + 1),
          );
        case AST_NODE_TYPES.AwaitExpression:
          return literalKeys(value.argument, depth + 1);
        case AST_NODE_TYPES.CallExpression: {
          const callee = value.callee;
          const [first] = value.arguments;
          if (first === undefined || callee.type !== AST_NODE_TYPES.MemberExpression) {
            const reference = resolveExpression(context, callee);
            const isSecretKey =
              reference !== undefined &&
              (reference.module === 'crypto' || reference.module === 'node:crypto') &&
              reference.path.join('.') === 'createSecretKey';
            return isSecretKey && first !== undefined ? literalKeys(first, depth + 1) : [];
          }
          const method = propertyName(callee.property);
          const object = callee.object;
          // `new TextEncoder().encode('k')`, `encoder.encode('k')` with `const encoder = new TextEncoder()`
          const receiver = constValue(context, object);
          const isEncoder =
            method === 'encode' &&
            receiver.type === AST_NODE_TYPES.NewExpression &&
            receiver.callee.type === AST_NODE_TYPES.Identifier &&
            receiver.callee.name === 'TextEncoder';
          const isBuffer = method === 'from' && object.type === AST_NODE_TYPES.Identifier && object.name === 'Buffer';
          if (isEncoder || isBuffer) return literalKeys(first, depth + 1);
          const reference = resolveExpression(context, callee);
          if (
            reference !== undefined &&
            (reference.module === 'crypto' || reference.module === 'node:crypto') &&
            reference.path.join('.') === 'createSecretKey'
          ) {
            return literalKeys(first, depth + 1);
          }
          return [];
        }
        default:
          return [];
      }
    }

    function checkSinkValue(sink: SecretSink, node: TSESTree.Node): void {
      const value = node.type === AST_NODE_TYPES.Identifier ? constValue(context, node) : node;
      if (value.type === AST_NODE_TYPES.LogicalExpression && (value.operator === '||' || value.operator === '??')) {
        // `process.env.X || 'dev'` and `process.env.X || DEFAULT_SECRET` with a literal const alike.
        const fallback = staticString(constValue(context, value.right));
        if (
          !inTestFile &&
          isEnvRead(value.left) &&
          fallback !== undefined &&
          isSinkSecretValue(fallback) &&
          !reported.has(value.right)
        ) {
          reported.add(value.right);
          context.report({ node: value.right, messageId: 'literalFallback', data: { name: sink.label } });
        }
        return;
      }
      if (inTestFile) return;
      for (const literal of literalKeys(value)) {
        const text = staticString(literal);
        if (text === undefined || reported.has(literal)) continue;
        // Provider-shaped keys get their own report; public keys and certificates are not secrets.
        if (findSecrets(text).length > 0 || !isSinkSecretValue(text)) continue;
        if (/-----BEGIN (?:PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY)-----/.test(text)) continue;
        if (sink.publicKeysAllowed === true && isPublicSupabaseKey(text)) continue;
        reported.add(literal);
        context.report({ node: literal, messageId: 'sinkSecret', data: { sink: sink.label } });
      }
    }

    function checkSinkCall(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (!hasSinkModule || node.arguments.length === 0) return;
      const reference = resolveExpression(context, node.callee);
      if (reference === undefined) return;
      const sink = findSecretSink(reference);
      if (sink === undefined) return;
      const argument = node.arguments[sink.argument];
      if (argument === undefined || argument.type === AST_NODE_TYPES.SpreadElement) return;
      if (sink.properties === undefined) {
        checkSinkValue(sink, argument);
        return;
      }
      const options = constValue(context, argument);
      if (options.type !== AST_NODE_TYPES.ObjectExpression) return;
      for (const name of sink.properties) {
        const property = findProperty(options, name);
        if (property !== undefined) checkSinkValue(sink, property.value);
      }
    }

    return {
      CallExpression: checkSinkCall,
      NewExpression: checkSinkCall,
      Literal(node) {
        if (typeof node.value === 'string') checkText(node, node.value);
      },
      BinaryExpression(node) {
        if (node.operator !== '+') return;
        // `'sk_live_' + '51Hx…'`: judge the whole concatenation once, at its outermost `+`.
        if (node.parent.type === AST_NODE_TYPES.BinaryExpression && node.parent.operator === '+') return;
        const text = staticString(node);
        if (text !== undefined) checkText(node, text);
      },
      TemplateElement(node) {
        checkText(node, node.value.cooked ?? node.value.raw);
      },
      VariableDeclarator(node) {
        if (node.id.type === AST_NODE_TYPES.Identifier) checkNamed(node.id.name, node.init);
      },
      Property(node) {
        if (node.computed) return;
        const name = propertyName(node.key);
        // `{ key: 'Content-Type', value: … }` is an entry of a list of pairs, not a key.
        if (name === 'key' && node.parent.type === AST_NODE_TYPES.ObjectExpression && hasValueSibling(node.parent))
          return;
        checkNamed(name, node.value);
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

function hasValueSibling(object: TSESTree.ObjectExpression): boolean {
  return object.properties.some(
    (property) => property.type === AST_NODE_TYPES.Property && propertyName(property.key) === 'value',
  );
}

/** The literal pieces of a `+` concatenation joined with a separator no secret shape spans. */
function concatenationPieces(node: TSESTree.Node): string {
  if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+') {
    return `${concatenationPieces(node.left)}\n${concatenationPieces(node.right)}`;
  }
  return staticString(node) ?? '';
}
