import { describe, expect, it } from 'vitest';

import { readSqlFile } from '../../src/analyzer/readers/sql.js';
import { SchemaState } from '../../src/analyzer/schema-state.js';

function replay(...migrations: string[]): SchemaState {
  return SchemaState.replay(migrations.map((sql, index) => readSqlFile(`m${String(index)}.sql`, sql)));
}

describe('schema state replayed from migrations', () => {
  it('keeps RLS and policies when a later CREATE TABLE IF NOT EXISTS redeclares the table', () => {
    const state = replay(
      `create table public.notes (id int, owner uuid);
       alter table public.notes enable row level security;
       create policy "own" on public.notes using (owner = auth.uid());`,
      `create table if not exists public.notes (id int, owner uuid, extra text);`,
    );
    const notes = state.table('public', 'notes');
    expect(notes?.rls).toBe(true);
    expect([...(notes?.policies.keys() ?? [])]).toEqual(['own']);
    expect(notes?.declared?.file).toBe('m0.sql');
  });

  it('keeps the first definition when a migration creates a policy the table already has (Postgres refuses it)', () => {
    const state = replay(
      `create table public.attempts (id int, student_id uuid, score int);
       alter table public.attempts enable row level security;
       create policy "own" on public.attempts using (student_id = auth.uid());`,
      `create policy "own" on public.attempts using (student_id = auth.uid());`,
      `drop policy if exists "mine" on public.attempts;
       create policy "mine" on public.attempts for select using (true);
       drop policy "mine" on public.attempts;
       create policy "mine" on public.attempts for select using (student_id = auth.uid());`,
    );
    const policies = state.table('public', 'attempts')?.policies;
    expect(policies?.get('own')?.file).toBe('m0.sql');
    expect(policies?.get('mine')?.using).toBe('student_id = auth.uid()');
  });

  it('models storage buckets: created private unless public, ON CONFLICT, and UPDATE … SET public', () => {
    const state = replay(
      `insert into storage.buckets (id, name, public) values ('a', 'a', false), ('b', 'b', true);
       insert into storage.buckets (id, name) values ('c', 'c');
       INSERT INTO storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
       VALUES (
         'd', -- documents
         'd', true, 5242880, ARRAY['image/png', 'image/jpeg'])
       ON CONFLICT (id) DO NOTHING;`,
      `insert into storage.buckets (id, name, public) values ('a', 'a', true) on conflict (id) do nothing;
       insert into storage.buckets (id, name, public) values ('b', 'b', false) on conflict (id) do update set public = excluded.public;
       update storage.buckets set public = true where name = 'c';`,
    );
    expect(Object.fromEntries([...state.buckets].map(([id, bucket]) => [id, bucket.public]))).toEqual({
      a: false,
      b: false,
      c: true,
      d: true,
    });
  });

  it('forgets policies, tables and functions a later migration drops, and follows renames and ALTER POLICY', () => {
    const state = replay(
      `create table a (id int); alter table a enable row level security;
       create policy "open" on a for update using (true);
       create policy "mine" on a for select using (true);
       create table gone (id int);
       create function public.f(x int) returns int language sql as $$ select x $$;
       create function public.f(x int, y int) returns int language sql as $$ select x + y $$;`,
      `drop policy if exists "open" on a;
       alter policy "mine" on a rename to "ours";
       alter policy "ours" on a using (id > 0);
       drop table gone;
       alter table a rename to b;
       drop function public.f(int);`,
    );
    expect(state.table('public', 'a')).toBeUndefined();
    expect(state.table('public', 'gone')).toBeUndefined();
    const b = state.table('public', 'b');
    expect([...(b?.policies.values() ?? [])].map((p) => [p.name, p.using])).toEqual([['ours', 'id > 0']]);
    expect(state.functions.get('public.f')?.map((fn) => fn.arity)).toEqual([2]);
  });

  it('models EXECUTE: PUBLIC and the Supabase roles by default, kept by CREATE OR REPLACE, reset by DROP', () => {
    const state = replay(
      `create function public.g() returns void language sql security definer as $$ select 1 $$;
       revoke all on function public.g() from public, anon, authenticated;
       create or replace function public.g() returns void language sql security definer as $$ select 2 $$;`,
    );
    const g = state.function('public', 'g');
    expect(g?.body).toContain('select 2');
    expect(g !== undefined && SchemaState.callableByClients(g)).toBe(false);
    const again = replay(
      `create function public.g() returns void language sql as $$ select 1 $$;
       revoke execute on function public.g() from public;`,
    ).function('public', 'g');
    // Supabase grants anon and authenticated EXECUTE by default privileges: revoking PUBLIC alone is not enough.
    expect(again !== undefined && SchemaState.callableByClients(again)).toBe(true);
  });

  it('models table and column privileges', () => {
    const state = replay(
      `create table public.profiles (id uuid, role text, display_name text);
       revoke update on public.profiles from authenticated;
       grant update (display_name) on public.profiles to authenticated;`,
    );
    const profiles = state.table('public', 'profiles');
    expect(profiles === undefined ? undefined : SchemaState.granted(profiles, 'authenticated', 'update')).toBe(
      'columns',
    );
    expect(profiles === undefined ? undefined : SchemaState.granted(profiles, 'anon', 'update')).toBe('table');
    expect(profiles === undefined ? undefined : SchemaState.granted(profiles, 'authenticated', 'select')).toBe('table');
  });
});
