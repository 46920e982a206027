/** The portal's own origin as the browser sees it, directly or through a reverse proxy we trust. */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';

const firstHop = (value: string | undefined) => value?.split(',')[0]?.trim() || undefined;

/** `http` or `https`: the request URL's scheme, or X-Forwarded-Proto's first hop behind a trusted proxy. */
export function requestScheme(c: Context<AppEnv>): 'http' | 'https' {
  const forwarded = c.var.config.trustProxy ? firstHop(c.req.header('x-forwarded-proto'))?.toLowerCase() : undefined;
  if (forwarded === 'https' || forwarded === 'http') return forwarded;
  return new URL(c.req.url).protocol === 'https:' ? 'https' : 'http';
}

/** The origin (scheme, host, port) this request was addressed to, as a browser would put it in `Origin`. */
export function requestOrigin(c: Context<AppEnv>): string {
  const host = (c.var.config.trustProxy ? firstHop(c.req.header('x-forwarded-host')) : undefined) ?? new URL(c.req.url).host;
  try {
    // Through URL so a default port written out (https://host:443) compares equal to the browser's form.
    return new URL(`${requestScheme(c)}://${host}`).origin;
  } catch {
    return 'null';
  }
}
