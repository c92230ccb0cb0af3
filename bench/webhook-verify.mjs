// Benchmark (not a test): webhook signature verification throughput with the libraries the generated
// webhook module verifies through (Stripe SDK `webhooks.constructEventAsync`, `standardwebhooks`
// `Webhook.verify`), on a 2 KiB payload. Run: node bench/webhook-verify.mjs [seconds-per-provider]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

const SECONDS = Number(process.argv[2] ?? 2);
const payload = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { pad: 'x'.repeat(2000) } } });

async function measure(name, verify) {
  for (let i = 0; i < 500; i += 1) await verify(); // warm-up
  let ops = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i += 1) await verify();
    ops += 100;
  }
  const elapsed = (performance.now() - start) / 1000;
  return {
    provider: name,
    ops,
    opsPerSecond: Math.round(ops / elapsed),
    microsPerOp: +((elapsed / ops) * 1e6).toFixed(1),
  };
}

const stripe = new Stripe('sk_test_bench', { apiVersion: '2025-01-27.acacia' });
const stripeSecret = `whsec_${randomBytes(24).toString('hex')}`;
const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload, secret: stripeSecret });
const stripeResult = await measure('stripe', () =>
  stripe.webhooks.constructEventAsync(payload, stripeHeader, stripeSecret, 300),
);

const swKey = randomBytes(32).toString('base64');
const sw = new Webhook(swKey);
const msgId = 'msg_bench';
const timestamp = new Date();
const signature = sw.sign(msgId, timestamp, payload);
const headers = {
  'webhook-id': msgId,
  'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
  'webhook-signature': signature,
};
const swResult = await measure('standard-webhooks', async () => sw.verify(payload, headers));

const results = [stripeResult, swResult];
for (const r of results)
  console.log(`webhook-verify ${r.provider}: ${r.opsPerSecond} ops/s (${r.microsPerOp} µs/op, ${r.ops} verifications)`);
if (process.env.BENCH_JSON === '1') console.log(JSON.stringify({ benchmark: 'webhook-verify', results }));
