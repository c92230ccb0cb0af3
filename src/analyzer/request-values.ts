import { ts } from 'ts-morph';

import type { ObjectAccessFact } from './types.js';

/**
 * Object-level access (OWASP API1, CWE-639): which values in a query's filter the request supplies
 * (`req.params.id`, tRPC `input.id`, a Server Action's argument), and whether the code checks the
 * caller's right to the row (an access check on that value first, or a comparison of the loaded
 * row's owner or tenant with the caller after). Read per function, by name, without the type checker.
 */

/** A filter entry: the column/field it constrains and the expression it compares with. */
export interface FilterEntry {
  key: string;
  value: ts.Expression;
}

/** Keys that scope a row to its owner or tenant (`userId`, `org_id`, `createdBy`, `teamId_userId`). */
export const SCOPE_KEY =
  /^(?:(?:user|owner|author|creator|created_?by|member|profile|tenant|org|organization|workspace|team|account|project|company|customer|client|group|space)(?:_?id|_?uuid)?|email|created_by|uid)$/i;
/** Keys that name one row: the object id an attacker swaps (`id`, `postId`, `invoice_id`, a bound `$1`). */
export const ID_KEY = /^(?:id|_id|uuid|\$\d+)$|[a-z](?:Id|ID|_id|Uuid|_uuid)$/;
/** Objects on a request that carry caller input. */
const REQUEST_PARTS = new Set(['params', 'query', 'body', 'searchParams']);
/** Names a handler gives the request (Express/Next `req`, Hono `c`, Koa `ctx`, Nuxt `event`). */
const REQUEST_NAME = /^(?:req|request|ctx|c|context|event|props)$/;
/** Parameters destructured from a handler's argument that hold caller input (tRPC `{ input }`, Next `{ params }`). */
const INPUT_BINDINGS = new Set(['input', 'params', 'searchParams', 'rawInput', 'body', 'query']);
const CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'BigInt', 'decodeURIComponent']);
const PASS_THROUGH_METHODS = new Set([
  'parse',
  'parseAsync',
  'safeParse',
  'validateSync',
  'trim',
  'toString',
  'toLowerCase',
  'toUpperCase',
]);
const BODY_READERS = new Set(['json', 'formData', 'text', 'parseBody']);
/** Hono's `c.req.param('id')`, `c.req.query('x')`, `c.req.valid('json')`. */
const HONO_READERS = new Set(['param', 'query', 'queries', 'valid', 'json', 'formData', 'parseBody']);
/** A call that checks the caller's right to act (`assertProjectAccess`, `requireMembership`, `isAdmin`, `can(...)`). */
const ACCESS_CHECK =
  /(?:access|permission|authori[sz]|member(?:ship)?|owner|ownership|admin|superuser|role|entitle|allowed|forbid|^can$|^can[A-Z]|^cannot|^ability|^policy|^guard)/i;
/** Comparisons on the caller's role before the query: admin-only code may touch any row. */
const ROLE_PROPERTY = /^(?:role|roles|isAdmin|is_admin|admin|isSuperAdmin|isSuperuser|permissions)$/;

/** Parameters a wrapper fills from the session, not from the client. */
const SESSION_PARAMETER = /^(?:user|session|principal|auth|currentUser|viewer|me|ctx|context|account|profile|team)$/i;

type Binding =
  | { kind: 'param'; fn: ts.FunctionLikeDeclaration; index: number; path: string[] }
  | { kind: 'var'; declaration: ts.VariableDeclaration; path: string[] };

export type Taint =
  | { kind: 'request'; source: string }
  | { kind: 'param'; fn: ts.FunctionLikeDeclaration; index: number; prop?: string; source: string };

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

function strip(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isAwaitExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current)
  )
    current = current.expression;
  return current;
}

/** The property path to `name` in a binding pattern (`{ params: { id } }` → ['params', 'id']), or undefined. */
function patternPath(name: ts.BindingName, target: string, path: string[] = []): string[] | undefined {
  if (ts.isIdentifier(name)) return name.text === target ? path : undefined;
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const key =
      element.propertyName !== undefined
        ? ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName)
          ? element.propertyName.text
          : '?'
        : ts.isIdentifier(element.name)
          ? element.name.text
          : '?';
    const found = patternPath(element.name, target, ts.isObjectBindingPattern(name) ? [...path, key] : [...path, '[]']);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Where `name`, used at `at`, is declared: a parameter of an enclosing function or a variable declared before. */
