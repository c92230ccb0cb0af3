import type { TSESTree } from '@typescript-eslint/utils';

import { forEachPromptValue, llmPromptParts } from '../utils/llm.js';
import { requestInputKind } from '../utils/request-sources.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'untrustedSystemPrompt';

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
    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const parts = llmPromptParts(context, node);
      if (parts === undefined) return;
      for (const part of parts.system) {
        forEachPromptValue(context, part, (value) => {
          if (requestInputKind(context, value) === undefined) return false;
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
