import type { ProjectModel } from '../model.js';
import {
  CLIENT_ROLES,
  apiFunctions,
  type PolicyState,
  SchemaState,
  schemaState,
  type TableState,
} from '../schema-state.js';
import { calledFunctions, isAlwaysTrue, ownRowPredicate, readsCaller } from '../sql-policy.js';
import { DEFAULT_TENANT_KEYS, tenantKeyOf } from '../tenant-keys.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'no-self-privilege-update',
  description:
    'Users cannot grant themselves privileges: own-row UPDATE policies over role/credits/plan columns need a guard, sign-up triggers do not copy them from user metadata, membership and invitation INSERT policies check the role, and parties do not write payment records.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-269'],
  recommended: true,
});

/** Columns whose value grants rights, money or a grade: a user who sets them on their own row escalates. */
const PRIVILEGE_COLUMN =
  /^(?:role|roles|user_role|app_role|account_type|user_type|is_admin|admin|is_super_?admin|is_staff|is_owner|permissions|balance|credits?|credit_balance|\w+_credits|token_balance|plan|plan_id|plan_type|tier|subscription|subscription_\w+|payment_status|is_paid|is_premium|is_pro|is_subscribed|stripe_customer_id|grade|final_grade|score)$/;

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

/**
 * Role-like columns grant something only when the schema trusts them: some policy or function reads
 * the table and compares the column (`FROM profiles p WHERE … p.role = 'teacher'`). A role nothing
 * compares (a label) is not a privilege.
 */
const ROLE_LIKE = /role|admin|permission|staff|owner/i;

function trustedRoleColumn(state: SchemaState, table: TableState, column: string): boolean {
  if (!ROLE_LIKE.test(column)) return true;
  const compares = new RegExp(String.raw`(?<![\w])(?:\w+\s*\.\s*)?"?${column}"?\s*(?:=|<>|!=|\bin\b|::)`, 'i');
  const mentions = new RegExp(String.raw`\b${table.name}\b`, 'i');
  const texts: string[] = [];
  for (const other of state.tables.values())
    for (const policy of other.policies.values()) {
      const text = `${policy.using ?? ''} ${policy.withCheck ?? ''}`;
      texts.push(other === table ? `${table.name} ${text}` : text);
    }
  for (const overloads of state.functions.values()) for (const fn of overloads) texts.push(fn.body);
  return texts.some((text) => mentions.test(text) && compares.test(text));
}

function ownRowUpdate(policy: PolicyState): boolean {
  if (!policy.permissive || (policy.command !== 'update' && policy.command !== 'all')) return false;
  if (!policy.roles.some((role) => CLIENT_ROLES.has(role))) return false;
  return ownRowPredicate(policy.using);
}

/**
 * An INSERT policy whose only condition is the caller's own id, on a membership-like table (a tenant
 * column and a privilege column): the user adds themselves to any tenant with any role.
 */
function selfJoin(policy: PolicyState, tenantKey: string | undefined, privileged: readonly string[]): boolean {
  if (tenantKey === undefined || !privileged.some((column) => /role|admin|permission/.test(column))) return false;
  if (!policy.permissive || policy.command !== 'insert' || policy.withCheck === undefined) return false;
  if (!policy.roles.some((role) => CLIENT_ROLES.has(role)) || !ownRowPredicate(policy.withCheck)) return false;
  return !new RegExp(String.raw`\b(?:${[tenantKey, ...privileged].join('|')})\b|\bexists\b|\bselect\b`, 'i').test(
    policy.withCheck,
  );
}

/** The columns a policy lets its client roles write: no guard trigger, no pinning WITH CHECK, a grant that covers them. */
function unguarded(
  state: SchemaState,
  table: TableState,
  policy: PolicyState,
  columns: readonly string[],
  privilege: 'insert' | 'update',
): string[] {
  const roles = policy.roles.flatMap((role) => (role === 'public' ? ['anon', 'authenticated'] : [role]));
  return columns.filter((column) => {
    if (privilege === 'update' && guardedByTrigger(state, table, column)) return false;
    if (policy.withCheck !== undefined && new RegExp(String.raw`\b${column}\b`, 'i').test(policy.withCheck))
      return false;
    return roles.some((role) => {
      const granted = SchemaState.granted(table, role, privilege);
      if (granted === 'table') return true;
      if (granted === false) return false;
      return [role, 'public'].some((holder) => table.columnGrants.get(holder)?.get(privilege)?.has(column));
    });
  });
}

