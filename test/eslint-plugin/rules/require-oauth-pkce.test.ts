import rule from '../../../eslint-plugin/rules/require-oauth-pkce.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('require-oauth-pkce', rule, {
  valid: [
    'const url = `${issuer}/authorize?response_type=code&client_id=${id}&code_challenge=${challenge}&code_challenge_method=S256&state=${state}`;',
    "const params = new URLSearchParams({ response_type: 'code', client_id: id, code_challenge: c, code_challenge_method: 'S256', state });",
    // The request object is a variable completed elsewhere in the file: benefit of the doubt.
    "import * as client from 'openid-client';\nconst params = { redirect_uri, scope: 'openid', state };\nparams.code_challenge = c;\nconst url = client.buildAuthorizationUrl(config, params);",
    // The challenge is added in a later statement of the same file.
    "const u = new URL(endpoint); u.searchParams.set('response_type', 'code'); u.searchParams.set('code_challenge', c); u.searchParams.set('state', s);",
    "import * as client from 'openid-client';\nconst url = client.buildAuthorizationUrl(config, { redirect_uri, scope: 'openid', code_challenge, code_challenge_method: 'S256', state });",
    "import * as client from 'openid-client';\nconst tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: verifier, expectedState: state });",
    "import * as oauth from 'oauth4webapi';\nconst response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, codeVerifier);",
    // Hybrid flows are code flows; `id_token` alone is not the implicit access-token flow.
    "const p = { response_type: 'code id_token', code_challenge: c, state, nonce };",
    // Client credentials and refresh grants are fine.
    "const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' });",
    "body.set('grant_type', 'refresh_token');",
    "const m = { code_challenge_method: 'S256' };",
    // Prose that mentions the parameter is not a request.
    "throw new Error('unsupported response_type token');",
    "const description = 'password grant (grant_type = password) is disabled';",
    // A map entry named like a parameter, not a request parameter.
    "headers.set('response_type', mode);",
    // Test code signing a test user in with the password grant (issue #14).
    {
      code: 'await request.post(`${SUPABASE_URL}/auth/v1/token?grant_type=password`, { data: { email, password } });',
      filename: 'e2e/listings-api.spec.ts',
    },
    // A confidential client: server code that holds the client secret and exchanges the code itself (issue #14).
    "const CLIENT_SECRET = Deno.env.get('GOOGLE_CLIENT_SECRET');\nconst url = new URL('https://accounts.google.com/o/oauth2/v2/auth');\nurl.searchParams.set('response_type', 'code');\nurl.searchParams.set('state', state);",
    "const appId = Deno.env.get('META_APP_ID')!;\nconst admin = createClient(url, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);\nconst url = new URL(dialog);\nurl.searchParams.set('client_id', appId);\nurl.searchParams.set('state', `${row.id}:${nonce}`);\nurl.searchParams.set('response_type', 'code');",
    // A local function that shares openid-client's name.
    'function authorizationCodeGrant(a, b) { return a + b; } authorizationCodeGrant(1, 2);',
    {
      code: 'const url = `${issuer}/authorize?response_type=code&client_id=${id}&code_challenge=${c}`;',
      options: [{ checkState: false }],
    },
  ],
  invalid: [
    // Server code with no secret of its own is a public client.
    {
      code: 'const clientId = process.env.OAUTH_CLIENT_ID;\nconst url = `${issuer}/authorize?response_type=code&client_id=${clientId}&state=${state}`;',
      errors: [{ messageId: 'missingPkce', line: 2, column: 13 }],
    },
    // A browser (public) client: no secret, so only PKCE binds the code to this client.
    {
      code: "'use client';\nconst clientId = process.env.NEXT_PUBLIC_GITHUB_CLIENT_ID;\nconst url = `https://github.com/login/oauth/authorize?response_type=code&client_id=${clientId}&state=${state}`;",
      errors: [{ messageId: 'missingPkce', line: 3, column: 13 }],
    },
    // Confidential clients are checked too when asked.
    {
      code: 'const secret = process.env.GOOGLE_CLIENT_SECRET;\nconst url = `${issuer}/authorize?response_type=code&client_id=${id}&state=${state}`;',
      options: [{ checkConfidentialClients: true }],
      errors: [{ messageId: 'missingPkce', line: 2, column: 13 }],
    },
    // The password grant is reported in server code as well.
    {
      code: "const secret = process.env.CLIENT_SECRET;\nconst body = new URLSearchParams({ grant_type: 'password', username, password, client_secret: secret });",
      errors: [{ messageId: 'passwordGrant', line: 2, column: 36 }],
    },
    // Regression (bench/cases/oauth): a literal request object at the call is complete, so a PKCE flow
    // elsewhere in the same file does not excuse it.
    {
      code: `import * as client from 'openid-client';
const plain = client.buildAuthorizationUrl(config, { redirect_uri, scope: 'openid', state });
const pkce = client.buildAuthorizationUrl(config, { redirect_uri, scope: 'openid', code_challenge, code_challenge_method: 'S256', state });`,
      errors: [{ messageId: 'missingPkce', line: 2, column: 52 }],
    },
    {
      code: 'const url = `${issuer}/authorize?response_type=code&client_id=${id}&state=${state}`;',
      errors: [{ messageId: 'missingPkce', line: 1, column: 13 }],
    },
    {
      code: "const url = issuer + '/authorize?response_type=code&client_id=' + id + '&code_challenge=' + c;",
      errors: [{ messageId: 'missingState', line: 1, column: 13 }],
    },
    {
      code: 'const url = `${issuer}/authorize?response_type=token&client_id=${id}`;',
      errors: [{ messageId: 'implicitFlow', line: 1, column: 13 }],
    },
    {
      code: "const params = new URLSearchParams({ response_type: 'id_token token', client_id: id, nonce });",
      errors: [{ messageId: 'implicitFlow', line: 1, column: 38 }],
    },
    {
      code: "const body = new URLSearchParams({ grant_type: 'password', username, password });",
      errors: [{ messageId: 'passwordGrant', line: 1, column: 36 }],
    },
    {
      code: "body.append('grant_type', 'password');",
      errors: [{ messageId: 'passwordGrant', line: 1, column: 1 }],
    },
    {
      code: "const q = { response_type: 'code', code_challenge: verifier, code_challenge_method: 'plain', state };",
      errors: [{ messageId: 'plainPkce', line: 1, column: 62 }],
    },
    {
      code: "const u = new URL(endpoint);\nu.searchParams.set('response_type', 'code');\nu.searchParams.set('state', s);",
      errors: [{ messageId: 'missingPkce', line: 2, column: 1 }],
    },
    {
      code: "import * as client from 'openid-client';\nconst url = client.buildAuthorizationUrl(config, { redirect_uri, scope: 'openid' });",
      errors: [{ messageId: 'missingPkce', line: 2, column: 50 }],
    },
    {
      code: "import { authorizationCodeGrant } from 'openid-client';\nconst tokens = await authorizationCodeGrant(config, currentUrl);",
      errors: [{ messageId: 'missingPkce', line: 2, column: 22 }],
    },
    {
      code: "import * as oauth from 'oauth4webapi';\nawait oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, oauth.nopkce);",
      errors: [{ messageId: 'missingPkce', line: 2, column: 7 }],
    },
    {
      code: "import * as client from 'openid-client';\nawait client.genericGrantRequest(config, 'password', { username, password });",
      errors: [{ messageId: 'passwordGrant', line: 2, column: 7 }],
    },
  ],
});
