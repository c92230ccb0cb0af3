import { ts } from 'ts-morph';

import {
  DENY_ERROR,
  isSessionName,
  LOGIN_PATH,
  PARSED_BODY_METHODS,
  STRIPE_VERIFIER_METHODS,
  VERIFIER_METHODS,
  WEBHOOK_VERIFIER_MODULES,
} from '../detectors/route-evidence.js';
import { DRIZZLE_COMPARE, DRIZZLE_OTHER_OPERATORS, DRIZZLE_UNSCOPING } from '../detectors/tenancy.js';
import { DEFAULT_TENANT_KEYS, snakeCase } from './tenant-keys.js';
import {
  DENY_MESSAGE,
  isDenyNumber,
  isTokenVerifierCall,
  type Ctx,
  span,
  stringValue,
  nameRef,
  rootIdentifier,
  isFunctionLike,
  functionName,
  functionId,
  moduleOf,
  handlerRef,
  objectKeys,
  enclosingCallees,
  enclosingFunction,
} from './facts-context.js';
import {
  CLERK_MODULES,
  unwrapExpression,
  routeMatchers,
  readDenySites,
  readAuthWrapper,
  recordAuthWrapper,
} from './facts-middleware.js';
import type {
  CallFact,
  CommentFact,
  FileFacts,
  FunctionFact,
  HandlerRef,
  ImportFact,
  NameRef,
  QueryFact,
} from './types.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all']);
const NEXT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
const PRISMA_METHODS = new Set([
  'findMany',
  'findFirst',
  'findFirstOrThrow',
  'findUnique',
  'findUniqueOrThrow',
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  'count',
  'aggregate',
  'groupBy',
]);
const PRISMA_DATA_METHODS = new Set(['create', 'createMany', 'createManyAndReturn']);
const DATA_METHODS = new Set([
  ...PRISMA_METHODS,
  'query',
  'execute',
  'insert',
  'select',
  'from',
  'rpc',
  '$queryRaw',
  '$executeRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'transaction',
  '$transaction',
  'values',
  'set',
]);
const DATA_RECEIVER =
  /^(?:prisma|db|database|pool|client|sql|knex|supabase|tx|trx|conn|connection|drizzle|em|orm|repo|repository|store|kv|redis)$/i;
const DRIZZLE_TABLE_FACTORIES = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'pgTableCreator']);
const TENANT_KEYS = new Set([...DEFAULT_TENANT_KEYS, ...DEFAULT_TENANT_KEYS.map(snakeCase)]);

/** What a query reads or writes, and the filter it carries (keys present, helpers called, identifiers passed). */
type QueryWhat = Pick<QueryFact, 'orm' | 'target' | 'method' | 'sql'> & {
  keys?: Iterable<string>;
  helperCalls?: NameRef[];
  filterIdentifiers?: string[];
};

/**
 * A query fact at `node` (reported at `reported`, the end of a builder chain): what it is, plus where it
 * sits — its receiver, the factory that made it, the callbacks and function around it.
 */
function queryFact(ctx: Ctx, node: ts.Node, receiver: string, what: QueryWhat, reported: ts.Node = node): QueryFact {
  const factory = ctx.facts.callInits[receiver];
  const fn = enclosingFunction(ctx, node);
  return {
    orm: what.orm,
    target: what.target,
    method: what.method,
    ...(what.sql === undefined ? {} : { sql: what.sql }),
    span: span(ctx.sf, reported),
    offset: node.getStart(ctx.sf),
    keys: [...(what.keys ?? [])],
    helperCalls: what.helperCalls ?? [],
    filterIdentifiers: what.filterIdentifiers ?? [],
    receiver,
    ...(factory === undefined ? {} : { receiverFactory: factory }),
    enclosingCallees: enclosingCallees(node),
    ...(fn === undefined ? {} : { enclosingFunction: fn }),
  };
}

function readPrismaQuery(
  ctx: Ctx,
  call: ts.CallExpression,
  access: ts.PropertyAccessExpression,
): QueryFact | undefined {
  const method = access.name.text;
  if (!PRISMA_METHODS.has(method)) return undefined;
  const delegateAccess = access.expression;
  if (!ts.isPropertyAccessExpression(delegateAccess)) return undefined;
  const delegate = delegateAccess.name.text;
  const receiver = rootIdentifier(delegateAccess.expression);
  if (receiver === undefined) return undefined;
  const keys = new Set<string>();
  const helpers: NameRef[] = [];
  const identifiers: string[] = [];
  const arg = call.arguments[0];
  if (arg !== undefined && ts.isObjectLiteralExpression(arg)) {
    for (const property of arg.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      const key = property.name.text;
      const relevant = PRISMA_DATA_METHODS.has(method)
        ? key === 'data'
        : key === 'where' || (method === 'upsert' && key === 'create');
      if (relevant) objectKeys(property.initializer, keys, helpers, identifiers);
    }
  } else if (arg !== undefined) objectKeys(arg, keys, helpers, identifiers);
  return queryFact(ctx, call, receiver, {
    orm: 'prisma',
    target: { name: delegate },
    method,
    keys,
    helperCalls: helpers,
    filterIdentifiers: identifiers,
  });
}

/** `db.select().from(posts).where(…)`, `db.update(posts).set(…).where(…)`, `db.delete(posts)`, `db.insert(posts).values(…)`. */
function readDrizzleQuery(
  ctx: Ctx,
  call: ts.CallExpression,
  access: ts.PropertyAccessExpression,
): QueryFact | undefined {
  const method = access.name.text;
  if (method !== 'from' && method !== 'update' && method !== 'delete' && method !== 'insert') return undefined;
  const table = call.arguments[0];
  if (table === undefined || call.arguments.length !== 1) return undefined;
  const target = nameRef(table);
  if (target === undefined) return undefined;
  if (method !== 'from' && rootIdentifier(access.expression) === undefined) return undefined;
  const keys = new Set<string>();
  const helpers: NameRef[] = [];
  const identifiers: string[] = [];
  // Walk outwards through the builder chain collecting .where(…) / .values(…).
  let current: ts.Node = call;
  while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent)) {
    const outer: ts.CallExpression = current.parent.parent;
    const name = current.parent.name.text;
    if (name === 'where') for (const arg of outer.arguments) drizzleConditionKeys(arg, keys, helpers, identifiers);
    if (name === 'values') for (const arg of outer.arguments) objectKeys(arg, keys, helpers, []);
    current = outer;
  }
  const receiver = rootIdentifier(access.expression) ?? '';
  return queryFact(
    ctx,
    call,
    receiver,
    {
      orm: 'drizzle',
      target,
      method: method === 'from' ? 'select' : method,
      keys,
      helperCalls: helpers,
      filterIdentifiers: identifiers,
    },
    current,
  );
}

/** Drizzle operators that constrain one column, never the tenant; `exists` subqueries are conditions the check does not read. */
const DRIZZLE_NON_TENANT = new Set([...DRIZZLE_OTHER_OPERATORS, 'exists', 'notExists']);

