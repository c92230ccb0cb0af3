/**
 * The database as the migrations leave it: every migration replayed in order into one model of
 * tables, row level security, policies, functions, triggers and privileges. Checks judge this
 * final state, never a single migration on its own — a policy a later migration drops is gone, a
 * `CREATE TABLE IF NOT EXISTS` does not reset a table an earlier migration protected.
 */
import type { SqlFileModel, SqlFunction, SqlGrant, SqlPolicy, SqlTable, SqlTrigger } from './readers/sql.js';

/** The roles a browser reaches PostgREST with; `public` is every role. */
export const CLIENT_ROLES: ReadonlySet<string> = new Set(['anon', 'authenticated', 'public']);

export interface PolicyState extends SqlPolicy {
  /** The migration that created the policy (where a finding points). */
  file: string;
}

export interface TableState {
  schema: string;
  name: string;
  /** Where the table was created; undefined for a table only referenced (created outside the migrations). */
  declared?: { file: string; table: SqlTable };
  columns: Set<string>;
  rls: boolean;
  forceRls: boolean;
  policies: Map<string, PolicyState>;
  triggers: Map<string, SqlTrigger>;
  /** Table-level privileges per role, starting from Supabase's defaults (all to anon/authenticated). */
  privileges: Map<string, Set<string>>;
  /** Column-level grants per role and privilege: `GRANT UPDATE (a, b) ON t TO authenticated`. */
  columnGrants: Map<string, Map<string, Set<string>>>;
}

export interface FunctionState extends SqlFunction {
  file: string;
  /** Roles holding EXECUTE: PUBLIC by Postgres default, anon/authenticated by Supabase's default privileges. */
  executors: Set<string>;
}

const DEFAULT_TABLE_PRIVILEGES = ['select', 'insert', 'update', 'delete'];
const DEFAULT_ROLES = ['anon', 'authenticated', 'service_role'];

function key(schema: string, name: string): string {
  return `${schema}.${name}`;
}

export class SchemaState {
  readonly tables = new Map<string, TableState>();
  /** Functions by `schema.name`; overloads are told apart by arity. */
  readonly functions = new Map<string, FunctionState[]>();
  /** Storage buckets the migrations create, by id, and whether their files are public by URL. */
  readonly buckets = new Map<string, { public: boolean }>();

  /** Replays the migrations in the order given (the model sorts them by file name). */
  static replay(files: readonly SqlFileModel[]): SchemaState {
    const state = new SchemaState();
    for (const file of files) for (const event of file.events) state.#apply(file.file, event);
    return state;
  }

  table(schema: string, name: string): TableState | undefined {
    return this.tables.get(key(schema, name));
  }

  /** The function a trigger or a policy names (the first overload when several exist). */
  function(schema: string, name: string): FunctionState | undefined {
    return this.functions.get(key(schema, name))?.[0];
  }

  /** The roles that may call a function, counting PUBLIC as every client role. */
  static callableByClients(fn: FunctionState): boolean {
    return [...fn.executors].some((role) => CLIENT_ROLES.has(role));
  }

  /** Whether `role` (or PUBLIC) may use `privilege` on the table — on the table or on some columns. */
  static granted(table: TableState, role: string, privilege: string): 'table' | 'columns' | false {
    for (const holder of [role, 'public']) if (table.privileges.get(holder)?.has(privilege) === true) return 'table';
    for (const holder of [role, 'public'])
      if ((table.columnGrants.get(holder)?.get(privilege)?.size ?? 0) > 0) return 'columns';
    return false;
  }

