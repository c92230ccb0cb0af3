import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { isNoneAlgorithm } from '../../src/detectors/jwt.js';
import { memberCalleeName, staticString } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { hasSpread, isFunction, memberPropertyName, objectLiteral, objectProperty, unwrap } from '../utils/flow.js';
import { isReference, mayReference, resolveExpression } from '../utils/references.js';

const CALLEE_NAMES: ReadonlySet<string> = new Set([
  'verify',
  'sign',
  'jwtVerify',
  'compactVerify',
  'flattenedVerify',
  'generalVerify',
]);

type MessageIds = 'missingAlgorithms' | 'noneAlgorithm' | 'addAlgorithms';
type Options = [];

/**
 * A key that is a shared HMAC secret by its name (`config.jwt.secret`, `process.env.JWT_SECRET`).
 * jsonwebtoken picks the HS* family for such a key when no `algorithms` are given (and `none` needs
 * an explicit opt-in since 4.2.2), so the token header cannot switch it to another family: algorithm
 * confusion needs a public key. Keys named as public keys, certificates or JWKS stay reported.
 */
const SYMMETRIC_SECRET = /secret/i;
const ASYMMETRIC_KEY = /public|pub(?:lic)?key|\bpem\b|cert|jwks?|getkey|keystore|rsa|ecdsa|x509/i;

/** jose functions whose options take an `algorithms` allow-list. */
const JOSE_VERIFIERS = ['jwtVerify', 'compactVerify', 'flattenedVerify', 'generalVerify'];

