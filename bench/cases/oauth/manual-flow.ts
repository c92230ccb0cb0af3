import { randomBytes, createHash } from 'node:crypto';

const AUTHORIZE = 'https://login.example.com/oauth2/authorize';

export function implicitLogin(clientId: string): string {
  return `${AUTHORIZE}?response_type=token&client_id=${clientId}&redirect_uri=https://app.example.com/cb`; // expect: oauth
}

export function codeLoginWithoutPkce(clientId: string, state: string): string {
  return `${AUTHORIZE}?response_type=code&client_id=${clientId}&state=${state}`; // expect: oauth
}

export async function passwordGrant(username: string, password: string): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'password', username, password }); // expect: oauth
  return fetch('https://login.example.com/oauth2/token', { method: 'POST', body });
}

export async function clientCredentials(): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'reports.read' });
  return fetch('https://login.example.com/oauth2/token', { method: 'POST', body });
}

export const REDIRECT_COPY = 'After sign-in you return with response_type code and a state value.';
