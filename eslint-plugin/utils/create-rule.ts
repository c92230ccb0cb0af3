import type { ESLintUtils, TSESLint } from '@typescript-eslint/utils';
import { applyDefault, RuleCreator } from '@typescript-eslint/utils/eslint-utils';

import { docsUrl, type SecurityRuleDocs } from '../../src/catalog/metadata.js';
import { shareTraversal } from './shared-traversal.js';

type Docs = Omit<SecurityRuleDocs, 'description'>;

const ruleCreator = RuleCreator<Docs>((id) => docsUrl(id));

/**
 * The one rule factory: every rule carries the shared security metadata in `meta.docs`, and its listeners
 * join the file's one shared walk (see shared-traversal.ts).
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, Docs>>,
): ESLintUtils.RuleModule<MessageIds, Options, Docs> {
  const module = ruleCreator<Options, MessageIds>(rule);
  const withDefaults = optionsWithDefaults(
    rule.meta.defaultOptions ?? rule.defaultOptions ?? ([] as unknown as Options),
  );
  return {
    ...module,
    create: (context) => {
      const local = localContext(context);
      return shareTraversal(local, rule.create(local, withDefaults(context.options)));
    },
  };
}

/**
 * ESLint's rule context seen through an object of one fixed shape. ESLint makes each rule's context with
 * `Object.create(fileContext)`, a new prototype for every file, so a property read on it (`context.sourceCode`
 * in every listener and helper) never settles into a fast, monomorphic access; reads on this view do. The
 * members rules read all the time are copied; the rest are read through; `report` goes to ESLint's own.
 */
class ContextView<MessageIds extends string> {
  readonly id: string;
  readonly options: readonly unknown[];
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly filename: string;
  readonly #context: Readonly<TSESLint.RuleContext<MessageIds, readonly unknown[]>>;

  constructor(context: Readonly<TSESLint.RuleContext<MessageIds, readonly unknown[]>>) {
    this.#context = context;
    this.id = context.id;
    this.options = context.options;
    this.sourceCode = context.sourceCode;
    this.filename = context.filename;
    this.report = (descriptor) => context.report(descriptor);
  }

  /** Bound, so `const { report } = context` keeps working. */
  readonly report: (descriptor: TSESLint.ReportDescriptor<MessageIds>) => void;

  get physicalFilename(): string {
    return this.#context.physicalFilename;
  }
  get cwd(): string {
    return this.#context.cwd;
  }
  get settings(): TSESLint.SharedConfigurationSettings {
    return this.#context.settings;
  }
  get languageOptions(): TSESLint.FlatConfig.LanguageOptions {
    return this.#context.languageOptions;
  }
  get parserOptions(): TSESLint.Linter.ParserOptions {
    return this.#context.parserOptions;
  }
  get parserPath(): string | undefined {
    return this.#context.parserPath;
  }
}

function localContext<MessageIds extends string, Options extends readonly unknown[]>(
  context: Readonly<TSESLint.RuleContext<MessageIds, Options>>,
): Readonly<TSESLint.RuleContext<MessageIds, Options>> {
  return new ContextView(context) as unknown as Readonly<TSESLint.RuleContext<MessageIds, Options>>;
}

/**
 * The user's options merged over the defaults, as `RuleCreator` does for each file, but merged once per
 * distinct configuration (a preset lints thousands of files with the same options) and frozen, so a rule
 * cannot change what the next file gets.
 */
function optionsWithDefaults<Options extends readonly unknown[]>(defaults: Options): (user: Options) => Options {
  const merged = new Map<string, Options>();
  // ESLint merges the configured options over `meta.defaultOptions` into a new array for every file, equal to
  // the last one: compare with that before serialising.
  let lastUser: Options | undefined;
  let lastOptions: Options | undefined;
  return (user) => {
    if (lastOptions !== undefined && sameJson(user, lastUser)) return lastOptions;
    const key = user.length === 0 ? '' : JSON.stringify(user);
    let options = merged.get(key);
    if (options === undefined) {
      options = deepFreeze(applyDefault<Options, Options>(defaults, user));
      if (merged.size < 32) merged.set(key, options);
    }
    lastUser = user;
    lastOptions = options;
    return options;
  };
}

/** Deep equality of JSON-like values (what rule options are); anything else compares by identity. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (
    Array.isArray(b) ||
    Object.getPrototypeOf(a) !== Object.prototype ||
    Object.getPrototypeOf(b) !== Object.prototype
  )
    return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
      return false;
  }
  return true;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
