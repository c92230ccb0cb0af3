import rule from '../../../eslint-plugin/rules/no-permissive-cors.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-permissive-cors', rule, {
  valid: [
    // Next.js headers() config with a fixed origin and credentials (issue #15).
    "module.exports = { async headers() { return [{ source: '/api/:path*', headers: [{ key: 'Access-Control-Allow-Origin', value: 'https://app.example.com' }, { key: 'Access-Control-Allow-Credentials', value: 'true' }] }]; } };",
    // A wildcard without credentials is a public API.
    "export default { async headers() { return [{ source: '/public/:path*', headers: [{ key: 'Access-Control-Allow-Origin', value: '*' }] }]; } };",
    // A guard that anchors its regex and its suffix.
    "function cors(req, res) {\n  const origin = req.headers.origin;\n  if (/^https:\\/\\/([a-z]+\\.)?example\\.com$/.test(origin) || origin.endsWith('.example.com')) {\n    res.setHeader('Access-Control-Allow-Origin', origin);\n    res.setHeader('Access-Control-Allow-Credentials', 'true');\n  }\n}",
    // A public API without credentials may allow everyone.
    "import cors from 'cors'; app.use(cors());",
    "import cors from 'cors'; app.use(cors({ origin: '*' }));",
    "import cors from 'cors'; app.use(cors({ origin: true }));",
    "import cors from 'cors'; app.use(cors({ origin: ['https://app.example.com'], credentials: true }));",
    "import cors from 'cors'; app.use(cors({ origin: 'https://app.example.com', credentials: true }));",
    "import cors from 'cors'; app.use(cors({ origin: /^https:\\/\\/(app|admin)\\.example\\.com$/, credentials: true }));",
    "import cors from 'cors'; app.use(cors({ origin: [/\\.example\\.com$/], credentials: true }));",
    "import cors from 'cors'; app.use(cors({ origin: /^https:\\/\\/.*\\.example\\.com$/, credentials: true }));",
    // A callback that checks the origin against a list.
    "import cors from 'cors'; app.use(cors({ credentials: true, origin: (origin, cb) => cb(null, allowed.includes(origin)) }));",
    "import cors from 'cors'; app.use(cors({ credentials: true, origin(origin, cb) { if (allowed.has(origin)) cb(null, true); else cb(new Error('blocked')); } }));",
    "import cors from 'cors'; const options = { origin: allowlist, credentials: true }; app.use(cors(options));",
    // Options built elsewhere cannot be judged.
    "import cors from 'cors'; app.use(cors({ ...corsOptions, credentials: true }));",
    // A local function called cors is not the cors package.
    "function cors(o) { return o; } cors({ origin: '*', credentials: true });",
    "import { cors } from 'hono/cors'; app.use('*', cors({ origin: 'https://app.example.com', credentials: true }));",
    // hono: origin true is not a reflection option.
    "import { cors } from 'hono/cors'; app.use('*', cors());",
    "import { cors } from 'hono/cors'; app.use(cors({ origin: (origin) => (origin.endsWith('.example.com') ? origin : null), credentials: true }));",
    "import fastifyCors from '@fastify/cors'; await app.register(fastifyCors, { origin: ['https://a.example.com'], credentials: true });",
    // Manual headers: wildcard without credentials, or a reflected origin checked against a list.
    "res.setHeader('Access-Control-Allow-Origin', '*');",
    "function h(req, res) { const origin = req.headers.origin; if (ALLOWED.includes(origin)) { res.setHeader('Access-Control-Allow-Origin', origin); res.setHeader('Access-Control-Allow-Credentials', 'true'); } }",
    "function h(req, res) { res.setHeader('Access-Control-Allow-Origin', req.headers.origin); }",
    "function h(req, res) { res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com'); res.setHeader('Access-Control-Allow-Credentials', 'true'); }",
    "new Response(body, { headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'false' } });",
    "import { NestFactory } from '@nestjs/core'; const app = await NestFactory.create(AppModule); app.enableCors({ origin: ['https://app.example.com'], credentials: true });",
    // enableCors on something that is not a Nest application.
    'const server = makeServer(); server.enableCors({ origin: true, credentials: true });',
    // A regex that is not used as an origin is none of this rule's business.
    'const re = /example.com/;',
  ],
  invalid: [
    // Next.js headers() config: a wildcard with credentials in one source's list.
    {
      code: "export default { async headers() { return [{ source: '/api/:path*', headers: [{ key: 'Access-Control-Allow-Origin', value: '*' }, { key: 'Access-Control-Allow-Credentials', value: 'true' }] }]; } };",
      errors: [{ messageId: 'credentialedWildcard', line: 1, column: 79 }],
    },
    // A hand-written guard whose regex is not anchored and whose suffix has no dot.
    {
      code: "function cors(req, res) {\n  const origin = req.headers.origin;\n  if (/example\\.com/.test(origin) || origin.endsWith('example.com')) {\n    res.setHeader('Access-Control-Allow-Origin', origin);\n    res.setHeader('Access-Control-Allow-Credentials', 'true');\n  }\n}",
      errors: [
        { messageId: 'unanchoredRegex', line: 3, column: 7 },
        { messageId: 'unanchoredSuffix', line: 3, column: 38 },
      ],
    },
    {
      code: "import cors from 'cors';\napp.use(cors({ origin: true, credentials: true }));",
      errors: [{ messageId: 'credentialedReflect', line: 2, column: 16 }],
    },
    {
      code: "import cors from 'cors';\napp.use(cors({ origin: '*', credentials: true }));",
      errors: [{ messageId: 'credentialedWildcard', line: 2, column: 16 }],
    },
    {
      // Without an origin the cors package defaults to `*`.
      code: "const cors = require('cors');\napp.use(cors({ credentials: true }));",
      errors: [{ messageId: 'credentialedWildcard', line: 2, column: 16 }],
    },
    {
      code: "import cors from 'cors';\napp.use(cors({ credentials: true, origin: (origin, callback) => callback(null, true) }));",
      errors: [{ messageId: 'credentialedReflect', line: 2, column: 35 }],
    },
    {
      code: "import cors from 'cors';\nconst corsOptions = { origin(origin, cb) { cb(null, origin); }, credentials: true };\napp.use(cors(corsOptions));",
      errors: [{ messageId: 'credentialedReflect', line: 2, column: 23 }],
    },
    {
      code: "import { cors } from 'hono/cors';\napp.use(cors({ origin: (origin) => origin, credentials: true }));",
      errors: [{ messageId: 'credentialedReflect', line: 2, column: 16 }],
    },
    {
      code: "import fastifyCors from '@fastify/cors';\nawait app.register(fastifyCors, { origin: true, credentials: true });",
      errors: [{ messageId: 'credentialedReflect', line: 2, column: 35 }],
    },
    {
      code: "import cors from 'cors';\napp.use(cors({ origin: /example\\.com$/ }));",
      errors: [{ messageId: 'unanchoredRegex', line: 2, column: 24 }],
    },
    {
      code: "import cors from 'cors';\napp.use(cors({ origin: [/^https:\\/\\/app.example\\.com$/], credentials: true }));",
      errors: [{ messageId: 'unescapedDotRegex', line: 2, column: 25 }],
    },
    {
      code: "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\napp.enableCors({ origin: true, credentials: true });",
      errors: [{ messageId: 'credentialedReflect', line: 3, column: 18 }],
    },
    {
      code: "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule, { cors: { credentials: true } });",
      errors: [{ messageId: 'credentialedWildcard', line: 2, column: 59 }],
    },
    {
      code: "app.use((req, res, next) => {\n  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  res.setHeader('Access-Control-Allow-Credentials', 'true');\n  next();\n});",
      errors: [{ messageId: 'credentialedReflect', line: 2, column: 3 }],
    },
    {
      code: "export function GET(request: Request) {\n  const origin = request.headers.get('origin') ?? '*';\n  return new Response('ok', { headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' } });\n}",
      errors: [{ messageId: 'credentialedReflect', line: 3, column: 42 }],
    },
    {
      code: "app.get('/x', (c) => {\n  c.header('Access-Control-Allow-Origin', '*');\n  c.header('Access-Control-Allow-Credentials', 'true');\n  return c.json({});\n});",
      errors: [{ messageId: 'credentialedWildcard', line: 2, column: 3 }],
    },
  ],
});
