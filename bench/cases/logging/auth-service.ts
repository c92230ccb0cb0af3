import { logger } from './logger.js';

interface Credentials {
  email: string;
  password: string;
}

export async function signIn(credentials: Credentials): Promise<void> {
  logger.info({ credentials }, 'sign-in'); // expect: logging
  logger.info({ email: credentials.email }, 'sign-in');
}

export async function refresh(refreshToken: string): Promise<void> {
  console.log(`refreshing with ${refreshToken}`); // expect: logging
  console.log('refreshing session');
}

export function reportMetrics(tokenCount: number, passwordResets: number): void {
  console.log('tokens issued', tokenCount, 'password resets', passwordResets);
}

export function onApiError(error: { status: number; headers: Record<string, string> }): void {
  console.error('upstream failed', error.status, error.headers.authorization); // expect: logging
  console.error('upstream failed', error.status);
}
