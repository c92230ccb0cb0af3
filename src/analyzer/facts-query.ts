// Query facts: what each Prisma, Drizzle or raw-SQL query reads or writes and the filter it carries.
import { ts } from 'ts-morph';

import { DRIZZLE_COMPARE, DRIZZLE_OTHER_OPERATORS, DRIZZLE_UNSCOPING } from '../detectors/tenancy.js';
import { DEFAULT_TENANT_KEYS, snakeCase } from './tenant-keys.js';
import {
  type Ctx,
  span,
  stringValue,
  nameRef,
  rootIdentifier,
  moduleOf,
  objectKeys,
  enclosingCallees,
  enclosingFunction,
  functionId,
} from './facts-context.js';
import { readModelQuery, readSupabaseQuery, readSupabaseRpc } from './object-queries.js';
import {
  drizzleFilterEntries,
  objectAccess,
  objectFilterEntries,
  requestValuesOf,
  type FilterEntry,
} from './request-values.js';
import type { NameRef, QueryFact } from './types.js';

export const PRISMA_METHODS = new Set([
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
export const DATA_METHODS = new Set([
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
export const DATA_RECEIVER =
  /^(?:prisma|db|database|pool|client|sql|knex|supabase|tx|trx|conn|connection|drizzle|em|orm|repo|repository|store|kv|redis)$/i;
export const DRIZZLE_TABLE_FACTORIES = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'pgTableCreator']);
export const TENANT_KEYS = new Set([...DEFAULT_TENANT_KEYS, ...DEFAULT_TENANT_KEYS.map(snakeCase)]);

/** What a query reads or writes, and the filter it carries (keys present, helpers called, identifiers passed). */
type QueryWhat = Pick<QueryFact, 'orm' | 'target' | 'method' | 'sql'> & {
  keys?: Iterable<string>;
  helperCalls?: NameRef[];
  filterIdentifiers?: string[];
  /** The filter's entries (column → compared value), read for object-level access. */
  entries?: FilterEntry[];
  serviceRole?: boolean;
};

/**
 * A query fact at `node` (reported at `reported`, the end of a builder chain): what it is, plus where it
 * sits — its receiver, the factory that made it, the callbacks and function around it.
 */
function queryFact(ctx: Ctx, node: ts.Node, receiver: string, what: QueryWhat, reported: ts.Node = node): QueryFact {
  const factory = ctx.facts.callInits[receiver];
  const fn = enclosingFunction(ctx, node);
  const access =
    what.entries === undefined || what.entries.length === 0
      ? undefined
      : objectAccess(node, what.entries, requestValuesOf(ctx.sf, ctx.facts.directive === 'use server'), (f) =>
          functionId(ctx, f),
        );
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
    ...(access === undefined ? {} : { access }),
    ...(what.serviceRole === true ? { serviceRole: true } : {}),
  };
}

export function readPrismaQuery(
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
  const entries: FilterEntry[] = [];
  const arg = call.arguments[0];
  if (arg !== undefined && ts.isObjectLiteralExpression(arg)) {
    for (const property of arg.properties) {
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'where')
        objectFilterEntries(property.name, entries);
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      const key = property.name.text;
      if (key === 'where') objectFilterEntries(property.initializer, entries);
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
    entries,
  });
}

