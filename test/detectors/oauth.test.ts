import { describe, expect, it } from 'vitest';

import { parameterProblem, scanQuery } from '../../src/detectors/oauth.js';

describe('parameterProblem', () => {
  it('recognises the implicit flow, the password grant and plain PKCE', () => {
    expect(parameterProblem('response_type', 'token')).toBe('implicitFlow');
    expect(parameterProblem('response_type', 'id_token token')).toBe('implicitFlow');
    expect(parameterProblem('grant_type', 'password')).toBe('passwordGrant');
    expect(parameterProblem('code_challenge_method', 'plain')).toBe('plainPkce');
  });

  it('accepts code, hybrid and other grants', () => {
    expect(parameterProblem('response_type', 'code')).toBeUndefined();
    expect(parameterProblem('response_type', 'code id_token')).toBeUndefined();
    expect(parameterProblem('grant_type', 'client_credentials')).toBeUndefined();
    expect(parameterProblem('code_challenge_method', 'S256')).toBeUndefined();
  });
});

describe('scanQuery', () => {
  it('reads parameters from URLs with dynamic parts', () => {
    const scan = scanQuery('\u0000/authorize?response_type=code&client_id=\u0000&state=\u0000');
    expect(scan).toMatchObject({ isCodeRequest: true, hasCodeChallenge: false, hasState: true, problems: [] });
  });

  it('decodes values and reports problems with their position', () => {
    const scan = scanQuery('https://as.example/authorize?response_type=id_token%20token&client_id=x');
    expect(scan.problems).toEqual([{ problem: 'implicitFlow', index: 28 }]);
  });

  it('ignores prose that is not a query', () => {
    expect(scanQuery('unsupported response_type=token value').problems).toEqual([]);
  });
});
