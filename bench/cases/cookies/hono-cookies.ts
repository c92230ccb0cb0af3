import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';

const app = new Hono();

app.post('/session', async (c) => {
  const token = crypto.randomUUID();
  setCookie(c, 'session_token', token, { path: '/' }); // expect: cookies
  setCookie(c, 'access', token, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  setCookie(c, 'ui-density', 'compact', { path: '/' });
  return c.json({ ok: true });
});

export default app;
