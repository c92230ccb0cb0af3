import rule from '../../../eslint-plugin/rules/require-oauth-state-check.js';
import { runRuleTests } from '../rule-tester.js';

/** A token request of the authorization-code grant, as hand-written callbacks send it. */
const EXCHANGE = `const tokenRes = await fetch('https://oauth2.example.com/token', {
    method: 'POST',
    body: new URLSearchParams({ code, client_id: ID, client_secret: SECRET, grant_type: 'authorization_code', redirect_uri: REDIRECT }),
  });
  const tokens = await tokenRes.json();`;

runRuleTests('require-oauth-state-check', rule, {
  valid: [
    // Compared with the state cookie set by the authorize route (arctic-style).
    `export async function GET(request: Request) {
  const url = new URL(request.url);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  const stored = (await cookies()).get('github_oauth_state')?.value ?? null;
  if (!code || !state || !stored || state !== stored) return new Response(null, { status: 400 });
  const tokens = await github.validateAuthorizationCode(code);
  return Response.json(tokens.accessToken());
}`,
    // An opaque `<id>:<nonce>` state looked up in the database and its nonce compared.
    `Deno.serve(async (req) => {
  const url = new URL(req.url);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  if (!state) return new Response('missing state', { status: 400 });
  const [stateId, nonce] = state.split(':');
  const { data: row } = await admin.from('oauth_states').select('id, nonce, user_id').eq('id', stateId).maybeSingle();
  if (!row || row.nonce !== nonce) return new Response('invalid state', { status: 400 });
  ${EXCHANGE}
  await admin.from('mail_accounts').upsert({ user_id: row.user_id, refresh_token: tokens.refresh_token });
  return new Response('ok');
});`,
    // Express: compared with the session.
    `app.get('/oauth/callback', async (req, res) => {
  const { code, state } = req.query;
  if (typeof state !== 'string' || state !== req.session.oauthState) return res.status(403).end();
  const tokens = await exchangeCodeForTokens(code);
  req.session.tokens = tokens;
  res.redirect('/');
});`,
    // Looked up by the state itself in a store.
    `export default async function handler(req, res) {
  const { code, state } = req.query;
  const pending = await prisma.oauthState.findUnique({ where: { state } });
  if (!pending) return res.status(400).end();
  const tokens = await oauth2Client.getToken(code);
  res.json(tokens);
}`,
    // A signed state verified by a helper (benefit of the doubt for any call that receives it).
    `export async function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  const code = params.get('code');
  const state = params.get('state');
  const payload = verifySignedState(state, process.env.STATE_SECRET);
  if (!payload) return new Response('bad state', { status: 400 });
  const tokens = await exchangeCodeForTokens(code);
  return Response.json({ payload, tokens });
}`,
    // A client page hands code and state to its backend, which checks them.
    `export default function Callback() {
  const params = useSearchParams();
  useEffect(() => {
    const code = params.get('code');
    const state = params.get('state');
    void completeSignIn({ code, state });
  }, [params]);
  return null;
}`,
    // State read but no code is exchanged here: not an authorization-code callback.
    `export async function GET(req: Request) {
  const state = new URL(req.url).searchParams.get('state');
  return Response.json({ state });
}`,
    // Random state on the authorize side, stored in a cookie.
    `export async function GET() {
  const state = crypto.randomUUID();
  const url = new URL('https://accounts.example.com/authorize');
  url.searchParams.set('client_id', ID);
  url.searchParams.set('state', state);
  (await cookies()).set('oauth_state', state, { httpOnly: true });
  return Response.redirect(url);
}`,
    // A `state` key in an object that is no authorization request.
    "const filters = { state: user.id, client_id: 'x' };".replace('client_id', 'page'),
    "setFilters({ state: 'open' });",
    // A hand-written exchange with a PKCE verifier: the code is bound to the browser that holds it.
    `app.get('/auth/callback', async (req, res) => {
  const { code } = req.query;
  const verifier = req.cookies.pkce_verifier;
  const r = await fetch(TOKEN_URL, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier }) });
  res.json(await r.json());
});`,
    // A library exchange (Supabase keeps the PKCE verifier in a cookie) is not hand-written.
    `export async function GET(request: Request) {
  const code = new URL(request.url).searchParams.get('code');
  if (code) await supabase.auth.exchangeCodeForSession(code);
  return NextResponse.redirect(new URL('/dashboard', request.url));
}`,
    // A one-time code that is no OAuth code.
    `app.post('/verify', async (req, res) => {
  const { code } = req.body;
  const ok = await otp.verify(req.user.id, code);
  res.json({ ok });
});`,
    // Test code.
    {
      code: `test('cb', async () => { const state = url.searchParams.get('state'); await exchangeCodeForTokens(code); });`,
      filename: 'src/oauth.test.ts',
    },
  ],
  invalid: [
    // The callback checks only that `state` is present, then trades the code.
    {
      code: `Deno.serve(async (req) => {
  const url = new URL(req.url);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  console.log('callback', { hasState: !!state, state });
  if (!code || !state) return new Response('missing', { status: 400 });
  ${EXCHANGE}
  return new Response(JSON.stringify(tokens));
});`,
      errors: [{ messageId: 'stateNotChecked', line: 4, column: 9 }],
    },
    // The state is the user id: trusted as identity to attach the tokens (the shape of a real Gmail connect flow).
    {
      code: `Deno.serve(async (req) => {
  const url = new URL(req.url);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  if (!state) return new Response('missing state', { status: 400 });
  ${EXCHANGE}
  const { data: profile } = await admin.from('profiles').select('organization_id').eq('user_id', state).single();
  await admin.from('mail_accounts').insert({ user_id: state, organization_id: profile.organization_id, access_token: tokens.access_token });
  return new Response('connected');
});`,
      errors: [{ messageId: 'stateAsIdentity', line: 11 }],
    },
    // Base64 JSON state decoded and its user id trusted, compared with nothing.
    {
      code: `export default async function handler(req, res) {
  const { code, state } = req.query;
  const { userId, returnTo } = JSON.parse(Buffer.from(state, 'base64').toString('utf8'));
  const tokens = await exchangeCodeForTokens(code);
  await db.integration.create({ data: { userId, accessToken: tokens.access_token } });
  res.redirect(returnTo);
}`,
      errors: [{ messageId: 'stateAsIdentity', line: 5 }],
    },
    // Hono: only a literal mode flag is compared.
    {
      code: `app.get('/auth/callback', async (c) => {
  const code = c.req.query('code');
  const state = c.req.query('state');
  const mode = state === 'signup' ? 'signup' : 'login';
  const tokens = await exchangeCode(code);
  return c.json({ mode, tokens });
});`,
      errors: [{ messageId: 'stateNotChecked', line: 3 }],
    },
    // GitHub login with no state at all: the code from the URL is traded as it comes.
    {
      code: `app.get('/auth/github/callback', async (req, res) => {
  const { code } = req.query;
  const r = await fetch('https://github.com/login/oauth/access_token', {
    method: 'POST',
    headers: { Accept: 'application/json' },
    body: JSON.stringify({ client_id: GITHUB_ID, client_secret: GITHUB_SECRET, code }),
  });
  const { access_token } = await r.json();
  req.session.githubToken = access_token;
  res.redirect('/');
});`,
      errors: [{ messageId: 'stateNotSent', line: 2, column: 11 }],
    },
    // Authorize side: the user's id as state.
    {
      code: `const authUrl = new URL('https://accounts.google.com/o/oauth2/v2/auth');
authUrl.searchParams.set('client_id', CLIENT_ID);
authUrl.searchParams.set('state', user.id);`,
      errors: [{ messageId: 'predictableState', line: 3, column: 35 }],
    },
    {
      code: "const params = new URLSearchParams({ client_id: ID, redirect_uri: CB, response_type: 'code', state: 'xyz' });",
      errors: [{ messageId: 'predictableState' }],
    },
  ],
});
