import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { propertyName, staticString } from './ast.js';
import { memberChain, resolveExpression } from './references.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** The text parts of one LLM call: instructions (system/developer) and everything else. */
export interface PromptParts {
  system: TSESTree.Node[];
  other: TSESTree.Node[];
}

/** SDK calls that send a prompt, by module and path (see `resolveExpression`). */
const OBJECT_SINKS: readonly { module: string; path: readonly string[] }[] = [
  { module: 'openai', path: ['()', 'chat', 'completions', 'create'] },
  { module: 'openai', path: ['()', 'chat', 'completions', 'stream'] },
  { module: 'openai', path: ['()', 'beta', 'chat', 'completions', 'parse'] },
  { module: 'openai', path: ['()', 'responses', 'create'] },
  { module: 'openai', path: ['()', 'completions', 'create'] },
  { module: '@anthropic-ai/sdk', path: ['()', 'messages', 'create'] },
  { module: '@anthropic-ai/sdk', path: ['()', 'messages', 'stream'] },
  { module: '@anthropic-ai/sdk', path: ['()', 'beta', 'messages', 'create'] },
  { module: 'ai', path: ['generateText'] },
  { module: 'ai', path: ['streamText'] },
  { module: 'ai', path: ['generateObject'] },
  { module: 'ai', path: ['streamObject'] },
];
/** Unresolvable receivers named like a client: `this.openai.chat.completions.create`. */
const CLIENT_CHAINS = [
  /(?:^|\.)openai\.chat\.completions\.create$/i,
  /(?:^|\.)openai\.responses\.create$/i,
  /(?:^|\.)(?:anthropic|claude)\.messages\.create$/i,
];
const SYSTEM_ROLES = new Set(['system', 'developer']);

const LANGCHAIN_MESSAGES = ['@langchain/core/messages', 'langchain/schema', '@langchain/core'];
const LANGCHAIN_PROMPTS = '@langchain/core/prompts';

/** Every module `llmPromptParts` recognises a call from, derived from the lists above. */
const LLM_MODULES = [
  ...new Set([...OBJECT_SINKS.map((sink) => sink.module), ...LANGCHAIN_MESSAGES, LANGCHAIN_PROMPTS]),
];
/** One of `LLM_MODULES` written quoted: one scan of the text instead of two per module. */
const QUOTED_LLM_MODULE = new RegExp(
  `['"](?:${LLM_MODULES.map((module) => module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})['"]`,
);
/** The receiver names `CLIENT_CHAINS` accepts without a resolved module. */
const CLIENT_NAME = /openai|anthropic|claude/i;

/** The last text `mayCallLlm` answered for: the rules that ask lint the same file one after another. */
let lastText: string | undefined;
let lastAnswer = false;

/**
 * False when no call in the file can be an LLM call `llmPromptParts` recognises: a call resolves to one of
 * `LLM_MODULES` only through an import, `require` or `import()` that writes the module's name, quoted, in the
 * file, and an unresolved receiver must be named like a client. Rules test it once per file and skip the rest.
 */
export function mayCallLlm(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastAnswer = QUOTED_LLM_MODULE.test(text) || CLIENT_NAME.test(text);
  }
  return lastAnswer;
}

function sameReference(
  a: { module: string; path: readonly string[] },
  b: { module: string; path: readonly string[] },
): boolean {
  return a.module === b.module && a.path.length === b.path.length && a.path.every((part, i) => part === b.path[i]);
}

/** `{ role: 'system', content }` entries of a messages array. */
function collectMessages(array: TSESTree.Node, parts: PromptParts): void {
  if (array.type !== AST_NODE_TYPES.ArrayExpression) {
    parts.other.push(array);
    return;
  }
  for (const element of array.elements) {
    if (element === null) continue;
    if (element.type === AST_NODE_TYPES.ObjectExpression) {
      let role: string | undefined;
      let content: TSESTree.Node | undefined;
      for (const property of element.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
        const key = propertyName(property.key);
        if (key === 'role') role = staticString(property.value);
        if (key === 'content') content = property.value;
      }
      if (content !== undefined)
        (role !== undefined && SYSTEM_ROLES.has(role) ? parts.system : parts.other).push(content);
    } else if (element.type === AST_NODE_TYPES.ArrayExpression) {
      // LangChain tuples: ['system', text]
      const [role, content] = element.elements;
      if (content !== undefined && content !== null) {
        const roleText = role === null || role === undefined ? undefined : staticString(role);
        (roleText !== undefined && SYSTEM_ROLES.has(roleText) ? parts.system : parts.other).push(content);
      }
    } else {
      parts.other.push(element);
    }
  }
}

/** Answers of `llmPromptParts` by call (two rules ask about every call of a file); weak, so they end with the AST. */
const promptParts = new WeakMap<TSESTree.Node, Readonly<PromptParts> | null>();

/** The prompt parts of `node` when it is a call to an LLM SDK; otherwise undefined. */
export function llmPromptParts(
  context: Context,
  node: TSESTree.CallExpression | TSESTree.NewExpression,
): Readonly<PromptParts> | undefined {
  // Every shape below reads the first argument: a call without one sends no prompt.
  const [first] = node.arguments;
  if (first === undefined) return undefined;
  // Without an options object, only a LangChain message class (`new SystemMessage(x)`) or
  // `ChatPromptTemplate.fromMessages([...])` sends a prompt: most calls end here, before the cache and
  // the callee's resolution.
  if (
    node.type === AST_NODE_TYPES.CallExpression &&
    first.type !== AST_NODE_TYPES.ObjectExpression &&
    node.callee.type === AST_NODE_TYPES.MemberExpression &&
    propertyName(node.callee.property) !== 'fromMessages'
  )
    return undefined;
  const known = promptParts.get(node);
  if (known !== undefined) return known ?? undefined;
  const parts = findPromptParts(context, node);
  promptParts.set(node, parts ?? null);
  return parts;
}

