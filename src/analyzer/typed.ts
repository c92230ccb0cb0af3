import { relative, resolve } from 'node:path';

import { Project, ts } from 'ts-morph';

import type { FileError } from '../catalog/finding.js';
import { toPosix } from '../discovery/files.js';
import { isFunctionLike } from './facts-context.js';
import type { TsConfigUnit, TsProject } from './tsconfig.js';
import type { CallFact, FileFacts, FunctionFact, FunctionTarget, HandlerRef, QueryFact } from './types.js';

/**
 * Packages whose clients read or write data: a call on a value of one of their types is data access,
 * whatever the variable is called (`this.orders.find()` on a Mongo collection, `repo.pool.query()`).
 */
const DATA_PACKAGES = [
  '@prisma/client',
  '.prisma/client',
  'pg',
  'pg-pool',
  'postgres',
  'drizzle-orm',
  'kysely',
  'knex',
  'mysql2',
  'better-sqlite3',
  'mongodb',
  'mongoose',
  'typeorm',
  'sequelize',
  'redis',
  'ioredis',
  '@redis/client',
  '@supabase/supabase-js',
  '@supabase/postgrest-js',
  '@electric-sql/pglite',
  '@neondatabase/serverless',
  '@vercel/postgres',
  '@planetscale/database',
  '@libsql/client',
  '@upstash/redis',
];

/** Type names of clients bound to one tenant (the generated `TenantScopedDb`, and the usual spellings). */
const TENANT_SCOPED_TYPE =
  /^(?:Tenant(?:Scoped)?(?:Db|Database|Client|Tx|Transaction|Prisma|Queryable)|Scoped(?:Db|Client))$/;

/** Compiler options when the project has no tsconfig: read JavaScript too, resolve like a bundler. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
};

export interface TypedOptions {
  root: string;
  /** The project's facts (relative path → facts). They are read, never changed: the facts cache holds them. */
  facts: ReadonlyMap<string, FileFacts>;
  texts: ReadonlyMap<string, string>;
  tsProject?: TsProject;
}

/** What the type checker says, asked by the linker only for what a check needs (`--types`). */
export interface TypeOracle {
  /** The calls in `fn`, with the project function each one reaches when the checker knows it. */
  calls(file: string, fn: FunctionFact): readonly CallFact[];
  /** `fn` calls a method on a data client, known by its type (`this.warehouse.query()` on a pg Pool). */
  dataAccess(file: string, fn: FunctionFact): boolean;
  /** The project function a route handler or middleware reference is (`orders.remove`). */
  handler(file: string, handler: HandlerRef): FunctionTarget | undefined;
  /** What the receiver of a query is by type. */
  query(file: string, query: QueryFact): QueryFact['typed'];
  /** Programs that could not be built (the checks then ran on names alone for those files). */
  readonly errors: FileError[];
  /** How many answers the checker gave (for the benchmark). */
  readonly resolved: number;
}

/** Per file: the compiler's source file and its nodes by start offset, built on first use. */
interface FileIndex {
  functions: Map<number, ts.FunctionLikeDeclaration>;
  calls: Map<number, ts.CallExpression[]>;
  expressions: Map<number, ts.Expression[]>;
}

interface Program {
  program: ts.Program;
  checker: ts.TypeChecker;
  resolver: TargetResolver;
}

/**
 * `--types`: a ts-morph Project per tsconfig unit, built on the first question about one of its
 * files, whose type checker answers what names cannot: which method a call on an object reaches
 * (`this.auth.requireUser(req)`, `controller.list`), which package a receiver's type comes from (data
 * access whatever the variable is called), whether a query's receiver is a tenant-scoped client, and
 * whether a "Prisma delegate" is the project's own object. The linker asks only about the functions a
 * check follows (route handlers, their helpers, queries on tenant models), so a large code base pays
 * for the program and those answers, not for resolving every call in it.
 */
export function createTypeOracle(options: TypedOptions): TypeOracle {
  return new CheckerOracle(options);
}