/**
 * Tenant-relevant columns of a Drizzle condition, AND-chains only: `and(eq(t.orgId, id), …)` gives
 * `orgId`; `or(…)`/`not(…)` give nothing (one branch without the tenant reaches every tenant).
 * Other calls are helpers the check follows; identifiers are conditions built elsewhere.
 */
function drizzleConditionKeys(
  node: ts.Node,
  keys: Set<string>,
  helpers: NameRef[],
  identifiers: string[],
  depth = 0,
): void {
  if (depth > 8) return;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) {
    drizzleConditionKeys(node.expression, keys, helpers, identifiers, depth);
    return;
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    // Relational `where: (orders, { eq, and }) => and(eq(orders.orgId, id), …)`.
    if (!ts.isBlock(node.body)) drizzleConditionKeys(node.body, keys, helpers, identifiers, depth + 1);
    else
      for (const statement of node.body.statements)
        if (ts.isReturnStatement(statement) && statement.expression !== undefined)
          drizzleConditionKeys(statement.expression, keys, helpers, identifiers, depth + 1);
    return;
  }
  if (ts.isCallExpression(node)) {
    const ref = nameRef(node.expression);
    const name = ref === undefined ? undefined : (ref.member ?? ref.name);
    if (name === 'and') {
      for (const arg of node.arguments) drizzleConditionKeys(arg, keys, helpers, identifiers, depth + 1);
      return;
    }
    if (name !== undefined && (DRIZZLE_UNSCOPING.has(name) || DRIZZLE_NON_TENANT.has(name))) return;
    if (name !== undefined && DRIZZLE_COMPARE.has(name)) {
      let column = node.arguments[0];
      while (column !== undefined && (ts.isParenthesizedExpression(column) || ts.isNonNullExpression(column)))
        column = column.expression;
      if (column !== undefined && ts.isPropertyAccessExpression(column)) keys.add(column.name.text);
      return;
    }
    // `byOrg(orgId)`: a helper that may build the tenant condition (the check follows it).
    if (ref !== undefined) helpers.push(ref);
    return;
  }
  if (ts.isTaggedTemplateExpression(node)) {
    // sql`${t.orgId} = ${id}`: the columns it names.
    if (ts.isTemplateExpression(node.template))
      for (const part of node.template.templateSpans)
        if (ts.isPropertyAccessExpression(part.expression)) keys.add(part.expression.name.text);
    return;
  }
  if (ts.isIdentifier(node)) {
    if (node.text !== 'undefined') identifiers.push(node.text);
    return;
  }
  // A conditional or other computed condition: not provably missing.
  identifiers.push('<computed>');
}

/** Keys of a Drizzle v1 relational object filter, AND-chains only (`OR`/`NOT` branches do not count). */
function relationalObjectKeys(node: ts.Node, keys: Set<string>, identifiers: string[], depth = 0): void {
  if (depth > 6) return;
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) relationalObjectKeys(element, keys, identifiers, depth + 1);
    return;
  }
  if (!ts.isObjectLiteralExpression(node)) {
    if (ts.isIdentifier(node)) identifiers.push(node.text);
    return;
  }
  for (const property of node.properties) {
    if (ts.isShorthandPropertyAssignment(property)) keys.add(property.name.text);
    else if (ts.isPropertyAssignment(property)) {
      const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
      if (key === undefined || key === 'OR' || key === 'NOT') continue;
      if (key === 'AND') relationalObjectKeys(property.initializer, keys, identifiers, depth + 1);
      else keys.add(key);
    } else if (ts.isSpreadAssignment(property)) {
      if (ts.isIdentifier(property.expression)) identifiers.push(property.expression.text);
      else identifiers.push('<computed>');
    }
  }
}

/** `db.query.orders.findMany({ where, with })` / `findFirst`: Drizzle's relational query API. */
function readDrizzleRelationalQuery(
  ctx: Ctx,
  call: ts.CallExpression,
  access: ts.PropertyAccessExpression,
): QueryFact | undefined {
  const method = access.name.text;
  if (method !== 'findMany' && method !== 'findFirst') return undefined;
  const table = access.expression;
  if (!ts.isPropertyAccessExpression(table)) return undefined;
  const query = table.expression;
  if (!ts.isPropertyAccessExpression(query) || query.name.text !== 'query') return undefined;
  const receiver = rootIdentifier(query.expression);
  if (receiver === undefined || call.arguments.length > 1) return undefined;
  const keys = new Set<string>();
  const helpers: NameRef[] = [];
  const identifiers: string[] = [];
  const arg = call.arguments[0];
  if (arg !== undefined && ts.isObjectLiteralExpression(arg)) {
    for (const property of arg.properties) {
      if (ts.isSpreadAssignment(property)) identifiers.push('<computed>');
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || property.name.text !== 'where')
        continue;
      // Nested `with: { lines: … }` reads go through the parent row's relation: the parent's filter scopes them.
      const where = property.initializer;
      if (ts.isObjectLiteralExpression(where)) relationalObjectKeys(where, keys, identifiers);
      else drizzleConditionKeys(where, keys, helpers, identifiers);
    }
  } else if (arg !== undefined) identifiers.push(ts.isIdentifier(arg) ? arg.text : '<computed>');
  return queryFact(ctx, call, receiver, {
    orm: 'drizzle-relational',
    target: { name: table.name.text },
    method,
    keys,
    helperCalls: helpers,
    filterIdentifiers: identifiers,
  });
}

/** Methods that run SQL text: node-postgres/PGlite/Neon `query`, Drizzle `execute`, postgres.js `unsafe`, Prisma's raw API, pg-promise. */
const RAW_SQL_METHODS = new Set([
  'query',
  'execute',
  'exec',
  'unsafe',
  '$queryRaw',
  '$executeRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'queryObject',
  'queryArray',
  'any',
  'many',
  'manyOrNone',
  'one',
  'oneOrNone',
  'none',
]);
const PRISMA_RAW_TAGS = new Set(['$queryRaw', '$executeRaw']);
/** Modules whose `sql` tag builds a query: substitutions become bind parameters. */
const SQL_TAG_MODULES: Readonly<Record<string, readonly string[]>> = {
  'drizzle-orm': ['sql'],
  'drizzle-orm/sql': ['sql'],
  kysely: ['sql'],
  '@vercel/postgres': ['sql'],
  slonik: ['sql'],
};
/** Factories whose result is a `sql` tag that runs the query: postgres.js, Neon. */
const SQL_CLIENT_FACTORIES: Readonly<Record<string, readonly string[]>> = {
  postgres: ['default'],
  '@neondatabase/serverless': ['neon'],
};
/** A gate, not an analysis: text that starts like a statement goes to the Postgres parser. */
const STATEMENT_START = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*(?:select|insert|update|delete|with)\b/i;

/** The initializer of the `const` a name refers to, found in the enclosing blocks of the same file. */
function localConst(node: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = node.parent; scope !== undefined; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue;
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === node.text && declaration.initializer)
          return declaration.initializer;
    }
  }
  return undefined;
}

