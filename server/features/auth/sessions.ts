/** Server-side sessions: random token in the cookie, its SHA-256 in the table, idle and absolute expiry. */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../app-env.ts';
import type { Config } from '../../config.ts';
import { queryRows, type Executor } from '../../db/backend.ts';
import { requestScheme } from '../../lib/origin.ts';
import type { Role } from '../../lib/vocabulary.ts';
import type { Actor } from './roles.ts';

export const SESSION_COOKIE = 'portal_session';

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a session for a user and returns the token for the cookie. */
export async function createSession(
  tx: Executor,
  config: Config,
  userId: number,
  client: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await queryRows(
    tx,
    sql`insert into sessions (id, user_id, expires_at, ip, user_agent)
        values (${tokenId(token)}, ${userId}, now() + make_interval(mins => ${config.sessionAbsoluteMinutes}),
                ${client.ip}, ${client.userAgent?.slice(0, 300) ?? null})`,
  );
  return token;
}

/** Outcome of reading the cookie: a live session, none at all, or one that has ended. */
export type SessionLookup = { state: 'none' } | { state: 'ended' } | { state: 'active'; actor: Actor };

/** Resolves the session cookie to the acting user; touches `last_seen_at` at most once a minute. */
export async function lookupSession(exec: Executor, config: Config, token: string | undefined): Promise<SessionLookup> {
  if (!token) return { state: 'none' };
  if (token.length > 100) return { state: 'ended' };
  const id = tokenId(token);
  const [row] = await queryRows<{
    user_id: number;
    username: string;
    display_name: string;
    role: Role;
    department_id: number | null;
    live: boolean;
    stale: boolean;
  }>(
    exec,
    sql`select u.id as user_id, u.username, u.display_name, u.role, u.department_id,
               (s.revoked_at is null and u.active and s.expires_at > now()
                and s.last_seen_at > now() - make_interval(mins => ${config.sessionIdleMinutes})) as live,
               s.last_seen_at < now() - interval '1 minute' as stale
        from sessions s join users u on u.id = s.user_id
        where s.id = ${id}`,
  );
  if (!row || !row.live) return { state: 'ended' };
  if (row.stale) await queryRows(exec, sql`update sessions set last_seen_at = now() where id = ${id}`);
  return {
    state: 'active',
    actor: {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      departmentId: row.department_id,
      sessionId: id,
    },
  };
}

/** Ends one session. */
export async function revokeSession(tx: Executor, sessionId: string, reason: string): Promise<void> {
  await queryRows(tx, sql`update sessions set revoked_at = now(), revoked_reason = ${reason} where id = ${sessionId} and revoked_at is null`);
}

/** Ends every session of a user at once (password change, reset, deactivation). */
export async function revokeUserSessions(tx: Executor, userId: number, reason: string): Promise<number> {
  const rows = await queryRows(
    tx,
    sql`update sessions set revoked_at = now(), revoked_reason = ${reason} where user_id = ${userId} and revoked_at is null returning id`,
  );
  return rows.length;
}

/** The token in the request's cookie, if any. */
export const readSessionCookie = (c: Context) => getCookie(c, SESSION_COOKIE);

/** Secure whenever the browser reached us over HTTPS (directly or through a trusted proxy), or when configured. */
const secureCookie = (c: Context<AppEnv>, config: Config) => config.cookieSecure || requestScheme(c) === 'https';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS or when configured. */
export function writeSessionCookie(c: Context<AppEnv>, config: Config, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookie(c, config),
    path: '/',
    maxAge: config.sessionAbsoluteMinutes * 60,
  });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(c: Context<AppEnv>, config: Config) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookie(c, config), httpOnly: true, sameSite: 'Lax' });
}
