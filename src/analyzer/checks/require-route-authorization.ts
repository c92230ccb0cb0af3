import { isTestFile } from '../../detectors/test-files.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, routeName } from './shared.js';

const meta = checkMeta({
  id: 'require-route-authorization',
  description: 'Every route that reads or changes data is guarded by an auth check or marked public on purpose.',
  category: 'authz',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-862'],
  // Strict until it holds on real apps: 5 of ~33 findings true on the 18-app corpus (RLS-protected reads,
  // public-by-design reads and backend-for-frontend proxies read as unguarded); see the doc.
  recommended: 'strict',
});

/** Routes with neither auth evidence (middleware chain, handler, helpers across files) nor a public marker. */
export const requireRouteAuthorization: AnalyzerCheck = {
  meta,
  run(model, sink) {
    for (const route of model.routes) {
      if (route.guard !== undefined || route.publicReason !== undefined || !route.readsOrChangesData) continue;
      // Routes declared in tests exercise guards; they are never deployed.
      if (isTestFile(route.file)) continue;
      // Webhooks authenticate by signature; require-webhook-verification-flow owns them.
      if (route.webhook) continue;
      // A handler the analyzer cannot read (a package wrapper, a class method) may hold the check itself.
      if (route.handlerFn === undefined) continue;
      const what = routeName(route);
      sink.add(meta, {
        file: route.file,
        span: route.span,
        message: `${what} ${route.method === 'GET' ? 'reads' : route.method === 'ALL' || route.framework === 'next-action' ? 'reaches' : 'changes'} data without any authorization check: no guard was found in its middleware chain, its handler or the helpers they call, so anyone can call it. Add a guard (e.g. requireAuth/requireRole) or, if it is public on purpose, mark it with \`// portcullis-public: <reason>\`.`,
        fix: 'portcullis add auth',
      });
    }
  },
};
