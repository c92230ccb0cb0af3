import rule from '../../../eslint-plugin/rules/no-hardcoded-secrets.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-hardcoded-secrets', rule, {
  valid: [
    'const key = process.env.STRIPE_SECRET_KEY;',
    "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');",
    "const publishable = 'pk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h';",
    "const docs = 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx';",
    "const aws = 'AKIAIOSFODNN7EXAMPLE';",
    "const labels = { password: 'Enter your password', apiKeyLabel: 'API key' };",
    "const form = { password: '' };",
    "const envName = { apiKey: 'OPENAI_API_KEY' };",
    "const id = { token: '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e' };",
    "const cfg = { secret: 'changeme' };",
    "const cfg = { clientSecret: '<your-client-secret>' };",
    "const cfg = { apiKey: '${API_KEY}' };",
    "const path = { privateKey: './keys/private.pem' };",
    "const url = 'postgres://postgres:postgres@localhost:5432/app';",
    "const url = 'postgres://user:${PASSWORD}@db.example.com/app';",
    "const tokenType = 'Bearer';",
    "const passwordField = 'user_password_hash';",
    {
      code: "const fixture = { password: 'Tr0ub4dor&3' };",
      filename: 'src/__tests__/login.test.ts',
    },
    "const secret = process.env.JWT_SECRET || '';",
    "const secret = process.env.JWT_SECRET ?? 'changeme';",
    // Sinks fed from the environment or a secret manager.
    "import jwt from 'jsonwebtoken'; jwt.sign(payload, process.env.JWT_SECRET!, { expiresIn: '15m' });",
    "import jwt from 'jsonwebtoken'; const key = await secrets.get('jwt'); jwt.verify(token, key);",
    "import { SignJWT } from 'jose'; const key = new TextEncoder().encode(process.env.AUTH_SECRET); await new SignJWT(c).sign(key);",
    "import { createHmac } from 'node:crypto'; createHmac('sha256', process.env.WEBHOOK_SECRET!).update(body);",
    // A public key or certificate is not a secret.
    "import jwt from 'jsonwebtoken'; jwt.verify(token, '-----BEGIN PUBLIC KEY-----\\nMIIBIjANBg...');",
    // Placeholders at a sink.
    "import jwt from 'jsonwebtoken'; jwt.sign(payload, '<your-jwt-secret>');",
    // A hash used as data, not as a key: createHash takes no key.
    "import { createHash } from 'node:crypto'; createHash('sha256').update('salt-and-pepper-2f9a');",
    // A local sign() that is not jsonwebtoken.
    "function sign(a: object, b: string) { return b; } sign({}, 'not-a-key-1234');",
    "const session = (o: object) => o; session({ secret: 'keyboard cat' });",
    // Supabase anon keys and publishable keys are meant for the browser.
    "import { createClient } from '@supabase/supabase-js'; createClient(url, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.c2lnbmF0dXJlLWFub24ta2V5');",
    "import { createClient } from '@supabase/supabase-js'; createClient(url, 'sb_publishable_7Gx2KdP9sLmQ4vRtYwZ1');",
    // Test fixtures of obviously fake values, and any sink literal in a test file.
    {
      code: "import jwt from 'jsonwebtoken'; const token = jwt.sign({ sub: '1' }, 'test-secret');",
      filename: 'src/auth/jwt.test.ts',
    },
    // Things that are not secrets though named like them: git SHAs, hashes, i18n, CSS, import paths.
    "const config = { commitToken: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' };",
    "const secretHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';",
    "const de = { password: 'Passwort', token: 'Zugangsschlüssel' };",
    "const theme = { token: 'var(--accent-token)', secret: 'rgba(0, 0, 0, 0.5)' };",
    // Pieces that only form a key-like prefix with something dynamic are not a key.
    "const prefix = 'sk_live_' + suffix;",
    "const paths = { privateKey: '@/lib/keys/private' };",
    "const apiKey = { label: 'API key', value: 'OPENAI_API_KEY' };",
    "import Stripe from 'stripe'; const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');",
    // Real-code regressions (bench/real-code.md): jose checks for a PEM header; next-auth lists header pairs;
    // hono names a context key; better-auth ships test utilities.
    'if (typeof pkcs8 != "string" || pkcs8.indexOf("-----BEGIN PRIVATE KEY-----") !== 0) throw new TypeError();',
    'const headers = [{ key: "Content-Type", value: "application/json" }, { key: "Cache-Control", value: "no-store" }];',
    'const key = "secureHeadersNonce";',
    // better-auth keeps its old default secret only to refuse it in production.
    "const DEFAULT_SECRET = 'better-auth-secret-12345678901234567890';\nif (secret === DEFAULT_SECRET && isProduction) throw new Error('default secret');",
    {
      code: 'const options = { secret: "better-auth-secret-that-is-long-enough-for-validation-test", password: "test123456" };',
      filename: 'packages/auth/src/test-utils/test-instance.ts',
    },
    // Issue #14, shapes seen in real apps: UI option lists, storage keys, slugs and rate-limit keys
    // under a bare `key`/`token` name, i18n text, and placeholders.
    "const CATEGORIES = [{ key: 'file_name', label: 'Fájlnév' }, { key: 'app_failure', label: 'Systemfeil' }];",
    'const STEPS = [{ key: "pending_payment", icon: CreditCard }, { key: "pickup_confirmed", icon: Package }];',
    "const FIELDS = [{ key: '{{first_name}}', token: 'first_name', label: 'Fornavn' }];",
    "const AUTH_TOKEN = 'app_authToken';",
    "const KEY = 'recruitment-automation-rules';",
    'await rateLimitByIp({ key: "change-password", limit: 2, window: 30000 });',
    'const sort = { key: "created_at", direction: "desc" };',
    "const ja = { password: 'パスワード', token: 'トークン', secret: '秘密の質問' };",
    "const cfg = { apiKey: 'not-used', secret: 'your-key-here', token: 'xxx' };",
    "const input = { placeholder: 'xoxb-your-token-here' };",
    "const ci = { STRIPE_WEBHOOK_SECRET: 'whsec_ci' };",
    "const body = { password: form.password || '', token: session?.token ?? 'anonymous' };",
    // Seed scripts, stories and mocks hold sample users and tokens; their env fallbacks are dev data.
    {
      code: 'const project = { secret: process.env.SEED_SECRET_KEY ?? "sk-lf-demo-seed-7f3a" };',
      filename: 'packages/shared/scripts/seeder/seed-postgres.ts',
    },
    {
      code: "const password = 'admin123';",
      filename: 'lib/db/seed.ts',
    },
    {
      code: "export const mockIssue = { refreshToken: 'sat_refresh_token_9f2k' };",
      filename: 'apps/web/.storybook/mocks/account-fixtures.ts',
    },
    {
      code: "const env = { ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD ?? 'SuperSecret123!' };",
      filename: 'apps/web/tests/harness/env.ts',
    },
    {
      code: "const creds = { private_key: '-----BEGIN PRIVATE KEY-----\\ntest\\n-----END PRIVATE KEY-----' };",
      filename: 'web/src/__tests__/server/llm.servertest.ts',
    },
  ],
  invalid: [
    {
      // Issue #15: a default password for accounts created from the browser ships in the bundle.
      code: "await supabase.functions.invoke('admin-create-user', { body: { email, password: user.display_password || 'Wq7!!Lm3pz' } });",
      errors: [{ messageId: 'namedSecret', line: 1, column: 106 }],
    },
    {
      // Issue #14: a real inbound-webhook token pasted into a component.
      code: "const authToken = 'asdaasdpjojasodjojeasd912812974';",
      errors: [{ messageId: 'namedSecret', line: 1, column: 19 }],
    },
    {
      // A bare `key` still reports a machine-made value.
      code: "const client = { key: 'Zr9vXq2LmP0sT7yWk3Qa' };",
      errors: [{ messageId: 'namedSecret', line: 1, column: 23 }],
    },
    {
      // Provider-shaped keys are reported in fixtures too: a live key works wherever it is written.
      code: "const stripe = new Stripe('sk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h');",
      filename: 'lib/db/seed.ts',
      errors: [{ messageId: 'providerSecret', line: 1, column: 27 }],
    },
    {
      code: "const stripe = new Stripe('sk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h');",
      errors: [{ messageId: 'providerSecret', line: 1, column: 27 }],
    },
    {
      code: "const gh = `token ghp_${'a'}`; const real = `ghp_1234567890abcdefghijABCDEFGHIJ123456`;",
      errors: [{ messageId: 'providerSecret', line: 1, column: 45 }],
    },
    {
      // A default secret is reported where it becomes the fallback.
      code: "const DEFAULT_SECRET = 'better-auth-secret-12345678901234567890';\nconst secret = process.env.AUTH_SECRET || DEFAULT_SECRET;",
      errors: [{ messageId: 'literalFallback', line: 2, column: 43 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\nconst DEFAULT_JWT_SECRET = 'dev-jwt-secret-4f1c';\njwt.sign(payload, DEFAULT_JWT_SECRET);",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 28 }],
    },
    {
      // A key split into pieces is still the key.
      code: "const key = 'sk_live_51Hx7TnKp' + '3QvRz8YbWc2mN4aL9dE6fG0h';",
      errors: [{ messageId: 'providerSecret', line: 1, column: 13 }],
    },
    {
      code: "const config = { jwtSecret: 'q8Yt#2vLp9!sWmZ4' };",
      errors: [{ messageId: 'namedSecret', line: 1, column: 29 }],
    },
    {
      code: "const secret = process.env.JWT_SECRET || 'dev-secret-2f9a';",
      errors: [{ messageId: 'literalFallback', line: 1, column: 42 }],
    },
    {
      code: "const url = 'postgres://app:S3cr3tPassw0rd@db.internal.acme.net:5432/app';",
      errors: [{ messageId: 'providerSecret', line: 1, column: 13 }],
    },
    {
      code: "const key = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB...';",
      errors: [{ messageId: 'providerSecret', line: 1, column: 13 }],
    },
    {
      // 'secret' is a placeholder for a name, but a signer given it is a forgeable token service.
      code: "import jwt from 'jsonwebtoken';\nconst token = jwt.sign({ sub: user.id }, 'secret');",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 42 }],
    },
    {
      code: "const { verify } = require('jsonwebtoken');\nconst KEY = 'shhhhh';\nverify(token, KEY);",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 13 }],
    },
    {
      code: "import { jwtVerify } from 'jose';\nconst secret = new TextEncoder().encode('my jwt signing secret');\nawait jwtVerify(token, secret);",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 41 }],
    },
    {
      code: "import * as jose from 'jose';\nawait new jose.SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('hunter2hunter2'));",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 124 }],
    },
    {
      code: "import { importJWK } from 'jose';\nconst key = await importJWK({ kty: 'oct', k: 'GawgguFyGrWKav7AX4VKUg' });",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 46 }],
    },
    {
      code: "import { createSecretKey } from 'node:crypto';\nconst key = createSecretKey(Buffer.from('super-signing-key'));",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 41 }],
    },
    {
      code: "import crypto from 'crypto';\nconst sig = crypto.createHmac('sha256', 'whk-1234').update(body).digest('hex');",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 41 }],
    },
    {
      code: "import session from 'express-session';\napp.use(session({ secret: 'keyboard cat', resave: false }));",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 27 }],
    },
    {
      code: "import cookieParser from 'cookie-parser';\napp.use(cookieParser(['s3cret-one', 's3cret-two']));",
      errors: [
        { messageId: 'sinkSecret', line: 2, column: 23 },
        { messageId: 'sinkSecret', line: 2, column: 37 },
      ],
    },
    {
      code: "import cookieSession from 'cookie-session';\napp.use(cookieSession({ name: 'session', keys: ['key1'] }));",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 49 }],
    },
    {
      code: "import Stripe from 'stripe';\nconst stripe = new Stripe('sk_test_4eC39HqLyjWDarjtT1zdp7dc');",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 27 }],
    },
    {
      code: "import OpenAI from 'openai';\nconst openai = new OpenAI({ apiKey: 'sk-abc123def456' });",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 37 }],
    },
    {
      code: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ apiKey: 'my-anthropic-key-1' });",
      errors: [{ messageId: 'sinkSecret', line: 2, column: 40 }],
    },
    {
      code: "import { createClient } from '@supabase/supabase-js';\nconst admin = createClient(url, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UifQ.c2lnbmF0dXJlLXNlcnZpY2Utcm9sZQ');",
      errors: [{ messageId: 'providerSecret', line: 2, column: 33 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\njwt.sign(payload, process.env.JWT_SECRET || 'secret');",
      errors: [{ messageId: 'literalFallback', line: 2, column: 45 }],
    },
  ],
});
