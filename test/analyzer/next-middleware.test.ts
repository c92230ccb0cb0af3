/**
 * What a wrapped Next.js middleware (`middleware.ts` / Next 16 `proxy.ts`) protects, route by
 * route: Clerk, next-auth v4, Auth.js v5, the Supabase SSR helper, and composition. Each case is a
 * small app written to disk and read through `portcullis routes`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { listRoutes } from '../../src/cli/commands/routes.js';

const BASE: Record<string, string> = {
  'tsconfig.json': '{ "compilerOptions": { "strict": true, "baseUrl": ".", "paths": { "@/*": ["./*"] } } }\n',
  'lib/db.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n",
};

/** A route handler that writes data and checks nothing itself. */
function writer(model: string): string {
  return `import { prisma } from '@/lib/db';\n\nexport async function POST() {\n  await prisma.${model}.create({ data: {} });\n  return new Response(null, { status: 201 });\n}\n`;
}

const ROUTES: Record<string, string> = {
  'app/dashboard/items/route.ts': writer('item'),
  'app/api/orders/route.ts': writer('order'),
  'app/api/public/signup/route.ts': writer('lead'),
  'app/login/route.ts': writer('attempt'),
  'app/auth/confirm/route.ts': writer('confirmation'),
};

/** Guard text per `METHOD /path` (null when unguarded). */
async function guards(files: Record<string, string>): Promise<Record<string, string | null>> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-nextmw-'));
  try {
    for (const [file, text] of Object.entries({ ...BASE, ...ROUTES, ...files })) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const rows = await listRoutes(dir);
    return Object.fromEntries(rows.map((row) => [`${row.method} ${row.path}`, row.guard]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CLERK_MATCHER = "export const config = { matcher: ['/((?!_next|.*\\\\..*).*)', '/(api|trpc)(.*)'] };\n";

describe('Clerk clerkMiddleware', () => {
  it('protects nothing without a callback: it only makes auth() available', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';\n\nexport default clerkMiddleware();\n\n${CLERK_MATCHER}`,
    });
    expect(Object.values(result)).toEqual([null, null, null, null, null]);
  });

  it('protects exactly the createRouteMatcher paths when protect() runs under them', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';

const isProtectedRoute = createRouteMatcher(['/dashboard(.*)', '/api/orders(.*)']);

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect();
});

${CLERK_MATCHER}`,
    });
    expect(result['POST /dashboard/items']).toBe('clerkMiddleware auth.protect() (middleware.ts:6)');
    expect(result['POST /api/orders']).toBe('clerkMiddleware auth.protect() (middleware.ts:6)');
    expect(result['POST /api/public/signup']).toBeNull();
    expect(result['POST /login']).toBeNull();
  });

  it('protects everything but the public routes with the inverse matcher or an early return', async () => {
    for (const body of [
      'if (!isPublicRoute(req)) {\n    await auth.protect();\n  }',
      'if (isPublicRoute(req)) return NextResponse.next();\n  await auth.protect();',
    ]) {
      const result = await guards({
        'middleware.ts': `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';
import { NextResponse } from 'next/server';

const isPublicRoute = createRouteMatcher(['/login(.*)', '/api/public/(.*)']);

export default clerkMiddleware(async (auth, req) => {
  ${body}
});

${CLERK_MATCHER}`,
      });
      expect(result['POST /dashboard/items']).toMatch(/^clerkMiddleware auth\.protect\(\) \(middleware\.ts:\d+\)$/);
      expect(result['POST /api/orders']).not.toBeNull();
      expect(result['POST /auth/confirm']).not.toBeNull();
      expect(result['POST /api/public/signup']).toBeNull();
      expect(result['POST /login']).toBeNull();
    }
  });

  it('counts an unconditional protect() and the userId check with redirectToSignIn', async () => {
    const always = await guards({
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';\n\nexport default clerkMiddleware(async (auth) => {\n  await auth.protect();\n});\n\n${CLERK_MATCHER}`,
    });
    expect(Object.values(always).every((guard) => guard?.startsWith('clerkMiddleware auth.protect()'))).toBe(true);
    const signIn = await guards({
      'middleware.ts': `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';

const isProtectedRoute = createRouteMatcher(['/dashboard(.*)']);

export default clerkMiddleware(async (auth, req) => {
  const { userId, redirectToSignIn } = await auth();
  if (!userId && isProtectedRoute(req)) return redirectToSignIn();
});

${CLERK_MATCHER}`,
    });
    expect(signIn['POST /dashboard/items']).toBe('clerkMiddleware redirectToSignIn() (middleware.ts:7)');
    expect(signIn['POST /api/orders']).toBeNull();
  });

  it('counts a redirect away that the session decides (Clerk role check), not one a path decides', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';
import { NextResponse } from 'next/server';

const isAdminRoute = createRouteMatcher(['/dashboard(.*)']);

export default clerkMiddleware(async (auth, req) => {
  if (req.nextUrl.pathname === '/api/old') return NextResponse.redirect(new URL('/api/orders', req.url));
  if (isAdminRoute(req) && (await auth()).sessionClaims?.metadata?.role !== 'admin') {
    return NextResponse.redirect(new URL('/', req.url));
  }
});
`,
    });
    expect(result['POST /dashboard/items']).toBe('clerkMiddleware redirect without a session (middleware.ts:9)');
    expect(result['POST /api/orders']).toBeNull();
  });

  it('does not take a condition it cannot read for a protection (a header bypass leaves routes open)', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';

export default clerkMiddleware(async (auth, req) => {
  if (req.headers.get('x-internal') === '1') return;
  await auth.protect();
});
`,
    });
    expect(result['POST /api/orders']).toBeNull();
  });

  it('reads a route matcher imported from another file', async () => {
    const result = await guards({
      'lib/routes.ts':
        "import { createRouteMatcher } from '@clerk/nextjs/server';\n\nexport const isPublicRoute = createRouteMatcher(['/login', '/api/public(.*)']);\nexport const isBot = (req: Request) => req.headers.has('x-bot');\n",
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';\n\nimport { isPublicRoute } from '@/lib/routes';\n\nexport default clerkMiddleware(async (auth, req) => {\n  if (!isPublicRoute(req)) await auth.protect();\n});\n`,
    });
    expect(result['POST /api/orders']).toBe('clerkMiddleware auth.protect() (middleware.ts:6)');
    expect(result['POST /api/public/signup']).toBeNull();
    expect(result['POST /login']).toBeNull();
    // An imported function that is not a route matcher is not a condition the analyzer can read.
    const bot = await guards({
      'lib/routes.ts': "export const isBot = (req: Request) => req.headers.has('x-bot');\n",
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';\n\nimport { isBot } from '@/lib/routes';\n\nexport default clerkMiddleware(async (auth, req) => {\n  if (!isBot(req)) await auth.protect();\n});\n`,
    });
    expect(bot['POST /api/orders']).toBeNull();
  });

  it('follows the callback into a helper that gets auth passed on', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';\n\nimport { protectApp } from './lib/protect';\n\nexport default clerkMiddleware(async (auth, req) => {\n  await protectApp(auth, req);\n});\n`,
      'lib/protect.ts': `import type { NextRequest } from 'next/server';

export async function protectApp(auth: { protect: () => Promise<unknown> }, req: NextRequest) {
  if (req.nextUrl.pathname.startsWith('/dashboard')) await auth.protect();
}
`,
    });
    expect(result['POST /dashboard/items']).toBe('protectApp auth.protect() (lib/protect.ts:4)');
    expect(result['POST /api/orders']).toBeNull();
  });

  it('does not count a denial inside a loop body, which may never run', async () => {
    const result = await guards({
      'middleware.ts': `import { NextResponse, type NextRequest } from 'next/server';

export function middleware(request: NextRequest) {
  for (const name of request.nextUrl.searchParams.getAll('realm')) {
    const token = request.cookies.get(name);
    if (!token) return new NextResponse('Unauthorized', { status: 401 });
  }
  return NextResponse.next();
}
`,
    });
    expect(result['POST /api/orders']).toBeNull();
  });

  it('applies the route matcher after config.matcher (paths the middleware never runs on stay open)', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';\n\nexport default clerkMiddleware(async (auth) => {\n  await auth.protect();\n});\n\nexport const config = { matcher: ['/dashboard/:path*'] };\n`,
    });
    expect(result['POST /dashboard/items']).not.toBeNull();
    expect(result['POST /api/orders']).toBeNull();
  });
});