  #tableOrStub(schema: string, name: string): TableState {
    const existing = this.tables.get(key(schema, name));
    if (existing !== undefined) return existing;
    const stub = newTable(schema, name);
    this.tables.set(key(schema, name), stub);
    return stub;
  }

  #apply(file: string, event: SqlFileModel['events'][number]): void {
    switch (event.kind) {
      case 'create-table': {
        const { table } = event;
        const existing = this.tables.get(key(table.schema, table.name));
        // CREATE TABLE IF NOT EXISTS on an existing table is a no-op: RLS and policies stay.
        if (existing?.declared !== undefined && event.ifNotExists) return;
        const state = existing ?? newTable(table.schema, table.name);
        state.declared = { file, table };
        for (const column of table.columns) state.columns.add(column);
        this.tables.set(key(table.schema, table.name), state);
        return;
      }
      case 'drop-table':
        this.tables.delete(key(event.schema, event.name));
        return;
      case 'rename-table': {
        const state = this.tables.get(key(event.schema, event.name));
        if (state === undefined) return;
        this.tables.delete(key(event.schema, event.name));
        state.name = event.to;
        this.tables.set(key(event.schema, event.to), state);
        return;
      }
      case 'add-column':
        this.#tableOrStub(event.schema, event.table).columns.add(event.column);
        return;
      case 'drop-column':
        this.tables.get(key(event.schema, event.table))?.columns.delete(event.column);
        return;
      case 'rls': {
        const state = this.#tableOrStub(event.schema, event.name);
        if (event.action === 'enable' || event.action === 'disable') state.rls = event.action === 'enable';
        else state.forceRls = event.action === 'force';
        return;
      }
      case 'policy': {
        const table = this.#tableOrStub(event.policy.schema, event.policy.table);
        // CREATE POLICY on a name the table already has fails in Postgres ("policy … already exists"):
        // the first definition stands until a DROP POLICY (migrations that repeat themselves, DO blocks
        // guarded by IF NOT EXISTS).
        if (table.policies.has(event.policy.name)) return;
        table.policies.set(event.policy.name, { ...event.policy, file });
        return;
      }
      case 'drop-policy':
        this.tables.get(key(event.schema, event.table))?.policies.delete(event.name);
        return;
      case 'alter-policy': {
        const table = this.tables.get(key(event.schema, event.table));
        const policy = table?.policies.get(event.name);
        if (table === undefined || policy === undefined) return;
        if (event.roles !== undefined) policy.roles = event.roles;
        if (event.using !== undefined) policy.using = event.using;
        if (event.withCheck !== undefined) policy.withCheck = event.withCheck;
        if (event.renameTo !== undefined) {
          table.policies.delete(event.name);
          policy.name = event.renameTo;
          table.policies.set(event.renameTo, policy);
        }
        return;
      }
      case 'function': {
        const { fn } = event;
        const overloads = this.functions.get(key(fn.schema, fn.name)) ?? [];
        const index = overloads.findIndex((other) => other.arity === fn.arity);
        // CREATE OR REPLACE keeps the privileges of the function it replaces.
        const executors =
          index === -1 ? new Set(['public', ...DEFAULT_ROLES]) : (overloads[index]?.executors ?? new Set());
        const next: FunctionState = { ...fn, file, executors };
        if (index === -1) overloads.push(next);
        else overloads[index] = next;
        this.functions.set(key(fn.schema, fn.name), overloads);
        return;
      }
      case 'drop-function': {
        const overloads = this.functions.get(key(event.schema, event.name));
        if (overloads === undefined) return;
        const rest = event.arity === undefined ? [] : overloads.filter((fn) => fn.arity !== event.arity);
        if (rest.length === 0) this.functions.delete(key(event.schema, event.name));
        else this.functions.set(key(event.schema, event.name), rest);
        return;
      }
      case 'alter-function':
        for (const fn of this.#functionsMatching(event.schema, event.name, event.arity))
          fn.securityDefiner = event.securityDefiner;
        return;
      case 'trigger':
        this.#tableOrStub(event.trigger.schema, event.trigger.table).triggers.set(event.trigger.name, event.trigger);
        return;
      case 'drop-trigger':
        this.tables.get(key(event.schema, event.table))?.triggers.delete(event.name);
        return;
      case 'grant':
        this.#grant(event.grant);
        return;
      case 'bucket': {
        const existing = this.buckets.get(event.id);
        if (existing !== undefined && event.onConflict !== 'update') return;
        // A bucket is private unless created public (storage.buckets.public defaults to false).
        this.buckets.set(event.id, { public: event.public ?? existing?.public ?? false });
        return;
      }
      case 'bucket-public':
        this.buckets.set(event.id, { public: event.public });
        return;
    }
  }

  #functionsMatching(schema: string, name: string, arity: number | undefined): FunctionState[] {
    const overloads = this.functions.get(key(schema, name)) ?? [];
    return arity === undefined ? overloads : overloads.filter((fn) => fn.arity === arity);
  }

  #grant(grant: SqlGrant): void {
    const { target } = grant;
    const give = grant.action === 'grant';
    if (target.kind === 'function' || target.kind === 'all-functions') {
      if (!grant.privileges.some((privilege) => privilege === 'execute' || privilege === 'all')) return;
      const functions =
        target.kind === 'function'
          ? this.#functionsMatching(target.schema, target.name, target.arity)
          : [...this.functions.values()].flat().filter((fn) => fn.schema === target.schema);
      for (const fn of functions)
        for (const role of grant.roles) {
          if (give) fn.executors.add(role);
          else fn.executors.delete(role);
        }
      return;
    }
    const tables =
      target.kind === 'table'
        ? [this.#tableOrStub(target.schema, target.name)]
        : [...this.tables.values()].filter((table) => table.schema === target.schema);
    const privileges = grant.privileges.flatMap((privilege) =>
      privilege === 'all' ? [...DEFAULT_TABLE_PRIVILEGES, 'truncate', 'references', 'trigger'] : [privilege],
    );
    for (const table of tables)
      for (const role of grant.roles) {
        const held = table.privileges.get(role) ?? new Set<string>();
        table.privileges.set(role, held);
        const columns = table.columnGrants.get(role) ?? new Map<string, Set<string>>();
        table.columnGrants.set(role, columns);
        for (const privilege of privileges) {
          if (give) held.add(privilege);
          else {
            held.delete(privilege);
            // Revoking a table privilege also revokes it on every column.
            columns.delete(privilege);
          }
        }
        for (const [privilege, names] of Object.entries(grant.columns)) {
          const set = columns.get(privilege) ?? new Set<string>();
          for (const name of names) {
            if (give) set.add(name);
            else set.delete(name);
          }
          columns.set(privilege, set);
        }
      }
  }
}

function newTable(schema: string, name: string): TableState {
  return {
    schema,
    name,
    columns: new Set(),
    rls: false,
    forceRls: false,
    policies: new Map(),
    triggers: new Map(),
    privileges: new Map(DEFAULT_ROLES.map((role) => [role, new Set(DEFAULT_TABLE_PRIVILEGES)])),
    columnGrants: new Map(),
  };
}

/**
 * Every function of the final state that API clients may reach: those of a Supabase project, or of
 * any project that configures its exposed schemas.
 */
export function* apiFunctions(state: SchemaState, exposedSchemasConfigured: boolean): Generator<FunctionState> {
  for (const overloads of state.functions.values())
    for (const fn of overloads) if (exposedSchemasConfigured || /(?:^|\/)supabase\//.test(fn.file)) yield fn;
}

/** The schema state of a project's migrations, computed once per model. */
const CACHE = new WeakMap<readonly SqlFileModel[], SchemaState>();
export function schemaState(files: readonly SqlFileModel[]): SchemaState {
  let state = CACHE.get(files);
  if (state === undefined) {
    state = SchemaState.replay(files);
    CACHE.set(files, state);
  }
  return state;
}
