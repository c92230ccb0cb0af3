/**
 * Environment variable names: which are exposed to browsers by a bundler, and which name a
 * secret. Shared by the `no-client-secret-exposure` rule and the analyzer's client-bundle check.
 */

/** Prefixes that bundlers inline into client code (Next.js, Vite, Expo, CRA, SvelteKit/Astro, Nuxt, Gatsby). */
export const PUBLIC_ENV_PREFIXES = [
  'NEXT_PUBLIC_',
  'VITE_',
  'EXPO_PUBLIC_',
  'REACT_APP_',
  'NUXT_PUBLIC_',
  'GATSBY_',
  'PUBLIC_',
] as const;

/** Variables every runtime defines and that are not configuration secrets. */
const BUILT_IN = new Set([
  'NODE_ENV',
  'MODE',
  'DEV',
  'PROD',
  'SSR',
  'BASE_URL',
  'TZ',
  'CI',
  'VERCEL_ENV',
  'NEXT_RUNTIME',
]);

/** Parts of a name that say "meant to be public". */
const PUBLIC_BY_DESIGN =
  /PUBLISHABLE|(?:^|_)ANON(?:_|$)|SITE_KEY|PUBLIC_KEY|VAPID_PUBLIC|MEASUREMENT_ID|(?:^|_)DSN$|MAPBOX|FIREBASE_API_KEY|GOOGLE_MAPS|MAPS_API_KEY|ALGOLIA_SEARCH|SEARCH_ONLY|POSTHOG_KEY|SEGMENT_WRITE_KEY|CLIENT_ID$|_URL$|_HOST$/;
/** Parts of a name that say "secret". */
const SECRET_PART =
  /SECRET|PRIVATE|SERVICE_ROLE|SERVICE_KEY|PASSWORD|PASSWD|(?:^|_)TOKEN(?:_|$)|(?:^|_)(?:OPENAI|ANTHROPIC|CLAUDE|GROQ|MISTRAL|COHERE|REPLICATE|HUGGINGFACE|HF|GEMINI|SENDGRID|RESEND|TWILIO|POSTMARK|MAILGUN|AWS|STRIPE|GITHUB|SLACK|DATABASE|DB|ADMIN|MASTER|SIGNING|ENCRYPTION|WEBHOOK)_.*KEY|(?:^|_)DATABASE_URL$/;

export function publicPrefix(name: string): string | undefined {
  return PUBLIC_ENV_PREFIXES.find((prefix) => name.startsWith(prefix));
}

/** Names that end in a setting about a secret rather than the secret: `PASSWORD_LOGIN`, `SECRET_NAME`, `TOKEN_TTL`. */
const SETTING_SUFFIX =
  /_(?:LOGIN|ENABLED|DISABLED|ENABLE|DISABLE|REQUIRED|POLICY|LENGTH|MIN|MAX|TTL|EXPIRY|EXPIRES|EXPIRES_IN|NAME|ID|URL|HOST|PATH|HEADER|FIELD|MODE|FLAG|RESET)$/;

/**
 * Providers with no key a browser may hold: any key of theirs that reaches a bundle spends the
 * owner's money or reads their data. Stripe, Supabase, Mapbox, PostHog, Mixpanel and the like issue
 * publishable keys and public tokens, so for them the name alone cannot tell.
 */
const NO_PUBLIC_KEY_PROVIDER =
  /(?:^|_)(?:OPENAI|ANTHROPIC|CLAUDE|GROQ|MISTRAL|COHERE|REPLICATE|HUGGINGFACE|HF|DEEPSEEK|PERPLEXITY|TOGETHER|FIREWORKS|ELEVENLABS|SENDGRID|RESEND|TWILIO|POSTMARK|MAILGUN|AWS|GITHUB|SLACK|DATABASE|DB|ADMIN|MASTER|SIGNING|ENCRYPTION|WEBHOOK)_/;

/** True when the name says the value is secret (`STRIPE_SECRET_KEY`, `SUPABASE_SERVICE_ROLE_KEY`, `OPENAI_API_KEY`). */
export function isSecretEnvName(name: string): boolean {
  const prefix = publicPrefix(name);
  const rest = prefix === undefined ? name : name.slice(prefix.length);
  if (SETTING_SUFFIX.test(rest)) return false;
  if (PUBLIC_BY_DESIGN.test(rest) && !/SECRET|PRIVATE|SERVICE_ROLE/.test(rest)) return false;
  return SECRET_PART.test(rest);
}

/**
 * A variable a bundler ships to every browser whose name says it cannot be public: it says secret,
 * private, service role or password, or it is a key or token of a provider that has no public keys.
 * `NEXT_PUBLIC_STRIPE_KEY` (a publishable key) or `NEXT_PUBLIC_MIXPANEL_TOKEN` (a public project
 * token) are what those providers give browsers, so they are not reported.
 */
export function isExposedSecretEnvName(name: string): boolean {
  const prefix = publicPrefix(name);
  if (prefix === undefined || !isSecretEnvName(name)) return false;
  const rest = name.slice(prefix.length);
  if (/SECRET|PRIVATE|SERVICE_ROLE|SERVICE_KEY|PASSWORD|PASSWD/.test(rest)) return true;
  return NO_PUBLIC_KEY_PROVIDER.test(rest);
}

/** A variable that only exists on the server (no public prefix, not a built-in). */
export function isServerOnlyEnvName(name: string): boolean {
  return publicPrefix(name) === undefined && !BUILT_IN.has(name);
}
