import type { ProjectModel } from '../model.js';
import type { SqlPolicy } from '../readers/sql.js';
import { CLIENT_ROLES, SchemaState, schemaState, type TableState } from '../schema-state.js';
import { isAlwaysTrue } from '../sql-policy.js';
import { DEFAULT_TENANT_KEYS, tenantKeyOf } from '../tenant-keys.js';
import type { AnalyzerCheck, FindingSink } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'require-rls',
  description:
    'Tables in exposed schemas keep row level security enabled, no policy left by the migrations lets API clients write any row, and no storage policy opens a whole private bucket.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.6,
  cwe: ['CWE-284'],
  recommended: true,
});

/** Personal data no anonymous visitor should list: identity numbers, birth dates, income, credentials. */
const SENSITIVE_COLUMN =
  /^(?:ssn|social_security(?:_number)?|\w+_ssn|date_of_birth|dob|birth_?date|tax_id|income|annual_income|monthly_income|salary|password|password_hash|credit_score|fico(?:_score)?|bank_account\w*|account_number|routing_number|passport\w*|drivers?_licen[cs]e\w*)$/i;

/** The answer key of a quiz or exam: whoever answers must not be able to read it. */
const ANSWER_KEY_COLUMN =
  /^(?:correct_answers?|correct_options?|correct_option_(?:id|index)|correct_choice|right_answer|expected_answer|answer_key|is_correct)$/i;
/** A read condition only authors and staff pass (the teacher who writes the quiz). */
const AUTHOR_CONDITION = /teacher|instructor|tutor|author|owner|creat|admin|staff|role|editor|manager/i;

/**
 * Read policies that hand the answer key to the people who answer: a student who may select the
 * question row through the API reads `correct_answer` before answering. Only authors and staff
 * (or a column grant that leaves the key out) should read it.
 */
function checkAnswerKeys(table: TableState, sink: FindingSink): void {
  const keys = [...table.columns].filter((column) => ANSWER_KEY_COLUMN.test(column));
  if (keys.length === 0) return;
  for (const policy of table.policies.values()) {
    if (!policy.permissive || (policy.command !== 'select' && policy.command !== 'all')) continue;
    const roles = clientRoles(policy.roles);
    if (roles.length === 0 || policy.using === undefined || AUTHOR_CONDITION.test(policy.using)) continue;
    const readable = keys.filter((key) =>
      roles.some((role) => {
        const granted = SchemaState.granted(table, role, 'select');
        return (
          granted === 'table' ||
          (granted === 'columns' &&
            [role, 'public'].some((holder) => table.columnGrants.get(holder)?.get('select')?.has(key)))
        );
      }),
    );
    if (readable.length === 0) continue;
    sink.add(meta, {
      file: policy.file,
      span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
      severity: 'medium',
      message: `Policy "${policy.name}" lets ${policy.roles.join(', ')} read whole rows of ${table.schema}.${table.name}, including ${readable.join(', ')}: whoever answers can select the answer key through the API before answering (supabase.from('${table.name}').select('${readable[0] ?? ''}')). Keep the key out of client reads: REVOKE SELECT, then GRANT SELECT (the other columns), or move it to a table only authors read and grade on the server.`,
      snippet: `answer-key ${policy.snippet}`,
    });
  }
}

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
    checkAnswerKeys(table, sink);
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

const BUCKET_TEST = /^(?:(?:storage\s*\.\s*)?objects\s*\.\s*)?"?bucket_id"?\s*=\s*'([^']+)'$/i;
/** `auth.uid() IS NOT NULL`, `auth.role() = 'authenticated'`: the caller is signed in, nothing more. */
const SIGNED_IN_TEST =
  /^auth\s*\.\s*uid\s*\(\s*\)\s+is\s+not\s+null$|^auth\s*\.\s*role\s*\(\s*\)\s*=\s*'authenticated'$/i;

/**
 * The bucket of a storage policy whose only condition is the bucket (and perhaps that the caller
 * is signed in): every file of the bucket, whoever uploaded it and for whichever tenant.
 */
