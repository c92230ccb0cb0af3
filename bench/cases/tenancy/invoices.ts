import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';

import { db, invoices } from './schema.js';

type Env = { Variables: { principal: { id: string; tenantId: string } } };
const app = new Hono<Env>();

app.get('/invoices', async (c) => {
  const tenantId = c.req.query('tenantId') ?? '';
  const rows = await db.select().from(invoices).where(eq(invoices.tenantId, tenantId)); // expect: tenancy
  return c.json(rows);
});

app.get('/me/invoices', async (c) => {
  const { tenantId } = c.get('principal');
  const rows = await db.select().from(invoices).where(eq(invoices.tenantId, tenantId));
  return c.json(rows);
});

app.get('/me/invoices/:id', async (c) => {
  const { tenantId } = c.get('principal');
  const rows = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, c.req.param('id')), eq(invoices.tenantId, tenantId)));
  return c.json(rows[0] ?? null);
});

export default app;
