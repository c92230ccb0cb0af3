import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { namesLoggedSecret } from '../../src/detectors/names.js';
import { isGlobalMember, propertyName } from '../utils/ast.js';
import { memberChain, resolveExpression } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'sensitiveValue' | 'wholeRequest';

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table']);
const LOGGER_METHODS = new Set([
  'log',
  'info',
  'warn',
  'warning',
  'error',
  'debug',
  'trace',
  'fatal',
  'verbose',
  'silly',
  'http',
  'notice',
  'critical',
]);
const LOGGER_MODULES = new Set([
  'pino',
  'winston',
  'bunyan',
  'loglevel',
  'consola',
  'signale',
  'tslog',
  '@nestjs/common',
]);
/** Receivers named like a logger: `logger.info`, `this.logger.warn`, `req.log.error`, `fastify.log.debug`. */
const LOGGER_NAME = /(?:^|\.)(?:logger|log|_logger|_log)$/i;
const REQUEST_NAME = /^(?:req|request|ctx\.request|c\.req|context\.req|event\.request)$/;
const WHOLE_REQUEST_PARTS = new Set(['headers', 'body', 'cookies', 'rawHeaders']);
/** Calls that carry their argument's content into the log line. */
const PASS_THROUGH_CALLS = new Set(['JSON.stringify', 'String', 'util.inspect', 'inspect', 'util.format', 'format']);
const PASS_THROUGH_METHODS = new Set(['toString', 'toJSON', 'trim', 'concat', 'join']);

interface Leak {
  node: TSESTree.Node;
  name: string;
  whole: boolean;
}

