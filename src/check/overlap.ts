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
 * widget key), and by `no-unchecked-object-access`, which knows the same and shows which row an
 * unchecked caller reaches: `require-object-authorization` findings there would repeat them or
 * misread a verified caller. Where `no-unchecked-object-access` reports a function, its finding is
 * the more specific one and replaces the function-level `require-edge-function-auth` finding.
 */
const EDGE_FUNCTION = /^((?:.*\/)?supabase\/functions\/[^/]+\/)/;

/** Object-level findings replaced by the high-confidence `no-unchecked-object-access` at the same place. */
const OBJECT_ACCESS = 'no-unchecked-object-access';

function edgeFunctionOf(file: string): string | undefined {
  return EDGE_FUNCTION.exec(file)?.[1];
}

/** One finding per concern among the object-level and edge-function checks: the most specific stays. */
function dropObjectLevelRepeats(findings: readonly Finding[]): Finding[] {
  const objectAccess = findings.filter((finding) => finding.ruleId === OBJECT_ACCESS);
  const specificEdge = new Set(objectAccess.map((finding) => edgeFunctionOf(finding.file)));
  return findings.filter((finding) => {
    const edge = edgeFunctionOf(finding.file);
    if (finding.ruleId === 'require-edge-function-auth') return edge === undefined || !specificEdge.has(edge);
    if (finding.ruleId !== 'require-object-authorization') return true;
    if (edge !== undefined) return false;
    return !objectAccess.some((other) => other.file === finding.file && other.line === finding.line);
  });
}

/** Drops rule findings that a project check reports (or rules out) with more context. */
export function dropSupersededFindings(findings: readonly Finding[], context: OverlapContext): Finding[] {
  findings = dropObjectLevelRepeats(findings);
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
