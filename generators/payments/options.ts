import { OptionsError, type AppContext, type OptionsSchema } from '../types.js';

/** ISO 4217 code in Stripe's lower-case spelling. */
const CURRENCY = /^[a-z]{3}$/;

export const PAYMENTS_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    currency: {
      type: 'string',
      description:
        'Default ISO 4217 currency of the catalog and the ledger accounts, lower case (usd, eur, gbp…). Amounts are integer minor units of it.',
      pattern: CURRENCY.source,
      default: 'usd',
    },
  },
  additionalProperties: false,
};

export interface PaymentsOptions {
  currency: string;
  express: boolean;
  hono: boolean;
}

/** Validates the options and fills defaults. Pure; throws `OptionsError` naming the bad option. */
export function normalizePaymentsOptions(input: Readonly<Record<string, unknown>>, app: AppContext): PaymentsOptions {
  for (const key of Object.keys(input))
    if (!(key in PAYMENTS_SCHEMA.properties))
      throw new OptionsError(
        key,
        `Unknown option "${key}" for the payments generator; known options: ${Object.keys(PAYMENTS_SCHEMA.properties).join(', ')}.`,
      );
  const currency = input.currency ?? 'usd';
  if (typeof currency !== 'string' || !CURRENCY.test(currency))
    throw new OptionsError(
      'currency',
      `Option "currency" must be a lower-case ISO 4217 code such as "usd" or "eur"; got ${JSON.stringify(currency)}.`,
    );
  return {
    currency,
    express: app.framework === 'express',
    hono: app.framework === 'hono',
  };
}
