import { randomBytes, createHash } from 'node:crypto';

const AUTHORIZE = 'https://login.example.com/oauth2/authorize';

export function codeLogin(clientId: string): { url: string; verifier: string; state: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  return { url: `${AUTHORIZE}?${params.toString()}`, verifier, state };
}

export async function refresh(refreshToken: string): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  return fetch('https://login.example.com/oauth2/token', { method: 'POST', body });
}
