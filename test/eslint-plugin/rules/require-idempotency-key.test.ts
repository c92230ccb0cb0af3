import rule from '../../../eslint-plugin/rules/require-idempotency-key.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('require-idempotency-key', rule, {
  valid: [
    "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: `order-${order.id}` });",
    "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.refunds.create({ charge }, requestOptions);",
    "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.transfers.create(params, { ...defaults });",
    // Calls that do not move money.
    "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.customers.create({ email });",
    "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.paymentIntents.retrieve(id);",
    // Not Stripe: an ORM with a `charges` table.
    'await prisma.charges.create({ data: { amount } });',
    'await db.refunds.create({ orderId });',
    "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.subscriptions.list({ customer });",
  ],
  invalid: [
    // Regression (bench/cases/payments): creating a subscription charges its first invoice.
    {
      code: "import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nawait stripe.subscriptions.create({ customer, items: [{ price }] });",
      errors: [{ messageId: 'missingIdempotencyKey', line: 3, column: 7, data: { call: 'subscriptions.create' } }],
    },
    {
      code: "import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\nawait stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });",
      errors: [{ messageId: 'missingIdempotencyKey', line: 3, column: 7, data: { call: 'paymentIntents.create' } }],
    },
    {
      code: "const Stripe = require('stripe');\nconst stripe = Stripe(key);\nawait stripe.refunds.create({ payment_intent: pi }, { stripeAccount: acct });",
      errors: [{ messageId: 'missingIdempotencyKey', line: 3, column: 7 }],
    },
    {
      code: 'class Billing { async payout(amount: number) { return this.stripe.payouts.create({ amount, currency: "usd" }); } }',
      errors: [{ messageId: 'missingIdempotencyKey', line: 1, column: 55 }],
    },
  ],
});
