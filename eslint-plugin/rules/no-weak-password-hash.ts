import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import {
  MIN_BCRYPT_COST,
  minimumPbkdf2Iterations,
  namesPassword,
  namesPasswordHash,
} from '../../src/detectors/crypto.js';
import { bindingName, calleeName, memberCalleeName, propertyName, staticString } from '../utils/ast.js';
import { mayReference, memberChain, resolveExpression } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'fastHash' | 'lowBcryptCost' | 'lowPbkdf2Iterations';

const CRYPTO_MODULES = new Set(['crypto', 'node:crypto']);
const BCRYPT_MODULES = new Set(['bcrypt', 'bcryptjs']);
const WORK_FACTOR_CALLS = new Set(['hash', 'hashSync', 'genSalt', 'genSaltSync', 'pbkdf2', 'pbkdf2Sync']);

/** The password-like name an expression carries (`password`, `req.body.password`, `` `${salt}${password}` ``). */
function passwordName(node: TSESTree.Node, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  if (node.type === AST_NODE_TYPES.Identifier) return namesPassword(node.name) ? node.name : undefined;
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed) {
    const name = propertyName(node.property);
    return name !== undefined && namesPassword(name) ? (memberChain(node) ?? name) : undefined;
  }
  if (node.type === AST_NODE_TYPES.TemplateLiteral) {
    for (const expression of node.expressions) {
      const found = passwordName(expression, depth + 1);
      if (found !== undefined) return found;
    }
  }
  if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+') {
    return passwordName(node.left, depth + 1) ?? passwordName(node.right, depth + 1);
  }
  if (node.type === AST_NODE_TYPES.TSNonNullExpression || node.type === AST_NODE_TYPES.TSAsExpression)
    return passwordName(node.expression, depth + 1);
  return undefined;
}

function numberLiteral(node: TSESTree.Node | undefined): number | undefined {
  return node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'number' ? node.value : undefined;
}

export default createRule<[], MessageIds>({
  name: 'no-weak-password-hash',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow fast hashes (MD5, SHA-1, SHA-256…) for passwords, bcrypt costs under 10 and PBKDF2 below the OWASP iteration floor.',
      category: 'crypto',
      severity: 'high',
      securitySeverity: 7.5,
      cwe: ['CWE-916'],
      recommended: true,
    },
    messages: {
      fastHash:
        '`{{name}}` is hashed with {{algorithm}}, a fast hash: a GPU tries billions of guesses per second against a leaked table. Use a password hash with a work factor — argon2id (`argon2`), scrypt (crypto.scrypt) or bcrypt.',
      lowBcryptCost:
        'bcrypt cost {{cost}} is below {{minimum}}: each guess is cheap enough to brute-force leaked hashes. Use a cost of at least {{minimum}} (12 is a common choice).',
      lowPbkdf2Iterations:
        'PBKDF2 with {{iterations}} iterations of {{digest}} is below the OWASP minimum of {{minimum}}, so leaked hashes are cheap to brute-force. Raise the iterations, or use argon2id or scrypt.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    // Test helpers hash fixture passwords fast on purpose; no stored password is at stake.
    if (isTestFile(context.filename)) return {};
    // Every report is about a node:crypto or bcrypt call.
    if (!mayReference(context.sourceCode.text, ['crypto', 'bcrypt'])) return {};
    function resolveCrypto(node: TSESTree.Node): readonly string[] | undefined {
      const reference = resolveExpression(context, node);
      return reference !== undefined && CRYPTO_MODULES.has(reference.module) ? reference.path : undefined;
    }

    // createHash(alg).update(password)
    function checkFastHash(node: TSESTree.CallExpression): void {
      const callee = node.callee as TSESTree.MemberExpression;
      const hashCall = callee.object;
      if (hashCall.type !== AST_NODE_TYPES.CallExpression) return;
      const path = resolveCrypto(hashCall.callee);
      if (path?.length !== 1 || path[0] !== 'createHash') return;
      const algorithm = staticString(hashCall.arguments[0] ?? hashCall) ?? 'a fast hash';
      const [input] = node.arguments;
      let name = input === undefined ? undefined : passwordName(input);
      if (name === undefined) {
        // `const passwordHash = createHash('sha256').update(x).digest('hex')`
        const target = bindingName(node);
        if (target !== undefined && namesPasswordHash(target)) name = target;
      }
      if (name === undefined) return;
      context.report({ node: hashCall, messageId: 'fastHash', data: { name, algorithm: algorithm.toUpperCase() } });
    }

    return {
      CallExpression(node) {
        if (memberCalleeName(node) === 'update') checkFastHash(node);
        if (!WORK_FACTOR_CALLS.has(calleeName(node) ?? '')) return;
        const reference = resolveExpression(context, node.callee);
        if (reference === undefined) return;
        const method = reference.path.at(-1);
        if (BCRYPT_MODULES.has(reference.module) && reference.path.length === 1) {
          const costArgument =
            method === 'hash' || method === 'hashSync'
              ? node.arguments[1]
              : method === 'genSalt' || method === 'genSaltSync'
                ? node.arguments[0]
                : undefined;
          const cost = numberLiteral(costArgument);
          if (costArgument !== undefined && cost !== undefined && cost < MIN_BCRYPT_COST) {
            context.report({
              node: costArgument,
              messageId: 'lowBcryptCost',
              data: { cost: String(cost), minimum: String(MIN_BCRYPT_COST) },
            });
          }
          return;
        }
        if (
          CRYPTO_MODULES.has(reference.module) &&
          reference.path.length === 1 &&
          (method === 'pbkdf2' || method === 'pbkdf2Sync')
        ) {
          const iterationsArgument = node.arguments[2];
          const iterations = numberLiteral(iterationsArgument);
          const digest = node.arguments[4] === undefined ? undefined : staticString(node.arguments[4]);
          const minimum = minimumPbkdf2Iterations(digest);
          if (iterationsArgument !== undefined && iterations !== undefined && iterations < minimum) {
            context.report({
              node: iterationsArgument,
              messageId: 'lowPbkdf2Iterations',
              data: {
                iterations: String(iterations),
                digest: digest ?? 'its digest',
                minimum: minimum.toLocaleString('en-US'),
              },
            });
          }
        }
      },
    };
  },
});