function isSqlTag(ctx: Ctx, tag: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(tag)) {
    if (PRISMA_RAW_TAGS.has(tag.name.text)) return true;
    // Prisma.sql`…` (Prisma from @prisma/client or a generated client).
    return (
      tag.name.text === 'sql' && ts.isIdentifier(tag.expression) && moduleOf(ctx, tag.expression.text)?.[1] === 'Prisma'
    );
  }
  if (!ts.isIdentifier(tag)) return false;
  const imported = moduleOf(ctx, tag.text);
  if (imported !== undefined) return SQL_TAG_MODULES[imported[0]]?.includes(imported[1]) === true;
  const factory = ctx.facts.callInits[tag.text];
  if (factory === undefined || factory.member !== undefined) return false;
  const source = moduleOf(ctx, factory.name);
  return source !== undefined && SQL_CLIENT_FACTORIES[source[0]]?.includes(source[1]) === true;
}

/**
 * The text of a SQL tagged template, each substitution a `$n` bind parameter. Fragments are inlined
 * (a nested sql`…`, a `const` holding one, `Prisma.raw('literal')`, `Prisma.empty`); an identifier
 * or raw text from a variable makes the statement dynamic (undefined).
 */
function templateSql(
  ctx: Ctx,
  template: ts.TaggedTemplateExpression,
  counter = { next: 1 },
  depth = 0,
): string | undefined {
  if (depth > 4) return undefined;
  const literal = template.template;
  if (ts.isNoSubstitutionTemplateLiteral(literal)) return literal.text;
  let text = literal.head.text;
  for (const part of literal.templateSpans) {
    let expression: ts.Expression = part.expression;
    if (ts.isIdentifier(expression)) {
      const init = localConst(expression);
      if (init !== undefined && ts.isTaggedTemplateExpression(init) && isSqlTag(ctx, init.tag)) expression = init;
    }
    let inline: string | undefined;
    if (ts.isTaggedTemplateExpression(expression) && isSqlTag(ctx, expression.tag)) {
      inline = templateSql(ctx, expression, counter, depth + 1);
      if (inline === undefined) return undefined;
    } else if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'empty') inline = '';
    else if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression)) {
      const helper = expression.expression.name.text;
      if (helper === 'raw' || helper === 'identifier' || helper === 'unsafe') {
        inline = stringValue(expression.arguments[0]);
        if (inline === undefined) return undefined;
      } else if (helper === 'empty') inline = '';
    }
    if (inline === undefined) {
      inline = `$${String(counter.next)}`;
      counter.next++;
    }
    text += inline + part.literal.text;
  }
  return text;
}

/** SQL text passed to a query method: a string, a `const` holding one, `{ text }`, or a `const` sql`…`. */
function argumentSql(ctx: Ctx, arg: ts.Expression | undefined, depth = 0): string | undefined {
  if (arg === undefined || depth > 3) return undefined;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (ts.isIdentifier(arg)) {
    const init = localConst(arg);
    if (init === undefined) return undefined;
    if (ts.isTaggedTemplateExpression(init)) return isSqlTag(ctx, init.tag) ? templateSql(ctx, init) : undefined;
    return argumentSql(ctx, init, depth + 1);
  }
  if (ts.isObjectLiteralExpression(arg)) {
    for (const property of arg.properties)
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'text')
        return argumentSql(ctx, property.initializer, depth + 1);
    return undefined;
  }
  if (ts.isAsExpression(arg) || ts.isParenthesizedExpression(arg)) return argumentSql(ctx, arg.expression, depth + 1);
  // A template with `${…}` or a concatenation builds the text at run time: not read (precision first).
  return undefined;
}

function rawSqlFact(
  ctx: Ctx,
  node: ts.Node,
  sql: string,
  target: NameRef,
  method: string,
  receiver: string,
): QueryFact {
  return queryFact(ctx, node, receiver, { orm: 'sql', target, method, sql });
}

/** `pool.query('SELECT …', [id])`, `client.query({ text })`, `prisma.$queryRawUnsafe('…')`, `db.execute(query)`. */
function readRawSqlCall(ctx: Ctx, call: ts.CallExpression, access: ts.PropertyAccessExpression): QueryFact | undefined {
  const method = access.name.text;
  if (!RAW_SQL_METHODS.has(method)) return undefined;
  const arg = call.arguments[0];
  // A tagged template argument is read where it stands (readSqlTemplate).
  if (arg === undefined || ts.isTaggedTemplateExpression(arg)) return undefined;
  const sql = argumentSql(ctx, arg);
  if (sql === undefined || !STATEMENT_START.test(sql)) return undefined;
  const receiver = rootIdentifier(access.expression) ?? '';
  return rawSqlFact(ctx, call, sql, { name: receiver, member: method }, method, receiver);
}

/** prisma.$queryRaw`…`, sql`…` of postgres.js/Neon/Vercel/Drizzle/Kysely, Prisma.sql`…` passed to a query. */
function readSqlTemplate(ctx: Ctx, node: ts.TaggedTemplateExpression): QueryFact | undefined {
  if (!isSqlTag(ctx, node.tag)) return undefined;
  const parent = node.parent;
  // `const q = sql`…`` is read where q is run; a fragment inside another sql`…` is part of that one.
  if (ts.isVariableDeclaration(parent)) return undefined;
  if (ts.isTemplateSpan(parent)) return undefined;
  const sql = templateSql(ctx, node);
  if (sql === undefined) return undefined;
  const tag = node.tag;
  const rawTag = ts.isPropertyAccessExpression(tag) && PRISMA_RAW_TAGS.has(tag.name.text);
  if (!rawTag && !STATEMENT_START.test(sql)) return undefined;
  let receiver = rootIdentifier(ts.isPropertyAccessExpression(tag) ? tag.expression : tag) ?? '';
  if (
    ts.isCallExpression(parent) &&
    parent.arguments.includes(node) &&
    ts.isPropertyAccessExpression(parent.expression)
  )
    receiver = rootIdentifier(parent.expression.expression) ?? receiver;
  else if (ts.isPropertyAccessExpression(parent) && ts.isCallExpression(parent.parent)) {
    // Kysely: sql`…`.execute(db)
    const runner = parent.parent.arguments[0];
    if (runner !== undefined && ts.isIdentifier(runner)) receiver = runner.text;
  }
  const method = rawTag && ts.isPropertyAccessExpression(tag) ? tag.name.text : 'sql';
  const target = nameRef(tag) ?? { name: receiver };
  return rawSqlFact(ctx, node, sql, target, method, receiver);
}

const GENERATED_WEBHOOK_VERIFIER = 'verifyWebhook';

/** `Buffer.isBuffer(req.body)`, `req.body === undefined`, `typeof req.body`: looking at the body's shape is not using it. */
function isShapeCheck(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isTypeOfExpression(parent)) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node)) {
    const callee = parent.expression.getText();
    return callee === 'Buffer.isBuffer' || callee === 'ArrayBuffer.isView';
  }
  if (ts.isBinaryExpression(parent)) {
    const other = parent.left === node ? parent.right : parent.left;
    const comparison = [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
    ].includes(parent.operatorToken.kind);
    return (
      comparison && (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined'))
    );
  }
  return false;
}

