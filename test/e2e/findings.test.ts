/**
 * Browser test of 盯整改 and 派任务 up to verification: a clue recorded in the page, dispatched by the
 * coordinator and confirmed by the natural-resources bureau from its inbox with a photo uploaded in
 * the form; a viewer who sees the record but no action, and the ledger's filters kept in the
 * address. The rest of the chain is test/e2e/chain.test.ts.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_COLORS } from '../../web/src/lib/findings/findings-style.ts';
import { launchBrowser, signIn, skipReason, startPortal, unexpectedErrors, watchConsole, type ConsoleError, type Portal } from './support.ts';

/** A real, decodable PNG of one colour, so the server's type sniffing and the thumbnails both work. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(image);
}

describe.skipIf(skipReason !== null)(skipReason ? `findings — skipped: ${skipReason}` : 'a finding from clue to confirmed', () => {
  let portal: Portal;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await portal?.close();
  });

  const url = (path: string) => `${portal.base}${path}`;
  /** The 401 of `/api/auth/me` on the login page, before signing in. */
  const meRefused = () => ({ status: 401 as const, url: url('/api/auth/me') });

  async function person(username: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: ConsoleError[] }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchConsole(page);
    await signIn(page, portal.base, username);
    return { page, errors };
  }

  const stateOf = (page: Page) => page.getByTestId('finding-state').getAttribute('data-state');

  /** Opens a step's form, lets `fill` complete it, submits, and waits for the finding to reach `state`. */
  async function step(page: Page, kind: string, state: string, fill: (form: ReturnType<Page['getByTestId']>) => Promise<void>): Promise<void> {
    await page.getByTestId(`action-${kind}`).click();
    const form = page.getByTestId(`form-${kind}`);
    await form.waitFor();
    await fill(form);
    await form.getByTestId('step-submit').click();
    await expect.poll(() => stateOf(page), { timeout: 20_000 }).toBe(state);
    await expect.poll(() => page.getByTestId('transition-dialog').count()).toBe(0);
  }

  /** Chooses files in an evidence picker and waits until each is uploaded. */
  async function attach(scope: ReturnType<Page['getByTestId']>, inputSelector: string, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    const input = scope.locator(inputSelector);
    await input.setInputFiles(files);
    const picker = input.locator('xpath=ancestor::div[contains(@class, "evidence-picker")]');
    await expect.poll(() => picker.locator('li[data-status="done"]').count(), { timeout: 20_000 }).toBe(files.length);
  }

  // Three browser profiles and two workflow steps: 19–52 s (alone, or with others loading the machine), so well over three times that.
  it('is recorded, dispatched and confirmed from the inbox, every step on the timeline', async () => {
    const coord = await person('coord');
    const departments = await coord.page.evaluate(async () => (await (await fetch('/api/departments')).json()) as { departments: { id: number; code: string }[] });
    const idOf = (code: string) => String(departments.departments.find((d) => d.code === code)!.id);
    const [lon, lat] = await coord.page.evaluate(async () => ((await (await fetch('/api/areas/WF-PA-15')).json()) as { labelPoint: [number, number] }).labelPoint);

    // The coordinator records the clue by typing the coordinates of a point inside WF-PA-15.
    await coord.page.getByTestId('nav-findings').click();
    await coord.page.getByTestId('new-finding').click();
    await coord.page.getByTestId('mode-type').click();
    await coord.page.getByTestId('coords-text').fill(`${lon.toFixed(6)}, ${lat.toFixed(6)}`);
    await coord.page.getByTestId('coords-show').click();
    await expect.poll(() => coord.page.getByTestId('location-summary').textContent()).toContain(lon.toFixed(6));
    await coord.page.getByTestId('nf-title').fill('河道内疑似非法采砂');
    await coord.page.getByTestId('nf-category').selectOption('mining');
    await coord.page.getByTestId('nf-source').selectOption('remote_sensing');
    await coord.page.getByTestId('nf-description').fill('遥感监测发现河道内新增采砂坑，需现场核查。');
    await coord.page.getByTestId('nf-submit').click();
    await coord.page.waitForURL(/\/findings\/\d+$/, { timeout: 20_000 });
    const findingPath = new URL(coord.page.url()).pathname;
    const serial = (await coord.page.getByTestId('finding-serial').textContent())!.trim().split(' ')[0]!;
    expect(serial).toMatch(/^WF-\d{4}-\d{4}$/);
    expect(await stateOf(coord.page)).toBe('clue');
    expect(await coord.page.getByTestId('finding-areas').textContent()).toContain('峡山');

    // …and hands it to the natural-resources bureau for verification.
    await step(coord.page, 'dispatch', 'verifying', async (form) => {
      await form.locator('[data-field="verifyingDepartmentId"] select').selectOption(idOf('nr'));
      await form.locator('[data-field="instruction"] textarea').fill('请核实采砂坑范围。');
    });

    // The bureau finds it in its inbox and confirms it with a photo.
    const nr = await person('nr');
    await nr.page.getByTestId('nav-tasks').click();
    const task = nr.page.getByTestId('task').filter({ hasText: serial });
    await task.waitFor();
    expect(await task.getAttribute('data-kind')).toBe('verify');
    await task.getByTestId('task-finding').click();
    await nr.page.waitForURL(url(findingPath));
    await step(nr.page, 'confirm', 'confirmed', async (form) => {
      await form.locator('[data-field="outcome"] input[data-option="historical"]').check();
      await form.locator('[data-field="conclusion"] textarea').fill('现场核实：河道内有采砂坑两处，属实。');
      await attach(form, 'input[type="file"]', [{ name: '现场照片.png', mimeType: 'image/png', buffer: png(32, 24, [180, 120, 60]) }]);
    });
    expect(await nr.page.getByTestId('verification-outcome').getAttribute('data-outcome')).toBe('historical');
    // The verifier is not the one who assigns the plan.
    expect(await nr.page.getByTestId('action-assign_plan').count()).toBe(0);

    // Every step is on the timeline, with who did it; the instruction under the coordinator's entry.
    const timeline = nr.page.getByTestId('timeline');
    // The trail is fetched again behind the step's answer.
    await timeline.locator('li[data-action="finding.confirm"]').waitFor();
    const actions = await timeline.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
    for (const action of ['finding.created', 'finding.dispatch', 'finding.confirm']) expect(actions, action).toContain(action);
    expect(actions.filter((a) => a === 'finding.attachment_added').length).toBeGreaterThanOrEqual(1);
    const dispatch = timeline.locator('li[data-action="finding.dispatch"]');
    expect(await dispatch.locator('[data-field="instruction"]').textContent()).toContain('请核实采砂坑范围。');
    expect(await dispatch.locator('.who').textContent()).toContain('联合执法协调员');
    const text = (await timeline.textContent())!;
    for (const words of ['交办核查', '核查属实', '市自然资源和规划局执法人员']) expect(text, words).toContain(words);
    // The evidence cited by a step is shown under it.
    expect(await timeline.locator('li[data-action="finding.confirm"] [data-testid="evidence"]').count()).toBe(1);

    // A viewer reads the record but is offered no action, and cannot record findings.
    const viewer = await person('viewer');
    await viewer.page.goto(url(findingPath));
    await expect.poll(() => stateOf(viewer.page)).toBe('confirmed');
    expect(await viewer.page.getByTestId('finding-actions').count()).toBe(0);
    expect(await viewer.page.locator('[data-testid^="action-"]').count()).toBe(0);
    await viewer.page.goto(url('/findings'));
    await viewer.page.getByTestId('findings-list').waitFor();
    expect(await viewer.page.getByTestId('new-finding').count()).toBe(0);
    expect(await viewer.page.getByTestId('finding-row').filter({ hasText: serial }).count()).toBe(1);

    // The ledger filters by state and text, shows the total, and keeps the filters in the address:
    // a reload and a step back from a finding show the same list.
    await viewer.page.getByTestId('filter-state').selectOption('confirmed');
    await viewer.page.getByTestId('filter-q').fill(serial);
    const rows = () => viewer.page.getByTestId('finding-row').evaluateAll((r) => r.map((row) => row.getAttribute('data-serial')));
    await expect.poll(rows).toEqual([serial]);
    await expect.poll(() => viewer.page.getByTestId('findings-total').getAttribute('data-total')).toBe('1');
    await expect.poll(() => new URL(viewer.page.url()).search).toBe(`?state=confirmed&q=${encodeURIComponent(serial)}`);
    await viewer.page.reload();
    await expect.poll(rows).toEqual([serial]);
    expect(await viewer.page.getByTestId('filter-state').inputValue()).toBe('confirmed');
    expect(await viewer.page.getByTestId('filter-q').inputValue()).toBe(serial);
    await viewer.page.getByTestId('finding-row').first().click();
    await viewer.page.waitForURL(url(findingPath));
    await viewer.page.goBack();
    await expect.poll(rows).toEqual([serial]);
    expect(new URL(viewer.page.url()).search).toBe(`?state=confirmed&q=${encodeURIComponent(serial)}`);

    // The map draws what the ledger lists.
    await viewer.page.getByTestId('nav-map').click();
    await expect.poll(() => viewer.page.getByTestId('findings-count').textContent(), { timeout: 30_000 }).toMatch(/^1 个问题/);
    // The marker is really on the canvas, in the colour of its state.
    const at = await viewer.page.evaluate(async ([x, y]) => {
      const map = window.__portal!.map;
      await new Promise((resolve) => {
        map.once('idle', resolve);
        map.triggerRepaint();
      });
      const point = map.project([x, y]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: Math.round(box.left + point.x), y: Math.round(box.top + point.y) };
    }, [lon, lat] as [number, number]);
    const shot = PNG.sync.read(await viewer.page.screenshot());
    const confirmedRgb = [1, 3, 5].map((i) => parseInt(STATE_COLORS.confirmed.slice(i, i + 2), 16));
    let nearest = Infinity;
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const o = ((at.y + dy) * shot.width + (at.x + dx)) * 4;
        nearest = Math.min(nearest, Math.hypot(...confirmedRgb.map((v, i) => v - shot.data[o + i]!)));
      }
    }
    expect(nearest).toBeLessThan(30);

    for (const who of [coord, nr, viewer]) expect(unexpectedErrors(who.errors, [meRefused()])).toEqual([]);
  }, 240_000);

  it('tells a coordinator whose page was stale that someone else acted first, and reloads the finding', async () => {
    const first = await person('coord', { width: 360, height: 740 });
    const [lon, lat] = await first.page.evaluate(async () => ((await (await fetch('/api/areas/WF-PA-15')).json()) as { labelPoint: [number, number] }).labelPoint);
    const created = await first.page.evaluate(async (point) => {
      const response = await fetch('/api/findings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: '岸边新建房屋', category: 'construction', source: 'patrol', description: '巡护发现', discoveredAt: '2026-06-01', geometry: { type: 'Point', coordinates: point } }),
      });
      return (await response.json()) as { id: number };
    }, [lon, lat]);
    const departments = await first.page.evaluate(async () => (await (await fetch('/api/departments')).json()) as { departments: { id: number; code: string }[] });
    const nrId = String(departments.departments.find((d) => d.code === 'nr')!.id);
    const path = `/findings/${created.id}`;
    await first.page.goto(url(path));
    const second = await first.page.context().newPage();
    const secondErrors = watchConsole(second);
    await second.goto(url(path));

    await step(first.page, 'dispatch', 'verifying', async (form) => {
      await form.locator('[data-field="verifyingDepartmentId"] select').selectOption(nrId);
    });
    await second.getByTestId('action-dispatch').click();
    await second.getByTestId('form-dispatch').locator('[data-field="verifyingDepartmentId"] select').selectOption(nrId);
    await second.getByTestId('step-submit').click();
    await expect.poll(() => second.getByRole('alert').first().textContent()).toContain('刚刚被他人办理或修改');
    await expect.poll(() => stateOf(second)).toBe('verifying');
    expect(await second.getByTestId('action-dispatch').count()).toBe(0);
    expect(unexpectedErrors(first.errors, [meRefused()])).toEqual([]);
    expect(unexpectedErrors(secondErrors, [{ status: 409, url: url(`/api/findings/${created.id}/transitions`) }])).toEqual([]);
  });

  it('lets a coordinator assign an ad-hoc inspect task and lists it on the finding', async () => {
    const coord = await person('coord');
    const [lon, lat] = await coord.page.evaluate(async () => ((await (await fetch('/api/areas/WF-PA-15')).json()) as { labelPoint: [number, number] }).labelPoint);
    const created = await coord.page.evaluate(async (point) => {
      const response = await fetch('/api/findings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: '林地内堆放建筑垃圾', category: 'other', source: 'patrol', description: '巡护发现', discoveredAt: '2026-06-01', geometry: { type: 'Point', coordinates: point } }),
      });
      return (await response.json()) as { id: number };
    }, [lon, lat]);
    const departments = await coord.page.evaluate(async () => (await (await fetch('/api/departments')).json()) as { departments: { id: number; code: string }[] });
    const linquId = String(departments.departments.find((d) => d.code === 'eco-linqu')!.id);
    await coord.page.goto(url(`/findings/${created.id}`));

    await coord.page.getByTestId('assign-task').click();
    const form = coord.page.getByTestId('form-assign-task');
    await form.getByTestId('task-kind').selectOption('inspect');
    await form.locator('select').nth(1).selectOption(linquId);
    await form.getByTestId('task-due').fill('2030-01-31');
    await form.getByTestId('task-submit').click();

    const task = coord.page.getByTestId('finding-tasks').locator('.task-item[data-kind="inspect"]');
    await expect.poll(() => task.textContent(), { timeout: 20_000 }).toContain('潍坊市生态环境局临朐分局');
    expect(await task.textContent()).toContain('2030-01-31');
    expect(await coord.page.getByTestId('assign-task-dialog').count()).toBe(0);
    expect(unexpectedErrors(coord.errors, [meRefused()])).toEqual([]);
  });
});