function findBinding(name: string, at: ts.Node): Binding | undefined {
  const position = at.getStart();
  for (let scope: ts.Node | undefined = at.parent; scope !== undefined; scope = scope.parent) {
    if (isFunctionLike(scope)) {
      for (const [index, parameter] of scope.parameters.entries()) {
        const path = patternPath(parameter.name, name);
        if (path !== undefined) return { kind: 'param', fn: scope, index, path };
      }
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope)) {
      for (const statement of scope.statements) {
        if (statement.getStart() > position) break;
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          const path = patternPath(declaration.name, name);
          if (path !== undefined) return { kind: 'var', declaration, path };
        }
      }
    }
  }
  return undefined;
}

/** A function whose arguments the client sends: an exported function or action callback in a `'use server'` file. */
function isServerAction(fn: ts.FunctionLikeDeclaration, useServer: boolean): boolean {
  if (!useServer) return false;
  if (ts.isFunctionDeclaration(fn)) return fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
  // `export const act = async (id) => …` or `export const act = validatedAction(schema, async (data) => …)`.
  let current: ts.Node = fn;
  while (ts.isCallExpression(current.parent) || ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const declaration = current.parent;
  if (!ts.isVariableDeclaration(declaration)) return false;
  const statement = declaration.parent.parent;
  return (
    ts.isVariableStatement(statement) &&
    statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true
  );
}

/** AI SDK tool factories (`ai`): the model chooses the input their `execute` receives. */
const AI_TOOL_FACTORIES = new Set(['tool', 'dynamicTool']);

/** Whether `name` is imported from `module` with one of `imported` as its exported name. */
function importedFrom(sf: ts.SourceFile, name: string, module: string, imported: ReadonlySet<string>): boolean {
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements)
      if (element.name.text === name && imported.has((element.propertyName ?? element.name).text)) return true;
  }
  return false;
}

/** The `tool({ … })` call of the AI SDK whose `execute` is `fn`, if it is one. */
export function aiToolCall(fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  let object: ts.Node;
  if (ts.isMethodDeclaration(fn)) {
    if (!ts.isIdentifier(fn.name) || fn.name.text !== 'execute') return undefined;
    object = fn.parent;
  } else {
    const property = fn.parent;
    if (
      !ts.isPropertyAssignment(property) ||
      property.initializer !== fn ||
      !ts.isIdentifier(property.name) ||
      property.name.text !== 'execute'
    )
      return undefined;
    object = property.parent;
  }
  const call = object.parent;
  if (!ts.isObjectLiteralExpression(object) || call === undefined || !ts.isCallExpression(call)) return undefined;
  if (call.arguments[0] !== object || !ts.isIdentifier(call.expression)) return undefined;
  return importedFrom(fn.getSourceFile(), call.expression.text, 'ai', AI_TOOL_FACTORIES) ? call : undefined;
}

function text(node: ts.Node): string {
  const raw = node.getText().replace(/\s+/g, ' ');
  return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
}

/** Reads, per expression, whether the caller controls its value. */
export class RequestValues {
  readonly #useServer: boolean;
  readonly #memo = new Map<ts.Node, Taint | null>();

  constructor(useServer: boolean) {
    this.#useServer = useServer;
  }

