/**
 * Object-level access (issues #14 and #15): require-tenant-scope and require-object-authorization
 * report a query only on positive evidence — a value the request supplies reaches its filter (in the
 * handler, or through a helper a handler calls with it) — and stay quiet when an owner, membership or
 * tenant condition is present, when the code checks access first or checks the loaded row after.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { runCheck } from '../../src/check/run-check.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function project(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-object-access-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const RULES = new Set(['require-tenant-scope', 'require-object-authorization', 'no-unchecked-object-access']);

async function findings(files: Record<string, string>): Promise<string[]> {
  const result = await runCheck({ preset: 'strict', cwd: project(files), cache: false });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => RULES.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.file}:${String(f.line)}`)
    .sort();
}

const PRISMA = `model Team {
  id      String @id
  members Member[]
}
model Member {
  id     String @id
  teamId String
  userId String
  role   String
  @@unique([teamId, userId])
}
model Note {
  id       String @id
  authorId String
  body     String
}
model Invoice {
  id     String @id
  teamId String
  amount Int
}
`;

// A whole check per case (the ESLint rules too): generous, load-independent timeouts.
const SLOW = { timeout: 240_000 };

describe('require-tenant-scope needs a request value reaching the query', SLOW, () => {
  it('reports a tenant row taken by a request id, not a background job or a lookup by the session', async () => {
    const found = await findings({
      'prisma/schema.prisma': PRISMA,
      'src/routes.ts': `import express from 'express';
import { prisma } from './db';
export const router = express.Router();
router.get('/invoices/:id', async (req, res) => {
  const invoice = await prisma.invoice.findUnique({ where: { id: req.params.id } });
  res.json(invoice);
});
router.get('/mine', async (req, res) => {
  res.json(await prisma.invoice.findMany({ where: { teamId: req.user.teamId } }));
});
`,
      'src/jobs/nightly.ts': `import { prisma } from '../db';
export async function nightly() {
  const all = await prisma.invoice.findMany();
  for (const invoice of all) await prisma.invoice.update({ where: { id: invoice.id }, data: { amount: 0 } });
}
`,
      'src/db.ts': `export const prisma: any = {};\n`,
    });
    expect(found).toEqual(['require-tenant-scope src/routes.ts:5']);
  });

  it('counts compound unique keys with the tenant key, the caller as owner, and a check of the loaded row', async () => {
    const found = await findings({
      'prisma/schema.prisma': PRISMA,
      'src/routes.ts': `import express from 'express';
import { prisma } from './db';
export const router = express.Router();
router.delete('/teams/:teamId/members/:userId', async (req, res) => {
  await prisma.member.delete({ where: { teamId_userId: { teamId: req.user.teamId, userId: req.params.userId } } });
  res.end();
});
router.get('/invoices/:id', async (req, res) => {
  const invoice = await prisma.invoice.findUnique({ where: { id: req.params.id } });
  if (!invoice || invoice.teamId !== req.user.teamId) return res.status(404).end();
  res.json(invoice);
});
router.get('/members/:id', async (req, res) => {
  res.json(await prisma.member.findFirst({ where: { id: req.params.id, userId: req.user.id } }));
});
`,
      'src/db.ts': `export const prisma: any = {};\n`,
    });
    expect(found).toEqual([]);
  });

  it('follows a pass-through helper to the handler that fills its id from the request', async () => {
    const found = await findings({
      'prisma/schema.prisma': PRISMA,
      'src/invoices.ts': `import { prisma } from './db';
export function invoiceById(id: string) {
  return prisma.invoice.findUnique({ where: { id } });
}
export function deleteInvoice(id: string) {
  return prisma.invoice.delete({ where: { id } });
}
`,
      'src/routes.ts': `import express from 'express';
import { invoiceById, deleteInvoice } from './invoices';
import { assertTeamAccess } from './access';
export const router = express.Router();
router.get('/invoices/:id', async (req, res) => {
  res.json(await invoiceById(req.params.id));
});
router.get('/invoices/:id/checked', async (req, res) => {
  const invoices = await invoiceById(req.params.id);
  const [invoice] = invoices;
  if (invoice.teamId !== req.user.teamId) return res.status(403).end();
  res.json(invoice);
});
router.delete('/invoices/:id', async (req, res) => {
  await assertTeamAccess(req.user, req.params.id);
  await deleteInvoice(req.params.id);
  res.end();
});
`,
      'src/access.ts': `export async function assertTeamAccess(_user: unknown, _id: string) {}\n`,
      'src/db.ts': `export const prisma: any = {};\n`,
    });
    // Reported where the handler hands the request id to the helper; the checked caller stays quiet.
    expect(found).toEqual(['require-tenant-scope src/routes.ts:6']);
  });
});

describe('require-object-authorization', SLOW, () => {
  it('reports a tRPC mutation that changes a row by input id with no owner condition', async () => {
    const found = await findings({
      'prisma/schema.prisma': PRISMA,
      'src/router.ts': `import { router, protectedProcedure } from './trpc';
import { z } from 'zod';
export const notes = router({
  update: protectedProcedure.input(z.object({ id: z.string(), body: z.string() })).mutation(async ({ ctx, input }) => {
    return ctx.prisma.note.update({ where: { id: input.id }, data: { body: input.body } });
  }),
  updateMine: protectedProcedure.input(z.object({ id: z.string(), body: z.string() })).mutation(async ({ ctx, input }) => {
    return ctx.prisma.note.update({ where: { id: input.id, authorId: ctx.session.user.id }, data: { body: input.body } });
  }),
  remove: protectedProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => {
    const note = await ctx.prisma.note.findUnique({ where: { id: input.id } });
    if (note?.authorId !== ctx.session.user.id) throw new Error('Forbidden');
    await ctx.prisma.note.delete({ where: { id: input.id } });
  }),
});
`,
      'src/trpc.ts': `export const router: any = () => ({});\nexport const protectedProcedure: any = {};\n`,
    });
    expect(found).toEqual(['require-object-authorization src/router.ts:5']);
  });

  it('reports a Server Action argument used as the id, not the user the wrapper adds', async () => {
    const found = await findings({
      'src/db/schema.ts': `import { pgTable, text } from 'drizzle-orm/pg-core';
export const notes = pgTable('notes', { id: text('id').primaryKey(), authorId: text('author_id'), body: text('body') });
export const users = pgTable('users', { id: text('id').primaryKey(), name: text('name') });
`,
      'src/actions.ts': `'use server';
import { eq, and } from 'drizzle-orm';
import { db } from './db';
import { notes, users } from './db/schema';
import { withUser } from './session';
export async function deleteNote(id: string) {
  await db.delete(notes).where(eq(notes.id, id));
}
export async function deleteMyNote(id: string, userId: string) {
  await db.delete(notes).where(and(eq(notes.id, id), eq(notes.authorId, userId)));
}
export const rename = withUser(async (data: { name: string }, formData: FormData, user: { id: string }) => {
  await db.update(users).set({ name: data.name }).where(eq(users.id, user.id));
});
`,
      'src/db.ts': `export const db: any = {};\n`,
      'src/session.ts': `export const withUser = (fn: unknown) => fn;\n`,
    });
    // No session check in the action and no row level security: the high-confidence check keeps the one finding.
    expect(found).toEqual(['no-unchecked-object-access src/actions.ts:7']);
  });

  it('reads the Supabase client: service-role writes by a body id, not the user client on an RLS table', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': `create table public.profiles (id uuid primary key, credits int);
alter table public.profiles enable row level security;
create policy own on public.profiles for update using (auth.uid() = id);
create table public.notes (id uuid primary key, body text);
`,
      'app/api/credits/route.ts': `import { createClient } from '@supabase/supabase-js';
const supabaseAdmin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
export async function POST(request: Request) {
  const body = await request.json();
  await supabaseAdmin.from('profiles').update({ credits: body.credits }).eq('id', body.profileId);
  return Response.json({ ok: true });
}
`,
      'app/api/notes/route.ts': `import { createClient } from '@/lib/supabase/server';
export async function POST(request: Request) {
  const supabase = await createClient();
  const { id, body } = await request.json();
  await supabase.from('profiles').update({ credits: 0 }).eq('id', id);
  await supabase.from('notes').update({ body }).eq('id', id);
  return Response.json({ ok: true });
}
`,
    });
    expect(found).toEqual([
      'require-object-authorization app/api/credits/route.ts:5',
      'require-object-authorization app/api/notes/route.ts:6',
    ]);
  });

  it('reads Mongoose by-id calls in an Express handler and stays quiet behind an admin check', async () => {
    const found = await findings({
      'src/routes.ts': `import express from 'express';
import { Order } from './models';
export const router = express.Router();
router.delete('/orders/:orderId', async (req, res) => {
  await Order.findByIdAndDelete(req.params.orderId);
  res.end();
});
router.delete('/admin/orders/:orderId', async (req, res) => {
  if (req.user.role !== 'admin') return res.status(403).end();
  await Order.findByIdAndDelete(req.params.orderId);
  res.end();
});
`,
      'src/models.ts': `export const Order: any = {};\n`,
    });
    expect(found).toEqual(['require-object-authorization src/routes.ts:5']);
  });
});
