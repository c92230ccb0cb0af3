import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { forEachPromptValue, llmPromptParts, mayCallLlm } from '../utils/llm.js';
import { requestInputKind } from '../utils/request-sources.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'untrustedSystemPrompt';

/**
 * `messages[0].content`: an entry of the chat transcript the client sends. A server that moves the
 * transcript's own first (system) message into the provider's `system` field only reformats what the
 * caller already controls in full; it mixes no caller text into instructions the app wrote.
 */
function isTranscriptEntry(node: TSESTree.Node): boolean {
  let current: TSESTree.Node = node;
  while (current.type === AST_NODE_TYPES.MemberExpression || current.type === AST_NODE_TYPES.ChainExpression) {
    if (current.type === AST_NODE_TYPES.ChainExpression) {
      current = current.expression;
      continue;
    }
    const object: TSESTree.Node = current.object;
    if (current.computed && current.property.type === AST_NODE_TYPES.Literal) {
      const name =
        object.type === AST_NODE_TYPES.Identifier
          ? object.name
          : object.type === AST_NODE_TYPES.MemberExpression && !object.computed
            ? object.property.type === AST_NODE_TYPES.Identifier
              ? object.property.name
              : undefined
            : undefined;
      if (name === 'messages') return true;
    }
    current = object;
  }
  return false;
}

export default createRule<[], MessageIds>({
  name: 'no-untrusted-system-prompt',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow request input in system prompts and instructions; user input belongs in a user message.',
      category: 'llm',
      severity: 'high',
      securitySeverity: 7.3,
      cwe: ['CWE-1427'],
      recommended: true,
    },
    messages: {
      untrustedSystemPrompt:
        'Request input (`{{source}}`) is written into the system prompt, where the model treats it as instructions: a user can override your rules ("ignore previous instructions…"). Put user input in a user message, and keep the system prompt a constant you wrote.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    // Every report is about a call `llmPromptParts` recognises.
    if (!mayCallLlm(sourceCode.text)) return {};
    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const parts = llmPromptParts(context, node);
      if (parts === undefined) return;
      for (const part of parts.system) {
        forEachPromptValue(context, part, (value) => {
          if (requestInputKind(context, value) === undefined) return false;
          if (value === part && isTranscriptEntry(value)) return true;
          const text = sourceCode.getText(value);
          context.report({
            node: value,
            messageId: 'untrustedSystemPrompt',
            data: { source: text.length > 40 ? `${text.slice(0, 37)}…` : text },
          });
          return true;
        });
      }
    }
    return { CallExpression: check, NewExpression: check };
  },
});
