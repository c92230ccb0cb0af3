import * as client from 'openid-client';

// A public client (no secret): only PKCE binds the authorization code to it.
const config = await client.discovery(new URL('https://accounts.example.com'), 'web-app', undefined, client.None());

export function loginUrlWithoutPkce(state: string): URL {
  return client.buildAuthorizationUrl(config, { redirect_uri: 'https://app.example.com/callback', scope: 'openid email', state }); // expect: oauth
}

export async function loginUrl(): Promise<{ url: URL; verifier: string; state: string }> {
  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: 'https://app.example.com/callback',
    scope: 'openid email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  return { url, verifier, state };
}

export function githubAuthorizeLink(state: string): string {
  const params = new URLSearchParams({ client_id: 'Iv1.8a61f9b3a7aba766', redirect_uri: 'https://app.example.com/gh', state });
  return `https://github.com/login/oauth/authorize?${params.toString()}`;
}
