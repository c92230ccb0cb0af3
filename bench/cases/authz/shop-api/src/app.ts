import express from 'express';

import { requireAuth } from './auth/guards.js';
import { db } from './lib/db.js';
import { exportsRouter, ordersRouter } from './routes/orders.js';

export const app = express();
app.use(express.json());

app.get('/health', (_req, res) => {
  res.json({ ok: true });
});

// portcullis-public: the product catalogue is public on purpose
app.get('/products', async (_req, res) => {
  const { rows } = await db.query('select id, name, price_cents from products');
  res.json(rows);
});

app.post('/admin/discounts', async (req, res) => { // expect: authz
  await db.query('insert into discounts(code, percent) values ($1, $2)', [req.body.code, req.body.percent]);
  res.sendStatus(201);
});

app.use('/api', requireAuth, ordersRouter);
app.use('/internal', exportsRouter);

app.put('/api/profile', requireAuth, async (req, res) => {
  await db.query('update profiles set bio = $1 where id = $2', [req.body.bio, res.locals.principal.id]);
  res.sendStatus(204);
});

app.listen(3000, '127.0.0.1');
