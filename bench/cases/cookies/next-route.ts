import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';

export async function POST(request: Request): Promise<Response> {
  const { token } = (await request.json()) as { token: string };
  const store = await cookies();
  store.set('session', token, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  store.set('refresh_token', token, { secure: true, sameSite: 'lax' }); // expect: cookies
  store.set('sidebar', 'collapsed');
  const response = NextResponse.json({ ok: true });
  response.cookies.set('auth', token, { httpOnly: true, sameSite: 'none' }); // expect: cookies
  response.cookies.set('consent', 'yes', { maxAge: 60 * 60 * 24 * 365 });
  return response;
}
