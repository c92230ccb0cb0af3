/**
 * Guards and gaps that real apps showed (issues #14, #15, #16): guard clauses after reading the
 * caller, helpers and wrappers that hold them, options that turn auth off, Server Actions that touch
 * no data, routes public by nature, routers handed to functions, and the generated RBAC guard. Each
 * case is a small app written to disk and read through `portcullis routes`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { listRouteInventory, type RouteRow } from '../../src/cli/commands/routes.js';
import type { UnresolvedRouteEntry } from '../../src/analyzer/routes.js';

const TSCONFIG =
  '{ "compilerOptions": { "strict": true, "allowJs": true, "baseUrl": ".", "paths": { "@/*": ["./*"] } } }\n';

async function inventory(
  files: Record<string, string>,
): Promise<{ rows: Record<string, RouteRow>; unresolved: UnresolvedRouteEntry[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-authz-'));
  try {
    for (const [file, text] of Object.entries({ 'tsconfig.json': TSCONFIG, ...files })) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const { routes, unresolved } = await listRouteInventory(dir);
    return { rows: Object.fromEntries(routes.map((row) => [`${row.method} ${row.path}`, row])), unresolved };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The route as the check sees it: reported when it touches data with neither guard nor public reason. */
function reported(row: RouteRow | undefined): boolean {
  if (row === undefined) throw new Error('route not in the inventory');
  return row.guard === null && row.public === null && !row.webhook && row.handlerResolved && row.readsOrChangesData;
}

const SUPABASE = "import { createClient } from '@/lib/supabase';\n";
const LIB = { 'lib/supabase.ts': 'export async function createClient(): Promise<any> { return {} as any; }\n' };

describe('guard clauses after reading the caller', () => {
  it('counts `if (!user) return …` after supabase.auth.getUser(), and not `if (error)` or a missing id', async () => {
    const { rows } = await inventory({
      ...LIB,
      'app/api/notes/route.ts': `${SUPABASE}
export async function POST(req: Request) {
  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return Response.json({ error: 'Not authenticated' });
  await supabase.from('notes').insert({ owner: user.id });
  return Response.json({});
}
`,
      'app/api/errors/route.ts': `${SUPABASE}
export async function POST(req: Request) {
  const supabase = await createClient();
  const { data, error } = await supabase.from('notes').select('*');
  if (error) return Response.json({ error: error.message });
  await supabase.from('notes').delete().eq('id', data[0].id);
  return Response.json({});
}
`,
      'app/api/members/[userId]/route.ts': `${SUPABASE}
export async function DELETE(req: Request, context: { params: Promise<{ userId: string }> }) {
  const { userId } = await context.params;
  if (!userId) return Response.json({ error: 'User id is required' });
  const supabase = await createClient();
  await supabase.from('members').delete().eq('id', userId);
  return Response.json({});
}
`,
      'app/api/lookup/route.ts': `import { prisma } from '@/lib/db';
export async function POST(req: Request) {
  const { id } = await req.json();
  const user = await prisma.user.findUnique({ where: { id } });
  if (!user) return Response.json({ error: 'not found' });
  await prisma.user.delete({ where: { id } });
  return Response.json({});
}
`,
      'lib/db.ts': 'export const prisma: any = {};\n',
    });
    expect(rows['POST /api/notes']?.guard).toContain('a check in the handler');
    expect(reported(rows['POST /api/errors'])).toBe(true);
    expect(reported(rows['DELETE /api/members/[userId]'])).toBe(true);
    expect(reported(rows['POST /api/lookup'])).toBe(true);
  });

  it('follows a helper that throws or redirects, across files; a helper that only returns null guards nothing', async () => {
    const { rows } = await inventory({
      ...LIB,
      'lib/session.ts': `${SUPABASE}import { redirect } from 'next/navigation';
export async function getSessionUser() {
  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) throw new Error('Authentication required');
  return user;
}
export async function getServerProfile() {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in');
  return user;
}
export async function getProfileOrThrow() {
  const supabase = await createClient();
  const user = (await supabase.auth.getUser()).data.user;
  if (!user) throw new Error('User not found');
  return user;
}
export async function getCurrentUser() {
  const supabase = await createClient();
  const { data: { session } } = await supabase.auth.getSession();
  if (!session) return null;
  return session.user;
}
`,
      'app/api/a/route.ts': `${SUPABASE}import { getSessionUser } from '@/lib/session';
export async function POST() {
  const user = await getSessionUser();
  const supabase = await createClient();
  await supabase.from('a').insert({ owner: user.id });
  return Response.json({});
}
`,
      'app/api/b/route.ts': `${SUPABASE}import { getServerProfile } from '@/lib/session';
export async function POST() {
  await getServerProfile();
  const supabase = await createClient();
  await supabase.from('b').insert({});
  return Response.json({});
}
`,
      'app/api/d/route.ts': `${SUPABASE}import { getProfileOrThrow } from '@/lib/session';
export async function POST() {
  await getProfileOrThrow();
  const supabase = await createClient();
  await supabase.from('d').insert({});
  return Response.json({});
}
`,
      'app/api/c/route.ts': `${SUPABASE}import { getCurrentUser } from '@/lib/session';
export async function POST() {
  const user = await getCurrentUser();
  const supabase = await createClient();
  await supabase.from('c').insert({ owner: user?.id });
  return Response.json({});
}
`,
    });
    expect(rows['POST /api/a']?.guard).toContain('getSessionUser');
    expect(rows['POST /api/d']?.guard).toContain('getProfileOrThrow');
    expect(rows['POST /api/b']?.guard).toContain('getServerProfile');
    expect(reported(rows['POST /api/c'])).toBe(true);
  });

  it('an option that turns the helper’s auth off means not guarded', async () => {
    const { rows } = await inventory({
      'lib/db.ts': 'export const prisma: any = {};\n',
      'lib/parse.ts': `export async function parseRequest(req: Request, schema: unknown, options: { skipAuth?: boolean } = {}) {
  if (options.skipAuth !== true) {
    const session = await getSession(req);
    if (!session) throw new Error('Unauthorized');
  }
  return req.json();
}
async function getSession(req: Request): Promise<unknown> { return req.headers.get('cookie'); }
`,
      'app/api/guarded/route.ts': `import { prisma } from '@/lib/db';\nimport { parseRequest } from '@/lib/parse';
export async function POST(req: Request) {
  const body = await parseRequest(req, {});
  await prisma.item.create({ data: body });
  return Response.json({});
}
`,
      'app/api/open/route.ts': `import { prisma } from '@/lib/db';\nimport { parseRequest } from '@/lib/parse';
export async function POST(req: Request) {
  const body = await parseRequest(req, {}, { skipAuth: true });
  await prisma.item.create({ data: body });
  return Response.json({});
}
`,
    });
    expect(rows['POST /api/guarded']?.guard).toContain('parseRequest');
    expect(reported(rows['POST /api/open'])).toBe(true);
  });
});

