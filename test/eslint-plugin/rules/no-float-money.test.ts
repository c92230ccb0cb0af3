import rule from '../../../eslint-plugin/rules/no-float-money.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-float-money', rule, {
  valid: [
    'const amount = Number.parseInt(req.body.amount, 10);',
    'const fee = Math.round(amount * 0.029 + 30);',
    'const total = Math.round(subtotal * 1.2);',
    'const dollars = amount / 100;',
    'const display = (amount / 100).toFixed(2);',
    'const ratio = parseFloat(input.ratio);',
    'const lat = parseFloat(coords.lat);',
    'const taxRate = parseFloat(config.taxRate);',
    'const opacity = alpha * 0.5;',
    'function parseFloat(x: string) { return 1; } const price = parseFloat(p);',
  ],
  invalid: [
    {
      code: 'const price = parseFloat(req.body.price);',
      errors: [{ messageId: 'parseFloatMoney', line: 1, column: 15, data: { name: 'price' } }],
    },
    {
      code: 'const total = Number.parseFloat(input);',
      errors: [{ messageId: 'parseFloatMoney', line: 1, column: 15, data: { name: 'total' } }],
    },
    {
      code: 'const withTax = order.subtotal * 1.08;',
      errors: [{ messageId: 'fractionalArithmetic', line: 1, column: 17, data: { name: 'subtotal' } }],
    },
    {
      code: 'const net = parseFloat((price * quantity).toFixed(2));',
      errors: [{ messageId: 'toFixedRoundTrip', line: 1, column: 13, data: { name: 'price' } }],
    },
  ],
});
