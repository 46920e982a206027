import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { hashPassword, unknownUserHash, verifyPassword } from '../../server/features/auth/passwords.ts';
import { createLogger } from '../../server/lib/log.ts';
import { client, freshIp, SAME_ORIGIN, sessionCookie, signIn } from '../helpers/auth.ts';
import { DEMO_PASSWORD_FOR_TESTS, describeEachBackend, testConfig } from '../helpers/backends.ts';

const wrongCredentials = { error: { code: 'invalid_credentials', message: '用户名或密码不正确' } };

describeEachBackend('signing in and out', (ctx) => {
  const login = (body: unknown, ip = freshIp(), headers: Record<string, string> = {}) =>
    ctx().app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SAME_ORIGIN, 'x-forwarded-for': ip, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('signs in with an HttpOnly, SameSite=Lax session cookie and answers who I am', async () => {
    const res = await login({ username: ' Coord ', password: DEMO_PASSWORD_FOR_TESTS });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^portal_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
    const me = await res.json();
    expect(me).toEqual({
      user: { id: expect.any(Number), username: 'coord', displayName: '联合执法协调员', role: 'coordinator', active: true },
      department: { id: expect.any(Number), code: 'eco', nameZh: '潍坊市生态环境局', nameEn: 'Weifang Municipal Bureau of Ecology and Environment' },
      permissions: ['read', 'findings.record', 'findings.assign', 'findings.accept', 'tasks.work', 'inspections.record', 'rules.review'],
      timeZone: 'Asia/Shanghai',
    });
    const again = await client(ctx().app, sessionCookie(res))('/api/auth/me');
    expect(await again.json()).toEqual(me);
  });

  it("tells the web the portal's configured time zone", async () => {
    const app = createApp({ database: ctx().database, config: testConfig({ timeZone: 'Europe/Berlin' }), log: createLogger('silent') });
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SAME_ORIGIN, 'x-forwarded-for': freshIp() },
      body: JSON.stringify({ username: 'viewer', password: DEMO_PASSWORD_FOR_TESTS }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).timeZone).toBe('Europe/Berlin');
    expect((await (await client(app, sessionCookie(res))('/api/auth/me')).json()).timeZone).toBe('Europe/Berlin');
  });

  it('marks the cookie Secure when COOKIE_SECURE is set', async () => {
    const app = createApp({ database: ctx().database, config: testConfig({ cookieSecure: true }), log: createLogger('silent') });
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
      body: JSON.stringify({ username: 'viewer', password: DEMO_PASSWORD_FOR_TESTS }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login({ username: 'eco', password: 'not-the-password' });
    const unknown = await login({ username: 'nobody-here', password: 'not-the-password' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual(wrongCredentials);
    expect(await unknown.json()).toEqual(wrongCredentials);
  });

  it('refuses bad sign-in bodies with the field named', async () => {
    const long = await login({ username: 'u'.repeat(65), password: 'p'.repeat(201) });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: '请求内容有误：username、password',
        issues: [
          { path: 'username', message: '用户名最多 64 个字符' },
          { path: 'password', message: '密码最多 200 个字符' },
        ],
      },
    });
    const missing = await login({ username: 'eco' });
    expect(await missing.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：password', issues: [{ path: 'password', message: '无效输入：期望 string，实际接收 undefined' }] },
    });
    const malformed = await login('{"username": "eco", ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'invalid_json', message: '请求内容不是有效的 JSON' } });
  });

  it('slows an account down after 5 failures (429 with Retry-After), not the address', async () => {
    const ipA = freshIp();
    for (let i = 0; i < 5; i++) expect((await login({ username: 'insp', password: `wrong-${i}` }, ipA)).status).toBe(401);
    const locked = await login({ username: 'insp', password: DEMO_PASSWORD_FOR_TESTS }, ipA);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(await locked.json()).toEqual({
      error: { code: 'too_many_attempts', message: `登录失败次数过多，请 ${locked.headers.get('retry-after')} 秒后再试` },
    });
    // The account is locked from any address; the address, whose limit is far higher, still serves others.
    expect((await login({ username: 'insp', password: DEMO_PASSWORD_FOR_TESTS }, freshIp())).status).toBe(429);
    expect((await login({ username: 'nr', password: DEMO_PASSWORD_FOR_TESTS }, ipA)).status).toBe(200);
    // Once the lock has passed, the right password works again and clears the account's count.
    await ctx().database.rows(sql`update login_throttle set locked_until = now() - interval '1 second' where key = 'user:insp'`);
    expect((await login({ username: 'insp', password: DEMO_PASSWORD_FOR_TESTS }, freshIp())).status).toBe(200);
    const [row] = await ctx().database.rows(sql`select * from login_throttle where key = 'user:insp'`);
    expect(row).toBeUndefined();
  });

  it('answers 401 without a session, and after logout', async () => {
    const anonymous = await ctx().app.request('/api/auth/me');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'unauthorized', message: '请先登录' } });
    const cookie = await signIn(ctx().app, 'eco');
    const as = client(ctx().app, cookie);
    const out = await as('/api/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^portal_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax$/);
    const after = await as('/api/auth/me');
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: { code: 'unauthorized', message: '登录已过期或已退出，请重新登录' } });
  });

  it('ends a session after the idle time and after the absolute time', async () => {
    const idle = await signIn(ctx().app, 'eco');
    const absolute = await signIn(ctx().app, 'eco');
    const fresh = await signIn(ctx().app, 'eco');
    const id = (cookie: string) => sql`encode(sha256(convert_to(${cookie.split('=')[1]}, 'UTF8')), 'hex')`;
    await ctx().database.rows(sql`update sessions set last_seen_at = now() - interval '481 minutes' where id = ${id(idle)}`);
    await ctx().database.rows(sql`update sessions set expires_at = now() - interval '1 second' where id = ${id(absolute)}`);
    expect((await client(ctx().app, idle)('/api/auth/me')).status).toBe(401);
    expect((await client(ctx().app, absolute)('/api/auth/me')).status).toBe(401);
    expect((await client(ctx().app, fresh)('/api/auth/me')).status).toBe(200);
  });

  it('refuses a forged cross-site write even with a valid session', async () => {
    const cookie = await signIn(ctx().app, 'admin');
    const forged = await ctx().app.request('/api/departments', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'evil', nameZh: '伪造', nameEn: 'Forged', kind: 'other' }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: { code: 'forbidden', message: '拒绝跨站请求：写操作只能来自本系统页面' } });
    const noOrigin = await ctx().app.request('/api/auth/logout', { method: 'POST', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(noOrigin.status).toBe(403);
    const [exists] = await ctx().database.rows(sql`select 1 from departments where code = 'evil'`);
    expect(exists).toBeUndefined();
    expect((await client(ctx().app, cookie)('/api/auth/me')).status).toBe(200);
  });
});

