import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * One walk of each file for all Portcullis rules, instead of one ESLint dispatch per rule and node.
 *
 * ESLint calls every listener of every rule through its selector matcher and a per-call error wrapper; with
 * seventeen rules listening to `CallExpression` that bookkeeping cost more than the rules' own work. A rule
 * whose listeners are all plain node types (`CallExpression`, `Program:exit`) hands them to the file's shared
 * run instead; the first Portcullis `Program` listener ESLint calls walks the file's traversal steps once and
 * calls each rule's listeners in ESLint's own order (node by node, rules in configuration order), so what
 * every rule sees, and reports, is unchanged. A rule with any other key (a selector with attributes or
 * combinators, a code-path event) keeps all of its listeners with ESLint, so its own ordering never splits.
 *
 * `PORTCULLIS_SHARED_TRAVERSAL=0` (and ESLint's `TIMING`) leave every listener with ESLint, so ESLint's
 * per-rule timing measures each rule on its own.
 */

type Listener = (node: TSESTree.Node) => void;

interface Entry {
  ruleId: string;
  listener: Listener;
}

/** One lint of one file: the rules created for it, then (at its `Program`) the walk. */
interface Run {
  sourceCode: object;
  ruleIds: Set<string>;
  enter: Map<string, Entry[]>;
  /** Exit listeners of every type but `Program`. */
  exit: Map<string, Entry[]>;
  /** `Program:exit` listeners, called once the walk is through: the root's exit is the last visit. */
  programExit: Entry[];
  walked: boolean;
}

/** A traversal step as ESLint 9.x/10 `SourceCode#traverse()` returns it (the language API's visit step). */
interface Step {
  kind: number;
  phase?: number;
  target: unknown;
}

const PLAIN_NODE_TYPE = /^[A-Z][A-Za-z]*(?::exit)?$/;

/**
 * The run of the file ESLint is creating rules for. ESLint lints one file at a time and synchronously (every
 * rule's `create`, then the traversal), so one slot is enough, and it is emptied when the walk starts. It is
 * deliberately not a WeakMap keyed by the SourceCode: V8's young-generation collector keeps the values of
 * an old WeakMap alive, and the value (the rules' listeners, their contexts, the SourceCode and its AST) would
 * then survive every scavenge until the next full collection. On the bench corpus (with ESLint's own per-rule
 * context retention patched out, see README "Performance") that promoted about 300 MB more to the old
 * generation and cost 0.8 s of scavenges, 6% of ESLint's parse-only time.
 */
let pending: Run | undefined;

// Read once: `process.env` is a slow lookup, and the choice holds for the whole process.
const SHARING_DISABLED = ((): boolean => {
  const env = typeof process === 'undefined' ? undefined : process.env;
  return env !== undefined && (env.PORTCULLIS_SHARED_TRAVERSAL === '0' || (env.TIMING ?? '') !== '');
})();

/** The rule's listeners for ESLint: either the rule's own, or one `Program` listener that starts the shared walk. */
export function shareTraversal<Listeners extends TSESLint.RuleListener>(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  listeners: Listeners,
): Listeners {
  const keys = Object.keys(listeners);
  if (keys.length === 0 || SHARING_DISABLED || !keys.every((key) => PLAIN_NODE_TYPE.test(key))) return listeners;
  const sourceCode = context.sourceCode;
  let run = pending;
  // Another file, or a rule registering twice: ESLint lints this SourceCode again (a second verify of the same parse).
  if (run === undefined || run.sourceCode !== sourceCode || run.ruleIds.has(context.id)) {
    run = { sourceCode, ruleIds: new Set(), enter: new Map(), exit: new Map(), programExit: [], walked: false };
    pending = run;
  }
  run.ruleIds.add(context.id);
  for (const key of keys) {
    const listener = (listeners as Record<string, Listener | undefined>)[key];
    if (listener === undefined) continue;
    const exit = key.endsWith(':exit');
    const type = exit ? key.slice(0, -':exit'.length) : key;
    if (exit && type === 'Program') {
      run.programExit.push({ ruleId: context.id, listener });
      continue;
    }
    const byType = exit ? run.exit : run.enter;
    let entries = byType.get(type);
    if (entries === undefined) byType.set(type, (entries = []));
    entries.push({ ruleId: context.id, listener });
  }
  const own = run;
  return {
    Program: () => {
      if (own.walked) return;
      own.walked = true;
      if (pending === own) pending = undefined;
      walk(own, sourceCode);
    },
  } as unknown as Listeners;
}

function walk(run: Run, sourceCode: Readonly<TSESLint.SourceCode>): void {
  let current: Entry | undefined;
  let node: TSESTree.Node | undefined;
  try {
    const traverse = (sourceCode as unknown as { traverse?: () => Iterable<Step> }).traverse;
    if (typeof traverse !== 'function') {
      walkTree(sourceCode.ast, sourceCode.visitorKeys, run, (target, entries) => {
        if (entries === undefined) return;
        node = target;
        for (const entry of entries) {
          current = entry;
          entry.listener(target);
        }
      });
    } else {
      const steps = traverse.call(sourceCode);
      const list: readonly Step[] = Array.isArray(steps) ? steps : [...steps];
      const { enter, exit } = run;
      // Most files have no exit listener but `Program:exit` (called after the walk): skip the leave half cheaply then.
      const hasExits = exit.size > 0;
      // One pass over ESLint's cached steps, indexed: this loop runs for every node of every file.
      for (let i = 0; i < list.length; i++) {
        const step = list[i]!;
        if (step.kind !== 1) continue;
        const leaving = step.phase === 2;
        if (leaving && !hasExits) continue;
        const target = step.target as TSESTree.Node;
        const entries = (leaving ? exit : enter).get(target.type);
        if (entries === undefined) continue;
        node = target;
        for (let j = 0; j < entries.length; j++) {
          current = entries[j]!;
          current.listener(target);
        }
      }
    }
    // The root's exit is the last visit of the traversal, so `Program:exit` comes after every other listener.
    node = sourceCode.ast;
    for (const entry of run.programExit) {
      current = entry;
      entry.listener(node);
    }
  } catch (error) {
    throw current === undefined || node === undefined ? error : attribute(error, current.ruleId, node);
  }
}

/** ESLint's own order without `SourceCode#traverse()`: depth first along the visitor keys. */
function walkTree(
  root: TSESTree.Node,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
  run: Run,
  visit: (node: TSESTree.Node, entries: Entry[] | undefined) => void,
): void {
  const step = (node: TSESTree.Node): void => {
    visit(node, run.enter.get(node.type));
    const keys = visitorKeys[node.type] ?? Object.keys(node).filter((k) => k !== 'parent' && !k.endsWith('Comments'));
    for (const key of keys) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) step(item);
      } else if (isNode(child)) step(child);
    }
    visit(node, run.exit.get(node.type));
  };
  step(root);
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * ESLint names the rule and the node of a crash by setting `ruleId` and `currentNode` on the error as it passes
 * its handlers; here that would name whichever rule started the walk and the Program, so pin the real ones.
 */
function attribute(error: unknown, ruleId: string, node: TSESTree.Node): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const pin = (key: string, value: unknown): void => {
    Object.defineProperty(error, key, { get: () => value, set: () => undefined, configurable: true });
  };
  pin('ruleId', ruleId);
  pin('currentNode', node);
  return error;
}
