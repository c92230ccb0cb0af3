/**
 * no-unchecked-object-access (issue #15): the high-confidence part of object-level authorization.
 * A row reached by an id from the request through a client that bypasses row level security (the
 * service-role key) or a server ORM, on a handler that never checks who calls — or, through the
 * service-role client, that checks the caller but never ties the row to them. Quiet on membership
 * lookups written as queries, capability flows (widget keys, session ids), shared-secret callers,
 * signed-in callers through a server ORM, and rows that belong to no one.
 */
import { describe, expect, it } from 'vitest';

import { checkFiles } from './fixture-project.js';

function findings(files: Record<string, string>, preset: 'recommended' | 'strict' = 'recommended'): Promise<string[]> {
  return checkFiles(files, ['no-unchecked-object-access'], { preset });
}

const MIGRATION = `create table public.tickets (
  id uuid primary key,
  organization_id uuid not null,
  status text
);
alter table public.tickets enable row level security;
create table public.messages (
  id uuid primary key,
  ticket_id uuid not null,
  organization_id uuid not null,
  rating text
);
alter table public.messages enable row level security;
create table public.org_members (
  user_id uuid not null,
  organization_id uuid not null
);
create table public.widgets (
  id uuid primary key,
  widget_key text not null,
  organization_id uuid not null
);
create table public.app_settings (
  id uuid primary key,
  value text
);
`;

const ADMIN = `import { createClient } from 'https://esm.sh/@supabase/supabase-js@2';
`;

// A whole check per case (the ESLint rules too): generous, load-independent timeouts.
const SLOW = { timeout: 240_000 };

describe('no-unchecked-object-access', SLOW, () => {
  it('reports service-role edge functions and routes that never check the caller, and signed-in ones with no owner tie', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': MIGRATION,
      'supabase/functions/close-tickets/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const body = await req.json().catch(() => ({}));
  const organizationId = body.organizationId;
  if (!organizationId) return new Response('organizationId is required', { status: 400 });
  const { data } = await supabase
    .from('tickets')
    .update({ status: 'closed' })
    .eq('organization_id', organizationId);
  return Response.json(data);
});
`,
      'supabase/functions/get-message/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const authHeader = req.headers.get('Authorization') ?? '';
  const userClient = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: authHeader } },
  });
  const { data: { user } } = await userClient.auth.getUser();
  if (!user) return new Response('Unauthorized', { status: 401 });
  const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const messageId = new URL(req.url).searchParams.get('messageId');
  const { data } = await admin.from('messages').select('*').eq('id', messageId).single();
  return Response.json(data);
});
`,
      'app/api/tickets/route.ts': `import { createClient } from '@supabase/supabase-js';

const supabaseAdmin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);

export async function POST(request: Request) {
  const { ticketId } = await request.json();
  const { data } = await supabaseAdmin.from('tickets').select('*').eq('id', ticketId).single();
  return Response.json(data);
}
`,
    });
    expect(found).toEqual([
      'no-unchecked-object-access app/api/tickets/route.ts:7',
      'no-unchecked-object-access supabase/functions/close-tickets/index.ts:8',
      'no-unchecked-object-access supabase/functions/get-message/index.ts:12',
    ]);
  });

  it('stays quiet on membership lookups, capability flows, shared secrets and rows that belong to no one', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': MIGRATION,
      'supabase/functions/move-ticket/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const userClient = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: req.headers.get('Authorization') ?? '' } },
  });
  const { data: { user } } = await userClient.auth.getUser();
  if (!user) return new Response('Unauthorized', { status: 401 });
  const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { ticketId, organizationId } = await req.json();
  const { data: membership } = await admin
    .from('org_members')
    .select('user_id')
    .eq('user_id', user.id)
    .eq('organization_id', organizationId)
    .maybeSingle();
  if (!membership) return new Response('Forbidden', { status: 403 });
  await admin.from('tickets').update({ status: 'moved' }).eq('id', ticketId);
  return Response.json({ ok: true });
});
`,
      'supabase/functions/rate-message/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { widgetKey, messageId, rating } = await req.json();
  const { data: widget } = await supabase.from('widgets').select('organization_id').eq('widget_key', widgetKey).single();
  if (!widget) return new Response('Widget not found', { status: 404 });
  await supabase.from('messages').update({ rating }).eq('id', messageId);
  return Response.json({ ok: true });
});
`,
      'supabase/functions/nightly-close/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  if (req.headers.get('authorization') !== \`Bearer \${Deno.env.get('CRON_SECRET')}\`) {
    return new Response('Unauthorized', { status: 401 });
  }
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { organizationId } = await req.json();
  await supabase.from('tickets').update({ status: 'closed' }).eq('organization_id', organizationId);
  return Response.json({ ok: true });
});
`,
      'app/api/settings/route.ts': `import { createClient } from '@supabase/supabase-js';

