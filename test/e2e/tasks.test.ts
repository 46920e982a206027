/**
 * Browser test of the inbox: for every task kind and state and each role, the buttons the page
 * shows are exactly the server's `allowedActions`; a reply is shown apart from the instruction with
 * its author; an ad-hoc task is completed and a workflow task cancelled with a reason, both then
 * listed under 已办; a coordinator's overdue clue is in their inbox; a 督办 notice prints.
 */
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSupervision } from '../../server/features/supervision/supervision.service.ts';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import { DEMO_PASSWORD_FOR_TESTS, testConfig } from '../helpers/backends.ts';
import { pointInside } from '../helpers/places.ts';
import { launchBrowser, signIn, skipReason, startPortal, unexpectedErrors, watchConsole, type ConsoleError, type Portal } from './support.ts';

const today = todayIn(testConfig().timeZone);
const kinds = [
  ['verify', false],
  ['verify', true],
  ['plan', false],
  ['review', false],
  ['rectify', false],
  ['accept', false],
  ['recheck', false],
  ['inspect', true],
] as const;

describe.skipIf(skipReason !== null)(skipReason ? `tasks — skipped: ${skipReason}` : 'the inbox', () => {
  let portal: Portal;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let findingId = 0;
  let serial = '';

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
    const db = portal.database;
    // A clue of this test's own, recorded through the API as a coordinator would.
    const login = await fetch(`${portal.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: portal.base },
      body: JSON.stringify({ username: 'coord', password: DEMO_PASSWORD_FOR_TESTS }),
    });
    const cookie = /portal_session=[^;]*/.exec(login.headers.get('set-cookie') ?? '')![0];
    const created = await fetch(`${portal.base}/api/findings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: portal.base, cookie },
      body: JSON.stringify({ title: '收件箱测试线索', category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: today, geometry: { type: 'Point', coordinates: await pointInside(db, 'WF-PA-15') } }),
    });
    const f = (await created.json()) as { id: number; serial: string };
    expect(created.status).toBe(201);
    findingId = f.id;
    serial = f.serial;
    // Every kind in every state for the eco bureau, as steps and coordinators would have left them.
    for (const [kind, adHoc] of kinds) {
      for (const status of ['open', 'in_progress', 'returned', 'done', 'cancelled']) {
        await db.rows(sql`insert into tasks (kind, finding_id, department_id, due_on, status, instruction, ad_hoc, cancel_reason, closed_at, created_by)
          values (${kind}, ${findingId}, (select id from departments where code = 'eco'), ${addDays(today, 30)}::date, ${status}, ${`浏览器测试 ${kind} ${status}`}, ${adHoc},
                  case when ${status} = 'cancelled' then '测试取消' end, case when ${status} in ('done', 'cancelled') then now() end,
                  (select id from users where username = 'coord'))`);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await portal?.close();
  });

  async function person(username: string): Promise<{ page: Page; errors: ConsoleError[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchConsole(page);
    await signIn(page, portal.base, username);
    return { page, errors };
  }

  /** The 401 of `/api/auth/me` on the login page, before signing in. */
  const meRefused = () => ({ status: 401 as const, url: `${portal.base}/api/auth/me` });

  /** The server's answer for the page's session, fetched by the page itself. */
  const serverTasks = (page: Page, view: 'active' | 'done') =>
    page.evaluate(async (v) => ((await (await fetch(`/api/tasks?mine=1&view=${v}`)).json()) as { tasks: Array<{ id: number; allowedActions: string[] }> }).tasks, view);

  /** Each shown task's buttons, by task id. */
  const shownButtons = (page: Page) =>
    page.getByTestId('task').evaluateAll((cards) =>
      Object.fromEntries(cards.map((c) => [Number(c.getAttribute('data-task-id')), [...c.querySelectorAll('[data-testid="task-buttons"] [data-action]')].map((b) => b.getAttribute('data-action'))])),
    );

  async function openInbox(page: Page, view: 'active' | 'done') {
    await page.goto(`${portal.base}/tasks`);
    await page.getByTestId('tasks-page').waitFor();
    if (view === 'done') await page.getByTestId('tasks-view-done').click();
    await page.locator('[data-testid="tasks-list"], [data-testid="tasks-empty"]').first().waitFor();
    await expect.poll(async () => (await page.getByTestId('task').count()) === (await serverTasks(page, view)).length, { timeout: 20_000 }).toBe(true);
  }

  for (const username of ['coord', 'eco', 'insp']) {
    it(`shows ${username} exactly the server's actions on every task, in both views`, async () => {
      const { page, errors } = await person(username);
      for (const view of ['active', 'done'] as const) {
        await openInbox(page, view);
        const expected = Object.fromEntries((await serverTasks(page, view)).map((t) => [t.id, t.allowedActions]));
        expect(Object.keys(expected).length).toBeGreaterThan(0);
        expect(await shownButtons(page)).toEqual(expected);
        if (username === 'insp' || view === 'done') expect(Object.values(expected).every((a) => a.length === 0)).toBe(true);
        else expect(Object.values(expected).some((a) => a.length > 0)).toBe(true);
      }
      expect(unexpectedErrors(errors, [meRefused()])).toEqual([]);
    });
  }

  it('an officer replies and completes an ad-hoc task; a coordinator cancels a workflow task with a reason; both move to 已办', async () => {
    const eco = await person('eco');
    await openInbox(eco.page, 'active');
    const card = eco.page.locator(`[data-testid="task"][data-kind="inspect"][data-status="open"]`).first();
    const id = Number(await card.getAttribute('data-task-id'));
    await card.getByTestId('task-reply-input').fill('已到现场，设备已撤离');
    await card.locator('[data-action="reply"]').click();
    await expect.poll(() => card.getByTestId('task-reply').textContent(), { timeout: 20_000 }).toContain('已到现场，设备已撤离');
    expect(await card.getByTestId('task-reply').textContent()).toContain('市生态环境局执法人员');
    expect(await card.getByTestId('task-instruction').textContent()).toContain('浏览器测试 inspect open');
    expect(await card.getByTestId('task-instruction').textContent()).toContain('联合执法协调员');
    await card.locator('[data-action="complete"]').click();
    await expect.poll(() => eco.page.locator(`[data-testid="task"][data-task-id="${id}"]`).count(), { timeout: 20_000 }).toBe(0);

    const coord = await person('coord');
    await openInbox(coord.page, 'active');
    const rectify = coord.page.locator(`[data-testid="task"][data-kind="rectify"][data-status="open"]`).first();
    const rid = Number(await rectify.getAttribute('data-task-id'));
    await rectify.locator('[data-action="cancel"]').click();
    await rectify.getByTestId('task-cancel-confirm').click();
    expect(await rectify.getByRole('alert').textContent()).toBe('请填写取消原因。');
    await rectify.getByTestId('task-cancel-reason').fill('与另一整改任务重复');
    await rectify.getByTestId('task-cancel-confirm').click();
    await expect.poll(() => coord.page.locator(`[data-testid="task"][data-task-id="${rid}"]`).count(), { timeout: 20_000 }).toBe(0);

    await openInbox(coord.page, 'done');
    const ids = await coord.page.getByTestId('task').evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-task-id'))));
    expect(ids.slice(0, 2)).toEqual([rid, id]);
    expect(await coord.page.locator(`[data-testid="task"][data-task-id="${rid}"]`).textContent()).toContain('与另一整改任务重复');
    expect(unexpectedErrors([...eco.errors, ...coord.errors], [meRefused(), meRefused()])).toEqual([]);
  });

  it('lists a coordinator’s overdue clue and prints a 督办 notice marked as generated by the portal', async () => {
    const db = portal.database;
    await db.rows(sql`update findings set clue_owner_user_id = (select id from users where username = 'coord'), clue_due_on = ${addDays(today, -35)}::date where id = ${findingId}`);
    await sweepSupervision(db, testConfig());
    const [notice] = await db.rows<{ id: number; number: string }>(sql`select id, number from supervision_notices where finding_id = ${findingId} and level = 'circular'`);
    const { page, errors } = await person('coord');
    await openInbox(page, 'active');
    const clue = page.getByTestId('inbox-clue').filter({ hasText: serial });
    expect(await clue.getAttribute('data-overdue')).toBe('true');
    expect(await clue.textContent()).toContain('已逾期 35 天');
    // The header's overdue badge counts the overdue clue along with the overdue tasks.
    const counts = await page.evaluate(async () => (await fetch('/api/tasks/counts')).json());
    expect(counts.overdueClues).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('task-overdue').textContent()).toBe(String(counts.overdue + counts.overdueClues));

    await page.goto(`${portal.base}/notices/${notice.id}`);
    await page.getByTestId('notice-sheet').waitFor();
    expect(await page.getByTestId('notice-number').textContent()).toBe(notice.number);
    expect(await page.getByTestId('notice-recipient').textContent()).toBe('潍坊市生态环境局主要负责人');
    expect(await page.getByTestId('notice-text').textContent()).toContain(`问题 ${serial}`);
    expect(await page.getByTestId('notice-generated').textContent()).toContain('自动生成');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('notice-print').isVisible()).toBe(false);
    expect(await page.getByTestId('notice-sheet').isVisible()).toBe(true);
    expect(unexpectedErrors(errors, [meRefused()])).toEqual([]);
  });
});