function isVerifierCall(ctx: Ctx, call: ts.CallExpression, verifierInstances: Set<string>): boolean {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (
      STRIPE_VERIFIER_METHODS.has(method) &&
      ts.isPropertyAccessExpression(callee.expression) &&
      callee.expression.name.text === 'webhooks'
    )
      return true;
    const root = rootIdentifier(callee.expression);
    if (VERIFIER_METHODS.has(method) && root !== undefined && verifierInstances.has(root)) return true;
    if (root !== undefined) {
      const imported = moduleOf(ctx, root);
      if (imported !== undefined && imported[1] === '*') {
        const spec = WEBHOOK_VERIFIER_MODULES[imported[0]];
        if (spec?.functions?.includes(method) === true) return true;
      }
      if (
        imported !== undefined &&
        imported[1] === 'default' &&
        (imported[0] === 'crypto' || imported[0] === 'node:crypto')
      )
        return method === 'timingSafeEqual';
    }
    return false;
  }
  if (ts.isIdentifier(callee)) {
    const imported = moduleOf(ctx, callee.text);
    if (imported === undefined) return false;
    // The verifier `portcullis add webhook` generates (as the ESLint rule recognises it too).
    if (imported[1] === GENERATED_WEBHOOK_VERIFIER && imported[0].startsWith('.')) return true;
    return WEBHOOK_VERIFIER_MODULES[imported[0]]?.functions?.includes(imported[1]) === true;
  }
  return false;
}

function analyseFunction(ctx: Ctx, node: ts.FunctionLikeDeclaration, verifierInstances: Set<string>): FunctionFact {
  const sf = ctx.sf;
  const fact: FunctionFact = {
    id: functionId(ctx, node),
    span: span(sf, node),
    start: node.getStart(sf),
    end: node.getEnd(),
    readsSession: false,
    denies: false,
    verifiesToken: false,
    dataAccess: false,
    returnsTenantKey: false,
    setsTenantContext: false,
    referencesTenantKey: false,
    params: node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')),
    calls: [],
  };
  const verifierArgRanges: [number, number][] = [];
  const bodyUses: number[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && isSessionName(child.text)) fact.readsSession = true;
    else if (
      ts.isStringLiteral(child) &&
      /^(?:principal|session|user|userId|auth)$/.test(child.text) &&
      ts.isCallExpression(child.parent)
    )
      fact.readsSession = true;
    if (isDenyNumber(child)) {
      const parent = child.parent;
      if (ts.isCallExpression(parent) || ts.isPropertyAssignment(parent) || ts.isNewExpression(parent))
        fact.denies = true;
    }
    // `errorResponse(new AuthError('unauthenticated'))`: an auth error built to answer the request denies it too.
    if (ts.isNewExpression(child) && DENY_ERROR.test(child.expression.getText(sf))) fact.denies = true;
    if (ts.isThrowStatement(child) && child.expression !== undefined) {
      const thrown = child.expression;
      if (ts.isNewExpression(thrown) && DENY_ERROR.test(thrown.expression.getText(sf))) fact.denies = true;
      // `throw new Error('Unauthorized')`: the message says what the class does not.
      if (ts.isNewExpression(thrown) && DENY_MESSAGE.test(thrown.arguments?.[0]?.getText(sf) ?? '')) fact.denies = true;
      if (ts.isCallExpression(thrown) && DENY_ERROR.test(thrown.expression.getText(sf))) fact.denies = true;
    }
    if (ts.isCallExpression(child)) {
      const callee = child.expression;
      const offset = child.getStart(sf);
      // `auth().protect()` (Clerk v5): followed like `auth.protect()`.
      const ref =
        nameRef(callee) ??
        (ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'protect' &&
        ts.isCallExpression(callee.expression) &&
        ts.isIdentifier(callee.expression.expression)
          ? { name: callee.expression.expression.text, member: 'protect' }
          : undefined);
      if (ref !== undefined) {
        const callbacks = child.arguments.flatMap((arg) => (isFunctionLike(arg) ? [functionId(ctx, arg)] : []));
        const call: CallFact = { callee: ref, offset, ...(callbacks.length > 0 ? { callbackIds: callbacks } : {}) };
        fact.calls.push(call);
        const simple = ref.member ?? ref.name;
        if (simple === 'redirectToSignIn') fact.denies = true;
        if (
          (simple === 'redirect' || simple === 'unauthorized' || simple === 'forbidden') &&
          (simple !== 'redirect' || LOGIN_PATH.test(child.arguments[0]?.getText(sf) ?? ''))
        )
          fact.denies = true;
        if (simple === 'set_config' || simple === '$extends') fact.setsTenantContext = true;
      }
      if (isVerifierCall(ctx, child, verifierInstances)) {
        fact.verifies ??= offset;
        verifierArgRanges.push([child.arguments.pos, child.arguments.end]);
      }
      if (isTokenVerifierCall(ctx, child)) {
        fact.verifiesToken = true;
        fact.readsSession = true;
      }
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        if (DATA_METHODS.has(method)) {
          let current: ts.Expression = callee.expression;
          for (let i = 0; i < 6; i++) {
            const name = ts.isIdentifier(current)
              ? current.text
              : ts.isPropertyAccessExpression(current)
                ? current.name.text
                : undefined;
            if (name !== undefined && DATA_RECEIVER.test(name)) fact.dataAccess = true;
            if (
              ts.isPropertyAccessExpression(current) ||
              ts.isCallExpression(current) ||
              ts.isElementAccessExpression(current)
            )
              current = current.expression;
            else break;
          }
        }
        if (PARSED_BODY_METHODS.has(method) && child.arguments.length === 0) bodyUses.push(offset);
      }
    }
    if (ts.isTaggedTemplateExpression(child) && ts.isIdentifier(child.tag) && child.tag.text === 'sql')
      fact.dataAccess = true;
    if (ts.isStringLiteralLike(child) && /set_config\s*\(\s*'app\.(?:tenant|org|current_tenant)/i.test(child.text))
      fact.setsTenantContext = true;
    if (ts.isPropertyAccessExpression(child) && TENANT_KEYS.has(child.name.text)) fact.referencesTenantKey = true;
    if (
      ts.isPropertyAccessExpression(child) &&
      child.name.text === 'body' &&
      !ts.isCallExpression(child.parent) &&
      !isShapeCheck(child)
    ) {
      const root = rootIdentifier(child.expression);
      if (root !== undefined && /^(?:req|request|ctx|c)$/.test(root)) bodyUses.push(child.getStart(sf));
    }
    if (ts.isReturnStatement(child) && child.expression !== undefined) {
      const keys = new Set<string>();
      objectKeys(child.expression, keys, [], []);
      if ([...keys].some((key) => TENANT_KEYS.has(key))) fact.returnsTenantKey = true;
    }
    ts.forEachChild(child, visit);
  };
  if (node.body !== undefined) {
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      const keys = new Set<string>();
      objectKeys(node.body, keys, [], []);
      if ([...keys].some((key) => TENANT_KEYS.has(key))) fact.returnsTenantKey = true;
    }
    visit(node.body);
  }
  for (const parameter of node.parameters) {
    if (ts.isIdentifier(parameter.name) && isSessionName(parameter.name.text)) fact.readsSession = true;
    if (ts.isObjectBindingPattern(parameter.name))
      for (const element of parameter.name.elements)
        if (ts.isIdentifier(element.name) && isSessionName(element.name.text)) fact.readsSession = true;
  }
  const firstBodyUse = bodyUses
    .filter((offset) => !verifierArgRanges.some(([s, e]) => offset >= s && offset < e))
    .sort((a, b) => a - b)[0];
  if (firstBodyUse !== undefined) fact.bodyUse = firstBodyUse;
  return fact;
}