  /** Where `node`'s value comes from, when the request (or a parameter of the enclosing function) supplies it. */
  taint(node: ts.Expression, depth = 0): Taint | undefined {
    if (depth > 12) return undefined;
    const expr = strip(node);
    if (ts.isIdentifier(expr)) return this.#identifier(expr, depth);
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      const base = strip(expr.expression);
      const member = ts.isPropertyAccessExpression(expr)
        ? expr.name.text
        : ts.isStringLiteralLike(expr.argumentExpression)
          ? expr.argumentExpression.text
          : undefined;
      if (member !== undefined && REQUEST_PARTS.has(member) && this.#isRequest(base))
        return { kind: 'request', source: text(expr) };
      const inner = this.taint(base, depth + 1);
      return inner === undefined ? undefined : { ...inner, source: text(expr) };
    }
    if (ts.isCallExpression(expr)) return this.#call(expr, depth);
    // `[...new Set(fileIds)]`, `[id]`: a list of the caller's ids.
    if (ts.isArrayLiteralExpression(expr)) {
      for (const element of expr.elements) {
        const found = this.taint(ts.isSpreadElement(element) ? element.expression : element, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (
      ts.isNewExpression(expr) &&
      ts.isIdentifier(expr.expression) &&
      expr.expression.text === 'Set' &&
      expr.arguments?.[0] !== undefined
    )
      return this.taint(expr.arguments[0], depth + 1);
    if (ts.isConditionalExpression(expr))
      return this.taint(expr.whenTrue, depth + 1) ?? this.taint(expr.whenFalse, depth + 1);
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.PlusToken
      )
        return this.taint(expr.left, depth + 1) ?? this.taint(expr.right, depth + 1);
      return undefined;
    }
    if (ts.isTemplateExpression(expr)) {
      for (const span of expr.templateSpans) {
        const found = this.taint(span.expression, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  #isRequest(node: ts.Expression): boolean {
    if (ts.isIdentifier(node)) return REQUEST_NAME.test(node.text);
    // `c.req`, `ctx.request`, `event.node.req`, `request.nextUrl`.
    if (ts.isPropertyAccessExpression(node))
      return /^(?:req|request|nextUrl|url)$/.test(node.name.text) && this.#isRequest(strip(node.expression));
    return false;
  }

  #call(call: ts.CallExpression, depth: number): Taint | undefined {
    const callee = strip(call.expression);
    if (ts.isIdentifier(callee)) {
      if (CONVERSIONS.has(callee.text) && call.arguments[0] !== undefined)
        return this.taint(call.arguments[0], depth + 1);
      return undefined;
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const receiver = strip(callee.expression);
    // `Array.from(new Set(ids))`.
    if (method === 'from' && ts.isIdentifier(receiver) && receiver.text === 'Array' && call.arguments[0] !== undefined)
      return this.taint(call.arguments[0], depth + 1);
    if (BODY_READERS.has(method) && call.arguments.length === 0 && this.#isRequest(receiver))
      return { kind: 'request', source: text(call) };
    if (
      HONO_READERS.has(method) &&
      ts.isPropertyAccessExpression(receiver) &&
      receiver.name.text === 'req' &&
      this.#isRequest(receiver)
    )
      return { kind: 'request', source: text(call) };
    if (method === 'get' || method === 'getAll') {
      // `searchParams.get('id')`, `formData.get('id')`, `req.nextUrl.searchParams.get('id')`.
      if (ts.isIdentifier(receiver) && /^(?:searchParams|formData|query)$/.test(receiver.text)) {
        const bound = this.taint(receiver, depth + 1);
        return bound ?? (receiver.text === 'searchParams' ? { kind: 'request', source: text(call) } : undefined);
      }
      if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'searchParams')
        return { kind: 'request', source: text(call) };
      const inner = this.taint(receiver, depth + 1);
      return inner === undefined ? undefined : { ...inner, source: text(call) };
    }
    // `await req.json().catch(() => ({}))`: the body, or a fallback the handler wrote.
    if (method === 'catch' || method === 'finally') return this.taint(receiver, depth + 1);
    if (PASS_THROUGH_METHODS.has(method)) {
      // `schema.parse(body)` passes the value through; `id.trim()` too.
      const arg = call.arguments[0];
      const fromArg = arg === undefined ? undefined : this.taint(arg, depth + 1);
      return fromArg ?? (call.arguments.length === 0 ? this.taint(receiver, depth + 1) : undefined);
    }
    return undefined;
  }

  #identifier(node: ts.Identifier, depth: number): Taint | undefined {
    const binding = findBinding(node.text, node);
    if (binding === undefined) return undefined;
    const key = binding.kind === 'param' ? binding.fn.parameters[binding.index] : binding.declaration;
    if (key === undefined) return undefined;
    const memoKey = key.name.kind === ts.SyntaxKind.Identifier ? key : node;
    if (this.#memo.has(memoKey)) return this.#memo.get(memoKey) ?? undefined;
    this.#memo.set(memoKey, null);
    const result = this.#binding(binding, node, depth);
    this.#memo.set(memoKey, result ?? null);
    return result;
  }

  #binding(binding: Binding, node: ts.Identifier, depth: number): Taint | undefined {
    if (binding.kind === 'param') {
      const [first] = binding.path;
      if (first !== undefined && INPUT_BINDINGS.has(first) && binding.fn.parameters.length <= 3)
        return { kind: 'request', source: [first, ...binding.path.slice(1)].join('.') };
      if (isServerAction(binding.fn, this.#useServer) && this.#actionArgument(binding))
        return { kind: 'request', source: `Server Action argument ${node.text}` };
      // The input of an AI SDK tool is what the model chose: the user, or text injected into the prompt.
      if (binding.index === 0 && aiToolCall(binding.fn) !== undefined)
        return { kind: 'request', source: `tool input ${node.text}` };
      const [prop] = binding.path;
      return {
        kind: 'param',
        fn: binding.fn,
        index: binding.index,
        ...(prop === undefined || prop === '[]' ? {} : { prop }),
        source: node.text,
      };
    }
    const init = binding.declaration.initializer;
    if (init === undefined) return undefined;
    const found = this.taint(init, depth + 1);
    if (found === undefined) return undefined;
    const path = binding.path.filter((part) => part !== '[]');
    return { ...found, source: path.length === 0 ? found.source : `${found.source}.${path.join('.')}` };
  }

  /**
   * Which arguments of a Server Action the client sends: all of an exported function's; of a callback
   * wrapped by a helper (`validatedActionWithUser(schema, async (data, formData, user) => …)`), the
   * parsed input and form data, not what the wrapper adds from the session.
   */
  #actionArgument(binding: Extract<Binding, { kind: 'param' }>): boolean {
    const parameter = binding.fn.parameters[binding.index];
    // `({ input, ctx }) => …`: the property taken apart names what it is.
    const name =
      binding.path[0] ?? (parameter !== undefined && ts.isIdentifier(parameter.name) ? parameter.name.text : '');
    if (SESSION_PARAMETER.test(name)) return false;
    return ts.isFunctionDeclaration(binding.fn) || !ts.isCallExpression(binding.fn.parent) || binding.index < 2;
  }
}

/** Entries of a Prisma-style object filter (`{ id, teamId_userId: { teamId, userId }, AND: [...] }`). */
export function objectFilterEntries(
  node: ts.Expression | undefined,
  out: FilterEntry[] = [],
  depth = 0,
): FilterEntry[] {
  if (node === undefined || depth > 6) return out;
  const expr = strip(node);
  if (ts.isIdentifier(expr)) {
    // `const where = { id }; prisma.x.deleteMany({ where })`: the object built just above.
    const binding = findBinding(expr.text, expr);
    if (binding?.kind === 'var' && binding.path.length === 0 && binding.declaration.initializer !== undefined)
      objectFilterEntries(binding.declaration.initializer, out, depth + 1);
    return out;
  }
  if (ts.isArrayLiteralExpression(expr)) {
    for (const element of expr.elements) objectFilterEntries(element, out, depth + 1);
    return out;
  }
  if (!ts.isObjectLiteralExpression(expr)) return out;
  for (const property of expr.properties) {
    if (ts.isShorthandPropertyAssignment(property)) out.push({ key: property.name.text, value: property.name });
    else if (ts.isPropertyAssignment(property)) {
      const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
      if (key === undefined) continue;
      const value = strip(property.initializer);
      // Every branch: a request value under `OR` reaches the filter too (the check reads scope from AND-chains).
      if (key === 'AND' || key === 'OR' || key === 'NOT') objectFilterEntries(value, out, depth + 1);
      else if (ts.isObjectLiteralExpression(value)) {
        // `{ id: { equals: x } }` filters `id`; `teamId_userId: { teamId, userId }` is a compound key.
        const inner = objectFilterEntries(value, [], depth + 1);
        for (const entry of inner)
          out.push(/^(?:equals|in|is|eq|\$eq|\$in)$/.test(entry.key) ? { key, value: entry.value } : entry);
        if (inner.length === 0) out.push({ key, value });
      } else out.push({ key, value });
    }
  }
  return out;
}

const DRIZZLE_EQ = new Set(['eq', 'inArray']);

/** Entries of a Drizzle condition: `and(eq(t.id, x), or(eq(t.orgId, y), …))`, every branch. */
export function drizzleFilterEntries(
  node: ts.Expression | undefined,
  out: FilterEntry[] = [],
  depth = 0,
): FilterEntry[] {
  if (node === undefined || depth > 8) return out;
  const expr = strip(node);
  if (!ts.isCallExpression(expr)) return out;
  const callee = strip(expr.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (name === 'and' || name === 'or' || name === 'not')
    for (const arg of expr.arguments) drizzleFilterEntries(arg, out, depth + 1);
  else if (DRIZZLE_EQ.has(name)) {
    const [column, value] = expr.arguments;
    if (column !== undefined && value !== undefined) {
      const col = strip(column);
      if (ts.isPropertyAccessExpression(col)) out.push({ key: col.name.text, value });
    }
  }
  return out;
}

/** A row's owner or tenant field (`authorId`, `org_id`), not the caller's own id. */
function isOwnerKey(key: string): boolean {
  return key !== 'id' && key !== 'uid' && SCOPE_KEY.test(key);
}

/** `row.authorId`, `row.author.id`, `row.project.orgId`: a path through an owner or tenant field. */
function ownerPath(node: ts.PropertyAccessExpression): boolean {
  for (let current: ts.Expression = node; ts.isPropertyAccessExpression(current); current = strip(current.expression))
    if (isOwnerKey(current.name.text)) return true;
  return false;
}

function isScopeKey(key: string): boolean {
  return SCOPE_KEY.test(key) || SCOPE_KEY.test(key.replace(/_id$/, '_id'));
}

/** The variable a query's result lands in (`const row = await q`, `const [row] = await q`). */
function resultBinding(query: ts.Node): ts.Identifier | undefined {
  let current: ts.Node = query;
  while (
    ts.isAwaitExpression(current.parent) ||
    ts.isParenthesizedExpression(current.parent) ||
    ts.isAsExpression(current.parent) ||
    ts.isNonNullExpression(current.parent) ||
    (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent))
  )
    current = ts.isPropertyAccessExpression(current.parent) ? current.parent.parent : current.parent;
  const declaration = current.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== current) return undefined;
  if (ts.isIdentifier(declaration.name)) return declaration.name;
  if (ts.isArrayBindingPattern(declaration.name)) {
    const first = declaration.name.elements[0];
    if (first !== undefined && ts.isBindingElement(first) && ts.isIdentifier(first.name)) return first.name;
  }
  if (ts.isObjectBindingPattern(declaration.name)) {
    // Supabase `const { data: row } = await supabase.from(…)`.
    for (const element of declaration.name.elements)
      if (ts.isIdentifier(element.name) && (element.propertyName?.getText() ?? element.name.text) === 'data')
        return element.name;
  }
  return undefined;
}

/** The outermost function up to the one that takes the request (a few levels out from the query). */
function functionsAround(node: ts.Node): ts.FunctionLikeDeclaration[] {
  const found: ts.FunctionLikeDeclaration[] = [];
  for (let current = node.parent; current !== undefined && found.length < 4; current = current.parent)
    if (isFunctionLike(current)) found.push(current);
  return found;
}

/** Names a property access ends in a scope key (`row.userId`, `row.project.orgId`, `row?.owner_id`). */
function readsScopeOf(node: ts.Node, name: string): boolean {
  let hit = false;
  const visit = (child: ts.Node): void => {
    if (hit) return;
    if (ts.isPropertyAccessExpression(child) && isScopeKey(child.name.text)) {
      let root: ts.Expression = child.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isNonNullExpression(root))
        root = root.expression;
      if (ts.isIdentifier(root) && root.text === name) hit = true;
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return hit;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = strip(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * Object-level access evidence for one query: the filter keys the request (or the enclosing function's
 * parameters) supplies, and whether the code checks the caller's right to the row around the query.
 */
export function objectAccess(
  query: ts.Node,
  entries: readonly FilterEntry[],
  values: RequestValues,
  functionId: (fn: ts.FunctionLikeDeclaration) => string,
): ObjectAccessFact | undefined {
  const requestKeys: { key: string; source: string }[] = [];
  const paramKeys: { key: string; fn: string; index: number; prop?: string }[] = [];
  for (const entry of entries) {
    const taint = values.taint(entry.value);
    if (taint === undefined) continue;
    if (taint.kind === 'request') requestKeys.push({ key: entry.key, source: taint.source });
    else
      paramKeys.push({
        key: entry.key,
        fn: functionId(taint.fn),
        index: taint.index,
        ...(taint.prop === undefined ? {} : { prop: taint.prop }),
      });
  }
  if (requestKeys.length === 0 && paramKeys.length === 0) return undefined;
  return {
    requestKeys,
    ...(paramKeys.length === 0 ? {} : { paramKeys }),
    checked: accessChecked(query),
  };
}

/** An access check before the query, or a check of the loaded row's owner or tenant after it. */
export function accessChecked(query: ts.Node): boolean {
  const start = query.getStart();
  const functions = functionsAround(query);
  const outer = functions[functions.length - 1];
  if (outer?.body === undefined) return false;
  let checked = false;
  const result = resultBinding(query);
  const names = new Set(result === undefined ? [] : [result.text]);
  const visit = (child: ts.Node): void => {
    if (checked) return;
    if (ts.isCallExpression(child) && child.getStart() < start) {
      const name = calleeName(child);
      if (name !== undefined && ACCESS_CHECK.test(name) && !/^(?:findMany|findFirst|findUnique)/.test(name)) {
        checked = true;
        return;
      }
    }
    if (
      ts.isBinaryExpression(child) &&
      child.getStart() < start &&
      /^(?:===|!==|==|!=)$/.test(child.operatorToken.getText()) &&
      [child.left, child.right].some((side) => {
        // `user.role !== 'admin'`, or an earlier row's owner compared with the caller (`note.authorId !== user.id`).
        const s = strip(side);
        return ts.isPropertyAccessExpression(s) && (ROLE_PROPERTY.test(s.name.text) || ownerPath(s));
      })
    ) {
      checked = true;
      return;
    }
    // `const [document] = documents`: the loaded row under another name.
    if (
      result !== undefined &&
      ts.isVariableDeclaration(child) &&
      child.initializer !== undefined &&
      ts.isIdentifier(strip(child.initializer)) &&
      names.has((strip(child.initializer) as ts.Identifier).text) &&
      ts.isArrayBindingPattern(child.name)
    )
      for (const element of child.name.elements)
        if (ts.isBindingElement(element) && ts.isIdentifier(element.name)) names.add(element.name.text);
    if (result !== undefined && child.getStart() > start) {
      // `if (row.userId !== user.id) throw …`, `assertOwner(row.orgId)`, `row.teamId === team.id ? … : …`.
      if (
        (ts.isBinaryExpression(child) && /^(?:===|!==|==|!=)$/.test(child.operatorToken.getText())) ||
        ts.isCallExpression(child) ||
        ts.isIfStatement(child)
      ) {
        const target = ts.isIfStatement(child) ? child.expression : child;
        if ([...names].some((name) => readsScopeOf(target, name))) {
          checked = true;
          return;
        }
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(outer.body);
  return checked;
}

const perFile = new WeakMap<ts.SourceFile, RequestValues>();

/** One reader per source file (its memo is per file). */
export function requestValuesOf(sf: ts.SourceFile, useServer: boolean): RequestValues {
  let values = perFile.get(sf);
  if (values === undefined) {
    values = new RequestValues(useServer);
    perFile.set(sf, values);
  }
  return values;
}

/** Positions of a call's arguments the request supplies, when no access check surrounds the call. */
export function requestArguments(call: ts.CallExpression, values: RequestValues): string[] | undefined {
  const found: string[] = [];
  const carries = (node: ts.Expression): boolean => {
    const expr = strip(node);
    if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr) && !ts.isElementAccessExpression(expr))
      return false;
    return values.taint(node)?.kind === 'request';
  };
  for (const [index, arg] of call.arguments.entries()) {
    const expr = strip(arg);
    if (ts.isObjectLiteralExpression(expr)) {
      // `updateChat({ chatId, visibility })`: the helper destructures the properties it uses.
      for (const property of expr.properties) {
        if (ts.isShorthandPropertyAssignment(property) && carries(property.name))
          found.push(`${String(index)}.${property.name.text}`);
        else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && carries(property.initializer))
          found.push(`${String(index)}.${property.name.text}`);
      }
    } else if (carries(arg)) found.push(String(index));
  }
  if (found.length === 0 || accessChecked(call)) return undefined;
  return found;
}
