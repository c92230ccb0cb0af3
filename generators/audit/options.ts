import { OptionsError, type OptionsSchema } from '../types.js';

export interface AuditOptions {
  retentionDays: number;
  checkpointEvery: number;
}

export const AUDIT_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    retentionDays: {
      type: 'integer',
      description:
        'Default retention in days: prune() deletes older events, keeping a signed checkpoint as the anchor so the rest still verifies (1-36500; AUDIT_RETENTION_DAYS overrides it at run time).',
      default: 365,
    },
    checkpointEvery: {
      type: 'integer',
      description:
        'Sign an ed25519 checkpoint every N events of a chain (1-100000; AUDIT_CHECKPOINT_EVERY overrides it). Smaller means truncation is detected sooner.',
      default: 100,
    },
  },
  additionalProperties: false,
};

function pickInteger(
  input: Readonly<Record<string, unknown>>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = input[name];
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new OptionsError(
    name,
    `Option "${name}" must be an integer from ${min} to ${max} (got ${JSON.stringify(value)}).`,
  );
}

/** Validates the audit options and fills defaults. Pure. */
export function normalizeAuditOptions(input: Readonly<Record<string, unknown>>): AuditOptions {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(AUDIT_SCHEMA.properties, key))
      throw new OptionsError(
        key,
        `Unknown option "${key}" for audit; allowed: ${Object.keys(AUDIT_SCHEMA.properties).join(', ')}.`,
      );
  }
  return {
    retentionDays: pickInteger(input, 'retentionDays', 1, 36_500, 365),
    checkpointEvery: pickInteger(input, 'checkpointEvery', 1, 100_000, 100),
  };
}
