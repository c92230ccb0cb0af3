import type { ProjectModel } from '../model.js';
import { CLIENT_ROLES, type PolicyState, SchemaState, schemaState, type TableState } from '../schema-state.js';
import { ownRowPredicate } from '../sql-policy.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'no-self-privilege-update',
  description:
    'Own-row UPDATE policies do not let users change the privilege or billing columns of their own row (role, is_admin, credits, plan…) without a trigger or column grant guarding them.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-269'],
  recommended: true,
});

/** Columns whose value grants rights or money: a user who sets them on their own row escalates. */
const PRIVILEGE_COLUMN =
  /^(?:role|roles|user_role|app_role|account_type|user_type|is_admin|admin|is_super_?admin|is_staff|is_owner|permissions|balance|credits?|credit_balance|\w+_credits|token_balance|plan|plan_id|plan_type|tier|subscription|subscription_\w+|payment_status|is_paid|is_premium|is_pro|is_subscribed|stripe_customer_id)$/;

/** Tables of chat messages, where `role` is the author (user/assistant), not a right. */
const CHAT_TABLE = /message|chat|conversation|completion|prompt|transcript/i;

function guardedByTrigger(state: SchemaState, table: TableState, column: string): boolean {
  for (const trigger of table.triggers.values()) {
    if (trigger.timing !== 'before' || !trigger.events.includes('update')) continue;
    if (trigger.columns.includes(column)) return true;
    const fn = state.function(trigger.functionSchema, trigger.functionName);
    if (fn !== undefined && new RegExp(String.raw`\b(?:new|old)\s*\.\s*"?${column}\b`, 'i').test(fn.body)) return true;
  }
  return false;
}

function ownRowUpdate(policy: PolicyState): boolean {
  if (!policy.permissive || (policy.command !== 'update' && policy.command !== 'all')) return false;
  if (!policy.roles.some((role) => CLIENT_ROLES.has(role))) return false;
  return ownRowPredicate(policy.using);
}

export const noSelfPrivilegeUpdate: AnalyzerCheck = {
  meta,
  run(model: ProjectModel, sink) {
    const exposed = new Set(model.config.exposedSchemas);
    const state = schemaState(model.sql);
    for (const table of state.tables.values()) {
      if (!exposed.has(table.schema) || !table.rls) continue;
      const privileged = [...table.columns].filter(
        (column) =>
          PRIVILEGE_COLUMN.test(column.toLowerCase()) && !(CHAT_TABLE.test(table.name) && /role/i.test(column)),
      );
      if (privileged.length === 0) continue;
      for (const policy of table.policies.values()) {
        if (!ownRowUpdate(policy)) continue;
        if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
        const roles = policy.roles.flatMap((role) => (role === 'public' ? ['anon', 'authenticated'] : [role]));
        const open = privileged.filter((column) => {
          if (guardedByTrigger(state, table, column)) return false;
          if (policy.withCheck !== undefined && new RegExp(String.raw`\b${column}\b`, 'i').test(policy.withCheck))
            return false;
          return roles.some((role) => {
            const granted = SchemaState.granted(table, role, 'update');
            if (granted === 'table') return true;
            if (granted === false) return false;
            return [role, 'public'].some((holder) => table.columnGrants.get(holder)?.get('update')?.has(column));
          });
        });
        if (open.length === 0) continue;
        const name = `${table.schema}.${table.name}`;
        sink.add(meta, {
          file: policy.file,
          span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
          message: `Policy "${policy.name}" lets users update their own row of ${name}, and that row holds ${open.join(', ')}: nothing stops a user from setting them (e.g. making themselves admin or paid) straight through the API. Keep privilege and billing columns out of client updates: a BEFORE UPDATE trigger that rejects changes to them, column grants (REVOKE UPDATE, then GRANT UPDATE (safe columns)), or a separate table only the server writes.`,
          snippet: `${policy.snippet} [${open.join(',')}]`,
        });
      }
    }
  },
};