const supabaseAdmin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);

export async function POST(request: Request) {
  const { settingId } = await request.json();
  const { data } = await supabaseAdmin.from('app_settings').select('value').eq('id', settingId).single();
  return Response.json(data);
}
`,
    });
    expect(found).toEqual([]);
  });

  it('follows a service-role client handed to a helper as a parameter, when the file makes no other client', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': MIGRATION,
      'supabase/functions/review/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const body = await req.json();
  if (body.action === 'update') return await handleUpdate(supabase, body);
  return new Response('Unknown action', { status: 400 });
});

async function handleUpdate(supabase: any, body: any) {
  const { id, status } = body;
  await supabase.from('tickets').update({ status }).eq('id', id);
  return Response.json({ ok: true });
}
`,
      'supabase/functions/review-own/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: req.headers.get('Authorization') ?? '' } },
  });
  const body = await req.json();
  return await handleUpdate(supabase, body);
});

async function handleUpdate(supabase: any, body: any) {
  const { id, status } = body;
  await supabase.from('tickets').update({ status }).eq('id', id);
  return Response.json({ ok: true });
}
`,
    });
    expect(found).toEqual(['no-unchecked-object-access supabase/functions/review/index.ts:6']);
  });

  it('stays quiet when a helper reaches the row by a capability the caller holds (a widget session id)', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': `${MIGRATION}
