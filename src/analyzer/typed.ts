import { relative, resolve } from 'node:path';

import { Project, ts } from 'ts-morph';

import type { FileError } from '../catalog/finding.js';
import { toPosix } from '../check/files.js';
import { isFunctionLike } from './facts.js';
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
  /** The project's facts (relative path → facts); the result holds copies, the input is not changed. */
  facts: ReadonlyMap<string, FileFacts>;
  texts: ReadonlyMap<string, string>;
  tsProject?: TsProject;
}

export interface TypedResult {
  facts: Map<string, FileFacts>;
  errors: FileError[];
  /** Calls, handlers and query receivers the checker resolved (for the report and the benchmark). */
  resolved: number;
}

/**
 * `--types`: builds a ts-morph Project (one program per tsconfig unit) and lets the type checker
 * answer what names cannot: which method a call on an object reaches (`this.auth.requireUser(req)`,
 * `controller.list`), which package a receiver's type comes from (data access whatever the variable
 * is called), whether a query's receiver is a tenant-scoped client, and whether a "Prisma delegate"
 * is the project's own object. The answers are added to copies of the syntactic facts; the facts cache
 * keeps only the syntactic ones, since a type answer depends on other files.
 */
export function addTypeFacts(options: TypedOptions): TypedResult {
  const { root } = options;
  const facts = new Map<string, FileFacts>();
  for (const [file, fileFacts] of options.facts) facts.set(file, structuredClone(fileFacts));
  const groups = new Map<TsConfigUnit | undefined, string[]>();
  for (const file of facts.keys()) {
    const unit = options.tsProject?.owner.get(resolve(root, file)) ?? options.tsProject?.units[0];
    const group = groups.get(unit) ?? [];
    group.push(file);
    groups.set(unit, group);
  }
  const errors: FileError[] = [];
  let resolved = 0;
  for (const [unit, files] of groups) {
    try {
      resolved += typeGroup(root, unit, files, facts, options.texts);
    } catch (error) {
      const where = unit === undefined ? (files[0] ?? '') : toPosix(relative(root, unit.configFile));
      errors.push({
        file: where,
        message: `Type-aware analysis (--types) failed for this project, so its checks ran on names alone: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return { facts, errors, resolved };
}

function typeGroup(
  root: string,
  unit: TsConfigUnit | undefined,
  files: readonly string[],
  facts: Map<string, FileFacts>,
  texts: ReadonlyMap<string, string>,
): number {
  const project = new Project({
    compilerOptions: { ...(unit?.options ?? DEFAULT_OPTIONS), allowJs: true, noEmit: true },
    skipAddingFilesFromTsConfig: true,
  });
  for (const file of files) {
    const absolute = resolve(root, file);
    const text = texts.get(absolute) ?? texts.get(file);
    if (text === undefined) project.addSourceFileAtPath(absolute);
    else project.createSourceFile(absolute, text, { overwrite: true });
  }
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const resolver = new TargetResolver(root, facts, checker);
  let resolved = 0;
  for (const file of files) {
    const sf = program.getSourceFile(resolve(root, file));
    const fileFacts = facts.get(file);
    if (sf === undefined || fileFacts === undefined) continue;
    resolved += typeFile(sf, fileFacts, resolver, checker);
  }
  return resolved;
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

function typeFile(sf: ts.SourceFile, facts: FileFacts, resolver: TargetResolver, checker: ts.TypeChecker): number {
  const functions = new Map<number, ts.FunctionLikeDeclaration>();
  const calls = new Map<number, ts.CallExpression[]>();
  const expressions = new Map<number, ts.Expression[]>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) functions.set(node.getStart(sf), node);
    if (ts.isCallExpression(node)) push(calls, node.getStart(sf), node);
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) push(expressions, node.getStart(sf), node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let resolved = 0;
  const answers = new Map<ts.CallExpression, { target?: FunctionTarget | undefined; data: boolean }>();

  for (const fn of facts.functions) {
    const node = functions.get(fn.start);
    if (node?.body === undefined) continue;
    const known = new Map<number, CallFact>();
    for (const call of fn.calls) known.set(call.offset, call);
    const walk = (child: ts.Node): void => {
      if (ts.isCallExpression(child)) {
        const offset = child.getStart(sf);
        // A call inside nested functions belongs to each of them: ask the checker once.
        let answer = answers.get(child);
        if (answer === undefined) {
          const declaration = resolver.declarationOf(child.expression);
          answer = {
            ...(declaration === undefined ? {} : { target: resolver.functionTarget(declaration) }),
            data:
              ts.isPropertyAccessExpression(child.expression) && receiverIsData(child.expression.expression, checker),
          };
          answers.set(child, answer);
        }
        const { target } = answer;
        const existing = known.get(offset);
        if (target !== undefined) {
          resolved++;
          if (existing !== undefined && existing.callee.name === calleeRoot(child.expression)) existing.target = target;
          // A call the syntax pass could not name (`this.auth.requireUser(req)`, `deps.orders.list()`); the
          // callee is kept as written, which never resolves by name.
          else fn.calls.push({ callee: { name: child.expression.getText(sf).slice(0, 80) }, offset, target });
        }
        if (answer.data) fn.dataAccess = true;
      }
      ts.forEachChild(child, walk);
    };
    walk(node.body);
  }

  const handler = (ref: HandlerRef): void => {
    if ((ref.kind !== 'ref' && ref.kind !== 'call') || ref.offset === undefined || ref.target !== undefined) return;
    const expression = (expressions.get(ref.offset) ?? []).find((e) => calleeRoot(e) === ref.ref.name);
    if (expression === undefined) return;
    // For a call (`requireRole('admin')`), the outermost expression at the offset is the callee itself.
    const declaration = resolver.declarationOf(outermost(expression));
    const target = declaration === undefined ? undefined : resolver.functionTarget(declaration);
    if (target !== undefined) {
      ref.target = target;
      resolved++;
    }
  };
  for (const route of facts.routes) {
    route.middlewares.forEach(handler);
    handler(route.handler);
  }
  for (const use of facts.uses) use.handlers.forEach(handler);
  if (facts.nextMiddleware !== undefined) handler(facts.nextMiddleware.handler);

  for (const query of facts.queries) {
    const call = (calls.get(query.offset) ?? [])[0];
    if (call === undefined) continue;
    const typed = queryTypes(query, call, checker, resolver);
    if (typed !== undefined) {
      query.typed = typed;
      resolved++;
    }
  }
  return resolved;
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
