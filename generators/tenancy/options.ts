import { OptionsError, type AppContext, type OptionsSchema } from '../types.js';

export type TenancyMode = 'rls' | 'schema-per-tenant';

export interface TenancyOptions {
  /** Tenant-scoped tables: each gets the tenant key, forced row-level security and a policy. */
  tables: string[];
  /** The tenant key column (uuid) added to every tenant-scoped table. */
  tenantColumn: string;
  /** `rls`: one shared schema isolated by row-level security. `schema-per-tenant`: a schema per tenant, plus RLS. */
  mode: TenancyMode;
  /** The NOLOGIN role the app switches into (`SET LOCAL ROLE`) inside each tenant transaction. */
  appRole: string;
  /** Per-tenant AES-256-GCM data keys wrapped by a master key from the environment. */
  dataKeys: boolean;
  /** Convenience flags for the templates (logic in templates is `{{#if}}`/`{{#each}}` only). */
  schemaPerTenant: boolean;
  express: boolean;
  hono: boolean;
}

/**
 * Lower-case SQL identifiers only, so every name is the same quoted or not and fits in
 * Postgres' 63-byte limit together with the suffixes we append (`_tenant_isolation`, `_tenant_idx`).
 */
export const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;
const SQL_IDENTIFIER_PATTERN = '^[a-z_][a-z0-9_]{0,39}$';

/** Names the module itself uses, or that mean something special to Postgres. */
const RESERVED_TABLES = new Set(['tenant_data_keys', 'schema_migrations']);
const RESERVED_ROLES = new Set(['public', 'postgres', 'none', 'current_user', 'session_user', 'current_role']);

export const DEFAULT_TABLES: readonly string[] = ['projects'];
const MODES: readonly TenancyMode[] = ['rls', 'schema-per-tenant'];

export const TENANCY_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    tables: {
      type: 'array',
      items: { type: 'string' },
      default: DEFAULT_TABLES,
      description:
        'Tenant-scoped tables (lower-case SQL identifiers, at most 40 characters). Each gets the tenant key column, ENABLE and FORCE row-level security and a tenant isolation policy; a missing table is created with id, tenant key, name and created_at.',
    },
    tenantColumn: {
      type: 'string',
      default: 'tenant_id',
      pattern: SQL_IDENTIFIER_PATTERN,
      description: 'The uuid column holding the tenant key.',
    },
    mode: {
      type: 'string',
      enum: MODES,
      default: 'rls',
      description:
        'rls: shared tables isolated by row-level security. schema-per-tenant: each tenant gets its own schema (selected with search_path inside the transaction), still under row-level security.',
    },
    appRole: {
      type: 'string',
      default: 'app_tenant',
      pattern: SQL_IDENTIFIER_PATTERN,
      description:
        'The NOLOGIN role (neither superuser nor table owner) the app switches into with SET LOCAL ROLE inside each tenant transaction.',
    },
    dataKeys: {
      type: 'boolean',
      default: false,
      description:
        'Per-tenant AES-256-GCM data keys, wrapped by TENANCY_MASTER_KEY, for encrypting sensitive columns (envelope encryption with node:crypto).',
    },
  },
  additionalProperties: false,
};

function identifier(option: string, value: unknown, reserved: ReadonlySet<string> = new Set()): string {
  if (typeof value !== 'string' || !SQL_IDENTIFIER.test(value))
    throw new OptionsError(
      option,
      `Option "${option}" must be a lower-case SQL identifier matching ${SQL_IDENTIFIER_PATTERN} (got ${JSON.stringify(value)}).`,
    );
  if (reserved.has(value) || value.startsWith('pg_'))
    throw new OptionsError(option, `Option "${option}" cannot be "${value}": the name is reserved.`);
  return value;
}

/** Validates and fills defaults; pure. Throws `OptionsError` naming the option and its allowed values. */
export function normalizeTenancyOptions(input: Readonly<Record<string, unknown>>, app: AppContext): TenancyOptions {
  const known = new Set(Object.keys(TENANCY_SCHEMA.properties));
  for (const key of Object.keys(input))
    if (!known.has(key))
      throw new OptionsError(key, `Unknown option "${key}"; allowed options: ${[...known].join(', ')}.`);

  const rawTables = input.tables ?? DEFAULT_TABLES;
  if (!Array.isArray(rawTables) || rawTables.length === 0)
    throw new OptionsError('tables', 'Option "tables" must be a non-empty array of lower-case SQL identifiers.');
  const tables = rawTables.map((table: unknown) => identifier('tables', table, RESERVED_TABLES));
  const duplicate = tables.find((table, index) => tables.indexOf(table) !== index);
  if (duplicate !== undefined) throw new OptionsError('tables', `Option "tables" lists "${duplicate}" twice.`);

  const tenantColumn = identifier('tenantColumn', input.tenantColumn ?? 'tenant_id');
  if (tenantColumn === 'id' || tenantColumn === 'name' || tenantColumn === 'created_at')
    throw new OptionsError(
      'tenantColumn',
      `Option "tenantColumn" cannot be "${tenantColumn}": the example tables use it.`,
    );

  const mode = input.mode ?? 'rls';
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode))
    throw new OptionsError('mode', `Option "mode" must be one of ${MODES.join(', ')} (got ${JSON.stringify(mode)}).`);

  const appRole = identifier('appRole', input.appRole ?? 'app_tenant', RESERVED_ROLES);

  const dataKeys = input.dataKeys ?? false;
  if (typeof dataKeys !== 'boolean')
    throw new OptionsError('dataKeys', `Option "dataKeys" must be true or false (got ${JSON.stringify(dataKeys)}).`);

  return {
    tables,
    tenantColumn,
    mode: mode as TenancyMode,
    appRole,
    dataKeys,
    schemaPerTenant: mode === 'schema-per-tenant',
    express: app.framework === 'express',
    hono: app.framework === 'hono',
  };
}
