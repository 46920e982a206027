/**
 * Browser test of the whole rectification chain: one quarry in the core zone of the 山旺
 * reserve (临朐) taken from a clue through verification, the management body's plan and its
 * reviewers' signatures, progress and each department's part, a county self-check and an independent
 * city acceptance with site checks, 公示 with an objection, 销号 with its document number and a 回头看
 * that sends it back to verification. Every step is done in the page by the demo account of the
 * department whose turn it is; the portal's clock (server and browsers) is moved past the
 * observation period and the 公示 instead of waiting for them.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { launchBrowser, signIn, skipReason, startPortal, unexpectedErrors, watchConsole, type ConsoleError, type ExpectedFailure, type Portal } from './support.ts';

const DAY = 86_400_000;

/** A real PNG of one colour; each call a different colour, since a finding keeps one copy of a file. */
let shade = 0;
function photo(): { name: string; mimeType: string; buffer: Buffer } {
  shade += 1;
  const image = new PNG({ width: 12, height: 12 });
  for (let i = 0; i < 144; i++) image.data.set([60 + shade, 120, 200 - shade, 255], i * 4);
  return { name: `现场照片-${shade}.png`, mimeType: 'image/png', buffer: PNG.sync.write(image) };
}

/** The demo account of each department: a few keep their historic names, the rest are named by code. */
const usernameOf = (code: string): string => ({ eco: 'eco', nr: 'nr', 'eco-linqu': 'lq' })[code] ?? code;

