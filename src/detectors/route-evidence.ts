/**
 * Name-level evidence the analyzer uses when reading routes and handlers: what reads a session,
 * what denies a request, what verifies a webhook, which env vars are public. AST-free so the
 * ESLint rules and the analyzer can share it.
 */

/** Identifiers and properties that hold the authenticated caller. */
export const SESSION_NAMES = new Set([
  'session',
  'principal',
  'currentuser',
  'user',
  'auth',
  'authorization',
  'getsession',
  'getserversession',
  'getuser',
  'getcurrentuser',
  'getprincipal',
  'principalof',
  'requireprincipal',
  'verifysession',
  'validatesession',
  'validaterequest',
  'userid',
  'isauthenticated',
  'claims',
]);

export function isSessionName(name: string): boolean {
  return SESSION_NAMES.has(name.toLowerCase());
}

/** Error classes whose throw means "not allowed". */
export const DENY_ERROR = /unauthori[sz]ed|forbidden|notauthenticated|autherror|authenticationerror|accessdenied/i;

/** Next.js `redirect('/login')`-style denials. */
export const LOGIN_PATH = /(?:log-?in|sign-?in|auth)/i;

/** Middleware from packages that authenticate by contract: module → exported names. */
export const GUARD_EXPORTS: Readonly<Record<string, readonly string[] | '*'>> = {
  'hono/jwt': ['jwt'],
  'hono/bearer-auth': ['bearerAuth'],
  'hono/basic-auth': ['basicAuth'],
  'express-jwt': ['expressjwt', 'expressJwt'],
  'express-openid-connect': ['requiresAuth'],
  '@clerk/express': ['requireAuth'],
  // Clerk: `auth.protect()` / `auth().protect()` guards; a bare `auth()` only reads the session.
  '@clerk/nextjs/server': ['protect'],
  '@clerk/nextjs': ['protect'],
  passport: ['authenticate'],
  'connect-ensure-login': '*',
};

/**
 * Names that guard by convention when they come from a package the analyzer cannot read
 * (never trusted for functions defined in the project: those are followed instead).
 */
export const GUARD_NAME =
  /^(?:require(?:Auth|User|Session|Role|Roles|Permission|Permissions|Admin|Login|Principal|Scope|Scopes)|ensure(?:Authenticated|LoggedIn|Auth|Admin)|isAuthenticated|authenticate|authorize|withAuth|protect)$/;

/** Calls that throw when a token is not valid. */
export const TOKEN_VERIFIERS: Readonly<Record<string, readonly string[]>> = {
  jose: ['jwtVerify'],
  jsonwebtoken: ['verify'],
};

/** Webhook signature verifiers, by module: the constructors whose instances verify, and standalone functions. */
export const WEBHOOK_VERIFIER_MODULES: Readonly<Record<string, { classes?: string[]; functions?: string[] }>> = {
  svix: { classes: ['Webhook'] },
  standardwebhooks: { classes: ['Webhook'] },
  '@octokit/webhooks': { classes: ['Webhooks'], functions: ['verify', 'verifyWithFallback'] },
  '@octokit/webhooks-methods': { functions: ['verify', 'verifyWithFallback'] },
  crypto: { functions: ['timingSafeEqual'] },
  'node:crypto': { functions: ['timingSafeEqual'] },
};

/** Methods that verify when called on a verifier instance (`wh.verify`, `webhooks.verifyAndReceive`). */
export const VERIFIER_METHODS = new Set(['verify', 'verifyAndReceive', 'verifyWithFallback']);

/** `stripe.webhooks.constructEvent(…)`: a member chain ending in these verifies (Stripe's SDK). */
export const STRIPE_VERIFIER_METHODS = new Set(['constructEvent', 'constructEventAsync']);

/** Body readers that parse (using the result before verifying is the bug); raw readers are fine. */
export const PARSED_BODY_METHODS = new Set(['json', 'formData', 'parseBody']);

/** Env var prefixes bundlers expose to the browser on purpose. */
export const PUBLIC_ENV_PREFIX = /^(?:NEXT_PUBLIC_|VITE_|PUBLIC_|EXPO_PUBLIC_|REACT_APP_|NUXT_PUBLIC_|GATSBY_)/;

/** Env vars that hold server-side credentials. */
export const SERVER_SECRET_ENV =
  /(?:SECRET|PRIVATE|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|SERVICE_?ROLE|DATABASE_URL|DB_URL|CONNECTION_STRING|WEBHOOK_?KEY|SIGNING_?KEY|CREDENTIALS?)/i;

export function isServerSecretEnv(name: string): boolean {
  return !PUBLIC_ENV_PREFIX.test(name) && SERVER_SECRET_ENV.test(name);
}

/** A webhook route by its path: `/webhooks/stripe`, `/api/hooks/github`, `app/api/webhook/route.ts`. */
export function isWebhookPath(path: string): boolean {
  return /(?:^|[/_-])(?:web-?hooks?|hooks?)(?:$|[/_.-])/i.test(path);
}
