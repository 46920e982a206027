import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { queryRows } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { errorBody } from '../../lib/errors.ts';
import { zJson } from '../../lib/validate.ts';
import { clientIp } from './access.ts';
import { findAccount, loadMe } from './auth.queries.ts';
import { changePasswordBody, loginBody } from './auth.schemas.ts';
import { hashPassword, unknownUserHash, verifyPassword } from './passwords.ts';
import {
  clearSessionCookie,
  createSession,
  revokeSession,
  revokeUserSessions,
  writeSessionCookie,
} from './sessions.ts';
import { recordSuccess, reserveAttempt, throttleKeys } from './throttle.ts';

const wrongCredentials = errorBody('invalid_credentials', '用户名或密码不正确');

/** 429 with Retry-After: too many password attempts on this account or from this address. */
const tooManyAttempts = (c: Context<AppEnv>, what: string, seconds: number) =>
  c.json(errorBody('too_many_attempts', `${what}次数过多，请 ${seconds} 秒后再试`), 429, { 'retry-after': String(seconds) });

/** `/api/auth`: sign in and out, who am I, change my password. */
export const authRoutes = new Hono<AppEnv>()
  .post('/login', zJson(loginBody), async (c) => {
    const { database, config } = c.var;
    const username = c.req.valid('json').username.toLowerCase();
    const { password } = c.req.valid('json');
    const ip = clientIp(c);
    const keys = throttleKeys(username, ip);

    // Counted before the password is checked, so parallel guesses cannot outrun the count.
    const wait = await reserveAttempt(database.db, keys);
    if (wait > 0) return tooManyAttempts(c, '登录失败', wait);
    const account = await findAccount(database.db, username);
    // Unknown, inactive and wrong-password sign-ins take the same path and get the same answer.
    const ok = await verifyPassword(password, account?.password_hash ?? (await unknownUserHash));
    if (!account || !ok || !account.active) return c.json(wrongCredentials, 401);
    const token = await database.db.transaction(async (tx) => {
      await recordSuccess(tx, keys);
      const t = await createSession(tx, config, account.id, { ip, userAgent: c.req.header('user-agent') ?? null });
      await queryRows(tx, sql`update users set last_login_at = now() where id = ${account.id}`);
      await recordEvent(tx, {
        actor: { userId: account.id, username, departmentId: account.department_id },
        action: 'auth.login',
        entity: 'user',
        entityId: account.id,
        ip,
      });
      return t;
    });
    writeSessionCookie(c, config, token);
    return c.json({ ...(await loadMe(database.db, account.id)), timeZone: config.timeZone }, 200);
  })
  .post('/logout', async (c) => {
    const actor = c.var.actor!;
    await c.var.database.db.transaction(async (tx) => {
      await revokeSession(tx, actor.sessionId, 'logout');
      await recordEvent(tx, { actor, action: 'auth.logout', entity: 'user', entityId: actor.userId, ip: clientIp(c) });
    });
    clearSessionCookie(c, c.var.config);
    return c.body(null, 204);
  })
  .get('/me', async (c) => c.json({ ...(await loadMe(c.var.database.db, c.var.actor!.userId)), timeZone: c.var.config.timeZone }, 200))
  .post('/password', zJson(changePasswordBody), async (c) => {
    const { database, config } = c.var;
    const actor = c.var.actor!;
    const { currentPassword, newPassword } = c.req.valid('json');
    const ip = clientIp(c);
    // The same keys as sign-in: a stolen session must not become an unthrottled password oracle.
    const keys = throttleKeys(actor.username, ip);
    const wait = await reserveAttempt(database.db, keys);
    if (wait > 0) return tooManyAttempts(c, '当前密码错误', wait);
    const account = await findAccount(database.db, actor.username);
    if (!account || !(await verifyPassword(currentPassword, account.password_hash))) {
      return c.json(errorBody('wrong_password', '当前密码不正确', [{ path: 'currentPassword', message: '当前密码不正确' }]), 403);
    }
    const hash = await hashPassword(newPassword);
    const token = await database.db.transaction(async (tx) => {
      await recordSuccess(tx, keys);
      await queryRows(tx, sql`update users set password_hash = ${hash}, password_changed_at = now(), updated_at = now() where id = ${actor.userId}`);
      const ended = await revokeUserSessions(tx, actor.userId, 'password_changed');
      await recordEvent(tx, { actor, action: 'user.password_changed', entity: 'user', entityId: actor.userId, after: { sessionsEnded: ended }, ip });
      return createSession(tx, config, actor.userId, { ip, userAgent: c.req.header('user-agent') ?? null });
    });
    writeSessionCookie(c, config, token);
    return c.json({ ...(await loadMe(database.db, actor.userId)), timeZone: config.timeZone }, 200);
  });
