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
  ],
  invalid: [
    {
      code: "const stripe = new Stripe('sk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h');",
      errors: [{ messageId: 'providerSecret', line: 1, column: 27 }],
    },
    {
      code: "const gh = `token ghp_${'a'}`; const real = `ghp_1234567890abcdefghijABCDEFGHIJ123456`;",
      errors: [{ messageId: 'providerSecret', line: 1, column: 45 }],
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
      code: "const key = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEow...';",
      errors: [{ messageId: 'providerSecret', line: 1, column: 13 }],
    },
  ],
});
