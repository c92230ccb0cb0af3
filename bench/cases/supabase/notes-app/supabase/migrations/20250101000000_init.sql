create table public.notes ( -- expect: supabase
  id bigint generated always as identity primary key,
  owner uuid not null references auth.users (id),
  body text not null
);

create table public.profiles (
  id uuid primary key references auth.users (id),
  display_name text
);
alter table public.profiles enable row level security;
create policy "read own profile" on public.profiles for select to authenticated using (auth.uid() = id);

create table public.comments (id uuid primary key, note_id bigint, body text);
alter table public.comments enable row level security;
create policy "anyone can read comments" on public.comments for select to anon using (true);
create policy "anyone can write comments" on public.comments for insert to anon, authenticated with check (true); -- expect: supabase

create schema internal;
create table internal.jobs (id bigint primary key, payload jsonb);
