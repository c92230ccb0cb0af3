import { pinned } from '../pins.js';
import type { AppContext, GeneratorAction, GeneratorSpec } from '../types.js';
import { normalizePaymentsOptions, PAYMENTS_SCHEMA, type PaymentsOptions } from './options.js';

export { normalizePaymentsOptions, PAYMENTS_SCHEMA } from './options.js';
export type { PaymentsOptions } from './options.js';

/** What the templates know about the other modules (from the app, once every option is validated). */
export interface PaymentsContext {
  /** Ledger and payment rows are per tenant, under forced row-level security keyed on the tenancy context. */
  tenancy: boolean;
  /** The tenancy module's NOLOGIN role: the row grants go to it. */
  appRole: string;
  /** Payment events and reconciliation drifts are recorded in the audit log. */
  audit: boolean;
  /** The webhook module has a Stripe endpoint: payment events arrive through it. */
  stripeEndpoint: boolean;
}

export function paymentsContext(app: AppContext): PaymentsContext {
  const tenancyOptions = app.moduleOptions?.tenancy ?? {};
  const webhookOptions = app.moduleOptions?.webhook ?? {};
  const providers = Array.isArray(webhookOptions.providers) ? (webhookOptions.providers as unknown[]) : ['stripe'];
  return {
    tenancy: app.modules.includes('tenancy'),
    appRole: typeof tenancyOptions.appRole === 'string' ? tenancyOptions.appRole : 'app_tenant',
    audit: app.modules.includes('audit'),
    stripeEndpoint: app.modules.includes('webhook') && providers.includes('stripe'),
  };
}

const CORE_FILES = [
  'README.md',
  'types.ts',
  'money.ts',
  'ledger.ts',
  'state.ts',
  'catalog.ts',
  'checkout.ts',
  'processor.ts',
  'tenant.ts',
  'events.ts',
  'reconcile.ts',
  'reconcile-cli.ts',
  'service.ts',
  'stripe-stand-in.ts',
  'index.ts',
  'testing.ts',
  'ledger.test.ts',
  'ledger.pg.test.ts',
  'state.test.ts',
  'checkout.test.ts',
  'events.test.ts',
  'reconcile.test.ts',
] as const;

function actions(options: PaymentsOptions, app: AppContext): GeneratorAction[] {
  const data = { payments: { ...paymentsContext(app), express: options.express } };
  const add = (path: string): GeneratorAction => ({ type: 'add', path, template: `payments/${path}.hbs`, data });
  return [
    add('migrations/0600_payments_ledger.sql'),
    add('migrations/0601_payments_state.sql'),
    ...CORE_FILES.map((file) => add(`src/payments/${file}`)),
    add(`src/payments/${app.framework}.ts`),
    add(`src/payments/${app.framework}.test.ts`),
    {
      type: 'dependencies',
      dependencies: { ...pinned('stripe'), ...(options.express ? pinned('express') : pinned('hono')) },
      devDependencies: options.express ? pinned('@types/express') : {},
    },
    { type: 'scripts', scripts: { 'payments:reconcile': 'node dist/payments/reconcile-cli.js' } },
    {
      type: 'env',
      entries: [
        {
          key: 'STRIPE_SECRET_KEY',
          example: '',
          comment:
            'Stripe secret (or restricted) key for creating PaymentIntents and refunds and reading balance transactions. Outside production, when unset, a local Stripe stand-in at 127.0.0.1 serves the calls.',
        },
      ],
    },
  ];
}

/** SAQ-A payments: server-priced checkout, a webhook-driven state machine, a database-balanced ledger, reconciliation. */
export const paymentsGenerator: GeneratorSpec<PaymentsOptions> = {
  name: 'payments',
  description:
    'Payments on Stripe in SAQ-A scope: server-priced PaymentIntents with idempotency keys from the order id, a payment state machine driven by verified webhook events (3DS, soft declines, refunds, disputes), a double-entry ledger the database keeps balanced and immutable (per tenant under row-level security), and reconciliation that reports every cent of drift.',
  version: '1.0.0',
  schema: PAYMENTS_SCHEMA,
  requires: ['db', 'webhook'],
  normalizeOptions: normalizePaymentsOptions,
  actions,
  nextSteps(_options, app) {
    const context = paymentsContext(app);
    return [
      'Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET in production (see .env.example); development uses a local Stripe stand-in.',
      ...(context.stripeEndpoint
        ? []
        : ['Payment events arrive on the Stripe webhook endpoint: run `portcullis add webhook --provider stripe`.']),
      'Price your orders in src/payments/catalog.ts: amounts are computed on the server, never taken from the request.',
      app.composed === true
        ? 'src/services.ts creates the payments service; src/api.ts mounts checkout and refunds under /api/payments; the Stripe webhook endpoint drives the payment states.'
        : 'Create the service with createPayments(...) and mount paymentRoutes(...) after authentication (see src/payments/README.md).',
      'Run reconciliation after `npm run build`: npm run payments:reconcile -- --days 1 (exit 1 on any drift).',
    ];
  },
};
