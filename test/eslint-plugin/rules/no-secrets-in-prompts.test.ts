import rule from '../../../eslint-plugin/rules/no-secrets-in-prompts.js';
import { runRuleTests } from '../rule-tester.js';

const openai = "import OpenAI from 'openai';\nconst client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n";

runRuleTests('no-secrets-in-prompts', rule, {
  valid: [
    // The API key configures the client; it is not in the prompt.
    `${openai}await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: question }] });`,
    `${openai}await client.responses.create({ model: 'gpt-4o', instructions: 'Be brief.', input: \`Summarise: \${article.body}\` });`,
    // Non-secret env values.
    `${openai}await client.responses.create({ model: 'gpt-4o', input: \`Today is \${date} in \${process.env.APP_REGION}\` });`,
    // Token counts and other look-alikes.
    "import { generateText } from 'ai';\nawait generateText({ model, prompt: `Answer in at most ${maxTokens} tokens: ${question}` });",
    // Not an LLM call.
    'await db.messages.create({ content: `key ${apiKey}` });',
    "import { generateText } from './my-ai';\nawait generateText({ prompt: `key ${apiKey}` });",
  ],
  invalid: [
    {
      code: `${openai}await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: \`Use the Stripe key \${process.env.STRIPE_SECRET_KEY} for refunds.\` }] });`,
      errors: [{ messageId: 'secretInPrompt', line: 3, column: 117, data: { name: 'STRIPE_SECRET_KEY' } }],
    },
    {
      code: "import Anthropic from '@anthropic-ai/sdk';\nconst anthropic = new Anthropic();\nconst system = `You are a DB assistant. The admin password is ${dbPassword}.`;\nawait anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, system, messages: [] });",
      errors: [{ messageId: 'secretInPrompt', line: 3, column: 65, data: { name: 'dbPassword' } }],
    },
    {
      code: "import { streamText } from 'ai';\nstreamText({ model, prompt: 'Debug this config: ' + JSON.stringify(process.env) });",
      errors: [{ messageId: 'environmentInPrompt', line: 2, column: 68 }],
    },
    {
      code: "import { SystemMessage } from '@langchain/core/messages';\nconst m = new SystemMessage(`Call the API with token ${config.apiToken}`);",
      errors: [{ messageId: 'secretInPrompt', line: 2, column: 56, data: { name: 'apiToken' } }],
    },
  ],
});