describe('Server Actions', () => {
  it('a wrapper that checks the session guards; an action that only delegates is its helper; read-only actions touch no data', async () => {
    const { rows } = await inventory({
      ...LIB,
      'lib/with-auth.ts': `export function withServerActionAuth<T extends unknown[], U>(action: (...args: [...T, unknown]) => U) {
  return async function (...args: T) {
    const session = await appClient.getSession();
    if (!session) return { error: 'You must be signed in.' };
    return action(...args, session);
  };
}
declare const appClient: { getSession(): Promise<unknown> };
export function withLogging<T extends unknown[], U>(action: (...args: T) => U) {
  return async function (...args: T) {
    console.log('action');
    return action(...args);
  };
}
`,
      'app/org/actions.ts': `'use server';
import { withServerActionAuth, withLogging } from '@/lib/with-auth';
declare const management: any;
export const renameOrg = withServerActionAuth(async function renameOrg(name: string, session: any) {
  await management.organizations.update({ id: session.orgId }, { name });
});
export const deleteOrg = withLogging(async function deleteOrg(id: string) {
  await management.organizations.delete({ id });
});
`,
      'features/notes/impl.ts': `${SUPABASE}
export async function markRead(id: string) {
  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return { error: 'Not authenticated' };
  await supabase.from('notes').update({ read: true }).eq('id', id).eq('user_id', user.id);
  return {};
}
`,
      'app/notes/actions.ts': `'use server';
import { markRead as markReadImpl } from '@/features/notes/impl';
import { cookies } from 'next/headers';
export async function markRead(id: string) {
  return markReadImpl(id);
}
export async function setTheme(theme: string) {
  const store = await cookies();
  store.set('theme', theme);
}
export async function updateName(name: string) {
  const supabase: any = {};
  await supabase.auth.updateUser({ data: { full_name: name } });
}
`,
    });
    expect(rows['POST action:renameOrg']?.guard).toContain('withServerActionAuth');
    expect(reported(rows['POST action:deleteOrg'])).toBe(true);
    expect(rows['POST action:markRead']?.guard).toContain('markRead');
    expect(rows['POST action:setTheme']?.readsOrChangesData).toBe(false);
    // The auth API acts on the caller's own session; an SDK write elsewhere counts.
    expect(rows['POST action:updateName']?.readsOrChangesData).toBe(false);
    expect(rows['POST action:deleteOrg']?.readsOrChangesData).toBe(true);
  });

  it('sign-in, sign-up, password-reset, callback and health routes are public by nature; changing a password is not', async () => {
    const writer = `import { prisma } from '@/lib/db';\nexport async function POST() {\n  await prisma.attempt.create({ data: {} });\n  return Response.json({});\n}\n`;
    const { rows } = await inventory({
      'lib/db.ts': 'export const prisma: any = {};\n',
      'app/api/auth/signup/route.ts': writer,
      'app/api/auth/password/forgot/route.ts': writer,
      'app/api/auth/callback/route.ts': writer,
      'app/api/health/route.ts': writer,
      'app/api/auth/password/change/route.ts': writer,
      'app/actions.ts': `'use server';\nimport { prisma } from '@/lib/db';
export async function signInWithPassword(email: string) { await prisma.attempt.create({ data: { email } }); }
export async function updatePassword(password: string) { await prisma.user.update({ data: { password } }); }
`,
    });
    for (const key of [
      'POST /api/auth/signup',
      'POST /api/auth/password/forgot',
      'POST /api/auth/callback',
      'POST /api/health',
      'POST action:signInWithPassword',
    ])
      expect(rows[key]?.public, key).toContain('public by nature');
    expect(reported(rows['POST /api/auth/password/change'])).toBe(true);
    expect(reported(rows['POST action:updatePassword'])).toBe(true);
  });
});

