import rule from '../../../eslint-plugin/rules/require-timing-safe-compare.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('require-timing-safe-compare', rule, {
  valid: [
    // Regression (bench, oauth4webapi/@better-auth/core): an ID token's nonce against the expected one.
    "if (claims.nonce !== expectedNonce) throw new Error('unexpected ID Token nonce');",
    'if (claimNonce === nonce) return true;',
    // Presence and shape checks are not secret comparisons.
    'if (signature === undefined) throw new Error("missing");',
    "if (token === '') return;",
    'if (token == null) return;',
    "if (typeof token === 'string') use(token);",
    'if (signature.length === 64) ok();',
    "if (tokenType === 'Bearer') ok();",
    'if (session.token.type === other.type) ok();',
    'if (user.id === session.userId) ok();',
    "if (req.headers['content-type'] === expectedType) ok();",
    'if (maxTokens === usage.totalTokens) stop();',
    "if (signatureAlgorithm === 'RS256') ok();",
    'if (!token === !other) ok();',
    // Already constant time.
    "import { timingSafeEqual } from 'node:crypto'; const ok = a.length === b.length && timingSafeEqual(a, b);",
    // A local createHmac is not node:crypto's.
    "function createHmac(a: string) { return { digest: () => a }; } const x = createHmac('a').digest(); if (x === y) ok();",
    { code: 'expect(signature === expected).toBe(true);', filename: 'src/webhooks/verify.test.ts' },
  ],
  invalid: [
    {
      code: "import { timingSafeEqual } from 'node:crypto';\nif (signature === expected) ok();",
      errors: [
        {
          messageId: 'timingUnsafe',
          line: 2,
          column: 5,
          data: { name: 'signature', operator: '===' },
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output:
                "import { timingSafeEqual } from 'node:crypto';\nif ((Buffer.byteLength(signature) === Buffer.byteLength(expected) && timingSafeEqual(Buffer.from(signature), Buffer.from(expected)))) ok();",
            },
          ],
        },
      ],
    },
    {
      code: "import crypto from 'node:crypto';\nconst digest = crypto.createHmac('sha256', secret).update(body).digest('hex');\nif (digest !== header) throw new Error('bad');",
      errors: [
        {
          messageId: 'timingUnsafe',
          line: 3,
          column: 5,
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output:
                "import crypto from 'node:crypto';\nconst digest = crypto.createHmac('sha256', secret).update(body).digest('hex');\nif (!(Buffer.byteLength(digest) === Buffer.byteLength(header) && crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(header)))) throw new Error('bad');",
            },
          ],
        },
      ],
    },
    {
      code: "import { createHmac } from 'crypto';\nexport function check(body: string, got: string) {\n  const computed = createHmac('sha256', key).update(body).digest('hex');\n  return computed === got;\n}",
      errors: [
        {
          messageId: 'timingUnsafe',
          line: 4,
          column: 10,
          data: { name: 'computed', operator: '===' },
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output:
                "import { timingSafeEqual } from 'node:crypto';\nimport { createHmac } from 'crypto';\nexport function check(body: string, got: string) {\n  const computed = createHmac('sha256', key).update(body).digest('hex');\n  return (Buffer.byteLength(computed) === Buffer.byteLength(got) && timingSafeEqual(Buffer.from(computed), Buffer.from(got)));\n}",
            },
          ],
        },
      ],
    },
    {
      code: "const ok = req.headers['x-api-key'] == process.env.API_KEY;",
      errors: [
        {
          messageId: 'timingUnsafe',
          line: 1,
          column: 12,
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output:
                "const ok = (Buffer.byteLength(req.headers['x-api-key']) === Buffer.byteLength(process.env.API_KEY) && require('node:crypto').timingSafeEqual(Buffer.from(req.headers['x-api-key']), Buffer.from(process.env.API_KEY)));",
            },
          ],
        },
      ],
    },
    {
      code: 'if (user.passwordHash === hashed) login();',
      errors: [
        {
          messageId: 'timingUnsafe',
          line: 1,
          column: 5,
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output:
                "if ((Buffer.byteLength(user.passwordHash) === Buffer.byteLength(hashed) && require('node:crypto').timingSafeEqual(Buffer.from(user.passwordHash), Buffer.from(hashed)))) login();",
            },
          ],
        },
      ],
    },
  ],
});
