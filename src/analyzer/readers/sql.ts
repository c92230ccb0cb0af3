import { parse, type Statement } from 'pgsql-ast-parser';

/** One statement of a migration file, with where it starts (1-based line/column). */
export interface SqlStatement {
  text: string;
  line: number;
  column: number;
}

export interface SqlTable {
  schema: string;
  name: string;
  columns: string[];
  line: number;
  column: number;
  snippet: string;
}

export interface SqlPolicy {
  name: string;
  schema: string;
  table: string;
  command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  roles: string[];
  using?: string;
  withCheck?: string;
  permissive: boolean;
  line: number;
  column: number;
  snippet: string;
}

/** A `CREATE FUNCTION`: enough to judge who may call it and what it does. */
export interface SqlFunction {
  schema: string;
  name: string;
  /** Parameter names, in order (unnamed parameters are `$1`, `$2`…). */
  params: string[];
  /** The number of input parameters: with the name, what `DROP FUNCTION f(a, b)` identifies. */
  arity: number;
  returns: string;
  language: string;
  securityDefiner: boolean;
  orReplace: boolean;
  body: string;
  line: number;
  column: number;
  snippet: string;
}

export interface SqlTrigger {
  name: string;
  schema: string;
  table: string;
  timing: 'before' | 'after' | 'instead of';
  events: string[];
  /** `UPDATE OF a, b`: the trigger fires only when these columns are set. */
  columns: string[];
  functionSchema: string;
  functionName: string;
}

/** `GRANT`/`REVOKE` on tables or functions (schema and sequence privileges are not modelled). */
export interface SqlGrant {
  action: 'grant' | 'revoke';
  /** Lower-case privileges; `all` for ALL [PRIVILEGES]. */
  privileges: string[];
  /** Column-level privileges: `UPDATE (a, b)` → { update: [a, b] }. */
  columns: Record<string, string[]>;
  target:
    | { kind: 'table'; schema: string; name: string }
    | { kind: 'function'; schema: string; name: string; arity?: number }
    | { kind: 'all-tables' | 'all-functions'; schema: string };
  roles: string[];
}

export type SqlEvent =
  | { kind: 'create-table'; table: SqlTable; ifNotExists: boolean }
  | { kind: 'drop-table'; schema: string; name: string }
  | { kind: 'add-column'; schema: string; table: string; column: string }
  | { kind: 'drop-column'; schema: string; table: string; column: string }
  | {
      kind: 'alter-policy';
      schema: string;
      table: string;
      name: string;
      renameTo?: string;
      roles?: string[];
      using?: string;
      withCheck?: string;
    }
  | { kind: 'function'; fn: SqlFunction }
  | { kind: 'drop-function'; schema: string; name: string; arity?: number }
  | { kind: 'alter-function'; schema: string; name: string; arity?: number; securityDefiner: boolean }
  | { kind: 'trigger'; trigger: SqlTrigger }
  | { kind: 'drop-trigger'; schema: string; table: string; name: string }
  | { kind: 'grant'; grant: SqlGrant }
  | { kind: 'rls'; schema: string; name: string; action: 'enable' | 'disable' | 'force' | 'no force' }
  | { kind: 'policy'; policy: SqlPolicy }
  | { kind: 'drop-policy'; schema: string; table: string; name: string }
  | { kind: 'rename-table'; schema: string; name: string; to: string }
  /** `INSERT INTO storage.buckets (id, …, public) VALUES (…)`: `public` undefined when not given. */
  | { kind: 'bucket'; id: string; public?: boolean; onConflict: 'error' | 'nothing' | 'update' }
  /** `UPDATE storage.buckets SET public = … WHERE id|name = '…'`. */
  | { kind: 'bucket-public'; id: string; public: boolean };

export interface SqlFileModel {
  file: string;
  events: SqlEvent[];
  /** Statements neither pgsql-ast-parser nor the RLS/policy reader understood (reported as notes, never guessed). */
  unparsed: SqlStatement[];
}

