/**
 * Privileged operations anyone can run (require-privileged-operation-auth) and roles granted from the
 * request without a caller-role check (no-unchecked-role-assignment), each as real handlers write
 * them, with the look-alikes that must stay quiet (issue #15).
 */
import { describe, expect, it } from 'vitest';

import { checkFiles } from './fixture-project.js';

function findings(files: Record<string, string>, ruleIds: readonly string[]): Promise<string[]> {
  return checkFiles(files, ruleIds);
}

const SERVICE_CLIENT = `import { createClient } from 'npm:@supabase/supabase-js@2';
const cors = { 'Access-Control-Allow-Origin': '*' };
`;

const PRIVILEGED = ['require-privileged-operation-auth', 'require-edge-function-auth'];
const TIMEOUT = 120_000;

describe('require-privileged-operation-auth: edge functions', () => {
  it(
    'reports admin API calls, request objects written through the service role and open mail relays, at the handler',
    async () => {
      expect(
        await findings(
          {
            'supabase/config.toml': '[functions.bulk-edit]\nverify_jwt = false\n',
            // An allow-list of e-mails is not authentication: whoever names one gets the link.
            'supabase/functions/magic-link/index.ts': `${SERVICE_CLIENT}
Deno.serve(async (req) => {
  const { email } = await req.json();
  if (!['dev@example.com'].includes(email)) return new Response('no', { status: 403, headers: cors });
  const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { data } = await admin.auth.admin.generateLink({ type: 'magiclink', email });
  return Response.json({ link: data.properties?.action_link });
});
`,
            'supabase/functions/bulk-edit/index.ts': `${SERVICE_CLIENT}
Deno.serve(async (req) => {
  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { changes } = await req.json();
  for (const change of changes) {
    const { name, fields } = change;
    const { data: rows } = await db.from('contacts').select('id').ilike('name', name).limit(1);
    if (rows?.length) await db.from('contacts').update(fields).eq('id', rows[0].id);
  }
  return new Response('ok', { headers: cors });
});
`,
            'supabase/functions/notify/index.ts': `import { Resend } from 'npm:resend';
const resend = new Resend(Deno.env.get('RESEND_API_KEY'));
Deno.serve(async (req) => {
  const body = await req.json();
  const { recipient, subject, html } = body;
  await resend.emails.send({ from: 'team@example.com', to: recipient, subject, html });
  return new Response('sent');
});
`,
          },
          PRIVILEGED,
        ),
      ).toEqual([
        'require-privileged-operation-auth supabase/functions/bulk-edit/index.ts:4',
        'require-privileged-operation-auth supabase/functions/magic-link/index.ts:4',
        'require-privileged-operation-auth supabase/functions/notify/index.ts:3',
      ]);
    },
    TIMEOUT,
  );

  it(
    'stays quiet for verified callers, shared secrets, session holders, fixed recipients and the caller’s own client',
    async () => {
      expect(
        await findings(
          {
            'supabase/functions/invite/index.ts': `${SERVICE_CLIENT}
Deno.serve(async (req) => {
  const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const token = (req.headers.get('Authorization') ?? '').replace('Bearer ', '');
  const { data: { user } } = await admin.auth.getUser(token);
  if (!user) return new Response('unauthorized', { status: 401 });
  const { email } = await req.json();
  await admin.auth.admin.inviteUserByEmail(email);
  return new Response('ok');
});
`,
            'supabase/functions/nightly-sync/index.ts': `${SERVICE_CLIENT}
Deno.serve(async (req) => {
  if (req.headers.get('x-cron-secret') !== Deno.env.get('CRON_SECRET')) return new Response('no', { status: 401 });
  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { rows } = await req.json();
  await db.from('stats').upsert(rows);
  return new Response('ok');
});
`,
            // The visitor holds the chat session id it was handed; the transcript goes where it asks.
            'supabase/functions/transcript/index.ts': `${SERVICE_CLIENT}
Deno.serve(async (req) => {
  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { sessionId, email } = await req.json();
  const { data: chat } = await db.from('chat_sessions').select('log').eq('id', sessionId).single();
  await fetch('https://api.resend.com/emails', {
    method: 'POST',
    headers: { Authorization: \`Bearer \${Deno.env.get('RESEND_API_KEY')}\` },
    body: JSON.stringify({ from: 'bot@example.com', to: [email], subject: 'Your chat', text: chat?.log }),
  });
  return new Response('ok');
});
`,
            'supabase/functions/contact/index.ts': `Deno.serve(async (req) => {
  const { message, email } = await req.json();
  console.log('contact from', { email });
  await fetch('https://api.sendgrid.com/v3/mail/send', {
    method: 'POST',
    headers: { Authorization: \`Bearer \${Deno.env.get('SENDGRID_API_KEY')}\` },
    body: JSON.stringify({ personalizations: [{ to: [{ email: 'support@example.com' }] }], from: { email: 'web@example.com' }, subject: 'Contact', content: [{ type: 'text/plain', value: message }] }),
  });
  return new Response('ok');
});
`,
            'supabase/functions/save-settings/index.ts': `import { createClient } from 'npm:@supabase/supabase-js@2';
Deno.serve(async (req) => {
  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: req.headers.get('Authorization')! } },
  });
  const { settings } = await req.json();
  await db.from('settings').update(settings).eq('owner', 'me');
  return new Response('ok');
});
`,
          },
          PRIVILEGED,
        ),
      ).toEqual([]);
    },
    TIMEOUT,
  );
});

