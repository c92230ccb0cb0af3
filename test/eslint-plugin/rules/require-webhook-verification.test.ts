import rule from '../../../eslint-plugin/rules/require-webhook-verification.js';
import { runRuleTests } from '../rule-tester.js';

const NEXT_STRIPE = 'app/api/webhooks/stripe/route.ts';

runRuleTests('require-webhook-verification', rule, {
  valid: [
    // Supabase edge functions (issue #15): a verifier that is constant-time and checks the timestamp.
    {
      code: `async function verifyChatSignature(body: string, timestamp: string, signature: string, secret: string) {
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(\`v0:\${timestamp}:\${body}\`));
  const expected = 'v0=' + toHex(mac);
  if (expected.length !== signature.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
  return diff === 0;
}
Deno.serve(async (req) => {
  const raw = await req.text();
  const ok = await verifyChatSignature(raw, req.headers.get('x-chat-timestamp') ?? '', req.headers.get('x-chat-signature') ?? '', Deno.env.get('CHAT_SECRET')!);
  if (!ok) return new Response('bad', { status: 401 });
  return new Response(JSON.parse(raw).id);
});`,
      filename: 'supabase/functions/chat-webhook/index.ts',
    },
    // An edge function that sends webhooks is not a receiver.
    {
      code: `Deno.serve(async (req) => {
  const { url, event } = await req.json();
  await fetch(url, { method: 'POST', body: JSON.stringify(event) });
  return new Response('ok');
});`,
      filename: 'supabase/functions/dispatch-webhook/index.ts',
    },
    // Shared helpers are not functions of their own.
    {
      code: `export async function handle(req: Request) { const body = await req.json(); return body; }`,
      filename: 'supabase/functions/_shared/webhook.ts',
    },
    // A promise verifier whose failure answers the request, rethrows, or whose result is kept and checked.
    `app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res, next) => {
  await stripe.webhooks.constructEventAsync(req.body, req.headers['stripe-signature'], secret).catch((e) => next(e));
  res.sendStatus(200);
});`,
    `app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  await stripe.webhooks.constructEventAsync(req.body, req.headers['stripe-signature'], secret).catch(() => {
    throw new Error('bad signature');
  });
  res.sendStatus(200);
});`,
    `app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = await stripe.webhooks
    .constructEventAsync(req.body, req.headers['stripe-signature'], secret)
    .catch(() => null);
  if (event === null) return res.sendStatus(400);
  res.json(await handle(event));
});`,
    `app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  await stripe.webhooks.constructEventAsync(req.body, req.headers['stripe-signature'], secret).catch((e) => Promise.reject(e));
  res.sendStatus(200);
});`,
    // Routes from configuration inside a webhook router builder that verifies (the generated module's shape).
    `import express from 'express';
import { verifyWebhook } from './verify.js';
export function webhookRouter(endpoints: { path: string }[]) {
  const router = express.Router();
  for (const endpoint of endpoints) {
    router.post(endpoint.path, express.raw({ type: () => true }), async (req, res) => {
      const event = verifyWebhook(endpoint, { headers: req.headers, body: req.body });
      res.json(await handle(event));
    });
  }
  return router;
}`,
    // Routes from configuration in a builder that is not about webhooks.
    `import express from 'express';
export function crudRouter(resources: { path: string }[]) {
  const router = express.Router();
  for (const resource of resources) router.post(resource.path, async (req, res) => res.json(await save(req.body)));
  return router;
}`,
    // Stripe with the raw body and a fail-closed catch.
    `import express from 'express';
     app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (req, res) => {
       let event;
       try {
         event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
       } catch (err) {
         return res.status(400).send('bad signature');
       }
       handle(event);
       res.sendStatus(200);
     });`,
    // Next.js App Router with the generated verifier.
    {
      code: `import { verifyWebhook } from '@/webhooks/verify';
       export async function POST(request: Request) {
         const event = await verifyWebhook(request);
         await process(event);
         return new Response(null, { status: 204 });
       }`,
      filename: NEXT_STRIPE,
    },
    // svix / standardwebhooks verify.
    `import { Webhook } from 'svix';
     app.post('/api/webhooks/clerk', async (req, res) => {
       const payload = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(req.body, req.headers);
       await syncUser(payload);
       res.json({ ok: true });
     });`,
    // HMAC with timingSafeEqual in a same-file helper.
    `import { createHmac, timingSafeEqual } from 'node:crypto';
     function isSigned(body: Buffer, sig: string) {
       const expected = createHmac('sha256', secret).update(body).digest();
       return timingSafeEqual(expected, Buffer.from(sig, 'hex'));
     }
     router.post('/webhook/github', async (req, res) => {
       if (!isSigned(req.body, req.get('x-hub-signature-256'))) return res.sendStatus(401);
       await onPush(req.body);
     });`,
    // Verification as route middleware.
    "app.post('/webhooks/stripe', verifyStripeSignature, (req, res) => { handle(req.body); res.end(); });",
    // Webhook-named routes that do not take a body.
    "app.get('/webhooks', (req, res) => res.json(listWebhooks()));",
    "app.post('/webhooks/:id/test', async (req, res) => { await sendTestEvent(req.params.id); res.sendStatus(202); });",
    "app.post('/webhook', (req, res) => { res.sendStatus(200); });",
    // The app's own webhook-subscription API (no provider, no signature header, no provider events).
    "app.post('/api/webhooks', async (req, res) => { const hook = await db.webhook.create({ data: { url: req.body.url } }); res.json(hook); });",
    // Not a webhook route at all.
    "app.post('/api/orders', (req, res) => { create(req.body); res.end(); });",
    // A helper that switches on event types but receives an already-verified event.
    `export async function handleStripeEvent(event: Stripe.Event) {
       switch (event.type) { case 'checkout.session.completed': await fulfil(event.data.object); break; }
     }`,
    // Not a webhook route file in Next.js.
    {
      code: 'export async function POST(request: Request) { return Response.json(await request.json()); }',
      filename: 'app/api/orders/route.ts',
    },
    // Verification guarded by a secret check that fails closed.
    `app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
       if (!process.env.STRIPE_WEBHOOK_SECRET) { return res.status(500).end(); }
       const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
       handle(event);
     });`,
    // Pages router with bodyParser disabled and the raw buffer.
    {
      code: `import { buffer } from 'micro';
       export const config = { api: { bodyParser: false } };
       export default async function handler(req, res) {
         const buf = await buffer(req);
         const event = stripe.webhooks.constructEvent(buf, req.headers['stripe-signature'], secret);
         res.json({ received: true });
       }`,
      filename: 'pages/api/stripe/webhook.ts',
    },
    // A catch that answers 400 ends the request (Stripe's own sample omits the return).
    `app.post('/webhook', express.raw({ type: 'application/json' }), (request, response) => {
       let event;
       try {
         event = stripe.webhooks.constructEvent(request.body, request.headers['stripe-signature'], secret);
       } catch (err) {
         response.status(400).send(\`Webhook Error: \${err.message}\`);
       }
       handle(event);
     });`,
    // Regression (generated webhook module's own tests): a payload the test builds and signs itself is
    // the raw body, even though it is made with JSON.stringify.
    `import Stripe from 'stripe';
     const body = JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed' });
     it('verifies', () => {
       const header = sign(body).get('stripe-signature') ?? '';
       expect(() => Stripe.webhooks.constructEvent(body, header, secret)).not.toThrow();
       expect(verify(body, new Headers({ 'stripe-signature': header })).id).toBe('evt_1');
     });`,
    // Hono with standardwebhooks on the raw text.
    `import { Webhook } from 'standardwebhooks';
     app.post('/webhooks/resend', async (c) => {
       const payload = new Webhook(secret).verify(await c.req.text(), c.req.header());
       await record(payload);
       return c.body(null, 204);
     });`,
    // Fastify route object with a verifying preHandler.
    "fastify.route({ method: 'POST', url: '/webhooks/github', preHandler: verifyGithubSignature, handler: async (request) => onEvent(request.body) });",
  ],
  invalid: [
    // An edge function named as a webhook receiver that never verifies (issue #15).
    {
      code: `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';
serve(async (req) => {
  const payload = await req.json();
  await supabase.from('pricing_runs').update({ status: payload.status }).eq('id', payload.run_id);
  return new Response('ok');
});`,
      filename: 'supabase/functions/loan-pricer-webhook/index.ts',
      errors: [{ messageId: 'missingVerification', line: 3, column: 25 }],
    },
    // A hand-rolled verifier: Web Crypto HMAC compared with === and no timestamp (webhooks and timing).
    {
      code: `async function verifyCallSignature(payload: string, signature: string | null, token: string) {
  if (!signature) return false;
  const key = await crypto.subtle.importKey('raw', enc.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(payload));
  const expectedSignature = Array.from(new Uint8Array(mac)).map((b) => b.toString(16).padStart(2, '0')).join('');
  return expectedSignature === signature;
}
Deno.serve(async (req) => {
  const raw = await req.text();
  const valid = await verifyCallSignature(raw, req.headers.get('x-call-signature'), Deno.env.get('CALL_TOKEN')!);
  if (!valid) return new Response('bad', { status: 401 });
  const payload = JSON.parse(raw);
  payload.timestamp = new Date().toISOString();
  return new Response('ok');
});`,
      filename: 'supabase/functions/call-events-webhook/index.ts',
      errors: [{ messageId: 'unsafeVerifier', line: 6, column: 10 }],
    },
    // An inline HMAC check that runs only when the secret is configured: fail-open.
    {
      code: `import { createHmac, timingSafeEqual } from 'node:crypto';
Deno.serve(async (req) => {
  const raw = await req.text();
  const appSecret = Deno.env.get('APP_SECRET');
  if (appSecret) {
    const expected = Buffer.from('sha256=' + createHmac('sha256', appSecret).update(raw).digest('hex'));
    const given = Buffer.from(req.headers.get('x-hub-signature-256') ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return new Response('bad', { status: 401 });
  }
  return new Response(JSON.parse(raw).entry);
});`,
      filename: 'supabase/functions/lead-webhook/index.ts',
      errors: [{ messageId: 'envSkipped', line: 5, column: 7 }],
    },
    // The same, inline with node:crypto.
    {
      code: `import { createHmac } from 'node:crypto';
Deno.serve(async (req) => {
  const raw = await req.text();
  const signature = req.headers.get('x-hub-signature-256');
  const expected = 'sha256=' + createHmac('sha256', Deno.env.get('APP_SECRET')!).update(raw).digest('hex');
  if (signature !== expected) return new Response('bad', { status: 401 });
  return new Response(JSON.parse(raw).entry);
});`,
      filename: 'supabase/functions/lead-webhook/index.ts',
      errors: [{ messageId: 'unsafeVerifier', line: 6, column: 7 }],
    },
    // The verifier's rejection is logged and dropped: the handler carries on as if the signature were valid.
    {
      code: `app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  await stripe.webhooks.constructEventAsync(req.body, req.headers['stripe-signature'], secret).catch(console.error);
  await fulfil(JSON.parse(req.body.toString()));
  res.sendStatus(200);
});`,
      errors: [{ messageId: 'failOpen', line: 2, column: 9 }],
    },
    {
      code: `app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  await stripe.webhooks.constructEventAsync(req.body, req.headers['stripe-signature'], secret).catch((err) => {
    logger.warn({ err }, 'signature check failed');
  });
  await fulfil(JSON.parse(req.body.toString()));
  res.sendStatus(200);
});`,
      errors: [{ messageId: 'failOpen', line: 2, column: 9 }],
    },
    {
      // Regression: the generated webhook router with its verifyWebhook call removed (issue 8).
      code: `import express from 'express';
export function webhookRouter(endpoints: { path: string }[]) {
  const router = express.Router();
  for (const endpoint of endpoints) {
    router.post(endpoint.path, express.raw({ type: () => true }), async (req, res) => {
      const event = JSON.parse(req.body.toString('utf8'));
      res.json(await handle(event));
    });
  }
  return router;
}`,
      errors: [{ messageId: 'missingVerification', data: { provider: '<provider>' }, line: 6, column: 32 }],
    },
    {
      code: `app.post('/api/webhook', async (c) => {
  const body = await c.req.json();
  await db.insert(orders).values(body.data);
  return c.text('ok');
});`,
      errors: [{ messageId: 'missingVerification', data: { provider: '<provider>' }, line: 2, column: 22 }],
    },
    {
      code: `fastify.route({ method: 'POST', url: '/webhooks/paddle', handler: async (request, reply) => {
  await activate(request.body.data);
  return { ok: true };
} });`,
      errors: [{ messageId: 'missingVerification', data: { provider: 'paddle' }, line: 2, column: 18 }],
    },
    {
      code: `export async function handleClerk(req: Request) {
  const evt = await req.json();
  switch (evt.type) {
    case 'user.created': await createUser(evt.data); break;
  }
}`,
      errors: [{ messageId: 'missingVerification', data: { provider: 'clerk' }, line: 2, column: 21 }],
    },
    {
      code: `app.post('/webhooks/stripe', async (req, res) => {
  const event = req.body;
  if (event.type === 'checkout.session.completed') await fulfil(event.data.object);
  res.sendStatus(200);
});`,
      errors: [{ messageId: 'missingVerification', data: { provider: 'stripe' }, line: 2, column: 17 }],
    },
    {
      code: `export async function POST(request: Request) {
  const payload = await request.json();
  await syncUser(payload.data);
  return new Response('ok');
}`,
      filename: 'app/api/webhooks/clerk/route.ts',
      errors: [{ messageId: 'missingVerification', data: { provider: 'clerk' }, line: 2, column: 25 }],
    },
    {
      code: `export async function handle(req, res) {
  const sig = req.headers['x-hub-signature-256'];
  await onPush(req.body, sig);
}`,
      errors: [{ messageId: 'missingVerification', data: { provider: 'github' }, line: 3, column: 16 }],
    },
    {
      code: `app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event = req.body;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
  } catch (err) {
    console.error(err);
  }
  handle(event);
});`,
      errors: [{ messageId: 'failOpen', line: 5, column: 5 }],
    },
    {
      code: `app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event = JSON.parse(req.body);
  if (process.env.NODE_ENV === 'production') {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
  }
  handle(event);
});`,
      errors: [{ messageId: 'envSkipped', line: 3, column: 7 }],
    },
    {
      code: `const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  const event = endpointSecret ? stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret) : JSON.parse(req.body);
  handle(event);
});`,
      errors: [{ messageId: 'envSkipped', line: 3, column: 17 }],
    },
    {
      code: `import express from 'express';
const app = express();
app.use(express.json());
app.post('/webhooks/stripe', (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
  handle(event);
});`,
      errors: [{ messageId: 'parsedBody', line: 5, column: 48 }],
    },
    {
      code: `export async function POST(req: Request) {
  const body = await req.json();
  const event = stripe.webhooks.constructEvent(JSON.stringify(body), req.headers.get('stripe-signature')!, secret);
  return Response.json({ ok: handle(event) });
}`,
      filename: NEXT_STRIPE,
      errors: [{ messageId: 'parsedBody', line: 3, column: 48 }],
    },
  ],
});
