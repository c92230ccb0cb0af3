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
