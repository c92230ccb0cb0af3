import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { namesCardField } from '../../src/detectors/payments.js';
import { memberCalleeName, propertyName, staticString } from '../utils/ast.js';
import { forEachDestructured, requestInputKind } from '../utils/request-sources.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'rawCardData' | 'storedCardData';

/** Calls that write a record: ORM/driver inserts and updates, Drizzle `values`, Redis hashes. */
const STORE_METHODS = new Set([
  'insert',
  'insertOne',
  'insertMany',
  'create',
  'createMany',
  'upsert',
  'update',
  'updateOne',
  'updateMany',
  'save',
  'values',
  'hset',
  'hSet',
]);

/** Wrappers a record sits in inside a write call (`prisma.card.create({ data: { … } })`). */
const RECORD_KEYS = new Set(['data', 'create', 'update', 'set', 'values', 'record', 'document', 'doc']);

/** A value that is not the card data itself: the last four digits, a token, a fingerprint, ciphertext. */
const SAFE_VALUE = /last_?4|last_?four|mask|token|fingerprint|brand|hash|hmac|encrypt|cipher|sealed|vault/i;

export default createRule<[], MessageIds>({
  name: 'no-raw-card-data',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow server code reading card numbers, CVCs or card expiry from request bodies, or storing them in its own database.',
      category: 'payments',
      severity: 'high',
      securitySeverity: 7.5,
      cwe: ['CWE-311'],
      recommended: true,
    },
    messages: {
      storedCardData:
        'This record stores `{{field}}` in your own database, which puts the database, its backups and everyone with access to them in PCI DSS scope (a CVC may never be stored at all). Store the processor\u2019s token or PaymentMethod id, and at most the last four digits and the brand.',
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

    /** The write call an object literal is the record of, through `data:`-style wrappers. */
    function storeCall(object: TSESTree.ObjectExpression): TSESTree.CallExpression | undefined {
      let current: TSESTree.Node = object;
      for (let depth = 0; depth < 3; depth++) {
        const parent: TSESTree.Node = current.parent as TSESTree.Node;
        if (parent.type === AST_NODE_TYPES.ArrayExpression) {
          current = parent;
          continue;
        }
        if (
          parent.type === AST_NODE_TYPES.Property &&
          parent.value === current &&
          RECORD_KEYS.has(propertyName(parent.key) ?? '')
        ) {
          current = parent.parent;
          continue;
        }
        if (
          parent.type === AST_NODE_TYPES.CallExpression &&
          parent.arguments.includes(current as TSESTree.Expression)
        ) {
          const callee = parent.callee;
          const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee.property) : undefined;
          return name !== undefined && STORE_METHODS.has(name) ? parent : undefined;
        }
        return undefined;
      }
      return undefined;
    }

    return {
      // db.insert({ card_number: input.pan }), prisma.card.create({ data: { cvc } })
      Property(node) {
        if (node.parent.type !== AST_NODE_TYPES.ObjectExpression) return;
        if (node.computed || node.kind !== 'init') return;
        const field = propertyName(node.key);
        if (field === undefined || !namesCardField(field)) return;
        const value = node.value;
        if (value.type === AST_NODE_TYPES.Literal || value.type === AST_NODE_TYPES.TemplateLiteral) return;
        if (SAFE_VALUE.test(context.sourceCode.getText(value))) return;
        if (storeCall(node.parent as TSESTree.ObjectExpression) === undefined) return;
        context.report({ node, messageId: 'storedCardData', data: { field } });
      },
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
      VariableDeclarator(node) {
        if (node.id.type !== AST_NODE_TYPES.ObjectPattern || node.init === null) return;
        const init = node.init;
        forEachDestructured(node.id, (identifier, path) => {
          const field = path.at(-1)!;
          if (namesCardField(field, path.at(-2)) && requestInputKind(context, init) !== undefined)
            report(identifier, field);
        });
      },
      // formData.get('cardNumber')
      CallExpression(node) {
        if (memberCalleeName(node) !== 'get') return;
        const [first] = node.arguments;
        const field = first === undefined ? undefined : staticString(first);
        if (field === undefined || !namesCardField(field)) return;
        if (requestInputKind(context, node) !== undefined) report(node, field);
      },
    };
  },
});
