import { createRequire } from 'node:module';

import type * as PgsqlAst from 'pgsql-ast-parser';
import type { Expr, ExprRef, From, SelectStatement, Statement } from 'pgsql-ast-parser';

/**
 * Which tables a SQL statement reads or changes, and whether each tenant-scoped one is held to a
 * tenant: read from the AST of the real Postgres grammar (pgsql-ast-parser), never from the text.
 */

/** What the project knows about a table. */
export interface SqlTableInfo {
  /** The tenant column as the database names it; undefined for tables that are not tenant-scoped. */
  tenantColumn?: string;
  /** Column names (any spelling); undefined when they are not known. */
  columns?: readonly string[];
}

export type SqlTableLookup = (schema: string | undefined, name: string) => SqlTableInfo | undefined;

export type SqlStatementKind = 'select' | 'insert' | 'update' | 'delete';

export interface SqlTableUse {
  schema?: string;
  table: string;
  statement: SqlStatementKind;
  tenantColumn?: string;
  /**
   * The rows are held to a tenant: the tenant column is compared with a value in an AND-chain (or
   * equal to a column that is), the INSERT sets it, or the row is joined by key to such a row.
   */
  scoped: boolean;
  /** A condition the analysis cannot see into (`WHERE ${filter}`, `WHERE can_read(o.org_id)`). */
  opaque: boolean;
  /** Read only to compute a filter value (`org_id IN (SELECT org_id FROM members WHERE …)`). */
  feedsFilter: boolean;
}

export type SqlReading = { parsed: false } | { parsed: true; uses: SqlTableUse[] };

const require = createRequire(import.meta.url);
let parser: typeof PgsqlAst | undefined;

/** Parsed texts (null: rejected): the same query text recurs across files and runs of one process. */
const PARSED = new Map<string, readonly Statement[] | null>();
const PARSED_LIMIT = 10_000;

/** The grammar is large and slow (about 2 ms a statement): it loads on the first statement to read and parses each text once. */
function parseSql(text: string): readonly Statement[] | undefined {
  const known = PARSED.get(text);
  if (known !== undefined) return known ?? undefined;
  parser ??= require('pgsql-ast-parser') as typeof PgsqlAst;
  let statements: Statement[] | null;
  try {
    statements = parser.parse(text);
  } catch {
    statements = null;
  }
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(text, statements);
  return statements ?? undefined;
}

const NESTED_STATEMENT_TYPES: ReadonlySet<string> = new Set([
  'select',
  'union',
  'union all',
  'values',
  'with',
  'with recursive',
]);

type ColumnNode = string;

interface Occurrence {
  schema?: string;
  table: string;
  statement: SqlStatementKind;
  info?: SqlTableInfo;
  /** Tenant rows: the tenant column is constrained, or the rows are children of such rows. */
  anchored: boolean;
  /** Anchored, or a parent row referenced by a scoped row. */
  scoped: boolean;
  opaque: boolean;
  feedsFilter: boolean;
}

interface Source {
  alias: string;
  /** true/false when the source's columns are known, undefined when not. */
  has(column: string): boolean | undefined;
  output(column: string): ColumnNode[];
  /** The column node belongs to a row of this source. */
  owns(node: ColumnNode): boolean;
}

interface Scope {
  sources: Source[];
  parent?: Scope;
  ctes: ReadonlyMap<string, Output>;
}

interface Output {
  output(column: string): ColumnNode[];
  /** The nodes of the first selected column (what `x IN (SELECT …)` compares with). */
  first?: () => ColumnNode[];
  names?: ReadonlySet<string>;
}

interface Resolved {
  nodes: ColumnNode[];
  local: boolean;
}

function norm(column: string): string {
  return column.toLowerCase().replace(/_/g, '');
}

function nodeOf(occurrence: number, column: string): ColumnNode {
  return `${String(occurrence)}\u0000${norm(column)}`;
}

