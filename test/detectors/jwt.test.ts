import { describe, expect, it } from 'vitest';

import { formatDuration, isLongLivedTokenName, isNoneAlgorithm, parseDuration } from '../../src/detectors/jwt.js';

describe('parseDuration', () => {
  it.each([
    ['15m', 900],
    ['2h', 7200],
    ['1 day', 86400],
    ['7d', 604800],
    ['30 minutes', 1800],
    ['+1h', 3600],
    ['1.5h', 5400],
    ['2 weeks', 1209600],
    ['1y', 31557600],
  ] as const)('reads %s as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it('treats unitless strings as jsonwebtoken (ms) or jose (s) do', () => {
    expect(parseDuration('3600000', 'ms')).toBe(3600);
    expect(parseDuration('3600', 's')).toBe(3600);
  });

  it('takes numbers as seconds', () => {
    expect(parseDuration(900)).toBe(900);
  });

  it('rejects what is not a forward duration', () => {
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('2 fortnights')).toBeUndefined();
    expect(parseDuration('-1h')).toBeUndefined();
    expect(parseDuration('1h ago')).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('uses the largest whole unit', () => {
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(5400)).toBe('90m');
    expect(formatDuration(2592000)).toBe('30d');
    expect(formatDuration(45)).toBe('45s');
  });
});

describe('isNoneAlgorithm / isLongLivedTokenName', () => {
  it('matches none in any case only', () => {
    expect(isNoneAlgorithm('none')).toBe(true);
    expect(isNoneAlgorithm('NONE')).toBe(true);
    expect(isNoneAlgorithm('HS256')).toBe(false);
  });
  it('recognises refresh and one-off tokens', () => {
    expect(isLongLivedTokenName('refreshToken')).toBe(true);
    expect(isLongLivedTokenName('createInviteToken')).toBe(true);
    expect(isLongLivedTokenName('process.env.PASSWORD_RESET_SECRET')).toBe(true);
    expect(isLongLivedTokenName('accessToken')).toBe(false);
    expect(isLongLivedTokenName('signIn')).toBe(false);
  });
});
