import { fulfilOrder } from '../../../../fulfilment.js';

export async function POST(request: Request): Promise<Response> {
  const order = (await request.json()) as { id: number; line_items: unknown[] }; // expect: webhooks
  await fulfilOrder(order.id, order.line_items);
  return new Response(null, { status: 200 });
}