function readComments(ctx: Ctx): CommentFact[] {
  const { sf } = ctx;
  const text = sf.text;
  const comments: CommentFact[] = [];
  if (!/portcullis-|eslint-disable/.test(text)) return comments;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sf.languageVariant, text);
  let lastCodeLine = -1;
  // Brace depth at each open `${`: the `}` that closes it continues the template (never code).
  const templates: number[] = [];
  let braces = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    const start = scanner.getTokenStart();
    const { line } = sf.getLineAndCharacterOfPosition(start);
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia && token !== ts.SyntaxKind.MultiLineCommentTrivia) {
      if (token !== ts.SyntaxKind.WhitespaceTrivia && token !== ts.SyntaxKind.NewLineTrivia) lastCodeLine = line;
      // Template and regex tokens need the parser's context; rescanning keeps comment detection honest.
      if (token === ts.SyntaxKind.TemplateHead) templates.push(braces);
      else if (token === ts.SyntaxKind.OpenBraceToken) braces++;
      else if (token === ts.SyntaxKind.CloseBraceToken) {
        if (templates.at(-1) === braces) {
          if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateTail) templates.pop();
        } else braces--;
      }
      if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) scanner.reScanSlashToken();
      continue;
    }
    const raw = scanner.getTokenText();
    const body = raw.startsWith('//') ? raw.slice(2) : raw.slice(2, -2);
    const end = sf.getLineAndCharacterOfPosition(scanner.getTokenEnd());
    const where = {
      line: line + 1,
      column: sf.getLineAndCharacterOfPosition(start).character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
    const standalone = lastCodeLine !== line;
    const endLineTarget = end.line + 2;
    const publicMatch = /^\s*portcullis-public\b:?\s*(.*)$/s.exec(body);
    if (publicMatch !== null) {
      comments.push({
        kind: 'public',
        line: line + 1,
        rules: [],
        reason: (publicMatch[1] ?? '').trim(),
        standalone,
        endLineTarget,
        span: where,
      });
      continue;
    }
    const ignore = /^\s*portcullis-ignore(?:-next-line)?\s+([\w/-]+)?\s*(?:--\s*(.*))?$/s.exec(body);
    if (ignore !== null) {
      comments.push({
        kind: 'ignore',
        line: line + 1,
        rules: ignore[1] === undefined ? [] : [ignore[1].replace(/^portcullis\//, '')],
        reason: (ignore[2] ?? '').trim(),
        standalone,
        endLineTarget,
        span: where,
      });
      continue;
    }
    const disable = /^\s*eslint-disable(?:-next-line|-line)?\b([^-]*(?:-(?!-)[^-]*)*)(?:--\s*(.*))?$/s.exec(body);
    if (disable !== null && /\beslint-disable/.test(body)) {
      const rules = (disable[1] ?? '')
        .split(',')
        .map((rule) => rule.trim())
        .filter((rule) => rule !== '');
      comments.push({
        kind: 'eslint-disable',
        line: line + 1,
        rules,
        reason: (disable[2] ?? '').trim(),
        standalone,
        endLineTarget,
        span: where,
      });
    }
  }
  return comments;
}

const ROUTER_TYPES: Readonly<Record<string, 'express' | 'hono' | 'fastify'>> = {
  Router: 'express',
  Express: 'express',
  Application: 'express',
  Hono: 'hono',
  FastifyInstance: 'fastify',
};

function routerFramework(ctx: Ctx, init: ts.Expression): 'express' | 'hono' | 'fastify' | undefined {
  let expression = init;
  while (ts.isAwaitExpression(expression) || ts.isParenthesizedExpression(expression))
    expression = expression.expression;
  if (ts.isNewExpression(expression)) {
    const ref = nameRef(expression.expression);
    if (ref === undefined) return undefined;
    const imported = moduleOf(ctx, ref.name);
    if (imported !== undefined && imported[0].startsWith('hono') && /Hono$/.test(ref.member ?? imported[1]))
      return 'hono';
    if (imported !== undefined && imported[0] === '@hono/zod-openapi') return 'hono';
    return undefined;
  }
  if (!ts.isCallExpression(expression)) return undefined;
  const ref = nameRef(expression.expression);
  if (ref === undefined) return undefined;
  const imported = moduleOf(ctx, ref.name);
  if (imported === undefined) return undefined;
  if (imported[0] === 'express') {
    if (ref.member === undefined && (imported[1] === 'default' || imported[1] === '*' || imported[1] === 'Router'))
      return 'express';
    if (ref.member === 'Router') return 'express';
  }
  if (imported[0] === 'fastify' && ref.member === undefined) return 'fastify';
  return undefined;
}

function nextRoutePath(file: string): { kind: 'next-app' | 'next-pages'; path: string } | undefined {
  const app = /(?:^|\/)app\/((?:.+\/)?)route\.[cm]?[jt]sx?$/.exec(file);
  const toPath = (segments: string): string =>
    `/${segments
      .split('/')
      .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'))
      .join('/')}`;
  if (app !== null) return { kind: 'next-app', path: toPath(app[1] ?? '') };
  const pages = /(?:^|\/)pages\/(api\/.+?)\.[cm]?[jt]sx?$/.exec(file);
  if (pages !== null) return { kind: 'next-pages', path: toPath((pages[1] ?? '').replace(/\/index$/, '')) };
  return undefined;
}

function isNextMiddlewareFile(file: string): boolean {
  return /^(?:src\/)?(?:middleware|proxy)\.[cm]?[jt]s$/.test(
    file.replace(/^.*?(?=(?:src\/)?(?:middleware|proxy)\.[cm]?[jt]s$)/, ''),
  );
}

/** Deno/Supabase edge specifiers (`npm:stripe@14`, `https://esm.sh/svix@1`, `jsr:@std/x`) → the package name. */
export function normalizeSpecifier(specifier: string): string {
  const stripped = specifier.replace(
    /^(?:npm:|jsr:|https?:\/\/(?:esm\.sh|cdn\.skypack\.dev|deno\.land\/x|esm\.run)\/)/,
    '',
  );
  if (stripped === specifier) return specifier;
  const match = /^(@[^/@]+\/[^/@]+|[^/@]+)(?:@[^/]*)?(\/.*)?$/.exec(stripped);
  return match === null ? stripped : `${match[1] ?? ''}${match[2] ?? ''}`;
}

/** Reads one file's facts. Pure function of (relative path, source file). */
export function readFacts(file: string, sf: ts.SourceFile): FileFacts {
  const facts: FileFacts = {
    file,
    imports: [],
    exports: {},
    reexports: [],
    functions: [],
    routers: {},
    routes: [],
    uses: [],
    queries: [],
    drizzleTables: [],
    envReads: [],
    comments: [],
    callInits: {},
    objectInits: {},
    serverOnly: false,
  };
  const ctx: Ctx = { sf, facts, importsByLocal: new Map(), anonymous: new Map(), usedNames: new Set() };
  // File-level functions own their plain names, whatever nested function of the same name comes first.
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement)) functionId(ctx, statement);
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (declaration.initializer !== undefined && isFunctionLike(declaration.initializer))
          functionId(ctx, declaration.initializer);
  }

  // Directives and imports first: everything else resolves names through them.
  for (const statement of sf.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
      const value = statement.expression.text;
      if (value === 'use client' || value === 'use server') facts.directive ??= value;
      continue;
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = normalizeSpecifier(statement.moduleSpecifier.text);
      if (specifier === 'server-only') facts.serverOnly = true;
      const bindings: Record<string, string> = {};
      const clause = statement.importClause;
      if (clause?.name !== undefined) bindings[clause.name.text] = 'default';
      const named = clause?.namedBindings;
      if (named !== undefined && ts.isNamespaceImport(named)) bindings[named.name.text] = '*';
      if (named !== undefined && ts.isNamedImports(named))
        for (const element of named.elements) bindings[element.name.text] = (element.propertyName ?? element.name).text;
      const { line, character } = sf.getLineAndCharacterOfPosition(statement.getStart(sf));
      const fact: ImportFact = {
        specifier,
        bindings,
        line: line + 1,
        column: character + 1,
        typeOnly: clause?.isTypeOnly === true,
      };
      facts.imports.push(fact);
      for (const [local, imported] of Object.entries(bindings)) ctx.importsByLocal.set(local, [specifier, imported]);
    }
  }

  const verifierInstances = collectVerifierInstances(ctx);
  const nextRoute = nextRoutePath(file);
  const middlewareFile = isNextMiddlewareFile(file);

  const visit = (node: ts.Node): void => {
    // require('x') bindings behave like imports.
    if (ts.isVariableDeclaration(node) && node.initializer !== undefined) {
      const init = node.initializer;
      if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
        const rawSpecifier = stringValue(init.arguments[0]);
        if (rawSpecifier !== undefined) {
          const specifier = normalizeSpecifier(rawSpecifier);
          const bindings: Record<string, string> = {};
          if (ts.isIdentifier(node.name)) bindings[node.name.text] = 'default';
          else if (ts.isObjectBindingPattern(node.name))
            for (const element of node.name.elements)
              if (ts.isIdentifier(element.name))
                bindings[element.name.text] =
                  element.propertyName !== undefined && ts.isIdentifier(element.propertyName)
                    ? element.propertyName.text
                    : element.name.text;
          const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          facts.imports.push({ specifier, bindings, line: line + 1, column: character + 1, typeOnly: false });
          for (const [local, imported] of Object.entries(bindings))
            ctx.importsByLocal.set(local, [specifier, imported]);
        }
      }
      recordAuthWrapper(ctx, node, middlewareFile);
      if (ts.isIdentifier(node.name)) {
        const name = node.name.text;
        const framework = routerFramework(ctx, init);
        if (framework !== undefined) facts.routers[name] = framework;
        let unwrapped: ts.Expression = init;
        while (ts.isAwaitExpression(unwrapped) || ts.isParenthesizedExpression(unwrapped))
          unwrapped = unwrapped.expression;
        if (ts.isCallExpression(unwrapped)) {
          const ref = nameRef(unwrapped.expression);
          if (ref !== undefined && ref.name !== 'require') facts.callInits[name] = ref;
        }
        if (ts.isObjectLiteralExpression(unwrapped)) {
          const keys = new Set<string>();
          objectKeys(unwrapped, keys, [], []);
          facts.objectInits[name] = [...keys];
        }
        if (
          ts.isCallExpression(unwrapped) &&
          ts.isIdentifier(unwrapped.expression) &&
          DRIZZLE_TABLE_FACTORIES.has(unwrapped.expression.text)
        ) {
          const table = stringValue(unwrapped.arguments[0]);
          const columnsArg = unwrapped.arguments[1];
          if (table !== undefined && columnsArg !== undefined && ts.isObjectLiteralExpression(columnsArg)) {
            const columns: string[] = [];
            for (const property of columnsArg.properties) {
              if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
              columns.push(property.name.text);
              let value: ts.Expression = property.initializer;
              while (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression))
                value = value.expression.expression;
              if (ts.isCallExpression(value)) {
                const dbName = stringValue(value.arguments[0]);
                if (dbName !== undefined) columns.push(dbName);
              }
            }
            facts.drizzleTables.push({ variable: name, table, columns, line: span(sf, node).line });
          }
        }
      }
    }
    if (isFunctionLike(node)) {
      const fact = analyseFunction(ctx, node, verifierInstances);
      if (
        middlewareFile ||
        fact.readsSession ||
        fact.denies ||
        fact.verifiesToken ||
        functionName(node) === 'authorized'
      )
        fact.denySites = readDenySites(ctx, node, fact);
      facts.functions.push(fact);
      for (const parameter of node.parameters) {
        const typeName =
          parameter.type !== undefined && ts.isTypeReferenceNode(parameter.type)
            ? parameter.type.typeName.getText(sf)
            : undefined;
        const framework = typeName === undefined ? undefined : ROUTER_TYPES[typeName.replace(/^.*\./, '')];
        if (framework !== undefined && ts.isIdentifier(parameter.name))
          facts.routers[parameter.name.text] ??= framework;
      }
      const body = node.body;
      if (body !== undefined && ts.isBlock(body)) {
        const first = body.statements[0];
        if (
          first !== undefined &&
          ts.isExpressionStatement(first) &&
          ts.isStringLiteral(first.expression) &&
          first.expression.text === 'use server' &&
          facts.directive !== 'use server'
        ) {
          facts.routes.push({
            framework: 'next-action',
            router: '',
            method: 'POST',
            path: `action:${functionId(ctx, node)}`,
            span: span(sf, node),
            order: node.getStart(sf),
            middlewares: [],
            handler: { kind: 'function', id: functionId(ctx, node) },
          });
        }
      }
    }
    if (ts.isCallExpression(node)) readCall(ctx, node);
    if (ts.isTaggedTemplateExpression(node)) {
      const query = readSqlTemplate(ctx, node);
      if (query !== undefined) facts.queries.push(query);
    }
    if (ts.isPropertyAccessExpression(node)) readEnv(ctx, node);
    if (ts.isElementAccessExpression(node)) readEnv(ctx, node);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer !== undefined &&
      isProcessEnv(node.initializer)
    ) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key)) facts.envReads.push({ name: key.text, span: span(sf, element) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  readExports(ctx, nextRoute, middlewareFile);
  if (facts.imports.some((fact) => CLERK_MODULES.has(fact.specifier))) {
    const matchers = routeMatchers(ctx);
    if (matchers.size > 0) facts.routeMatchers = Object.fromEntries(matchers);
  }
  facts.comments = readComments(ctx);
  return facts;
}

/** Variables holding verifier instances (`const wh = new Webhook(secret)` from svix), found before functions are read. */
function collectVerifierInstances(ctx: Ctx): Set<string> {
  const names = new Set<string>();
  if (!/new\s/.test(ctx.sf.text)) return names;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) {
      let init: ts.Expression = node.initializer;
      while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isNewExpression(init)) {
        const ref = nameRef(init.expression);
        const imported = ref === undefined ? undefined : moduleOf(ctx, ref.name);
        const spec = imported === undefined ? undefined : WEBHOOK_VERIFIER_MODULES[imported[0]];
        if (spec?.classes?.includes(ref?.member ?? imported?.[1] ?? '') === true) names.add(node.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sf);
  return names;
}

function isProcessEnv(node: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ((ts.isIdentifier(node.expression) && node.expression.text === 'process') ||
      (ts.isMetaProperty(node.expression) && node.expression.name.text === 'meta') ||
      (ts.isPropertyAccessExpression(node.expression) && node.expression.getText() === 'import.meta'))
  );
}

