import rule from '../../../eslint-plugin/rules/require-secure-cookies.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('require-secure-cookies', rule, {
  valid: [
    "res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'lax' });",
    "res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'strict', maxAge: 3600_000 });",
    // Not a session cookie: UI preferences may be readable by script.
    "res.cookie('theme', 'dark');",
    "res.cookie('sidebar_state', 'open', { maxAge: 31536000 });",
    // Issue #14: sign-in flow cookies (OAuth state, PKCE verifier) must ride along on the provider's
    // redirect back; the browser default SameSite=Lax does that, and they are the flow's CSRF defence.
    "import { cookies } from 'next/headers'; const jar = await cookies(); jar.set('github_oauth_state', state, { secure: true, path: '/', httpOnly: true, maxAge: 600 });",
    "import { cookies } from 'next/headers'; const jar = await cookies(); jar.set('github_code_verifier', verifier, { secure: true, path: '/', httpOnly: true, maxAge: 600 });",
    // A secure flag that depends on the environment is a decision, not an omission.
    "res.cookie('session', id, { httpOnly: true, secure: process.env.NODE_ENV === 'production', sameSite: 'lax' });",
    // Options from elsewhere (spread, parameter) cannot be judged statically.
    "res.cookie('session', id, { ...cookieDefaults });",
    "function set(res, opts) { res.cookie('session', id, opts); }",
    // Not a response object.
    "jar.cookie('session', id);",
    "$.cookie('token', value);",
    "const opts = { httpOnly: true, secure: true, sameSite: 'lax' } as const; res.cookie('auth', t, opts);",
    // express-session with a complete cookie.
    "import session from 'express-session'; app.use(session({ secret: process.env.S!, cookie: { secure: true, sameSite: 'lax' } }));",
    // A local function named session is not express-session.
    "function session(o: object) { return o; } session({ secret: 'x' });",
    "import cookieSession from 'cookie-session'; app.use(cookieSession({ name: 's', keys, secure: true, sameSite: 'lax' }));",
    "import { cookies } from 'next/headers'; (await cookies()).set('session', v, { httpOnly: true, secure: true, sameSite: 'lax' });",
    "import { cookies } from 'next/headers'; const store = await cookies(); store.set({ name: 'locale', value: 'en' });",
    "import { setCookie } from 'hono/cookie'; setCookie(c, 'session', id, { httpOnly: true, secure: true, sameSite: 'Lax' });",
    "import { setCookie } from 'hono/cookie'; setCookie(c, 'lang', 'fr');",
    "import { serialize } from 'cookie'; serialize('token', t, { httpOnly: true, secure: true, sameSite: 'strict' });",
    // A Map's set is not a cookie store.
    "const cookies = new Map(); cookies.set('session', v);",
    // A cookies.set on something that is not Next.js's response.
    "const response = await fetch(url); response.cookies.set('session', id);",
    "reply.setCookie('locale', 'de', { path: '/' });",
    "res.setHeader('Set-Cookie', 'session=abc; Path=/; HttpOnly; Secure; SameSite=Lax');",
    "res.setHeader('Set-Cookie', `theme=${theme}; Path=/`);",
    "res.setHeader('Set-Cookie', `session=${id}; ${attributes}`);",
    "res.setHeader('Content-Type', 'session=abc');",
    "document.cookie = 'theme=dark; path=/';",
    // A parameter named document is not the browser's document.
    'function f(document) { document.cookie = `token=${t}`; }',
  ],
  invalid: [
    {
      // A flow cookie still needs httpOnly and secure; only the SameSite default is fine for it.
      code: "res.cookie('oauth_state', state, { maxAge: 600 });",
      errors: [
        {
          messageId: 'missingFlags',
          line: 1,
          column: 34,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: '`httpOnly: true, secure: true`' },
              output: "res.cookie('oauth_state', state, { maxAge: 600, httpOnly: true, secure: true });",
            },
          ],
        },
      ],
    },
    {
      code: "res.cookie('session', id);",
      errors: [
        {
          messageId: 'missingFlags',
          line: 1,
          column: 1,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`httpOnly: true, secure: true, sameSite: 'lax'`" },
              output: "res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'lax' });",
            },
          ],
        },
      ],
    },
    {
      code: "res.cookie('refresh_token', t, { httpOnly: true, maxAge: 1000 });",
      errors: [
        {
          messageId: 'missingFlags',
          line: 1,
          column: 32,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`secure: true, sameSite: 'lax'`" },
              output:
                "res.cookie('refresh_token', t, { httpOnly: true, maxAge: 1000, secure: true, sameSite: 'lax' });",
            },
          ],
        },
      ],
    },
    {
      code: "res.cookie('auth', t, { httpOnly: false, secure: true, sameSite: 'lax' });",
      errors: [
        {
          messageId: 'flagDisabled',
          line: 1,
          column: 25,
          suggestions: [
            {
              messageId: 'enableFlag',
              data: { flag: 'httpOnly' },
              output: "res.cookie('auth', t, { httpOnly: true, secure: true, sameSite: 'lax' });",
            },
          ],
        },
      ],
    },
    {
      // sameSite none without secure is wrong for any cookie.
      code: "res.cookie('prefs', p, { sameSite: 'none' });",
      errors: [{ messageId: 'sameSiteNoneInsecure', line: 1, column: 24 }],
    },
    {
      code: "res.cookie('sid', s, { httpOnly: true, secure: true, sameSite: 'none' });",
      errors: [{ messageId: 'sameSiteNoneSession', line: 1, column: 22 }],
    },
    {
      // Options defined in the same file are followed; the suggestion edits the definition.
      code: "const opts = { httpOnly: true };\nres.cookie('session', id, opts);",
      errors: [
        {
          messageId: 'missingFlags',
          line: 1,
          column: 14,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`secure: true, sameSite: 'lax'`" },
              output:
                "const opts = { httpOnly: true, secure: true, sameSite: 'lax' };\nres.cookie('session', id, opts);",
            },
          ],
        },
      ],
    },
    {
      code: "import session from 'express-session';\napp.use(session({ secret: process.env.S! }));",
      errors: [
        {
          messageId: 'missingFlags',
          line: 2,
          column: 17,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`secure: true, sameSite: 'lax'`" },
              output:
                "import session from 'express-session';\napp.use(session({ secret: process.env.S!, cookie: { secure: true, sameSite: 'lax' } }));",
            },
          ],
        },
      ],
    },
    {
      code: "const session = require('express-session');\napp.use(session({ secret: s, cookie: { httpOnly: false, secure: true, sameSite: 'lax' } }));",
      errors: [
        {
          messageId: 'flagDisabled',
          line: 2,
          column: 40,
          suggestions: [
            {
              messageId: 'enableFlag',
              data: { flag: 'httpOnly' },
              output:
                "const session = require('express-session');\napp.use(session({ secret: s, cookie: { httpOnly: true, secure: true, sameSite: 'lax' } }));",
            },
          ],
        },
      ],
    },
    {
      code: "import cookieSession from 'cookie-session';\napp.use(cookieSession({ keys, secure: false, sameSite: 'lax' }));",
      errors: [
        {
          messageId: 'flagDisabled',
          line: 2,
          column: 31,
          suggestions: [
            {
              messageId: 'enableFlag',
              data: { flag: 'secure' },
              output:
                "import cookieSession from 'cookie-session';\napp.use(cookieSession({ keys, secure: true, sameSite: 'lax' }));",
            },
          ],
        },
      ],
    },
    {
      code: "import { cookies } from 'next/headers';\nconst store = await cookies();\nstore.set('session', token);",
      errors: [
        {
          messageId: 'missingFlags',
          line: 3,
          column: 1,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`httpOnly: true, secure: true, sameSite: 'lax'`" },
              output:
                "import { cookies } from 'next/headers';\nconst store = await cookies();\nstore.set('session', token, { httpOnly: true, secure: true, sameSite: 'lax' });",
            },
          ],
        },
      ],
    },
    {
      code: "import { setCookie } from 'hono/cookie';\nsetCookie(c, 'access_token', t, { secure: true, sameSite: 'Lax' });",
      errors: [
        {
          messageId: 'missingFlags',
          line: 2,
          column: 33,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: '`httpOnly: true`' },
              output:
                "import { setCookie } from 'hono/cookie';\nsetCookie(c, 'access_token', t, { secure: true, sameSite: 'Lax', httpOnly: true });",
            },
          ],
        },
      ],
    },
    {
      code: "import * as cookie from 'cookie';\nconst header = cookie.serialize('jwt', t, {});",
      errors: [
        {
          messageId: 'missingFlags',
          line: 2,
          column: 43,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`httpOnly: true, secure: true, sameSite: 'lax'`" },
              output:
                "import * as cookie from 'cookie';\nconst header = cookie.serialize('jwt', t, { httpOnly: true, secure: true, sameSite: 'lax' });",
            },
          ],
        },
      ],
    },
    {
      code: "res.setHeader('Set-Cookie', `session=${id}; Path=/; HttpOnly`);",
      errors: [
        {
          messageId: 'missingFlags',
          line: 1,
          column: 29,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`secure: true, sameSite: 'lax'`" },
              output: "res.setHeader('Set-Cookie', `session=${id}; Path=/; HttpOnly; Secure; SameSite=Lax`);",
            },
          ],
        },
      ],
    },
    {
      code: "return new Response(null, { headers: { 'Set-Cookie': 'token=abc; Secure; HttpOnly; SameSite=None' } });",
      errors: [{ messageId: 'sameSiteNoneSession', line: 1, column: 54 }],
    },
    {
      code: "import { NextResponse } from 'next/server';\nconst response = NextResponse.next();\nresponse.cookies.set('session', id, { httpOnly: true, sameSite: 'lax' });",
      errors: [
        {
          messageId: 'missingFlags',
          line: 3,
          column: 37,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: '`secure: true`' },
              output:
                "import { NextResponse } from 'next/server';\nconst response = NextResponse.next();\nresponse.cookies.set('session', id, { httpOnly: true, sameSite: 'lax', secure: true });",
            },
          ],
        },
      ],
    },
    {
      // Fastify's reply.setCookie from @fastify/cookie.
      code: "reply.setCookie('sessionId', id, { httpOnly: true, secure: true, sameSite: 'None' });",
      errors: [{ messageId: 'sameSiteNoneSession', line: 1, column: 34 }],
    },
    {
      code: 'document.cookie = `token=${token}; path=/`;',
      errors: [{ messageId: 'scriptCookie', line: 1, column: 1 }],
    },
    {
      code: "res.cookie('__Host-app', id, {});",
      options: [{ sessionCookieNames: ['__Host-app'] }],
      errors: [
        {
          messageId: 'missingFlags',
          line: 1,
          column: 30,
          suggestions: [
            {
              messageId: 'addFlags',
              data: { fix: "`httpOnly: true, secure: true, sameSite: 'lax'`" },
              output: "res.cookie('__Host-app', id, { httpOnly: true, secure: true, sameSite: 'lax' });",
            },
          ],
        },
      ],
    },
  ],
});
