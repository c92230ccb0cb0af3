import rule from '../../../eslint-plugin/rules/require-jwt-expiry.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('require-jwt-expiry', rule, {
  valid: [
    "import jwt from 'jsonwebtoken'; jwt.sign({ sub: user.id }, key, { expiresIn: '15m' });",
    "import jwt from 'jsonwebtoken'; jwt.sign({ sub: user.id }, key, { expiresIn: 3600 });",
    "import jwt from 'jsonwebtoken'; jwt.sign({ sub: user.id }, key, { expiresIn: '3600000' });",
    "import jwt from 'jsonwebtoken'; jwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 15 * 60 }, key);",
    // A JWT that is the session cookie lives as long as a session: a day is fine (issue #14).
    "import { SignJWT } from 'jose';\ntype SessionData = { user: { id: number }; expires: string };\nexport async function signToken(payload: SessionData) {\n  return await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1 day from now').sign(key);\n}",
    {
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (user) => jwt.sign({ sub: user.id }, secret, { expiresIn: '3d' });",
      filename: 'src/lib/auth/session.ts',
    },
    // Refresh and invitation tokens live longer by design; they still expire.
    "import jwt from 'jsonwebtoken'; const refreshToken = jwt.sign({ sub }, process.env.REFRESH_SECRET!, { expiresIn: '30d' });",
    "import jwt from 'jsonwebtoken'; function createInviteToken(email: string) { return jwt.sign({ email }, key, { expiresIn: '7d' }); }",
    "import { sign } from 'jsonwebtoken'; sign({ sub, type: 'refresh' }, key, { expiresIn: '14d' });",
    // Options or payloads built elsewhere cannot be judged.
    "import jwt from 'jsonwebtoken'; jwt.sign({ sub }, key, signOptions());",
    "import jwt from 'jsonwebtoken'; jwt.sign({ ...claims }, key);",
    "import jwt from 'jsonwebtoken'; const claims = build(); claims.exp = now + 60; jwt.sign(claims, key);",
    // String payloads cannot carry an exp (jsonwebtoken rejects expiresIn for them).
    "import jwt from 'jsonwebtoken'; jwt.sign('plain', key);",
    // A local function named sign, and other libraries' sign methods.
    'function sign(payload: object, key: string) { return payload; } sign({ a: 1 }, key);',
    "import { createSign } from 'node:crypto'; const s = createSign('SHA256'); s.update(data); s.sign(privateKey);",
    "import cookie from 'cookie-signature'; cookie.sign(value, secret);",
    "import { SignJWT } from 'jose'; await new SignJWT({ sub }).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('15m').sign(key);",
    "import { SignJWT } from 'jose'; const b = new SignJWT({ sub }); b.setExpirationTime('10m'); await b.sign(key);",
    "import * as jose from 'jose'; await new jose.SignJWT({ sub }).setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(key);",
    "import { SignJWT } from 'jose'; const refresh = await new SignJWT({ sub }).setExpirationTime('30d').sign(key);",
    "import { jwtVerify } from 'jose'; await jwtVerify(token, key, { clockTolerance: '30s' });",
    "import jwt from 'jsonwebtoken'; jwt.verify(token, key, { algorithms: ['HS256'], clockTolerance: 5, ignoreExpiration: false });",
    {
      code: "import jwt from 'jsonwebtoken'; jwt.sign({ sub }, key, { expiresIn: '8h' });",
      options: [{ maxAccessTokenLifetime: '12h' }],
    },
  ],
  invalid: [
    // A bearer token sent to the client outlives the access-token maximum.
    {
      code: "import * as jwt from 'jsonwebtoken';\nconst generateToken = (id: number) => jwt.sign({ user: { id } }, process.env.JWT_SECRET, { expiresIn: '60d' });",
      errors: [{ messageId: 'lifetimeTooLong', data: { lifetime: '60d', max: '1h' }, line: 2, column: 103 }],
    },
    // A session token still has a maximum.
    {
      code: "import { SignJWT } from 'jose';\nexport async function createSessionToken(payload) {\n  return new SignJWT(payload).setExpirationTime('90d').sign(key);\n}",
      errors: [{ messageId: 'sessionTooLong', data: { lifetime: '90d', max: '7d' }, line: 3, column: 49 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\nconst token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET!);",
      errors: [
        {
          messageId: 'missingExpiry',
          line: 2,
          column: 15,
          suggestions: [
            {
              messageId: 'addExpiry',
              output:
                "import jwt from 'jsonwebtoken';\nconst token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { expiresIn: '15m' });",
            },
          ],
        },
      ],
    },
    {
      code: "const jwt = require('jsonwebtoken');\njwt.sign({ sub }, key, { algorithm: 'HS256' });",
      errors: [
        {
          messageId: 'missingExpiry',
          line: 2,
          column: 1,
          suggestions: [
            {
              messageId: 'addExpiry',
              output:
                "const jwt = require('jsonwebtoken');\njwt.sign({ sub }, key, { algorithm: 'HS256', expiresIn: '15m' });",
            },
          ],
        },
      ],
    },
    {
      code: "import jwt from 'jsonwebtoken';\nfunction login(user) { return jwt.sign(user, secret); }",
      errors: [
        {
          messageId: 'missingExpiry',
          line: 2,
          column: 31,
          suggestions: [
            {
              messageId: 'addExpiry',
              output:
                "import jwt from 'jsonwebtoken';\nfunction login(user) { return jwt.sign(user, secret, { expiresIn: '15m' }); }",
            },
          ],
        },
      ],
    },
    {
      code: "import jwt from 'jsonwebtoken';\nconst accessToken = jwt.sign({ sub }, key, { expiresIn: '30d' });",
      errors: [{ messageId: 'lifetimeTooLong', data: { lifetime: '30d', max: '1h' }, line: 2, column: 57 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\njwt.sign({ sub }, key, { expiresIn: 60 * 60 * 24 });",
      errors: [{ messageId: 'lifetimeTooLong', line: 2, column: 37 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\njwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 7 * 24 * 3600 }, key);",
      errors: [{ messageId: 'lifetimeTooLong', line: 2, column: 22 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\njwt.sign({ sub }, key, { expiresIn: '2h' });",
      options: [{ maxAccessTokenLifetime: 1800 }],
      errors: [{ messageId: 'lifetimeTooLong', data: { lifetime: '2h', max: '30m' }, line: 2, column: 37 }],
    },
    {
      code: "import jwt from 'jsonwebtoken';\njwt.verify(token, key, { algorithms: ['HS256'], ignoreExpiration: true });",
      errors: [{ messageId: 'ignoreExpiration', line: 2, column: 49 }],
    },
    {
      code: "import { jwtVerify } from 'jose';\nawait jwtVerify(token, key, { clockTolerance: '1 day' });",
      errors: [{ messageId: 'excessiveClockTolerance', line: 2, column: 47 }],
    },
    {
      code: "import { SignJWT } from 'jose';\nconst jwt = await new SignJWT({ sub }).setProtectedHeader({ alg: 'ES256' }).sign(key);",
      errors: [
        {
          messageId: 'missingExpiry',
          line: 2,
          column: 77,
          suggestions: [
            {
              messageId: 'addExpiry',
              output:
                "import { SignJWT } from 'jose';\nconst jwt = await new SignJWT({ sub }).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('15m').sign(key);",
            },
          ],
        },
      ],
    },
    {
      code: "import * as jose from 'jose';\nawait new jose.SignJWT({ sub }).setExpirationTime('7d').sign(key);",
      errors: [{ messageId: 'lifetimeTooLong', line: 2, column: 51 }],
    },
  ],
});