/** `db.select().from(posts).where(…)`, `db.update(posts).set(…).where(…)`, `db.delete(posts)`, `db.insert(posts).values(…)`. */
export function readDrizzleQuery(
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
  const entries: FilterEntry[] = [];
  // Walk outwards through the builder chain collecting .where(…) / .values(…).
  let current: ts.Node = call;
  while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent)) {
    const outer: ts.CallExpression = current.parent.parent;
    const name = current.parent.name.text;
    if (name === 'where')
      for (const arg of outer.arguments) {
        drizzleConditionKeys(arg, keys, helpers, identifiers);
        drizzleFilterEntries(arg, entries);
      }
    // `.values(newRow)`: a local object literal is read through objectInits by the check.
    if (name === 'values') for (const arg of outer.arguments) objectKeys(arg, keys, helpers, identifiers);
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
      entries,
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
export function readDrizzleRelationalQuery(
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
  const entries: FilterEntry[] = [];
  const arg = call.arguments[0];
  if (arg !== undefined && ts.isObjectLiteralExpression(arg)) {
    for (const property of arg.properties) {
      if (ts.isSpreadAssignment(property)) identifiers.push('<computed>');
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || property.name.text !== 'where')
        continue;
      // Nested `with: { lines: … }` reads go through the parent row's relation: the parent's filter scopes them.
      const where = property.initializer;
      if (ts.isObjectLiteralExpression(where)) {
        relationalObjectKeys(where, keys, identifiers);
        objectFilterEntries(where, entries);
      } else {
        drizzleConditionKeys(where, keys, helpers, identifiers);
        const body = ts.isArrowFunction(where) && !ts.isBlock(where.body) ? where.body : where;
        drizzleFilterEntries(body, entries);
      }
    }
  } else if (arg !== undefined) identifiers.push(ts.isIdentifier(arg) ? arg.text : '<computed>');
  return queryFact(ctx, call, receiver, {
    orm: 'drizzle-relational',
    target: { name: table.name.text },
    method,
    keys,
    helperCalls: helpers,
    filterIdentifiers: identifiers,
    entries,
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
  bound: readonly ts.Expression[] = [],
): QueryFact {
  // Bound values (`$1`, `${id}`): read for object-level access (a request id reaching the statement).
  const entries = bound.map((value, i) => ({ key: `$${String(i + 1)}`, value }));
  return queryFact(ctx, node, receiver, { orm: 'sql', target, method, sql, entries });
}

/** `pool.query('SELECT …', [id])`, `client.query({ text })`, `prisma.$queryRawUnsafe('…')`, `db.execute(query)`. */
export function readRawSqlCall(
  ctx: Ctx,
  call: ts.CallExpression,
  access: ts.PropertyAccessExpression,
): QueryFact | undefined {
  const method = access.name.text;
  if (!RAW_SQL_METHODS.has(method)) return undefined;
  const arg = call.arguments[0];
  // A tagged template argument is read where it stands (readSqlTemplate).
  if (arg === undefined || ts.isTaggedTemplateExpression(arg)) return undefined;
  const sql = argumentSql(ctx, arg);
  if (sql === undefined || !STATEMENT_START.test(sql)) return undefined;
  const receiver = rootIdentifier(access.expression) ?? '';
  const params = call.arguments[1];
  const bound = params !== undefined && ts.isArrayLiteralExpression(params) ? [...params.elements] : [];
  return rawSqlFact(ctx, call, sql, { name: receiver, member: method }, method, receiver, bound);
}

/** prisma.$queryRaw`…`, sql`…` of postgres.js/Neon/Vercel/Drizzle/Kysely, Prisma.sql`…` passed to a query. */
export function readSqlTemplate(ctx: Ctx, node: ts.TaggedTemplateExpression): QueryFact | undefined {
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
  const bound = ts.isTemplateExpression(node.template)
    ? node.template.templateSpans.map((part) => part.expression)
    : [];
  return rawSqlFact(ctx, node, sql, target, method, receiver, bound);
}

/** Supabase client queries and RPC calls, Mongoose/Sequelize by-id queries (object-level access only). */
export function readObjectQuery(ctx: Ctx, call: ts.CallExpression): QueryFact | undefined {
  const read = readSupabaseQuery(call) ?? readSupabaseRpc(call) ?? readModelQuery(call);
  if (read === undefined) return undefined;
  return queryFact(
    ctx,
    call,
    read.receiver,
    {
      orm: read.orm,
      target: { name: read.target },
      method: read.method,
      keys: read.keys,
      entries: read.entries,
      ...(read.serviceRole === true ? { serviceRole: true } : {}),
    },
    read.reported,
  );
}
