import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { STRIPE_MONEY_MOVEMENTS } from '../../src/detectors/payments.js';
import { memberCalleeName, propertyName } from '../utils/ast.js';
import { memberChain, resolveExpression } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'missingIdempotencyKey';

const STRIPE_RECEIVER = /(?:^|\.)(?:stripe|stripeClient|stripeApi|_stripe)$/i;

export default createRule<[], MessageIds>({
  name: 'require-idempotency-key',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require an idempotency key on Stripe calls that move money (payment intents, charges, refunds, transfers, payouts).',
      category: 'payments',
      severity: 'medium',
      securitySeverity: 5.3,
      cwe: ['CWE-841'],
      recommended: true,
    },
    messages: {
      missingIdempotencyKey:
        '`{{call}}` has no `idempotencyKey`. A network retry or a double-clicked button then moves the money twice. Pass request options `{ idempotencyKey }` derived from your own order or request id (the same id on every retry).',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      CallExpression(node) {
        if (memberCalleeName(node) !== 'create') return;
        const callee = node.callee as TSESTree.MemberExpression;
        const resource = callee.object;
        if (resource.type !== AST_NODE_TYPES.MemberExpression || resource.computed) return;
        const resourceName = propertyName(resource.property);
        if (resourceName === undefined || !STRIPE_MONEY_MOVEMENTS.has(resourceName)) return;
        const reference = resolveExpression(context, resource.object);
        const isStripe =
          reference !== undefined
            ? reference.module === 'stripe'
            : STRIPE_RECEIVER.test(memberChain(resource.object) ?? '');
        if (!isStripe) return;
        const options = node.arguments[1];
        if (options !== undefined) {
          // Options built elsewhere, or spread in: cannot be judged here.
          if (options.type !== AST_NODE_TYPES.ObjectExpression) return;
          const hasKey = options.properties.some(
            (property) =>
              property.type === AST_NODE_TYPES.SpreadElement ||
              (!property.computed && propertyName(property.key) === 'idempotencyKey'),
          );
          if (hasKey) return;
        }
        context.report({ node, messageId: 'missingIdempotencyKey', data: { call: `${resourceName}.create` } });
      },
    };
  },
});
