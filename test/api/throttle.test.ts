/**
 * Password throttling under bursts: counts are taken atomically in the database before the password
 * is checked, so parallel guesses cannot outrun them (on PostgreSQL the requests really race over
 * several connections), and no burst size gives a 5xx.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { createApp } from '../../server/app.ts';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT } from '../../server/features/auth/throttle.ts';
import { client, freshIp, SAME_ORIGIN, signIn } from '../helpers/auth.ts';
import { DEMO_PASSWORD_FOR_TESTS, describeEachBackend } from '../helpers/backends.ts';

type App = ReturnType<typeof createApp>;

const loginRequest = (app: App, username: string, password: string, ip: string) =>
  app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SAME_ORIGIN, 'x-forwarded-for': ip },
    body: JSON.stringify({ username, password }),
  });

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

describeEachBackend('sign-in throttling under bursts', (ctx) => {
  const login = (username: string, password: string, ip: string) => loginRequest(ctx().app, username, password, ip);

  it('lets at most the account limit of 40 parallel wrong passwords through to a 401; the rest get 429', async () => {
    const ip = freshIp();
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => login('eco', `wrong-${i}`, ip)));
    expect(tally(res.map((r) => r.status))).toEqual({ 401: ACCOUNT_LIMIT, 429: 40 - ACCOUNT_LIMIT });
    const locked = res.find((r) => r.status === 429)!;
    const wait = Number(locked.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(30);
    expect(await locked.json()).toEqual({ error: { code: 'too_many_attempts', message: `登录失败次数过多，请 ${wait} 秒后再试` } });
  });

  it('never signs in during a 200-guess burst once locked, right password included, and gives no 5xx', async () => {
    const ip = freshIp();
    const first = await Promise.all(Array.from({ length: 200 }, (_, i) => login('nr', `guess-${i}`, ip)));
    expect(tally(first.map((r) => r.status))).toEqual({ 401: ACCOUNT_LIMIT, 429: 200 - ACCOUNT_LIMIT });
    // The account is now locked: a second burst with the right password in the middle gets nothing but 429.
    const second = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login('nr', i === 100 ? DEMO_PASSWORD_FOR_TESTS : `guess-${i}`, freshIp())),
    );
    expect(tally(second.map((r) => r.status))).toEqual({ 429: 200 });
    expect(second[100].headers.get('set-cookie')).toBeNull();
    // Still locked, with an interval that stayed within the cap however many attempts were made.
    const [row] = await ctx().database.rows<{ seconds: number }>(
      sql`select extract(epoch from locked_until - now())::float as seconds from login_throttle where key = 'user:nr'`,
    );
    expect(row.seconds).toBeGreaterThan(0);
    expect(row.seconds).toBeLessThanOrEqual(15 * 60);
  });

  it('backs off exponentially after the lock and caps the lock at 15 minutes without overflowing', async () => {
    const ip = freshIp();
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await login('insp', `wrong-${i}`, ip)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      // Each lock is let run out, then one more wrong password doubles it.
      await ctx().database.rows(sql`update login_throttle set locked_until = now() - interval '1 second' where key = 'user:insp'`);
      expect((await login('insp', `again-${i}`, ip)).status).toBe(401);
      const locked = await login('insp', DEMO_PASSWORD_FOR_TESTS, ip);
      expect(locked.status).toBe(429);
      waits.push(Number(locked.headers.get('retry-after')));
    }
    expect(waits.map((w) => Math.round(w / 10) * 10)).toEqual([60, 120, 240, 480, 900, 900, 900, 900]);
    // A count far beyond any burst still gives a capped lock, not an interval overflow.
    await ctx().database.rows(sql`update login_throttle set failures = 999999, locked_until = null where key = 'user:insp'`);
    expect((await login('insp', 'wrong-again', ip)).status).toBe(401);
    const capped = await login('insp', DEMO_PASSWORD_FOR_TESTS, ip);
    expect(capped.status).toBe(429);
    expect(Number(capped.headers.get('retry-after'))).toBeLessThanOrEqual(900);
  });

  it('does not lock other accounts behind one address when one username is mistyped', async () => {
    const office = freshIp();
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await login('no-such-user', `wrong-${i}`, office)).status).toBe(401);
    expect((await login('no-such-user', 'wrong-again', office)).status).toBe(429);
    expect((await login('lq', DEMO_PASSWORD_FOR_TESTS, office)).status).toBe(200);
    expect((await login('viewer', DEMO_PASSWORD_FOR_TESTS, office)).status).toBe(200);
  });

  it('locks an address after the address limit of failures across many usernames', async () => {
    const ip = freshIp();
    // Successful sign-ins give their attempt back: were they counted, only 40 of the guesses would be let through.
    for (let i = 0; i < 10; i++) expect((await login('coord', DEMO_PASSWORD_FOR_TESTS, ip)).status).toBe(200);
    const guesses = await Promise.all(Array.from({ length: ADDRESS_LIMIT + 10 }, (_, i) => login(`someone-${i}`, 'guess', ip)));
    expect(tally(guesses.map((r) => r.status))).toEqual({ 401: ADDRESS_LIMIT, 429: 10 });
    expect((await login('coord', DEMO_PASSWORD_FOR_TESTS, ip)).status).toBe(429);
    expect((await login('coord', DEMO_PASSWORD_FOR_TESTS, freshIp())).status).toBe(200);
  });
});

describeEachBackend('password-change throttling', (ctx) => {
  it('throttles wrong current passwords, also in parallel, and shares the count with sign-in', async () => {
    const ip = freshIp();
    const as = client(ctx().app, await signIn(ctx().app, 'lq'));
    const change = (currentPassword: string) =>
      as('/api/auth/password', { json: { currentPassword, newPassword: 'a-new-long-password' }, headers: { 'x-forwarded-for': ip } });
    const res = await Promise.all(Array.from({ length: 20 }, (_, i) => change(`guess-${i}`)));
    expect(tally(res.map((r) => r.status))).toEqual({ 403: ACCOUNT_LIMIT, 429: 20 - ACCOUNT_LIMIT });
    const locked = await change(DEMO_PASSWORD_FOR_TESTS);
    expect(locked.status).toBe(429);
    const wait = locked.headers.get('retry-after');
    expect(await locked.json()).toEqual({ error: { code: 'too_many_attempts', message: `当前密码错误次数过多，请 ${wait} 秒后再试` } });
    expect((await loginRequest(ctx().app, 'lq', DEMO_PASSWORD_FOR_TESTS, freshIp())).status).toBe(429);
    // Once the lock has run out the right current password works and the count is cleared.
    await ctx().database.rows(sql`update login_throttle set locked_until = now() - interval '1 second' where key = 'user:lq'`);
    expect((await change(DEMO_PASSWORD_FOR_TESTS)).status).toBe(200);
    const [row] = await ctx().database.rows(sql`select 1 from login_throttle where key = 'user:lq'`);
    expect(row).toBeUndefined();
  });
});

