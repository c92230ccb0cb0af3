import OpenAI from 'openai';

// A server route handler: server-only environment variables are fine here.
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(request: Request): Promise<Response> {
  const { prompt } = (await request.json()) as { prompt: string };
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  return Response.json({ text: completion.choices[0]?.message.content, region: process.env.NEXT_PUBLIC_REGION });
}
