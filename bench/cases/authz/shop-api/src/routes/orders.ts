import express from 'express';

import { currentUser, requireRole } from '../auth/guards.js';
import { db } from '../lib/db.js';

export const ordersRouter = express.Router();

ordersRouter.get('/orders/:id', async (req, res) => {
  const { rows } = await db.query('select * from orders where id = $1', [req.params.id]);
  res.json(rows[0]);
});

ordersRouter.get('/me/orders', async (_req, res) => {
  const user = currentUser(res);
  const { rows } = await db.query('select * from orders where owner = $1', [user.id]);
  res.json(rows);
});

ordersRouter.delete('/orders/:id', requireRole('admin'), async (req, res) => {
  await db.query('delete from orders where id = $1', [req.params.id]);
  res.sendStatus(204);
});

// Mounted without a guard in app.ts.
export const exportsRouter = express.Router();

exportsRouter.post('/exports/orders', async (req, res) => { // expect: authz
  await db.query('insert into export_jobs(kind, filter) values ($1, $2)', ['orders', req.body.filter]);
  res.sendStatus(202);
});