const STRIPE = `import Stripe from 'stripe';
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
`;
const SESSION = `import { cookies } from 'next/headers';
export async function setSession(user: { id: number }) {
  (await cookies()).set('session', String(user.id), { httpOnly: true, secure: true, sameSite: 'lax' });
}
export async function getSession() {
  return (await cookies()).get('session')?.value;
}
`;

describe('require-privileged-operation-auth: routes', () => {
  it(
    'reports a route that logs in the user a Stripe Checkout Session names, and not one that checks the session first',
    async () => {
      expect(
        await findings(
          {
            'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
            'lib/stripe.ts': STRIPE,
            'lib/session.ts': SESSION,
            'app/api/checkout/success/route.ts': `import { NextRequest, NextResponse } from 'next/server';
import { stripe } from '@/lib/stripe';
import { setSession } from '@/lib/session';
import { findUser } from '@/lib/users';

export async function GET(request: NextRequest) {
  const sessionId = request.nextUrl.searchParams.get('session_id');
  if (!sessionId) return NextResponse.redirect(new URL('/pricing', request.url));
  const checkout = await stripe.checkout.sessions.retrieve(sessionId);
  const user = await findUser(Number(checkout.client_reference_id));
  if (!user) return NextResponse.redirect(new URL('/error', request.url));
  await setSession(user);
  return NextResponse.redirect(new URL('/dashboard', request.url));
}
`,
            'app/api/checkout/done/route.ts': `import { NextRequest, NextResponse } from 'next/server';
import { stripe } from '@/lib/stripe';
import { getSession, setSession } from '@/lib/session';
import { findUser } from '@/lib/users';

export async function GET(request: NextRequest) {
  const current = await getSession();
  if (!current) return NextResponse.redirect(new URL('/sign-in', request.url));
  const checkout = await stripe.checkout.sessions.retrieve(request.nextUrl.searchParams.get('session_id')!);
  const user = await findUser(Number(checkout.client_reference_id));
  if (user && String(user.id) === current) await setSession(user);
  return NextResponse.redirect(new URL('/dashboard', request.url));
}
`,
            'lib/users.ts': `export async function findUser(id: number) {
  return id > 0 ? { id } : undefined;
}
`,
          },
          ['require-privileged-operation-auth'],
        ),
      ).toEqual(['require-privileged-operation-auth app/api/checkout/success/route.ts:12']);
    },
    TIMEOUT,
  );
});

const ADMIN_CLIENT = `import { createClient } from '@supabase/supabase-js';
export function createAdminClient() {
  return createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
}
`;
const AUTH = `import { redirect } from 'next/navigation';
import { createClient } from '@/lib/supabase/server';
export async function requireUser() {
  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) redirect('/login');
  return user;
}
export async function requireAdmin() {
  const user = await requireUser();
  if (user.app_metadata.role !== 'admin') redirect('/');
  return user;
}
`;
const SERVER_CLIENT = `import { createServerClient } from '@supabase/ssr';
import { cookies } from 'next/headers';
export async function createClient() {
  const store = await cookies();
  return createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    cookies: { getAll: () => store.getAll(), setAll: () => {} },
  });
}
`;

