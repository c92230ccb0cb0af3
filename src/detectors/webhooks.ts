/**
 * Webhook receivers: route paths, provider signature headers, provider event types and the
 * names of verifiers. Shared by `require-webhook-verification` and the analyzer's route reader.
 */

export type WebhookRouteKind = 'receiver' | 'ambiguous';

/** Providers whose name in a path marks an inbound webhook receiver (and whose generator exists or is planned). */
export const WEBHOOK_PROVIDERS: readonly string[] = [
  'stripe',
  'github',
  'gitlab',
  'bitbucket',
  'clerk',
  'svix',
  'resend',
  'shopify',
  'slack',
  'twilio',
  'paddle',
  'lemonsqueezy',
  'lemon-squeezy',
  'polar',
  'sendgrid',
  'mailgun',
  'postmark',
  'discord',
  'linear',
  'supabase',
  'razorpay',
  'paypal',
  'square',
  'plaid',
  'vercel',
  'intercom',
  'hubspot',
  'zoom',
  'calendly',
  'typeform',
  'coinbase',
  'openai',
  'replicate',
  'workos',
  'kinde',
  'auth0',
  'standardwebhooks',
];

/** Request headers that carry a provider's webhook signature, by provider. */
export const SIGNATURE_HEADERS: Readonly<Record<string, string>> = {
  'stripe-signature': 'stripe',
  'x-hub-signature': 'github',
  'x-hub-signature-256': 'github',
  'x-gitlab-token': 'gitlab',
  'svix-signature': 'svix',
  'webhook-signature': 'standardwebhooks',
  'x-shopify-hmac-sha256': 'shopify',
  'x-slack-signature': 'slack',
  'x-twilio-signature': 'twilio',
  'paddle-signature': 'paddle',
  'x-signature': 'lemonsqueezy',
  'x-razorpay-signature': 'razorpay',
  'paypal-transmission-sig': 'paypal',
  'x-square-hmacsha256-signature': 'square',
  'plaid-verification': 'plaid',
  'x-vercel-signature': 'vercel',
  'x-signature-ed25519': 'discord',
  'linear-signature': 'linear',
  'x-mailgun-signature': 'mailgun',
  'x-cc-webhook-signature': 'coinbase',
  'x-zm-signature': 'zoom',
  'typeform-signature': 'typeform',
  'workos-signature': 'workos',
};

/** The provider whose signature header this is (`'Stripe-Signature'` → 'stripe'), if any. */
export function signatureHeaderProvider(header: string): string | undefined {
  // Called on every short string literal: the length test first, then a Map (no prototype keys).
  if (header.length < SIGNATURE_HEADER_LENGTH.min || header.length > SIGNATURE_HEADER_LENGTH.max) return undefined;
  return SIGNATURE_HEADER_PROVIDERS.get(header.toLowerCase());
}

const SIGNATURE_HEADER_PROVIDERS = new Map(Object.entries(SIGNATURE_HEADERS));
const SIGNATURE_HEADER_LENGTH = {
  min: Math.min(...Object.keys(SIGNATURE_HEADERS).map((h) => h.length)),
  max: Math.max(...Object.keys(SIGNATURE_HEADERS).map((h) => h.length)),
};

/**
 * Event types only a provider sends (`checkout.session.completed`, Clerk's `user.created`…). A
 * handler that branches on them is processing a provider's webhook whatever its route is called.
 */
const PROVIDER_EVENT_TYPE =
  /^(?:checkout\.session\.[a-z_]+|payment_intent\.[a-z_]+|customer\.subscription\.[a-z_]+|customer\.(?:created|updated|deleted)|invoice\.[a-z_]+|charge\.[a-z_.]+|payout\.[a-z_]+|account\.updated|price\.[a-z_]+|product\.[a-z_]+|subscription_schedule\.[a-z_]+|setup_intent\.[a-z_]+|user\.(?:created|updated|deleted)|organization(?:Membership)?\.(?:created|updated|deleted)|session\.(?:created|ended|removed|revoked)|email\.(?:sent|delivered|bounced|complained|opened|clicked)|subscription_(?:created|updated|cancelled|expired|payment_success)|order_(?:created|refunded)|transaction\.(?:completed|paid|created)|orders\/(?:create|paid|updated)|app\/uninstalled|pull_request|workflow_run|check_suite|installation(?:_repositories)?)$/;

