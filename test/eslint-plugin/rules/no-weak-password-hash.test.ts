import rule from '../../../eslint-plugin/rules/no-weak-password-hash.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-weak-password-hash', rule, {
  valid: [
    // Regression (bench, better-auth dist/test-utils): a test helper hashing fixture passwords.
    {
      code: "import { createHash } from 'node:crypto';\nexport const createTestPasswordHash = (password) => createHash('sha256').update(password).digest('hex');",
      filename: 'dist/test-utils/test-instance.mjs',
    },
    // Fast hashes of things that are not passwords are fine.
    "import { createHash } from 'node:crypto'; const etag = createHash('sha1').update(body).digest('hex');",
    "import { createHash } from 'node:crypto'; const tokenHash = createHash('sha256').update(refreshToken).digest('hex');",
    "import crypto from 'crypto'; const key = crypto.createHash('md5').update(fileContents).digest('hex');",
    // Password hashes with a work factor.
    "import bcrypt from 'bcrypt'; const hash = await bcrypt.hash(password, 12);",
    "import { hash } from 'bcryptjs'; const h = await hash(password, 10);",
    "import { scryptSync, randomBytes } from 'node:crypto'; const salt = randomBytes(16); const key = scryptSync(password, salt, 64);",
    "import { pbkdf2Sync } from 'node:crypto'; const key = pbkdf2Sync(password, salt, 600000, 32, 'sha256');",
    "import { pbkdf2Sync } from 'node:crypto'; const key = pbkdf2Sync(password, salt, 210000, 64, 'sha512');",
    // A local createHash / bcrypt look-alike.
    "function createHash(a: string) { return { update: (x: string) => x }; } createHash('md5').update(password);",
    'const bcrypt = { hash: (a: string, b: number) => a + b }; bcrypt.hash(password, 4);',
    // Cost from configuration: cannot be judged here.
    "import bcrypt from 'bcrypt'; await bcrypt.hash(password, config.saltRounds);",
    // passwordPolicy / passwordLength are not passwords.
    "import { createHash } from 'node:crypto'; const v = createHash('sha256').update(passwordPolicyText).digest('hex');",
  ],
  invalid: [
    {
      code: "import { createHash } from 'node:crypto';\nconst stored = createHash('sha256').update(password).digest('hex');",
      errors: [{ messageId: 'fastHash', line: 2, column: 16, data: { name: 'password', algorithm: 'SHA256' } }],
    },
    {
      code: "import crypto from 'crypto';\nconst hashed = crypto.createHash('md5').update(`${salt}${req.body.password}`).digest('hex');",
      errors: [{ messageId: 'fastHash', line: 2, column: 16, data: { name: 'req.body.password', algorithm: 'MD5' } }],
    },
    {
      code: "const crypto = require('crypto');\nconst passwordHash = crypto.createHash('sha1').update(input).digest('hex');",
      errors: [{ messageId: 'fastHash', line: 2, column: 22, data: { name: 'passwordHash', algorithm: 'SHA1' } }],
    },
    {
      code: "import bcrypt from 'bcrypt';\nconst hash = await bcrypt.hash(password, 8);",
      errors: [{ messageId: 'lowBcryptCost', line: 2, column: 42, data: { cost: '8', minimum: '10' } }],
    },
    {
      code: "const bcrypt = require('bcryptjs');\nconst salt = bcrypt.genSaltSync(5);",
      errors: [{ messageId: 'lowBcryptCost', line: 2, column: 33 }],
    },
    {
      code: "import { pbkdf2Sync } from 'node:crypto';\nconst key = pbkdf2Sync(password, salt, 1000, 64, 'sha512');",
      errors: [
        {
          messageId: 'lowPbkdf2Iterations',
          line: 2,
          column: 40,
          data: { iterations: '1000', digest: 'sha512', minimum: '210,000' },
        },
      ],
    },
  ],
});
