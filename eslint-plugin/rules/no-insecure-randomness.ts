import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { compactName, namesUnguessableValue } from '../../src/detectors/names.js';
import { bindingName, enclosingFunction, functionName, isGlobalMember, memberCalleeName } from '../utils/ast.js';
import { isReference } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'mathRandom' | 'randomHelper' | 'pseudoRandomBytes' | 'useRandomBytes';
type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const CRYPTO_MODULES = ['crypto', 'node:crypto'];
/** Calls of a cryptographic generator: the branch beside a Math.random() fallback. */
const CSPRNG_CALL = /\b(?:randomUUID|getRandomValues|randomBytes|randomInt|webcrypto)\b/;
/** Classes and files that log, trace or measure: their "session id" names a log session, not a login. */
const TELEMETRY_SCOPE =
  /(?:logg(?:er|ing)|telemetry|analytics|tracking|tracker|metrics|monitor|profil(?:er|ing)|perf(?:ormance)?)/i;
/** Names that identify rather than authenticate: unguessable only when they are login sessions. */
const IDENTIFIER_NAME = /(?:sessionid|^sid)$/;

/**
 * `crypto.randomUUID ? crypto.randomUUID() : Math.random()…`, `crypto.randomUUID?.() ?? Math.random()…`:
 * a fallback for runtimes without Web Crypto, taken only where no cryptographic generator exists.
 */
function isCsprngFallback(node: TSESTree.Node, text: (n: TSESTree.Node) => string): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current != null && !isFunctionNode(current); current = current.parent) {
    if (current.type === AST_NODE_TYPES.ConditionalExpression && current.test !== child) {
      const other = current.consequent === child ? current.alternate : current.consequent;
      if (CSPRNG_CALL.test(text(current.test)) || CSPRNG_CALL.test(text(other))) return true;
    }
    if (
      current.type === AST_NODE_TYPES.LogicalExpression &&
      current.right === child &&
      CSPRNG_CALL.test(text(current.left))
    )
      return true;
    if (current.type === AST_NODE_TYPES.IfStatement && current.test !== child) {
      const other = current.consequent === child ? current.alternate : current.consequent;
      if (CSPRNG_CALL.test(text(current.test)) || (other != null && CSPRNG_CALL.test(text(other)))) return true;
    }
    child = current;
  }
  return false;
}

function isFunctionNode(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** The name of the class `node` sits in, if any. */
function enclosingClassName(node: TSESTree.Node): string | undefined {
  for (let current = node.parent; current != null; current = current.parent) {
    if (
      (current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression) &&
      current.id != null
    )
      return current.id.name;
  }
  return undefined;
}

/** True when `fn` returns the identifier `name` (ignoring nested functions). */
function returnsIdentifier(fn: FunctionNode, name: string): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement)
    return fn.body.type === AST_NODE_TYPES.Identifier && fn.body.name === name;
  const stack: TSESTree.Node[] = [...fn.body.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.ReturnStatement) {
      if (node.argument?.type === AST_NODE_TYPES.Identifier && node.argument.name === name) return true;
      continue;
    }
    if (node.type === AST_NODE_TYPES.BlockStatement) stack.push(...node.body);
    else if (node.type === AST_NODE_TYPES.IfStatement)
      stack.push(node.consequent, ...(node.alternate ? [node.alternate] : []));
    else if (
      node.type === AST_NODE_TYPES.ForStatement ||
      node.type === AST_NODE_TYPES.ForOfStatement ||
      node.type === AST_NODE_TYPES.ForInStatement ||
      node.type === AST_NODE_TYPES.WhileStatement ||
      node.type === AST_NODE_TYPES.DoWhileStatement
    ) {
      stack.push(node.body);
    } else if (node.type === AST_NODE_TYPES.TryStatement) stack.push(node.block);
  }
  return false;
}

