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

/** `namesCardField` answers by raw name, without a parent (bounded: cleared when full). */
const cardFieldNames = new Map<string, boolean>();

/** Card number, CVC and card expiry fields (PCI DSS cardholder data and sensitive authentication data). */
export function namesCardField(name: string, parentName?: string): boolean {
  // The ESLint rule asks about every member name of every file; names repeat, so remember the answers.
  let named = cardFieldNames.get(name);
  if (named === undefined) {
    const value = compact(name);
    named = CARD_FIELDS.has(value) || /^card(?:exp|expiry|expiration)/.test(value);
    if (cardFieldNames.size >= 10_000) cardFieldNames.clear();
    cardFieldNames.set(name, named);
  }
  if (named) return true;
  // `card.number`, `card.cvc`, `card.exp_month`: the parent test (`compact(parentName) === 'card'`) without
  // building the compacted string, since most members have a parent.
  return (
    parentName !== undefined &&
    CARD_PARENT.test(parentName) &&
    /^(?:number|cvc|cvv|expmonth|expyear|expiry)$/.test(compact(name))
  );
}

/** A name whose compacted form is `card` (letters in any case, anything else between them). */
const CARD_PARENT = /^[^a-z0-9]*c[^a-z0-9]*a[^a-z0-9]*r[^a-z0-9]*d[^a-z0-9]*$/i;

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
