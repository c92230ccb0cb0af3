import type { SqlPolicy, SqlTable } from '../readers/sql.js';
import { isAlwaysTrue } from '../sql-policy.js';
import type { FileFacts } from '../types.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'require-rls',
  description:
    'Tables in exposed schemas enable row level security with policies; no open write policies; edge functions without JWT verification verify another way.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.6,
  cwe: ['CWE-284'],
  recommended: true,
});

const CLIENT_ROLES = new Set(['anon', 'authenticated', 'public']);

interface TableState {
  table: SqlTable;
  file: string;
  rls: boolean;
  policies: Map<string, SqlPolicy>;
}

function verifiesRequest(
  facts: FileFacts | undefined,
  verifies: (fn: FileFacts['functions'][number]) => boolean,
): boolean {
  return facts?.functions.some(verifies) === true;
}

export const requireRls: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const exposed = new Set(model.config.exposedSchemas);
    const tables = new Map<string, TableState>();
    const key = (schema: string, name: string): string => `${schema}.${name}`;
    for (const sqlFile of model.sql) {
      for (const event of sqlFile.events) {
        if (event.kind === 'create-table')
          tables.set(key(event.table.schema, event.table.name), {
            table: event.table,
            file: sqlFile.file,
            rls: false,
            policies: new Map(),
          });
        else if (event.kind === 'drop-table') tables.delete(key(event.schema, event.name));
        else if (event.kind === 'rename-table') {
          const state = tables.get(key(event.schema, event.name));
          tables.delete(key(event.schema, event.name));
          if (state !== undefined) tables.set(key(event.schema, event.to), state);
        } else if (event.kind === 'rls') {
          const state = tables.get(key(event.schema, event.name));
          if (state !== undefined && (event.action === 'enable' || event.action === 'disable'))
            state.rls = event.action === 'enable';
        } else if (event.kind === 'policy') {
          tables.get(key(event.policy.schema, event.policy.table))?.policies.set(event.policy.name, event.policy);
          const policy = event.policy;
          const writes = policy.command !== 'select';
          const openToClients = policy.roles.some((role) => CLIENT_ROLES.has(role));
          if (
            policy.permissive &&
            writes &&
            openToClients &&
            (isAlwaysTrue(policy.using) || isAlwaysTrue(policy.withCheck))
          ) {
            sink.add(meta, {
              file: sqlFile.file,
              span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
              message: `Policy "${policy.name}" on ${policy.schema}.${policy.table} lets ${policy.roles.join(', ')} ${policy.command === 'all' ? 'write' : policy.command} any row (${isAlwaysTrue(policy.using) ? 'USING (true)' : 'WITH CHECK (true)'}), which turns row level security off for writes. Restrict it to the caller's rows, e.g. USING (auth.uid() = user_id).`,
              snippet: policy.snippet,
            });
          }
        } else {
          tables.get(key(event.schema, event.table))?.policies.delete(event.name);
        }
      }
    }
    for (const state of tables.values()) {
      const { table } = state;
      if (!exposed.has(table.schema)) continue;
      // Plain Postgres behind a server exposes no schema to browsers; Supabase (PostgREST) does.
      if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(state.file)) continue;
      const name = `${table.schema}.${table.name}`;
      if (!state.rls) {
        sink.add(meta, {
          file: state.file,
          span: lineSpan(table.line, table.snippet),
          message: `Table ${name} is in an API-exposed schema but no migration enables row level security on it, so any client with the anon key can read and write every row. Add \`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;\` and policies for who may see which rows.`,
          snippet: `create table ${name}`,
        });
      } else if (state.policies.size === 0) {
        sink.add(meta, {
          file: state.file,
          span: lineSpan(table.line, table.snippet),
          severity: 'medium',
          message: `Table ${name} has row level security enabled but no policy, so API clients get nothing and code tends to fall back to the service-role key, which bypasses RLS. Add policies that grant each role exactly the rows it needs.`,
          snippet: `create table ${name} (no policy)`,
        });
      }
    }

    const supabase = model.supabase;
    if (supabase === undefined) return;
    const base = supabase.file.replace(/config\.toml$/, '');
    for (const fn of supabase.functions) {
      if (fn.verifyJwt) continue;
      const entry =
        fn.entrypoint === undefined
          ? `${base}functions/${fn.name}/index.ts`
          : `${base}${fn.entrypoint.replace(/^\.\//, '')}`;
      const facts = model.linker.facts.get(entry);
      const { linker } = model;
      const verified = verifiesRequest(
        facts,
        (f) => linker.verifies(entry, f) || linker.functionGuard(entry, f) !== undefined,
      );
      if (verified) continue;
      sink.add(meta, {
        file: supabase.file,
        span: lineSpan(fn.line),
        message: `Edge function "${fn.name}" turns off JWT verification (verify_jwt = false) and ${facts === undefined ? `its entry ${entry} was not found` : `${entry} verifies neither a JWT nor a webhook signature`}, so anyone on the internet can invoke it. Keep verify_jwt = true, or verify the caller yourself (a webhook signature or jose jwtVerify) before doing any work.`,
        snippet: `functions.${fn.name}.verify_jwt=false`,
      });
    }
  },
};
