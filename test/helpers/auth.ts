/** Signing in from tests, through the real login endpoint. */
import type { createApp } from '../../server/app.ts';
import { DEMO_PASSWORD_FOR_TESTS } from './fixtures.ts';

type App = ReturnType<typeof createApp>;

/** The Origin a same-site browser page would send (app.request addresses http://localhost). */
export const SAME_ORIGIN = 'http://localhost';

let nextIp = 1;
/** A fresh client address per call, so throttling of one test never reaches another. */
export const freshIp = () => `127.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

/** Signs in and returns the `portal_session=…` cookie pair; throws with the body on failure. */
export async function signIn(app: App, username: string, password = DEMO_PASSWORD_FOR_TESTS, ip = freshIp()): Promise<string> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SAME_ORIGIN, 'x-forwarded-for': ip },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  return sessionCookie(res);
}

/** The `portal_session=…` pair from a response's Set-Cookie. */
export function sessionCookie(res: Response): string {
  const header = res.headers.get('set-cookie') ?? '';
  const match = /portal_session=[^;]*/.exec(header);
  if (!match) throw new Error(`no session cookie in: ${header}`);
  return match[0];
}

/** A request function carrying a session cookie, a same-origin Origin and JSON bodies. */
export function client(app: App, cookie: string | null) {
  return (path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) =>
    app.request(path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: {
        origin: SAME_ORIGIN,
        ...(cookie ? { cookie } : {}),
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
}