class CheckerOracle implements TypeOracle {
  readonly errors: FileError[] = [];
  resolved = 0;
  readonly #options: TypedOptions;
  readonly #programs = new Map<TsConfigUnit | undefined, Program | null>();
  readonly #indexes = new Map<string, FileIndex | null>();
  readonly #calls = new Map<FunctionFact, readonly CallFact[]>();
  readonly #data = new Map<FunctionFact, boolean>();
  readonly #answers = new Map<ts.CallExpression, { target: FunctionTarget | undefined; data: boolean }>();

  constructor(options: TypedOptions) {
    this.#options = options;
  }

  calls(file: string, fn: FunctionFact): readonly CallFact[] {
    const known = this.#calls.get(fn);
    if (known !== undefined) return known;
    this.#walk(file, fn);
    return this.#calls.get(fn) ?? fn.calls;
  }

  dataAccess(file: string, fn: FunctionFact): boolean {
    if (fn.dataAccess) return true;
    if (!this.#data.has(fn)) this.#walk(file, fn);
    return this.#data.get(fn) ?? false;
  }

  handler(file: string, handler: HandlerRef): FunctionTarget | undefined {
    if ((handler.kind !== 'ref' && handler.kind !== 'call') || handler.offset === undefined) return undefined;
    const found = this.#file(file);
    if (found === undefined) return undefined;
    const expression = (found.index.expressions.get(handler.offset) ?? []).find(
      (e) => calleeRoot(e) === handler.ref.name,
    );
    if (expression === undefined) return undefined;
    // For a call (`requireRole('admin')`), the widest name at the offset is the callee itself.
    const declaration = found.program.resolver.declarationOf(outermost(expression));
    const target = declaration === undefined ? undefined : found.program.resolver.functionTarget(declaration);
    if (target !== undefined) this.resolved++;
    return target;
  }

  query(file: string, query: QueryFact): QueryFact['typed'] {
    const found = this.#file(file);
    const call = found?.index.calls.get(query.offset)?.[0];
    if (found === undefined || call === undefined) return undefined;
    const typed = queryTypes(query, call, found.program.checker, found.program.resolver);
    if (typed !== undefined) this.resolved++;
    return typed;
  }

  /** Asks the checker about every call in `fn` once, and records its calls and data access. */
  #walk(file: string, fn: FunctionFact): void {
    this.#calls.set(fn, fn.calls);
    this.#data.set(fn, fn.dataAccess);
    const found = this.#file(file);
    const node = found?.index.functions.get(fn.start);
    if (found === undefined || node?.body === undefined) return;
    const { resolver, checker } = found.program;
    const sf = node.getSourceFile();
    const byOffset = new Map(fn.calls.map((call) => [call.offset, call]));
    const calls: CallFact[] = fn.calls.map((call) => ({ ...call }));
    const copies = new Map(calls.map((call) => [call.offset, call]));
    let data = fn.dataAccess;
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child)) {
        // A call inside nested functions belongs to each of them: ask the checker once.
        let answer = this.#answers.get(child);
        if (answer === undefined) {
          const declaration = resolver.declarationOf(child.expression);
          answer = {
            target: declaration === undefined ? undefined : resolver.functionTarget(declaration),
            data:
              ts.isPropertyAccessExpression(child.expression) && receiverIsData(child.expression.expression, checker),
          };
          this.#answers.set(child, answer);
          if (answer.target !== undefined) this.resolved++;
        }
        if (answer.data) data = true;
        if (answer.target !== undefined) {
          const offset = child.getStart(sf);
          const existing = byOffset.get(offset);
          if (existing !== undefined && existing.callee.name === calleeRoot(child.expression)) {
            const copy = copies.get(offset);
            if (copy !== undefined) copy.target = answer.target;
          }
          // A call the syntax pass could not name (`this.auth.requireUser(req)`, `deps.orders.list()`); the
          // callee is kept as written, which never resolves by name.
          else
            calls.push({ callee: { name: child.expression.getText(sf).slice(0, 80) }, offset, target: answer.target });
        }
      }
      ts.forEachChild(child, visit);
    };
    visit(node.body);
    this.#calls.set(fn, calls);
    this.#data.set(fn, data);
  }

  #file(file: string): { program: Program; index: FileIndex } | undefined {
    const unit = this.#unitOf(file);
    const program = this.#program(unit);
    if (program === undefined) return undefined;
    let index = this.#indexes.get(file);
    if (index === undefined) {
      const sf = program.program.getSourceFile(resolve(this.#options.root, file));
      index = sf === undefined ? null : indexFile(sf);
      this.#indexes.set(file, index);
    }
    return index === null ? undefined : { program, index };
  }

  #unitOf(file: string): TsConfigUnit | undefined {
    const project = this.#options.tsProject;
    return project?.owner.get(resolve(this.#options.root, file)) ?? project?.units[0];
  }

  #program(unit: TsConfigUnit | undefined): Program | undefined {
    const known = this.#programs.get(unit);
    if (known !== undefined) return known ?? undefined;
    const { root, facts, texts } = this.#options;
    try {
      const project = new Project({
        compilerOptions: { ...(unit?.options ?? DEFAULT_OPTIONS), allowJs: true, noEmit: true },
        skipAddingFilesFromTsConfig: true,
      });
      for (const file of facts.keys()) {
        if (this.#unitOf(file) !== unit) continue;
        const absolute = resolve(root, file);
        const text = texts.get(absolute) ?? texts.get(file);
        if (text === undefined) project.addSourceFileAtPath(absolute);
        else project.createSourceFile(absolute, text, { overwrite: true });
      }
      const program = project.getProgram().compilerObject;
      const checker = program.getTypeChecker();
      const built: Program = { program, checker, resolver: new TargetResolver(root, facts, checker) };
      this.#programs.set(unit, built);
      return built;
    } catch (error) {
      this.#programs.set(unit, null);
      this.errors.push({
        file: unit === undefined ? 'tsconfig.json' : toPosix(relative(root, unit.configFile)),
        message: `Type-aware analysis (--types) could not build the program, so these files were checked by names alone: ${error instanceof Error ? error.message : String(error)}`,
      });
      return undefined;
    }
  }
}

function indexFile(sf: ts.SourceFile): FileIndex {
  const index: FileIndex = { functions: new Map(), calls: new Map(), expressions: new Map() };
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) index.functions.set(node.getStart(sf), node);
    if (ts.isCallExpression(node)) push(index.calls, node.getStart(sf), node);
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) push(index.expressions, node.getStart(sf), node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return index;
}

