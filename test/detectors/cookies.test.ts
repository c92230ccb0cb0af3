import { describe, expect, it } from 'vitest';

import { evaluateCookie, isSensitiveCookieName, parseSetCookie, setCookieSuffix } from '../../src/detectors/cookies.js';

describe('isSensitiveCookieName', () => {
  it.each([
    'session',
    'connect.sid',
    '__Host-session',
    'next-auth.session-token',
    'refresh_token',
    'jwt',
    'auth',
    'remember_me',
    'sessionId',
  ])('%s carries a session', (name) => expect(isSensitiveCookieName(name)).toBe(true));
  it.each(['theme', 'locale', 'sidebar_state', 'author', 'consent', 'lang'])('%s does not', (name) =>
    expect(isSensitiveCookieName(name)).toBe(false),
  );
});

describe('evaluateCookie', () => {
  it('lists missing and disabled flags of a session cookie', () => {
    expect(evaluateCookie({ httpOnly: 'unset', secure: false, sameSite: 'unset' }, true)).toEqual({
      missing: ['httpOnly', 'sameSite'],
      disabled: ['secure'],
      sameSiteNoneInsecure: false,
      sameSiteNoneSession: false,
    });
  });

  it('flags SameSite=None without Secure on any cookie, and SameSite=None on session cookies', () => {
    expect(evaluateCookie({ httpOnly: 'unset', secure: 'unset', sameSite: 'none' }, false).sameSiteNoneInsecure).toBe(
      true,
    );
    const session = evaluateCookie({ httpOnly: true, secure: true, sameSite: 'none' }, true);
    expect(session.sameSiteNoneSession).toBe(true);
    expect(session.sameSiteNoneInsecure).toBe(false);
  });

  it('accepts unknown values (decided at run time) and complete flags', () => {
    const problems = evaluateCookie({ httpOnly: true, secure: 'unknown', sameSite: 'lax' }, true);
    expect(problems.missing).toEqual([]);
    expect(problems.disabled).toEqual([]);
  });
});

describe('parseSetCookie', () => {
  it('reads the name and attributes, treating dynamic parts as unknown', () => {
    expect(parseSetCookie('session=abc; Path=/; HttpOnly; Secure; SameSite=Strict')).toEqual({
      name: 'session',
      flags: { httpOnly: true, secure: true, sameSite: 'strict' },
    });
    expect(parseSetCookie('token=\u0000; \u0000').flags).toEqual({
      httpOnly: 'unknown',
      secure: 'unknown',
      sameSite: 'unknown',
    });
    expect(parseSetCookie('\u0000=\u0000; HttpOnly').name).toBeUndefined();
  });

  it('builds the suffix that adds missing flags', () => {
    expect(setCookieSuffix(['httpOnly', 'secure', 'sameSite'])).toBe('; HttpOnly; Secure; SameSite=Lax');
  });
});
