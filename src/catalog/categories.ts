/** The closed list of finding categories (DESIGN.md, "The finding model"). */
export const CATEGORIES = [
  'secrets',
  'client-exposure',
  'cookies',
  'cors',
  'jwt',
  'oauth',
  'webhooks',
  'tenancy',
  'authz',
  'randomness',
  'timing',
  'logging',
  'llm',
  'supabase',
  'payments',
  'crypto',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1 };

/** True when `severity` is at or above `threshold` (e.g. `high` meets `medium`). */
export function meetsThreshold(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
