import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');

export async function subscribe(customer: string, price: string): Promise<string> {
  const subscription = await stripe.subscriptions.create({ customer, items: [{ price }] }); // expect: payments
  return subscription.id;
}

export async function subscribeOnce(customer: string, price: string, requestId: string): Promise<string> {
  const subscription = await stripe.subscriptions.create({ customer, items: [{ price }] }, { idempotencyKey: `sub-${requestId}` });
  return subscription.id;
}

export async function listInvoices(customer: string): Promise<Stripe.Invoice[]> {
  const invoices = await stripe.invoices.list({ customer, limit: 10 });
  return invoices.data;
}

export async function saveCard(db: { insert(row: object): Promise<void> }, input: { pan: string; expMonth: number; expYear: number }): Promise<void> {
  await db.insert({ card_number: input.pan, exp_month: input.expMonth, exp_year: input.expYear }); // expect: payments
}

export function formatPrice(amountCents: number): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(amountCents / 100);
}

export function lastFour(paymentMethod: Stripe.PaymentMethod): string {
  return paymentMethod.card?.last4 ?? '';
}