function bucketOnly(expression: string | undefined): { bucket: string; signedIn: boolean } | undefined {
  if (expression === undefined) return undefined;
  const flat = expression.replace(/\(\s*select\s+(auth\s*\.\s*\w+\s*\(\s*\))\s*\)/gi, '$1');
  let bucket: string | undefined;
  let signedIn = false;
  for (const part of flat.split(/\s+and\s+/i)) {
    const term = part.trim().replace(/^\(+\s*|\s*\)+$/g, '');
    // Parentheses left unbalanced by the split mean an OR or a subquery: not a plain condition.
    if ((term.match(/\(/g)?.length ?? 0) !== (term.match(/\)/g)?.length ?? 0)) return undefined;
    const match = BUCKET_TEST.exec(term);
    if (match !== null) bucket = match[1];
    else if (SIGNED_IN_TEST.test(term)) signedIn = true;
    else return undefined;
  }
  return bucket === undefined ? undefined : { bucket, signedIn };
}

/** The app scopes data per user or tenant somewhere: path-based storage policies or a tenant column. */
function scopesData(model: ProjectModel, state: SchemaState): boolean {
  const keys = [...DEFAULT_TENANT_KEYS, 'companyId', ...model.config.tenantKeys];
  for (const table of state.tables.values()) {
    if (table.schema === 'storage' && table.name === 'objects') {
      for (const policy of table.policies.values())
        if (/\bfoldername\s*\(|\bowner(?:_id)?\b/i.test(`${policy.using ?? ''} ${policy.withCheck ?? ''}`)) return true;
    } else if (table.rls && tenantKeyOf([...table.columns], keys) !== undefined) return true;
  }
  return false;
}

/**
 * Storage policies: Supabase Storage enforces `storage.objects` policies on every upload, download,
 * overwrite and delete. One whose only condition is the bucket opens every file of it to writes by
 * any client, and — in a private bucket of an app that keeps users' or tenants' files apart — to
 * reads by any signed-in user. Public reads (`TO public`/`anon`, avatars) are a product decision.
 */
function checkStorage(model: ProjectModel, sink: FindingSink): void {
  const state = schemaState(model.sql);
  const objects = state.table('storage', 'objects');
  if (objects === undefined) return;
  let scoped: boolean | undefined;
  for (const policy of objects.policies.values()) {
    if (!policy.permissive) continue;
    if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
    const roles = clientRoles(policy.roles);
    if (roles.length === 0) continue;
    const only = bucketOnly(policy.command === 'insert' ? policy.withCheck : policy.using);
    if (only === undefined) continue;
    const anyone = roles.includes('anon') && !only.signedIn;
    const who = anyone ? 'anyone with the public anon key' : 'any signed-in user';
    let does: string;
    if (policy.command === 'select') {
      if (anyone || state.buckets.get(only.bucket)?.public !== false) continue;
      scoped ??= scopesData(model, state);
      if (!scoped) continue;
      does = 'download every file in it, whoever uploaded it and for whichever organization';
    } else if (policy.command === 'insert') {
      if (!anyone) continue;
      does = 'upload any file to any path in it';
    } else
      does = `${policy.command === 'all' ? 'read, overwrite and delete' : policy.command === 'update' ? 'overwrite' : 'delete'} every file in it`;
    const bucket =
      state.buckets.get(only.bucket)?.public === false ? `private bucket '${only.bucket}'` : `bucket '${only.bucket}'`;
    sink.add(meta, {
      file: policy.file,
      span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
      message: `Storage policy "${policy.name}" checks only that a file is in ${bucket}, so ${who} can ${does}. Add the owner or tenant to the condition, e.g. \`(storage.foldername(name))[1] = auth.uid()::text\` or a folder named after an organization the caller belongs to, or leave writes to the server (service_role).`,
      snippet: `storage ${policy.snippet}`,
    });
  }
}

export const requireRls: AnalyzerCheck = {
  meta,
  run(model, sink) {
    checkTables(model, sink);
    checkStorage(model, sink);
  },
};
