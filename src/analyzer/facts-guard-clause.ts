// Guard clauses: `if (!user) return …` / `throw` / `redirect('/login')` right after the caller's identity is read.
import { ts } from 'ts-morph';

import { isFunctionLike } from './facts-context.js';

/** Calls that end the request in Next.js (they throw): a guard clause may end with one instead of `return`. */
const EXIT_CALLS = new Set([
  'redirect',
  'permanentRedirect',
  'notFound',
  'unauthorized',
  'forbidden',
  'redirectToSignIn',
]);

/** Locals that hold the caller by their name alone (`const user = …`), when bound from a call's result. */
const PRINCIPAL_LOCAL =
  /^(?:user|session|principal|claims|viewer|currentUser|authUser|sessionUser|loggedInUser|authSession|serverSession|authedUser)$/i;

/**
 * Calls that return the caller's identity: `auth()`, `getServerSession(authOptions)`,
 * `supabase.auth.getUser()`, `getSessionUser()`, `getServerProfile()`, `getAccessTokenFromCookies()`,
 * `currentUser()`, `validateRequest()`. A lookup by id (`getUserById(id)`) is not one.
 */
const PRINCIPAL_SOURCE =
  /^(?:auth|currentUser|getAuth|validateRequest|(?:get|require|fetch|load|read|verify|validate|ensure|check)(?:Current|Server|Session|Auth|Authenticated|LoggedIn|Signed[Ii]n|Valid)?(?:User|Session|Principal|Claims|Viewer|Profile|Identity|AccessToken|Token|Me|Auth)(?:From\w+|OrNull|OrThrow|OrRedirect)?|getServerSession|getServerAuthSession|getKindeServerSession)$/;

/** Arguments a principal source may take: the request, its cookies or headers, the auth config — never an id. */
const SOURCE_ARGUMENT =
  /^(?:req|request|res|response|ctx|context|c|event|cookies|headers|cookieStore|authOptions|authConfig|options|config|supabase|client|token|jwt|accessToken|authHeader|authorization|bearer)$/;

/** Calls that look a record up (`db.user.findUnique(…)`): a `user` they return is data, not the caller. */
const LOOKUP_CALL =
  /^(?:find\w*|select|single|maybeSingle|query|execute|first|from|where|get\w*By\w*|fetch\w*By\w*|load\w*By\w*)$/;

export type GuardClauseKind = 'throw' | 'return';

/**
 * The strongest guard clause in a function: an `if` that tests that the caller's identity is missing
 * (`!user`, `!session?.user`, `user == null`, `!token`) and then throws or redirects (`throw`), or
 * returns early (`return`, which guards only the function that holds it). `if (error)` or `if (code)`
 * test something else and never count.
 */
export function readGuardClause(node: ts.FunctionLikeDeclaration): GuardClauseKind | undefined {
  const body = node.body;
  if (body === undefined || !ts.isBlock(body)) return undefined;
  const principals = new Set<string>();
  let found: GuardClauseKind | undefined;
  const visit = (child: ts.Node): void => {
    if (found === 'throw') return;
    if (child !== node && isFunctionLike(child)) return;
    if (ts.isVariableDeclaration(child) && child.initializer !== undefined) bindPrincipals(child, principals);
    if (ts.isIfStatement(child) && testsMissingPrincipal(child.expression, principals)) {
      const exit = exitKind(child.thenStatement);
      if (exit === 'throw' || (exit === 'return' && found === undefined)) found = exit;
    }
    ts.forEachChild(child, visit);
  };
  visit(body);
  if (found === undefined)
    // A wrapper (`withServerActionAuth(action)`) guards through the function it returns.
    for (const statement of body.statements)
      if (ts.isReturnStatement(statement) && statement.expression !== undefined) {
        const returned = unwrap(statement.expression);
        if (isFunctionLike(returned)) found ??= readGuardClause(returned);
      }
  return found;
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isAwaitExpression(current) ||
    ts.isParenthesizedExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isAsExpression(current)
  )
    current = current.expression;
  return current;
}

/** The name a call is made by: `auth()`, `supabase.auth.getUser()` → `getUser`, `auth().protect` → `protect`. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The call's arguments are the request, its cookies or headers, the caller's token or the auth config. */
function sourceArguments(call: ts.CallExpression, allowLiterals: boolean): boolean {
  return call.arguments.every((arg) => {
    const value = unwrap(arg);
    if (ts.isIdentifier(value)) return SOURCE_ARGUMENT.test(value.text) || value.text === 'undefined';
    // `readPrincipal(res.locals.principal)`, `getSession(req.headers)`: what the request carries, never its input.
    if (ts.isPropertyAccessExpression(value)) {
      const root = rootName(value);
      return root !== undefined && SOURCE_ARGUMENT.test(root) && !/\.(?:params|query|body)\b/.test(value.getText());
    }
    if (ts.isCallExpression(value)) return /^(?:cookies|headers)$/.test(calleeName(value) ?? '');
    return allowLiterals && (ts.isObjectLiteralExpression(value) || ts.isStringLiteral(value));
  });
}