/** Maps checker declarations to the analyzer's function facts. */
class TargetResolver {
  readonly #root: string;
  readonly #facts: ReadonlyMap<string, FileFacts>;
  readonly #checker: ts.TypeChecker;
  readonly #byStart = new Map<string, Map<number, FunctionFact>>();

  constructor(root: string, facts: ReadonlyMap<string, FileFacts>, checker: ts.TypeChecker) {
    this.#root = root;
    this.#facts = facts;
    this.#checker = checker;
  }

  /** The declaration a callee or reference expression names, through import aliases. */
  declarationOf(expression: ts.Expression): ts.Declaration | undefined {
    const node = ts.isPropertyAccessExpression(expression) ? expression.name : expression;
    let symbol = this.#checker.getSymbolAtLocation(node);
    if (symbol === undefined) return undefined;
    if ((symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = this.#checker.getAliasedSymbol(symbol);
    return symbol.valueDeclaration ?? symbol.declarations?.[0];
  }

  /** The project function a declaration is (a function, a method, a const or property holding one). */
  functionTarget(declaration: ts.Declaration): FunctionTarget | undefined {
    let fn: ts.Node | undefined = declaration;
    if (
      (ts.isVariableDeclaration(declaration) ||
        ts.isPropertyAssignment(declaration) ||
        ts.isPropertyDeclaration(declaration)) &&
      declaration.initializer !== undefined
    )
      fn = skipWrappers(declaration.initializer);
    if (
      fn === undefined ||
      !(
        ts.isFunctionDeclaration(fn) ||
        ts.isMethodDeclaration(fn) ||
        ts.isFunctionExpression(fn) ||
        ts.isArrowFunction(fn)
      )
    )
      return undefined;
    const sf = fn.getSourceFile();
    const file = this.#relative(sf.fileName);
    if (file === undefined) return undefined;
    const fact = this.#functionAt(file, fn.getStart(sf));
    return fact === undefined ? undefined : { file, id: fact.id };
  }

  /** A file the project's own code is written in (read by the analyzer; generated clients are not). */
  isProjectFile(fileName: string): boolean {
    return this.#relative(fileName) !== undefined && !/(?:^|\/)generated\//.test(toPosix(fileName));
  }

  #relative(fileName: string): string | undefined {
    const rel = toPosix(relative(this.#root, fileName));
    return this.#facts.has(rel) ? rel : undefined;
  }

  #functionAt(file: string, start: number): FunctionFact | undefined {
    let index = this.#byStart.get(file);
    if (index === undefined) {
      index = new Map();
      for (const fn of this.#facts.get(file)?.functions ?? []) if (!index.has(fn.start)) index.set(fn.start, fn);
      this.#byStart.set(file, index);
    }
    return index.get(start);
  }
}

function skipWrappers(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current))
    current = current.expression;
  return current;
}

/**
 * The package a declaration file belongs to: `…/node_modules/@scope/name/…` → `@scope/name`,
 * `…/node_modules/.prisma/client/…` → `.prisma/client`, and DefinitelyTyped's `@types/pg` → `pg`
 * (`@types/scope__name` → `@scope/name`).
 */
export function packageOf(fileName: string): string | undefined {
  const parts = fileName.split(/[\\/]/);
  const index = parts.lastIndexOf('node_modules');
  if (index === -1) return undefined;
  const first = parts[index + 1];
  if (first === undefined) return undefined;
  if (!first.startsWith('@') && first !== '.prisma') return first;
  const second = parts[index + 2];
  if (second === undefined) return undefined;
  if (first === '@types') return second.includes('__') ? `@${second.replace('__', '/')}` : second;
  return `${first}/${second}`;
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The widest identifier/property-access chain starting at `expression` (`a` → `a.b.c` in `a.b.c`). */
function outermost(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current)
    current = current.parent;
  return current;
}

function calleeRoot(expression: ts.Expression): string {
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) current = current.expression;
  return current.kind === ts.SyntaxKind.ThisKeyword ? 'this' : ts.isIdentifier(current) ? current.text : '';
}

