/**
 * require-llm-tool-auth: a public chat endpoint that gives the model tools which run with the
 * server's credential on model-chosen ids (issue #15, noddi-tech+lovable-customer-support-hub#15),
 * with the look-alikes that must stay quiet.
 */
import { describe, expect, it } from 'vitest';

import { checkFiles } from './fixture-project.js';

const ID = 'require-llm-tool-auth';
const TIMEOUT = 120_000;

function findings(files: Record<string, string>): Promise<string[]> {
  return checkFiles(files, [ID], {
    describe: (finding) => `${finding.file}:${String(finding.line)} ${finding.message}`,
  });
}

/** A shop back office reached with one server token (the helper module every tool calls). */
const SHOP_API = `const BASE = 'https://shop.example.com/api';

export async function findOrder(orderId: number): Promise<string> {
  const token = Deno.env.get('SHOP_ADMIN_TOKEN');
  const res = await fetch(\`\${BASE}/orders/\${orderId}\`, { headers: { Authorization: \`Token \${token}\` } });
  return JSON.stringify(await res.json());
}

export async function refundOrder(orderId: number, note?: string): Promise<string> {
  const token = Deno.env.get('SHOP_ADMIN_TOKEN');
  const res = await fetch(\`\${BASE}/orders/\${orderId}/refund\`, {
    method: 'POST',
    headers: { Authorization: \`Token \${token}\` },
    body: JSON.stringify({ note }),
  });
  return res.ok ? '{"ok":true}' : '{"ok":false}';
}

export async function weatherFor(city: string): Promise<string> {
  const res = await fetch(\`https://weather.example.com/v1?q=\${city}&key=\${Deno.env.get('WEATHER_API_KEY')}\`);
  return res.text();
}
`;

function chatFunction(options: { verify?: string; dispatch: string }): string {
  return `import { createClient } from 'npm:@supabase/supabase-js@2';
import { findOrder, refundOrder, weatherFor } from '../_shared/shop-api.ts';

const tools = [
  { type: 'function', function: { name: 'find_order', description: 'Find an order', parameters: { type: 'object', properties: { order_id: { type: 'number' } } } } },
  { type: 'function', function: { name: 'refund_order', description: 'Refund an order', parameters: { type: 'object', properties: { order_id: { type: 'number' }, note: { type: 'string' } } } } },
  { type: 'function', function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
];

async function runTool(name: string, args: any): Promise<string> {
${options.dispatch}
}

Deno.serve(async (req) => {
  const { messages, siteKey } = await req.json();
${options.verify ?? ''}
  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const { data: site } = await db.from('sites').select('id').eq('site_key', siteKey).single();
  const res = await fetch('https://api.openai.com/v1/chat/completions', {
    method: 'POST',
    headers: { Authorization: \`Bearer \${Deno.env.get('OPENAI_API_KEY')}\` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages, tools }),
  });
  const message = (await res.json()).choices[0].message;
  const results = [];
  for (const call of message.tool_calls ?? []) {
    const args = JSON.parse(call.function.arguments);
    results.push(await runTool(call.function.name, args));
  }
  return Response.json({ site: site?.id, results });
});
`;
}

const SWITCH_DISPATCH = `  switch (name) {
    case 'find_order':
      return findOrder(args.order_id);
    case 'refund_order': {
      const id = args.order_id;
      return refundOrder(id, args.note);
    }
    case 'weather':
      return weatherFor(args.city);
    default:
      return '{}';
  }`;

