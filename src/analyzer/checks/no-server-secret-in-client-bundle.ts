import { isServerSecretEnv } from '../../detectors/route-evidence.js';
import type { FileFacts, ImportFact } from '../types.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'no-server-secret-in-client-bundle',
  description: 'Client entry points never import, at any depth, a module that reads a server secret.',
  category: 'client-exposure',
  severity: 'high',
  securitySeverity: 7.5,
  cwe: ['CWE-200', 'CWE-522'],
  recommended: true,
});

/**
 * Validated-env modules built for both sides of a Next.js app (`@t3-oss/env-nextjs`): the library
 * throws when client code touches a server variable, and Next.js never inlines variables without
 * `NEXT_PUBLIC_`, so reading them there ships no secret.
 */
const SPLIT_ENV_MODULE = /^@t3-oss\/env(?:-|$)/;

/**
 * True when every name an import brings in is missing from the target's value exports: the names are
 * types (`import { ActionState } from './middleware'` with `export type ActionState`), which
 * TypeScript and SWC erase, so the target never reaches the bundle through this import.
 */
function importsOnlyTypes(imported: ImportFact, target: FileFacts): boolean {
  const names = Object.values(imported.bindings);
  if (names.length === 0) return false;
  if (names.some((name) => name === 'default' || name === '*')) return false;
  if (target.reexports.some((reexport) => reexport.names === undefined || names.some((n) => n in reexport.names!)))
    return false;
  return names.every((name) => target.exports[name] === undefined);
}

/** Follows static imports from `'use client'` modules and Vite entries to modules that read server-only env vars. */
export const noServerSecretInClientBundle: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const { linker } = model;
    const entries = new Set<string>();
    for (const [file, facts] of linker.facts) if (facts.directive === 'use client') entries.add(file);
    for (const entry of model.viteEntries) if (linker.facts.has(entry)) entries.add(entry);
    for (const entry of [...entries].sort()) {
      const parent = new Map<string, string>([[entry, '']]);
      const queue = [entry];
      const reported = new Set<string>();
      while (queue.length > 0) {
        const file = queue.shift() ?? '';
        const facts = linker.facts.get(file);
        if (facts === undefined) continue;
        const splitEnv = facts.imports.some((imported) => SPLIT_ENV_MODULE.test(imported.specifier));
        const secrets = splitEnv ? [] : [...new Set(facts.envReads.map((read) => read.name).filter(isServerSecretEnv))];
        if (secrets.length > 0 && !reported.has(file)) {
          reported.add(file);
          const chain: string[] = [];
          for (let at: string | undefined = file; at !== undefined && at !== ''; at = parent.get(at)) chain.unshift(at);
          const firstHop = chain[1];
          const entryFacts = linker.facts.get(entry);
          const importFact =
            firstHop === undefined
              ? undefined
              : entryFacts?.imports.find((i) => linker.resolver.resolve(entry, i.specifier) === firstHop);
          const read = facts.envReads.find((r) => isServerSecretEnv(r.name));
          const span =
            importFact !== undefined
              ? {
                  line: importFact.line,
                  column: importFact.column,
                  endLine: importFact.line,
                  endColumn: importFact.column + 6,
                }
              : (read?.span ?? { line: 1, column: 1, endLine: 1, endColumn: 1 });
          sink.add(meta, {
            file: entry,
            span,
            message: `Client module ${entry} ${chain.length > 1 ? `imports ${chain.slice(1).join(' → ')}, which reads` : 'reads'} the server secret ${secrets.join(', ')}, so the bundler ships that code (and any secret it inlines) to every browser. Keep secret-reading code in server-only modules (import 'server-only') and call it through a route or Server Action.`,
          });
        }
        for (const imported of facts.imports) {
          if (imported.typeOnly) continue;
          const target = linker.resolver.resolve(file, imported.specifier);
          if (target === undefined || parent.has(target)) continue;
          const targetFacts = linker.facts.get(target);
          // Server Actions reach the client as RPC stubs; server-only modules fail the client build.
          if (targetFacts === undefined || targetFacts.directive === 'use server' || targetFacts.serverOnly) continue;
          if (importsOnlyTypes(imported, targetFacts)) continue;
          parent.set(target, file);
          queue.push(target);
        }
      }
    }
  },
};
