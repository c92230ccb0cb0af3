import { ts } from 'ts-morph';

import { objectFilterEntries, type FilterEntry } from './request-values.js';

/**
 * Queries of data layers other than Prisma, Drizzle and SQL text, read for object-level access:
 * the Supabase client (`supabase.from('posts').update(…).eq('id', id)`), Mongoose and Sequelize
 * by-id calls (`Post.findByIdAndDelete(id)`, `Post.findByPk(id)`).
 */
export interface ObjectQuery {
  orm: 'supabase' | 'model';
  /** The Supabase table or the model variable (`Post`). */
  target: string;
  method: string;
  receiver: string;
  entries: FilterEntry[];
  /** Filter/data keys present (`.eq('user_id', …)` gives `user_id`). */
  keys: string[];
  /** The node the finding is reported at (the end of the builder chain). */
  reported: ts.Node;
  serviceRole?: boolean;
}

const SUPABASE_VERBS = new Set(['select', 'update', 'delete', 'upsert', 'insert']);
const SUPABASE_FILTERS = new Set(['eq', 'in', 'match', 'is', 'filter', 'contains']);
/** Names and callees that make a Supabase client with the service-role key (RLS bypassed). */
const SERVICE_ROLE = /service_?role|servicerole|service_?key|admin/i;
/** Mongoose/Sequelize calls whose first argument is the row id. */
const BY_ID_METHODS = new Set(['findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove', 'findByPk']);
const MODEL_FILTER_METHODS = new Set(['findOne', 'findOneAndUpdate', 'findOneAndDelete', 'deleteOne', 'updateOne']);

function rootName(node: ts.Expression): string | undefined {
  let current = node;
  for (;;) {
    if (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isNonNullExpression(current))
      current = current.expression;
    else if (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current)) current = current.expression;
    else break;
  }
  return ts.isIdentifier(current) ? current.text : undefined;
}

/** Whether the client `name` (used at `at`) is made with the service-role key. */
function serviceRoleClient(name: string, at: ts.Node): boolean {
  if (SERVICE_ROLE.test(name)) return true;
  for (let scope: ts.Node | undefined = at.parent; scope !== undefined; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer)
          return SERVICE_ROLE.test(declaration.initializer.getText());
    }
  }
  return clientParameter(name, at) && onlyServiceRoleClients(at.getSourceFile());
}

/** `name` is a parameter of a function around `at` (`async function handleList(supabase, body)`). */
function clientParameter(name: string, at: ts.Node): boolean {
  for (let node: ts.Node | undefined = at.parent; node !== undefined; node = node.parent)
    if (
      (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) &&
      node.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)
    )
      return true;
  return false;
}

const ONLY_SERVICE_ROLE = new WeakMap<ts.SourceFile, boolean>();

/**
 * Every Supabase client the file makes uses the service-role key: a client its helpers receive as a
 * parameter can only be that one.
 */
function onlyServiceRoleClients(sf: ts.SourceFile): boolean {
  const known = ONLY_SERVICE_ROLE.get(sf);
  if (known !== undefined) return known;
  let made = 0;
  let privileged = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'createClient') {
      made += 1;
      if (node.arguments.some((arg) => SERVICE_ROLE.test(arg.getText(sf)))) privileged += 1;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const result = made > 0 && privileged === made;
  ONLY_SERVICE_ROLE.set(sf, result);
  return result;
}

/** `x.from('table')` with a string table name, read out along its builder chain. */
export function readSupabaseQuery(call: ts.CallExpression): ObjectQuery | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'from') return undefined;
  const [table] = call.arguments;
  if (table === undefined || !ts.isStringLiteralLike(table) || call.arguments.length !== 1) return undefined;
  const receiver = rootName(callee.expression);
  if (receiver === undefined) return undefined;
  let method = 'select';
  const entries: FilterEntry[] = [];
  const keys = new Set<string>();
  let current: ts.Node = call;
  while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent)) {
    const outer: ts.CallExpression = current.parent.parent;
    const name = current.parent.name.text;
    if (SUPABASE_VERBS.has(name) && method === 'select') method = name;
    if (name === 'match')
      for (const entry of objectFilterEntries(outer.arguments[0])) {
        entries.push(entry);
        keys.add(entry.key);
      }
    else if (SUPABASE_FILTERS.has(name)) {
      const [column, value] = outer.arguments;
      if (column !== undefined && ts.isStringLiteralLike(column)) {
        keys.add(column.text);
        if (value !== undefined && (name === 'eq' || name === 'in')) entries.push({ key: column.text, value });
      }
    } else if (name === 'or') keys.add('<or>');
    current = outer;
  }
  return {
    orm: 'supabase',
    target: table.text,
    method,
    receiver,
    entries,
    keys: [...keys],
    reported: current,
    ...(serviceRoleClient(receiver, call) ? { serviceRole: true } : {}),
  };
}

/**
 * `supabase.rpc('match_items', { file_ids: ids })`: a Postgres function called through PostgREST. The
 * target is the function; its named arguments are the entries (read for object-level access).
 */
export function readSupabaseRpc(call: ts.CallExpression): ObjectQuery | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'rpc') return undefined;
  const [name, args] = call.arguments;
  if (name === undefined || !ts.isStringLiteralLike(name) || args === undefined) return undefined;
  const receiver = rootName(callee.expression);
  if (receiver === undefined) return undefined;
  const entries = objectFilterEntries(args);
  if (entries.length === 0) return undefined;
  return {
    orm: 'supabase',
    target: name.text,
    method: 'rpc',
    receiver,
    entries,
    keys: entries.map((entry) => entry.key),
    reported: call,
    ...(serviceRoleClient(receiver, call) ? { serviceRole: true } : {}),
  };
}

/** `Post.findById(id)`, `Post.findByPk(id)`, `Post.findOneAndDelete({ _id: id })` on a capitalised model. */
export function readModelQuery(call: ts.CallExpression): ObjectQuery | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const model = callee.expression.text;
  if (!/^[A-Z]/.test(model)) return undefined;
  const method = callee.name.text;
  const [first] = call.arguments;
  if (first === undefined) return undefined;
  let entries: FilterEntry[];
  if (BY_ID_METHODS.has(method)) entries = [{ key: 'id', value: first }];
  else if (MODEL_FILTER_METHODS.has(method) && ts.isObjectLiteralExpression(first))
    entries = objectFilterEntries(first);
  else return undefined;
  return {
    orm: 'model',
    target: model,
    method,
    receiver: model,
    entries,
    keys: entries.map((entry) => entry.key),
    reported: call,
  };
}
