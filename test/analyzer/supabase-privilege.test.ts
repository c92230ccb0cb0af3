/**
 * The Supabase privilege-path checks over the final schema state: each pattern as real migrations
 * write it, and the look-alikes that must stay quiet (issue #15).
 */
import { describe, expect, it } from 'vitest';

import { noSelfPrivilegeUpdate } from '../../src/analyzer/checks/no-self-privilege-update.js';
import { requireDefinerAuthCheck } from '../../src/analyzer/checks/require-definer-auth-check.js';
import { requireRls } from '../../src/analyzer/checks/require-rls.js';
import { requireTenantInRolePolicy } from '../../src/analyzer/checks/require-tenant-in-role-policy.js';
import { type AnalyzerCheck, FindingSink } from '../../src/analyzer/checks/shared.js';
import type { ProjectModel } from '../../src/analyzer/model.js';
import { readSqlFile } from '../../src/analyzer/readers/sql.js';

function run(check: AnalyzerCheck, ...migrations: string[]): string[] {
  const sql = migrations.map((text, index) => readSqlFile(`supabase/migrations/${String(index)}_m.sql`, text));
  const model = {
    sql,
    config: { exposedSchemas: ['public'], exposedSchemasConfigured: false, tenantKeys: [] },
  } as unknown as ProjectModel;
  const sink = new FindingSink('/nonexistent');
  check.run(model, sink);
  return sink.findings.map((finding) => `${finding.file.replace('supabase/migrations/', '')}:${String(finding.line)}`);
}

const PROFILES = `create table public.profiles (id uuid primary key references auth.users, full_name text, role text not null default 'member', credits int default 0);
alter table public.profiles enable row level security;`;

describe('require-definer-auth-check', () => {
  it('reports a callable SECURITY DEFINER function that writes with caller-chosen arguments', () => {
    expect(
      run(
        requireDefinerAuthCheck,
        `${PROFILES}
create or replace function public.add_credits(target uuid, amount int)
returns void language plpgsql security definer set search_path = public as $$
begin
  update profiles set credits = credits + amount where id = target;
end;
$$;`,
      ),
    ).toEqual(['0_m.sql:3']);
  });

  it('stays quiet when the function checks the caller, directly or through a helper, or is not callable', () => {
    const helper = `create function public.is_admin() returns boolean language sql stable security definer as $$
  select exists (select 1 from profiles where id = auth.uid() and role = 'admin') $$;`;
    expect(
      run(
        requireDefinerAuthCheck,
        `${PROFILES}
${helper}
create function public.grant_credits(target uuid, amount int) returns void language plpgsql security definer as $$
begin
  if not public.is_admin() then raise exception 'forbidden'; end if;
  update profiles set credits = credits + amount where id = target;
end $$;
create function public.rename_me(new_name text) returns void language sql security definer as $$
  update profiles set full_name = new_name where id = auth.uid() $$;
create function public.server_only(target uuid) returns void language sql security definer as $$
  delete from profiles where id = target $$;
revoke execute on function public.server_only(uuid) from public, anon, authenticated;
create function public.invoker_fn(target uuid) returns void language sql as $$
  delete from profiles where id = target $$;
create function public.sync_profile() returns trigger language plpgsql security definer as $$
begin insert into profiles (id) values (new.id); return new; end $$;
create function public.stats(since date) returns bigint language sql security definer as $$
  select count(*) from profiles $$;`,
      ),
    ).toEqual([]);
  });

  it('counts an HTTP call that deletes (pg_net or the http extension) as a write', () => {
    expect(
      run(
        requireDefinerAuthCheck,
        `create function public.remove_file(bucket text, path text) returns void language plpgsql security definer as $$
begin
  perform net.http_delete(url := 'https://project.supabase.co/storage/v1/object/' || bucket || '/' || path);
end $$;`,
      ),
    ).toEqual(['0_m.sql:1']);
  });

  it('judges the final state: a later REVOKE, or a replacement that checks the caller, clears it', () => {
    const open = `${PROFILES}
create function public.set_role(target uuid, new_role text) returns void language sql security definer as $$
  update profiles set role = new_role where id = target $$;`;
    expect(run(requireDefinerAuthCheck, open)).toEqual(['0_m.sql:3']);
    expect(
      run(
        requireDefinerAuthCheck,
        open,
        'revoke all on function public.set_role(uuid, text) from public, anon, authenticated;',
      ),
    ).toEqual([]);
    // Revoking PUBLIC alone leaves Supabase's default grants to anon and authenticated.
    expect(
      run(requireDefinerAuthCheck, open, 'revoke all on function public.set_role(uuid, text) from public;'),
    ).toEqual(['0_m.sql:3']);
  });

  it('reports rows returned for a caller-chosen person, not ids-only helpers, scalars or caller-checked reads', () => {
    const progress = `create table public.progress (id uuid primary key, student_id uuid, item_id uuid, status text, minutes int);
alter table public.progress enable row level security;`;
    expect(
      run(
        requireDefinerAuthCheck,
        `${progress}
create or replace function public.learner_report(student_uuid uuid, course_uuid uuid default null)
returns table(total_items integer, done_items integer, rate decimal(5,2))
language plpgsql stable security definer set search_path = public as $$
begin
  return query select count(*)::int, count(*) filter (where status = 'done')::int, 0::decimal(5,2)
  from public.progress p where p.student_id = student_uuid;
end $$;`,
      ),
    ).toEqual(['0_m.sql:3']);
    expect(
      run(
        requireDefinerAuthCheck,
        `${progress}
create function public.user_item_ids(_user_id uuid) returns setof uuid language sql stable security definer as $$
  select item_id from public.progress where student_id = _user_id $$;
create function public.get_user_roles(_user_id uuid) returns table(role text, primary_role public.app_role)
language sql stable security definer as $$ select status, null from public.progress where student_id = _user_id $$;
create function public.completion(student_uuid uuid) returns decimal(5,2) language sql stable security definer as $$
  select avg(minutes) from public.progress where student_id = student_uuid $$;
create function public.my_report(student_uuid uuid) returns setof public.progress language sql stable security definer as $$
  select * from public.progress where student_id = student_uuid and student_uuid = auth.uid() $$;
create function public.item_report(item_uuid uuid) returns setof public.progress language sql stable security definer as $$
  select * from public.progress where item_id = item_uuid $$;`,
      ),
    ).toEqual([]);
  });
});