describe.skipIf(skipReason !== null)(skipReason ? `chain — skipped: ${skipReason}` : 'one finding through the whole chain', () => {
  let portal: Portal;
  let browser: Browser;
  const people = new Map<string, { context: BrowserContext; page: Page; errors: ConsoleError[] }>();

  beforeAll(async () => {
    // The clock moves months ahead; sessions must outlive it, as a person signing in again would.
    portal = await startPortal({ sessionIdleMinutes: 60 * 24 * 400, sessionAbsoluteMinutes: 60 * 24 * 400 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    vi.useRealTimers();
    for (const p of people.values()) await p.context.close().catch(() => {});
    await browser?.close();
    await portal?.close();
  });

  const url = (path: string) => `${portal.base}${path}`;

  /** The signed-in page of a demo account (one browser profile each, made on first use). */
  async function as(username: string): Promise<Page> {
    const known = people.get(username);
    if (known) return known.page;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    // The page's "today" (form defaults and limits) follows the portal's moved clock; timers run as usual.
    await context.clock.setFixedTime(Date.now());
    const page = await context.newPage();
    const errors = watchConsole(page);
    await signIn(page, portal.base, username);
    people.set(username, { context, page, errors });
    return page;
  }

  /** Moves "today" forward on the server and in every browser (timers keep running). */
  async function moveClock(days: number): Promise<void> {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + days * DAY);
    for (const p of people.values()) await p.context.clock.setFixedTime(Date.now());
  }

  const stateOf = (page: Page) => page.getByTestId('finding-state').getAttribute('data-state');
  const field = (form: Locator, name: string) => form.locator(`[data-field="${name}"]`);

  /** Uploads files in an evidence picker and waits until each is on the server. */
  async function attach(scope: Locator, files = [photo()]): Promise<void> {
    const input = scope.locator('input[type="file"]').first();
    await input.setInputFiles(files);
    const picker = input.locator('xpath=ancestor::div[contains(@class, "evidence-picker")]');
    await expect.poll(() => picker.locator('li[data-status="done"]').count(), { timeout: 20_000 }).toBe(files.length);
  }

  /** Opens the finding as this person, takes one action through its form, and waits for the state it leads to. */
  async function act(username: string, findingPath: string, action: string, state: string, fill: (form: Locator) => Promise<void>): Promise<Page> {
    const page = await as(username);
    await page.goto(url(findingPath));
    await page.getByTestId('finding-page').waitFor();
    await page.getByTestId(`action-${action}`).click();
    const form = page.getByTestId(`form-${action}`);
    await form.waitFor();
    await fill(form);
    await form.getByTestId('step-submit').click();
    await expect.poll(() => page.getByTestId('transition-dialog').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => stateOf(page), { timeout: 20_000 }).toBe(state);
    return page;
  }

  /** The actions a person is offered on the finding now. */
  async function offered(username: string, findingPath: string): Promise<string[]> {
    const page = await as(username);
    await page.goto(url(findingPath));
    await page.getByTestId('finding-state').waitFor();
    return page.locator('[data-testid^="action-"]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-testid')!.slice('action-'.length)));
  }

  // Six browser profiles and some twenty steps: 50–115 s (alone, or with others loading the machine), so the limit is five times that.
  it('goes from clue to closed and back to verification, each step by the department whose turn it is', async () => {
    // A point in the core zone of WF-PA-01, outside the areas overlapping it where the zone allows.
    const [place] = await portal.database.rows<{ x: number; y: number }>(
      sql`with core as (select z.geom from area_zones z join protected_areas a on a.id = z.area_id where a.code = 'WF-PA-01' and z.zone = 'core'),
               alone as (select ST_Difference(core.geom, coalesce((select ST_Union(o.geom) from protected_areas o where o.code <> 'WF-PA-01' and o.geom && core.geom), ST_GeomFromText('POLYGON EMPTY', 4326))) as geom from core)
          select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(case when ST_IsEmpty(alone.geom) then core.geom else alone.geom end) as p from core, alone) q`,
    );
    const coord = await as('coord');
    // The city acceptor signs in before the clock moves, like everyone else in this test.
    await as('eco');
    const departments = await coord.evaluate(async () => (await (await fetch('/api/departments')).json()) as { departments: { id: number; code: string }[] });
    const codeOf = (id: number) => departments.departments.find((d) => d.id === id)!.code;
    const idOf = (code: string) => String(departments.departments.find((d) => d.code === code)!.id);
    const body = await coord.evaluate(async ([x, y]) => {
      const response = await fetch('/api/findings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: '核心区内采石场',
          category: 'mining',
          source: 'remote_sensing',
          description: '遥感监测发现核心区内有采石开挖面。',
          discoveredAt: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
          approval: 'unapproved',
          geometry: { type: 'Point', coordinates: [x, y] },
        }),
      });
      return { status: response.status, json: (await response.json()) as { id: number; serial: string } };
    }, [place!.x, place!.y] as [number, number]);
    expect(body.status).toBe(201);
    const findingPath = `/findings/${body.json.id}`;
    const managementBody = 'mb-wf-pa-01';

    // 线索 → 核查中: the coordinator asks the 临朐 branch to verify, with an instruction.
    await act('coord', findingPath, 'dispatch', 'verifying', async (form) => {
      await field(form, 'verifyingDepartmentId').locator('select').selectOption(idOf('eco-linqu'));
      await field(form, 'instruction').locator('textarea').fill('请三日内到现场核实开挖范围。');
    });

    // The branch confirms it (违法违规), with a site photo uploaded in the form.
    await act('lq', findingPath, 'confirm', 'confirmed', async (form) => {
      await field(form, 'outcome').locator('input[data-option="illegal"]').check();
      await field(form, 'conclusion').locator('textarea').fill('现场核实：核心区内有采石开挖面约 0.3 公顷，未经审批。');
      await attach(field(form, 'evidenceIds'));
    });
    const lq = await as('lq');
    expect(await lq.getByTestId('verification-outcome').getAttribute('data-outcome')).toBe('illegal');

    // 方案编制: the county government leads with the management body; the body drafts the plan.
    await act('coord', findingPath, 'assign_plan', 'planning', async (form) => {
      await field(form, 'leadDepartmentId').locator('select').selectOption(idOf('gov-linqu'));
      await field(form, 'cooperatingDepartmentIds').locator(`input[data-code="${managementBody}"]`).check();
    });
    expect(await offered('gov-linqu', findingPath)).not.toContain('submit_plan');

    const drafter = await act(managementBody, findingPath, 'submit_plan', 'planning', async (form) => {
      // The rule's required measures come ticked; the plan adds nothing the rule does not allow.
      const required = await field(form, 'measures').locator('input:checked').count();
      expect(required).toBeGreaterThan(0);
      await field(form, 'responsibleParty').locator('input').fill('临朐县人民政府');
      await field(form, 'targets').locator('textarea').fill('关停采石场，清除设备，恢复植被。');
      // A plan without the exit the rule requires is refused, and the form says why.
      await field(form, 'measures').locator('input[data-measure="exit"]').uncheck();
      await form.getByTestId('step-submit').click();
      const refusal = form.locator('[data-field="measures"] p.error, p.form-error').first();
      await expect.poll(() => refusal.textContent(), { timeout: 20_000 }).toMatch(/\S/);
      await field(form, 'measures').locator('input[data-measure="exit"]').check();
      // Item 一 of the annex asks for exit whatever the approval, with no 科学评估 first.
      expect(await field(form, 'assessmentEvidenceIds').textContent()).toContain('可选');
    });
    await expect.poll(() => drafter.getByTestId('plan-status').getAttribute('data-status')).toBe('submitted');

    // Every reviewer department signs for itself; the last signature starts the rectification.
    const unsigned = await drafter.getByTestId('plan-reviewer').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-decision')));
    expect(unsigned.length).toBeGreaterThan(0);
    expect(unsigned.every((d) => d === 'pending')).toBe(true);
    const plan = await drafter.evaluate(async (path) => (await (await fetch(`/api${path}`)).json()) as { plan: { reviewers: { department: { id: number } }[] } }, findingPath);
    const reviewers = plan.plan.reviewers.map((r) => usernameOf(codeOf(r.department.id)));
    for (const [i, reviewer] of reviewers.entries()) {
      const last = i === reviewers.length - 1;
      await act(reviewer, findingPath, 'review_plan', last ? 'rectifying' : 'planning', async (form) => {
        await field(form, 'decision').locator('input[data-option="approve"]').check();
        await field(form, 'opinion').locator('textarea').fill('同意该方案。');
      });
    }
    const signed = await (await as(reviewers.at(-1)!)).getByTestId('plan-reviewer').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-decision')));
    expect(signed).toEqual(reviewers.map(() => 'approve'));

    // 整改: a dated progress entry, then each department reports its own part.
    await act('gov-linqu', findingPath, 'record_progress', 'rectifying', async (form) => {
      await field(form, 'text').locator('textarea').fill('已断水断电，设备清运一半。');
      await field(form, 'percent').locator('input').fill('50');
    });
    const lead = await act('gov-linqu', findingPath, 'report_part', 'rectifying', async (form) => {
      await field(form, 'report').locator('textarea').fill('采石场已关停，设备全部清运。');
      await attach(field(form, 'evidenceIds'));
    });
    expect(await lead.getByTestId('progress-entry').count()).toBe(1);
    // Joint sign-off: the lead alone does not end rectification.
    expect(await lead.locator('[data-testid="part-report"][data-reported="no"]').count()).toBe(1);
    await act(managementBody, findingPath, 'report_part', 'pending_acceptance', async (form) => {
      await field(form, 'report').locator('textarea').fill('开挖面已覆土，播撒乡土草种。');
      await attach(field(form, 'evidenceIds'));
    });
    const waiting = await as(managementBody);
    expect(await waiting.getByTestId('finding-deadline').getAttribute('data-paused')).toBe('yes');

    // Past the rule's observation period, the county checks the site and accepts, then the city does.
    await moveClock(100);
    for (const [username, level, next] of [
      ['lq', 'county', 'pending_acceptance'],
      ['eco', 'city', 'publicising'],
    ] as const) {
      const page = await act(username, findingPath, 'site_check', 'pending_acceptance', async (form) => {
        await field(form, 'people').locator('input').fill(`${username} 验收组 2 人`);
        await field(form, 'note').locator('textarea').fill('现场已无采石设备，植被开始恢复。');
        await attach(field(form, 'evidenceIds'));
      });
      expect(await page.locator(`[data-testid="acceptance-level"][data-level="${level}"] [data-testid="site-check"]`).count()).toBe(1);
      await act(username, findingPath, 'accept', next, async (form) => {
        const conditions = form.locator('[data-condition]');
        const count = await conditions.count();
        expect(count).toBeGreaterThan(0);
        for (let i = 0; i < count; i++) {
          await conditions.nth(i).locator('input[type="checkbox"]').check();
          await attach(conditions.nth(i));
        }
        await field(form, 'opinion').locator('textarea').fill('验收合格。');
      });
      // The county checks its own work; the city level is for a department independent of the rectifiers.
      if (level === 'county') {
        for (const rectifier of ['gov-linqu', managementBody]) expect(await offered(rectifier, findingPath), rectifier).toEqual([]);
      }
    }
    expect(await offered('coord', findingPath)).toContain('record_objection');

    // 公示: the notice is generated from the record; an objection comes in and is not upheld.
    const publicising = await act('coord', findingPath, 'record_objection', 'publicising', async (form) => {
      await field(form, 'objector').locator('input').fill('山旺村村民');
      await field(form, 'content').locator('textarea').fill('反映采石场仍有夜间施工。');
      await field(form, 'handling').locator('textarea').fill('经夜间核查无施工，异议不成立。');
    });
    expect(await publicising.getByTestId('publicity-notice').textContent()).toContain('核心区内采石场');
    expect(await publicising.locator('[data-testid="objection"][data-upheld="no"]').count()).toBe(1);
    const publicityEnd = (await publicising.evaluate(async (path) => ((await (await fetch(`/api${path}`)).json()) as { publicityEndOn: string }).publicityEndOn, findingPath))!;

    // 销号 once the 公示 is over, with its document number.
    await moveClock(8);
    const closed = await act('coord', findingPath, 'close', 'closed', async (form) => {
      await field(form, 'closedOn').locator('input').fill(publicityEnd);
      await field(form, 'closingDocumentNo').locator('input').fill('临环保地销〔示例〕1号');
    });
    expect(await closed.getByTestId('closed-on').textContent()).toBe(publicityEnd);
    expect(await closed.getByTestId('closing-document-no').textContent()).toBe('临环保地销〔示例〕1号');
    expect(await closed.getByTestId('recheck-task').count()).toBeGreaterThan(0);

    // Six months on the re-check is overdue, and the map's 回头看 layer lists it.
    await moveClock(190);
    const map = await as('coord');
    await map.goto(url('/'));
    await map.getByTestId('recheck-toggle').check();
    await expect.poll(() => map.getByTestId('recheck-count').textContent(), { timeout: 30_000 }).toMatch(/^[1-9]\d* 个待回头看$/);

    // 回头看: the verifying department finds it recurred, and it goes back to verification.
    await act('lq', findingPath, 'recheck', 'verifying', async (form) => {
      await field(form, 'result').locator('input[data-option="recurred"]').check();
      await field(form, 'note').locator('textarea').fill('回头看发现开挖面又有新的采石痕迹。');
      await attach(field(form, 'evidenceIds'));
    });

    // The timeline names every step and who took it; the instruction stays under the coordinator's entry.
    const timeline = (await as('coord')).getByTestId('timeline');
    await (await as('coord')).goto(url(findingPath));
    await timeline.waitFor();
    const actions = await timeline.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
    for (const action of ['dispatch', 'confirm', 'assign_plan', 'submit_plan', 'review_plan', 'record_progress', 'report_part', 'site_check', 'accept', 'record_objection', 'close', 'recheck']) {
      expect(actions, action).toContain(`finding.${action}`);
    }
    const dispatch = timeline.locator('li[data-action="finding.dispatch"]');
    expect(await dispatch.locator('[data-field="instruction"]').textContent()).toContain('请三日内到现场核实开挖范围。');
    expect(await dispatch.locator('.who').textContent()).toContain('联合执法协调员');
    const text = (await timeline.textContent())!;
    for (const words of ['交办核查', '核查属实', '报送整改方案', '审查整改方案', '验收现场核查', '登记公示异议', '销号', '回头看']) expect(text, words).toContain(words);

    // Each login page's 401 before signing in, and the refused plan's 400.
    const refused: Record<string, ExpectedFailure[]> = { [managementBody]: [{ status: 400, url: url(`/api/findings/${body.json.id}/transitions`) }] };
    for (const [username, p] of people) {
      expect(unexpectedErrors(p.errors, [{ status: 401, url: url('/api/auth/me') }, ...(refused[username] ?? [])]), username).toEqual([]);
    }
  }, 600_000);
});
