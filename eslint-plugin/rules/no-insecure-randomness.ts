import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { namesUnguessableValue } from '../../src/detectors/names.js';
import { bindingName, enclosingFunction, functionName, isGlobalMember } from '../utils/ast.js';
import { isReference } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'mathRandom' | 'randomHelper' | 'pseudoRandomBytes' | 'useRandomBytes';
type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const CRYPTO_MODULES = ['crypto', 'node:crypto'];

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
      'CallExpression[callee.type="MemberExpression"][callee.property.name="random"]'(node: TSESTree.CallExpression) {
        if (!isGlobalMember(sourceCode, node.callee, 'Math', 'random')) return;
        randomCalls.push(node);
        const fn = enclosingFunction(node);
        const name = fn === undefined ? undefined : functionName(fn);
        if (name !== undefined) randomHelpers.add(name);
      },
      'CallExpression[callee.type="Identifier"]'(node: TSESTree.CallExpression) {
        identifierCalls.push(node);
      },
      'CallExpression[callee.type="MemberExpression"][callee.property.name="pseudoRandomBytes"]'(
        node: TSESTree.CallExpression,
      ) {
        const callee = node.callee as TSESTree.MemberExpression;
        if (!isReference(context, callee, CRYPTO_MODULES, ['pseudoRandomBytes'])) return;
        context.report({
          node: callee.property,
          messageId: 'pseudoRandomBytes',
          suggest: [{ messageId: 'useRandomBytes', fix: (fixer) => fixer.replaceText(callee.property, 'randomBytes') }],
        });
      },
      'Program:exit'() {
        for (const call of randomCalls) {
          const name = sensitiveName(call);
          if (name !== undefined) context.report({ node: call, messageId: 'mathRandom', data: { name } });
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
