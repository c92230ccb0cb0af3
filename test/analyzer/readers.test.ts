import { describe, expect, it } from 'vitest';

import { readPrismaSchema } from '../../src/analyzer/readers/prisma.js';
import { readSqlFile, splitStatements } from '../../src/analyzer/readers/sql.js';
import { readSupabaseApiSchemas, readSupabaseConfig } from '../../src/analyzer/readers/supabase-config.js';
import { nextMatcherCovers } from '../../src/analyzer/routes.js';
import { isAlwaysTrue } from '../../src/analyzer/sql-policy.js';
import { normalizeSpecifier } from '../../src/analyzer/facts.js';

describe('SQL migrations', () => {
  it('splits on semicolons outside strings, comments and dollar-quoted bodies, with positions', () => {
    const sql = `-- a comment; not a statement\ncreate table a (x text default 'a;b');\n\ncreate function f() returns void language plpgsql as $body$\nbegin\n  perform 1; perform 2;\nend;\n$body$;\n/* block; comment */ select 1`;
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([2, 4, 9]);
    expect(statements[1]?.text).toContain('perform 1; perform 2;');
    expect(statements[2]?.text).toBe('select 1');
  });

  it('reads tables with a real parser and RLS switches and policies with their roles and expressions', () => {
    const model = readSqlFile(
      'm.sql',
      `create table if not exists "Team Notes" (id int, org_id uuid);
       create table private.keys (id int);
       alter table only public."Team Notes" enable row level security;
       create policy "Members read" on "Team Notes" as permissive for select to authenticated using (org_id in (select org_id from members where user_id = auth.uid()));
       create policy p2 on private.keys for all using (true) with check (true);
       drop policy if exists p2 on private.keys;
       alter table private.keys rename to api_keys;
       drop table if exists public.old;`,
    );
    expect(model.events).toEqual([
      {
        kind: 'create-table',
        ifNotExists: true,
        table: expect.objectContaining({ schema: 'public', name: 'Team Notes', columns: ['id', 'org_id'] }),
      },
      { kind: 'create-table', ifNotExists: false, table: expect.objectContaining({ schema: 'private', name: 'keys' }) },
      { kind: 'rls', schema: 'public', name: 'Team Notes', action: 'enable' },
      {
        kind: 'policy',
        policy: expect.objectContaining({
          name: 'Members read',
          table: 'Team Notes',
          command: 'select',
          roles: ['authenticated'],
          permissive: true,
          using: expect.stringContaining('auth.uid()'),
        }),
      },
      {
        kind: 'policy',
        policy: expect.objectContaining({
          name: 'p2',
          command: 'all',
          roles: ['public'],
          using: 'true',
          withCheck: 'true',
        }),
      },
      { kind: 'drop-policy', schema: 'private', table: 'keys', name: 'p2' },
      { kind: 'rename-table', schema: 'private', name: 'keys', to: 'api_keys' },
      { kind: 'drop-table', schema: 'public', name: 'old' },
    ]);
    expect(model.unparsed).toEqual([]);
  });

  it('keeps statements it cannot parse aside, still knowing which table a CREATE TABLE declares', () => {
    const model = readSqlFile('m.sql', 'create table broken (id int,, x);\ncreate view v as select 1;');
    expect(model.events).toEqual([
      {
        kind: 'create-table',
        ifNotExists: false,
        table: expect.objectContaining({ name: 'broken', columns: ['id', 'x'] }),
      },
    ]);
    expect(model.unparsed).toHaveLength(1);
  });

  it('reads functions, triggers, grants, column changes and the DDL inside DO blocks', () => {
    const model = readSqlFile(
      'm.sql',
      `create or replace function public.add_credits(p_user uuid, amount int default 1) returns void
         language plpgsql security definer set search_path = public as $fn$
         begin update profiles set credits = credits + amount where id = p_user; end; $fn$;
       alter function public.add_credits(uuid, int) security invoker;
       drop function if exists public.old_fn(uuid), public.older;
       create trigger guard_role before update of role, is_admin on public.profiles
         for each row execute function public.prevent_role_change();
       drop trigger if exists guard_role on public.profiles;
       revoke execute on function public.add_credits(uuid, int) from public, anon;
       grant update (display_name) on table public.profiles to authenticated;
       grant usage on schema public to anon;
       alter table public.profiles add column if not exists credits int default 0, add constraint c check (credits >= 0);
       alter policy "own" on public.profiles to authenticated using (auth.uid() = id);
       do $$ begin
         if not exists (select 1 from pg_policies where policyname = 'x; y') then
           create policy "p" on public.notes for insert with check (true);
           execute 'create policy q on public.notes using (true)';
         end if;
       end $$;`,
    );
    expect(model.events).toEqual([
      {
        kind: 'function',
        fn: expect.objectContaining({
          schema: 'public',
          name: 'add_credits',
          params: ['p_user', 'amount'],
          arity: 2,
          securityDefiner: true,
          orReplace: true,
          language: 'plpgsql',
          body: expect.stringContaining('credits = credits + amount'),
        }),
      },
      { kind: 'alter-function', schema: 'public', name: 'add_credits', arity: 2, securityDefiner: false },
      { kind: 'drop-function', schema: 'public', name: 'old_fn', arity: 1 },
      { kind: 'drop-function', schema: 'public', name: 'older' },
      {
        kind: 'trigger',
        trigger: {
          name: 'guard_role',
          schema: 'public',
          table: 'profiles',
          timing: 'before',
          events: ['update'],
          columns: ['role', 'is_admin'],
          functionSchema: 'public',
          functionName: 'prevent_role_change',
        },
      },
      { kind: 'drop-trigger', schema: 'public', table: 'profiles', name: 'guard_role' },
      {
        kind: 'grant',
        grant: {
          action: 'revoke',
          privileges: ['execute'],
          columns: {},
          roles: ['public', 'anon'],
          target: { kind: 'function', schema: 'public', name: 'add_credits', arity: 2 },
        },
      },
      {
        kind: 'grant',
        grant: {
          action: 'grant',
          privileges: [],
          columns: { update: ['display_name'] },
          roles: ['authenticated'],
          target: { kind: 'table', schema: 'public', name: 'profiles' },
        },
      },
      { kind: 'add-column', schema: 'public', table: 'profiles', column: 'credits' },
      expect.objectContaining({
        kind: 'alter-policy',
        name: 'own',
        roles: ['authenticated'],
        using: 'auth.uid() = id',
      }),
      {
        kind: 'policy',
        policy: expect.objectContaining({ name: 'p', table: 'notes', command: 'insert', withCheck: 'true' }),
      },
    ]);
  });

  it('knows which policy expressions let every row through', () => {
    for (const open of ['true', '(true)', ' TRUE ', '1 = 1']) expect(isAlwaysTrue(open)).toBe(true);
    for (const closed of [undefined, 'auth.uid() = user_id', 'is_public = true', 'false'])
      expect(isAlwaysTrue(closed)).toBe(false);
  });
});