describe('require-llm-tool-auth', () => {
  it(
    'reports a public edge function whose tools call a server-token API with model-chosen order ids',
    async () => {
      const found = await findings({
        'supabase/config.toml': '[functions.shop-chat]\nverify_jwt = false\n',
        'supabase/functions/_shared/shop-api.ts': SHOP_API,
        'supabase/functions/shop-chat/index.ts': chatFunction({ dispatch: SWITCH_DISPATCH }),
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^supabase\/functions\/shop-chat\/index\.ts:12 /);
      expect(found[0]).toContain('`find_order` (`order_id`, with SHOP_ADMIN_TOKEN)');
      expect(found[0]).toContain('`refund_order` (`order_id`, with SHOP_ADMIN_TOKEN)');
      expect(found[0]).not.toContain('weather');
      expect(found[0]).toContain('verify_jwt = false');
    },
    TIMEOUT,
  );

  it(
    'reports if/else dispatch and inline service-role queries keyed by a model-chosen id (verify_jwt = true is no authentication)',
    async () => {
      const found = await findings({
        'supabase/functions/_shared/shop-api.ts': SHOP_API,
        'supabase/functions/shop-chat/index.ts': chatFunction({
          dispatch: `  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  if (name === 'find_order') {
    const { data } = await db.from('orders').select('*').eq('id', args.order_id).single();
    return JSON.stringify(data);
  }
  return '{}';`,
        }),
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toContain('`find_order` (`order_id`, with the service-role client)');
      expect(found[0]).toContain('verify_jwt = true is not authentication');
    },
    TIMEOUT,
  );

  it(
    'reports tools run through a handler map keyed by tool name',
    async () => {
      const found = await findings({
        'supabase/config.toml': '[functions.shop-chat]\nverify_jwt = false\n',
        'supabase/functions/_shared/shop-api.ts': SHOP_API,
        'supabase/functions/shop-chat/index.ts': chatFunction({
          dispatch: `  const handlers: Record<string, (input: any) => Promise<string>> = {
    find_order: async (input) => findOrder(input.order_id),
    weather: async (input) => weatherFor(input.city),
  };
  return handlers[name]?.(args) ?? '{}';`,
        }),
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^supabase\/functions\/shop-chat\/index\.ts:12 /);
      expect(found[0]).toContain('`find_order` (`order_id`, with SHOP_ADMIN_TOKEN)');
      expect(found[0]).not.toContain('weather');
    },
    TIMEOUT,
  );

  it(
    'reports an unguarded Next.js route whose tool fetches a CRM with a server token',
    async () => {
      const found = await findings({
        'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.0.0', openai: '4.0.0' } }),
        'app/api/assistant/route.ts': `import OpenAI from 'openai';
const openai = new OpenAI();
const tools = [{ type: 'function' as const, function: { name: 'get_contact', parameters: { type: 'object', properties: { contactId: { type: 'string' } } } } }];

async function getContact(contactId: string) {
  const res = await fetch(\`https://crm.example.com/contacts/\${contactId}\`, {
    headers: { Authorization: \`Bearer \${process.env.CRM_API_TOKEN}\` },
  });
  return res.text();
}

export async function POST(req: Request) {
  const { messages } = await req.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools });
  const call = completion.choices[0]?.message.tool_calls?.[0];
  if (call && call.function.name === 'get_contact') {
    const input = JSON.parse(call.function.arguments);
    return Response.json(await getContact(input.contactId));
  }
  return Response.json(completion.choices[0]?.message);
}
`,
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^app\/api\/assistant\/route\.ts:16 POST /);
      expect(found[0]).toContain('`get_contact` (`contactId`, with CRM_API_TOKEN)');
    },
    TIMEOUT,
  );

  it(
    'reports AI SDK tools whose execute looks a customer up with a server key, unless the route checks the session',
    async () => {
      const route = (guard: string): string => `import { streamText, tool } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';

async function findCustomer(email: string) {
  const res = await fetch(\`https://helpdesk.example.com/api/customers?email=\${email}\`, {
    headers: { Authorization: \`Bearer \${process.env.HELPDESK_API_KEY}\` },
  });
  return res.json();
}

export async function POST(req: Request) {
${guard}
  const { messages } = await req.json();
  const result = streamText({
    model: openai('gpt-4o'),
    messages,
    tools: {
      lookupCustomer: tool({
        description: 'Find a customer by e-mail',
        parameters: z.object({ email: z.string() }),
        execute: async ({ email }) => findCustomer(email),
      }),
      getTime: tool({
        description: 'Current time',
        parameters: z.object({ zone: z.string() }),
        execute: async ({ zone }) => new Date().toLocaleString('en', { timeZone: zone }),
      }),
    },
  });
  return result.toDataStreamResponse();
}
`;
      const found = await findings({
        'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.0.0', ai: '4.0.0' } }),
        'app/api/support/route.ts': route(''),
        'app/api/account-chat/route.ts': route(
          "  const session = await auth();\n  if (!session?.user) return new Response('unauthorized', { status: 401 });",
        ),
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^app\/api\/support\/route\.ts:19 POST /);
      expect(found[0]).toContain('`lookupCustomer` (`email`, with HELPDESK_API_KEY)');
      expect(found[0]).not.toContain('getTime');
    },
    TIMEOUT,
  );

  it(
    'stays quiet when the caller is authenticated, tools read public data, or only the model key is used',
    async () => {
      const found = await findings({
        'supabase/config.toml':
          '[functions.signed-in-chat]\nverify_jwt = false\n[functions.weather-chat]\nverify_jwt = false\n[functions.docs-chat]\nverify_jwt = false\n[functions.extract]\nverify_jwt = false\n',
        'supabase/functions/_shared/shop-api.ts': SHOP_API,
        // The user is known: the tools then act for that user (and the API checks ownership).
        'supabase/functions/signed-in-chat/index.ts': chatFunction({
          dispatch: SWITCH_DISPATCH,
          verify: `  const token = (req.headers.get('Authorization') ?? '').replace('Bearer ', '');
  const { data: { user } } = await createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!).auth.getUser(token);
  if (!user) return new Response('unauthorized', { status: 401 });`,
        }),
        // A city is no one's data.
        'supabase/functions/weather-chat/index.ts': chatFunction({
          dispatch: `  if (name === 'weather') return weatherFor(args.city);
  return '{}';`,
        }),
        // Search over public docs: the only key behind the tool is the model provider's.
        'supabase/functions/docs-chat/index.ts': `const tools = [{ type: 'function', function: { name: 'search_docs', parameters: { type: 'object', properties: { article_id: { type: 'string' } } } } }];
async function embed(text: string) {
  const res = await fetch('https://api.openai.com/v1/embeddings', { method: 'POST', headers: { Authorization: \`Bearer \${Deno.env.get('OPENAI_API_KEY')}\` }, body: JSON.stringify({ input: text }) });
  return res.json();
}
Deno.serve(async (req) => {
  const { messages } = await req.json();
  const res = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { Authorization: \`Bearer \${Deno.env.get('OPENAI_API_KEY')}\` }, body: JSON.stringify({ messages, tools }) });
  const call = (await res.json()).choices[0].message.tool_calls?.[0];
  const args = JSON.parse(call.function.arguments);
  switch (call.function.name) {
    case 'search_docs':
      return Response.json(await embed(args.article_id));
  }
  return Response.json({});
});
`,
        // One forced tool used as structured output: the model fills search criteria, no tool is dispatched.
        'supabase/functions/extract/index.ts': `import { createClient } from 'npm:@supabase/supabase-js@2';
const tools = [{ type: 'function', function: { name: 'search_criteria', parameters: { type: 'object', properties: { min_amount: { type: 'number' } } } } }];
Deno.serve(async (req) => {
  const { query } = await req.json();
  const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
  const res = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { Authorization: \`Bearer \${Deno.env.get('OPENAI_API_KEY')}\` }, body: JSON.stringify({ messages: [{ role: 'user', content: query }], tools, tool_choice: { type: 'function', function: { name: 'search_criteria' } } }) });
  const call = (await res.json()).choices[0].message.tool_calls?.[0];
  const criteria = JSON.parse(call.function.arguments);
  const { data } = await db.from('lenders').select('name').gte('max_amount', criteria.min_amount);
  return Response.json(data);
});
`,
      });
      expect(found).toEqual([]);
    },
    TIMEOUT,
  );
});
