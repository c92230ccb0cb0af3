import { describe, expect, it } from 'vitest';

import { DEFAULT_TENANT_KEYS, modelSet, normalizeModelName, tenantKeyMatcher } from '../../src/detectors/tenancy.js';

describe('tenantKeyMatcher', () => {
  const isTenantKey = tenantKeyMatcher();
  it('matches the default keys in both spellings', () => {
    for (const key of DEFAULT_TENANT_KEYS) expect(isTenantKey(key)).toBe(true);
    expect(isTenantKey('org_id')).toBe(true);
    expect(isTenantKey('workspace_id')).toBe(true);
  });
  it('matches Prisma compound unique keys', () => {
    expect(isTenantKey('tenantId_slug')).toBe(true);
    expect(isTenantKey('id_orgId')).toBe(true);
  });
  it('does not match look-alikes', () => {
    expect(isTenantKey('id')).toBe(false);
    expect(isTenantKey('tenantName')).toBe(false);
    expect(isTenantKey('created_at')).toBe(false);
    expect(isTenantKey('accountIdHash')).toBe(false);
  });
  it('honours configured keys only', () => {
    const custom = tenantKeyMatcher(['companyId']);
    expect(custom('companyId')).toBe(true);
    expect(custom('company_id')).toBe(true);
    expect(custom('tenantId')).toBe(false);
  });
});

describe('model names', () => {
  it('normalizes Prisma models, client properties and table names alike', () => {
    expect(normalizeModelName('Invoice')).toBe('invoice');
    expect(normalizeModelName('invoices')).toBe('invoice');
    expect(normalizeModelName('companies')).toBe('company');
    expect(normalizeModelName('invoice_items')).toBe('invoiceitem');
    expect(normalizeModelName('address')).toBe('address');
  });
  it('modelSet answers for any spelling', () => {
    const set = modelSet(['AuditEvent']);
    expect(set.has('auditEvent')).toBe(true);
    expect(set.has('audit_events')).toBe(true);
    expect(set.has('audit')).toBe(false);
    set.add('projects');
    expect(set.has('Project')).toBe(true);
  });
});
