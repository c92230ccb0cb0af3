import { pinned } from '../pins.js';
import type { AppContext, GeneratorAction, GeneratorSpec } from '../types.js';
import { KEYS_SCHEMA, normalizeKeysOptions, type KeysOptions } from './options.js';

export type { KeysOptions } from './options.js';
export { KEYS_SCHEMA, normalizeKeysOptions } from './options.js';

/** What the templates know about the rest of the app (read at render time, not stored with the options). */
function context(app: AppContext): Record<string, unknown> {
  const tenancy = app.modules.includes('tenancy');
  const tenancyOptions = app.moduleOptions?.tenancy ?? {};
  return {
    audit: app.modules.includes('audit'),
    tenancy,
    tenancyAppRole: typeof tenancyOptions.appRole === 'string' ? tenancyOptions.appRole : 'app_tenant',
    tenancyTables: Array.isArray(tenancyOptions.tables) ? tenancyOptions.tables : tenancy ? ['projects'] : [],
  };
}

/**
 * Keys: envelope encryption (AES-256-GCM data keys wrapped by a KMS key-encryption key), KEK and
 * data-key rotation with a resumable re-encryption job and an incident runbook, RFC 9421 signed
 * service-to-service requests, and data classification with per-tenant residency.
 */
export const keysGenerator: GeneratorSpec<KeysOptions> = {
  name: 'keys',
  description:
    'Key management: envelope encryption (AES-256-GCM data keys per tenant wrapped by a KMS key-encryption key; a local KMS from env or file, an interface for AWS/GCP/Vault), KEK and data-key rotation with re-wrap, a resumable re-encryption job and an incident runbook command, RFC 9421 signed service-to-service requests with replay protection, and data classification with per-tenant residency.',
  version: '1.0.0',
  schema: KEYS_SCHEMA,
  requires: ['db'],
  normalizeOptions: normalizeKeysOptions,
  actions(options, app) {
    const data = context(app);
    const add = (path: string): GeneratorAction => ({ type: 'add', path, template: `keys/${path}.hbs`, data });
    const actions: GeneratorAction[] = [
      add('migrations/0700_keys.sql'),
      add('src/keys/kms.ts'),
      add('src/keys/local-kms.ts'),
      add('src/keys/config.ts'),
      add('src/keys/service.ts'),
      add('src/keys/runbook.ts'),
      add('src/keys/rotate-cli.ts'),
      add('src/keys/index.ts'),
      add('src/keys/README.md'),
      add('src/keys/keys.test.ts'),
      add('src/keys/classification.ts'),
      add('src/keys/residency.ts'),
      add('src/keys/residency.test.ts'),
    ];
    if (options.signedRequests)
      actions.push(
        add('src/keys/signatures.ts'),
        add(`src/keys/${app.framework}.ts`),
        add('src/keys/mtls.ts'),
        add('src/keys/signatures.test.ts'),
        add('src/keys/mtls.test.ts'),
      );
    actions.push(
      {
        type: 'dependencies',
        dependencies: {
          ...pinned('@electric-sql/pglite', 'pg'),
          ...(options.signedRequests ? pinned('http-message-signatures') : {}),
          ...(options.signedRequests ? pinned(app.framework) : {}),
        },
        devDependencies: {
          ...pinned('@types/pg'),
          ...(options.signedRequests && options.express ? pinned('@types/express') : {}),
        },
      },
      { type: 'scripts', scripts: { 'keys:rotate': 'node dist/keys/rotate-cli.js' } },
      {
        type: 'env',
        entries: [
          {
            key: 'KEYS_LOCAL_KEYRING_FILE',
            example: '',
            comment:
              'Path of the local KMS keyring (npm run keys:rotate -- --init <file>; mode 0600, rewritten on rotation). Or KEYS_LOCAL_KEYRING with the JSON from a secret manager. Required in production.',
          },
          { key: 'KEYS_KEK_ID', example: options.kekId, comment: 'The key-encryption key that wraps every data key.' },
          {
            key: 'KEYS_REGION',
            example: options.region,
            comment:
              'The region this deployment runs in; restricted data of tenants pinned elsewhere never leaves for it.',
          },
        ],
      },
    );
    return actions;
  },
  nextSteps(options) {
    return [
      'Create a keyring outside the repository: npm run build && npm run keys:rotate -- --init /secure/keyring.json, then set KEYS_LOCAL_KEYRING_FILE.',
      `Seal sensitive columns with keys.encryptField(tx, { scope: tenantId, table, column }, value); the KEK is "${options.kekId}".`,
      'Rotate on a schedule with npm run keys:rotate -- --scheduled; on incident, npm run keys:rotate -- --incident (src/keys/README.md).',
    ];
  },
};