/** The package that declares a value's type, when it is a data client (`Pool`, `PrismaClient`, a Mongo collection). */
function receiverIsData(receiver: ts.Expression, checker: ts.TypeChecker): boolean {
  const type = checker.getTypeAtLocation(receiver);
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  for (const declaration of symbol?.declarations ?? []) {
    const module = packageOf(declaration.getSourceFile().fileName);
    if (module !== undefined && DATA_PACKAGES.includes(module)) return true;
  }
  return false;
}

/** What the checker says of a query's receiver: a tenant-scoped client, or not an ORM at all. */
function queryTypes(
  query: QueryFact,
  call: ts.CallExpression,
  checker: ts.TypeChecker,
  resolver: TargetResolver,
): QueryFact['typed'] {
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const receiver = call.expression.expression;
  const result: NonNullable<QueryFact['typed']> = {};
  let current: ts.Expression = receiver;
  for (let depth = 0; depth < 6; depth++) {
    const type = checker.getTypeAtLocation(current);
    const names = [type.aliasSymbol?.name, type.getSymbol()?.name].filter((n): n is string => n !== undefined);
    const scoped = names.find((name) => TENANT_SCOPED_TYPE.test(name));
    if (scoped !== undefined) {
      result.tenantScope = scoped;
      break;
    }
    if (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current)) current = current.expression;
    else break;
  }
  if (query.orm === 'prisma') {
    // `repo.order.findMany()` where `order` is the project's own object (a repository that adds the
    // tenant filter itself) is a call into project code, followed like any other call, not a Prisma query.
    const type = checker.getTypeAtLocation(receiver);
    const declarations = (type.getSymbol() ?? type.aliasSymbol)?.declarations ?? [];
    if (
      declarations.length > 0 &&
      declarations.every((declaration) => resolver.isProjectFile(declaration.getSourceFile().fileName))
    )
      result.notOrm = true;
  }
  return result.tenantScope === undefined && result.notOrm !== true ? undefined : result;
}
