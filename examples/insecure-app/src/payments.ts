// A deliberately insecure sample app: `npm run demo` checks it.
import Stripe from 'stripe';

const stripe = new Stripe('sk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h');

export async function charge(amountInCents: number) {
  return stripe.paymentIntents.create({ amount: amountInCents, currency: 'usd' });
}