function splitNode(node: ColumnNode): [number, string] {
  const at = node.indexOf('\u0000');
  return [Number(node.slice(0, at)), node.slice(at + 1)];
}

/** The conjuncts of an AND-chain; anything under OR/NOT stays one opaque conjunct. */
function conjuncts(expr: Expr | null | undefined): Expr[] {
  if (expr === null || expr === undefined) return [];
  if (expr.type === 'binary' && expr.op === 'AND') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNestedStatement(value: Record<string, unknown>): boolean {
  return typeof value.type === 'string' && NESTED_STATEMENT_TYPES.has(value.type);
}

/** Nested SELECTs in an expression (not looking inside them). */
function nestedStatements(value: unknown, found: SelectStatement[] = []): SelectStatement[] {
  if (Array.isArray(value)) {
    for (const item of value) nestedStatements(item, found);
  } else if (isRecord(value)) {
    if (isNestedStatement(value)) found.push(value as unknown as SelectStatement);
    else for (const child of Object.values(value)) nestedStatements(child, found);
  }
  return found;
}

/** Column references of an expression outside nested statements, plus qualified references a nested statement makes to outer tables. */
function freeRefs(value: unknown, refs: ExprRef[] = []): ExprRef[] {
  if (Array.isArray(value)) {
    for (const item of value) freeRefs(item, refs);
  } else if (isRecord(value)) {
    if (isNestedStatement(value)) {
      const inner = new Set<string>();
      const qualified: ExprRef[] = [];
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) for (const item of node) visit(item);
        else if (isRecord(node)) {
          if (node.type === 'table' && isRecord(node.name)) {
            const name = node.name as { name?: unknown; alias?: unknown };
            if (typeof name.alias === 'string') inner.add(name.alias);
            else if (typeof name.name === 'string') inner.add(name.name);
          }
          if (node.type === 'statement' && typeof node.alias === 'string') inner.add(node.alias);
          if (node.type === 'ref' && isRecord(node.table)) qualified.push(node as unknown as ExprRef);
          for (const child of Object.values(node)) visit(child);
        }
      };
      visit(value);
      for (const ref of qualified) if (ref.table !== undefined && !inner.has(ref.table.name)) refs.push(ref);
    } else if (value.type === 'ref') {
      const ref = value as unknown as ExprRef;
      if (ref.name !== '*') refs.push(ref);
    } else for (const child of Object.values(value)) freeRefs(child, refs);
  }
  return refs;
}

class StatementReader {
  readonly occurrences: Occurrence[] = [];
  /** Columns compared with a value. */
  readonly values = new Set<ColumnNode>();
  /** `from` constrained ⇒ `to` constrained (both directions for plain equalities). */
  readonly edges: [ColumnNode, ColumnNode][] = [];
  readonly #lookup: SqlTableLookup;

  constructor(lookup: SqlTableLookup) {
    this.#lookup = lookup;
  }