function readEnv(ctx: Ctx, node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
  if (!isProcessEnv(node.expression)) return;
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : stringValue(node.argumentExpression);
  if (name !== undefined) ctx.facts.envReads.push({ name, span: span(ctx.sf, node) });
}

/**
 * Routes registered from configuration (`router.post(endpoint.path, …)`) inside a function that says
 * it builds webhook routes (`webhookRouter`): a webhook route whose path is only known at run time.
 */
function configuredWebhookPath(
  sf: ts.SourceFile,
  call: ts.CallExpression,
  pathArgument: ts.Expression | undefined,
): string | undefined {
  if (pathArgument === undefined) return undefined;
  for (let current: ts.Node | undefined = call.parent; current !== undefined; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const name =
      (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) && current.name !== undefined
        ? current.name.text
        : ts.isVariableDeclaration(current.parent) && ts.isIdentifier(current.parent.name)
          ? current.parent.name.text
          : undefined;
    if (name === undefined) continue;
    return /webhook/i.test(name) ? `/webhooks/<${pathArgument.getText(sf)}>` : undefined;
  }
  return undefined;
}

function readCall(ctx: Ctx, call: ts.CallExpression): void {
  const { facts, sf } = ctx;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const query =
    readDrizzleRelationalQuery(ctx, call, callee) ??
    readPrismaQuery(ctx, call, callee) ??
    readDrizzleQuery(ctx, call, callee) ??
    readRawSqlCall(ctx, call, callee);
  if (query !== undefined) facts.queries.push(query);

  // Express `router.route('/x').get(h)`.
  let routerName: string | undefined;
  let chainedPath: string | undefined;
  if (ts.isIdentifier(callee.expression)) routerName = callee.expression.text;
  else if (
    ts.isCallExpression(callee.expression) &&
    ts.isPropertyAccessExpression(callee.expression.expression) &&
    callee.expression.expression.name.text === 'route' &&
    ts.isIdentifier(callee.expression.expression.expression)
  ) {
    routerName = callee.expression.expression.expression.text;
    chainedPath = stringValue(callee.expression.arguments[0]);
  }
  if (routerName === undefined) return;
  const framework = facts.routers[routerName];
  if (framework === undefined) return;
  const order = call.getStart(sf);
  const args = [...call.arguments];

  if (HTTP_METHODS.has(method)) {
    const path = chainedPath ?? stringValue(args[0]) ?? configuredWebhookPath(sf, call, args[0]);
    if (path === undefined) return;
    const rest = chainedPath === undefined ? args.slice(1) : args;
    if (
      framework === 'fastify' &&
      rest.length === 2 &&
      rest[0] !== undefined &&
      ts.isObjectLiteralExpression(rest[0])
    ) {
      const options = rest[0];
      const hooks = fastifyHooks(ctx, options);
      const handler = rest[1];
      if (handler === undefined) return;
      facts.routes.push({
        framework,
        router: routerName,
        method: method.toUpperCase(),
        path,
        span: span(sf, call),
        order,
        middlewares: hooks,
        handler: handlerRef(ctx, handler),
      });
      return;
    }
    const handler = rest.at(-1);
    if (handler === undefined) return;
    facts.routes.push({
      framework,
      router: routerName,
      method: method === 'all' ? 'ALL' : method.toUpperCase(),
      path,
      span: span(sf, call),
      order,
      middlewares: rest.slice(0, -1).map((arg) => handlerRef(ctx, arg)),
      handler: handlerRef(ctx, handler),
    });
    return;
  }
  if (method === 'use') {
    const path = stringValue(args[0]);
    const handlers = (path === undefined ? args : args.slice(1)).map((arg) => handlerRef(ctx, arg));
    facts.uses.push({ router: routerName, ...(path === undefined ? {} : { path }), handlers, order });
    return;
  }
  if (method === 'route' && framework === 'hono' && args.length === 2) {
    const path = stringValue(args[0]);
    if (path !== undefined && args[1] !== undefined)
      facts.uses.push({ router: routerName, path, handlers: [handlerRef(ctx, args[1])], order, mountOnly: true });
    return;
  }
  if (method === 'route' && framework === 'fastify' && args[0] !== undefined && ts.isObjectLiteralExpression(args[0])) {
    const options = args[0];
    const get = (key: string): ts.Expression | undefined => {
      for (const property of options.properties)
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key)
          return property.initializer;
      return undefined;
    };
    const url = stringValue(get('url') ?? get('path'));
    const handler = get('handler');
    const methodNode = get('method');
    const methods =
      methodNode === undefined
        ? []
        : ts.isArrayLiteralExpression(methodNode)
          ? methodNode.elements.map((e) => stringValue(e))
          : [stringValue(methodNode)];
    if (url === undefined || handler === undefined) return;
    for (const m of methods) {
      if (m === undefined) continue;
      facts.routes.push({
        framework,
        router: routerName,
        method: m.toUpperCase(),
        path: url,
        span: span(sf, call),
        order,
        middlewares: fastifyHooks(ctx, options),
        handler: handlerRef(ctx, handler),
      });
    }
    return;
  }
  if (method === 'addHook' && framework === 'fastify') {
    const hook = stringValue(args[0]);
    if (hook !== undefined && /^(?:onRequest|preParsing|preValidation|preHandler)$/.test(hook) && args[1] !== undefined)
      facts.uses.push({ router: routerName, handlers: [handlerRef(ctx, args[1])], order });
    return;
  }
  if (method === 'register' && framework === 'fastify' && args[0] !== undefined) {
    let prefix: string | undefined;
    const options = args[1];
    if (options !== undefined && ts.isObjectLiteralExpression(options))
      for (const property of options.properties)
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'prefix')
          prefix = stringValue(property.initializer);
    facts.uses.push({
      router: routerName,
      ...(prefix === undefined ? {} : { path: prefix }),
      handlers: [handlerRef(ctx, args[0])],
      order,
      mountOnly: true,
    });
  }
}

