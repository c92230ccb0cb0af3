import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const API_KEY = process.env.INTERNAL_API_KEY ?? '';
const SIGNING_SECRET = process.env.SIGNING_SECRET ?? '';

export function requireApiKey(req: Request, res: Response, next: NextFunction): void {
  const provided = req.header('x-api-key');
  if (provided !== API_KEY) { // expect: timing
    res.sendStatus(401);
    return;
  }
  next();
}

export function verifySignature(body: string, signature: string): boolean {
  const expected = createHmac('sha256', SIGNING_SECRET).update(body).digest('hex');
  return expected === signature; // expect: timing
}

export function verifySignatureSafely(body: string, signature: string): boolean {
  const expected = Buffer.from(createHmac('sha256', SIGNING_SECRET).update(body).digest('hex'));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function sameRole(role: string, wanted: string): boolean {
  return role === wanted;
}

export function isEmptyToken(token: string | undefined): boolean {
  return token === undefined || token === '';
}

export function tokenTypeIsBearer(header: string): boolean {
  return header.split(' ')[0] === 'Bearer';
}
