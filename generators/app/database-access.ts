import type { AppContext } from '../types.js';

/** A row privilege. Never TRUNCATE (it skips row-level security and triggers), REFERENCES or TRIGGER. */
export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * What one module's code does in the database when it runs as the app's production login role: a
 * role that is neither superuser nor the owner of anything (migrations run as the owner). The
 * composition collects every installed module's declaration and renders it into the app's
 * `src/setup/login-role.ts`, which grants exactly this and nothing more.
 */
export interface DatabaseAccess {
  /** Tables the login role works on directly, each with exactly the privileges the module's SQL uses. */
  tables?: readonly { table: string; privileges: readonly TablePrivilege[] }[];
  /** Functions the login role may call, with their argument types: `audit_prune(text, bigint)`. */
  functions?: readonly string[];
  /**
   * NOLOGIN roles the login role becomes a member of (without inheriting their privileges): tenancy's
   * role that withTenant switches into with SET LOCAL ROLE, so tenant tables are reachable only there.
   */
  memberOf?: readonly string[];
}

type Options = Readonly<Record<string, unknown>>;

const ALL: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
const NO_DELETE: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE'];
const APPEND: readonly TablePrivilege[] = ['SELECT', 'INSERT'];
const READ: readonly TablePrivilege[] = ['SELECT'];

/**
 * One entry per module that touches the database, keyed by generator name. A new module with tables
 * (payments, keys…) adds its entry here; the app's login role then gets its grants on the next
 * `portcullis add`. The app's PostgreSQL test (`src/setup/login-role.pg.test.ts`) runs every
 * module's operations as that role, so a missing grant fails there.
 */
export const MODULE_DATABASE_ACCESS: Readonly<
  Record<string, (options: Options, modules: readonly string[]) => DatabaseAccess>
> = {
  // migrate() reads which migrations ran, to start without DDL rights when none is pending.
  db: () => ({ tables: [{ table: 'schema_migrations', privileges: READ }] }),
  // Audit is append-only: no UPDATE or DELETE on events, checkpoints or anchors. Retention deletes go
  // through the owner's audit_prune (SECURITY DEFINER), which enforces the retention period.
  audit: () => ({
    tables: [
      { table: 'audit_events', privileges: APPEND },
      { table: 'audit_chain_heads', privileges: NO_DELETE },
      { table: 'audit_checkpoints', privileges: APPEND },
      { table: 'audit_anchors', privileges: READ },
      { table: 'audit_retention', privileges: READ },
    ],
    functions: ['audit_prune(text, bigint)'],
  }),
  auth: (options) => ({
    tables: [
      { table: 'auth_users', privileges: NO_DELETE },
      { table: 'auth_sessions', privileges: NO_DELETE },
      { table: 'auth_login_states', privileges: ALL },
      { table: 'auth_signing_keys', privileges: NO_DELETE },
      { table: 'auth_refresh_families', privileges: NO_DELETE },
      { table: 'auth_refresh_tokens', privileges: NO_DELETE },
      { table: 'auth_nonces', privileges: ['SELECT', 'INSERT', 'DELETE'] },
      ...(options.mfa === false
        ? []
        : [
            { table: 'auth_totp', privileges: ALL },
            { table: 'auth_recovery_codes', privileges: ['SELECT', 'INSERT', 'DELETE'] as const },
            { table: 'auth_webauthn_credentials', privileges: NO_DELETE },
          ]),
    ],
  }),
  webhook: () => ({
    tables: [
      { table: 'webhook_events', privileges: APPEND },
      { table: 'webhook_dead_letters', privileges: NO_DELETE },
    ],
  }),
  // Tenant tables are granted to the tenancy role by its migrations, with row-level security forced.
  tenancy: (options) => ({ memberOf: [typeof options.appRole === 'string' ? options.appRole : 'app_tenant'] }),
  // Data keys are never deleted (retired keys stay, decrypt-only, until nothing uses them); nonces
  // expire by DELETE. Rotation, re-wrapping and re-encryption run as the login role.
  keys: () => ({
    tables: [
      { table: 'keys_data_keys', privileges: NO_DELETE },
      { table: 'keys_reencrypt_jobs', privileges: NO_DELETE },
      { table: 'keys_tenant_regions', privileges: NO_DELETE },
      { table: 'keys_request_nonces', privileges: ['SELECT', 'INSERT', 'DELETE'] },
    ],
  }),
  // The books are append-only (corrections are reversing transactions; triggers refuse UPDATE and
  // DELETE even to the owner). With tenancy the payments migrations grant these tables to the tenancy
  // role under forced row-level security, reached through withTenant; without it, to the login role.
  // With tenancy, outside withTenant the login role reads (never writes) every tenant's books for
  // reconciliation; a SELECT-only policy of the payments migrations allows exactly that.
  payments: (_options, modules) =>
    modules.includes('tenancy')
      ? {
          tables: ['ledger_accounts', 'ledger_transactions', 'ledger_postings', 'payments', 'payment_events'].map(
            (table) => ({ table, privileges: READ }),
          ),
          // The tenant policies on those tables call it; outside withTenant it returns NULL.
          functions: ['tenancy_current_tenant()'],
        }
      : {
          tables: [
            { table: 'ledger_accounts', privileges: APPEND },
            { table: 'ledger_transactions', privileges: APPEND },
            { table: 'ledger_postings', privileges: APPEND },
            { table: 'payments', privileges: NO_DELETE },
            { table: 'payment_events', privileges: APPEND },
          ],
        },
};

/** One module's access, flattened for the templates. */
export interface ModuleDatabaseAccess {
  module: string;
  tables: { table: string; privileges: string }[];
  functions: string[];
  memberOf: string[];
}

/** Pure: the login role's access in an app with a database, module by module (the db layer first). */
export function databaseAccess(app: AppContext): ModuleDatabaseAccess[] {
  const modules = [...new Set(['db', ...app.modules])].filter((name) => name in MODULE_DATABASE_ACCESS);
  return modules.map((module) => {
    const access = MODULE_DATABASE_ACCESS[module]!(app.moduleOptions?.[module] ?? {}, app.modules);
    return {
      module,
      tables: (access.tables ?? []).map(({ table, privileges }) => ({ table, privileges: privileges.join(', ') })),
      functions: [...(access.functions ?? [])],
      memberOf: [...(access.memberOf ?? [])],
    };
  });
}
