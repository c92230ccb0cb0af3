import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { namesCardField } from '../../src/detectors/payments.js';
import { propertyName, staticString } from '../utils/ast.js';
import { destructuredFrom, requestInputKind } from '../utils/request-sources.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'rawCardData';

export default createRule<[], MessageIds>({
  name: 'no-raw-card-data',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow server code reading card numbers, CVCs or card expiry from request bodies.',
      category: 'payments',
      severity: 'high',
      securitySeverity: 7.5,
      cwe: ['CWE-311'],
      recommended: true,
    },
    messages: {
      rawCardData:
        'The server reads `{{field}}` from the request, so raw card data passes through (and may be logged or stored by) your app, which puts it in PCI DSS scope. Collect card details with the processor’s hosted fields or Checkout (Stripe Elements / Payment Element) and send only the token or PaymentMethod id.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    function report(node: TSESTree.Node, field: string): void {
      context.report({ node, messageId: 'rawCardData', data: { field } });
    }

    return {
      // req.body.cardNumber, body.card.cvc, (await req.json()).cvv
      MemberExpression(node) {
        if (node.computed && staticString(node.property) === undefined) return;
        const field = node.computed ? staticString(node.property)! : propertyName(node.property);
        if (field === undefined) return;
        const parentName =
          node.object.type === AST_NODE_TYPES.MemberExpression && !node.object.computed
            ? propertyName(node.object.property)
            : undefined;
        if (!namesCardField(field, parentName)) return;
        if (requestInputKind(context, node.object) !== undefined) report(node, field);
      },
      // const { cardNumber, cvc } = req.body;
      'VariableDeclarator > ObjectPattern Identifier'(node: TSESTree.Identifier) {
        const source = destructuredFrom(node);
        if (source === undefined || source.path.length === 0) return;
        const field = source.path.at(-1)!;
        if (!namesCardField(field, source.path.at(-2))) return;
        if (requestInputKind(context, source.init) !== undefined) report(node, field);
      },
      // formData.get('cardNumber')
      'CallExpression[callee.type="MemberExpression"][callee.property.name="get"]'(node: TSESTree.CallExpression) {
        const [first] = node.arguments;
        const field = first === undefined ? undefined : staticString(first);
        if (field === undefined || !namesCardField(field)) return;
        if (requestInputKind(context, node) !== undefined) report(node, field);
      },
    };
  },
});
