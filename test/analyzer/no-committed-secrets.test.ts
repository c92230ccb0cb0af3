import { describe, expect, it } from 'vitest';

import { noCommittedSecrets } from '../../src/analyzer/checks/no-committed-secrets.js';
import { FindingSink } from '../../src/analyzer/checks/shared.js';
import type { ProjectModel } from '../../src/analyzer/model.js';

/** Runs the check over in-memory files; the check reads nothing but `secretCandidates`. */
function run(files: Record<string, string>): string[] {
  const sink = new FindingSink('/nonexistent');
  const model = {
    secretCandidates: Object.entries(files).map(([file, text]) => ({ file, text })),
  } as unknown as ProjectModel;
  noCommittedSecrets.run(model, sink);
  return sink.findings.map((finding) => `${finding.file}:${String(finding.line)}`);
}

describe('no-committed-secrets on real-app shapes (issue #14)', () => {
  it('reads docker-compose defaults as local dev recipes', () => {
    const compose = [
      'services:',
      '  web:',
      '    environment:',
      '      DATABASE_URL: ${DATABASE_URL:-postgresql://postgres:postgres@postgres:5432/postgres} # CHANGEME',
      '      ENCRYPTION_KEY: ${ENCRYPTION_KEY:-0000000000000000000000000000000000000000000000000000000000000000}',
      '      CLICKHOUSE_PASSWORD: ${CLICKHOUSE_PASSWORD:-clickhouse}',
      '      MINIO_ROOT_PASSWORD: ${MINIO_ROOT_PASSWORD:-miniosecret}',
      '      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}',
      '      INIT_USER_PASSWORD: ${INIT_USER_PASSWORD:-}',
      '      SESSION_SECRET: ${SESSION_SECRET:-Zq8vL2pW9xR4tY7mK3} # CHANGEME: generate via openssl rand -hex 32',
    ].join('\n');
    expect(run({ 'docker-compose.yml': compose })).toEqual([]);
  });

  it('skips generated values, interpolations and identifier values in CI workflows and API specs', () => {
    const workflow = [
      '      - uses: actions/cache@v4',
      '        with:',
      '          key: workflow-usage-${{ github.run_id }}',
      '      - run: |',
      "          MCP_GATEWAY_API_KEY=$(openssl rand -base64 45 | tr -d '/+=')",
      '          echo "ADMIN_API_KEY=admin-api-key" >> $GITHUB_ENV',
      '          echo "login_password=password" >> $GITHUB_OUTPUT',
      '          const key = `${item.provider}:${item.model}`;',
      '      STRIPE_WEBHOOK_SECRET: "whsec_ci"',
    ].join('\n');
    const spec = ['  changePassword: ScimFeatureSupport', '  "key": "customer_tier",'].join('\n');
    expect(run({ '.github/workflows/ci.yml': workflow, 'fern/definition/scim.yml': spec })).toEqual([]);
  });

  it('leaves seed users and test key sets alone', () => {
    const seeds = ['users:', '  - email: user@example.com', '    password: SuperSecret123!'].join('\n');
    const keyset = `{ "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\\n" }`;
    expect(run({ 'apps/web/seeds/playwright.yaml': seeds, 'tests/fixtures/keysets/test_keyset.json': keyset })).toEqual(
      [],
    );
  });

  it('knows the local Supabase stack keys in kong.yml', () => {
    const kong =
      "  - \"Authorization: $((headers.apikey == 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz' and 'Bearer x'))\"";
    expect(run({ 'supabase/kong.yml': kong })).toEqual([]);
  });

  it('still reports real committed credentials', () => {
    const env = [
      'DATABASE_URL=postgres://app:Xk29vLq7pT@db.prod-cluster.example.net:5432/app',
      'SESSION_SECRET=Zq8vL2pW9xR4tY7mK3',
      'POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-Hq7!vL2pW9xR}',
    ].join('\n');
    expect(
      run({ '.env': env, 'docker-compose.yml': 'x:\n  environment:\n    POSTGRES_PASSWORD: Hq7!vL2pW9xR\n' }),
    ).toEqual(['.env:1', '.env:2', '.env:3', 'docker-compose.yml:3']);
  });
});