describe('Clerk authMiddleware (v4)', () => {
  it('protects all but publicRoutes and ignoredRoutes', async () => {
    const result = await guards({
      'middleware.ts': `import { authMiddleware } from '@clerk/nextjs';\n\nexport default authMiddleware({ publicRoutes: ['/login', '/api/public/(.*)'], ignoredRoutes: [/^\\/auth\\//] });\n`,
    });
    expect(result['POST /dashboard/items']).toBe('authMiddleware (all but publicRoutes) (middleware.ts:3)');
    expect(result['POST /api/orders']).not.toBeNull();
    expect(result['POST /api/public/signup']).toBeNull();
    expect(result['POST /login']).toBeNull();
    expect(result['POST /auth/confirm']).toBeNull();
  });

  it('does not guess when beforeAuth/afterAuth decide or publicRoutes is not a literal list', async () => {
    for (const options of [
      '{ afterAuth(auth, req) { return undefined; } }',
      "{ beforeAuth: (req) => false, publicRoutes: ['/login'] }",
      '{ publicRoutes: (req) => req.url.includes("public") }',
    ]) {
      const result = await guards({
        'middleware.ts': `import { authMiddleware } from '@clerk/nextjs';\n\nexport default authMiddleware(${options});\n`,
      });
      expect(result['POST /api/orders']).toBeNull();
    }
  });
});

