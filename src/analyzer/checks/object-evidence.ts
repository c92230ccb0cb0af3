import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import { SCOPE_KEY } from '../request-values.js';
import type { FileFacts, QueryFact } from '../types.js';

/** `teamId_userId`, `id_projectId`: a Prisma compound unique key names each of its fields. */
export function keyParts(key: string): string[] {
  return key.includes('_') && /[A-Z]/.test(key) ? [key, ...key.split('_')] : [key];
}

/** The filter names an owner, membership or tenant field (`userId`, `org_id`, `id_projectId`). */
export function hasScopeKey(keys: readonly string[]): boolean {
  return keys.some((key) => keyParts(key).some((part) => SCOPE_KEY.test(part)));
}

/** Names of a tenant's id (a procedure's middleware checks membership of `input.projectId`). */
const TENANT_NAME = /^(?:tenant|org|organization|workspace|team|account|project|company|group|space)(?:_?id)?$/i;

/** The last name of a value's source (`input.projectId` → `projectId`). */
function sourceName(source: string): string {
  return /([A-Za-z_$][\w$]*)\W*$/.exec(source)?.[1] ?? source;
}

/**
 * An earlier query in the same function looked the same request value up with an owner or tenant
 * condition (`findFirst({ where: { id: input.id, projectId } })`, then a not-found answer): the row
 * the later query reaches by that id was already shown to be the caller's.
 */
function lookedUpWithScope(facts: FileFacts | undefined, query: QueryFact, sources: ReadonlySet<string>): boolean {
  if (facts === undefined || query.enclosingFunction === undefined) return false;
  return facts.queries.some(
    (other) =>
      other !== query &&
      other.offset < query.offset &&
      other.enclosingFunction === query.enclosingFunction &&
      hasScopeKey(other.keys) &&
      (other.access?.requestKeys ?? []).some((entry) => sources.has(entry.source)),
  );
}

/**
 * Positive evidence that the caller picks the row a query reaches: a filter value taken from the
 * request in the same handler, or a parameter of a helper that some handler calls with a request
 * value (and no access check around that call). Absence of a tenant key alone is not evidence.
 */

interface Caller {
  file: string;
  line: number;
  index: number;
}

const callerIndex = new WeakMap<ProjectModel, Map<string, Caller[]>>();

/** The line of the function around `offset` (facts keep offsets, not a line table). */
function lineOf(model: ProjectModel, file: string, offset: number): number {
  const around = (model.linker.facts.get(file)?.functions ?? [])
    .filter((f) => f.start <= offset && offset < f.end)
    .sort((a, b) => b.start - a.start)[0];
  return around?.span.line ?? 1;
}

/** Calls that pass a request value on to a project function, by the callee's `file#id`. */
function requestCallers(model: ProjectModel): Map<string, Caller[]> {
  let callers = callerIndex.get(model);
  if (callers !== undefined) return callers;
  callers = new Map();
  for (const [file, facts] of model.linker.facts) {
    if (isTestFile(file)) continue;
    const seen = new Set<number>();
    for (const fn of facts.functions)
      for (const call of fn.calls) {
        // A call inside a nested function is listed by every function around it.
        if (call.requestArgs === undefined || seen.has(call.offset)) continue;
        seen.add(call.offset);
        const resolved = model.linker.resolve(file, call.callee);
        if (resolved?.kind !== 'function') continue;
        const key = `${resolved.file}#${resolved.fn.id}`;
        const line = lineOf(model, file, call.offset);
        for (const index of call.requestArgs) callers.set(key, [...(callers.get(key) ?? []), { file, line, index }]);
      }
  }
  callerIndex.set(model, callers);
  return callers;
}

/**
 * What shows the caller chooses the row (`\`id\` comes from the request (req.params.id)`), for the
 * filter keys `counts` accepts; undefined when nothing does or the code checks access.
 */
export function requestEvidence(
  model: ProjectModel,
  file: string,
  query: QueryFact,
  counts: (key: string) => boolean,
): string | undefined {
  const access = query.access;
  if (access === undefined || access.checked) return undefined;
  // A value named after a tenant (`input.projectId`) is the tenant id itself: no-untrusted-tenant-id's.
  const requestKeys = access.requestKeys.filter(
    (entry) => counts(entry.key) && !TENANT_NAME.test(sourceName(entry.source)),
  );
  if (requestKeys.length > 0 && lookedUpWithScope(model.linker.facts.get(file), query, new Set(requestKeys.map((e) => e.source))))
    return undefined;
  const [direct] = requestKeys;
  if (direct !== undefined)
    return `${/^\$\d+$/.test(direct.key) ? 'a bound value' : `\`${direct.key}\``} comes from the request (${direct.source})`;
  for (const param of access.paramKeys ?? []) {
    if (!counts(param.key)) continue;
    const caller = (requestCallers(model).get(`${file}#${param.fn}`) ?? []).find((c) => c.index === param.index);
    if (caller !== undefined)
      return `${/^\$\d+$/.test(param.key) ? 'a bound value' : `\`${param.key}\``} is a parameter that ${caller.file}:${String(caller.line)} fills from the request`;
  }
  return undefined;
}
