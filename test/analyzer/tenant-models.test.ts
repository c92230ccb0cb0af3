import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { tenantRuleOptions } from '../../src/analyzer/checks/require-tenant-scope.js';
import { buildModel, discoverAnalyzerInputs } from '../../src/analyzer/model.js';
import { loadSources } from '../../src/analyzer/project.js';
import { discoverFiles } from '../../src/discovery/files.js';
import { checkConfig } from '../../src/check/lint.js';
import { FIXTURES } from './fixture-project.js';

describe('tenant-scoped models for require-tenant-filter', () => {
  it('come from the Prisma schema and Drizzle tables, with no configuration', async () => {
    const root = join(FIXTURES, 'prisma-tenant-app');
    const sources = await loadSources({ root, files: await discoverFiles({ root }), texts: new Map() });
    const model = await buildModel(root, sources, await discoverAnalyzerInputs(root));
    expect(tenantRuleOptions(model)).toEqual({
      'require-tenant-filter': {
        tenantKeys: ['tenantId', 'orgId', 'organizationId', 'workspaceId', 'teamId', 'accountId'],
        models: ['Invoice', 'Project', 'documents', 'invoice', 'project'],
      },
    });
  });

  it('reach the lint config only for rules in the preset (safe before the rule exists)', () => {
    const options = {
      'require-tenant-filter': { models: ['project'] },
      'no-hardcoded-secrets': { checkNamedValues: false },
    };
    const rules = checkConfig({ preset: 'recommended', ruleOptions: options }).at(-1)?.rules ?? {};
    expect(rules['portcullis/no-hardcoded-secrets']).toEqual(['error', { checkNamedValues: false }]);
    if (!('portcullis/require-tenant-filter' in rules))
      expect(rules).not.toHaveProperty('portcullis/require-tenant-filter');
    else expect(rules['portcullis/require-tenant-filter']).toEqual(['error', { models: ['project'] }]);
  });
});
