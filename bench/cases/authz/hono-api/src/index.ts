import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import pg from 'pg';

type Env = { Variables: { principal: { id: string; roles: string[] } | undefined } };

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const app = new Hono<Env>();

const requireUser: MiddlewareHandler<Env> = async (c, next) => {
  if (c.get('principal') === undefined) return c.json({ error: 'unauthenticated' }, 401);
  await next();
};

app.get('/healthz', (c) => c.text('ok'));

app.get('/api/notes', requireUser, async (c) => {
  const { rows } = await pool.query('select * from notes where owner = $1', [c.get('principal')?.id]);
  return c.json(rows);
});

app.delete('/api/notes/:id', async (c) => { // expect: authz
  await pool.query('delete from notes where id = $1', [c.req.param('id')]);
  return c.body(null, 204);
});

app.use('/admin/*', requireUser);

app.post('/admin/broadcast', async (c) => {
  const { text } = await c.req.json<{ text: string }>();
  await pool.query('insert into broadcasts(body) values ($1)', [text]);
  return c.body(null, 201);
});

app.get('/api/stats', async (c) => { // expect: authz
  const { rows } = await pool.query('select count(*) from notes');
  return c.json(rows[0]);
});

export default app;
