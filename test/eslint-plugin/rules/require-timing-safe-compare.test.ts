import rule from '../../../eslint-plugin/rules/require-timing-safe-compare.js';
import { runRuleTests } from '../rule-tester.js';

/**
 * An invalid case whose one comparison `${a} ${operator} ${b}` is reported, with the suggested
 * rewrite built from the same operands (and the import line the fix adds, if any).
 */
function unsafe(options: {
  code: string;
  a: string;
  operator: string;
  b: string;
  line: number;
  column: number;
  name?: string;
  /** Where the request-side value comes from, as the message words it. */
  source?: string;
  callee?: string;
  importText?: string;
}) {
  const { code, a, operator, b, line, column, name } = options;
  const callee = options.callee ?? "require('node:crypto').timingSafeEqual";
  const equal = `(Buffer.byteLength(${a}) === Buffer.byteLength(${b}) && ${callee}(Buffer.from(${a}), Buffer.from(${b})))`;
  const replaced = code.replace(`${a} ${operator} ${b}`, operator.startsWith('!') ? `!${equal}` : equal);
  return {
    code,
    errors: [
      {
        messageId: 'timingUnsafe' as const,
        line,
        column,
        ...(name === undefined ? {} : { data: { name, operator, source: options.source ?? 'request' } }),
        suggestions: [{ messageId: 'useTimingSafeEqual' as const, output: (options.importText ?? '') + replaced }],
      },
    ],
  };
}

