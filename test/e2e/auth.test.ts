/**
 * Browser test of signing in and out and of the admin pages, on the built web app and the real
 * server (fresh seeded database, demo accounts), in Debian's Chromium.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sampleDepartments from '../../data/sample/departments.json' with { type: 'json' };
import { demoAccountsFor } from '../../server/db/seed.ts';
import { DEMO_PASSWORD_FOR_TESTS } from '../helpers/backends.ts';
import {
  launchBrowser,
  signIn,
  skipReason,
  startPortal,
  submitLogin,
  unexpectedErrors,
  watchConsole,
  type ConsoleError,
  type ExpectedFailure,
  type Portal,
} from './support.ts';

// Every demo account: one per role, and an officer for each other sample department.
const DEMO_USERNAMES = demoAccountsFor(sampleDepartments).map((a) => a.username);

describe.skipIf(skipReason !== null)(skipReason ? `signing in — skipped: ${skipReason}` : 'signing in and the admin pages', () => {
  let portal: Portal;
  let browser: Browser;
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  /**
   * A fresh browser profile (no cookies) and a page in it, with its console watched. The init script
   * records whether the map or an admin page was ever put on screen, to catch a flash before a redirect.
   */
  async function freshPage(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: ConsoleError[] }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
    opened.push(context);
    await context.addInitScript(() => {
      const w = window as unknown as { __shown: string[] };
      w.__shown = [];
      new MutationObserver(() => {
        for (const selector of ['.map-page', '.admin', '[data-testid="user-menu"]']) {
          if (!w.__shown.includes(selector) && document.querySelector(selector)) w.__shown.push(selector);
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    return { page, errors: watchConsole(page) };
  }

  const url = (path: string) => `${portal.base}${path}`;
  const meRefused: () => ExpectedFailure = () => ({ status: 401, url: url('/api/auth/me') });
  const loginRefused: () => ExpectedFailure = () => ({ status: 401, url: url('/api/auth/login') });
  const shown = (page: Page) => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);

  afterAll(async () => {
    for (const context of opened) await context.close().catch(() => {});
  });

  it('sends an anonymous visit to an area to the login page, showing nothing of the portal first', async () => {
    const { page, errors } = await freshPage();
    await page.goto(url('/areas/WF-PA-01'));
    await page.getByTestId('login-form').waitFor();
    const here = new URL(page.url());
    expect(here.pathname).toBe('/login');
    expect(here.searchParams.get('next')).toBe('/areas/WF-PA-01');
    expect(await page.locator('h2').first().textContent()).toBe('登录');
    expect(await shown(page)).toEqual([]);
    expect(unexpectedErrors(errors, [meRefused()])).toEqual([]);
  });

  it('says so when the password is wrong, and stays on the login page', async () => {
    const { page, errors } = await freshPage();
    await page.goto(url('/areas/WF-PA-01'));
    await submitLogin(page, 'viewer', 'not-the-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('#login-password').inputValue()).toBe('');
    expect(await shown(page)).toEqual([]);
    expect(unexpectedErrors(errors, [meRefused(), loginRefused()])).toEqual([]);
  });

  it('brings the viewer back to the area, without admin pages, and signs them out', async () => {
    const { page, errors } = await freshPage();
    await page.goto(url('/areas/WF-PA-01'));
    await submitLogin(page, 'viewer');
    await page.waitForURL(url('/areas/WF-PA-01'));
    await expect.poll(() => page.getByTestId('area-panel').textContent(), { timeout: 30_000 }).toContain('山东临朐山旺古生物化石国家级自然保护区');
    expect(await page.getByTestId('admin-link').count()).toBe(0);
    // The watch for a flash does see the portal once it is meant to be there.
    expect(await shown(page)).toContain('.map-page');

    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('user-role').textContent()).toBe('只读用户');
    expect(await page.getByTestId('user-department').textContent()).toBe('未分配部门');
    await page.keyboard.press('Escape');

    // Typed in the address bar: the app loads afresh, asks who this is, and refuses the page.
    await page.goto(url('/admin/users'));
    await expect.poll(() => page.getByTestId('no-permission').textContent()).toContain('没有权限');
    expect(await page.getByTestId('no-permission').textContent()).toContain('只读用户');
    expect(await page.getByTestId('users-table').count()).toBe(0);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(url('/login'));
    expect(await page.getByTestId('login-form').textContent()).toContain('您已退出登录');

    // The session is really over: the area needs a sign-in again.
    await page.goto(url('/areas/WF-PA-01'));
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/areas/WF-PA-01');
    expect(unexpectedErrors(errors, [meRefused(), meRefused()])).toEqual([]);
  });

  it('sends a person whose session ended back to the login page, keeping their place', async () => {
    const { page, errors } = await freshPage();
    await signIn(page, portal.base, 'viewer');
    await page.locator('.item[data-code="WF-PA-02"]').waitFor({ timeout: 30_000 });
    // The server forgets nothing here; the browser losing its cookie looks the same from the app.
    await page.context().clearCookies();
    await page.locator('.item[data-code="WF-PA-02"]').click();
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/areas/WF-PA-02');
    expect(await page.getByTestId('login-form').textContent()).toContain('登录已失效');
    await submitLogin(page, 'viewer');
    await page.waitForURL(url('/areas/WF-PA-02'));
    await expect.poll(() => page.getByTestId('area-panel').textContent(), { timeout: 30_000 }).toContain('山东仰天山省级自然保护区');
    expect(unexpectedErrors(errors, [meRefused(), { status: 401, url: url('/api/areas/WF-PA-02') }])).toEqual([]);
  });

  it('gives the admin the users page with the demo accounts, and creates an account', async () => {
    const { page, errors } = await freshPage();
    await signIn(page, portal.base, 'admin');
    await page.getByTestId('admin-link').click();
    await page.waitForURL(url('/admin/users'));
    const rows = page.locator('[data-testid="users-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(DEMO_USERNAMES.length);
    expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username')))).sort()).toEqual([...DEMO_USERNAMES].sort());
    expect(await page.locator('tr[data-username="lq"]').textContent()).toContain('潍坊市生态环境局临朐分局');

    // A username that exists: the server's 409 is shown next to the username field.
    await page.getByTestId('create-user').click();
    const form = page.getByTestId('user-form');
    await form.locator('#user-username').fill('eco');
    await form.locator('#user-display-name').fill('重复的人');
    await form.locator('#user-password').fill('long-enough-2026');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-field-error="user-username"]').textContent()).toBe('用户名已被使用');

    await form.locator('#user-username').fill('Field.Wang');
    await form.locator('#user-display-name').fill('王野');
    await form.locator('#user-role').selectOption('inspector');
    await form.locator('#user-department').selectOption({ label: '潍坊市生态环境局临朐分局' });
    await form.locator('button[type="submit"]').click();
    await page.locator('tr[data-username="field.wang"]').waitFor();
    const row = await page.locator('tr[data-username="field.wang"]').textContent();
    expect(row).toContain('王野');
    expect(row).toContain('巡查员');
    expect(row).toContain('潍坊市生态环境局临朐分局');
    expect(row).toContain('从未登录');
    expect(await rows.count()).toBe(DEMO_USERNAMES.length + 1);
    expect(await page.getByTestId('users-notice').textContent()).toContain('field.wang');

    // The departments page is there too, with the sample's departments.
    await page.locator('nav a[href="/admin/departments"]').click();
    await page.locator('[data-testid="departments-table"] tr[data-code="eco-linqu"]').waitFor();
    // The county is named once the county list is in (its code stands in until then).
    await expect.poll(() => page.locator('tr[data-code="eco-linqu"]').textContent()).toContain('临朐县');
    expect(await page.locator('tr[data-code="eco-linqu"]').textContent()).toContain('潍坊市生态环境局');
    expect(unexpectedErrors(errors, [meRefused(), { status: 409, url: url('/api/users') }])).toEqual([]);
  });

  it('switches the login page to English, errors included', async () => {
    const { page, errors } = await freshPage({ width: 360, height: 740 });
    await page.goto(url('/login'));
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('h2').first().textContent()).toBe('Sign in');
    expect(await page.locator('label[for="login-username"]').textContent()).toBe('Username');
    await submitLogin(page, 'viewer', 'not-the-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong username or password.');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(unexpectedErrors(errors, [meRefused(), loginRefused()])).toEqual([]);
  });

  it('changes the password and ends the other sessions', async () => {
    const { page, errors } = await freshPage();
    const other = await freshPage();
    await signIn(other.page, portal.base, 'eco');
    await signIn(page, portal.base, 'eco');
    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('user-department').textContent()).toBe('潍坊市生态环境局');
    expect(await page.getByTestId('user-role').textContent()).toBe('部门执法人员');
    await page.getByTestId('user-menu-panel').getByText('修改密码').click();
    const dialog = page.getByTestId('change-password');

    // Checked before sending: too short, and the two new passwords differ.
    await dialog.locator('#pw-current').fill('not-the-password');
    await dialog.locator('#pw-new').fill('short');
    await dialog.locator('#pw-repeat').fill('shorter');
    await dialog.locator('button[type="submit"]').click();
    expect(await dialog.locator('[data-field-error="pw-new"]').textContent()).toBe('密码至少需要 10 个字符。');
    expect(await dialog.locator('[data-field-error="pw-repeat"]').textContent()).toBe('两次输入的新密码不一致。');

    // The server refuses a wrong current password; it is said next to that field.
    await dialog.locator('#pw-new').fill('a-new-pass-2026');
    await dialog.locator('#pw-repeat').fill('a-new-pass-2026');
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(() => dialog.locator('[data-field-error="pw-current"]').textContent()).toBe('当前密码不正确');

    await dialog.locator('#pw-current').fill(DEMO_PASSWORD_FOR_TESTS);
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(() => dialog.getByTestId('password-changed').textContent()).toContain('其他设备和浏览器上的登录已全部退出');
    await dialog.getByRole('button', { name: '关闭' }).first().click();

    // This page keeps working on its fresh session; the other browser is sent to sign in again.
    await page.locator('.item[data-code="WF-PA-03"]').click();
    await page.waitForURL(url('/areas/WF-PA-03'));
    await page.getByTestId('area-panel').waitFor();
    await other.page.locator('.item[data-code="WF-PA-03"]').click();
    await other.page.getByTestId('login-form').waitFor();
    expect(new URL(other.page.url()).searchParams.get('next')).toBe('/areas/WF-PA-03');
    expect(unexpectedErrors(errors, [meRefused(), { status: 403, url: url('/api/auth/password') }])).toEqual([]);
    expect(unexpectedErrors(other.errors, [meRefused(), { status: 401, url: url('/api/areas/WF-PA-03') }])).toEqual([]);
  });

  // Last: it locks sign-in from this address for the rest of the file.
  it('counts down after too many attempts', async () => {
    const { page, errors } = await freshPage();
    await page.goto(url('/login'));
    const expected: ExpectedFailure[] = [meRefused()];
    const error = page.getByTestId('login-error');
    // The wrong passwords of the tests above count against this address too, so the lock may come sooner.
    for (let attempt = 1; ; attempt++) {
      expect(attempt, 'still not locked after 6 attempts').toBeLessThanOrEqual(6);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === url('/api/auth/login')),
        submitLogin(page, 'nobody-here', `wrong-${attempt}`),
      ]);
      if (response.status() === 429) break;
      expect(response.status()).toBe(401);
      expected.push(loginRefused());
      await expect.poll(() => error.textContent()).toContain('用户名或密码不正确');
    }
    expected.push({ status: 429, url: url('/api/auth/login') });
    await expect.poll(() => error.textContent()).toMatch(/登录尝试次数过多，请 \d+ 秒后再试/);
    const seconds = () => error.textContent().then((t) => Number(/(\d+) 秒/.exec(t ?? '')?.[1]));
    const first = await seconds();
    expect(first).toBeGreaterThan(0);
    expect(await page.getByTestId('login-form').locator('button[type="submit"]').isDisabled()).toBe(true);
    await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(first);
    expect(unexpectedErrors(errors, expected)).toEqual([]);
  });
});
