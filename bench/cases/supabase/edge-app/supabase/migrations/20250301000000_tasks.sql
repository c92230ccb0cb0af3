create schema api;

create table api.tasks ( -- expect: supabase
  id uuid primary key default gen_random_uuid(),
  owner uuid not null,
  title text not null
);

create table public.teams (id uuid primary key, name text not null);
alter table public.teams enable row level security;
create policy "members read teams" on public.teams for select to authenticated
  using (exists (select 1 from public.memberships m where m.team_id = teams.id and m.user_id = auth.uid()));

create table public.memberships (team_id uuid, user_id uuid, primary key (team_id, user_id));
alter table public.memberships enable row level security;
create policy "own memberships" on public.memberships for select to authenticated using (user_id = auth.uid());

-- RLS on and no policy: deny-all for API clients, secure (issue #14).
create table public.events (id bigint primary key, body jsonb);
alter table public.events enable row level security;
