import jwt from 'jsonwebtoken';
import { decodeJwt, jwtVerify, createRemoteJWKSet } from 'jose';
import type { Request, Response, NextFunction } from 'express';

const JWKS = createRemoteJWKSet(new URL('https://auth.example.com/.well-known/jwks.json'));
const secret = process.env.JWT_SECRET as string;
const publicKey = process.env.JWT_PUBLIC_KEY as string;

export function legacyAuth(req: Request, res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.slice(7) ?? '';
  const claims = jwt.decode(token) as { sub: string } | null; // expect: jwt
  if (claims === null) {
    res.sendStatus(401);
    return;
  }
  res.locals.userId = claims.sub;
  next();
}

export function apiAuth(req: Request, res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.slice(7) ?? '';
  // An RS256 public key without an allow-list: an HS256 token signed with the public key passes.
  // (With an HMAC secret jsonwebtoken allows only HS*, so that case is not labelled.)
  const payload = jwt.verify(token, publicKey); // expect: jwt
  res.locals.user = payload;
  next();
}

export function strictAuth(token: string): unknown {
  return jwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'api', audience: 'web' });
}

export async function joseAuth(token: string): Promise<string | undefined> {
  const { payload } = await jwtVerify(token, JWKS, { algorithms: ['RS256'], issuer: 'https://auth.example.com' });
  return payload.sub;
}

/** Reads the expiry only to schedule a refresh; the token was verified by the server. */
export function refreshDelay(token: string): number {
  const { exp } = decodeJwt(token);
  return Math.max(0, (exp ?? 0) * 1000 - Date.now() - 60_000);
}

export function issue(userId: string): string {
  return jwt.sign({ sub: userId }, secret, { algorithm: 'HS256' }); // expect: jwt
}

export function issueShort(userId: string): string {
  return jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', expiresIn: '15m' });
}
