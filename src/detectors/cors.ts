/**
 * CORS policy evaluation shared by the `no-permissive-cors` rule and the analyzer. AST-free: the
 * front ends classify an `origin` setting and ask whether it trusts every site.
 */

/** How an allowed-origin setting behaves, as far as static reading can tell. */
export type OriginPolicy =
  /** `*`, or a list containing it. */
  | 'wildcard'
  /** Echoes whatever `Origin` the request sent (`origin: true`, a callback that accepts all, a reflected header). */
  | 'reflect'
  /** A fixed list, a guarded callback, a regex, or code we cannot read. */
  | 'restricted';

export type OriginRegexProblem = 'unanchored' | 'unescapedDot';

/**
 * What is wrong with a regex used to allow origins. `/example\.com/` also matches
 * `https://example.com.attacker.net`; `/^https:\/\/app.example\.com$/` also matches `appxexample.com`.
 */
export function originRegexProblem(source: string): OriginRegexProblem | undefined {
  // Alternations are judged branch by branch: `^a$|^b$` is anchored, `^a|b$` is not.
  for (const branch of splitTopLevel(source)) {
    const anchoredEnd = branch.endsWith('$') && !branch.endsWith('\\$');
    const anchoredStart = branch.startsWith('^') || branch.startsWith('\\.') || /^(?:https?:)?\\\/\\\//.test(branch);
    if (!anchoredEnd || !anchoredStart) return 'unanchored';
  }
  return hasUnescapedLiteralDot(source) ? 'unescapedDot' : undefined;
}

/**
 * Calls `visit` for each regex metacharacter position outside character classes and escapes, with
 * the group depth there: the one walk over a pattern's source both origin judgements need.
 */
function walkPattern(source: string, visit: (char: string, index: number, depth: number) => void): void {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? '';
    if (char === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else visit(char, i, depth);
  }
}

function splitTopLevel(source: string): string[] {
  const branches: string[] = [];
  let start = 0;
  walkPattern(source, (char, i, depth) => {
    if (char === '|' && depth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  });
  branches.push(source.slice(start));
  return branches;
}

/** A `.` outside a character class that is not a deliberate wildcard (`.*`, `.+`, `.?`, `.{n}`). */
function hasUnescapedLiteralDot(source: string): boolean {
  let found = false;
  walkPattern(source, (char, i) => {
    // A dot between two word characters is a host-name separator someone forgot to escape.
    if (
      char === '.' &&
      !/[*+?{]/.test(source[i + 1] ?? '') &&
      /\w/.test(source[i - 1] ?? '') &&
      /\w/.test(source[i + 1] ?? '')
    )
      found = true;
  });
  return found;
}

/** `Access-Control-Allow-Origin` values that allow every origin. */
export function isWildcardOrigin(value: string): boolean {
  return value.trim() === '*';
}

/** `Access-Control-Allow-Credentials` header values that turn credentials on. */
export function isCredentialsHeaderOn(value: string | boolean): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** True when a credentialed policy lets any site read authenticated responses (CWE-942). */
export function isPermissive(policy: OriginPolicy, credentials: boolean): boolean {
  return credentials && policy !== 'restricted';
}