describe('no-self-privilege-update', () => {
  it('reports an own-row UPDATE policy on a row that holds role or credits', () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${PROFILES}
create policy "update own profile" on public.profiles for update to authenticated
  using (auth.uid() = id) with check (auth.uid() = id);`,
      ),
    ).toEqual(['0_m.sql:3']);
  });

  it('stays quiet on a role column nothing in the schema compares (a label, not a privilege)', () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `create table public.participants (id uuid primary key, user_id uuid not null, role text default 'viewer');
alter table public.participants enable row level security;
create policy "own participation" on public.participants for all using (auth.uid() = user_id);`,
      ),
    ).toEqual([]);
  });

  it('stays quiet with a guard trigger, column grants, a WITH CHECK that pins the column, or an admin-only policy', () => {
    const policy = `create policy "update own profile" on public.profiles for update to authenticated using (auth.uid() = id);`;
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${PROFILES}
${policy}
create function public.keep_privileges() returns trigger language plpgsql as $$
begin
  if new.role is distinct from old.role or new.credits is distinct from old.credits then raise exception 'not allowed'; end if;
  return new;
end $$;
create trigger keep_privileges before update on public.profiles for each row execute function public.keep_privileges();`,
      ),
    ).toEqual([]);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${PROFILES}
${policy}
revoke update on public.profiles from authenticated, anon;
grant update (full_name) on public.profiles to authenticated;`,
      ),
    ).toEqual([]);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${PROFILES}
create policy "admins edit" on public.profiles for update to authenticated
  using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.role = 'admin'));
create table public.messages (id uuid primary key, user_id uuid, role text, content text);
alter table public.messages enable row level security;
create policy "own messages" on public.messages for all using (user_id = auth.uid());`,
      ),
    ).toEqual([]);
  });
});

