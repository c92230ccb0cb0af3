/**
 * Where request input comes from, by the shape of the expression that reads it (AST-free: callers
 * pass the member chain). Shared by `no-untrusted-tenant-id`, `require-webhook-verification` and the analyzer.
 */

export type RequestInputKind = 'body' | 'query' | 'params' | 'headers' | 'searchParams' | 'formData';

/** Names request objects go by in Express, Fastify, Koa, Hono, Next.js and Web handlers. */
export const REQUEST_NAMES: ReadonlySet<string> = new Set(['req', 'request', 'ctx', 'context', 'c', 'event', 'r']);

const DIRECT: Readonly<Record<string, RequestInputKind>> = {
  body: 'body',
  rawBody: 'body',
  query: 'query',
  params: 'params',
  headers: 'headers',
  searchParams: 'searchParams',
};

/** Hono's `c.req.query('x')`, Express's `req.header('x')`, Web `request.json()`. */
const CALLED: Readonly<Record<string, RequestInputKind>> = {
  query: 'query',
  queries: 'query',
  param: 'params',
  header: 'headers',
  get: 'headers',
  json: 'body',
  text: 'body',
  formData: 'formData',
  parseBody: 'body',
  arrayBuffer: 'body',
  blob: 'body',
};

/**
 * The kind of request input a member chain reads, or undefined. The chain starts at its root
 * identifier and marks calls with `()`: `req.body.orgId` → ['req', 'body', 'orgId'];
 * `c.req.query('orgId')` → ['c', 'req', 'query', '()']; `url.searchParams.get('orgId')` →
 * ['url', 'searchParams', 'get', '()'].
 */
export function requestInputKind(chain: readonly string[]): RequestInputKind | undefined {
  const [root, ...rest] = chain;
  if (root === undefined) return undefined;
  if (root === 'searchParams' && rest[0] === 'get' && rest[1] === '()') return 'searchParams';
  if ((root === 'formData' || root === 'form') && rest[0] === 'get' && rest[1] === '()') return 'formData';
  const searchIndex = rest.indexOf('searchParams');
  if (searchIndex !== -1 && rest[searchIndex + 1] === 'get') return 'searchParams';
  if (!REQUEST_NAMES.has(root)) return undefined;
  // `c.req.*` (Hono), `ctx.request.*` (Koa), `event.node.req.*` (h3): step down to the request.
  let path = rest;
  while (path[0] === 'req' || path[0] === 'request' || path[0] === 'node' || path[0] === 'raw') path = path.slice(1);
  const [first, second] = path;
  if (first === undefined) return undefined;
  if (first === 'headers') return second === 'get' && path[2] !== '()' ? undefined : 'headers';
  if (second === '()' && first in CALLED) {
    if (first === 'get') return undefined;
    return CALLED[first];
  }
  return DIRECT[first];
}

/** True for a body read in a handler: `req.body`, `await request.json()`, `c.req.text()`. */
export function isBodyRead(chain: readonly string[]): boolean {
  return requestInputKind(chain) === 'body' || requestInputKind(chain) === 'formData';
}
