import type { GeneratorAction, GeneratorSpec } from '../types.js';
import { AUDIT_SCHEMA, normalizeAuditOptions, type AuditOptions } from './options.js';

export type { AuditOptions } from './options.js';

export const AUDIT_MIGRATIONS = [
  '0400_audit_events.sql',
  '0401_audit_chain_heads.sql',
  '0402_audit_checkpoints.sql',
  '0403_audit_anchors.sql',
  '0404_audit_events_time_index.sql',
  '0405_audit_append_only_function.sql',
  '0406_audit_events_append_only.sql',
  '0407_audit_checkpoints_append_only.sql',
  '0408_audit_retention.sql',
] as const;

const AUDIT_FILES = [
  'types.ts',
  'canonical.ts',
  'redact.ts',
  'signing.ts',
  'verify.ts',
  'csv.ts',
  'export.ts',
  'verify-export.ts',
  'verify-cli.ts',
  'log.ts',
  'checkpoint-sink.ts',
  'index.ts',
  'README.md',
  'testing.ts',
  'audit.test.ts',
  'tamper.test.ts',
  'concurrency.test.ts',
  'export.test.ts',
] as const;

/** A tamper-evident audit log: per-tenant hash chains, signed checkpoints, verification, signed exports, retention. */
export const auditGenerator: GeneratorSpec<AuditOptions> = {
  name: 'audit',
  description:
    'Audit log: append-only structured events with PII redacted, a SHA-256 hash chain per tenant with serialised appends, ed25519-signed checkpoints, verifyAuditLog() reporting the first broken link, signed JSON Lines / CSV exports with a readable report that verify standalone, and retention that keeps the chain verifiable.',
  version: '1.1.0',
  schema: AUDIT_SCHEMA,
  requires: ['db'],
  normalizeOptions: (input) => normalizeAuditOptions(input),
  actions: () => [
    ...AUDIT_FILES.map((name): GeneratorAction => ({
      type: 'add',
      path: `src/audit/${name}`,
      template: `audit/src/audit/${name}.hbs`,
    })),
    ...AUDIT_MIGRATIONS.map((name): GeneratorAction => ({
      type: 'add',
      path: `migrations/${name}`,
      template: `audit/migrations/${name}.hbs`,
    })),
    { type: 'dependencies', devDependencies: { '@types/node': '20.19.43', vitest: '4.1.12' } },
    {
      type: 'env',
      entries: [
        {
          key: 'AUDIT_SIGNING_KEY',
          example: '',
          comment:
            'ed25519 private key (PKCS#8 PEM, \\n-escaped) that signs audit checkpoints and exports; keep it in a secret store, give auditors the public key.',
        },
        {
          key: 'AUDIT_HASH_KEY',
          example: '',
          comment:
            'Random secret (32+ bytes) for pseudonymising e-mails and IPs in audit events; empty: they are removed.',
        },
        {
          key: 'AUDIT_RETENTION_DAYS',
          example: '',
          comment: 'Days audit events are kept before prune() (empty: generator default).',
        },
        {
          key: 'AUDIT_CHECKPOINT_EVERY',
          example: '',
          comment: 'Sign a checkpoint every N events per chain (empty: generator default).',
        },
        {
          key: 'AUDIT_CHECKPOINT_DIR',
          example: '',
          comment:
            'Folder outside the database (another volume or machine) that receives signed checkpoints, so truncating the log in the database stays detectable; empty: none (see src/audit/README.md).',
        },
      ],
    },
  ],
  nextSteps: (_options, app) => [
    'Generate the signing key once: node -e "import(\'./src/audit/index.js\').then(m => console.log(m.generateAuditKeyPair()))" (or use openssl genpkey -algorithm ed25519) and set AUDIT_SIGNING_KEY.',
    app.composed === true
      ? 'src/services.ts opens the log at start-up, passes it to auth/rbac/webhook and checkpoints every minute; run prune() on a schedule.'
      : 'Open the log at start-up with openAuditLog(db), pass it as the audit sink to auth/rbac/webhook, call startCheckpointing(60_000) and run prune() on a schedule.',
    'Pull an audit report with log.export({ from, to }); auditors check the .jsonl or .csv with verifyAuditExport(file, publicKey).',
    'Set AUDIT_CHECKPOINT_DIR to a folder outside the database and verify with log.verify({ externalCheckpoints: await localFolderSink(dir).readAll() }).',
    'Run the app as a role that does not own the audit tables; prune() deletes only through audit_prune, which enforces the retention period.',
  ],
};