describe('require-privileged-operation-auth: reads across owners behind a sign-in check only', () => {
  it(
    'reports a signed-in-only Server Action that returns every owner’s rows through the service role, and not its look-alikes',
    async () => {
      expect(
        await findings(
          {
            'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
            'lib/supabase/admin.ts': ADMIN_CLIENT,
            'lib/supabase/server.ts': SERVER_CLIENT,
            'lib/auth.ts': AUTH,
            'features/payouts/actions.ts': `'use server';
import { createAdminClient } from '@/lib/supabase/admin';
import { requireAdmin, requireUser } from '@/lib/auth';

export async function listPayouts(month: number) {
  await requireUser();
  const admin = createAdminClient();
  const { data, error } = await admin.from('payout_reports').select('*, seller:sellers(iban, tax_number)').eq('month', month);
  if (error) throw new Error(error.message);
  return data;
}

export async function listPayoutsForAdmins(month: number) {
  await requireAdmin();
  const admin = createAdminClient();
  const { data } = await admin.from('payout_reports').select('*').eq('month', month);
  return data;
}

export async function myPayouts(orgId: string) {
  const user = await requireUser();
  const admin = createAdminClient();
  const { data } = await admin.from('payout_reports').select('*').eq('organization_id', orgId).eq('user_id', user.id);
  return data;
}

export async function countPayouts() {
  await requireUser();
  const admin = createAdminClient();
  const { data } = await admin.from('payout_reports').select('id');
  return (data ?? []).length;
}
`,
          },
          ['require-privileged-operation-auth'],
        ),
      ).toEqual(['require-privileged-operation-auth features/payouts/actions.ts:8']);
    },
    TIMEOUT,
  );
});

const MIDDLEWARE = `import { getUser } from './session';
export function validatedActionWithUser<T>(schema: { parse(v: unknown): T }, action: (data: T, formData: FormData, user: { id: number }) => Promise<unknown>) {
  return async (prevState: unknown, formData: FormData) => {
    const user = await getUser();
    if (!user) throw new Error('User is not authenticated');
    return action(schema.parse(Object.fromEntries(formData)), formData, user);
  };
}
`;
const USER_SESSION = `import { cookies } from 'next/headers';
export async function getUser() {
  const id = (await cookies()).get('session')?.value;
  return id ? { id: Number(id) } : null;
}
`;

describe('no-unchecked-role-assignment', () => {
  it(
    'reports a Server Action and an Express route that write a role from the request with no caller-role check',
    async () => {
      expect(
        await findings(
          {
            'lib/auth/session.ts': USER_SESSION,
            'lib/auth/middleware.ts': MIDDLEWARE,
            'lib/db.ts': 'export const db: any = {};\nexport const invitations = {};\nexport const teamMembers = {};\n',
            'app/team/actions.ts': `'use server';
import { z } from 'zod';
import { validatedActionWithUser } from '@/lib/auth/middleware';
import { db, invitations } from '@/lib/db';

const inviteSchema = z.object({ email: z.string().email(), role: z.enum(['member', 'owner']) });

export const inviteMember = validatedActionWithUser(inviteSchema, async (data, _, user) => {
  const { email, role } = data;
  await db.insert(invitations).values({
    email,
    role,
    invitedBy: user.id,
  });
  return { success: true };
});
`,
            'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
            'server/app.ts': `import express from 'express';
import { PrismaClient } from '@prisma/client';
import { requireAuth } from './auth';
const prisma = new PrismaClient();
const app = express();
app.patch('/api/users/:id', requireAuth, async (req, res) => {
  const user = await prisma.user.update({
    where: { id: req.params.id },
    data: { name: req.body.name, role: req.body.role },
  });
  res.json(user);
});
export default app;
`,
            'server/auth.ts': `import type { Request, Response, NextFunction } from 'express';
import jwt from 'jsonwebtoken';
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  try {
    (req as any).user = jwt.verify(req.headers.authorization ?? '', process.env.JWT_SECRET!, { algorithms: ['HS256'] });
    next();
  } catch {
    res.status(401).end();
  }
}
`,
          },
          ['no-unchecked-role-assignment'],
        ),
      ).toEqual([
        'no-unchecked-role-assignment app/team/actions.ts:12',
        'no-unchecked-role-assignment server/app.ts:9',
      ]);
    },
    TIMEOUT,
  );

  it(
    'stays quiet when the caller’s role is checked, the role is fixed or the session’s, or the role is a chat message’s',
    async () => {
      expect(
        await findings(
          {
            'lib/auth/session.ts': USER_SESSION,
            'lib/auth/middleware.ts': MIDDLEWARE,
            'lib/db.ts':
              'export const db: any = {};\nexport const invitations = {};\nexport const messages = {};\nexport const teamMembers = {};\n',
            'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
            'app/team/actions.ts': `'use server';
import { z } from 'zod';
import { validatedActionWithUser } from '@/lib/auth/middleware';
import { db, invitations, messages, teamMembers } from '@/lib/db';

const inviteSchema = z.object({ email: z.string().email(), role: z.enum(['member', 'owner']) });

export const inviteMember = validatedActionWithUser(inviteSchema, async (data, _, user) => {
  const { email, role } = data;
  const membership = await db.query.teamMembers.findFirst({ where: { userId: user.id } });
  if (membership?.role !== 'owner') return { error: 'Only owners can invite' };
  await db.insert(invitations).values({ email, role, invitedBy: user.id });
  return { success: true };
});

export const acceptInvite = validatedActionWithUser(inviteSchema, async (data, _, user) => {
  const { email } = data;
  await db.insert(teamMembers).values({ userId: user.id, email, role: 'member' });
  return { success: true };
});

const messageSchema = z.object({ chatId: z.string(), role: z.enum(['user', 'assistant']), content: z.string() });

export const saveMessage = validatedActionWithUser(messageSchema, async (data, _, user) => {
  const { chatId, role, content } = data;
  await db.insert(messages).values({ chatId, role, content, userId: user.id });
  return { success: true };
});
`,
          },
          ['no-unchecked-role-assignment'],
        ),
      ).toEqual([]);
    },
    TIMEOUT,
  );
});

