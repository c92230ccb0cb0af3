import { describe, expect, it } from 'vitest';

import { isCredentialsHeaderOn, isPermissive, originRegexProblem } from '../../src/detectors/cors.js';

describe('originRegexProblem', () => {
  it.each([
    ['^https:\\/\\/app\\.example\\.com$'],
    ['\\.example\\.com$'],
    ['^https:\\/\\/[a-z0-9-]+\\.example\\.com$'],
    ['^https:\\/\\/.*\\.example\\.com$'],
    ['^https:\\/\\/a\\.example\\.com$|^https:\\/\\/b\\.example\\.com$'],
  ])('accepts %s', (source) => expect(originRegexProblem(source)).toBeUndefined());

  it.each([
    ['example\\.com', 'unanchored'],
    ['^https:\\/\\/example\\.com', 'unanchored'],
    ['example\\.com$', 'unanchored'],
    ['^https:\\/\\/a\\.example\\.com$|b\\.example\\.com', 'unanchored'],
    ['^https:\\/\\/app.example\\.com$', 'unescapedDot'],
  ])('rejects %s as %s', (source, problem) => expect(originRegexProblem(source)).toBe(problem));
});

describe('credentials', () => {
  it('reads the header value and combines it with the origin policy', () => {
    expect(isCredentialsHeaderOn('true')).toBe(true);
    expect(isCredentialsHeaderOn(' TRUE ')).toBe(true);
    expect(isCredentialsHeaderOn('false')).toBe(false);
    expect(isPermissive('reflect', true)).toBe(true);
    expect(isPermissive('wildcard', false)).toBe(false);
    expect(isPermissive('restricted', true)).toBe(false);
  });
});
