import { createCipheriv, createHash, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback);

export function hashPasswordFast(password: string): string {
  return createHash('sha256').update(password).digest('hex'); // expect: crypto
}

export function legacyPasswordDigest(password: string): string {
  return createHash('md5').update(password).digest('hex'); // expect: crypto
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = (await scrypt(password, salt, 64)) as Buffer;
  return `${salt.toString('hex')}:${key.toString('hex')}`;
}

export function etag(body: string): string {
  return createHash('sha1').update(body).digest('base64url');
}

export function encryptEcb(key: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-ecb', key, null); // expect: crypto
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function encrypt(key: Buffer, data: Buffer): { iv: Buffer; body: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return { iv, body, tag: cipher.getAuthTag() };
}

export function cacheKey(userId: string, page: number): string {
  return createHash('md5').update(`${userId}:${page}`).digest('hex');
}
