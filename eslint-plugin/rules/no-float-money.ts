import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { namesMoney } from '../../src/detectors/payments.js';
import { bindingName, isGlobalMember, propertyName } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'parseFloatMoney' | 'fractionalArithmetic' | 'toFixedRoundTrip';

const ROUNDING = new Set(['round', 'floor', 'ceil', 'trunc']);

function moneyName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return namesMoney(node.name) ? node.name : undefined;
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed) {
    const name = propertyName(node.property);
    return name !== undefined && namesMoney(name) ? name : undefined;
  }
  if (node.type === AST_NODE_TYPES.TSNonNullExpression || node.type === AST_NODE_TYPES.TSAsExpression)
    return moneyName(node.expression);
  return undefined;
}

function isFraction(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number' && !Number.isInteger(node.value);
}

/** Whether an expression contains a money-named operand (`price * qty`). */
function mentionsMoney(node: TSESTree.Node, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const direct = moneyName(node);
  if (direct !== undefined) return direct;
  if (node.type === AST_NODE_TYPES.BinaryExpression)
    return mentionsMoney(node.left, depth + 1) ?? mentionsMoney(node.right, depth + 1);
  return undefined;
}

export default createRule<[], MessageIds>({
  name: 'no-float-money',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow floating-point parsing and fractional arithmetic on money values; use integer minor units.',
      category: 'payments',
      severity: 'low',
      securitySeverity: 3.7,
      cwe: ['CWE-681'],
      recommended: 'strict',
    },
    messages: {
      parseFloatMoney:
        '`{{name}}` is parsed as a floating-point number. Binary floats cannot hold most decimal amounts (0.1 + 0.2 !== 0.3), so totals drift by cents. Keep money as integer minor units (cents) and parse with Number.parseInt or a decimal library.',
      fractionalArithmetic:
        '`{{name}}` is multiplied or divided by a fraction in floating point, and the result is not rounded to whole minor units. Round explicitly (Math.round) on integer cents, or use a decimal library.',
      toFixedRoundTrip:
        'Rounding `{{name}}` with toFixed() and parsing it back keeps it a float and rounds half-even wrongly for many values. Work in integer minor units and round once with Math.round.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;

    function isParseFloat(node: TSESTree.CallExpression): boolean {
      const callee = node.callee;
      if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'parseFloat') {
        return sourceCode.getScope(node).set.get('parseFloat')?.defs.length !== 1;
      }
      return isGlobalMember(sourceCode, callee, 'Number', 'parseFloat');
    }

    function isRounded(node: TSESTree.Node): boolean {
      const parent = node.parent;
      return (
        parent?.type === AST_NODE_TYPES.CallExpression &&
        parent.callee.type === AST_NODE_TYPES.MemberExpression &&
        ROUNDING.has(propertyName(parent.callee.property) ?? '') &&
        isGlobalMember(sourceCode, parent.callee, 'Math', propertyName(parent.callee.property) ?? '')
      );
    }

    return {
      CallExpression(node) {
        if (!isParseFloat(node)) return;
        const [argument] = node.arguments;
        if (argument === undefined) return;
        // parseFloat((price * qty).toFixed(2))
        if (
          argument.type === AST_NODE_TYPES.CallExpression &&
          argument.callee.type === AST_NODE_TYPES.MemberExpression &&
          propertyName(argument.callee.property) === 'toFixed'
        ) {
          const name = mentionsMoney(argument.callee.object) ?? bindingName(node);
          if (name !== undefined && (namesMoney(name) || mentionsMoney(argument.callee.object) !== undefined)) {
            context.report({ node, messageId: 'toFixedRoundTrip', data: { name } });
          }
          return;
        }
        const name = moneyName(argument) ?? bindingName(node);
        if (name !== undefined && namesMoney(name))
          context.report({ node, messageId: 'parseFloatMoney', data: { name } });
      },
      BinaryExpression(node) {
        if (node.operator !== '*' && node.operator !== '/') return;
        const fraction = isFraction(node.left) || isFraction(node.right);
        if (!fraction) return;
        const name = moneyName(node.left) ?? moneyName(node.right);
        if (name === undefined || isRounded(node)) return;
        // `Math.round(amount * 0.029 + 30)`: rounded to whole minor units, the right way.
        const outer = node.parent;
        if (outer?.type === AST_NODE_TYPES.BinaryExpression && isRounded(outer)) return;
        context.report({ node, messageId: 'fractionalArithmetic', data: { name } });
      },
    };
  },
});