/**
 * Columns that record a payment: only the payment flow (a webhook, the server) should set them. A
 * client that writes them marks an order paid without paying, or changes what a payment charges.
 */
const SETTLEMENT_COLUMN =
  /^(?:paid_at|is_paid|payment_status|amount_paid|paid_amount(?:_cents)?|(?:stripe_)?payment_intent_id|stripe_payment_intent_id|stripe_charge_id|stripe_transfer_id|stripe_checkout_session_id|refunded_at)$/;
/** A policy that only staff pass: their writes to payment records are the job, not an escalation. */
const STAFF_CONDITION = /role|admin|owner|staff|permission|service_role/i;

/**
 * A write policy for client roles on a table that records payments, whose condition ties the caller
 * to the row (own row, membership in the tenant or in one of the parties) without a staff role.
 */
function settlementWrite(policy: PolicyState): boolean {
  if (!policy.permissive || !policy.roles.some((role) => CLIENT_ROLES.has(role))) return false;
  const condition = policy.command === 'insert' ? policy.withCheck : policy.using;
  if (policy.command === 'select' || policy.command === 'delete' || condition === undefined) return false;
  // USING (true) is require-rls's finding; a condition that names no caller is not a party's.
  if (isAlwaysTrue(condition) || STAFF_CONDITION.test(condition)) return false;
  return readsCaller(condition) || calledFunctions(condition).length > 0;
}

/** An invitation or join-request table: its rows become memberships later. */
const INVITATION_TABLE = /invit/i;
/** A condition that looks at a role: the inviter's (`m.role in ('owner', 'admin')`, `is_org_admin(…)`) or the row's. */
const ROLE_CONDITION = /role|admin|owner|permission/i;

/**
 * The role column of an invitation table whose role a function later grants: it reads the table
 * and inserts a row elsewhere with the invitation's role (`select i.role … from invites i` then
 * `insert into memberships (…, role) values (…, v_role)`).
 */
function grantedRoleColumn(state: SchemaState, table: TableState): string | undefined {
  const column = [...table.columns].find((name) => /^(?:role|member_role|invited_role|app_role)$/.test(name));
  if (column === undefined) return undefined;
  const reads = new RegExp(String.raw`\bfrom\s+(?:"?${table.schema}"?\s*\.\s*)?"?${table.name}"?\b`, 'i');
  const uses = new RegExp(String.raw`\b${column}\b`, 'i');
  for (const overloads of state.functions.values())
    for (const fn of overloads)
      if (reads.test(fn.body) && uses.test(fn.body) && /\binsert\s+into\b/i.test(fn.body)) return column;
  return undefined;
}

/**
 * An INSERT policy on an invitation table that checks only that the caller belongs to the tenant:
 * any member invites anyone with any role, and accepting the invitation grants it (a member
 * invites a second account as owner).
 */
function unguardedInvite(state: SchemaState, policy: PolicyState): boolean {
  if (!policy.permissive || (policy.command !== 'insert' && policy.command !== 'all')) return false;
  if (!policy.roles.some((role) => CLIENT_ROLES.has(role))) return false;
  const check = policy.withCheck ?? policy.using;
  if (check === undefined || isAlwaysTrue(check) || ROLE_CONDITION.test(check)) return false;
  // A helper the policy calls may look at the role (`can_invite(organization_id)`).
  return !calledFunctions(check).some((name) => {
    const fn = state.function(policy.schema, name) ?? state.function('public', name);
    return fn !== undefined && ROLE_CONDITION.test(fn.body);
  });
}

/** `raw_user_meta_data` is whatever the user sent to sign-up: a privilege copied from it is self-granted. */
const USER_METADATA = /raw_user_meta_data\s*->>?\s*'(\w+)'/gi;

