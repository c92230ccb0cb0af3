import Stripe from 'stripe';
import { Webhook } from 'svix';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');

// app/api/webhooks/clerk/route.ts
export async function POST(request: Request): Promise<Response> {
  const payload = await request.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET ?? '');
  const event = wh.verify(payload, {
    'svix-id': request.headers.get('svix-id') ?? '',
    'svix-timestamp': request.headers.get('svix-timestamp') ?? '',
    'svix-signature': request.headers.get('svix-signature') ?? '',
  }) as { type: string };
  return Response.json({ received: event.type });
}

export async function stripeHandler(request: Request): Promise<Response> {
  const body = await request.text();
  const event = await stripe.webhooks.constructEventAsync(body, request.headers.get('stripe-signature') ?? '', process.env.STRIPE_WEBHOOK_SECRET ?? '');
  return Response.json({ type: event.type });
}
