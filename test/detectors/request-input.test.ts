import { describe, expect, it } from 'vitest';

import { isBodyRead, requestInputKind } from '../../src/detectors/request-input.js';

describe('requestInputKind', () => {
  it.each([
    [['req', 'body', 'orgId'], 'body'],
    [['req', 'query', 'tenantId'], 'query'],
    [['req', 'params', 'orgId'], 'params'],
    [['req', 'headers', 'x-tenant-id'], 'headers'],
    [['req', 'header', '()'], 'headers'],
    [['request', 'headers', 'get', '()'], 'headers'],
    [['request', 'json', '()'], 'body'],
    [['request', 'formData', '()'], 'formData'],
    [['c', 'req', 'query', '()'], 'query'],
    [['c', 'req', 'param', '()'], 'params'],
    [['c', 'req', 'json', '()', 'orgId'], 'body'],
    [['ctx', 'request', 'body', 'orgId'], 'body'],
    [['url', 'searchParams', 'get', '()'], 'searchParams'],
    [['searchParams', 'get', '()'], 'searchParams'],
    [['formData', 'get', '()'], 'formData'],
    [['event', 'node', 'req', 'headers'], 'headers'],
  ] as const)('%j reads %s', (chain, kind) => {
    expect(requestInputKind(chain)).toBe(kind);
  });

  it.each([
    [['req', 'user', 'tenantId']],
    [['res', 'locals', 'principal', 'tenantId']],
    [['session', 'user', 'orgId']],
    [['c', 'get', '()']],
    [['request', 'headers', 'get']],
    [['user', 'body']],
  ] as const)('%j is not request input', (chain) => {
    expect(requestInputKind(chain)).toBeUndefined();
  });

  it('isBodyRead covers bodies and forms only', () => {
    expect(isBodyRead(['req', 'body'])).toBe(true);
    expect(isBodyRead(['c', 'req', 'text', '()'])).toBe(true);
    expect(isBodyRead(['req', 'query'])).toBe(false);
  });
});