export default createRule<[], MessageIds>({
  name: 'no-insecure-randomness',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description:
        'Disallow Math.random() and pseudoRandomBytes for tokens, codes, secrets and other values that must be unguessable.',
      category: 'randomness',
      severity: 'high',
      securitySeverity: 7.5,
      cwe: ['CWE-330', 'CWE-338'],
      recommended: true,
    },
    messages: {
      mathRandom:
        '`{{name}}` is made with Math.random(), which is not a cryptographic generator: its output can be predicted from a few observed values. Use crypto.randomBytes(), crypto.randomUUID() or crypto.randomInt() (crypto.getRandomValues() in browsers).',
      randomHelper:
        '`{{name}}` comes from `{{helper}}()`, which is built on Math.random() and so is predictable. Generate it with crypto.randomBytes(), crypto.randomUUID() or crypto.randomInt() instead.',
      pseudoRandomBytes:
        'crypto.pseudoRandomBytes() is deprecated and not guaranteed to be cryptographically strong. Use crypto.randomBytes().',
      useRandomBytes: 'Use crypto.randomBytes().',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    if (isTestFile(context.filename)) return {};
    const sourceCode = context.sourceCode;
    // Every report starts from a `random` or `pseudoRandomBytes` member call.
    if (!/[rR]andom/.test(sourceCode.text)) return {};
    /** Functions declared in this file that call Math.random(), by name. */
    const randomHelpers = new Set<string>();
    const randomCalls: TSESTree.CallExpression[] = [];
    const identifierCalls: TSESTree.CallExpression[] = [];

    /** The sensitive name `node`'s value lands in, directly or as the return value of its function. */
    function sensitiveName(node: TSESTree.Node): string | undefined {
      const name = bindingName(node);
      if (name !== undefined && namesUnguessableValue(name)) return name;
      const fn = enclosingFunction(node);
      const fnName = fn === undefined ? undefined : functionName(fn);
      if (fn === undefined || fnName === undefined || !namesUnguessableValue(fnName)) return undefined;
      // `function generateToken() { const delay = Math.random(); … }` is not the token.
      if (name === undefined || name === fnName || returnsIdentifier(fn, name)) return fnName;
      return undefined;
    }

    return {
      CallExpression(node) {
        if (node.callee.type === AST_NODE_TYPES.Identifier) {
          identifierCalls.push(node);
          return;
        }
        const method = memberCalleeName(node);
        if (method === 'random') {
          if (!isGlobalMember(sourceCode, node.callee, 'Math', 'random')) return;
          randomCalls.push(node);
          const fn = enclosingFunction(node);
          const name = fn === undefined ? undefined : functionName(fn);
          if (name !== undefined) randomHelpers.add(name);
          return;
        }
        if (method !== 'pseudoRandomBytes') return;
        const callee = node.callee as TSESTree.MemberExpression;
        if (!isReference(context, callee, CRYPTO_MODULES, ['pseudoRandomBytes'])) return;
        context.report({
          node: callee.property,
          messageId: 'pseudoRandomBytes',
          suggest: [{ messageId: 'useRandomBytes', fix: (fixer) => fixer.replaceText(callee.property, 'randomBytes') }],
        });
      },
      'Program:exit'() {
        const text = (n: TSESTree.Node): string => sourceCode.getText(n);
        const fileName = context.filename.replace(/\\/g, '/').split('/').at(-1) ?? '';
        for (const call of randomCalls) {
          const name = sensitiveName(call);
          if (name === undefined || isCsprngFallback(call, text)) continue;
          // A log or trace "session id" correlates lines; it authenticates nobody.
          if (
            IDENTIFIER_NAME.test(compactName(name)) &&
            TELEMETRY_SCOPE.test(`${enclosingClassName(call) ?? ''} ${fileName}`)
          )
            continue;
          context.report({ node: call, messageId: 'mathRandom', data: { name } });
        }
        for (const call of identifierCalls) {
          const helper = (call.callee as TSESTree.Identifier).name;
          if (!randomHelpers.has(helper) || namesUnguessableValue(helper)) continue;
          const name = bindingName(call);
          if (name !== undefined && namesUnguessableValue(name)) {
            context.report({ node: call, messageId: 'randomHelper', data: { name, helper } });
          }
        }
      },
    };
  },
});
