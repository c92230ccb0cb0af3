import express from 'express';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const app = express();

app.post('/webhooks/stripe', express.json(), async (req, res) => {
  const event = req.body as Stripe.Event; // expect: webhooks
  if (event.type === 'invoice.paid') await markPaid(event.data.object.id);
  res.sendStatus(200);
});

app.post('/webhooks/stripe-verified', express.raw({ type: 'application/json' }), async (req, res) => {
  const signature = req.headers['stripe-signature'] as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body as Buffer, signature, process.env.STRIPE_WEBHOOK_SECRET ?? '');
  } catch {
    res.sendStatus(400);
    return;
  }
  if (event.type === 'invoice.paid') await markPaid(event.data.object.id);
  res.sendStatus(200);
});

app.post('/api/invoices', express.json(), async (req, res) => {
  await markPaid(String(req.body.id));
  res.sendStatus(204);
});

async function markPaid(id: string | undefined): Promise<void> {
  console.info('paid', id);
}

export default app;