function fastifyHooks(ctx: Ctx, options: ts.ObjectLiteralExpression): HandlerRef[] {
  const hooks: HandlerRef[] = [];
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
    if (!/^(?:onRequest|preParsing|preValidation|preHandler)$/.test(property.name.text)) continue;
    const value = property.initializer;
    if (ts.isArrayLiteralExpression(value)) for (const element of value.elements) hooks.push(handlerRef(ctx, element));
    else hooks.push(handlerRef(ctx, value));
  }
  return hooks;
}

function readExports(ctx: Ctx, nextRoute: ReturnType<typeof nextRoutePath>, middlewareFile: boolean): void {
  const { sf, facts } = ctx;
  const isExported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  const exported: [string, string, ts.Node][] = [];
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && isExported(statement)) {
      const local = statement.name?.text ?? functionId(ctx, statement);
      exported.push([isDefault(statement) ? 'default' : local, local, statement]);
    } else if (ts.isClassDeclaration(statement) && isExported(statement) && statement.name !== undefined) {
      exported.push([isDefault(statement) ? 'default' : statement.name.text, statement.name.text, statement]);
    } else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name))
          exported.push([declaration.name.text, declaration.name.text, declaration]);
        // `export const { auth, handlers } = NextAuth(config)`
        else if (ts.isObjectBindingPattern(declaration.name))
          for (const element of declaration.name.elements)
            if (ts.isIdentifier(element.name)) exported.push([element.name.text, element.name.text, element]);
      }
    } else if (ts.isExportAssignment(statement)) {
      const expression = statement.expression;
      const wrapper = readAuthWrapper(ctx, expression, middlewareFile);
      if (wrapper?.callee !== undefined) (facts.authWrappers ??= {}).default = wrapper;
      const local = ts.isIdentifier(expression)
        ? expression.text
        : isFunctionLike(expression)
          ? functionId(ctx, expression)
          : ts.isCallExpression(expression)
            ? callLocal(ctx, expression)
            : undefined;
      if (local !== undefined) exported.push(['default', local, statement]);
    } else if (ts.isExportDeclaration(statement)) {
      const specifier = statement.moduleSpecifier !== undefined ? stringValue(statement.moduleSpecifier) : undefined;
      const clause = statement.exportClause;
      if (specifier !== undefined) {
        const names: Record<string, string> = {};
        if (clause !== undefined && ts.isNamedExports(clause))
          for (const element of clause.elements) names[element.name.text] = (element.propertyName ?? element.name).text;
        facts.reexports.push({ specifier, ...(clause === undefined ? {} : { names }) });
      } else if (clause !== undefined && ts.isNamedExports(clause)) {
        for (const element of clause.elements)
          exported.push([element.name.text, (element.propertyName ?? element.name).text, element]);
      }
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const left = statement.expression.left.getText(sf);
      const right = statement.expression.right;
      if (left === 'module.exports') {
        if (ts.isIdentifier(right)) exported.push(['default', right.text, statement]);
        else if (isFunctionLike(right)) exported.push(['default', functionId(ctx, right), statement]);
      } else if (/^(?:module\.)?exports\.\w+$/.test(left) && ts.isIdentifier(right))
        exported.push([left.replace(/^.*\./, ''), right.text, statement]);
    }
  }
  for (const [name, local] of exported) facts.exports[name] = local;

  if (nextRoute !== undefined) {
    for (const [name, local, node] of exported) {
      const method =
        nextRoute.kind === 'next-pages'
          ? name === 'default'
            ? 'ALL'
            : undefined
          : NEXT_METHODS.has(name)
            ? name
            : undefined;
      if (method === undefined) continue;
      facts.routes.push({
        framework: nextRoute.kind,
        router: '',
        method,
        path: nextRoute.path,
        span: span(sf, node),
        order: node.getStart(sf),
        middlewares: [],
        handler: { kind: 'ref', ref: { name: local } },
      });
    }
  }
  if (facts.directive === 'use server') {
    for (const [name, local, node] of exported) {
      if (name === 'default' && !facts.functions.some((fn) => fn.id === local)) continue;
      facts.routes.push({
        framework: 'next-action',
        router: '',
        method: 'POST',
        path: `action:${name}`,
        span: span(sf, node),
        order: node.getStart(sf),
        middlewares: [],
        handler: { kind: 'ref', ref: { name: local } },
      });
    }
  }
  if (middlewareFile) {
    // Next.js runs `middleware` (`proxy` from Next 16) or the default export, also when re-exported
    // (`export { auth as middleware } from '@/auth'`) or built by a wrapper (`export default clerkMiddleware()`).
    const exportName = ['middleware', 'proxy', 'default'].find(
      (name) =>
        facts.exports[name] !== undefined ||
        (name === 'default' && facts.authWrappers?.default !== undefined) ||
        facts.reexports.some((reexport) => reexport.names?.[name] !== undefined),
    );
    const handlerLocal = exportName === undefined ? undefined : (facts.exports[exportName] ?? exportName);
    if (exportName !== undefined && handlerLocal !== undefined) {
      const exportNode = exported.find(([name]) => name === exportName)?.[2];
      const exportStatement =
        exportNode ??
        sf.statements.find(
          (statement) =>
            ts.isExportDeclaration(statement) &&
            statement.exportClause !== undefined &&
            ts.isNamedExports(statement.exportClause) &&
            statement.exportClause.elements.some((element) => element.name.text === exportName),
        ) ??
        sf.statements.find(ts.isExportAssignment);
      let matchers: string[] | undefined;
      for (const statement of sf.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (
            !ts.isIdentifier(declaration.name) ||
            declaration.name.text !== 'config' ||
            declaration.initializer === undefined
          )
            continue;
          const init = declaration.initializer;
          if (!ts.isObjectLiteralExpression(init)) continue;
          for (const property of init.properties) {
            if (
              !ts.isPropertyAssignment(property) ||
              !ts.isIdentifier(property.name) ||
              property.name.text !== 'matcher'
            )
              continue;
            const value = property.initializer;
            if (ts.isArrayLiteralExpression(value))
              matchers = value.elements.flatMap((e) => {
                const s = stringValue(e);
                if (s !== undefined) return [s];
                if (ts.isObjectLiteralExpression(e))
                  for (const p of e.properties)
                    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'source')
                      return [stringValue(p.initializer) ?? ''];
                return [];
              });
            else {
              const s = stringValue(value);
              if (s !== undefined) matchers = [s];
            }
          }
        }
      }
      const declaration = exportNode !== undefined && ts.isVariableDeclaration(exportNode) ? exportNode : undefined;
      const alias =
        declaration?.initializer !== undefined && ts.isIdentifier(unwrapExpression(declaration.initializer))
          ? (unwrapExpression(declaration.initializer) as ts.Identifier).text
          : undefined;
      facts.nextMiddleware = {
        ...(matchers === undefined ? {} : { matchers }),
        ...(alias === undefined ? {} : { alias }),
        handler: { kind: 'ref', ref: { name: handlerLocal } },
        exportName,
        line: exportStatement === undefined ? 1 : span(sf, exportStatement).line,
      };
    }
  }
}

/** `export default withAuth(function handler…)` / `export default clerkMiddleware(…)`: the wrapper's callee. */
function callLocal(ctx: Ctx, call: ts.CallExpression): string | undefined {
  for (const arg of call.arguments) if (isFunctionLike(arg)) return functionId(ctx, arg);
  return undefined;
}
