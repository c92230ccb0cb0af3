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

export type SqlEvent =
  | { kind: 'create-table'; table: SqlTable }
  | { kind: 'drop-table'; schema: string; name: string }
  | { kind: 'rls'; schema: string; name: string; action: 'enable' | 'disable' | 'force' | 'no force' }
  | { kind: 'policy'; policy: SqlPolicy }
  | { kind: 'drop-policy'; schema: string; table: string; name: string }
  | { kind: 'rename-table'; schema: string; name: string; to: string };

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
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === "'") {
      i = text.indexOf("'", i + 1);
      if (i === -1) return undefined;
    } else if (char === '(') depth++;
    else if (char === ')') {
      depth--;
      if (depth === 0) return text.slice(open + 1, i).trim();
    }
  }
  return undefined;
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

function fromAst(statement: Statement, source: SqlStatement): SqlEvent | undefined {
  if (statement.type === 'create table') {
    const columns = statement.columns.flatMap((column) => (column.kind === 'column' ? [column.name.name] : []));
    return {
      kind: 'create-table',
      table: {
        schema: statement.name.schema ?? 'public',
        name: statement.name.name,
        columns,
        line: source.line,
        column: source.column,
        snippet: source.text.split('\n')[0] ?? source.text,
      },
    };
  }
  if (statement.type === 'drop table') {
    const [first] = statement.names;
    if (first !== undefined) return { kind: 'drop-table', schema: first.schema ?? 'public', name: first.name };
  }
  return undefined;
}

/** Reads the tables, RLS switches and policies a migration file creates, in order. */
export function readSqlFile(file: string, sql: string): SqlFileModel {
  const events: SqlEvent[] = [];
  const unparsed: SqlStatement[] = [];
  for (const statement of splitStatements(sql)) {
    const text = statement.text.replace(/\s+/g, ' ');
    const rls = ALTER_RLS.exec(text);
    if (rls !== null) {
      const { schema, name } = qualified(rls[1] ?? '', rls[2]);
      const action = (rls[3] ?? '').toLowerCase().replace(/\s+/, ' ') as 'enable' | 'disable' | 'force' | 'no force';
      events.push({ kind: 'rls', schema, name, action });
      continue;
    }
    const rename = ALTER_RENAME.exec(text);
    if (rename !== null) {
      const { schema, name } = qualified(rename[1] ?? '', rename[2]);
      events.push({ kind: 'rename-table', schema, name, to: unquote(rename[3] ?? '') });
      continue;
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
      continue;
    }
    const dropPolicy = DROP_POLICY.exec(text);
    if (dropPolicy !== null) {
      const { schema, name } = qualified(dropPolicy[2] ?? '', dropPolicy[3]);
      events.push({ kind: 'drop-policy', schema, table: name, name: unquote(dropPolicy[1] ?? '') });
      continue;
    }
    if (!/^(?:create|drop)\s+table\b/i.test(text)) continue;
    try {
      for (const ast of parse(statement.text)) {
        const event = fromAst(ast, statement);
        if (event !== undefined) events.push(event);
      }
    } catch {
      unparsed.push(statement);
    }
  }
  return { file, events, unparsed };
}
