import { GUARD_EXPORTS, GUARD_NAME } from '../detectors/route-evidence.js';
import type { ModuleResolver } from './project.js';
import type { TypeOracle } from './typed.js';
import type {
  CallFact,
  DrizzleTableFact,
  FileFacts,
  FunctionFact,
  FunctionTarget,
  HandlerRef,
  NameRef,
  QueryFact,
} from './types.js';

export type Resolved =
  | { kind: 'function'; file: string; fn: FunctionFact }
  | { kind: 'router'; file: string; name: string; framework: 'express' | 'hono' | 'fastify' }
  | { kind: 'table'; file: string; table: DrizzleTableFact }
  | { kind: 'external'; module: string; name: string };

/** Why a route or function counts as guarded: the function (or package export) that does it. */
export interface Evidence {
  by: string;
  file?: string;
  line?: number;
}

const MAX_DEPTH = 6;

/** Follows names across files: imports, re-exports, locals initialised by factories. */
export class Linker {
  readonly facts: ReadonlyMap<string, FileFacts>;
  readonly resolver: ModuleResolver;
  /** With `--types`: the type checker, asked only about what the checks follow. */
  readonly oracle: TypeOracle | undefined;
  readonly #functionIndex = new Map<string, Map<string, FunctionFact>>();
  readonly #guardMemo = new Map<string, Evidence | null>();
  readonly #dataMemo = new Map<string, boolean>();
  readonly #verifyMemo = new Map<string, boolean>();
  readonly #bodyMemo = new Map<string, boolean>();
  readonly #tenantMemo = new Map<string, boolean>();

  constructor(facts: ReadonlyMap<string, FileFacts>, resolver: ModuleResolver, oracle?: TypeOracle) {
    this.facts = facts;
    this.resolver = resolver;
    this.oracle = oracle;
  }

  /** The calls `fn` makes; with `--types`, each with the project function the checker resolved it to. */
  callsOf(file: string, fn: FunctionFact): readonly CallFact[] {
    return this.oracle === undefined ? fn.calls : this.oracle.calls(file, fn);
  }

  /** What the type checker says of a query's receiver (`--types`). */
  queryTypes(file: string, query: QueryFact): QueryFact['typed'] {
    return this.oracle?.query(file, query);
  }

  functionById(file: string, id: string): FunctionFact | undefined {
    let index = this.#functionIndex.get(file);
    if (index === undefined) {
      index = new Map();
      for (const fn of this.facts.get(file)?.functions ?? []) if (!index.has(fn.id)) index.set(fn.id, fn);
      this.#functionIndex.set(file, index);
    }
    return index.get(id);
  }

