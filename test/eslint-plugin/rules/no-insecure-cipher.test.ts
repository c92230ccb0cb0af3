import rule from '../../../eslint-plugin/rules/no-insecure-cipher.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-insecure-cipher', rule, {
  valid: [
    "import { createCipheriv, randomBytes } from 'node:crypto'; const iv = randomBytes(12); const c = createCipheriv('aes-256-gcm', key, iv);",
    "import crypto from 'crypto'; const c = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(ivHex, 'hex'));",
    "import crypto from 'node:crypto'; const c = crypto.createCipheriv('chacha20-poly1305', key, crypto.randomBytes(12), { authTagLength: 16 });",
    // CBC with an HMAC in the same file (encrypt-then-MAC).
    "import { createCipheriv, createHmac, randomBytes } from 'node:crypto'; const iv = randomBytes(16); const c = createCipheriv('aes-256-cbc', encKey, iv); const mac = createHmac('sha256', macKey);",
    // Algorithm from configuration: cannot be judged here.
    "import { createCipheriv, randomBytes } from 'node:crypto'; createCipheriv(config.algorithm, key, randomBytes(16));",
    // Not node:crypto.
    "const crypto = { createCipher: (a: string) => a }; crypto.createCipher('des');",
    "import { createCipheriv } from 'some-wasm-crypto'; createCipheriv('aes-128-ecb', key, null);",
    // Decryption with a stored IV.
    "import { createDecipheriv } from 'node:crypto'; const d = createDecipheriv('aes-256-gcm', key, record.iv);",
  ],
  invalid: [
    {
      code: "import crypto from 'crypto';\nconst c = crypto.createCipher('aes-256-cbc', password);",
      errors: [{ messageId: 'deprecatedCipher', line: 2, column: 11, data: { name: 'createCipher' } }],
    },
    {
      code: "import { createCipheriv } from 'node:crypto';\nconst c = createCipheriv('aes-128-ecb', key, null);",
      errors: [{ messageId: 'ecbMode', line: 2, column: 26, data: { algorithm: 'aes-128-ecb' } }],
    },
    {
      code: "const { createCipheriv } = require('crypto');\nconst c = createCipheriv('des-ede3-cbc', key, iv);",
      errors: [{ messageId: 'brokenAlgorithm', line: 2, column: 26 }],
    },
    {
      code: "import { createCipheriv } from 'node:crypto';\nconst c = createCipheriv('aes-256-gcm', key, Buffer.alloc(12));",
      errors: [{ messageId: 'staticIv', line: 2, column: 46 }],
    },
    {
      code: "import { createCipheriv } from 'node:crypto';\nconst c = createCipheriv('aes-256-gcm', key, '0123456789ab');",
      errors: [{ messageId: 'staticIv', line: 2, column: 46 }],
    },
    {
      code: "import { createCipheriv, randomBytes } from 'node:crypto';\nconst c = createCipheriv('aes-256-cbc', key, randomBytes(16));",
      errors: [{ messageId: 'cbcWithoutMac', line: 2, column: 26, data: { algorithm: 'aes-256-cbc' } }],
    },
  ],
});
