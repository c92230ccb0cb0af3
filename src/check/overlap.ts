import type { Finding } from '../catalog/finding.js';

/**
 * Findings whose concern another finding covers with more context (across files, through helpers
 * and scoped clients) or more specifically (what the handler lets anyone do). Both run; a concern is
 * reported once, by the more specific one.
 */
const SUPERSEDED_BY: Readonly<Record<string, string>> = {
  'require-tenant-filter': 'require-tenant-scope',
  'require-webhook-verification': 'require-webhook-verification-flow',
  // An edge function that runs a privileged operation for anyone is reported once, by what it lets anyone do.
  'require-edge-function-auth': 'require-privileged-operation-auth',
};

/** How far apart (in lines) a rule finding and a check finding may be and still be the same handler. */
const SAME_PLACE_LINES = 3;

export interface OverlapContext {
  /** The schema supplied the tenant-scoped models: `require-tenant-scope` is then authoritative. */
  tenantModelsFromSchema: boolean;
}

/**
 * Supabase edge functions are judged by `require-edge-function-auth`, which knows how they verify a
 * caller (a JWT, a webhook signature, a shared secret) and what a caller holds (a session id, a
 * widget key): object-level findings there would repeat it, or misread a verified caller.
 */
const EDGE_FUNCTION = /(?:^|\/)supabase\/functions\//;

/** Drops rule findings that a project check reports (or rules out) with more context. */
export function dropSupersededFindings(findings: readonly Finding[], context: OverlapContext): Finding[] {
  findings = findings.filter(
    (finding) => !(finding.ruleId === 'require-object-authorization' && EDGE_FUNCTION.test(finding.file)),
  );
  const checkFindings = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!Object.values(SUPERSEDED_BY).includes(finding.ruleId)) continue;
    const key = `${finding.ruleId}\u0000${finding.file}`;
    checkFindings.set(key, [...(checkFindings.get(key) ?? []), finding]);
  }
  return findings.filter((finding) => {
    const check = SUPERSEDED_BY[finding.ruleId];
    if (check === undefined) return true;
    // With the schema known, the check follows helpers and tenant-scoped clients the rule cannot see.
    if (check === 'require-tenant-scope' && context.tenantModelsFromSchema) return false;
    const near = checkFindings.get(`${check}\u0000${finding.file}`) ?? [];
    return !near.some((other) => Math.abs(other.line - finding.line) <= SAME_PLACE_LINES);
  });
}
