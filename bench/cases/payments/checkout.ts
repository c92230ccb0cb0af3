import express from 'express';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const app = express();

app.post('/refund', async (req, res) => {
  const refund = await stripe.refunds.create({ payment_intent: String(req.body.paymentIntent) }); // expect: payments
  res.json({ id: refund.id });
});

app.post('/charge', async (req, res) => {
  const intent = await stripe.paymentIntents.create(
    { amount: Number(req.body.amountCents), currency: 'eur' },
    { idempotencyKey: String(req.header('idempotency-key')) },
  );
  res.json({ id: intent.id });
});

app.post('/cart/total', (req, res) => {
  const items = req.body.items as { unitPrice: number; quantity: number }[];
  const total = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  res.json({ total });
});

app.post('/cards', (req, res) => {
  const { cardNumber, cvc } = req.body as { cardNumber: string; cvc: string }; // expect: payments
  res.json({ last4: cardNumber.slice(-4), cvcLength: cvc.length });
});

export default app;