  /** What `ref` names inside `file`. */
  resolve(file: string, ref: NameRef, depth = 0): Resolved | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const facts = this.facts.get(file);
    if (facts === undefined) return undefined;
    if (ref.member === undefined) {
      const fn = this.functionById(file, ref.name);
      if (fn !== undefined) return { kind: 'function', file, fn };
      const framework = facts.routers[ref.name];
      if (framework !== undefined) return { kind: 'router', file, name: ref.name, framework };
      const table = facts.drizzleTables.find((t) => t.variable === ref.name);
      if (table !== undefined) return { kind: 'table', file, table };
      const factory = facts.callInits[ref.name];
      if (factory !== undefined) return this.resolve(file, factory, depth + 1);
    } else if (facts.callInits[`${ref.name}.${ref.member}`] !== undefined) {
      return this.resolve(file, facts.callInits[`${ref.name}.${ref.member}`] ?? { name: '' }, depth + 1);
    } else if (
      facts.callInits[ref.name] !== undefined &&
      !facts.imports.some((i) => i.bindings[ref.name] !== undefined)
    ) {
      // `const guards = createGuards(authorizer); guards.requirePermission('x')`: the method the factory returns.
      const factory = this.resolve(file, facts.callInits[ref.name] ?? { name: '' }, depth + 1);
      if (factory?.kind === 'function') {
        const method = this.#methodOf(factory.file, factory.fn, ref.member);
        if (method !== undefined) return method;
      }
    }
    for (const imported of facts.imports) {
      if (imported.typeOnly) continue;
      const name = imported.bindings[ref.name];
      if (name === undefined) continue;
      const target = this.resolver.resolve(file, imported.specifier);
      if (ref.member !== undefined) {
        if (target === undefined) return { kind: 'external', module: imported.specifier, name: ref.member };
        if (name === '*' || name === 'default')
          return (
            this.resolveExport(target, ref.member, depth + 1) ?? this.#defaultObject(target, ref.member, name, depth)
          );
        return undefined;
      }
      if (target === undefined) return { kind: 'external', module: imported.specifier, name };
      return this.resolveExport(target, name, depth + 1);
    }
    return undefined;
  }

  /** A function named `member` defined inside `fn` (a method of the object a factory returns). */
  #methodOf(file: string, fn: FunctionFact, member: string): Resolved | undefined {
    const method = this.facts
      .get(file)
      ?.functions.find((f) => f.start > fn.start && f.end <= fn.end && displayName(f) === member);
    return method === undefined ? undefined : { kind: 'function', file, fn: method };
  }

  #defaultObject(target: string, member: string, name: string, depth: number): Resolved | undefined {
    if (name !== 'default') return undefined;
    // `import auth from './auth'` where the default export is an object of functions (or of middleware).
    const local = this.facts.get(target)?.exports.default;
    if (local !== undefined && this.facts.get(target)?.callInits[`${local}.${member}`] !== undefined)
      return this.resolve(target, { name: local, member }, depth + 1);
    return this.resolve(target, { name: member }, depth + 1);
  }

  resolveExport(file: string, exported: string, depth = 0): Resolved | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const facts = this.facts.get(file);
    if (facts === undefined) return undefined;
    const local = facts.exports[exported];
    if (local !== undefined) return this.resolve(file, { name: local }, depth + 1);
    for (const reexport of facts.reexports) {
      const target = this.resolver.resolve(file, reexport.specifier);
      if (target === undefined) continue;
      if (reexport.names === undefined) {
        const found = this.resolveExport(target, exported, depth + 1);
        if (found !== undefined) return found;
      } else if (reexport.names[exported] !== undefined)
        return this.resolveExport(target, reexport.names[exported], depth + 1);
    }
    return undefined;
  }

  #target(target: FunctionTarget): Resolved | undefined {
    const fn = this.functionById(target.file, target.id);
    return fn === undefined ? undefined : { kind: 'function', file: target.file, fn };
  }

  /** What a call inside `file` calls: the type checker's answer when there is one (`--types`), else by name. */
  resolveCall(file: string, call: CallFact): Resolved | undefined {
    if (call.target !== undefined) return this.#target(call.target);
    return this.resolve(file, call.callee);
  }

  resolveHandler(file: string, handler: HandlerRef): Resolved | undefined {
    if (handler.kind === 'function') {
      const fn = this.functionById(file, handler.id);
      return fn === undefined ? undefined : { kind: 'function', file, fn };
    }
    if (handler.kind === 'ref' || handler.kind === 'call') {
      const typed = this.oracle?.handler(file, handler);
      if (typed !== undefined) return this.#target(typed);
      return this.resolve(file, handler.ref);
    }
    return undefined;
  }

  /** Guard evidence for a middleware or handler reference, or undefined when it does not guard. */
  handlerGuard(file: string, handler: HandlerRef): Evidence | undefined {
    const resolved = this.resolveHandler(file, handler);
    if (resolved?.kind === 'function') return this.functionGuard(resolved.file, resolved.fn);
    if (resolved?.kind === 'external') return externalGuard(resolved.module, resolved.name);
    return undefined;
  }

  /**
   * A function guards when it reads the session and denies (401/403, an auth error, a redirect to
   * sign-in), verifies a token, or calls — at any depth — a function that does.
   */
  functionGuard(file: string, fn: FunctionFact, depth = 0): Evidence | undefined {
    // An early `return` ends only the function that holds it: it guards a handler or middleware, not its
    // callers — unless they only delegate to it (`return impl(args)`).
    if (depth === 0) {
      const tail = this.#tailGuard(file, fn);
      if (tail !== undefined) return tail;
    }
    const key = `${file}#${fn.id}`;
    const memo = this.#guardMemo.get(key);
    if (memo !== undefined) return memo ?? undefined;
    this.#guardMemo.set(key, null);
    let evidence: Evidence | undefined;
    if ((fn.readsSession && fn.denies) || fn.verifiesToken || fn.guardClause === 'throw')
      evidence = { by: displayName(fn), file, line: fn.span.line };
    if (evidence === undefined && depth < MAX_DEPTH) {
      for (const call of this.callsOf(file, fn)) {
        // `parseRequest(req, schema, { skipAuth: true })`: the helper authenticates, but not this time.
        if (call.authOff === true) continue;
        const resolved = this.resolveCall(file, call);
        if (resolved?.kind === 'function' && resolved.fn !== fn) {
          const inner = this.functionGuard(resolved.file, resolved.fn, depth + 1);
          if (inner !== undefined) {
            evidence = { by: displayName(resolved.fn), file: resolved.file, line: resolved.fn.span.line };
            break;
          }
        } else if (resolved?.kind === 'external') {
          evidence = externalGuard(resolved.module, resolved.name);
          if (evidence !== undefined) break;
        }
      }
    }
    this.#guardMemo.set(key, evidence ?? null);
    return evidence;
  }

  /** A guard clause that returns early, in the function or in the helpers it only delegates to. */
  #tailGuard(file: string, fn: FunctionFact, hops = 0): Evidence | undefined {
    if (fn.guardClause === 'return') return { by: displayName(fn), file, line: fn.span.line };
    if (fn.delegates === undefined || hops >= MAX_DEPTH) return undefined;
    const call = this.callsOf(file, fn).find((candidate) => candidate.offset === fn.delegates);
    const resolved = call === undefined ? undefined : this.resolveCall(file, call);
    if (resolved?.kind !== 'function' || resolved.fn === fn) return undefined;
    return this.#tailGuard(resolved.file, resolved.fn, hops + 1) === undefined
      ? undefined
      : { by: displayName(resolved.fn), file: resolved.file, line: resolved.fn.span.line };
  }

  #transitive(
    memo: Map<string, boolean>,
    file: string,
    fn: FunctionFact,
    direct: (file: string, fn: FunctionFact) => boolean,
    depth: number,
  ): boolean {
    const key = `${file}#${fn.id}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false);
    let result = direct(file, fn);
    if (!result && depth < MAX_DEPTH) {
      for (const call of this.callsOf(file, fn)) {
        const resolved = this.resolveCall(file, call);
        if (resolved?.kind === 'function' && this.#transitive(memo, resolved.file, resolved.fn, direct, depth + 1)) {
          result = true;
          break;
        }
      }
    }
    memo.set(key, result);
    return result;
  }

  /** The function reads or writes data, itself or through helpers. */
  reachesData(file: string, fn: FunctionFact): boolean {
    return this.#transitive(
      this.#dataMemo,
      file,
      fn,
      (owner, f) => f.dataAccess || this.oracle?.dataAccess(owner, f) === true,
      0,
    );
  }

  /** The function verifies a webhook signature, itself or through helpers. */
  verifies(file: string, fn: FunctionFact): boolean {
    return this.#transitive(this.#verifyMemo, file, fn, (_owner, f) => f.verifies !== undefined, 0);
  }

  /** The function adds a tenant condition (returns an object with a tenant key or reads a tenant column), itself or through helpers. */
  addsTenantFilter(file: string, fn: FunctionFact): boolean {
    return this.#transitive(
      this.#tenantMemo,
      file,
      fn,
      (_owner, f) => f.returnsTenantKey || f.referencesTenantKey || f.setsTenantContext,
      0,
    );
  }

  /** Uses the parsed body without verifying first (helpers count). */
  usesBodyUnverified(file: string, fn: FunctionFact): boolean {
    return this.#transitive(
      this.#bodyMemo,
      file,
      fn,
      (_owner, f) => f.bodyUse !== undefined && (f.verifies === undefined || f.bodyUse < f.verifies),
      0,
    );
  }

  /**
   * Where the handler first verifies and first uses the body, counting calls to helpers at the
   * position of the call.
   */
  verificationOrder(file: string, fn: FunctionFact): { verify?: number; bodyUse?: number } {
    let verify = fn.verifies;
    let bodyUse = fn.bodyUse;
    for (const call of this.callsOf(file, fn)) {
      const resolved = this.resolveCall(file, call);
      if (resolved?.kind !== 'function' || resolved.fn === fn) continue;
      if ((verify === undefined || call.offset < verify) && this.verifies(resolved.file, resolved.fn))
        verify = call.offset;
      if (
        (bodyUse === undefined || call.offset < bodyUse) &&
        this.usesBodyUnverified(resolved.file, resolved.fn) &&
        !this.verifies(resolved.file, resolved.fn)
      )
        bodyUse = call.offset;
    }
    return { ...(verify === undefined ? {} : { verify }), ...(bodyUse === undefined ? {} : { bodyUse }) };
  }
}

/**
 * How a function is named to users: its id without the position that keeps method ids unique in a
 * file (`requireUser@19:3` → `requireUser`; the evidence carries file and line anyway).
 */
export function displayName(fn: FunctionFact): string {
  return fn.id.startsWith('<') ? fn.id : fn.id.replace(/@\d+:\d+$/, '');
}

/** Package middleware that authenticates by contract, or a guard-named export of a package we cannot read. */
export function externalGuard(module: string, name: string): Evidence | undefined {
  const known = GUARD_EXPORTS[module];
  if (known === '*' || known?.includes(name) === true) return { by: `${name} (${module})` };
  if (!module.startsWith('.') && GUARD_NAME.test(name)) return { by: `${name} (${module})` };
  return undefined;
}