  #occurrence(schema: string | undefined, table: string, statement: SqlStatementKind): number {
    const info = this.#lookup(schema, table);
    this.occurrences.push({
      ...(schema === undefined ? {} : { schema }),
      table,
      statement,
      ...(info === undefined ? {} : { info }),
      anchored: false,
      scoped: false,
      opaque: false,
      feedsFilter: false,
    });
    return this.occurrences.length - 1;
  }

  #tableSource(occurrence: number, alias: string): Source {
    const info = this.occurrences[occurrence]?.info;
    return {
      alias,
      has: (column) => {
        if (info?.columns !== undefined) return info.columns.some((c) => norm(c) === norm(column));
        if (info?.tenantColumn !== undefined && norm(info.tenantColumn) === norm(column)) return true;
        return undefined;
      },
      output: (column) => [nodeOf(occurrence, column)],
      owns: (node) => splitNode(node)[0] === occurrence,
    };
  }

  /** A subquery or CTE in FROM; its rows are those of the occurrences in [first, end). */
  #derivedSource(alias: string, output: Output, first: number, end: number): Source {
    return {
      alias,
      has: (column) => (output.names === undefined ? undefined : output.names.has(norm(column))),
      output: (column) => output.output(column),
      owns: (node) => {
        const occurrence = splitNode(node)[0];
        return occurrence >= first && occurrence < end;
      },
    };
  }

  statement(statement: Statement, parent: Scope | undefined, ctes: ReadonlyMap<string, Output>): Output {
    switch (statement.type) {
      case 'select':
      case 'union':
      case 'union all':
      case 'values':
      case 'with':
      case 'with recursive':
        return this.select(statement, parent, ctes);
      case 'insert': {
        const target = this.#occurrence(statement.into.schema, statement.into.name, 'insert');
        const occurrence = this.occurrences[target];
        const tenant = occurrence?.info?.tenantColumn;
        // Without a column list every column is given, the tenant's included.
        if (
          occurrence !== undefined &&
          (statement.columns === null ||
            statement.columns === undefined ||
            (tenant !== undefined && statement.columns.some((c) => norm(c.name) === norm(tenant))))
        ) {
          occurrence.anchored = true;
          occurrence.scoped = true;
        }
        this.select(statement.insert, parent, ctes);
        return { output: () => [] };
      }
      case 'update':
      case 'delete': {
        const table = statement.type === 'update' ? statement.table : statement.from;
        const scope: Scope = { sources: [], ctes, ...(parent === undefined ? {} : { parent }) };
        const first = this.occurrences.length;
        const target = this.#occurrence(table.schema, table.name, statement.type);
        scope.sources.push(this.#tableSource(target, table.alias ?? table.name));
        const pool: Expr[] = [];
        if (statement.type === 'update') {
          if (statement.from !== null && statement.from !== undefined) this.#from([statement.from], scope, ctes, pool);
          for (const set of statement.sets) this.#nested(set.value, scope);
        }
        this.#conditions([...pool, ...conjuncts(statement.where)], scope, first);
        return { output: () => [] };
      }
      default:
        return { output: () => [] };
    }
  }

  select(
    statement: SelectStatement,
    parent: Scope | undefined,
    ctes: ReadonlyMap<string, Output>,
    exists?: { outer: Scope },
  ): Output {
    if (statement.type === 'union' || statement.type === 'union all') {
      const left = this.select(statement.left, parent, ctes);
      const right = this.select(statement.right, parent, ctes);
      return {
        output: (column) => [...left.output(column), ...right.output(column)],
        first: () => [...(left.first?.() ?? []), ...(right.first?.() ?? [])],
      };
    }
    if (statement.type === 'values') {
      for (const row of statement.values) for (const value of row) this.#nested(value, parent);
      return { output: () => [] };
    }
    if (statement.type === 'with') {
      const bound = new Map(ctes);
      for (const binding of statement.bind)
        bound.set(binding.alias.name, this.statement(binding.statement, parent, bound));
      return this.statement(statement.in, parent, bound);
    }
    if (statement.type === 'with recursive') {
      const bound = new Map(ctes);
      bound.set(statement.alias.name, { output: () => [] });
      this.select(statement.bind, parent, bound);
      return this.statement(statement.in, parent, bound);
    }
    if (statement.type !== 'select') return { output: () => [] };
    const scope: Scope = { sources: [], ctes, ...(parent === undefined ? {} : { parent }) };
    const first = this.occurrences.length;
    const pool: Expr[] = [];
    this.#from(statement.from ?? [], scope, ctes, pool);
    const where = [...pool, ...conjuncts(statement.where), ...conjuncts(statement.having)];
    const localValues = this.#conditions(where, scope, first, exists);
    if (exists !== undefined && localValues.size > 0) {
      // EXISTS (SELECT … FROM members m WHERE m.user_id = $1 AND m.org_id = o.org_id): like o.org_id IN (…).
      for (const node of localValues) this.values.add(node);
    }
    for (const column of statement.columns ?? []) this.#nested(column.expr, scope);
    for (const expr of statement.groupBy ?? []) this.#nested(expr, scope);
    for (const order of statement.orderBy ?? []) this.#nested(order.by, scope);
    const columns = statement.columns ?? [];
    const names = new Set<string>();
    let star = false;
    for (const column of columns) {
      if (column.expr.type === 'ref' && column.expr.name === '*') star = true;
      else if (column.alias !== undefined) names.add(norm(column.alias.name));
      else if (column.expr.type === 'ref') names.add(norm(column.expr.name));
    }
    return {
      ...(star ? {} : { names }),
      first: () => {
        const expr = columns[0]?.expr;
        const inner = expr?.type === 'cast' ? expr.operand : expr;
        return inner?.type === 'ref' && inner.name !== '*' ? (this.#resolve(scope, inner, false)?.nodes ?? []) : [];
      },
      output: (column) => {
        const nodes: ColumnNode[] = [];
        for (const selected of columns) {
          const expr = selected.expr;
          if (expr.type === 'ref' && expr.name === '*') {
            const found =
              expr.table === undefined
                ? this.#resolve(scope, { type: 'ref', name: column }, false)
                : this.#resolve(scope, { type: 'ref', table: expr.table, name: column }, false);
            nodes.push(...(found?.nodes ?? []));
          } else if (norm(selected.alias?.name ?? (expr.type === 'ref' ? expr.name : '')) === norm(column)) {
            const inner = expr.type === 'cast' ? expr.operand : expr;
            if (inner.type === 'ref') nodes.push(...(this.#resolve(scope, inner, false)?.nodes ?? []));
          }
        }
        return nodes;
      },
    };
  }

  #from(items: readonly From[], scope: Scope, ctes: ReadonlyMap<string, Output>, pool: Expr[]): void {
    for (const item of items) {
      let source: Source;
      if (item.type === 'table') {
        const cte = item.name.schema === undefined ? ctes.get(item.name.name) : undefined;
        if (cte !== undefined) source = this.#derivedSource(item.name.alias ?? item.name.name, cte, 0, 0);
        else {
          const occurrence = this.#occurrence(item.name.schema, item.name.name, 'select');
          source = this.#tableSource(occurrence, item.name.alias ?? item.name.name);
        }
      } else if (item.type === 'statement') {
        const start = this.occurrences.length;
        const output = this.select(item.statement, item.lateral === true ? scope : scope.parent, ctes);
        source = this.#derivedSource(item.alias, output, start, this.occurrences.length);
      } else {
        for (const arg of item.args) this.#nested(arg, scope);
        source = {
          alias: item.alias?.name ?? item.function.name,
          has: () => undefined,
          output: () => [],
          owns: () => false,
        };
      }
      const before = [...scope.sources];
      scope.sources.push(source);
      const join = item.join;
      if (join === null || join === undefined) continue;
      if (join.type === 'INNER JOIN' || join.type === 'CROSS JOIN') pool.push(...conjuncts(join.on));
      else if (join.type === 'LEFT JOIN')
        this.#conditions(conjuncts(join.on), scope, this.occurrences.length, undefined, [source]);
      else if (join.type === 'RIGHT JOIN')
        this.#conditions(conjuncts(join.on), scope, this.occurrences.length, undefined, before);
      else for (const expr of conjuncts(join.on)) this.#nested(expr, scope);
      for (const name of join.using ?? []) {
        const left = this.#resolveIn(before, name.name);
        const right = source.output(name.name);
        if (left === undefined) continue;
        const into = join.type === 'LEFT JOIN' ? 'right' : join.type === 'RIGHT JOIN' ? 'left' : 'both';
        for (const a of left)
          for (const b of right) {
            if (into !== 'left') this.edges.push([a, b]);
            if (into !== 'right') this.edges.push([b, a]);
          }
      }
    }
  }

  #resolveIn(sources: readonly Source[], column: string): ColumnNode[] | undefined {
    const known = sources.filter((s) => s.has(column) === true);
    if (known.length === 1) return known[0]?.output(column);
    const unknown = sources.filter((s) => s.has(column) === undefined);
    if (known.length === 0 && unknown.length === 1) return unknown[0]?.output(column);
    return undefined;
  }

  #resolve(scope: Scope | undefined, ref: ExprRef, outward = true): Resolved | undefined {
    let local = true;
    for (let current = scope; current !== undefined; current = outward ? current.parent : undefined) {
      if (ref.table !== undefined) {
        const source = current.sources.find((s) => s.alias === ref.table?.name);
        if (source !== undefined) return { nodes: source.output(ref.name), local };
      } else {
        const known = current.sources.filter((s) => s.has(ref.name) === true);
        if (known.length > 1) return undefined;
        const unknown = current.sources.filter((s) => s.has(ref.name) === undefined);
        if (known.length === 1 && known[0] !== undefined) return { nodes: known[0].output(ref.name), local };
        if (unknown.length === 1 && unknown[0] !== undefined) return { nodes: unknown[0].output(ref.name), local };
        if (unknown.length > 1) return undefined;
      }
      local = false;
    }
    return undefined;
  }

  /** The column nodes an operand names (`o.org_id`, `org_id::text`), or undefined when it is no column. */
  #columnOf(expr: Expr, scope: Scope): Resolved | undefined {
    const inner = expr.type === 'cast' ? expr.operand : expr;
    if (inner.type !== 'ref' || inner.name === '*') return undefined;
    return this.#resolve(scope, inner) ?? { nodes: [], local: true };
  }

  /** No column of this or an outer query: a parameter, literal, function of those, or uncorrelated subquery. */
  #isValue(expr: Expr): boolean {
    return freeRefs(expr).length === 0;
  }

  /** Reads an AND-chain; returns the value-compared columns of outer queries (for EXISTS). */
  #conditions(
    exprs: readonly Expr[],
    scope: Scope,
    first: number,
    exists?: { outer: Scope },
    only?: readonly Source[],
  ): Set<ColumnNode> {
    const allowed = (node: ColumnNode): boolean => only === undefined || only.some((source) => source.owns(node));
    let localValue = false;
    const outerLinks: ColumnNode[] = [];
    for (const expr of exprs) {
      if (expr.type === 'parameter' || (expr.type === 'call' && expr.function.name.toLowerCase() !== 'exists')) {
        // `WHERE ${filter}` or `WHERE can_read(…)`: a condition built elsewhere may hold the tenant.
        for (let i = first; i < this.occurrences.length; i++) {
          const occurrence = this.occurrences[i];
          if (occurrence !== undefined) occurrence.opaque = true;
        }
        this.#nested(expr, scope);
        continue;
      }
      if (expr.type === 'call') {
        for (const arg of expr.args)
          if (isRecord(arg) && isNestedStatement(arg as unknown as Record<string, unknown>))
            this.select(arg as unknown as SelectStatement, scope, scope.ctes, { outer: scope });
        continue;
      }
      if (expr.type === 'binary' && (expr.op === '=' || expr.op === 'IN')) {
        const left = this.#columnOf(expr.left, scope);
        const right = expr.op === '=' ? this.#columnOf(expr.right, scope) : undefined;
        if (left !== undefined && right !== undefined) {
          for (const a of left.nodes)
            for (const b of right.nodes) {
              if (allowed(b)) this.edges.push([a, b]);
              if (allowed(a)) this.edges.push([b, a]);
            }
          if (exists !== undefined && left.local !== right.local)
            outerLinks.push(...(left.local ? right.nodes : left.nodes));
          continue;
        }
        const column = left ?? right;
        const other = left !== undefined ? expr.right : expr.left;
        if (column !== undefined && this.#isValue(other)) {
          for (const node of column.nodes) if (allowed(node)) this.values.add(node);
          if (column.local) localValue = true;
          const start = this.occurrences.length;
          if (isNestedStatement(other as unknown as Record<string, unknown>)) {
            // `o.order_id IN (SELECT id FROM orders WHERE org_id = $1)`: a semi-join, so a key link like a JOIN.
            const inner = this.select(other as unknown as SelectStatement, scope, scope.ctes);
            for (const a of column.nodes)
              for (const b of inner.first?.() ?? []) {
                this.edges.push([b, a]);
                if (allowed(a)) this.edges.push([a, b]);
              }
          } else this.#nested(other, scope);
          for (let i = start; i < this.occurrences.length; i++) {
            const occurrence = this.occurrences[i];
            if (occurrence !== undefined) occurrence.feedsFilter = true;
          }
          continue;
        }
      }
      this.#nested(expr, scope);
    }
    return localValue ? new Set(outerLinks) : new Set();
  }

  /** Nested SELECTs anywhere in an expression are reads of their own. */
  #nested(expr: unknown, scope: Scope | undefined): void {
    for (const statement of nestedStatements(expr)) this.select(statement, scope, scope?.ctes ?? new Map());
  }

  /** Propagates constraints to a fixed point and returns the uses. */
  finish(): SqlTableUse[] {
    const constrained = new Set(this.values);
    const edges = this.edges;
    let changed = true;
    while (changed) {
      changed = false;
      for (const [from, to] of edges)
        if (constrained.has(from) && !constrained.has(to)) {
          constrained.add(to);
          changed = true;
        }
      this.occurrences.forEach((occurrence, index) => {
        const tenant = occurrence.info?.tenantColumn;
        if (!occurrence.anchored && tenant !== undefined && constrained.has(nodeOf(index, tenant))) {
          occurrence.anchored = true;
          occurrence.scoped = true;
          changed = true;
        }
      });
      // Key joins: `child.parent_id = parent.id`. A scoped child reaches its parent; an anchored parent's
      // children are the tenant's too. A parent reached only through a child does not scope its other children.
      for (const [from, to] of edges) {
        const [a, aColumn] = splitNode(from);
        const [b, bColumn] = splitNode(to);
        if (a === b) continue;
        const source = this.occurrences[a];
        const target = this.occurrences[b];
        if (source === undefined || target === undefined || !source.scoped) continue;
        const parentIsTarget = bColumn === 'id';
        const childIsTarget = aColumn === 'id';
        if (parentIsTarget && !target.scoped) {
          target.scoped = true;
          changed = true;
        }
        if (childIsTarget && source.anchored && !target.anchored) {
          target.anchored = true;
          target.scoped = true;
          changed = true;
        }
      }
    }
    return this.occurrences.map((occurrence) => ({
      ...(occurrence.schema === undefined ? {} : { schema: occurrence.schema }),
      table: occurrence.table,
      statement: occurrence.statement,
      ...(occurrence.info?.tenantColumn === undefined ? {} : { tenantColumn: occurrence.info.tenantColumn }),
      scoped: occurrence.scoped,
      opaque: occurrence.opaque,
      feedsFilter: occurrence.feedsFilter,
    }));
  }
}

/**
 * Reads the tables every statement in `text` reads or changes (FROM, JOIN, subqueries, CTEs,
 * UPDATE, DELETE, INSERT) and whether each is held to a tenant. Text the Postgres grammar does not
 * accept (a dynamic fragment, another dialect) is `{ parsed: false }`: nothing is guessed.
 */
export function readSqlQuery(text: string, lookup: SqlTableLookup): SqlReading {
  const statements = parseSql(text);
  if (statements === undefined) return { parsed: false };
  const uses: SqlTableUse[] = [];
  try {
    for (const statement of statements) {
      const reader = new StatementReader(lookup);
      reader.statement(statement, undefined, new Map());
      uses.push(...reader.finish());
    }
  } catch {
    // An AST shape this reader does not know must not stop the whole analysis: nothing is guessed.
    return { parsed: false };
  }
  return { parsed: true, uses };
}
