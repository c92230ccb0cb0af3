import { describe, expect, it } from 'vitest';

import { mayCallLlm } from '../../../eslint-plugin/utils/llm.js';

describe('mayCallLlm', () => {
  it('holds for files that import, require or dynamically import a recognised SDK, or name a client', () => {
    for (const text of [
      "import OpenAI from 'openai';",
      'const Anthropic = require("@anthropic-ai/sdk");',
      "import { generateText } from 'ai';",
      "const { streamText } = await import('ai');",
      "import { SystemMessage } from '@langchain/core/messages';",
      "import { ChatPromptTemplate } from '@langchain/core/prompts';",
      'await this.openai.chat.completions.create({ messages });',
      'await claude.messages.create({ system });',
    ])
      expect(mayCallLlm(text), text).toBe(true);
  });

  it('is false for files that only look alike', () => {
    for (const text of [
      "import { aim } from './ai-helpers';",
      "const label = 'ai-generated';",
      "import { Chat } from './chat'; chat.completions.create({ messages });",
    ])
      expect(mayCallLlm(text), text).toBe(false);
  });
});
