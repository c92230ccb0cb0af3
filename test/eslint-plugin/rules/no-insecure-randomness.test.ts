import rule from '../../../eslint-plugin/rules/no-insecure-randomness.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-insecure-randomness', rule, {
  valid: [
    // Animation, jitter, sampling, shuffling UI: not security values.
    'const jitter = Math.random() * 100;',
    'el.style.left = `${Math.random() * 100}%`;',
    'const shuffled = cards.sort(() => Math.random() - 0.5);',
    'if (Math.random() < 0.1) sampleTrace();',
    'const delayMs = 2 ** attempt * 100 + Math.floor(Math.random() * 50);',
    // A React key / DOM id is not a secret.
    'const id = Math.random().toString(36).slice(2);',
    'const key = `item-${Math.random()}`;',
    // LLM token counts and spinners end like secrets but are not.
    'const maxTokens = Math.floor(Math.random() * 100);',
    'const spin = Math.random() * 360;',
    'const statusCode = Math.random() > 0.5 ? 200 : 500;',
    // A delay inside a token generator is not the token.
    'function generateToken() { const delay = Math.random() * 10; return crypto.randomBytes(32).toString("hex"); }',
    // A local Math is not the global one.
    'const Math = { random: () => 4 }; const token = Math.random();',
    'function f(Math: { random(): number }) { const token = Math.random(); return token; }',
    // Secure generators.
    "import { randomBytes } from 'node:crypto'; const token = randomBytes(32).toString('hex');",
    'const sessionId = crypto.randomUUID();',
    // A helper on Math.random used for harmless values.
    'function rand(n: number) { return Math.floor(Math.random() * n); } const color = palette[rand(5)];',
    // pseudoRandomBytes that is not node:crypto.
    'const lib = { pseudoRandomBytes: (n: number) => n }; lib.pseudoRandomBytes(4);',
    // A fallback for runtimes without Web Crypto, beside the cryptographic generator (issue #14).
    "function generateToken() {\n  return typeof crypto !== 'undefined' && 'randomUUID' in crypto\n    ? crypto.randomUUID()\n    : Math.random().toString(36).slice(2) + Date.now().toString(36);\n}",
    'const inviteToken = crypto.randomUUID?.() ?? Math.random().toString(36).slice(2);',
    'function newNonce() { if (globalThis.crypto?.getRandomValues) { return hex(crypto.getRandomValues(new Uint8Array(16))); } else { const nonce = Math.random().toString(16); return nonce; } }',
    // A log session id in a logging service correlates log lines; it authenticates nobody (issue #14).
    'class AuditLogger {\n  private generateSessionId(): string {\n    return `session_${Date.now()}_${Math.random().toString(36).slice(2, 11)}`;\n  }\n}',
    { code: 'export const sessionId = `s_${Math.random().toString(36).slice(2)}`;', filename: 'src/lib/analytics.ts' },
    // Tests may use Math.random freely.
    { code: 'const token = Math.random().toString(36);', filename: 'src/auth/token.test.ts' },
  ],
  invalid: [
    {
      code: 'const resetToken = Math.random().toString(36).slice(2);',
      errors: [{ messageId: 'mathRandom', line: 1, column: 20, data: { name: 'resetToken' } }],
    },
    {
      code: 'const otp = Math.floor(100000 + Math.random() * 900000);',
      errors: [{ messageId: 'mathRandom', line: 1, column: 33 }],
    },
    {
      code: "const token = Array.from({ length: 32 }, () => chars[Math.floor(Math.random() * chars.length)]).join('');",
      errors: [{ messageId: 'mathRandom', line: 1, column: 65 }],
    },
    {
      code: "function generateToken() {\n  let result = '';\n  for (let i = 0; i < 32; i++) result += chars.charAt(Math.floor(Math.random() * chars.length));\n  return result;\n}",
      errors: [{ messageId: 'mathRandom', line: 3, column: 66, data: { name: 'generateToken' } }],
    },
    // A session id outside logging code is a login session.
    {
      code: 'class SessionStore {\n  generateSessionId() { return Math.random().toString(36).slice(2); }\n}',
      errors: [{ messageId: 'mathRandom', line: 2, column: 32, data: { name: 'generateSessionId' } }],
    },
    // A token in a logging service is still a token.
    {
      code: 'class LoggingService {\n  uploadToken = Math.random().toString(36);\n}',
      errors: [{ messageId: 'mathRandom', line: 2, column: 17 }],
    },
    // Invite and registration codes, one-time codes (issue #15).
    {
      code: 'const inviteCode = Math.random().toString(36).substring(2, 8).toUpperCase();',
      errors: [{ messageId: 'mathRandom', line: 1, column: 20, data: { name: 'inviteCode' } }],
    },
    {
      code: 'await db.insert(registrations).values({ email, registrationCode: String(Math.floor(Math.random() * 1e6)) });',
      errors: [{ messageId: 'mathRandom', line: 1, column: 84 }],
    },
    // Math.random beside a check that is not about Web Crypto is no fallback.
    {
      code: 'const resetToken = user.legacy ? Math.random().toString(36) : makeToken();',
      errors: [{ messageId: 'mathRandom', line: 1, column: 34 }],
    },
    {
      code: 'const session = { csrfToken: Math.random().toString(16) };',
      errors: [{ messageId: 'mathRandom', line: 1, column: 30 }],
    },
    {
      code: 'function randomString(n: number) { return Math.random().toString(36).slice(2, 2 + n); }\nconst apiKey = randomString(24);',
      errors: [{ messageId: 'randomHelper', line: 2, column: 16, data: { name: 'apiKey', helper: 'randomString' } }],
    },
    {
      code: "import crypto from 'node:crypto';\nconst salt = crypto.pseudoRandomBytes(16);",
      errors: [
        {
          messageId: 'pseudoRandomBytes',
          line: 2,
          column: 21,
          suggestions: [
            {
              messageId: 'useRandomBytes',
              output: "import crypto from 'node:crypto';\nconst salt = crypto.randomBytes(16);",
            },
          ],
        },
      ],
    },
  ],
});
