import { OptionsError, type OptionsSchema } from '../types.js';

export const RBAC_ENGINES = ['typed', 'cedar'] as const;
export const RBAC_AUDIT_MODES = ['all', 'denials'] as const;

export type RbacEngine = (typeof RBAC_ENGINES)[number];
export type RbacAuditMode = (typeof RBAC_AUDIT_MODES)[number];

export interface RbacOptions {
  engine: RbacEngine;
  auditDecisions: RbacAuditMode;
}

export const RBAC_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    engine: {
      type: 'string',
      description:
        'Policy engine behind authorize(): `typed` evaluates the typed policy in src/authz/policy.ts; `cedar` evaluates .cedar policies with @cedar-policy/cedar-wasm, parsed and validated once at start-up.',
      enum: RBAC_ENGINES,
      default: 'typed',
    },
    auditDecisions: {
      type: 'string',
      description:
        'Which decisions go to the audit sink when one is configured: `all` (allows and denials) or `denials` only.',
      enum: RBAC_AUDIT_MODES,
      default: 'all',
    },
  },
  additionalProperties: false,
};

function pickEnum<T extends string>(
  input: Readonly<Record<string, unknown>>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = input[name];
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new OptionsError(name, `Option "${name}" must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)}).`);
}

/** Validates the rbac options and fills defaults. Pure. */
export function normalizeRbacOptions(input: Readonly<Record<string, unknown>>): RbacOptions {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(RBAC_SCHEMA.properties, key))
      throw new OptionsError(
        key,
        `Unknown option "${key}" for rbac; allowed: ${Object.keys(RBAC_SCHEMA.properties).join(', ')}.`,
      );
  }
  return {
    engine: pickEnum(input, 'engine', RBAC_ENGINES, 'typed'),
    auditDecisions: pickEnum(input, 'auditDecisions', RBAC_AUDIT_MODES, 'all'),
  };
}