export default createRule<[], MessageIds>({
  name: 'no-sensitive-logging',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow logging passwords, tokens, secrets, authorization and cookie headers, card data and whole request headers or bodies.',
      category: 'logging',
      severity: 'medium',
      securitySeverity: 6.5,
      cwe: ['CWE-532'],
      recommended: true,
    },
    messages: {
      sensitiveValue:
        'This log call writes `{{name}}`. Logs are shipped to many systems and kept for a long time, so a secret in them is a leaked secret. Log a presence flag (`!!{{name}}`), a length or a redacted form instead.',
      wholeRequest:
        'This log call writes all of `{{name}}`, which carries passwords, tokens, cookies or the Authorization header. Log the few fields you need, or use a logger with redaction for those paths.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    if (isTestFile(context.filename)) return {};
    const sourceCode = context.sourceCode;

    function isLoggerCall(callee: TSESTree.MemberExpression): boolean {
      const method = propertyName(callee.property);
      if (method === undefined || callee.computed) return false;
      if (CONSOLE_METHODS.has(method) && isGlobalMember(sourceCode, callee, 'console', method)) return true;
      if (!LOGGER_METHODS.has(method)) return false;
      const reference = resolveExpression(context, callee.object);
      if (reference !== undefined && LOGGER_MODULES.has(reference.module)) return true;
      // The app's own logger module (`import { logger } from './logger.js'`): its name is the evidence.
      // A package export that merely shares the name (`import { log } from 'mathjs'`) is not a logger.
      if (reference !== undefined && !/^(?:\.|\/|@\/|~\/|#)/.test(reference.module)) return false;
      const receiver = memberChain(callee.object);
      return receiver !== undefined && LOGGER_NAME.test(receiver);
    }

    /** Finds secrets an argument carries into the log line. Stops at booleans, lengths and opaque calls. */
    function findLeaks(node: TSESTree.Node, leaks: Leak[], depth = 0): void {
      if (depth > 6) return;
      switch (node.type) {
        case AST_NODE_TYPES.Identifier:
          if (namesLoggedSecret(node.name)) leaks.push({ node, name: node.name, whole: false });
          return;
        case AST_NODE_TYPES.MemberExpression: {
          const chain = memberChain(node.object);
          const property = node.computed
            ? node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
              ? node.property.value
              : undefined
            : propertyName(node.property);
          if (property === undefined) return;
          if (chain !== undefined && REQUEST_NAME.test(chain) && WHOLE_REQUEST_PARTS.has(property)) {
            leaks.push({ node, name: `${chain}.${property}`, whole: true });
            return;
          }
          if (namesLoggedSecret(property))
            leaks.push({ node, name: chain === undefined ? property : `${chain}.${property}`, whole: false });
          return;
        }
        case AST_NODE_TYPES.ChainExpression:
        case AST_NODE_TYPES.TSNonNullExpression:
        case AST_NODE_TYPES.TSAsExpression:
        case AST_NODE_TYPES.AwaitExpression:
          findLeaks(node.type === AST_NODE_TYPES.AwaitExpression ? node.argument : node.expression, leaks, depth + 1);
          return;
        case AST_NODE_TYPES.TemplateLiteral:
          for (const expression of node.expressions) findLeaks(expression, leaks, depth + 1);
          return;
        case AST_NODE_TYPES.BinaryExpression:
          // Only concatenation carries values; comparisons give booleans.
          if (node.operator === '+') {
            findLeaks(node.left, leaks, depth + 1);
            findLeaks(node.right, leaks, depth + 1);
          }
          return;
        case AST_NODE_TYPES.LogicalExpression:
          findLeaks(node.left, leaks, depth + 1);
          findLeaks(node.right, leaks, depth + 1);
          return;
        case AST_NODE_TYPES.ConditionalExpression:
          findLeaks(node.consequent, leaks, depth + 1);
          findLeaks(node.alternate, leaks, depth + 1);
          return;
        case AST_NODE_TYPES.ArrayExpression:
          for (const element of node.elements) if (element !== null) findLeaks(element, leaks, depth + 1);
          return;
        case AST_NODE_TYPES.SpreadElement:
          findLeaks(node.argument, leaks, depth + 1);
          return;
        case AST_NODE_TYPES.ObjectExpression:
          for (const property of node.properties) {
            if (property.type === AST_NODE_TYPES.SpreadElement) {
              findLeaks(property.argument, leaks, depth + 1);
              continue;
            }
            const key = property.computed ? undefined : propertyName(property.key);
            const value = property.value;
            if (key !== undefined && namesLoggedSecret(key) && !isSafeValue(value)) {
              leaks.push({ node: property, name: key, whole: false });
            } else {
              findLeaks(value, leaks, depth + 1);
            }
          }
          return;
        case AST_NODE_TYPES.CallExpression: {
          const callee = memberChain(node.callee);
          if (callee !== undefined && PASS_THROUGH_CALLS.has(callee)) {
            const [first] = node.arguments;
            if (first !== undefined) findLeaks(first, leaks, depth + 1);
            return;
          }
          if (
            node.callee.type === AST_NODE_TYPES.MemberExpression &&
            PASS_THROUGH_METHODS.has(propertyName(node.callee.property) ?? '')
          ) {
            findLeaks(node.callee.object, leaks, depth + 1);
          }
          return;
        }
        default:
          return;
      }
    }

    /** Values that say nothing about the secret: `!!token`, `token.length`, `typeof token`, literals, comparisons. */
    function isSafeValue(node: TSESTree.Node): boolean {
      if (node.type === AST_NODE_TYPES.UnaryExpression || node.type === AST_NODE_TYPES.Literal) return true;
      if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator !== '+') return true;
      if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed) {
        const property = propertyName(node.property);
        return property === 'length' || property === 'size';
      }
      const leaks: Leak[] = [];
      findLeaks(node, leaks);
      return (
        leaks.length === 0 && node.type !== AST_NODE_TYPES.Identifier && node.type !== AST_NODE_TYPES.MemberExpression
      );
    }

    return {
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const callee = node.callee as TSESTree.MemberExpression;
        if (node.arguments.length === 0 || !isLoggerCall(callee)) return;
        const leaks: Leak[] = [];
        for (const argument of node.arguments) findLeaks(argument, leaks);
        const [first] = leaks;
        if (first === undefined) return;
        context.report({
          node: first.node,
          messageId: first.whole ? 'wholeRequest' : 'sensitiveValue',
          data: { name: first.name },
        });
      },
    };
  },
});