const SAFE_ACTION = `import { createServerActionProcedure } from 'zsa';
import { getUser } from './session';
export const authenticatedAction = createServerActionProcedure().handler(async () => {
  const user = await getUser();
  if (!user) throw new Error('User is not authenticated');
  return { user };
});
`;
const TEAM_DATA = `import { and, eq } from 'drizzle-orm';
import { db } from '@/lib/db';
import { teamMembers, teams } from '@/lib/schema';
export async function findMembership(userId: number, teamId: number) {
  return db.query.teamMembers.findFirst({ where: and(eq(teamMembers.userId, userId), eq(teamMembers.teamId, teamId)) });
}
export async function insertMembership(userId: number, teamId: number) {
  await db.insert(teamMembers).values({ userId, teamId });
}
export async function findTeam(teamId: number) {
  return db.query.teams.findFirst({ where: eq(teams.id, teamId) });
}
`;
const TEAM_SCHEMA = `import { boolean, integer, pgTable, serial } from 'drizzle-orm/pg-core';
export const teams = pgTable('teams', { id: serial('id').primaryKey(), isPublic: boolean('is_public').notNull() });
export const teamMembers = pgTable('team_members', { userId: integer('user_id').notNull(), teamId: integer('team_id').notNull() });
`;
const TEAM_FILES = {
  'lib/auth/session.ts': USER_SESSION,
  'lib/safe-action.ts': SAFE_ACTION.replace("'./session'", "'./auth/session'"),
  'lib/db.ts': 'export const db: any = {};\n',
  'lib/schema.ts': TEAM_SCHEMA,
  'data/teams.ts': TEAM_DATA,
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
};

