import { isTestFile } from '../../detectors/test-files.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'no-unawaited-authorization-check',
  description:
    'An async ownership, membership or permission check is awaited before its result decides anything: a Promise used as a condition is always truthy.',
  category: 'tenancy',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-863'],
  recommended: true,
});

/** Names of functions that answer "may this caller do this?". */
const CHECK_NAME =
  /^(?:is|has|can|check|verify|assert|ensure|validate|authori[sz]e|allow|user(?:Is|Has|Can))[A-Z_]|(?:Owner|Member|Admin|Access|Permission|Allowed|Authori[sz]ed|Role|Visible|Belongs|Can[A-Z])/;

/**
 * `if (!isGroupOwner(user, groupId)) throw …` where `isGroupOwner` is async: the negated Promise is
 * always false (and a bare one always true), so the guard never turns anyone away. Only calls the
 * analyzer resolves to a project function declared `async` (or returning `Promise<…>`) are reported.
 */
export const noUnawaitedAuthorizationCheck: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const { linker } = model;
    for (const [file, facts] of linker.facts) {
      if (isTestFile(file)) continue;
      for (const condition of facts.conditionCalls ?? []) {
        const name = condition.callee.member ?? condition.callee.name;
        if (!CHECK_NAME.test(name)) continue;
        const resolved = linker.resolve(file, condition.callee);
        if (resolved?.kind !== 'function' || resolved.fn.async !== true) continue;
        const where = resolved.file === file ? 'an async function' : `an async function (${resolved.file})`;
        sink.add(meta, {
          file,
          span: condition.span,
          message: `\`${condition.text}\` is not awaited: ${name}() is ${where}, so the condition tests a Promise, which is always truthy (${condition.negated ? 'negated, always false' : 'always true'}): this check never turns anyone away. Any user passes it and reaches rows that are not theirs. Await the result: \`if (!(await ${name}(…)))\`.`,
        });
      }
    }
  },
};
