/**
 * OAuth 2.0 request-parameter evaluation shared by the `require-oauth-pkce` rule and the analyzer.
 * AST-free: front ends hand over parameter names and values, or the static text of a URL.
 */

export type OAuthProblem =
  /** `response_type=token` (or `id_token token`): tokens in the URL fragment, no PKCE (RFC 9700 §2.1.2). */
  | 'implicitFlow'
  /** `grant_type=password`: the app handles the user's password (RFC 9700 §2.4). */
  | 'passwordGrant'
  /** `code_challenge_method=plain`: the verifier travels in the clear (RFC 7636 §4.2). */
  | 'plainPkce';

/** The problem one parameter shows on its own, if any. */
export function parameterProblem(name: string, value: string): OAuthProblem | undefined {
  const key = name.toLowerCase();
  const lower = value.trim().toLowerCase();
  if (key === 'response_type' && lower.split(/[\s+]|%20/).includes('token')) return 'implicitFlow';
  if (key === 'grant_type' && lower === 'password') return 'passwordGrant';
  if (key === 'code_challenge_method' && lower === 'plain') return 'plainPkce';
  return undefined;
}

export interface QueryScan {
  problems: { problem: OAuthProblem; index: number }[];
  /** `response_type=code…`: an authorization-code request. */
  isCodeRequest: boolean;
  hasCodeChallenge: boolean;
  hasState: boolean;
}

const PARAM = /(?:^|[?&#])([a-z_]+)=([^&#]*)/g;

/**
 * Reads `key=value` pairs from the static text of a URL or query string. Dynamic parts are `\u0000`;
 * a parameter whose value is dynamic still counts as present (`&state=${state}`).
 */
export function scanQuery(text: string): QueryScan {
  const scan: QueryScan = { problems: [], isCodeRequest: false, hasCodeChallenge: false, hasState: false };
  if (!text.includes('=')) return scan;
  PARAM.lastIndex = 0;
  for (const match of text.matchAll(PARAM)) {
    const name = (match[1] ?? '').toLowerCase();
    const value = decodeSafely(match[2] ?? '');
    const problem = value.includes('\u0000') ? undefined : parameterProblem(name, value);
    if (problem !== undefined) scan.problems.push({ problem, index: match.index });
    if (name === 'response_type' && /^code(?:$|[\s+]|%20)/.test(value)) scan.isCodeRequest = true;
    if (name === 'code_challenge') scan.hasCodeChallenge = true;
    if (name === 'state') scan.hasState = true;
  }
  return scan;
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