describe('next-auth v4 middleware', () => {
  it('re-exported next-auth/middleware requires a token on every matched route', async () => {
    const result = await guards({
      'middleware.ts': `export { default } from 'next-auth/middleware';\n\nexport const config = { matcher: ['/dashboard/:path*', '/api/orders'] };\n`,
    });
    expect(result['POST /dashboard/items']).toBe('next-auth/middleware (requires a session token) (middleware.ts:1)');
    expect(result['POST /api/orders']).not.toBeNull();
    expect(result['POST /api/public/signup']).toBeNull();
  });

  it('withAuth guards with its default or a token-checking authorized callback, not with one that allows all', async () => {
    const plain = await guards({
      'middleware.ts': `import { withAuth } from 'next-auth/middleware';\n\nexport default withAuth(function middleware(req) {\n  return undefined;\n});\n`,
    });
    expect(plain['POST /api/orders']).toBe('withAuth (requires a session token) (middleware.ts:3)');
    const token = await guards({
      'middleware.ts': `import { withAuth } from 'next-auth/middleware';\n\nexport default withAuth({\n  callbacks: { authorized: ({ token }) => !!token },\n});\n`,
    });
    expect(token['POST /api/orders']).toBe('withAuth authorized callback returns !!token (middleware.ts:4)');
    const open = await guards({
      'middleware.ts': `import { withAuth } from 'next-auth/middleware';\n\nexport default withAuth({ callbacks: { authorized: () => true } });\n`,
    });
    expect(open['POST /api/orders']).toBeNull();
    const scoped = await guards({
      'middleware.ts': `import { withAuth } from 'next-auth/middleware';

export default withAuth({
  callbacks: {
    authorized: ({ req, token }) => {
      if (req.nextUrl.pathname.startsWith('/dashboard')) return token?.role === 'admin';
      return true;
    },
  },
});
`,
    });
    expect(scoped['POST /dashboard/items']).toBe(
      "withAuth authorized callback returns token?.role === 'admin' (middleware.ts:6)",
    );
    expect(scoped['POST /api/orders']).toBeNull();
  });
});

const AUTH_TS = `import NextAuth from 'next-auth';\n\nimport { authConfig } from './auth.config';\n\nexport const { auth, handlers } = NextAuth(authConfig);\n`;