function findPromptParts(
  context: Context,
  node: TSESTree.CallExpression | TSESTree.NewExpression,
): PromptParts | undefined {
  const reference = resolveExpression(context, node.callee);
  // LangChain message classes and prompt templates.
  if (
    reference !== undefined &&
    LANGCHAIN_MESSAGES.includes(reference.module) &&
    node.type === AST_NODE_TYPES.NewExpression
  ) {
    const [first] = node.arguments;
    if (first === undefined) return undefined;
    const className = reference.path[0];
    if (className === 'SystemMessage') return { system: [first], other: [] };
    if (className === 'HumanMessage') return { system: [], other: [first] };
    return undefined;
  }
  if (reference?.module === LANGCHAIN_PROMPTS && reference.path.join('.') === 'ChatPromptTemplate.fromMessages') {
    const [first] = node.arguments;
    if (first === undefined) return undefined;
    const parts: PromptParts = { system: [], other: [] };
    collectMessages(first, parts);
    return parts;
  }
  // The SDK calls below take an options object: test that before building the callee's name for the patterns.
  const [options] = node.arguments;
  if (options?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  const isSink =
    reference !== undefined
      ? OBJECT_SINKS.some((sink) => sameReference(sink, reference))
      : CLIENT_CHAINS.some((pattern) => pattern.test(memberChain(node.callee) ?? ''));
  if (!isSink) return undefined;
  const parts: PromptParts = { system: [], other: [] };
  for (const property of options.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const key = propertyName(property.key);
    if (key === 'system' || key === 'instructions') parts.system.push(property.value);
    else if (key === 'messages') collectMessages(property.value, parts);
    else if (key === 'prompt' || key === 'input') {
      if (property.value.type === AST_NODE_TYPES.ArrayExpression) collectMessages(property.value, parts);
      else parts.other.push(property.value);
    }
  }
  return parts;
}

/**
 * Visits the value-carrying sub-expressions of a prompt part: template literal expressions,
 * concatenations, arrays/objects of content blocks, `JSON.stringify(x)`, and const bindings
 * (followed once, in the same file).
 */
export function forEachPromptValue(
  context: Context,
  node: TSESTree.Node,
  visit: (node: TSESTree.Node) => boolean,
  depth = 0,
): void {
  if (depth > 6) return;
  if (visit(node)) return;
  switch (node.type) {
    case AST_NODE_TYPES.TemplateLiteral:
      for (const expression of node.expressions) forEachPromptValue(context, expression, visit, depth + 1);
      return;
    case AST_NODE_TYPES.BinaryExpression:
      if (node.operator === '+') {
        forEachPromptValue(context, node.left, visit, depth + 1);
        forEachPromptValue(context, node.right, visit, depth + 1);
      }
      return;
    case AST_NODE_TYPES.ArrayExpression:
      for (const element of node.elements) if (element !== null) forEachPromptValue(context, element, visit, depth + 1);
      return;
    case AST_NODE_TYPES.ObjectExpression:
      for (const property of node.properties) {
        if (property.type === AST_NODE_TYPES.Property) forEachPromptValue(context, property.value, visit, depth + 1);
      }
      return;
    case AST_NODE_TYPES.CallExpression: {
      const callee = memberChain(node.callee);
      if (
        callee === 'JSON.stringify' ||
        callee === 'String' ||
        (node.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(node.callee.property) === 'join')
      ) {
        const target =
          callee === 'JSON.stringify' || callee === 'String'
            ? node.arguments[0]
            : (node.callee as TSESTree.MemberExpression).object;
        if (target !== undefined) forEachPromptValue(context, target, visit, depth + 1);
      }
      return;
    }
    case AST_NODE_TYPES.Identifier: {
      let scope: TSESLint.Scope.Scope | null = context.sourceCode.getScope(node);
      while (scope !== null) {
        const variable = scope.set.get(node.name);
        if (variable !== undefined) {
          const definition = variable.defs[0];
          if (
            definition?.type === 'Variable' &&
            definition.parent.kind === 'const' &&
            definition.node.type === AST_NODE_TYPES.VariableDeclarator &&
            definition.node.id.type === AST_NODE_TYPES.Identifier &&
            definition.node.init !== null
          ) {
            forEachPromptValue(context, definition.node.init, visit, depth + 1);
          }
          return;
        }
        scope = scope.upper;
      }
      return;
    }
    case AST_NODE_TYPES.ConditionalExpression:
      forEachPromptValue(context, node.consequent, visit, depth + 1);
      forEachPromptValue(context, node.alternate, visit, depth + 1);
      return;
    case AST_NODE_TYPES.LogicalExpression:
      forEachPromptValue(context, node.left, visit, depth + 1);
      forEachPromptValue(context, node.right, visit, depth + 1);
      return;
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.AwaitExpression:
      forEachPromptValue(
        context,
        node.type === AST_NODE_TYPES.AwaitExpression ? node.argument : node.expression,
        visit,
        depth + 1,
      );
      return;
    default:
      return;
  }
}
