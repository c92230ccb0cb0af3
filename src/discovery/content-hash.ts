import { createHash } from 'node:crypto';

/** A short content identity for caches: the first 128 bits of SHA-256, hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