describe('Prisma schema', () => {
  it('finds tenant-scoped models by a scalar tenant key, ignoring relation fields', () => {
    const models = readPrismaSchema(`
model Organization {
  id      String   @id
  members Member[]
}

model Member {
  id             String       @id
  organizationId String       @map("organization_id")
  organization   Organization @relation(fields: [organizationId], references: [id])

  @@map("members")
}

model Country {
  code String @id
  /// a relation named like a tenant is not a tenant key
  tenant String?
}
`);
    expect(models.map((m) => [m.name, m.delegate, m.table, m.tenantKey])).toEqual([
      ['Organization', 'organization', 'Organization', undefined],
      ['Member', 'member', 'members', 'organizationId'],
      ['Country', 'country', 'Country', undefined],
    ]);
  });

  it('throws on a schema that does not parse', () => {
    expect(() => readPrismaSchema('model Broken { id String @id')).toThrow();
  });
});

describe('supabase/config.toml', () => {
  it('reads verify_jwt per function and ignores other sections and comments', () => {
    const functions = readSupabaseConfig(
      `[api]\nverify_jwt = false\n\n[functions.hook]\n# verify_jwt = true\nverify_jwt = false # webhooks verify their own signature\nentrypoint = "./functions/hook/main.ts"\n\n[functions.plain]\n\n[functions."quoted-name"]\nverify_jwt = true\n`,
    );
    expect(functions).toEqual([
      { name: 'hook', verifyJwt: false, line: 6, entrypoint: './functions/hook/main.ts' },
      { name: 'plain', verifyJwt: true, line: 9 },
      { name: 'quoted-name', verifyJwt: true, line: 12 },
    ]);
  });

  // Regression (bench/cases/supabase): tables in every schema the API serves are exposed, not only `public`.
  it('reads the schemas the API serves', () => {
    expect(readSupabaseApiSchemas('[api]\nenabled = true\nschemas = ["public", "api"] # served\n')).toEqual([
      'public',
      'api',
    ]);
    expect(readSupabaseApiSchemas('[db]\nschemas = ["x"]\n[api]\nport = 54321\n')).toBeUndefined();
    expect(readSupabaseApiSchemas('project_id = "p"\n')).toBeUndefined();
  });
});

describe('Next.js middleware matchers', () => {
  it('follows path-to-regexp parameters and regex groups', () => {
    expect(nextMatcherCovers(undefined, '/api/x')).toBe(true);
    expect(nextMatcherCovers(['/dashboard/:path*'], '/dashboard')).toBe(true);
    expect(nextMatcherCovers(['/dashboard/:path*'], '/dashboard/a/b')).toBe(true);
    expect(nextMatcherCovers(['/dashboard/:path*'], '/dashboards')).toBe(false);
    expect(nextMatcherCovers(['/api/:id'], '/api/[id]')).toBe(true);
    expect(nextMatcherCovers(['/((?!api|_next/static|favicon.ico).*)'], '/api/posts')).toBe(false);
    expect(nextMatcherCovers(['/((?!api|_next/static|favicon.ico).*)'], '/settings')).toBe(true);
  });
});

describe('import specifiers', () => {
  it('maps Deno/edge specifiers to package names', () => {
    expect(normalizeSpecifier('npm:stripe@14')).toBe('stripe');
    expect(normalizeSpecifier('npm:@supabase/supabase-js@2')).toBe('@supabase/supabase-js');
    expect(normalizeSpecifier('https://esm.sh/svix@1.15.0')).toBe('svix');
    expect(normalizeSpecifier('./local.ts')).toBe('./local.ts');
  });
});
