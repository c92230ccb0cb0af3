/** True for a policy expression that lets every row through: `true`, `(true)`, `1 = 1`. */
export function isAlwaysTrue(expression: string | undefined): boolean {
  if (expression === undefined) return false;
  const compact = expression.replace(/[\s()]/g, '').toLowerCase();
  return compact === 'true' || compact === '1=1' || compact === "'t'" || compact === 'true::boolean';
}

/** An expression that reads who the caller is: `auth.uid()`, `auth.jwt()`, `auth.role()`, the JWT claims setting. */
const CALLER = /\bauth\s*\.\s*(?:uid|jwt|role|email)\s*\(|\bcurrent_user\b|\bsession_user\b|request\.jwt/i;

export function readsCaller(expression: string): boolean {
  return CALLER.test(expression);
}

/** The names of functions an expression calls (`is_admin(`, `public.get_org(`), lower-cased, without schema. */
export function calledFunctions(expression: string): string[] {
  return [...expression.matchAll(/\b(?:[A-Za-z_][\w$]*\s*\.\s*)?([A-Za-z_][\w$]*)\s*\(/g)].map((m) =>
    (m[1] ?? '').toLowerCase(),
  );
}

/** Whether an expression compares the caller's id with a column of the row (an own-row predicate). */
export function ownRowPredicate(expression: string | undefined): boolean {
  if (expression === undefined) return false;
  // `EXISTS (SELECT … WHERE u.id = auth.uid() AND u.role = 'admin')` compares the caller with another
  // table's row, not with this one: only the top level counts.
  expression = withoutSubqueries(expression);
  const uid = String.raw`\(?\s*(?:select\s+)?auth\s*\.\s*uid\s*\(\s*\)\s*\)?`;
  const column = String.raw`(?:[A-Za-z_]\w*\s*\.\s*)?"?[A-Za-z_]\w*"?`;
  return new RegExp(String.raw`${uid}\s*=\s*${column}|${column}\s*=\s*${uid}`, 'i').test(expression);
}

/** The expression with every parenthesized `SELECT …` removed, except `(select auth.uid())`. */
export function withoutSubqueries(expression: string): string {
  let result = '';
  let i = 0;
  while (i < expression.length) {
    const open = expression.indexOf('(', i);
    if (open === -1) break;
    const inner = /^\(\s*select\b/i.test(expression.slice(open)) ? closing(expression, open) : -1;
    const text = inner === -1 ? '' : expression.slice(open, inner + 1);
    if (inner === -1 || /^\(\s*select\s+auth\s*\.\s*uid\s*\(\s*\)\s*\)$/i.test(text)) {
      result += expression.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    result += `${expression.slice(i, open)}(…)`;
    i = inner + 1;
  }
  return result + expression.slice(i);
}

function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