describe('Auth.js v5', () => {
  it('export { auth as middleware } protects only through an authorized callback that refuses', async () => {
    const none = await guards({
      'auth.config.ts': "export const authConfig = { pages: { signIn: '/login' }, providers: [] };\n",
      'auth.ts': AUTH_TS,
      'middleware.ts': "export { auth as middleware } from '@/auth';\n",
    });
    expect(none['POST /api/orders']).toBeNull();
    const refusing = await guards({
      'auth.config.ts':
        'export const authConfig = {\n  providers: [],\n  callbacks: {\n    authorized: async ({ auth }) => !!auth,\n  },\n};\n',
      'auth.ts': AUTH_TS,
      'middleware.ts': "export { auth as middleware } from '@/auth';\n",
    });
    expect(refusing['POST /api/orders']).toBe('Auth.js authorized callback returns !!auth (auth.config.ts:4)');
  });

  it('reads NextAuth(authConfig).auth (the Next.js tutorial) and a Next 16 proxy export', async () => {
    const config = `export const authConfig = {
  providers: [],
  callbacks: {
    authorized({ auth, request: { nextUrl } }) {
      const isOnDashboard = nextUrl.pathname.startsWith('/dashboard');
      if (isOnDashboard) return !!auth?.user;
      return true;
    },
  },
};
`;
    const tutorial = await guards({
      'auth.config.ts': config,
      'middleware.ts': `import NextAuth from 'next-auth';\n\nimport { authConfig } from './auth.config';\n\nexport default NextAuth(authConfig).auth;\n`,
    });
    expect(tutorial['POST /dashboard/items']).toBe(
      'Auth.js authorized callback returns !!auth?.user (auth.config.ts:6)',
    );
    expect(tutorial['POST /api/orders']).toBeNull();
    const proxy = await guards({
      'auth.config.ts': config,
      'auth.ts': AUTH_TS,
      'proxy.ts': "import { auth } from './auth';\n\nexport const proxy = auth;\n",
    });
    expect(proxy['POST /dashboard/items']).not.toBeNull();
    expect(proxy['POST /api/orders']).toBeNull();
  });

  it('reads a lazily initialised config and an authorized callback that returns a helper in another file', async () => {
    const result = await guards({
      'auth.ts': `import NextAuth from 'next-auth';

import { decide } from './lib/access';

export const { auth, handlers } = NextAuth((req) => ({
  providers: [],
  callbacks: {
    authorized({ auth, request: { nextUrl } }) {
      return decide(auth, nextUrl);
    },
  },
}));
`,
      'lib/access.ts': `export function decide(auth: { user?: unknown } | null, nextUrl: URL) {
  if (nextUrl.pathname.startsWith('/api/public')) return true;
  return !!auth?.user;
}
`,
      'middleware.ts': "export { auth as middleware } from './auth';\n",
    });
    expect(result['POST /api/orders']).toBe('decide returns !!auth?.user (lib/access.ts:3)');
    expect(result['POST /api/public/signup']).toBeNull();
  });

  it('auth((req) => …) guards by its own check; a false from authorized no longer counts next to it', async () => {
    const files = {
      'auth.config.ts':
        'export const authConfig = {\n  providers: [],\n  callbacks: {\n    authorized: ({ auth }) => !!auth,\n  },\n};\n',
      'auth.ts': AUTH_TS,
    };
    const own = await guards({
      ...files,
      'middleware.ts': `import { NextResponse } from 'next/server';

import { auth } from '@/auth';

export default auth((req) => {
  if (!req.auth && req.nextUrl.pathname !== '/login') return NextResponse.redirect(new URL('/login', req.nextUrl));
});
`,
    });
    expect(own['POST /api/orders']).toBe('auth() middleware redirect to sign-in (middleware.ts:6)');
    expect(own['POST /login']).toBeNull();
    // next-auth runs the user middleware instead of redirecting when authorized() returns false.
    const ignored = await guards({
      ...files,
      'middleware.ts': `import { auth } from '@/auth';\n\nexport default auth((req) => {\n  console.log(req.auth);\n});\n`,
    });
    expect(ignored['POST /api/orders']).toBeNull();
  });
});

const SUPABASE_MIDDLEWARE = `import { type NextRequest } from 'next/server';

import { updateSession } from '@/utils/supabase/middleware';

export async function middleware(request: NextRequest) {
  return await updateSession(request);
}
`;