function isPrincipalSource(init: ts.Expression): boolean {
  const expression = unwrap(init);
  if (!ts.isCallExpression(expression)) return false;
  const name = calleeName(expression);
  return name !== undefined && PRINCIPAL_SOURCE.test(name) && sourceArguments(expression, true);
}

/** `const user = await getLoggedIn()`: a call that is no record lookup and takes nothing but the request. */
function isPlainCall(init: ts.Expression): boolean {
  const expression = unwrap(init);
  if (!ts.isCallExpression(expression)) return false;
  const name = calleeName(expression);
  return name !== undefined && !LOOKUP_CALL.test(name) && sourceArguments(expression, false);
}

/** Records the locals a declaration binds to the caller's identity. */
function bindPrincipals(declaration: ts.VariableDeclaration, principals: Set<string>): void {
  const init = declaration.initializer;
  if (init === undefined) return;
  // `(await supabase.auth.getUser()).data.user`: a part of what a principal source returns.
  let base = unwrap(init);
  while (ts.isPropertyAccessExpression(base)) base = unwrap(base.expression);
  const fromSource = isPrincipalSource(init) || isPrincipalSource(base);
  const fromCall = isPlainCall(init);
  const names: string[] = [];
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  collect(declaration.name);
  // `const session = await auth()`, `const { data: { user } } = await supabase.auth.getUser()`.
  for (const name of names) if (fromSource || (fromCall && PRINCIPAL_LOCAL.test(name))) principals.add(name);
  // `const user = session?.user`: a part of the caller is the caller.
  const root = rootName(unwrap(init));
  if (root !== undefined && principals.has(root)) for (const name of names) principals.add(name);
}

function rootName(node: ts.Expression): string | undefined {
  let current = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = current.expression;
  return ts.isIdentifier(current) ? current.text : undefined;
}

/** `!user`, `!session?.user?.id`, `user == null`, `!user || …`, `!(await auth())`. */
function testsMissingPrincipal(condition: ts.Expression, principals: Set<string>): boolean {
  const expression = unwrap(condition);
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.BarBarToken)
      return testsMissingPrincipal(expression.left, principals) || testsMissingPrincipal(expression.right, principals);
    if (operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsEqualsToken) {
      const other = unwrap(expression.right);
      const nullish =
        other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
      return nullish && refersToPrincipal(expression.left, principals);
    }
    return false;
  }
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken)
    return refersToPrincipal(expression.operand, principals);
  return false;
}

/** `if (!AdminApiAuthService.handleAdminAuth(req, res)) return`, `if (!(await isAuthenticated(req)))`: a check by its name. */
const AUTH_CHECK = /auth|permission|admin|role|access|session|logged_?in|signed_?in|allowed/i;

function refersToPrincipal(node: ts.Expression, principals: Set<string>): boolean {
  const expression = unwrap(node);
  if (ts.isCallExpression(expression)) {
    const name = calleeName(expression) ?? '';
    return PRINCIPAL_SOURCE.test(name) || AUTH_CHECK.test(name);
  }
  const root = rootName(expression);
  return root !== undefined && principals.has(root);
}

/** How a guard clause's branch leaves: by throwing (or a Next.js exit call that throws), or by returning. */
function exitKind(statement: ts.Statement): GuardClauseKind | undefined {
  const statements = ts.isBlock(statement) ? [...statement.statements] : [statement];
  let kind: GuardClauseKind | undefined;
  for (const current of statements) {
    if (ts.isThrowStatement(current)) return 'throw';
    if (ts.isExpressionStatement(current)) {
      const expression = unwrap(current.expression);
      if (ts.isCallExpression(expression) && EXIT_CALLS.has(calleeName(expression) ?? '')) return 'throw';
    }
    if (ts.isReturnStatement(current)) {
      const value = current.expression === undefined ? undefined : unwrap(current.expression);
      if (value !== undefined && ts.isCallExpression(value) && EXIT_CALLS.has(calleeName(value) ?? '')) return 'throw';
      kind = 'return';
    }
  }
  return kind;
}
