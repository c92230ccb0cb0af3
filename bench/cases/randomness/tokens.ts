import { randomBytes, randomInt } from 'node:crypto';

export function resetToken(): string {
  return Math.random().toString(36).slice(2); // expect: randomness
}

export function inviteCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 32)]; // expect: randomness
  return code;
}

export function apiKey(): string {
  return `pk_${randomBytes(24).toString('base64url')}`;
}

export function otp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Spreads retries so clients do not reconnect in lockstep; not a secret. */
export function backoffDelay(attempt: number): number {
  return Math.min(30_000, 2 ** attempt * 100) * (0.5 + Math.random());
}

export function pickVariant<T>(variants: readonly T[]): T {
  return variants[Math.floor(Math.random() * variants.length)] as T;
}

export const sessionId = (): string => `${Date.now()}-${Math.random()}`; // expect: randomness
