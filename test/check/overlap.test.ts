import { describe, expect, it } from 'vitest';

import type { Finding } from '../../src/catalog/finding.js';
import { dropSupersededFindings } from '../../src/check/overlap.js';

const finding = (ruleId: string, file: string, line: number): Finding => ({
  ruleId,
  category: ruleId.includes('tenant') ? 'tenancy' : 'webhooks',
  severity: 'high',
  file,
  line,
  column: 1,
  endLine: line,
  endColumn: 2,
  message: 'm',
  fingerprint: `${ruleId}${file}${String(line)}`.padEnd(32, '0').slice(0, 32),
});

describe('dropSupersededFindings', () => {
  it('leaves Supabase edge functions to the edge-function checks, and object access elsewhere to its own', () => {
    const kept = dropSupersededFindings(
      [
        finding('require-edge-function-auth', 'supabase/functions/open-fn/index.ts', 4),
        finding('require-object-authorization', 'supabase/functions/open-fn/index.ts', 7),
        finding('require-object-authorization', 'supabase/functions/signed-in-fn/index.ts', 9),
        finding('require-object-authorization', 'app/api/posts/route.ts', 12),
      ],
      { tenantModelsFromSchema: false },
    );
    expect(kept.map((f) => `${f.ruleId}@${f.file}`)).toEqual([
      'require-edge-function-auth@supabase/functions/open-fn/index.ts',
      'require-object-authorization@app/api/posts/route.ts',
    ]);
  });

  it('reports an edge function that runs a privileged operation for anyone once, by what it lets anyone do', () => {
    const kept = dropSupersededFindings(
      [
        finding('require-edge-function-auth', 'supabase/functions/send-email/index.ts', 66),
        finding('require-privileged-operation-auth', 'supabase/functions/send-email/index.ts', 66),
        finding('require-edge-function-auth', 'supabase/functions/get-lead/index.ts', 8),
      ],
      { tenantModelsFromSchema: false },
    );
    expect(kept.map((f) => `${f.ruleId}@${f.file}`)).toEqual([
      'require-privileged-operation-auth@supabase/functions/send-email/index.ts',
      'require-edge-function-auth@supabase/functions/get-lead/index.ts',
    ]);
  });

  it('keeps one finding per handler: no-unchecked-object-access replaces the edge-function and object findings it repeats', () => {
    const kept = dropSupersededFindings(
      [
        finding('require-edge-function-auth', 'supabase/functions/open-fn/index.ts', 4),
        finding('no-unchecked-object-access', 'supabase/functions/open-fn/index.ts', 30),
        finding('require-object-authorization', 'supabase/functions/open-fn/index.ts', 30),
        finding('require-object-authorization', 'supabase/functions/open-fn/index.ts', 41),
        finding('require-edge-function-auth', 'supabase/functions/other-fn/index.ts', 4),
        finding('no-unchecked-object-access', 'app/api/notes/route.ts', 12),
        finding('require-object-authorization', 'app/api/notes/route.ts', 12),
        finding('require-object-authorization', 'app/api/notes/route.ts', 20),
      ],
      { tenantModelsFromSchema: false },
    );
    expect(kept.map((f) => `${f.ruleId}@${f.file}:${String(f.line)}`)).toEqual([
      'no-unchecked-object-access@supabase/functions/open-fn/index.ts:30',
      'require-edge-function-auth@supabase/functions/other-fn/index.ts:4',
      'no-unchecked-object-access@app/api/notes/route.ts:12',
      'require-object-authorization@app/api/notes/route.ts:20',
    ]);
  });

  it('reports a webhook handler once: the flow check wins near the same lines, elsewhere the rule stays', () => {
    const kept = dropSupersededFindings(
      [
        finding('require-webhook-verification-flow', 'src/app.ts', 47),
        finding('require-webhook-verification', 'src/app.ts', 48),
        finding('require-webhook-verification', 'src/app.ts', 90),
        finding('require-webhook-verification', 'src/other.ts', 48),
      ],
      { tenantModelsFromSchema: false },
    );
    expect(kept.map((f) => `${f.ruleId}@${f.file}:${String(f.line)}`)).toEqual([
      'require-webhook-verification-flow@src/app.ts:47',
      'require-webhook-verification@src/app.ts:90',
      'require-webhook-verification@src/other.ts:48',
    ]);
  });

  it('lets the schema-aware tenant check decide when the schema is known, and the rule otherwise', () => {
    const findings = [
      finding('require-tenant-scope', 'src/p.ts', 37),
      finding('require-tenant-filter', 'src/p.ts', 22),
      finding('require-tenant-filter', 'src/p.ts', 37),
    ];
    expect(dropSupersededFindings(findings, { tenantModelsFromSchema: true }).map((f) => f.ruleId)).toEqual([
      'require-tenant-scope',
    ]);
    expect(
      dropSupersededFindings(findings, { tenantModelsFromSchema: false }).map((f) => `${f.ruleId}:${String(f.line)}`),
    ).toEqual(['require-tenant-scope:37', 'require-tenant-filter:22']);
  });
});
