import rule from '../../../eslint-plugin/rules/no-jwt-decode-for-auth.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-jwt-decode-for-auth', rule, {
  valid: [
    // Decoding only to pick the key by `kid`, then verifying.
    `import jwt from 'jsonwebtoken';
     async function authenticate(token: string) {
       const decoded = jwt.decode(token, { complete: true });
       const key = await jwks.getSigningKey(decoded?.header.kid);
       return jwt.verify(token, key.getPublicKey(), { algorithms: ['RS256'] });
     }`,
    // Decoding for logging only.
    `import { decodeJwt } from 'jose';
     export function logToken(token: string) { const claims = decodeJwt(token); logger.info({ kid: claims.jti, exp: claims.exp }); }`,
    // Verified with jose in the same handler; the decode picks the issuer.
    `import { decodeJwt, jwtVerify } from 'jose';
     export async function auth(token: string) {
       const { iss } = decodeJwt(token);
       const { payload } = await jwtVerify(token, keys[iss], { algorithms: ['ES256'] });
       if (payload.role === 'admin') return true;
     }`,
    // A project helper that verifies counts too.
    `import jwt from 'jsonwebtoken';
     export function handler(token: string) { const c = jwt.decode(token); verifyToken(token); if (c.role === 'admin') grant(); }`,
    // A local decode function is not jsonwebtoken's.
    "function decode(t: string) { return JSON.parse(atob(t)); } const c = decode(token); if (c.role === 'admin') grant();",
    "import { decode } from './base64'; const c = decode(token); if (c.role === 'admin') grant();",
    // Browser code: the claim only drives UI; the API decides.
    `'use client';
     import { jwtDecode } from 'jwt-decode';
     export function Nav({ token }) { const claims = jwtDecode(token); return claims.role === 'admin' ? 'Admin' : null; }`,
    `import { useState } from 'react';
     import { jwtDecode } from 'jwt-decode';
     export function useIsAdmin(token) { return jwtDecode(token).role === 'admin'; }`,
    // Expiry checks for refreshing are not access decisions.
    "import { decodeJwt } from 'jose'; export function needsRefresh(t: string) { const { exp } = decodeJwt(t); return exp! * 1000 < Date.now(); }",
    "import jwt from 'jsonwebtoken'; const claims = jwt.decode(token); console.log(claims?.sub);",
    "import jwt from 'jsonwebtoken'; export function show(token) { const d = jwt.decode(token); return d.name; }",
    // Regression (bench, @better-auth/core microsoft-entra-id): an ID token from the token endpoint
    // over TLS needs no signature check (OIDC Core §3.1.3.7).
    `import { decodeJwt } from 'jose';
     export async function getUserInfo(token) {
       const user = decodeJwt(token.idToken);
       const emailVerified = user.email && user.verified_primary_email?.includes(user.email) ? true : false;
       return { id: user.oid, emailVerified };
     }`,
    // An unverified claim kept for display only is not an identity.
    `import jwt from 'jsonwebtoken';
     export function banner(req, res) {
       const claims = jwt.decode(req.cookies.hint);
       res.locals.displayName = claims?.name;
     }`,
  ],
  invalid: [
    // Regression (bench/cases/jwt): a claim of the unverified payload becomes the request's user id.
    {
      code: `import jwt from 'jsonwebtoken';
export function legacyAuth(req, res, next) {
  const claims = jwt.decode(req.headers.authorization.slice(7));
  res.locals.userId = claims.sub;
  next();
}`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 18 }],
    },
    {
      code: `import { jwtDecode } from 'jwt-decode';
app.post('/auth/google', async (req, res) => {
  const { email } = jwtDecode(req.body.id_token);
  if (email === admin) res.locals.admin = true;
});`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 21 }],
    },
    {
      code: `import jwt from 'jsonwebtoken';
export function requireAdmin(req, res, next) {
  const payload = jwt.decode(req.headers.authorization.slice(7));
  if (payload.role !== 'admin') return res.sendStatus(403);
  next();
}`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 19 }],
    },
    {
      code: `import { decodeJwt } from 'jose';
export async function middleware(req) {
  req.user = decodeJwt(req.cookies.session);
}`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 14 }],
    },
    {
      code: `const jwt = require('jsonwebtoken');
function verifyToken(token) {
  return jwt.decode(token);
}`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 10 }],
    },
    {
      code: `import { jwtDecode } from 'jwt-decode';
export function GET(request: Request) {
  const { permissions } = jwtDecode(request.headers.get('authorization')!);
  if (!permissions.includes('billing:read')) return new Response(null, { status: 403 });
}`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 27 }],
    },
    {
      code: `import * as jose from 'jose';
app.use((c, next) => {
  const claims = jose.decodeJwt(c.req.header('authorization') ?? '');
  c.set('user', { id: claims.sub, tenantId: claims.tenantId });
  return next();
});`,
      errors: [{ messageId: 'decodeForAuth', line: 3, column: 18 }],
    },
  ],
});
