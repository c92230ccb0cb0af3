import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { isSecretEnvName } from '../../src/detectors/client-exposure.js';
import { isSecretName } from '../../src/detectors/secrets.js';
import { propertyName } from '../utils/ast.js';
import { forEachPromptValue, llmPromptParts, mayCallLlm } from '../utils/llm.js';
import { memberChain } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';

type MessageIds = 'secretInPrompt' | 'environmentInPrompt';

/** `process.env.X` / `import.meta.env.X` → X; `process.env` itself → '*'. */
function envName(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const chain = memberChain(node);
  if (chain === 'process.env') return '*';
  const object = node.object;
  if (object.type !== AST_NODE_TYPES.MemberExpression || propertyName(object.property) !== 'env') return undefined;
  const root = object.object;
  if (!(
    (root.type === AST_NODE_TYPES.Identifier && root.name === 'process') ||
    root.type === AST_NODE_TYPES.MetaProperty
  ))
    return undefined;
  if (!node.computed) return propertyName(node.property);
  return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
    ? node.property.value
    : undefined;
}

export default createRule<[], MessageIds>({
  name: 'no-secrets-in-prompts',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow secrets and secret environment variables in text sent to LLMs.',
      category: 'llm',
      severity: 'high',
      securitySeverity: 7.5,
      cwe: ['CWE-200'],
      recommended: true,
    },
    messages: {
      secretInPrompt:
        '`{{name}}` is placed in a prompt. Model providers log prompts, and a prompt injection can make the model repeat its instructions verbatim, so the secret leaks. Keep secrets in your code path (tool implementations, API calls) and give the model only what it needs to see.',
      environmentInPrompt:
        'The environment (`{{name}}`) is placed in a prompt: every secret in it can be echoed back to a user by a prompt injection, and ends up in the provider’s logs. Pass only the non-secret values the model needs.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    // Every report is about a call `llmPromptParts` recognises.
    if (!mayCallLlm(context.sourceCode.text)) return {};
    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const parts = llmPromptParts(context, node);
      if (parts === undefined) return;
      for (const part of [...parts.system, ...parts.other]) {
        forEachPromptValue(context, part, (value) => {
          const env = envName(value);
          if (env !== undefined) {
            if (env === '*')
              context.report({ node: value, messageId: 'environmentInPrompt', data: { name: 'process.env' } });
            else if (isSecretEnvName(env) || isSecretName(env))
              context.report({ node: value, messageId: 'secretInPrompt', data: { name: env } });
            return true;
          }
          const name =
            value.type === AST_NODE_TYPES.Identifier
              ? value.name
              : value.type === AST_NODE_TYPES.MemberExpression && !value.computed
                ? propertyName(value.property)
                : undefined;
          if (name !== undefined && isSecretName(name)) {
            context.report({ node: value, messageId: 'secretInPrompt', data: { name } });
            return true;
          }
          return value.type === AST_NODE_TYPES.MemberExpression;
        });
      }
    }
    return { CallExpression: check, NewExpression: check };
  },
});
