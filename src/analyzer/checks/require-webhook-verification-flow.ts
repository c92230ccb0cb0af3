import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'require-webhook-verification-flow',
  description:
    'Each webhook route verifies the signature before using the body, with no JSON parser ahead of a raw-body verifier.',
  category: 'webhooks',
  severity: 'high',
  securitySeverity: 8.2,
  cwe: ['CWE-345'],
  recommended: true,
});

/** Follows each webhook route from the inventory: middleware chain, handler and the helpers it calls. */
export const requireWebhookVerificationFlow: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const { linker } = model;
    for (const route of model.routes) {
      if (
        !route.webhook ||
        route.method === 'GET' ||
        route.method === 'HEAD' ||
        route.method === 'OPTIONS' ||
        route.handlerFn === undefined
      )
        continue;
      const { file, fn } = route.handlerFn;
      const where = `${route.method} ${route.path}`;
      const order = linker.verificationOrder(file, fn);
      if (order.verify === undefined) {
        if (route.publicReason !== undefined) continue;
        sink.add(meta, {
          file: route.file,
          span: route.span,
          message: `Webhook route ${where} never verifies the sender's signature (followed through its helpers), so anyone can post forged events to it. Verify with the provider's SDK (e.g. stripe.webhooks.constructEvent, svix/standardwebhooks Webhook.verify) on the raw body before acting on it.`,
          fix: 'portcullis add webhook',
        });
        continue;
      }
      if (order.bodyUse !== undefined && order.bodyUse < order.verify) {
        sink.add(meta, {
          file: route.file,
          span: route.span,
          message: `Webhook route ${where} reads the request body before verifying its signature, so unverified data is acted on. Verify first, then use only the event the verifier returns.`,
          fix: 'portcullis add webhook',
        });
        continue;
      }
      if (route.framework !== 'express') continue;
      const firstParser = route.chain.findIndex(
        (link) => link.ref.kind === 'json-parser' || link.ref.kind === 'raw-parser',
      );
      const parser = firstParser === -1 ? undefined : route.chain[firstParser];
      if (parser?.ref.kind === 'json-parser') {
        sink.add(meta, {
          file: route.file,
          span: route.span,
          message: `A JSON body parser runs before webhook route ${where}, so its verifier gets the re-serialised object instead of the raw bytes and real signatures fail (or verification gets bypassed to make it work). Mount the webhook route with express.raw({ type: 'application/json' }) before app.use(express.json()).`,
          fix: 'portcullis add webhook',
        });
      }
    }
  },
};
