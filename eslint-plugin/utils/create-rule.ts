import type { ESLintUtils } from '@typescript-eslint/utils';
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
  // Frozen, so the options merged from it can be reused while ESLint hands the same array (see below).
  if (rule.meta.defaultOptions !== undefined) deepFreeze(rule.meta.defaultOptions);
  const module = ruleCreator<Options, MessageIds>(rule);
  const withDefaults = optionsWithDefaults(
    rule.meta.defaultOptions ?? rule.defaultOptions ?? ([] as unknown as Options),
  );
  return {
    ...module,
    create: (context) => shareTraversal(context, rule.create(context, withDefaults(context.options))),
  };
}

/**
 * The user's options merged over the defaults, as `RuleCreator` does for each file, but merged once per
 * distinct configuration (a preset lints thousands of files with the same options) and frozen, so a rule
 * cannot change what the next file gets.
 */
function optionsWithDefaults<Options extends readonly unknown[]>(defaults: Options): (user: Options) => Options {
  const merged = new Map<string, Options>();
  // ESLint hands a rule configured by severity alone the same `meta.defaultOptions` array for every file.
  let lastUser: Options | undefined;
  let lastOptions: Options | undefined;
  return (user) => {
    if (user === lastUser && lastOptions !== undefined && Object.isFrozen(user)) return lastOptions;
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
