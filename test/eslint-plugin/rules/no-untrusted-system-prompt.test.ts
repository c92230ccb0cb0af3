import rule from '../../../eslint-plugin/rules/no-untrusted-system-prompt.js';
import { runRuleTests } from '../rule-tester.js';

const openai = "import OpenAI from 'openai';\nconst client = new OpenAI();\n";

runRuleTests('no-untrusted-system-prompt', rule, {
  valid: [
    // User input in the user message is the right place.
    `${openai}app.post('/chat', async (req, res) => {\n  await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: req.body.message }] });\n});`,
    "import { generateText } from 'ai';\nexport async function POST(request: Request) {\n  const { question } = await request.json();\n  return generateText({ model, system: 'You answer questions about our product.', prompt: question });\n}",
    // Server-side values in the system prompt.
    "import { generateText } from 'ai';\nawait generateText({ model, system: `You help ${tenant.name} staff. Today is ${today}.`, prompt: q });",
    // Issue #14: a pass-through chat that moves the client's own transcript system message into the
    // provider's \`system\` field mixes no caller text into instructions the app wrote.
    "import Anthropic from '@anthropic-ai/sdk';\nexport async function POST(request: Request) {\n  const { messages } = await request.json();\n  const anthropic = new Anthropic({ apiKey: profile.key });\n  return anthropic.messages.create({ model, messages: messages.slice(1), system: messages[0].content, max_tokens: 1024 });\n}",
    // Not an LLM call.
    "app.post('/x', (req, res) => { logger.info({ system: req.body.system }); });",
  ],
  invalid: [
    {
      // LangChain prompt templates take an array, not an options object: `ChatPromptTemplate.fromMessages`
      // and a const alias of it are still recognised.
      code: "import { ChatPromptTemplate } from '@langchain/core/prompts';\napp.post('/ask', (req, res) => {\n  const prompt = ChatPromptTemplate.fromMessages([['system', `Be ${req.body.tone}`], ['human', '{q}']]);\n});",
      errors: [{ messageId: 'untrustedSystemPrompt', line: 3, column: 68 }],
    },
    {
      code: "import { ChatPromptTemplate } from '@langchain/core/prompts';\nconst fromMessages = ChatPromptTemplate.fromMessages;\napp.post('/ask', (req, res) => {\n  const prompt = fromMessages([['system', `Be ${req.body.tone}`], ['human', '{q}']]);\n});",
      errors: [{ messageId: 'untrustedSystemPrompt', line: 4, column: 49 }],
    },
    {
      // The transcript entry mixed into an instruction the app wrote is still reported.
      code: "import Anthropic from '@anthropic-ai/sdk';\nexport async function POST(request: Request) {\n  const { messages } = await request.json();\n  const anthropic = new Anthropic();\n  return anthropic.messages.create({ model, messages, system: `Follow our policy. ${messages[0].content}`, max_tokens: 1024 });\n}",
      errors: [{ messageId: 'untrustedSystemPrompt', line: 5, column: 85 }],
    },
    {
      code: `${openai}app.post('/chat', async (req, res) => {\n  await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: \`You are \${req.body.persona}.\` }] });\n});`,
      errors: [{ messageId: 'untrustedSystemPrompt', line: 4, column: 108, data: { source: 'req.body.persona' } }],
    },
    {
      code: "import { generateText } from 'ai';\nexport async function POST(request: Request) {\n  const { instructions, question } = await request.json();\n  return generateText({ model, system: instructions, prompt: question });\n}",
      errors: [{ messageId: 'untrustedSystemPrompt', line: 4, column: 40, data: { source: 'instructions' } }],
    },
    {
      code: "import Anthropic from '@anthropic-ai/sdk';\nconst anthropic = new Anthropic();\napp.get('/ask', async (c) => {\n  const style = c.req.query('style');\n  return anthropic.messages.create({ model: 'm', max_tokens: 100, system: 'Answer in the style: ' + style, messages: [] });\n});",
      errors: [{ messageId: 'untrustedSystemPrompt', line: 5, column: 101 }],
    },
  ],
});
