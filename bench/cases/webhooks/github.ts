import { Hono } from 'hono';
import { Webhook } from 'standardwebhooks';

const app = new Hono();
const wh = new Webhook(process.env.WEBHOOK_SECRET ?? '');

app.post('/webhooks/github', async (c) => {
  const payload = await c.req.json<{ action: string }>(); // expect: webhooks
  await handle(payload.action);
  return c.body(null, 204);
});

app.post('/webhooks/resend', async (c) => {
  const raw = await c.req.text();
  const event = wh.verify(raw, Object.fromEntries(c.req.raw.headers)) as { type: string };
  await handle(event.type);
  return c.body(null, 204);
});

async function handle(action: string): Promise<void> {
  console.info(action);
}

export default app;
