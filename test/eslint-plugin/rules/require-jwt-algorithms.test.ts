import rule from '../../../eslint-plugin/rules/require-jwt-algorithms.js';
import { runRuleTests } from '../rule-tester.js';

/**
 * A verify call without an algorithm list at line 2, column 1, and the two suggested fixes: `output`
 * with `[ALG]` standing for the pinned list (`['RS256']`, then `['HS256']`).
 */
function missingWithSuggestions(code: string, output: string) {
  return {
    code,
    errors: [
      {
        messageId: 'missingAlgorithms' as const,
        line: 2,
        column: 1,
        suggestions: ['RS256', 'HS256'].map((alg) => ({
          messageId: 'addAlgorithms' as const,
          data: { alg },
          output: output.replace('[ALG]', `['${alg}']`),
        })),
      },
    ],
  };
}

runRuleTests('require-jwt-algorithms', rule, {
  valid: [
    "import jwt from 'jsonwebtoken'; jwt.verify(token, publicKey, { algorithms: ['RS256'] });",
    "import * as jwt from 'jsonwebtoken'; jwt.verify(token, secret, { algorithms: ['HS256'], audience: 'api' });",
    "import { verify } from 'jsonwebtoken'; verify(token, secret, { algorithms: ['HS256'] }, (err, payload) => {});",
    "const jwt = require('jsonwebtoken'); const opts = { algorithms: ['ES256'] }; jwt.verify(token, key, opts);",
    // A local function that happens to be called verify is not jsonwebtoken's.
    'function verify(token: string, key: string) { return token === key; } verify(token, key);',
    "import { verify } from './crypto'; verify(token, key);",
    // Other libraries' verify methods.
    "import { Webhook } from 'svix'; new Webhook(secret).verify(payload, headers);",
    "import bcrypt from 'bcrypt'; await bcrypt.compare(password, hash); const x = { verify(a, b) {} }; x.verify(a, b);",
    // Options built elsewhere (spread or opaque) cannot be judged.
    "import jwt from 'jsonwebtoken'; jwt.verify(token, key, { ...baseOptions });",
    "import jwt from 'jsonwebtoken'; jwt.verify(token, key, getVerifyOptions());",
    // A shared HMAC secret: jsonwebtoken allows only HS* for it, so the header cannot switch families (issue #14).
    "const jwt = require('jsonwebtoken');\nconst payload = jwt.verify(token, config.jwt.secret);",
    "import jwt from 'jsonwebtoken';\njwt.verify(token, process.env.JWT_SECRET!);",
    // jose picks allowed algorithms from the key type; `none` is what matters there.
    "import { jwtVerify } from 'jose'; await jwtVerify(token, key);",
    "import { jwtVerify } from 'jose'; await jwtVerify(token, key, { algorithms: ['EdDSA'] });",
    "import { SignJWT } from 'jose'; await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);",
    "import jwt from 'jsonwebtoken'; jwt.sign(payload, key, { algorithm: 'RS256', expiresIn: '15m' });",
    // A builder of another library with a `none` alg is not ours to judge.
    "builder.setProtectedHeader({ alg: 'none' });",
  ],
  invalid: [
    missingWithSuggestions(
      "import jwt from 'jsonwebtoken';\njwt.verify(token, process.env.JWT_PUBLIC_KEY!);",
      "import jwt from 'jsonwebtoken';\njwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: [ALG] });",
    ),
    missingWithSuggestions(
      "const { verify: check } = require('jsonwebtoken');\ncheck(token, key, { audience: 'api' });",
      "const { verify: check } = require('jsonwebtoken');\ncheck(token, key, { audience: 'api', algorithms: [ALG] });",
    ),
    missingWithSuggestions(
      "import * as jwt from 'jsonwebtoken';\njwt.verify(token, getKey, (err, decoded) => done(err, decoded));",
      "import * as jwt from 'jsonwebtoken';\njwt.verify(token, getKey, { algorithms: [ALG] }, (err, decoded) => done(err, decoded));",
    ),
    // A secret that is a certificate or public key by name is no HMAC secret.
    missingWithSuggestions(
      "import jwt from 'jsonwebtoken';\njwt.verify(token, secrets.publicKey);",
      "import jwt from 'jsonwebtoken';\njwt.verify(token, secrets.publicKey, { algorithms: [ALG] });",
    ),
    {
      code: "import jwt from 'jsonwebtoken';\njwt.verify(token, key, { algorithms: ['HS256', 'none'] });",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 48 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\nconst token = jwt.sign(payload, '', { algorithm: 'none' });",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 50 }],
    },
    {
      code: "import { jwtVerify } from 'jose';\nawait jwtVerify(token, key, { algorithms: ['None'] });",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 44 }],
    },
    {
      code: "import * as jose from 'jose';\nconst t = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'none' }).sign(key);",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 68 }],
    },
  ],
});
