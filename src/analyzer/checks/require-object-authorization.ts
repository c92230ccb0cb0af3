import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import { SCOPE_KEY } from '../request-values.js';
import type { QueryFact } from '../types.js';
import { rlsEnabledTables, tenantModels } from './require-tenant-scope.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'require-object-authorization',
  description:
    'A row read, changed or deleted by an id from the request carries an owner, membership or tenant condition, or the code checks the caller may touch it.',
  category: 'tenancy',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-639'],
  recommended: true,
});

const WRITE_METHODS =
  /^(?:update|updateMany|upsert|delete|deleteMany|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove|findOneAndUpdate|findOneAndDelete|deleteOne|updateOne|destroy)$/;

interface Caller {
  file: string;
  line: number;
  index: number;
}

/** Calls that pass a request value on to a project function, by the callee's `file#id`. */
function requestCallers(model: ProjectModel): Map<string, Caller[]> {
  const callers = new Map<string, Caller[]>();
  for (const [file, facts] of model.linker.facts) {
    if (isTestFile(file)) continue;
    for (const fn of facts.functions)
      for (const call of fn.calls) {
        if (call.requestArgs === undefined) continue;
        const resolved = model.linker.resolve(file, call.callee);
        if (resolved?.kind !== 'function') continue;
        const key = `${resolved.file}#${resolved.fn.id}`;
        const line = lineOf(model, file, call.offset);
        for (const index of call.requestArgs)
          callers.set(key, [...(callers.get(key) ?? []), { file, line, index }]);
      }
  }
  return callers;
}

/** The line of the function around `offset` (facts keep offsets, not a line table). */
function lineOf(model: ProjectModel, file: string, offset: number): number {
  const around = (model.linker.facts.get(file)?.functions ?? [])
    .filter((f) => f.start <= offset && offset < f.end)
    .sort((a, b) => b.start - a.start)[0];
  return around?.span.line ?? 1;
}

function describe(query: QueryFact): string {
  if (query.orm === 'prisma') return `${query.receiver}.${query.target.name}.${query.method}()`;
  if (query.orm === 'supabase') return `${query.receiver}.from('${query.target.name}').${query.method}()`;
  if (query.orm === 'model') return `${query.target.name}.${query.method}()`;
  if (query.orm === 'drizzle-relational') return `${query.receiver}.query.${query.target.name}.${query.method}()`;
  return `${query.method} on ${query.target.name}`;
}

function scoped(query: QueryFact): boolean {
  return query.keys.some((key) => SCOPE_KEY.test(key)) || query.helperCalls.length > 0 || query.filterIdentifiers.length > 0;
}

export const requireObjectAuthorization: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const tenant = tenantModels(model);
    const tenantPrisma = new Set(tenant.filter((m) => m.orm === 'prisma').map((m) => m.name));
    const tenantTables = new Set(tenant.map((m) => m.table));
    const rls = rlsEnabledTables(model);
    let callers: Map<string, Caller[]> | undefined;
    for (const [file, facts] of model.linker.facts) {
      if (isTestFile(file)) continue;
      for (const query of facts.queries) {
        const access = query.access;
        if (access === undefined || access.checked || scoped(query)) continue;
        if (query.orm === 'sql') continue;
        // Tenant-scoped models are require-tenant-scope's.
        if (query.orm === 'prisma' && tenantPrisma.has(query.target.name)) continue;
        if (query.orm === 'supabase') {
          if (tenantTables.has(query.target.name)) continue;
          // The user's client is held to row level security; the service-role client is not.
          if (query.serviceRole !== true && rls.has(query.target.name)) continue;
        }
        const write = WRITE_METHODS.test(query.method);
        let evidence: string | undefined;
        const direct = access.requestKeys.find((entry) => !SCOPE_KEY.test(entry.key));
        if (direct !== undefined) evidence = `\`${direct.key}\` comes from the request (${direct.source})`;
        else
          for (const param of access.paramKeys ?? []) {
            if (SCOPE_KEY.test(param.key)) continue;
            callers ??= requestCallers(model);
            const caller = (callers.get(`${file}#${param.fn}`) ?? []).find((c) => c.index === param.index);
            if (caller !== undefined) {
              evidence = `\`${param.key}\` comes from the request through the function that calls this one at ${caller.file}:${String(caller.line)}`;
              break;
            }
          }
        if (evidence === undefined) continue;
        const rowWhat = write ? 'changes or deletes' : 'reads';
        sink.add(meta, {
          file,
          span: query.span,
          message: `${describe(query)} ${rowWhat} a row by an id the caller chooses: ${evidence}, and nothing checks that the row belongs to the caller (no owner, membership or tenant condition, no check of the loaded row), so any user can reach other users' rows by changing the id (IDOR). Add the owner or tenant from the authenticated session to the filter, or check the loaded row's owner before using it.`,
          fix: 'portcullis add tenancy',
        });
      }
    }
  },
};