export default createRule<Options, MessageIds>({
  name: 'require-jwt-algorithms',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Require an explicit algorithm allow-list when verifying JWTs, and never allow `none`.',
      category: 'jwt',
      severity: 'high',
      securitySeverity: 8.1,
      cwe: ['CWE-347', 'CWE-327'],
      recommended: true,
    },
    messages: {
      missingAlgorithms:
        "`{{callee}}` verifies this token without an `algorithms` allow-list, so the token header picks the algorithm (algorithm confusion: an HS256 token signed with your public key passes). Pass `algorithms` with the one algorithm you issue, e.g. `{ algorithms: ['RS256'] }`.",
      noneAlgorithm:
        '`none` means "no signature": anyone can forge a token that passes. Remove it and allow only the algorithm your issuer signs with (RFC 8725 §3.1).',
      addAlgorithms: "Add `algorithms: ['{{alg}}']` (use the algorithm your tokens are actually signed with).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    // Every report is about a jsonwebtoken or jose call.
    if (!mayReference(sourceCode.text, ['jsonwebtoken', 'jose'])) return {};

    function reportNone(list: TSESTree.Node | undefined): boolean {
      if (list === undefined) return false;
      const value = unwrap(list);
      const elements = value.type === AST_NODE_TYPES.ArrayExpression ? value.elements : [value];
      let found = false;
      for (const element of elements) {
        if (element === null || element.type === AST_NODE_TYPES.SpreadElement) continue;
        const text = staticString(element);
        if (text !== undefined && isNoneAlgorithm(text)) {
          context.report({ node: element, messageId: 'noneAlgorithm' });
          found = true;
        }
      }
      return found;
    }

    function suggestions(
      call: TSESTree.CallExpression,
      options: TSESTree.Node | undefined,
    ): TSESLint.ReportSuggestionArray<MessageIds> {
      return ['RS256', 'HS256'].map((alg) => ({
        messageId: 'addAlgorithms' as const,
        data: { alg },
        fix(fixer: TSESLint.RuleFixer) {
          const entry = `algorithms: ['${alg}']`;
          if (options?.type === AST_NODE_TYPES.ObjectExpression) {
            const last = options.properties.at(-1);
            if (last === undefined) return fixer.replaceText(options, `{ ${entry} }`);
            return fixer.insertTextAfter(last, `, ${entry}`);
          }
          // jwt.verify(token, key) or jwt.verify(token, key, callback): options go third.
          const key = call.arguments[1];
          if (key === undefined) return null;
          return fixer.insertTextAfter(key, `, { ${entry} }`);
        },
      }));
    }

    return {
      CallExpression(node) {
        if (node.arguments.length >= 2) checkVerifyOrSign(node);
        if (memberCalleeName(node) === 'setProtectedHeader') checkProtectedHeader(node);
      },
    };

    function checkVerifyOrSign(node: TSESTree.CallExpression): void {
      const callee = node.callee;
      // Cheapest test first: a member call must spell one of the names; then resolve once.
      if (callee.type === AST_NODE_TYPES.MemberExpression && !CALLEE_NAMES.has(memberPropertyName(callee) ?? ''))
        return;
      if (callee.type !== AST_NODE_TYPES.MemberExpression && callee.type !== AST_NODE_TYPES.Identifier) return;
      const reference = resolveExpression(context, callee);
      if (reference === undefined || reference.path.length !== 1) return;
      const target = `${reference.module}:${reference.path[0] ?? ''}`;
      if (target === 'jsonwebtoken:verify') {
        const keyText = node.arguments[1] === undefined ? '' : sourceCode.getText(node.arguments[1]);
        if (SYMMETRIC_SECRET.test(keyText) && !ASYMMETRIC_KEY.test(keyText)) return;
        const third = node.arguments[2];
        // jwt.verify(token, key) and jwt.verify(token, key, callback) take no options at all.
        if (third === undefined || isFunction(unwrap(third))) {
          context.report({
            node: callee,
            messageId: 'missingAlgorithms',
            data: { callee: sourceCode.getText(callee) },
            suggest: suggestions(node, undefined),
          });
          return;
        }
        const options = objectLiteral(context, third);
        if (options === undefined) return;
        const algorithms = objectProperty(options, 'algorithms');
        if (algorithms !== undefined) {
          reportNone(algorithms.value);
          return;
        }
        if (hasSpread(options)) return;
        context.report({
          node: callee,
          messageId: 'missingAlgorithms',
          data: { callee: sourceCode.getText(callee) },
          suggest: suggestions(node, options === unwrap(third) ? options : undefined),
        });
        return;
      }
      if (target === 'jsonwebtoken:sign') {
        const options = objectLiteral(context, node.arguments[2]);
        const algorithm = options === undefined ? undefined : objectProperty(options, 'algorithm');
        if (reportNone(algorithm?.value)) return;
        const header =
          options === undefined ? undefined : objectLiteral(context, objectProperty(options, 'header')?.value);
        reportNone(header === undefined ? undefined : objectProperty(header, 'alg')?.value);
        return;
      }
      if (reference.module === 'jose' && JOSE_VERIFIERS.includes(reference.path[0] ?? '')) {
        const options = objectLiteral(context, node.arguments[2]);
        if (options !== undefined) reportNone(objectProperty(options, 'algorithms')?.value);
      }
    }

    function checkProtectedHeader(node: TSESTree.CallExpression): void {
      const header = objectLiteral(context, node.arguments[0]);
      if (header === undefined) return;
      const alg = objectProperty(header, 'alg');
      if (alg === undefined) return;
      const text = staticString(alg.value);
      if (text === undefined || !isNoneAlgorithm(text)) return;
      // Only jose's builders: walk down the chain to `new SignJWT(...)` / `new CompactSign(...)`.
      let object: TSESTree.Node = node.callee.type === AST_NODE_TYPES.MemberExpression ? node.callee.object : node;
      while (object.type === AST_NODE_TYPES.CallExpression && object.callee.type === AST_NODE_TYPES.MemberExpression) {
        object = object.callee.object;
      }
      if (object.type === AST_NODE_TYPES.NewExpression && isReference(context, object.callee, 'jose', ['SignJWT'])) {
        context.report({ node: alg.value, messageId: 'noneAlgorithm' });
      }
    }
  },
});