runRuleTests('require-timing-safe-compare', rule, {
  valid: [
    // Regression (bench, oauth4webapi/@better-auth/core): an ID token's nonce against the expected one.
    "if (claims.nonce !== expectedNonce) throw new Error('unexpected ID Token nonce');",
    'if (claimNonce === nonce) return true;',
    // Presence and shape checks are not secret comparisons.
    'if (signature === undefined) throw new Error("missing");',
    "if (req.headers['x-signature'] === '') return;",
    'if (req.body.token == null) return;',
    "if (typeof req.query.token === 'string') use(req.query.token);",
    "if (req.headers['x-signature'].length === 64) ok();",
    "if (tokenType === 'Bearer') ok();",
    "if (req.headers['content-type'] === expectedType) ok();",
    'if (maxTokens === usage.totalTokens) stop();',
    // Names alone are no evidence (issue #15): neither side is shown to come from the request.
    'if (signature === expected) ok();',
    'if (user.passwordHash === hashed) login();',
    'if (secretKey === undefined || secretKey === existing.secretKey) keep();',
    // Two server-side values: a configured token against the one stored in the database.
    'const envToken = process.env.INBOUND_TOKEN;\nconst routes = await db.routes.findMany();\nconst tokensMatch = envToken === routes[0]?.secret_token;',
    // A value from DNS against the stored verification token: not request input.
    "const records = await resolveTxt(domain);\nconst token = records[0].join('');\nif (token === org.metadata.domainVerificationToken) return true;",
    // The Supabase anon key is public: comparing a bearer token with it leaks nothing.
    "const ANON_KEY = Deno.env.get('SUPABASE_ANON_KEY') ?? '';\nexport function extractToken(req: Request) {\n  const token = req.headers.get('Authorization')?.slice(7).trim();\n  if (token && token !== ANON_KEY) return token;\n  return null;\n}",
    // A cache sentinel constant, not a secret.
    "const API_KEY_NON_EXISTENT = 'api-key-non-existent';\nconst cached = await redis.get(req.headers.authorization);\nif (cached === API_KEY_NON_EXISTENT) throw new Error('Invalid');",
    // Two request values (a double-submit check of a non-secret echo) carry no server secret.
    'if (req.body.confirmEmail !== req.body.email) fail();',
    // A hash of the request value compared with a stored hash: the timing reveals nothing about the input.
    "import { createHash } from 'node:crypto';\nconst hashed = createHash('sha256').update(req.body.token).digest('hex');\nif (hashed === row.tokenHash) ok();",
    // An OIDC at_hash / c_hash check: an unkeyed digest of data the caller holds anyway is a checksum, not a MAC.
    "async function tokenHash(data: string) {\n  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(data));\n  return b64u(digest.slice(0, 16));\n}\nexport async function hashMatches(data: string, actual: string) {\n  const expected = await tokenHash(data);\n  return actual === expected;\n}",
    // A content checksum handed to a verifier: no key goes into the digest.
    "import { createHash } from 'node:crypto';\nexport function sameContent(body: string, etag: string) {\n  return createHash('sha256').update(body).digest('hex') === etag;\n}",
    // The result is sent back to the caller as data (an admin diagnostic), not used as a gate.
    "const body = await req.json();\nconst current = Deno.env.get('INBOUND_TOKEN');\nreturn new Response(JSON.stringify({ tokenMatch: body.testToken === current, message: body.testToken === current ? 'matches' : 'differs' }));",
    // Already constant time.
    "import { timingSafeEqual } from 'node:crypto'; const ok = a.length === b.length && timingSafeEqual(a, b);",
    // A local createHmac is not node:crypto's, and nothing here comes from the request.
    "function makeHmac(a: string) { return { digest: () => a }; } const x = makeHmac('a').digest(); if (x === y) ok();",
    { code: "expect(req.headers['x-signature'] === expected).toBe(true);", filename: 'src/webhooks/verify.test.ts' },
  ],
  invalid: [
    // An API key header against the configured key.
    unsafe({
      code: "const ok = req.headers['x-api-key'] == process.env.API_KEY;",
      a: "req.headers['x-api-key']",
      operator: '==',
      b: 'process.env.API_KEY',
      line: 1,
      column: 12,
    }),
    // A computed HMAC against the signature header, through a const.
    unsafe({
      code: "import crypto from 'node:crypto';\nconst digest = crypto.createHmac('sha256', secret).update(body).digest('hex');\nconst header = req.headers['x-hub-signature-256'];\nif (digest !== header) throw new Error('bad');",
      a: 'digest',
      operator: '!==',
      b: 'header',
      line: 4,
      column: 5,
      callee: 'crypto.timingSafeEqual',
    }),
    // A poor man's MAC: an unkeyed digest over the token and the server secret, against the cookie.
    unsafe({
      code: "import { createHash } from 'node:crypto';\nconst [token, hash] = req.cookies.csrf.split('|');\nconst expected = createHash('sha256').update(`${token}${process.env.CSRF_SECRET}`).digest('hex');\nif (hash !== expected) throw new Error('bad');",
      a: 'hash',
      operator: '!==',
      b: 'expected',
      line: 4,
      column: 5,
      callee: 'timingSafeEqual',
      importText: "import { timingSafeEqual } from 'node:crypto';\n",
    }),
    // A digest helper that mixes in the configured secret is a MAC too.
    unsafe({
      code: "async function sign(body: string) {\n  const data = new TextEncoder().encode(body + Deno.env.get('WEBHOOK_SECRET'));\n  return hex(await crypto.subtle.digest('SHA-256', data));\n}\nexport async function verify(body: string, got: string) {\n  const expected = await sign(body);\n  return got === expected;\n}",
      a: 'got',
      operator: '===',
      b: 'expected',
      line: 7,
      column: 10,
      callee: 'timingSafeEqual',
      importText: "import { timingSafeEqual } from 'node:crypto';\n",
    }),
    // A hand-rolled verifier: the parameter it is handed against the MAC it computes.
    unsafe({
      code: "import { createHmac } from 'crypto';\nexport function check(body: string, got: string) {\n  const computed = createHmac('sha256', key).update(body).digest('hex');\n  return computed === got;\n}",
      a: 'computed',
      operator: '===',
      b: 'got',
      line: 4,
      column: 10,
      name: 'computed',
      source: 'caller (a verifier checks what it is handed)',
      callee: 'timingSafeEqual',
      importText: "import { timingSafeEqual } from 'node:crypto';\n",
    }),
    // Web Crypto in a Deno edge function: hex of crypto.subtle.sign against the signature parameter.
    unsafe({
      code: "async function verifyCallSignature(payload: string, signature: string, token: string) {\n  const key = await crypto.subtle.importKey('raw', enc.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);\n  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(payload));\n  const expectedSignature = Array.from(new Uint8Array(mac)).map((b) => b.toString(16).padStart(2, '0')).join('');\n  return expectedSignature === signature;\n}",
      a: 'expectedSignature',
      operator: '===',
      b: 'signature',
      line: 5,
      column: 10,
      name: 'expectedSignature',
      source: 'caller (a verifier checks what it is handed)',
    }),
    // A prefixed HMAC against the header, in the handler itself.
    unsafe({
      code: "const signature = req.headers.get('x-hub-signature-256');\nconst expected = 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex');\nif (signature !== expected) return new Response('bad', { status: 401 });",
      a: 'signature',
      operator: '!==',
      b: 'expected',
      line: 3,
      column: 5,
      name: 'expected',
    }),
    // A bearer token (header or query fallback) against a configured inbound token.
    unsafe({
      code: "const expected = Deno.env.get('INBOUND_TOKEN')!;\nconst provided = req.headers.get('Authorization')?.replace('Bearer ', '') || new URL(req.url).searchParams.get('token');\nif (provided !== expected) return new Response('no', { status: 403 });",
      a: 'provided',
      operator: '!==',
      b: 'expected',
      line: 3,
      column: 5,
    }),
    // The service-role key from the environment against the bearer token.
    unsafe({
      code: "const SERVICE_ROLE_KEY = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY') ?? '';\nexport function isServiceCall(req: Request) {\n  const header = req.headers.get('Authorization') ?? '';\n  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';\n  return token === SERVICE_ROLE_KEY;\n}",
      a: 'token',
      operator: '===',
      b: 'SERVICE_ROLE_KEY',
      line: 5,
      column: 10,
      name: 'SERVICE_ROLE_KEY',
      callee: 'timingSafeEqual',
      importText: "import { timingSafeEqual } from 'node:crypto';\n",
    }),
    // A body field against a stored invitation token.
    unsafe({
      code: "const { token } = await request.json();\nconst invite = await db.invites.findFirst({ where: { email } });\nif (invite.token !== token) throw new Error('invalid');",
      a: 'invite.token',
      operator: '!==',
      b: 'token',
      line: 3,
      column: 5,
      name: 'token',
    }),
    // A cookie against a session secret (next/headers).
    unsafe({
      code: "const csrf = cookies().get('csrf')?.value;\nif (csrf !== session.csrfToken) throw new Error('csrf');",
      a: 'csrf',
      operator: '!==',
      b: 'session.csrfToken',
      line: 2,
      column: 5,
      name: 'csrfToken',
    }),
    // Hono binding secret against a header.
    unsafe({
      code: "app.post('/hook', (c) => {\n  if (c.req.header('x-webhook-secret') !== c.env.WEBHOOK_SECRET) return c.text('no', 401);\n});",
      a: "c.req.header('x-webhook-secret')",
      operator: '!==',
      b: 'c.env.WEBHOOK_SECRET',
      line: 2,
      column: 7,
    }),
  ],
});
