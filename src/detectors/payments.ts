/** Field names for card data and money, shared by the payments rules. */

function compact(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const CARD_FIELDS = new Set([
  'cardnumber',
  'ccnumber',
  'creditcardnumber',
  'creditcard',
  'cardno',
  'cardnum',
  'pan',
  'cvc',
  'cvv',
  'cvv2',
  'cvc2',
  'securitycode',
  'cardcvc',
  'cardcvv',
  'cardsecuritycode',
]);

/** Card number, CVC and card expiry fields (PCI DSS cardholder data and sensitive authentication data). */
export function namesCardField(name: string, parentName?: string): boolean {
  const value = compact(name);
  if (CARD_FIELDS.has(value) || /^card(?:exp|expiry|expiration)/.test(value)) return true;
  // `card.number`, `card.cvc`, `card.exp_month`
  return (
    parentName !== undefined &&
    compact(parentName) === 'card' &&
    /^(?:number|cvc|cvv|expmonth|expyear|expiry)$/.test(value)
  );
}

const MONEY_SUFFIX =
  /(?:amount|price|total|subtotal|balance|cost|fee|fees|tax|payout|refund|charge|revenue|discount|tip|wage|salary)$/;
const NOT_MONEY = /(?:count|id|ids|type|currency|pct|percent|percentage|rate|ratio|label|text|unit|units|format)$/;

/** Names of money values (`amount`, `unitPrice`, `orderTotal`, `balance`). */
export function namesMoney(name: string): boolean {
  const value = compact(name);
  return MONEY_SUFFIX.test(value) && !NOT_MONEY.test(value);
}

/** Stripe API resources whose `create` moves money and must be retried idempotently. */
export const STRIPE_MONEY_MOVEMENTS = new Set([
  'paymentIntents',
  'charges',
  'refunds',
  'transfers',
  'payouts',
  'subscriptions',
]);