describe('no-unchecked-role-assignment: self-join', () => {
  it(
    'reports an action that adds the caller to a team the client names after checking only that no membership exists',
    async () => {
      expect(
        await findings(
          {
            ...TEAM_FILES,
            'use-cases/teams.ts': `import { findMembership, insertMembership } from '@/data/teams';
export async function joinTeamUseCase(currentUser: { id: number }, teamId: number) {
  const existing = await findMembership(currentUser.id, teamId);
  if (existing) throw new Error('You already belong to this team');
  await insertMembership(currentUser.id, teamId);
}
`,
            'app/teams/[teamId]/actions.ts': `'use server';
import { z } from 'zod';
import { authenticatedAction } from '@/lib/safe-action';
import { joinTeamUseCase } from '@/use-cases/teams';

export const joinTeamAction = authenticatedAction
  .createServerAction()
  .input(z.number())
  .handler(async ({ input: teamId, ctx }) => {
    await joinTeamUseCase(ctx.user, teamId);
  });
`,
          },
          ['no-unchecked-role-assignment'],
        ),
      ).toEqual(['no-unchecked-role-assignment app/teams/[teamId]/actions.ts:10']);
    },
    TIMEOUT,
  );

  it(
    'stays quiet when the team’s visibility is checked, an invite is consumed, an admin adds someone after a role check, or the row is a join request',
    async () => {
      expect(
        await findings(
          {
            ...TEAM_FILES,
            'use-cases/teams.ts': `import { findMembership, findTeam, insertMembership } from '@/data/teams';
import { db } from '@/lib/db';
import { teamJoinRequests } from '@/lib/schema';

export async function joinPublicTeamUseCase(currentUser: { id: number }, teamId: number) {
  const team = await findTeam(teamId);
  if (!team?.isPublic) throw new Error('This team is private');
  await insertMembership(currentUser.id, teamId);
}

export async function acceptInviteUseCase(currentUser: { id: number }, teamId: number, token: string) {
  const invite = await db.query.invites.findFirst({ where: { token, teamId } });
  if (!invite) throw new Error('Invalid invite');
  await insertMembership(currentUser.id, teamId);
}

export async function addMemberUseCase(currentUser: { id: number; role: string }, teamId: number, userId: number) {
  if (currentUser.role !== 'admin') throw new Error('Only admins add members');
  await insertMembership(userId, teamId);
}

export async function requestToJoinUseCase(currentUser: { id: number }, teamId: number) {
  const existing = await findMembership(currentUser.id, teamId);
  if (existing) throw new Error('Already a member');
  await db.insert(teamJoinRequests).values({ userId: currentUser.id, teamId });
}
`,
            'app/teams/[teamId]/actions.ts': `'use server';
import { z } from 'zod';
import { authenticatedAction } from '@/lib/safe-action';
import { acceptInviteUseCase, addMemberUseCase, joinPublicTeamUseCase, requestToJoinUseCase } from '@/use-cases/teams';

export const joinTeamAction = authenticatedAction
  .createServerAction()
  .input(z.number())
  .handler(async ({ input: teamId, ctx }) => {
    await joinPublicTeamUseCase(ctx.user, teamId);
  });

export const acceptInviteAction = authenticatedAction
  .createServerAction()
  .input(z.object({ teamId: z.number(), token: z.string() }))
  .handler(async ({ input, ctx }) => {
    await acceptInviteUseCase(ctx.user, input.teamId, input.token);
  });

export const addMemberAction = authenticatedAction
  .createServerAction()
  .input(z.object({ teamId: z.number(), userId: z.number() }))
  .handler(async ({ input, ctx }) => {
    await addMemberUseCase(ctx.user, input.teamId, input.userId);
  });

export const requestToJoinAction = authenticatedAction
  .createServerAction()
  .input(z.number())
  .handler(async ({ input: teamId, ctx }) => {
    await requestToJoinUseCase(ctx.user, teamId);
  });
`,
          },
          ['no-unchecked-role-assignment'],
        ),
      ).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('no-client-chosen-amount', () => {
  it(
    'reports a trial length or amount from a Server Action’s arguments and credits granted for a chosen amount, and not server-side prices or paid grants',
    async () => {
      expect(
        await findings(
          {
            'app/billing/actions.ts': `'use server';
import Stripe from 'stripe';
import { addCredits } from './credits';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const PRICES: Record<string, { cents: number; trialDays: number }> = { pro: { cents: 900, trialDays: 14 } };

export async function subscribe(price: { id: string; trial_period_days: number | null }) {
  const params = {
    mode: 'subscription' as const,
    line_items: [{ price: price.id, quantity: 1 }],
    subscription_data: { trial_end: Math.floor(Date.now() / 1000) + (price.trial_period_days ?? 0) * 86400 },
  };
  return (await stripe.checkout.sessions.create(params)).url;
}

export async function buyPlan(planId: string) {
  const plan = PRICES[planId];
  return (await stripe.paymentIntents.create({ amount: plan?.cents ?? 0, currency: 'eur' })).client_secret;
}

export async function buyCredits(amount: number, reference: string) {
  return addCredits('org', amount, reference);
}

export async function redeemCheckout(sessionId: string) {
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  if (session.payment_status !== 'paid') throw new Error('unpaid');
  const credits = Number(session.metadata?.credits ?? 0);
  return addCredits('org', credits, session.id);
}
`,
            'app/billing/credits.ts': `export async function addCredits(org: string, amount: number, reference: string) {
  return { org, amount, reference };
}
`,
          },
          ['no-client-chosen-amount'],
        ),
      ).toEqual([
        'no-client-chosen-amount app/billing/actions.ts:12',
        'no-client-chosen-amount app/billing/actions.ts:23',
      ]);
    },
    TIMEOUT,
  );
});