export function isProviderEventType(value: string): boolean {
  return PROVIDER_EVENT_TYPE.test(value);
}

const EVENT_TYPE_PROVIDERS: readonly (readonly [RegExp, string])[] = [
  [
    /^(?:checkout|payment_intent|customer|invoice|charge|payout|account|price|product|subscription_schedule|setup_intent)\./,
    'stripe',
  ],
  [/^(?:user|organization|organizationMembership|session)\./, 'clerk'],
  [/^email\./, 'resend'],
  [/^(?:subscription_|order_)/, 'lemonsqueezy'],
  [/^transaction\./, 'paddle'],
  [/^(?:orders|app)\//, 'shopify'],
  [/^(?:pull_request|workflow_run|check_suite|installation)/, 'github'],
];

/** The provider that sends an event type (`invoice.paid` → 'stripe'), if it is one of theirs. */
export function eventTypeProvider(value: string): string | undefined {
  if (!isProviderEventType(value)) return undefined;
  return EVENT_TYPE_PROVIDERS.find(([pattern]) => pattern.test(value))?.[1];
}

const WEBHOOK_SEGMENT = /webhook|^hooks?$/i;
const SINGULAR_WEBHOOK = /webhook(?!s)|webhooks?[-_.]|[-_.]webhooks?/i;
const ID_PARAM = /^(?::|\[{1,2}\.{0,3}|\{)?(?:id|uuid|[a-z]*(?:Id|_id|ID))(?:\]{1,2}|\})?\??$/;
const PARAM = /^(?::|\[|\{|\*)/;
const MANAGEMENT_SEGMENT =
  /^(?:test|tests|deliveries|delivery|logs|retry|replay|resend|subscriptions?|endpoints?|settings|config|enable|disable|rotate|secret|events|attempts|list|new|edit)$/i;

/** Path segments: `/api/webhooks/:id` and Next.js folder paths alike. */
function segments(path: string): string[] {
  return path
    .split(/[/\\]/)
    .filter((s) => s !== '' && !/^\(.*\)$/.test(s))
    .map((s) => s.replace(/\.[cm]?[jt]sx?$/, ''));
}

function isProviderSegment(segment: string): boolean {
  const lower = segment.toLowerCase();
  return WEBHOOK_PROVIDERS.some(
    (p) =>
      lower === p ||
      lower.startsWith(`${p}-`) ||
      lower.startsWith(`${p}_`) ||
      lower.endsWith(`-${p}`) ||
      lower.endsWith(`_${p}`),
  );
}

/**
 * How strongly a route path says "inbound webhook receiver". `receiver`: `/webhook`,
 * `/api/webhooks/stripe`, `/stripe/webhook`, `stripe-webhook`. `ambiguous`: `/api/webhooks` or
 * `/hooks/:name` (could also be the app's own webhook-subscription API). Undefined: no webhook
 * segment, or a path that manages one webhook (`/webhooks/:id`, `/webhooks/:id/test`).
 */
export function webhookRouteKind(path: string): WebhookRouteKind | undefined {
  const parts = segments(path);
  const index = parts.findIndex((s) => WEBHOOK_SEGMENT.test(s));
  if (index === -1) return undefined;
  const rest = parts.slice(index + 1);
  if (rest.some((s) => ID_PARAM.test(s) || MANAGEMENT_SEGMENT.test(s))) return undefined;
  const segment = parts[index] ?? '';
  if (SINGULAR_WEBHOOK.test(segment)) return 'receiver';
  if (rest.some(isProviderSegment) || parts.slice(0, index).some(isProviderSegment)) return 'receiver';
  if (rest.some((s) => PARAM.test(s))) return 'ambiguous';
  return 'ambiguous';
}

/** The provider a path or header names (`/api/webhooks/github` → 'github'), for the generator hint. */
export function providerFromPath(path: string): string | undefined {
  for (const segment of segments(path)) {
    const lower = segment.toLowerCase();
    const provider = WEBHOOK_PROVIDERS.find((p) => lower.includes(p));
    if (provider !== undefined) return provider === 'lemon-squeezy' ? 'lemonsqueezy' : provider;
  }
  return undefined;
}

/** Next.js route files: `app/**\/route.ts` and `pages/api/**`. Returns the route path, if the file is one. */
export function nextRoutePath(filename: string): { router: 'app' | 'pages'; path: string } | undefined {
  const normalized = filename.replace(/\\/g, '/');
  const app = /(?:^|\/)app(\/(?:.*\/)?)route\.[cm]?[jt]sx?$/.exec(normalized);
  if (app !== null) return { router: 'app', path: app[1] ?? '/' };
  const pages = /(?:^|\/)pages(\/api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(normalized);
  if (pages !== null) return { router: 'pages', path: pages[1] ?? '/' };
  return undefined;
}

/**
 * Callee names that verify a webhook signature: Stripe `constructEvent(Async)`, svix and
 * standardwebhooks `verify`, @octokit/webhooks `verify`/`verifyAndReceive`, OpenAI `unwrap`,
 * `crypto.timingSafeEqual`, Twilio `validateRequest`, the generated `verifyWebhook`, and the
 * verify…/validate…Signature helpers apps write around them.
 */
const VERIFIER_NAME =
  /^(?:constructEvent(?:Async)?|verify|verifyAndReceive|unwrap|timingSafeEqual|validateRequest(?:WithBody)?|verifyKey|verifyWebhook\w*|verify\w*(?:Signature|Webhook|Hmac|Request|Payload|Event)\w*|validate\w*(?:Signature|Webhook|Hmac)\w*|is\w*Valid\w*Signature\w*|isValid\w*(?:Webhook|Signature|Hmac)\w*|check\w*Signature\w*)$/;

export function isVerifierName(name: string): boolean {
  return VERIFIER_NAME.test(name);
}

/** Names of middleware that verify before the handler runs (`verifyStripeSignature`, `requireWebhookSignature`). */
export function isVerifyingMiddlewareName(name: string): boolean {
  return isVerifierName(name) || /(?:verif|validat|require|check)\w*(?:signature|webhook|hmac)/i.test(name);
}

/**
 * Supabase edge functions: `supabase/functions/<name>/index.ts` serves `/functions/v1/<name>`.
 * Returns the route path (`/<name>`), or undefined for shared code (`_shared/`) and other files.
 */
export function edgeFunctionPath(filename: string): string | undefined {
  const match = /(?:^|\/)supabase\/functions\/([^/_][^/]*)\/index\.[cm]?[jt]sx?$/.exec(filename.replace(/\\/g, '/'));
  return match === null ? undefined : `/${match[1] ?? ''}`;
}

/** Edge functions that send, register or manage webhooks rather than receive them (`dispatch-webhook`). */
const WEBHOOK_MANAGER =
  /(?:^|[-_])(?:dispatch|send|sender|subscribe|unsubscribe|register|setup|fix|test|create|update|delete|list|trigger|deliver|retry|manage|configure|sync|outgoing|outbound|emit|fire|notify|rotate)(?:[-_]|$)/i;

/** How an edge function's name says "webhook receiver", like `webhookRouteKind` but without the senders. */
export function edgeFunctionWebhookKind(path: string): WebhookRouteKind | undefined {
  if (WEBHOOK_MANAGER.test(path.replace(/^\//, ''))) return undefined;
  return webhookRouteKind(path);
}

/** A MAC computed in code: node:crypto HMAC or hash digests, Web Crypto `subtle.sign`. */
export const MAC_COMPUTATION = /\bcreateHmac\b|\.digest\(|\bsubtle\.sign\b/;

/** A replay window inside the function that computes the MAC: a signed timestamp, a tolerance. */
export const REPLAY_WINDOW = /timestamp|tolerance|replay|\bts\b/i;
/** A signed-timestamp header read anywhere in the flow (`x-slack-request-timestamp`, `svix-timestamp`). */
export const TIMESTAMP_HEADER = /headers[\s\S]{0,40}['"`][\w-]*timestamp['"`]/i;
/** The clock read inside the function that computes the MAC: its age check. */
export const CLOCK_READ = /\bDate\.now\(|new Date\(\)\.getTime\(/;
