import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { weakCipher } from '../../src/detectors/crypto.js';
import { calleeName, propertyName, staticString } from '../utils/ast.js';
import { mayReference, resolveExpression } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'deprecatedCipher' | 'ecbMode' | 'brokenAlgorithm' | 'staticIv' | 'cbcWithoutMac';

const CRYPTO_MODULES = new Set(['crypto', 'node:crypto']);
const CIPHER_CALLS = new Set(['createHmac', 'createCipher', 'createDecipher', 'createCipheriv', 'createDecipheriv']);

/** An IV that is the same on every call: a literal, `Buffer.from('…')`, `Buffer.alloc(n)` (zeros), `new Uint8Array(n)`. */
function isStaticIv(node: TSESTree.Node): boolean {
  if (staticString(node) !== undefined) return true;
  if (
    node.type === AST_NODE_TYPES.NewExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    /^(?:Uint8Array|Buffer)$/.test(node.callee.name)
  ) {
    const [first] = node.arguments;
    return (
      first !== undefined && (first.type === AST_NODE_TYPES.Literal || first.type === AST_NODE_TYPES.ArrayExpression)
    );
  }
  if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
    const object = node.callee.object;
    const method = propertyName(node.callee.property);
    if (object.type !== AST_NODE_TYPES.Identifier || object.name !== 'Buffer') return false;
    const [first] = node.arguments;
    if (method === 'alloc') return first?.type === AST_NODE_TYPES.Literal;
    if (method === 'from')
      return (
        first !== undefined && (staticString(first) !== undefined || first.type === AST_NODE_TYPES.ArrayExpression)
      );
  }
  return false;
}

export default createRule<[], MessageIds>({
  name: 'no-insecure-cipher',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow createCipher, ECB mode, broken ciphers, static IVs and AES-CBC without a MAC.',
      category: 'crypto',
      severity: 'high',
      securitySeverity: 7.4,
      cwe: ['CWE-327', 'CWE-329'],
      recommended: true,
    },
    messages: {
      deprecatedCipher:
        'crypto.{{name}}() derives the key from a password with one MD5 round and uses no IV, so equal plaintexts give equal ciphertexts. Use createCipheriv with a random key and a random IV — aes-256-gcm.',
      ecbMode:
        '{{algorithm}} uses ECB mode, which encrypts equal blocks to equal ciphertext and leaks the structure of the data. Use an authenticated mode: aes-256-gcm with a random 12-byte IV.',
      brokenAlgorithm:
        '{{algorithm}} is a broken or obsolete cipher. Use aes-256-gcm (or chacha20-poly1305) with a random IV.',
      staticIv:
        'The IV is the same for every message, which lets an attacker compare ciphertexts (and breaks GCM completely). Generate a fresh one with crypto.randomBytes() for every encryption and store it beside the ciphertext.',
      cbcWithoutMac:
        '{{algorithm}} provides no integrity: without a MAC an attacker can flip bits or mount a padding-oracle attack. Use aes-256-gcm, or add an HMAC over IV and ciphertext (encrypt-then-MAC).',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    // Every report is about a node:crypto call.
    if (!mayReference(context.sourceCode.text, ['crypto'])) return {};
    const cbcCalls: { node: TSESTree.Node; algorithm: string }[] = [];
    let usesHmac = false;

    return {
      CallExpression(node) {
        if (!CIPHER_CALLS.has(calleeName(node) ?? '')) return;
        const reference = resolveExpression(context, node.callee);
        if (reference === undefined || !CRYPTO_MODULES.has(reference.module) || reference.path.length !== 1) return;
        const name = reference.path[0]!;
        if (name === 'createHmac') {
          usesHmac = true;
          return;
        }
        if (name === 'createCipher' || name === 'createDecipher') {
          context.report({ node: node.callee, messageId: 'deprecatedCipher', data: { name } });
          return;
        }
        if (name !== 'createCipheriv' && name !== 'createDecipheriv') return;
        const [algorithmNode, , ivNode] = node.arguments;
        const algorithm = algorithmNode === undefined ? undefined : staticString(algorithmNode);
        const weakness = algorithm === undefined ? undefined : weakCipher(algorithm);
        if (algorithmNode !== undefined && algorithm !== undefined && weakness === 'ecb') {
          context.report({ node: algorithmNode, messageId: 'ecbMode', data: { algorithm } });
          return;
        }
        if (algorithmNode !== undefined && algorithm !== undefined && weakness === 'broken') {
          context.report({ node: algorithmNode, messageId: 'brokenAlgorithm', data: { algorithm } });
          return;
        }
        if (name === 'createCipheriv' && ivNode !== undefined && isStaticIv(ivNode)) {
          context.report({ node: ivNode, messageId: 'staticIv' });
          return;
        }
        if (name === 'createCipheriv' && algorithmNode !== undefined && algorithm !== undefined && weakness === 'cbc') {
          cbcCalls.push({ node: algorithmNode, algorithm });
        }
      },
      'Program:exit'() {
        if (usesHmac) return;
        for (const { node, algorithm } of cbcCalls)
          context.report({ node, messageId: 'cbcWithoutMac', data: { algorithm } });
      },
    };
  },
});