describe('no-self-privilege-update: sign-up metadata and self-joins', () => {
  it('reports a sign-up trigger that copies role from raw_user_meta_data, not one that copies a name', () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${PROFILES}
create function public.handle_new_user() returns trigger language plpgsql security definer as $$
begin
  insert into public.profiles (id, full_name, role)
  values (new.id, new.raw_user_meta_data->>'full_name', coalesce(new.raw_user_meta_data->>'role', 'member'));
  return new;
end $$;`,
        `create or replace function public.handle_new_user() returns trigger language plpgsql security definer as $$
begin
  insert into public.profiles (id, full_name) values (new.id, new.raw_user_meta_data->>'full_name');
  return new;
end $$;`,
      ),
    ).toEqual([]);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `create function public.handle_new_user() returns trigger language plpgsql security definer as $$
begin
  insert into public.profiles (id, role) values (new.id, coalesce(new.raw_user_meta_data->>'role', 'member'));
  return new;
end $$;`,
      ),
    ).toEqual(['0_m.sql:1']);
  });

  it('reports an INSERT policy that lets a user join any organization with any role, not one that pins the role', () => {
    const memberships = `create table public.memberships (id uuid primary key, organization_id uuid not null, user_id uuid not null, role text not null);
alter table public.memberships enable row level security;
create policy "owners manage" on public.memberships for delete to authenticated
  using (exists (select 1 from public.memberships m where m.user_id = auth.uid() and m.role = 'owner' and m.organization_id = memberships.organization_id));`;
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${memberships}
create policy "join" on public.memberships for insert to authenticated with check (user_id = auth.uid());`,
      ),
    ).toEqual(['0_m.sql:5']);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${memberships}
create policy "join as member" on public.memberships for insert to authenticated with check (user_id = auth.uid() and role = 'member');
create policy "join invited" on public.memberships for insert to authenticated
  with check (user_id = auth.uid() and exists (select 1 from public.invites i where i.organization_id = memberships.organization_id));`,
      ),
    ).toEqual([]);
  });
});

describe('no-self-privilege-update: invitations', () => {
  const INVITES = `create table public.memberships (organization_id uuid, user_id uuid, role text);
alter table public.memberships enable row level security;
create table public.invitations (id uuid primary key, organization_id uuid not null, email text, role text not null default 'member', token uuid);
alter table public.invitations enable row level security;
create function public.redeem_invitation(p_token uuid) returns void language plpgsql security definer as $$
declare v record;
begin
  select inv.organization_id, inv.role into v from invitations inv where inv.token = p_token;
  insert into memberships (organization_id, user_id, role) values (v.organization_id, auth.uid(), v.role);
end $$;`;

  it('reports an invitation INSERT policy that checks only membership when accepting grants the role', () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${INVITES}
create policy "members invite" on public.invitations for insert to authenticated
with check (exists (select 1 from memberships where organization_id = invitations.organization_id and user_id = auth.uid()));`,
      ),
    ).toEqual(['0_m.sql:11']);
  });

  it("stays quiet when the inviter's role or the invited role is checked, or accepting does not grant it", () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${INVITES}
create function public.can_invite(org uuid) returns boolean language sql stable security definer as $$
  select exists (select 1 from memberships where organization_id = org and user_id = auth.uid() and role in ('owner', 'admin')) $$;
create policy "admins invite" on public.invitations for insert to authenticated
with check (exists (select 1 from memberships m where m.organization_id = invitations.organization_id and m.user_id = auth.uid() and m.role = 'admin'));
create policy "members invite members" on public.invitations for insert to authenticated
with check (role = 'member' and exists (select 1 from memberships where organization_id = invitations.organization_id and user_id = auth.uid()));
create policy "helper decides" on public.invitations for insert to authenticated with check (public.can_invite(organization_id));`,
      ),
    ).toEqual([]);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `create table public.invitations (id uuid primary key, organization_id uuid not null, email text, role text);
alter table public.invitations enable row level security;
create policy "members invite" on public.invitations for insert to authenticated
with check (exists (select 1 from public.memberships where organization_id = invitations.organization_id and user_id = auth.uid()));`,
      ),
    ).toEqual([]);
  });
});

describe('no-self-privilege-update: payment records', () => {
  const ORDERS = `create table public.memberships (organization_id uuid, user_id uuid, role text);
alter table public.memberships enable row level security;
create table public.orders (id uuid primary key, buyer_org_id uuid, seller_org_id uuid, total_cents int, fee_cents int, status text, paid_at timestamptz, stripe_payment_intent_id text);
alter table public.orders enable row level security;`;
  const PARTY = `exists (select 1 from memberships m where m.user_id = auth.uid() and m.organization_id in (orders.buyer_org_id, orders.seller_org_id))`;

  it('reports party-member writes of rows that record a payment', () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${ORDERS}
create policy "parties update orders" on public.orders for update to authenticated using (${PARTY}) with check (${PARTY});
create policy "parties create orders" on public.orders for insert to authenticated with check (${PARTY});`,
      ),
    ).toEqual(['0_m.sql:5', '0_m.sql:6']);
  });

  it('stays quiet for reads, staff-only writes, guarded or ungranted columns, and tables without payment records', () => {
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${ORDERS}
create policy "parties read orders" on public.orders for select to authenticated using (${PARTY});
create policy "org admins update orders" on public.orders for update to authenticated
  using (exists (select 1 from memberships m where m.user_id = auth.uid() and m.role = 'admin' and m.organization_id = orders.seller_org_id));
create policy "server writes" on public.orders for all to service_role using (true);`,
      ),
    ).toEqual([]);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `${ORDERS}
create policy "parties update orders" on public.orders for update to authenticated using (${PARTY});
revoke update on public.orders from anon, authenticated;
grant update (status) on public.orders to authenticated;`,
      ),
    ).toEqual([]);
    expect(
      run(
        noSelfPrivilegeUpdate,
        `create table public.tickets (id uuid primary key, organization_id uuid, estimated_cost int, status text);
alter table public.tickets enable row level security;
create policy "members update tickets" on public.tickets for update to authenticated
  using (organization_id in (select organization_id from public.memberships where user_id = auth.uid()));`,
      ),
    ).toEqual([]);
  });
});

describe('require-rls on the final state', () => {
  it('reports an open write policy only while it still exists', () => {
    const open = `create table public.notes (id int, owner uuid);
alter table public.notes enable row level security;
create policy "anyone edits" on public.notes for update using (true);
create policy "server writes" on public.notes for insert to service_role with check (true);`;
    expect(run(requireRls, open)).toEqual(['0_m.sql:3']);
    expect(run(requireRls, open, 'drop policy if exists "anyone edits" on public.notes;')).toEqual([]);
    expect(
      run(requireRls, `create table public.locked (id int);\nalter table public.locked enable row level security;`),
    ).toEqual([]);
  });
});

describe('require-rls on storage policies', () => {
  const APP = `create table public.organization_members (organization_id uuid not null, user_id uuid not null, role text);
alter table public.organization_members enable row level security;
insert into storage.buckets (id, name, public) values ('recordings', 'recordings', false);
insert into storage.buckets (id, name, public, file_size_limit) values ('logos', 'logos', true, 1048576) on conflict (id) do nothing;
create policy "members read their org recordings" on storage.objects for select to authenticated
  using (bucket_id = 'recordings' and (storage.foldername(name))[1] in (select organization_id::text from public.organization_members where user_id = auth.uid()));`;

  it('reports bucket-only reads of a private bucket by any signed-in user and bucket-only writes', () => {
    expect(
      run(
        requireRls,
        APP,
        `create policy "Org members can read recordings" on storage.objects for select
to authenticated
using (bucket_id = 'recordings');
create policy "System can delete recordings" on storage.objects for delete using (bucket_id = 'recordings');
create policy "System can upload recordings" on storage.objects for insert with check (bucket_id = 'recordings');
create policy "Signed-in users manage recordings" on storage.objects for update
  using (bucket_id = 'recordings' and (select auth.uid()) is not null);`,
      ),
    ).toEqual(['1_m.sql:1', '1_m.sql:4', '1_m.sql:5', '1_m.sql:6']);
  });

  it('stays quiet on public buckets, public reads, scoped paths, the server, and apps that keep no data apart', () => {
    expect(
      run(
        requireRls,
        APP,
        `create policy "logos are public" on storage.objects for select using (bucket_id = 'logos');
create policy "signed-in read logos" on storage.objects for select to authenticated using (bucket_id = 'logos');
create policy "upload own" on storage.objects for insert to authenticated
  with check (bucket_id = 'recordings' and (storage.foldername(name))[1] = auth.uid()::text);
create policy "signed-in upload" on storage.objects for insert to authenticated with check (bucket_id = 'recordings');
create policy "server deletes" on storage.objects for delete to service_role using (bucket_id = 'recordings');
create policy "own files" on storage.objects for delete to authenticated using (bucket_id = 'recordings' and owner = auth.uid());
create policy "either bucket" on storage.objects for select to authenticated using (bucket_id = 'recordings' or bucket_id = 'logos');`,
      ),
    ).toEqual([]);
    // A bucket made public later is readable by URL anyway; a single-team app has no one to keep apart.
    expect(
      run(
        requireRls,
        APP,
        `update storage.buckets set public = true where id = 'recordings';
create policy "team reads" on storage.objects for select to authenticated using (bucket_id = 'recordings');`,
      ),
    ).toEqual([]);
    expect(
      run(
        requireRls,
        `insert into storage.buckets (id, name, public) values ('files', 'files', false);
create policy "team reads" on storage.objects for select to authenticated using (bucket_id = 'files');`,
      ),
    ).toEqual([]);
  });
});

describe('require-rls on answer keys', () => {
  const QUIZ = `create table public.exam_items (id uuid primary key, exam_id uuid not null, prompt text, choices jsonb, correct_answer text not null);
alter table public.exam_items enable row level security;
create policy "authors manage items" on public.exam_items for all
  using (exists (select 1 from public.exams x where x.id = exam_items.exam_id and x.author_id = auth.uid()));`;

  it('reports a read policy that gives learners whole rows with the answer key', () => {
    expect(
      run(
        requireRls,
        `${QUIZ}
create policy "learners read items" on public.exam_items for select
  using (exists (select 1 from public.exams x join public.enrollments e on e.class_id = x.class_id
    where x.id = exam_items.exam_id and x.published and e.learner_id = auth.uid()));`,
      ),
    ).toEqual(['0_m.sql:5']);
  });

  it('stays quiet when only authors read the rows, or a column grant keeps the key out', () => {
    expect(run(requireRls, QUIZ)).toEqual([]);
    expect(
      run(
        requireRls,
        `${QUIZ}
create policy "learners read items" on public.exam_items for select to authenticated
  using (exists (select 1 from public.enrollments e where e.learner_id = auth.uid()));
revoke select on public.exam_items from anon, authenticated;
grant select (id, exam_id, prompt, choices) on public.exam_items to authenticated;`,
      ),
    ).toEqual([]);
  });
});

describe('require-tenant-in-role-policy', () => {
  const TABLES = `create table public.users (id uuid primary key, company_id uuid not null, role text not null);
create table public.invoices (id uuid primary key, company_id uuid not null, amount int);
alter table public.invoices enable row level security;`;

  it('reports a role check with no tenant comparison on a table that has a tenant column', () => {
    expect(
      run(
        requireTenantInRolePolicy,
        `${TABLES}
create policy "admins manage invoices" on public.invoices for all to authenticated
  using (exists (select 1 from public.users u where u.id = auth.uid() and u.role = 'admin'));`,
      ),
    ).toEqual(['0_m.sql:4']);
  });

  it('stays quiet when the tenant is compared, for platform roles, own rows and tables without a tenant', () => {
    expect(
      run(
        requireTenantInRolePolicy,
        `${TABLES}
create policy "company admins" on public.invoices for all to authenticated
  using (exists (select 1 from public.users u where u.id = auth.uid() and u.role = 'admin' and u.company_id = invoices.company_id));
create policy "staff" on public.invoices for select to authenticated using (public.has_role(auth.uid(), 'super_admin'));
create table public.settings (id uuid primary key, key text, value text);
alter table public.settings enable row level security;
create policy "admins edit settings" on public.settings for update using (public.is_admin());`,
      ),
    ).toEqual([]);
  });
});