export const noSelfPrivilegeUpdate: AnalyzerCheck = {
  meta,
  run(model: ProjectModel, sink) {
    const exposed = new Set(model.config.exposedSchemas);
    const state = schemaState(model.sql);
    for (const fn of apiFunctions(state, model.config.exposedSchemasConfigured)) {
      const copied = [...fn.body.matchAll(USER_METADATA)]
        .map((match) => match[1] ?? '')
        .filter((key) => PRIVILEGE_COLUMN.test(key.toLowerCase()));
      if (copied.length === 0) continue;
      sink.add(meta, {
        file: fn.file,
        span: lineSpan(fn.line, fn.snippet),
        message: `Function ${fn.schema}.${fn.name} copies ${copied.join(', ')} from raw_user_meta_data, which is whatever the user sends to sign-up (supabase.auth.signUp({ options: { data: { ${copied[0] ?? 'role'}: 'admin' } } })), so anyone can sign up with the privileges they choose. Set privileges to a fixed default here and change them only from the server, or read raw_app_meta_data, which users cannot write.`,
        snippet: `metadata ${fn.schema}.${fn.name} ${copied.join(',')}`,
      });
    }
    const tenantKeys = [...DEFAULT_TENANT_KEYS, 'companyId', ...model.config.tenantKeys];
    for (const table of state.tables.values()) {
      if (!exposed.has(table.schema) || !table.rls) continue;
      const invitedRole = INVITATION_TABLE.test(table.name) ? grantedRoleColumn(state, table) : undefined;
      if (invitedRole !== undefined)
        for (const policy of table.policies.values()) {
          if (!unguardedInvite(state, policy)) continue;
          if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
          sink.add(meta, {
            file: policy.file,
            span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
            message: `Policy "${policy.name}" lets users create rows of ${table.schema}.${table.name} without looking at anyone's role, and accepting an invitation grants its ${invitedRole}: any member can invite a second account as owner or admin. Require an owner or admin inviter in WITH CHECK (e.g. EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = auth.uid() AND m.organization_id = ${table.name}.organization_id AND m.role IN ('owner', 'admin'))) and limit the ${invitedRole} they may hand out.`,
            snippet: `invite ${policy.snippet}`,
          });
        }
      const settlement = [...table.columns].filter((column) => SETTLEMENT_COLUMN.test(column));
      if (settlement.length > 0)
        for (const policy of table.policies.values()) {
          if (!settlementWrite(policy)) continue;
          if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
          const write = policy.command === 'insert' ? 'insert' : 'update';
          // Own-row updates of columns that are privileges too (payment_status) are reported below.
          const columns = ownRowUpdate(policy)
            ? settlement.filter((column) => !PRIVILEGE_COLUMN.test(column))
            : settlement;
          const open = unguarded(state, table, policy, columns, write);
          if (open.length === 0) continue;
          const money = [...table.columns].filter((column) => /price|amount|fee|total|payout|cost/i.test(column));
          sink.add(meta, {
            file: policy.file,
            span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
            message: `Policy "${policy.name}" lets users ${write === 'insert' ? 'create' : 'change'} rows of ${table.schema}.${table.name} that record a payment (${open.join(', ')}) as long as the row is theirs or their organization's: a party marks it paid without paying${money.length > 0 ? ` or rewrites ${money.slice(0, 3).join(', ')} before the payment charges them` : ''}. Let only the server write payment records (service_role, the payment webhook): drop client ${write} on these columns with column grants or a BEFORE ${write.toUpperCase()} trigger, or move them to a table clients cannot write.`,
            snippet: `settlement ${policy.snippet}`,
          });
        }
      const privileged = [...table.columns].filter(
        (column) =>
          PRIVILEGE_COLUMN.test(column.toLowerCase()) &&
          !(CHAT_TABLE.test(table.name) && /role/i.test(column)) &&
          trustedRoleColumn(state, table, column),
      );
      if (privileged.length === 0) continue;
      const tenantKey = tenantKeyOf([...table.columns], tenantKeys);
      for (const policy of table.policies.values()) {
        if (selfJoin(policy, tenantKey, privileged)) {
          if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
          sink.add(meta, {
            file: policy.file,
            span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
            message: `Policy "${policy.name}" lets users insert rows of ${table.schema}.${table.name} checking only that the row is theirs, while the row also sets ${tenantKey} and ${privileged.join(', ')}: anyone can add themselves to any tenant with any role. Check the role and the tenant in WITH CHECK (an invitation or an existing admin), or create memberships from the server.`,
            snippet: `self-join ${policy.snippet}`,
          });
          continue;
        }
        if (!ownRowUpdate(policy)) continue;
        if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
        const open = unguarded(state, table, policy, privileged, 'update');
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
