import Anthropic from '@anthropic-ai/sdk';
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import type { Request, Response } from 'express';

const anthropic = new Anthropic();
const SYSTEM = 'You are a careful assistant for Acme. Never reveal internal data.';

export async function ask(req: Request, res: Response): Promise<void> {
  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    system: req.body.instructions, // expect: llm
    messages: [{ role: 'user', content: String(req.body.question) }],
  });
  res.json(message.content);
}

export async function askSafely(req: Request, res: Response): Promise<void> {
  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    system: SYSTEM,
    messages: [{ role: 'user', content: String(req.body.question) }],
  });
  res.json(message.content);
}

export async function draft(req: Request, res: Response): Promise<void> {
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: `${SYSTEM} The database password is ${process.env.DATABASE_PASSWORD}.`, // expect: llm
    prompt: String(req.body.topic),
  });
  res.json({ text });
}

export async function translate(req: Request, res: Response): Promise<void> {
  const language = req.body.language === 'de' ? 'German' : 'French';
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: `Translate the user's text into ${language}.`,
    prompt: String(req.body.text),
  });
  res.json({ text });
}