describe('Express', () => {
  it('mounts routes a function registers on the router handed to it, and lists what it cannot resolve', async () => {
    const { rows, unresolved } = await inventory({
      'src/server.js': `const express = require('express');
const { systemEndpoints } = require('./system');
const { requireLogin } = require('./auth');
const app = express();
const api = express.Router();
app.use('/api', requireLogin, api);
systemEndpoints(api);
const path = '/computed';
app.post(path, (req, res) => res.end());
`,
      'src/system.js': `function systemEndpoints(app) {
  app.post('/settings', (req, res) => { db.query('update settings set a = 1'); res.end(); });
}
function neverCalled(router) {
  router.delete('/orphan', (req, res) => { db.query('delete from t'); res.end(); });
}
module.exports = { systemEndpoints, neverCalled };
`,
      'src/auth.js': `function requireLogin(req, res, next) {
  if (!req.session.user) return res.status(401).end();
  next();
}
module.exports = { requireLogin };
`,
    });
    expect(rows['POST /api/settings']?.guard).toContain('requireLogin');
    expect(unresolved.map((entry) => [entry.file, entry.line])).toEqual([
      ['src/server.js', 9],
      ['src/system.js', 5],
    ]);
  });

  it('express-jwt middleware kept on an object guards; the same with credentialsRequired: false does not', async () => {
    const { rows } = await inventory({
      'src/auth.ts': `import { expressjwt as jwt } from 'express-jwt';
const auth = {
  required: jwt({ secret: 's', algorithms: ['HS256'] }),
  optional: jwt({ secret: 's', algorithms: ['HS256'], credentialsRequired: false }),
};
export default auth;
`,
      'src/routes.ts': `import { Router } from 'express';
import auth from './auth';
declare const prisma: any;
const router = Router();
router.post('/articles', auth.required, async (req, res) => { await prisma.article.create({ data: {} }); res.end(); });
router.get('/feed', auth.optional, async (req, res) => { res.json(await prisma.article.findMany()); });
router.post('/drafts', auth.optional, async (req, res) => { await prisma.draft.create({ data: {} }); res.end(); });
export default router;
`,
    });
    expect(rows['POST /articles']?.guard).toContain('express-jwt');
    expect(reported(rows['POST /drafts'])).toBe(true);
    // A read behind optional authentication is public on purpose; a write behind it is still reported.
    expect(rows['GET /feed']?.public).toMatch(/optional on purpose/);
  });

  it('counts the generated RBAC guard guards.requirePermission(…), and not a factory method that checks nothing (#16)', async () => {
    const { rows } = await inventory({
      'src/authz/express.ts': `import type { RequestHandler, Response } from 'express';
function readPrincipal(value: unknown): { tenantId: string } | null { return value as never; }
function unauthenticated(res: Response): void { res.status(401).json({ error: 'unauthenticated' }); }
export function createExpressGuards(authorizer: { allowed(p: unknown, a: string): Promise<boolean> }) {
  return {
    requirePermission(action: string): RequestHandler {
      return async (req, res, next) => {
        const principal = readPrincipal(res.locals.principal);
        if (principal === null) return unauthenticated(res);
        if (!(await authorizer.allowed(principal, action))) { res.status(403).end(); return; }
        next();
      };
    },
    logAction(action: string): RequestHandler {
      return (req, res, next) => { console.log(action); next(); };
    },
  };
}
`,
      'src/app.ts': `import express from 'express';
import { createExpressGuards } from './authz/express.js';
declare const prisma: any;
declare const authorizer: any;
const app = express();
const guards = createExpressGuards(authorizer);
app.post('/invites', guards.requirePermission('member.invite'), async (req, res) => { await prisma.invite.create({ data: {} }); res.end(); });
app.post('/notes', guards.logAction('note.create'), async (req, res) => { await prisma.note.create({ data: {} }); res.end(); });
`,
    });
    expect(rows['POST /invites']?.guard).toContain('requirePermission');
    expect(reported(rows['POST /notes'])).toBe(true);
  });
});