/**
 * Splits SQL into statements on `;`, respecting quotes, dollar-quoted bodies (`$$ … $$`,
 * `$fn$ … $fn$`) and comments, so a function body is never cut in half.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    const raw = sql.slice(start, end);
    const body = stripComments(raw);
    const text = body.trim();
    if (text !== '') {
      const offset = start + (raw.length - body.length) + (body.length - body.trimStart().length);
      const before = sql.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      statements.push({ text, line, column });
    }
  };
  while (i < sql.length) {
    const char = sql[i];
    const next = sql[i + 1];
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (char === "'" || char === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === char && sql[i + 1] === char) i += 2;
        else if (sql[i] === char) break;
        else i++;
      }
      i++;
    } else if (char === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (tag === null) {
        i++;
        continue;
      }
      const end = sql.indexOf(tag[0], i + tag[0].length);
      i = end === -1 ? sql.length : end + tag[0].length;
    } else if (char === ';') {
      push(i);
      i++;
      start = i;
    } else {
      i++;
    }
  }
  push(sql.length);
  return statements;
}

function stripComments(sql: string): string {
  // Only leading comment lines matter for statement detection; bodies keep theirs.
  return sql.replace(/^(?:\s*--[^\n]*(?:\n|$)|\s*\/\*[\s\S]*?\*\/)+/, '');
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${IDENT})(?:\s*\.\s*(${IDENT}))?`;
const ALTER_RLS = new RegExp(
  String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${QUALIFIED}\s+(enable|disable|force|no\s+force)\s+row\s+level\s+security$`,
  'i',
);
const ALTER_RENAME = new RegExp(
  String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${QUALIFIED}\s+rename\s+to\s+(${IDENT})$`,
  'i',
);
const CREATE_POLICY = new RegExp(String.raw`^create\s+policy\s+(${IDENT})\s+on\s+${QUALIFIED}\s*([\s\S]*)$`, 'i');
const DROP_POLICY = new RegExp(String.raw`^drop\s+policy\s+(?:if\s+exists\s+)?(${IDENT})\s+on\s+${QUALIFIED}`, 'i');

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

function qualified(first: string, second: string | undefined): { schema: string; name: string } {
  return second === undefined
    ? { schema: 'public', name: unquote(first) }
    : { schema: unquote(first), name: unquote(second) };
}

/** The text inside the parentheses that start at `open` (which must be `(`). */
function balanced(text: string, open: number): string | undefined {
  const close = closingParen(text, open);
  return close === -1 ? undefined : text.slice(open + 1, close).trim();
}

/** The index of the `)` that closes the `(` at `open`, skipping quoted text; -1 when unbalanced. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === "'") {
      i = text.indexOf("'", i + 1);
      if (i === -1) return -1;
    } else if (char === '(') depth++;
    else if (char === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parsePolicyTail(tail: string): Pick<SqlPolicy, 'command' | 'roles' | 'using' | 'withCheck' | 'permissive'> {
  const result: Pick<SqlPolicy, 'command' | 'roles' | 'using' | 'withCheck' | 'permissive'> = {
    command: 'all',
    roles: ['public'],
    permissive: true,
  };
  const as = /^\s*as\s+(permissive|restrictive)\b/i.exec(tail);
  if (as !== null) result.permissive = as[1]?.toLowerCase() === 'permissive';
  const command = /\bfor\s+(all|select|insert|update|delete)\b/i.exec(tail);
  if (command !== null) result.command = (command[1] ?? 'all').toLowerCase() as SqlPolicy['command'];
  const roles = /\bto\s+([\s\S]+?)(?=\busing\b|\bwith\s+check\b|$)/i.exec(tail);
  if (roles !== null) {
    result.roles = (roles[1] ?? '')
      .split(',')
      .map((role) => unquote(role.trim()))
      .filter((role) => role !== '');
  }
  const using = /\busing\s*\(/i.exec(tail);
  if (using !== null) result.using = balanced(tail, using.index + using[0].length - 1);
  const check = /\bwith\s+check\s*\(/i.exec(tail);
  if (check !== null) result.withCheck = balanced(tail, check.index + check[0].length - 1);
  return result;
}

function fromAst(statement: Statement, source: SqlStatement): SqlEvent[] {
  if (statement.type === 'create table') {
    const columns = statement.columns.flatMap((column) => (column.kind === 'column' ? [column.name.name] : []));
    return [
      {
        kind: 'create-table',
        ifNotExists: statement.ifNotExists === true,
        table: {
          schema: statement.name.schema ?? 'public',
          name: statement.name.name,
          columns,
          line: source.line,
          column: source.column,
          snippet: source.text.split('\n')[0] ?? source.text,
        },
      },
    ];
  }
  if (statement.type === 'drop table')
    return statement.names.map((name) => ({ kind: 'drop-table', schema: name.schema ?? 'public', name: name.name }));
  return [];
}

const CREATE_TABLE = new RegExp(
  String.raw`^create\s+(?:(?:global\s+|local\s+)?(?:temp|temporary|unlogged)\s+)?table\s+(if\s+not\s+exists\s+)?${QUALIFIED}\s*\(`,
  'i',
);
const COLUMN_KEYWORDS = new Set(['constraint', 'primary', 'unique', 'check', 'foreign', 'exclude', 'like']);

/** The table a `CREATE TABLE` the Postgres parser refused declares, with the columns it lists. */
function createTableFallback(source: SqlStatement): SqlEvent | undefined {
  const text = stripInnerComments(source.text);
  const match = CREATE_TABLE.exec(text);
  if (match === null) return undefined;
  const { schema, name } = qualified(match[2] ?? '', match[3]);
  const body = balanced(text, match[0].length - 1) ?? '';
  const columns = splitTopLevel(body).flatMap((part) => {
    const first = /^\s*(\S+)/.exec(part)?.[1];
    if (first === undefined || COLUMN_KEYWORDS.has(first.toLowerCase())) return [];
    return [unquote(first)];
  });
  return {
    kind: 'create-table',
    ifNotExists: match[1] !== undefined,
    table: {
      schema,
      name,
      columns,
      line: source.line,
      column: source.column,
      snippet: source.text.split('\n')[0] ?? source.text,
    },
  };
}

function stripInnerComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Splits on commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      i = end === -1 ? text.length : end;
    } else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

const ALTER_TABLE = new RegExp(
  String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${QUALIFIED}\s+([\s\S]+)$`,
  'i',
);
const ALTER_POLICY = new RegExp(String.raw`^alter\s+policy\s+(${IDENT})\s+on\s+${QUALIFIED}\s*([\s\S]*)$`, 'i');
const CREATE_FUNCTION = new RegExp(
  String.raw`^create\s+(or\s+replace\s+)?(?:function|procedure)\s+${QUALIFIED}\s*\(`,
  'i',
);
const FUNCTION_REF = new RegExp(String.raw`${QUALIFIED}\s*(\()?`, 'iy');
const CREATE_TRIGGER = new RegExp(
  String.raw`^create\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger\s+(${IDENT})\s+(before|after|instead\s+of)\s+([\s\S]+?)\s+on\s+${QUALIFIED}\s[\s\S]*?\bexecute\s+(?:function|procedure)\s+${QUALIFIED}\s*\(`,
  'i',
);
const DROP_TRIGGER = new RegExp(String.raw`^drop\s+trigger\s+(?:if\s+exists\s+)?(${IDENT})\s+on\s+${QUALIFIED}`, 'i');
const GRANT =
  /^(grant|revoke)\s+(?:grant\s+option\s+for\s+)?([\s\S]+?)\s+on\s+([\s\S]+?)\s+(?:to|from)\s+([\s\S]+?)(?:\s+with\s+grant\s+option|\s+granted\s+by\s+\S+|\s+cascade|\s+restrict)*$/i;
const STATEMENT_START =
  /\b(?:create\s+(?:or\s+replace\s+)?(?:policy|trigger|function|table)|drop\s+(?:policy|trigger|function|table)|alter\s+(?:table|policy|function)|grant|revoke)\b/i;

/** Parameter names and the input arity of a parameter list (`a uuid, b int default 1, out c int`). */
function parameters(list: string): { params: string[]; arity: number } {
  const params: string[] = [];
  let arity = 0;
  for (const [index, raw] of splitTopLevel(list).entries()) {
    const part = raw.replace(/\s+(?:default\b|=)[\s\S]*$/i, '').trim();
    const mode = /^(in|out|inout|variadic)\s+/i.exec(part);
    if (mode?.[1]?.toLowerCase() !== 'out') arity++;
    const rest = mode === null ? part : part.slice(mode[0].length);
    const tokens = rest.split(/\s+/);
    params.push(
      tokens.length > 1 && !/^(?:double|character|bit|time|timestamp)$/i.test(tokens[0] ?? '')
        ? unquote(tokens[0] ?? '')
        : `$${String(index + 1)}`,
    );
  }
  return { params, arity };
}

function readFunction(statement: SqlStatement, text: string): SqlEvent | undefined {
  const match = CREATE_FUNCTION.exec(text);
  if (match === null) return undefined;
  const open = match[0].length - 1;
  const list = balanced(text, open) ?? '';
  const { schema, name } = qualified(match[2] ?? '', match[3]);
  let rest = text.slice(open + list.length + 2);
  let body = '';
  const dollar = /\bas\s+(\$[A-Za-z_]*\$)/i.exec(rest);
  if (dollar !== null) {
    const tag = dollar[1] ?? '$$';
    const start = dollar.index + dollar[0].length;
    const end = rest.indexOf(tag, start);
    body = rest.slice(start, end === -1 ? undefined : end);
    rest = rest.slice(0, dollar.index) + rest.slice(end === -1 ? rest.length : end + tag.length);
  } else {
    const quoted = /\bas\s+'((?:[^']|'')*)'/i.exec(rest);
    if (quoted !== null) {
      body = (quoted[1] ?? '').replace(/''/g, "'");
      rest = rest.slice(0, quoted.index) + rest.slice(quoted.index + quoted[0].length);
    }
  }
  const returns = /\breturns\s+(setof\s+\S+|table\s*\([^)]*\)|\S+)/i.exec(rest)?.[1] ?? 'void';
  const language = /\blanguage\s+'?([A-Za-z]+)'?/i.exec(rest)?.[1]?.toLowerCase() ?? 'sql';
  return {
    kind: 'function',
    fn: {
      schema,
      name,
      ...parameters(list),
      returns: returns.toLowerCase(),
      language,
      securityDefiner: /\bsecurity\s+definer\b/i.test(rest),
      orReplace: match[1] !== undefined,
      body,
      line: statement.line,
      column: statement.column,
      snippet: text.split('\n')[0] ?? text,
    },
  };
}

/** `f`, `s.f`, `f(uuid, int)`: a function reference in DROP/ALTER/GRANT. */
function functionRef(text: string, at = 0): { schema: string; name: string; arity?: number; end: number } | undefined {
  FUNCTION_REF.lastIndex = at;
  const match = FUNCTION_REF.exec(text);
  if (match === null) return undefined;
  const { schema, name } = qualified(match[1] ?? '', match[2]);
  if (match[3] === undefined) return { schema, name, end: match.index + match[0].length };
  const open = match.index + match[0].length - 1;
  const list = balanced(text, open) ?? '';
  return { schema, name, arity: splitTopLevel(list).length, end: open + list.length + 2 };
}

function readGrant(text: string): SqlEvent | undefined {
  const match = GRANT.exec(text);
  if (match === null) return undefined;
  const action = (match[1] ?? '').toLowerCase() as 'grant' | 'revoke';
  const privileges: string[] = [];
  const columns: Record<string, string[]> = {};
  for (const part of splitTopLevel(match[2] ?? '')) {
    const privilege = /^(\w+)(?:\s+privileges)?\s*(?:\(([^)]*)\))?$/i.exec(part);
    if (privilege === null) return undefined;
    const key = (privilege[1] ?? '').toLowerCase();
    if (privilege[2] === undefined) privileges.push(key);
    else columns[key] = privilege[2].split(',').map((column) => unquote(column.trim()));
  }
  const roles = splitTopLevel(match[4] ?? '').map((role) => unquote(role.replace(/^group\s+/i, '').trim()));
  const object = (match[3] ?? '').trim();
  const all = /^all\s+(tables|functions|routines|procedures)\s+in\s+schema\s+([\s\S]+)$/i.exec(object);
  if (all !== null) {
    const kind = (all[1] ?? '').toLowerCase() === 'tables' ? 'all-tables' : 'all-functions';
    return {
      kind: 'grant',
      grant: { action, privileges, columns, roles, target: { kind, schema: unquote((all[2] ?? '').trim()) } },
    };
  }
  const fn = /^(?:function|procedure|routine)\s+/i.exec(object);
  if (fn !== null) {
    const ref = functionRef(object, fn[0].length);
    if (ref === undefined) return undefined;
    return {
      kind: 'grant',
      grant: {
        action,
        privileges,
        columns,
        roles,
        target: {
          kind: 'function',
          schema: ref.schema,
          name: ref.name,
          ...(ref.arity === undefined ? {} : { arity: ref.arity }),
        },
      },
    };
  }
  if (/^(?:schema|sequence|all\s+sequences|database|type|domain|foreign|language|large|tablespace)\b/i.test(object))
    return undefined;
  const table = new RegExp(String.raw`^(?:table\s+)?${QUALIFIED}$`, 'i').exec(object);
  if (table === null) return undefined;
  return {
    kind: 'grant',
    grant: { action, privileges, columns, roles, target: { kind: 'table', ...qualified(table[1] ?? '', table[2]) } },
  };
}

/** `ALTER TABLE … ADD COLUMN …, DROP COLUMN …` (other actions are not modelled). */
function readAlterTable(text: string): SqlEvent[] {
  const match = ALTER_TABLE.exec(text);
  if (match === null) return [];
  const { schema, name } = qualified(match[1] ?? '', match[2]);
  const events: SqlEvent[] = [];
  for (const action of splitTopLevel(match[3] ?? '')) {
    const add = new RegExp(String.raw`^add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(${IDENT})\s+\S`, 'i').exec(action);
    if (add !== null && !/^add\s+(?:constraint|primary|unique|check|foreign|exclude)\b/i.test(action))
      events.push({ kind: 'add-column', schema, table: name, column: unquote(add[1] ?? '') });
    const drop = new RegExp(String.raw`^drop\s+(?:column\s+)?(?:if\s+exists\s+)?(${IDENT})`, 'i').exec(action);
    if (drop !== null && !/^drop\s+(?:constraint|default|not\s+null|identity|expression)\b/i.test(action))
      events.push({ kind: 'drop-column', schema, table: name, column: unquote(drop[1] ?? '') });
  }
  return events;
}

function readStatement(statement: SqlStatement, events: SqlEvent[], unparsed: SqlStatement[]): void {
  const text = statement.text.replace(/\s+/g, ' ');
  const rls = ALTER_RLS.exec(text);
  if (rls !== null) {
    const { schema, name } = qualified(rls[1] ?? '', rls[2]);
    const action = (rls[3] ?? '').toLowerCase().replace(/\s+/, ' ') as 'enable' | 'disable' | 'force' | 'no force';
    events.push({ kind: 'rls', schema, name, action });
    return;
  }
  const rename = ALTER_RENAME.exec(text);
  if (rename !== null) {
    const { schema, name } = qualified(rename[1] ?? '', rename[2]);
    events.push({ kind: 'rename-table', schema, name, to: unquote(rename[3] ?? '') });
    return;
  }
  const policy = CREATE_POLICY.exec(statement.text);
  if (policy !== null) {
    const { schema, name } = qualified(policy[2] ?? '', policy[3]);
    events.push({
      kind: 'policy',
      policy: {
        name: unquote(policy[1] ?? ''),
        schema,
        table: name,
        ...parsePolicyTail(policy[4] ?? ''),
        line: statement.line,
        column: statement.column,
        snippet: text,
      },
    });
    return;
  }
  const dropPolicy = DROP_POLICY.exec(text);
  if (dropPolicy !== null) {
    const { schema, name } = qualified(dropPolicy[2] ?? '', dropPolicy[3]);
    events.push({ kind: 'drop-policy', schema, table: name, name: unquote(dropPolicy[1] ?? '') });
    return;
  }
  const alterPolicy = ALTER_POLICY.exec(statement.text);
  if (alterPolicy !== null) {
    const { schema, name } = qualified(alterPolicy[2] ?? '', alterPolicy[3]);
    const tail = alterPolicy[4] ?? '';
    const renameTo = new RegExp(String.raw`^\s*rename\s+to\s+(${IDENT})`, 'i').exec(tail);
    const parsed = parsePolicyTail(tail);
    events.push({
      kind: 'alter-policy',
      schema,
      table: name,
      name: unquote(alterPolicy[1] ?? ''),
      ...(renameTo === null ? {} : { renameTo: unquote(renameTo[1] ?? '') }),
      ...(/\bto\s/i.test(tail) && renameTo === null ? { roles: parsed.roles } : {}),
      ...(parsed.using === undefined ? {} : { using: parsed.using }),
      ...(parsed.withCheck === undefined ? {} : { withCheck: parsed.withCheck }),
    });
    return;
  }
  if (/^create\s+(?:or\s+replace\s+)?(?:function|procedure)\b/i.test(text)) {
    const fn = readFunction(statement, statement.text);
    if (fn !== undefined) events.push(fn);
    return;
  }
  const dropFunction = /^drop\s+(?:function|procedure)\s+(?:if\s+exists\s+)?/i.exec(text);
  if (dropFunction !== null) {
    let at = dropFunction[0].length;
    for (;;) {
      const ref = functionRef(text, at);
      if (ref === undefined) break;
      events.push({
        kind: 'drop-function',
        schema: ref.schema,
        name: ref.name,
        ...(ref.arity === undefined ? {} : { arity: ref.arity }),
      });
      const comma = /^\s*,\s*/.exec(text.slice(ref.end));
      if (comma === null) break;
      at = ref.end + comma[0].length;
    }
    return;
  }
  const alterFunction = /^alter\s+(?:function|procedure)\s+/i.exec(text);
  if (alterFunction !== null) {
    const ref = functionRef(text, alterFunction[0].length);
    const security = /\bsecurity\s+(definer|invoker)\b/i.exec(text.slice(ref?.end ?? 0));
    if (ref !== undefined && security !== null)
      events.push({
        kind: 'alter-function',
        schema: ref.schema,
        name: ref.name,
        ...(ref.arity === undefined ? {} : { arity: ref.arity }),
        securityDefiner: (security[1] ?? '').toLowerCase() === 'definer',
      });
    return;
  }
  const trigger = CREATE_TRIGGER.exec(text);
  if (trigger !== null) {
    const { schema, name } = qualified(trigger[4] ?? '', trigger[5]);
    const fn = qualified(trigger[6] ?? '', trigger[7]);
    const eventText = (trigger[3] ?? '').toLowerCase();
    const of = /\bupdate\s+of\s+([\s\S]+?)(?=\s+or\b|$)/.exec(eventText);
    events.push({
      kind: 'trigger',
      trigger: {
        name: unquote(trigger[1] ?? ''),
        schema,
        table: name,
        timing: (trigger[2] ?? '').toLowerCase().replace(/\s+/, ' ') as SqlTrigger['timing'],
        events: [...eventText.matchAll(/\b(insert|update|delete|truncate)\b/g)].map((m) => m[1] ?? ''),
        columns: of === null ? [] : (of[1] ?? '').split(',').map((column) => unquote(column.trim())),
        functionSchema: fn.schema,
        functionName: fn.name,
      },
    });
    return;
  }
  const dropTrigger = DROP_TRIGGER.exec(text);
  if (dropTrigger !== null) {
    const { schema, name } = qualified(dropTrigger[2] ?? '', dropTrigger[3]);
    events.push({ kind: 'drop-trigger', schema, table: name, name: unquote(dropTrigger[1] ?? '') });
    return;
  }
  if (/^(?:grant|revoke)\s/i.test(text)) {
    const grant = readGrant(text);
    if (grant !== undefined) events.push(grant);
    return;
  }
  if (/^alter\s+table\s/i.test(text)) {
    events.push(...readAlterTable(stripInnerComments(statement.text).replace(/\s+/g, ' ').trim()));
    return;
  }
  if (/^(?:insert\s+into|update)\s+storage\s*\.\s*buckets\b/i.test(text)) {
    events.push(...readBuckets(stripInnerComments(statement.text).replace(/\s+/g, ' ').trim()));
    return;
  }
  if (/^do\s/i.test(text)) {
    readDoBlock(statement, events, unparsed);
    return;
  }
  if (!/^(?:create|drop)\s+(?:(?:global\s+|local\s+)?(?:temp|temporary|unlogged)\s+)?table\b/i.test(text)) return;
  try {
    for (const ast of parse(statement.text)) events.push(...fromAst(ast, statement));
  } catch {
    const fallback = /^create\b/i.test(text) ? createTableFallback(statement) : undefined;
    // Still a note: the columns are a best effort, but which table exists is not a guess.
    unparsed.push(statement);
    if (fallback !== undefined) events.push(fallback);
  }
}

const INSERT_BUCKETS = /^insert\s+into\s+storage\s*\.\s*buckets\s*\(([^)]*)\)\s*values\s*/i;
const UPDATE_BUCKETS =
  /^update\s+storage\s*\.\s*buckets\s+set\s+([\s\S]+?)\s+where\s+(?:\w+\s*\.\s*)?"?(?:id|name)"?\s*=\s*'([^']+)'\s*$/i;

/** Whether buckets are public: what `storage.objects` read policies add to (a public bucket is readable by URL anyway). */
function readBuckets(text: string): SqlEvent[] {
  const update = UPDATE_BUCKETS.exec(text);
  if (update !== null) {
    const flag = /(?:^|,)\s*"?public"?\s*=\s*(true|false)\b/i.exec(update[1] ?? '');
    return flag === null
      ? []
      : [{ kind: 'bucket-public', id: update[2] ?? '', public: flag[1]?.toLowerCase() === 'true' }];
  }
  const insert = INSERT_BUCKETS.exec(text);
  if (insert === null) return [];
  const columns = (insert[1] ?? '').split(',').map((column) => unquote(column.trim()));
  const idAt = columns.indexOf('id');
  const publicAt = columns.indexOf('public');
  const conflict = /\bon\s+conflict\b[\s\S]*?\bdo\s+(nothing|update)\b([\s\S]*)$/i.exec(text);
  const onConflict =
    conflict === null
      ? 'error'
      : conflict[1]?.toLowerCase() === 'nothing' || !/\bpublic\s*=/i.test(conflict[2] ?? '')
        ? 'nothing'
        : 'update';
  const events: SqlEvent[] = [];
  let at = insert[0].length;
  while (text[at] === '(') {
    const close = closingParen(text, at);
    if (close === -1) break;
    const values = splitTopLevel(text.slice(at + 1, close));
    const id = /^'([^']*)'$/.exec(values[idAt] ?? '')?.[1];
    const flag = /^(true|false)$/i.exec(values[publicAt] ?? '')?.[1];
    if (id !== undefined)
      events.push({
        kind: 'bucket',
        id,
        ...(flag === undefined ? {} : { public: flag.toLowerCase() === 'true' }),
        onConflict,
      });
    at = close + 1;
    at += /^\s*,?\s*/.exec(text.slice(at))?.[0].length ?? 0;
  }
  return events;
}

/**
 * `DO $$ BEGIN … END $$`: the DDL inside runs like any other statement (migrations wrap
 * `CREATE POLICY` in `IF NOT EXISTS` blocks), so it is read in order; `IF`/`BEGIN` prefixes are
 * skipped and dynamic SQL (`EXECUTE '…'`) is not guessed at.
 */
function readDoBlock(statement: SqlStatement, events: SqlEvent[], unparsed: SqlStatement[]): void {
  const dollar = /\$[A-Za-z_]*\$/.exec(statement.text);
  if (dollar === null) return;
  const start = dollar.index + dollar[0].length;
  const end = statement.text.indexOf(dollar[0], start);
  const body = statement.text.slice(start, end === -1 ? undefined : end);
  const bodyLine = statement.line + statement.text.slice(0, start).split('\n').length - 1;
  for (const inner of splitStatements(body)) {
    const masked = inner.text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
    const begin = STATEMENT_START.exec(masked);
    if (begin === null) continue;
    const before = inner.text.slice(0, begin.index);
    const code = stripInnerComments(before);
    // Dynamic SQL (`EXECUTE '…'`) and text inside a string literal are not statements.
    if (/\bexecute\s*(?:format\s*\()?\s*'?$/i.test(code) || (code.match(/'/g)?.length ?? 0) % 2 === 1) continue;
    const line = bodyLine + inner.line - 1 + before.split('\n').length - 1;
    readStatement({ text: inner.text.slice(begin.index), line, column: 1 }, events, unparsed);
  }
}

/** Reads the tables, RLS switches, policies, functions, triggers and grants a migration file declares, in order. */
export function readSqlFile(file: string, sql: string): SqlFileModel {
  const events: SqlEvent[] = [];
  const unparsed: SqlStatement[] = [];
  for (const statement of splitStatements(sql)) readStatement(statement, events, unparsed);
  return { file, events, unparsed };
}