describeEachBackend('changing a password', (ctx) => {
  it('needs the current password, ends every other session and keeps this one signed in', async () => {
    const other = await signIn(ctx().app, 'lq');
    const mine = await signIn(ctx().app, 'lq');
    const as = client(ctx().app, mine);
    const wrong = await as('/api/auth/password', { json: { currentPassword: 'guess-guess', newPassword: 'a-new-long-password' } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({
      error: { code: 'wrong_password', message: '当前密码不正确', issues: [{ path: 'currentPassword', message: '当前密码不正确' }] },
    });
    const short = await as('/api/auth/password', { json: { currentPassword: DEMO_PASSWORD_FOR_TESTS, newPassword: 'short' } });
    expect(await short.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：newPassword', issues: [{ path: 'newPassword', message: '密码至少 10 个字符' }] },
    });
    const ok = await as('/api/auth/password', { json: { currentPassword: DEMO_PASSWORD_FOR_TESTS, newPassword: 'a-new-long-password' } });
    expect(ok.status).toBe(200);
    const renewed = sessionCookie(ok);
    expect((await client(ctx().app, other)('/api/auth/me')).status).toBe(401);
    expect((await as('/api/auth/me')).status).toBe(401);
    expect((await client(ctx().app, renewed)('/api/auth/me')).status).toBe(200);
    await expect(signIn(ctx().app, 'lq')).rejects.toThrow(/401/);
    await expect(signIn(ctx().app, 'lq', 'a-new-long-password')).resolves.toMatch(/^portal_session=/);
  });
});

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong or tampered one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    const lastByteFlipped = Buffer.from(hash.split('$')[5], 'base64');
    lastByteFlipped[31] ^= 1;
    expect(await verifyPassword('correct horse battery', hash.replace(/[^$]+$/, lastByteFlipped.toString('base64')))).toBe(false);
  });

  it('treats malformed stored hashes as a mismatch, not an error', async () => {
    for (const stored of ['', 'plain', 'scrypt$15$8$1$c2FsdA==$c2hvcnQ=', 'scrypt$40$8$1$c2FsdA==$' + 'A'.repeat(44), 'bcrypt$x']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });

  it('checks unknown users against a real hash, so they cost the same time', async () => {
    expect(await unknownUserHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(await verifyPassword('anything', await unknownUserHash)).toBe(false);
  });
});
