import type { GeneratorAction, GeneratorSpec } from '../types.js';
import { normalizeTenancyOptions, TENANCY_SCHEMA, type TenancyOptions } from './options.js';

export type { TenancyMode, TenancyOptions } from './options.js';
export { normalizeTenancyOptions, TENANCY_SCHEMA } from './options.js';

/**
 * Tenant isolation on Postgres row-level security: migrations that add the tenant key and ENABLE +
 * FORCE RLS, a NOLOGIN app role, `withTenant` (set_config + SET LOCAL ROLE inside one transaction),
 * middleware that takes the tenant from the authenticated principal, optional per-tenant data keys
 * and a schema-per-tenant mode.
 */
export const tenancyGenerator: GeneratorSpec<TenancyOptions> = {
  name: 'tenancy',
  description:
    'Tenant isolation: forced Postgres row-level security on tenant-scoped tables, a least-privilege app role, withTenant(db, tenantId, fn) and middleware that takes the tenant from the authenticated principal; optional per-tenant data keys and schema-per-tenant mode.',
  version: '1.1.0',
  schema: TENANCY_SCHEMA,
  requires: ['db'],
  normalizeOptions: normalizeTenancyOptions,
  actions(options, app) {
    // With the keys module, tenant data keys live in its hierarchy (wrapped by its KMS key-encryption
    // key, rotated by it): no second master key, no tenant_data_keys table.
    const keysModule = options.dataKeys && app.modules.includes('keys');
    const data = { keysModule, ownDataKeys: options.dataKeys && !keysModule };
    const add = (path: string): GeneratorAction => ({ type: 'add', path, template: `tenancy/${path}.hbs`, data });
    const actions: GeneratorAction[] = [
      add('migrations/0100_tenancy_role.sql'),
      add('migrations/0101_tenancy_tables.sql'),
    ];
    if (data.ownDataKeys) actions.push(add('migrations/0102_tenancy_data_keys.sql'));
    if (options.schemaPerTenant) actions.push(add('migrations/0103_tenancy_schemas.sql'));
    actions.push(add('migrations/0104_tenancy_context.sql'));
    actions.push(
      add('src/tenancy/config.ts'),
      add('src/tenancy/with-tenant.ts'),
      add('src/tenancy/scoped-db.ts'),
      add('src/tenancy/index.ts'),
      add('src/tenancy/README.md'),
      add('src/tenancy/testing.ts'),
      add('src/tenancy/tenancy.test.ts'),
      add('src/tenancy/tenancy.pg.test.ts'),
    );
    if (options.express) actions.push(add('src/tenancy/express.ts'), add('src/tenancy/express.test.ts'));
    if (options.hono) actions.push(add('src/tenancy/hono.ts'), add('src/tenancy/hono.test.ts'));
    if (options.dataKeys) actions.push(add('src/tenancy/data-keys.ts'), add('src/tenancy/data-keys.test.ts'));
    actions.push({
      type: 'dependencies',
      dependencies: {
        '@electric-sql/pglite': '0.5.16',
        pg: '8.23.1',
        ...(options.express ? { express: '5.3.0' } : {}),
        ...(options.hono ? { hono: '4.13.19' } : {}),
      },
      devDependencies: { '@types/pg': '8.23.1', ...(options.express ? { '@types/express': '5.0.6' } : {}) },
    });
    actions.push({
      type: 'env',
      entries: [
        {
          key: 'TENANCY_CONTEXT_KEY',
          example: '',
          comment:
            'Base64 of 32 random bytes (openssl rand -base64 32), the same on every instance: only this process can open a tenant context, so SQL cannot switch tenants. Install it once with installTenantContextKey(db) on the migration connection. Keep it in a secret manager.',
        },
        ...(data.ownDataKeys
          ? [
              {
                key: 'TENANCY_MASTER_KEY',
                example: '',
                comment:
                  'Base64 of 32 random bytes (openssl rand -base64 32) that wraps each tenant data key. Keep it in a secret manager, never in the repository.',
              },
            ]
          : []),
      ],
    });
    return actions;
  },
  nextSteps(options, app) {
    const keysModule = options.dataKeys && app.modules.includes('keys');
    const steps = [
      'Run the migrations (migrate(db)) with an owner/migration role; the app role they create is NOLOGIN.',
      'Set TENANCY_CONTEXT_KEY (openssl rand -base64 32) on every instance and run installTenantContextKey(db) once with the migration role.',
      `In production connect as a login role that is neither superuser nor table owner and is a member of ${options.appRole}: CREATE ROLE app_login LOGIN NOINHERIT PASSWORD '…' IN ROLE ${options.appRole};`,
      app.composed === true
        ? 'src/api.ts mounts the tenancy middleware after authentication; use the request-scoped tenant database (tenantDbOf) for every query on tenant-scoped tables.'
        : 'Mount the tenancy middleware after authentication and use the request-scoped tenant database for every query on tenant-scoped tables.',
    ];
    if (options.schemaPerTenant)
      steps.push('Call provisionTenant(db, tenantId) once per new tenant, with the migration role.');
    if (options.dataKeys)
      steps.push(
        keysModule
          ? 'Tenant data keys are wrapped by the keys module: createTenantCipher(services.keys) inside withTenant.'
          : 'Set TENANCY_MASTER_KEY (openssl rand -base64 32) from your secret manager.',
      );
    return steps;
  },
};