describe('Supabase SSR', () => {
  it('follows updateSession into its file: a redirect to /login without a user guards all but /login and /auth', async () => {
    const result = await guards({
      'middleware.ts': SUPABASE_MIDDLEWARE,
      'utils/supabase/middleware.ts': `import { createServerClient } from '@supabase/ssr';
import { NextResponse, type NextRequest } from 'next/server';

export async function updateSession(request: NextRequest) {
  let supabaseResponse = NextResponse.next({ request });
  const supabase = createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    cookies: {
      getAll() {
        return request.cookies.getAll();
      },
      setAll(cookiesToSet) {
        supabaseResponse = NextResponse.next({ request });
        cookiesToSet.forEach(({ name, value, options }) => supabaseResponse.cookies.set(name, value, options));
      },
    },
  });
  const {
    data: { user },
  } = await supabase.auth.getUser();
  if (!user && !request.nextUrl.pathname.startsWith('/login') && !request.nextUrl.pathname.startsWith('/auth')) {
    const url = request.nextUrl.clone();
    url.pathname = '/login';
    return NextResponse.redirect(url);
  }
  return supabaseResponse;
}
`,
    });
    expect(result['POST /dashboard/items']).toBe('updateSession redirect to sign-in (utils/supabase/middleware.ts:23)');
    expect(result['POST /api/orders']).not.toBeNull();
    expect(result['POST /login']).toBeNull();
    expect(result['POST /auth/confirm']).toBeNull();
  });

  it('a helper that only refreshes the session cookies is not a guard', async () => {
    const result = await guards({
      'middleware.ts': SUPABASE_MIDDLEWARE,
      'utils/supabase/middleware.ts': `import { createServerClient } from '@supabase/ssr';
import { NextResponse, type NextRequest } from 'next/server';

export async function updateSession(request: NextRequest) {
  const response = NextResponse.next({ request });
  const supabase = createServerClient('url', 'key', { cookies: { getAll: () => request.cookies.getAll(), setAll: () => undefined } });
  await supabase.auth.getUser();
  return response;
}
`,
    });
    expect(Object.values(result)).toEqual([null, null, null, null, null]);
  });
});

describe('composition', () => {
  it('follows a middleware that delegates to a locally built clerkMiddleware', async () => {
    const result = await guards({
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';
import type { NextFetchEvent, NextRequest } from 'next/server';

const clerkHandler = clerkMiddleware(async (auth) => {
  await auth.protect();
});

export function middleware(req: NextRequest, event: NextFetchEvent) {
  if (req.nextUrl.pathname.startsWith('/api/public')) return undefined;
  return clerkHandler(req, event);
}
`,
    });
    expect(result['POST /api/orders']).toBe('clerkMiddleware auth.protect() (middleware.ts:5)');
    expect(result['POST /api/public/signup']).toBeNull();
  });

  it('stays unguarded behind a chain() whose members it cannot prove run', async () => {
    const result = await guards({
      'middleware.ts': `import { chain } from '@/lib/chain';
import { withAuth } from '@/lib/with-auth';
import { withLogging } from '@/lib/with-logging';

export default chain([withAuth, withLogging]);
`,
      'lib/chain.ts':
        'export function chain(fns: ((next: unknown) => unknown)[]) {\n  return fns.reduceRight((next, fn) => fn(next), undefined as unknown);\n}\n',
      'lib/with-auth.ts': `import { NextResponse, type NextRequest } from 'next/server';\n\nexport function withAuth(next: (req: NextRequest) => unknown) {\n  return (req: NextRequest) => {\n    if (!req.cookies.get('session')) return NextResponse.redirect(new URL('/login', req.url));\n    return next(req);\n  };\n}\n`,
      'lib/with-logging.ts': 'export function withLogging(next: (req: unknown) => unknown) {\n  return next;\n}\n',
    });
    expect(result['POST /api/orders']).toBeNull();
  });

  it('keeps reading a plain middleware function, with its path conditions', async () => {
    const result = await guards({
      'middleware.ts': `import { NextResponse, type NextRequest } from 'next/server';

const PUBLIC = ['/login', '/api/public'];

export function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC.some((prefix) => pathname.startsWith(prefix))) return NextResponse.next();
  const token = request.cookies.get('session')?.value;
  if (!token) return new NextResponse('Unauthorized', { status: 401 });
  return NextResponse.next();
}
`,
    });
    expect(result['POST /api/orders']).toBe('middleware 401 response (middleware.ts:9)');
    expect(result['POST /auth/confirm']).not.toBeNull();
    expect(result['POST /api/public/signup']).toBeNull();
    expect(result['POST /login']).toBeNull();
  });
});
