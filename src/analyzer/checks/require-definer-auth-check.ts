import type { ProjectModel } from '../model.js';
import { apiFunctions, type FunctionState, SchemaState, schemaState } from '../schema-state.js';
import { calledFunctions, readsCaller } from '../sql-policy.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'require-definer-auth-check',
  description:
    'SECURITY DEFINER functions that API clients may call through RPC check who the caller is before writing with caller-chosen arguments or returning rows for a caller-chosen id.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-285'],
  recommended: true,
});

/** A result that hands rows or documents back to the caller (not a yes/no or a count). */
const RETURNS_ROWS = /^(?:setof\b|table\b|json|jsonb|record)|\[\]$/;
/**
 * A parameter that names whose rows come back: a tenant (`p_organization_id`, `org_id`, `teamId`) or a
 * person (`student_uuid`, `_user_id`, `p_customer_id`). Rows read for another tenant or person are a leak.
 */
const SUBJECT_PARAM =
  /^(?:p_|_|in_)?(?:organization|org|tenant|team|workspace|account|company|user|student|learner|employee|customer|client|patient|member|profile|person)_?(?:id|uuid|uid)$/i;
/** Results that are only ids, flags or role names (the helpers policies call), not the rows themselves. */
const LABELS_ONLY = /^(?:setof\s+(?:uuid|bigint|integer|int|boolean)|(?:uuid|bigint|integer|int)\[\])$/;
/** `id uuid`, `is_member boolean`, `primary_role app_role`, `role text` — but not `email text`. */
const LABEL_COLUMN = /^\s*"?(\w+)"?\s+(?:uuid|boolean|bool|(?:\w+\.)?\w*role\w*|(text))\s*$/i;

function returnsLabelsOnly(returns: string): boolean {
  if (LABELS_ONLY.test(returns)) return true;
  const table = /^table\s*\(([\s\S]*)\)$/.exec(returns);
  if (table === null) return false;
  return (table[1] ?? '').split(',').every((column) => {
    const match = LABEL_COLUMN.exec(column);
    return match !== null && (match[2] === undefined || /role/i.test(match[1] ?? ''));
  });
}

// Writes: DML, or an HTTP call that changes something (pg_net / the http extension, e.g. deleting a storage object).
const WRITE =
  /\b(?:insert\s+into|update\s+(?:only\s+)?[\w."]+\s+(?:as\s+)?(?:\w+\s+)?set|delete\s+from)\b|\bhttp\s*\(\s*\(\s*'(?:delete|post|put|patch)'|\bnet\s*\.\s*http_(?:post|delete|put|patch)\b|\bhttp_(?:delete|post|put|patch)\s*\(/i;

/** Whether a function (or a function it calls, two levels down) reads who the caller is. */
export function checksCaller(state: SchemaState, fn: FunctionState, depth = 0): boolean {
  if (readsCaller(fn.body)) return true;
  if (depth >= 2) return false;
  return calledFunctions(fn.body).some((name) => {
    const callee = state.function(fn.schema, name) ?? state.function('public', name);
    return callee !== undefined && callee !== fn && checksCaller(state, callee, depth + 1);
  });
}

function usesParameter(fn: FunctionState): string[] {
  return fn.params.filter(
    (param) => !param.startsWith('$') && new RegExp(String.raw`(?<![\w.])${param}\b`, 'i').test(fn.body),
  );
}

export const requireDefinerAuthCheck: AnalyzerCheck = {
  meta,
  run(model: ProjectModel, sink) {
    const exposed = new Set(model.config.exposedSchemas);
    const state = schemaState(model.sql);
    for (const fn of apiFunctions(state, model.config.exposedSchemasConfigured)) {
      if (!fn.securityDefiner || !exposed.has(fn.schema) || /trigger/.test(fn.returns)) continue;
      if (!SchemaState.callableByClients(fn)) continue;
      const writes = WRITE.test(fn.body);
      // Reads count when rows come back for a tenant the caller chose: another tenant's data.
      const reads =
        !writes &&
        RETURNS_ROWS.test(fn.returns) &&
        !returnsLabelsOnly(fn.returns) &&
        /\bselect\b[\s\S]*\bfrom\b/i.test(fn.body);
      if (!writes && !reads) continue;
      const params = usesParameter(fn).filter((param) => writes || SUBJECT_PARAM.test(param));
      if (params.length === 0 || checksCaller(state, fn)) continue;
      const roles = [...fn.executors].filter((role) => role !== 'service_role' && role !== 'postgres');
      sink.add(meta, {
        file: fn.file,
        span: lineSpan(fn.line, fn.snippet),
        message: `SECURITY DEFINER function ${fn.schema}.${fn.name}(${fn.params.join(', ')}) ${writes ? 'writes with' : 'returns rows for'} caller-chosen ${params.join(', ')} and never checks who the caller is, while ${roles.join(', ')} may call it through RPC (supabase.rpc), so any visitor can ${writes ? 'change' : 'read'} rows that row level security would deny them. Check auth.uid() (and the caller's right to the row) inside, or REVOKE EXECUTE ON FUNCTION ${fn.schema}.${fn.name} FROM public, anon, authenticated.`,
        snippet: `function ${fn.schema}.${fn.name}/${String(fn.arity)}`,
      });
    }
  },
};
