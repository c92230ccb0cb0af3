import type { ProjectModel } from '../model.js';
import type { SqlPolicy } from '../readers/sql.js';
import { CLIENT_ROLES, SchemaState, schemaState } from '../schema-state.js';
import { isAlwaysTrue } from '../sql-policy.js';
import type { AnalyzerCheck, FindingSink } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'require-rls',
  description:
    'Tables in exposed schemas keep row level security enabled, and no policy left by the migrations lets API clients write any row.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.6,
  cwe: ['CWE-284'],
  recommended: true,
});

/** Personal data no anonymous visitor should list: identity numbers, birth dates, income, credentials. */
const SENSITIVE_COLUMN =
  /^(?:ssn|social_security(?:_number)?|\w+_ssn|date_of_birth|dob|birth_?date|tax_id|income|annual_income|monthly_income|salary|password|password_hash|credit_score|fico(?:_score)?|bank_account\w*|account_number|routing_number|passport\w*|drivers?_licen[cs]e\w*)$/i;

/** What a policy command needs at table level. */
const COMMAND_PRIVILEGES: Record<SqlPolicy['command'], string[]> = {
  all: ['insert', 'update', 'delete'],
  select: ['select'],
  insert: ['insert'],
  update: ['update'],
  delete: ['delete'],
};

/** The client roles a policy applies to (PUBLIC is both). */
function clientRoles(roles: readonly string[]): string[] {
  return [
    ...new Set(
      roles.flatMap((role) => (role === 'public' ? ['anon', 'authenticated'] : CLIENT_ROLES.has(role) ? [role] : [])),
    ),
  ];
}

/** Tables and policies judged on the state the migrations leave, not migration by migration. */
function checkTables(model: ProjectModel, sink: FindingSink): void {
  const exposed = new Set(model.config.exposedSchemas);
  const state = schemaState(model.sql);
  for (const table of state.tables.values()) {
    if (!exposed.has(table.schema)) continue;
    const name = `${table.schema}.${table.name}`;
    const { declared } = table;
    // Plain Postgres behind a server exposes no schema to browsers; Supabase (PostgREST) does.
    const file = declared?.file ?? [...table.policies.values()][0]?.file;
    if (file === undefined) continue;
    if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(file)) continue;
    const reachable = (privilege: string): boolean =>
      ['anon', 'authenticated'].some((role) => SchemaState.granted(table, role, privilege) !== false);
    if (!table.rls) {
      if (declared === undefined || !['select', 'insert', 'update', 'delete'].some(reachable)) continue;
      sink.add(meta, {
        file: declared.file,
        span: lineSpan(declared.table.line, declared.table.snippet),
        message: `Table ${name} is in an API-exposed schema and no migration leaves row level security enabled on it, so any client with the anon key can read and write every row. Add \`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;\` and policies for who may see which rows.`,
        snippet: `create table ${name}`,
      });
      continue;
    }
    // RLS on and no policy is deny-all for API clients: secure, not a finding.
    const sensitive = [...table.columns].filter((column) => SENSITIVE_COLUMN.test(column));
    for (const policy of table.policies.values()) {
      // Public reads are a product decision, except of rows that hold identity numbers or credentials.
      if (
        policy.permissive &&
        (policy.command === 'select' || policy.command === 'all') &&
        policy.roles.some((role) => role === 'anon' || role === 'public') &&
        isAlwaysTrue(policy.using) &&
        sensitive.length > 0 &&
        SchemaState.granted(table, 'anon', 'select') !== false
      )
        sink.add(meta, {
          file: policy.file,
          span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
          message: `Policy "${policy.name}" on ${name} lets anonymous visitors read every row (USING (true)), and the rows hold ${sensitive.join(', ')}: anyone with the public anon key can download that personal data. Restrict reads to the rows' owners or staff (e.g. USING (auth.uid() = owner_id)) and to authenticated users.`,
          snippet: `anon-read ${policy.snippet}`,
        });
      if (!policy.permissive || policy.command === 'select') continue;
      const roles = clientRoles(policy.roles);
      if (roles.length === 0) continue;
      // INSERT is judged by WITH CHECK; UPDATE, DELETE and ALL by which rows USING lets through.
      const open = policy.command === 'insert' ? isAlwaysTrue(policy.withCheck) : isAlwaysTrue(policy.using);
      if (!open) continue;
      const privileges = COMMAND_PRIVILEGES[policy.command];
      if (!roles.some((role) => privileges.some((privilege) => SchemaState.granted(table, role, privilege) !== false)))
        continue;
      sink.add(meta, {
        file: policy.file,
        span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
        message: `Policy "${policy.name}" on ${name} lets ${policy.roles.join(', ')} ${policy.command === 'all' ? 'write' : policy.command} any row (${policy.command === 'insert' ? 'WITH CHECK (true)' : 'USING (true)'}), which turns row level security off for writes. Restrict it to the caller's rows, e.g. USING (auth.uid() = user_id), or to service_role if only the server writes.`,
        snippet: policy.snippet,
      });
    }
  }
}

export const requireRls: AnalyzerCheck = {
  meta,
  run(model, sink) {
    checkTables(model, sink);
  },
};
