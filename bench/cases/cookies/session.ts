import express from 'express';
import { randomUUID } from 'node:crypto';

const app = express();
const production = process.env.NODE_ENV === 'production';

app.post('/login', (req, res) => {
  const sessionId = randomUUID();
  res.cookie('session', sessionId, { httpOnly: false, secure: true, sameSite: 'lax' }); // expect: cookies
  res.cookie('sid', sessionId); // expect: cookies
  res.cookie('auth_token', sessionId, { httpOnly: true, secure: false, sameSite: 'lax' }); // expect: cookies
  res.cookie('theme', String(req.body.theme), { maxAge: 31_536_000_000 });
  res.cookie('__Host-session', sessionId, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  res.cookie('refresh', sessionId, { httpOnly: true, secure: production, sameSite: 'strict', path: '/auth' });
  res.json({ ok: true });
});

app.post('/logout', (_req, res) => {
  res.clearCookie('session');
  res.cookie('locale', 'en-GB');
  res.sendStatus(204);
});

export default app;