create table public.widget_sessions (
  id uuid primary key,
  organization_id uuid not null,
  last_seen_at timestamptz
);
`,
      'supabase/functions/chat-widget/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const sessionId = new URL(req.url).searchParams.get('sessionId');
  if (!sessionId) return new Response('Session ID required', { status: 400 });
  return await handleGetMessages(supabase, sessionId);
});

async function handleGetMessages(supabase: any, sessionId: string) {
  const { data } = await supabase.from('messages').select('*').eq('ticket_id', sessionId);
  return Response.json(data);
}
`,
      'supabase/functions/chat-ping/index.ts': `${ADMIN}
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const body = await req.json();
  return await handlePing(supabase, body);
});

async function handlePing(supabase: any, body: any) {
  const { id } = body;
  await supabase.from('widget_sessions').update({ last_seen_at: new Date().toISOString() }).eq('id', id);
  return Response.json({ ok: true });
}
`,
    });
    expect(found).toEqual([]);
  });

  it('reports a Server Action that changes a row by a client id through a helper, not one that checks the session', async () => {
    const files = {
      'lib/db/schema.ts': `import { pgTable, uuid, varchar } from 'drizzle-orm/pg-core';

export const chat = pgTable('Chat', {
  id: uuid('id').primaryKey(),
  userId: uuid('userId').notNull(),
  visibility: varchar('visibility').notNull(),
});
`,
      'lib/db/queries.ts': `import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { chat } from './schema';

const db = drizzle(postgres(process.env.POSTGRES_URL!));

export async function updateChatVisibilityById({ chatId, visibility }: { chatId: string; visibility: string }) {
  return db.update(chat).set({ visibility }).where(eq(chat.id, chatId));
}
`,
      'app/chat/actions.ts': `'use server';

import { auth } from '@/app/auth';
import { updateChatVisibilityById } from '@/lib/db/queries';

export async function updateChatVisibility({ chatId, visibility }: { chatId: string; visibility: string }) {
  await updateChatVisibilityById({ chatId, visibility });
}

export async function archiveChat({ chatId }: { chatId: string }) {
  const session = await auth();
  if (!session?.user) throw new Error('Unauthorized');
  await updateChatVisibilityById({ chatId, visibility: 'archived' });
}
`,
      'app/auth.ts': `export async function auth(): Promise<{ user?: { id: string } } | null> {
  return null;
}
`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    };
    const found = await findings(files);
    expect(found).toEqual(['no-unchecked-object-access app/chat/actions.ts:7']);
    // In strict, the broader check would report the same call: one finding remains.
    expect(await findings(files, 'strict')).toEqual(['no-unchecked-object-access app/chat/actions.ts:7']);
  });

  const RPC_MIGRATION = `create table public.files (
  id uuid primary key,
  user_id uuid not null,
  name text
);
alter table public.files enable row level security;
create table public.file_chunks (
  id uuid primary key,
  file_id uuid not null,
  user_id uuid not null,
  content text,
  embedding vector(3)
);
alter table public.file_chunks enable row level security;
create table public.projects (
  id uuid primary key,
  owner_id uuid not null,
  archived boolean default false
);
alter table public.projects enable row level security;
create function match_chunks(query_embedding vector(3), match_count int, file_ids uuid[])
returns table (id uuid, content text) language plpgsql as $$
begin
  return query select c.id, c.content from file_chunks c where c.file_id = any(file_ids) limit match_count;
end;
$$;
create function match_any_chunks(query_embedding vector(3), match_count int)
returns table (id uuid, content text) language plpgsql as $$
begin
  return query select c.id, c.content from file_chunks c limit match_count;
end;
$$;
create function archive_project(p_project_id uuid) returns void language plpgsql security definer as $$
begin
  update projects set archived = true where id = p_project_id;
end;
$$;
create function archive_own_project(p_project_id uuid) returns void language plpgsql security definer as $$
begin
  update projects set archived = true where id = p_project_id and owner_id = auth.uid();
end;
$$;
create function rename_project(p_project_id uuid) returns void language sql as $$
  update projects set archived = false where id = p_project_id;
$$;
`;
  const USER_CLIENT = `import { createClient } from '@supabase/supabase-js';

function userClient(request: Request) {
  return createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    global: { headers: { Authorization: request.headers.get('Authorization') ?? '' } },
  });
}
`;

  it('reports rpc() with request ids through the service-role client or into a SECURITY DEFINER function that never reads the caller', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': RPC_MIGRATION,
      'app/api/retrieve/route.ts': `import { createClient } from '@supabase/supabase-js';
import { getServerProfile } from '@/lib/server';

export async function POST(request: Request) {
  const json = await request.json();
  const { fileIds, embedding } = json as { fileIds: string[]; embedding: number[] };
  const uniqueFileIds = [...new Set(fileIds)];
  const supabaseAdmin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  const profile = await getServerProfile();
  const { data } = await supabaseAdmin.rpc('match_chunks', {
    query_embedding: embedding,
    match_count: profile.chunk_count,
    file_ids: uniqueFileIds,
  });
  return Response.json({ results: data });
}
`,
      'app/api/projects/archive/route.ts': `${USER_CLIENT}
export async function POST(request: Request) {
  const supabase = userClient(request);
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return new Response('Unauthorized', { status: 401 });
  const { projectId } = await request.json();
  await supabase.rpc('archive_project', { p_project_id: projectId });
  return Response.json({ ok: true });
}
`,
      'lib/server.ts': `import { createClient } from '@supabase/supabase-js';
import { cookies } from 'next/headers';

export async function getServerProfile() {
  const token = (await cookies()).get('sb-access-token')?.value;
  const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);
  const { data: { user } } = await supabase.auth.getUser(token);
  if (!user) throw new Error('User not found');
  const { data: profile } = await supabase.from('profiles').select('*').eq('user_id', user.id).single();
  return profile;
}
`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    expect(found).toEqual([
      'no-unchecked-object-access app/api/projects/archive/route.ts:14',
      'no-unchecked-object-access app/api/retrieve/route.ts:10',
    ]);
  });

  it('stays quiet on rpc() with no request ids, through the user client into an invoker or caller-checking function, after the ids were checked, or into an undeclared function', async () => {
    const found = await findings({
      'supabase/migrations/0001_init.sql': RPC_MIGRATION,
      'app/api/search/route.ts': `import { createClient } from '@supabase/supabase-js';

export async function POST(request: Request) {
  const supabaseAdmin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  const { embedding } = await request.json();
  const { data } = await supabaseAdmin.rpc('match_any_chunks', { query_embedding: embedding, match_count: 5 });
  return Response.json(data);
}
`,
      'app/api/projects/rename/route.ts': `${USER_CLIENT}
export async function POST(request: Request) {
  const supabase = userClient(request);
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return new Response('Unauthorized', { status: 401 });
  const { projectId } = await request.json();
  await supabase.rpc('rename_project', { p_project_id: projectId });
  await supabase.rpc('archive_own_project', { p_project_id: projectId });
  return Response.json({ ok: true });
}
`,
      'app/api/retrieve/route.ts': `import { createClient } from '@supabase/supabase-js';

export async function POST(request: Request) {
  const userClient = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    global: { headers: { Authorization: request.headers.get('Authorization') ?? '' } },
  });
  const { data: { user } } = await userClient.auth.getUser();
  if (!user) return new Response('Unauthorized', { status: 401 });
  const supabaseAdmin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  const { fileIds, embedding } = await request.json();
  const { data: owned } = await supabaseAdmin.from('files').select('id').in('id', fileIds).eq('user_id', user.id);
  if ((owned ?? []).length !== fileIds.length) return new Response('Forbidden', { status: 403 });
  const { data } = await supabaseAdmin.rpc('match_chunks', { query_embedding: embedding, match_count: 5, file_ids: fileIds });
  const { data: more } = await supabaseAdmin.rpc('match_external_chunks', { file_ids: fileIds });
  return Response.json({ data, more });
}
`,
    });
    expect(found).toEqual([]);
  });

  const DOCUMENT_DB = {
    'lib/db/schema.ts': `import { pgTable, text, uuid } from 'drizzle-orm/pg-core';

export const document = pgTable('Document', {
  id: uuid('id').primaryKey(),
  userId: uuid('userId').notNull(),
  title: text('title').notNull(),
  content: text('content'),
});
`,
    'lib/db/queries.ts': `import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { document } from './schema';

const db = drizzle(postgres(process.env.POSTGRES_URL!));

export async function getDocumentById({ id }: { id: string }) {
  const [row] = await db.select().from(document).where(eq(document.id, id));
  return row;
}

export async function getOwnDocument({ id, userId }: { id: string; userId: string }) {
  const [row] = await db.select().from(document).where(and(eq(document.id, id), eq(document.userId, userId)));
  return row;
}

export async function saveDocument({ id, userId, title }: { id: string; userId: string; title: string }) {
  return db.insert(document).values({ id, userId, title });
}
`,
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
  };

  it('reports an AI SDK tool that loads a document by the id the model chose for the signed-in user without comparing its owner', async () => {
    const found = await findings({
      ...DOCUMENT_DB,
      'lib/ai/tools/edit-document.ts': `import { tool } from 'ai';
import type { Session } from 'next-auth';
import { z } from 'zod';
import { getDocumentById, saveDocument } from '@/lib/db/queries';

export const editDocument = ({ session }: { session: Session }) =>
  tool({
    description: 'Edit a document',
    inputSchema: z.object({ id: z.string(), title: z.string() }),
    execute: async ({ id, title }) => {
      const doc = await getDocumentById({ id });
      if (!doc) return { error: 'Document not found' };
      await saveDocument({ id, userId: session.user?.id ?? '', title: doc.title + ' / ' + title });
      return { id, title };
    },
  });
`,
    });
    expect(found).toEqual(['no-unchecked-object-access lib/ai/tools/edit-document.ts:11']);
  });

  it('stays quiet when the tool compares the owner, queries by id and user, creates the record, or has no caller in scope', async () => {
    const found = await findings({
      ...DOCUMENT_DB,
      'lib/ai/tools/documents.ts': `import { tool } from 'ai';
import type { Session } from 'next-auth';
import { z } from 'zod';
import { getDocumentById, getOwnDocument, saveDocument } from '@/lib/db/queries';

export const readDocument = ({ session }: { session: Session }) =>
  tool({
    description: 'Read a document',
    inputSchema: z.object({ id: z.string() }),
    execute: async ({ id }) => {
      const doc = await getDocumentById({ id });
      if (!doc || doc.userId !== session.user?.id) return { error: 'Document not found' };
      return doc;
    },
  });

export const summarizeDocument = ({ session }: { session: Session }) =>
  tool({
    description: 'Summarize a document',
    inputSchema: z.object({ documentId: z.string() }),
    execute: async ({ documentId }) => getOwnDocument({ id: documentId, userId: session.user?.id ?? '' }),
  });

export const createDocument = ({ session }: { session: Session }) =>
  tool({
    description: 'Create a document',
    inputSchema: z.object({ title: z.string() }),
    execute: async ({ title }) => {
      const id = crypto.randomUUID();
      await saveDocument({ id, userId: session.user?.id ?? '', title });
      return { id, title };
    },
  });
`,
      'lib/ai/tools/public-docs.ts': `import { tool } from 'ai';
import { z } from 'zod';
import { getDocumentById } from '@/lib/db/queries';

export const showPublicDocument = tool({
  description: 'Show a published document',
  inputSchema: z.object({ id: z.string() }),
  execute: async ({ id }) => getDocumentById({ id }),
});
`,
    });
    expect(found).toEqual([]);
  });
});
