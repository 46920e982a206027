/**
 * Closure (销号) freezes the record: what it was closed on is stored and shown as stored, its facts no
 * longer change and it takes evidence only for a 回头看, boundary re-judging passes it by (and records
 * every finding it does change), and reopening judges it anew. Also: who may add evidence, and whose timelines a person reads.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { addDays } from '../../server/lib/clock.ts';
import { rootMessage } from '../../server/db/backend.ts';
import { signIn } from '../helpers/auth.ts';
import { departmentIds, pointInside } from '../helpers/places.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { Chain, daysBetween, jpeg, moveToday, realToday, today, type Account } from '../helpers/chain.ts';

// Walks past observation periods and the 公示 move the server's "today" (test/helpers/today.ts).
vi.mock('../../server/lib/clock.ts', async (original) => (await import('../helpers/today.ts')).movableClock(await original()));

/** Walks through the chain make dozens of requests each; on a loaded machine they need longer than the default. */
const WALK = { timeout: 240_000 };

type Finding = { id: number; serial: string; version: number; state: string; category: string; zone: string | null; areas: string[] };

describeEachBackend('closure freezes the record', (ctx) => {
  const chain = new Chain(ctx);
  afterEach(realToday);
  let ids: Record<string, number> = {};
  let insideXiashan: [number, number];
  beforeAll(async () => {
    ids = await departmentIds(ctx().database, ['eco', 'nr', 'water', 'eco-linqu', 'eco-xiashan']);
    insideXiashan = await pointInside(ctx().database, 'WF-PA-15');
  });

  const upload = async (username: string, findingId: number) => {
    const cookie = await signIn(ctx().app, username);
    const form = new FormData();
    form.set('file', new File([jpeg()], '证据.jpg'));
    return ctx().app.request(`/api/findings/${findingId}/attachments`, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
  };
  const uploadAs = async (who: Account, findingId: number) => {
    const form = new FormData();
    form.set('file', new File([jpeg()], '证据.jpg'));
    return ctx().app.request(`/api/findings/${findingId}/attachments`, { method: 'POST', body: form, headers: { cookie: who.cookie, origin: 'http://localhost' } });
  };
  const record = async (title: string, username = 'coord'): Promise<Finding> =>
    (
      await (await ctx().as(username))('/api/findings', {
        json: { title, category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: '2026-05-20', geometry: { type: 'Point', coordinates: insideXiashan } },
      })
    ).json();
  /** A finding in 峡山湖 taken through the whole chain by its parties and closed by the coordinator. */
  const closedFinding = async (title: string) => chain.walkTo('closed', { areaCode: 'WF-PA-15', zone: null, category: 'mining', title });

  it('stores what it was closed on and shows that, not a recomputation', WALK, async () => {
    const { finding } = await closedFinding('销号快照');
    const coord = await ctx().as('coord');
    const shown = await (await coord(`/api/findings/${finding.id}`)).json();
    expect(shown.rule).toEqual(finding.rule);
    const lastLevel = finding.acceptance!.levels.at(-1)!;
    expect(shown.closure).toMatchObject({
      closedBy: { username: 'coord' },
      zone: null,
      areas: [{ code: 'WF-PA-15', zone: null, boundaryVersion: expect.any(Number) }],
      closing: { ruleCode: finding.rule.ruleCode },
      ticks: finding.rule.conditions.map((c) => ({ code: c.code, labelZh: c.labelZh, tickedBy: { userId: expect.any(Number) }, evidence: [expect.objectContaining({ id: expect.any(Number) })] })),
    });
    expect(lastLevel.status).toBe('passed');
    expect(JSON.stringify(shown.closure.record)).toContain(finding.closingDocumentNo!);
    const [closedEvent] = await ctx().database.rows<{ id: number }>(sql`select id from events where entity = 'finding' and entity_id = ${String(finding.id)} and action = 'finding.close'`);
    expect(shown.closure.eventId).toBe(Number(closedEvent.id));

    // Even if the facts changed underneath (as a direct database edit would), the page shows the rule it was closed on.
    await ctx().database.rows(sql`update findings set category = 'pollution' where id = ${finding.id}`);
    const after = await (await coord(`/api/findings/${finding.id}`)).json();
    expect(after.rule).toEqual(finding.rule);
    expect(after.closure.closing).toEqual(shown.closure.closing);

    const refuse = (q: ReturnType<typeof sql>) => ctx().database.rows(q).then(() => 'no error', (e) => rootMessage(e));
    expect(await refuse(sql`update finding_closures set ticks = '[]'::jsonb where finding_id = ${finding.id}`)).toBe('finding_closures is frozen: UPDATE is not allowed');
    expect(await refuse(sql`delete from finding_closures where finding_id = ${finding.id}`)).toBe('finding_closures is frozen: DELETE is not allowed');
  });

  it('refuses edits of a closed finding’s facts, with a message to reopen it first', WALK, async () => {
    const { finding, parties } = await closedFinding('销号后修改');
    for (const who of [await chain.coordinator(), await chain.account(parties.lead)]) {
      const res = await who.request(`/api/findings/${finding.id}`, { method: 'PATCH', json: { version: finding.version, description: '改写', category: 'other' } });
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        error: { code: 'conflict', message: `问题 ${finding.serial} 已销号，记录已冻结，不能再修改；如需更正，请先由协调员通过“回头看”将其标为复发（重新打开）` },
      });
    }
    const [row] = await ctx().database.rows<{ description: string; category: string; version: number }>(sql`select description, category, version from findings where id = ${finding.id}`);
    expect(row).toEqual({ description: '遥感监测发现保护地内新增建筑', category: 'mining', version: finding.version });
  });

  it('applies the “outside every area must be other” rule to edits as to capture', async () => {
    const coord = await ctx().as('coord');
    const f = await record('移出保护地');
    const far = { type: 'Point', coordinates: [119.9, 35.6] };
    const moved = await coord(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version, geometry: far } });
    expect(moved.status).toBe(400);
    expect((await moved.json()).error.issues).toEqual([{ path: 'geometry', message: '位置不在任何自然保护地内；保护地外的问题只能按“其他”类别登记' }]);
    const asOther = await coord(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version, geometry: far, category: 'other' } });
    expect(asOther.status).toBe(200);
    const other = await asOther.json();
    expect(other).toMatchObject({ areas: [], category: 'other', warnings: [{ code: 'outside_areas', message: '位置不在任何自然保护地内，已按“其他”登记，请核实坐标' }] });
    // Outside, the category cannot go back to a protected-area activity without moving the place.
    const recategorised = await coord(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: other.version, category: 'mining' } });
    expect(recategorised.status).toBe(400);
    expect((await recategorised.json()).error.issues[0].path).toBe('geometry');
  });

  it('re-judges open findings on a boundary change, recording each change, and leaves closed ones as closed', WALK, async () => {
    const { finding: closed, parties } = await closedFinding('边界变更 已销号');
    const open = await record('边界变更 未销号');
    const placeOf = (id: number) =>
      ctx().database.rows<{ zone: string | null; areas: string | null; version: number }>(
        sql`select f.zone, f.version, (select string_agg(a.code || ':' || fa.boundary_version, ',' order by a.code) from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id) as areas
            from findings f where f.id = ${id}`,
      );
    const [closedBefore] = await placeOf(closed.id);
    const [openBefore] = await placeOf(open.id);
    const [{ v }] = await ctx().database.rows<{ v: number }>(sql`select boundary_version as v from protected_areas where code = 'WF-PA-15'`);
    try {
      await ctx().database.rows(sql`update protected_areas set geom = ST_Multi(ST_Translate(geom, 0.5, 0)), boundary_version = boundary_version + 1 where code = 'WF-PA-15'`);
      expect((await placeOf(closed.id))[0]).toEqual(closedBefore);
      const [openAfter] = await placeOf(open.id);
      expect(openAfter).toEqual({ zone: null, areas: null, version: openBefore.version + 1 });
      const rejudged = await ctx().database.rows<{ entity_id: string; actor_label: string; actor_user_id: number | null; before: unknown; after: unknown }>(
        sql`select entity_id, actor_label, actor_user_id, before, after from events where action = 'finding.rejudged' and entity_id in (${String(open.id)}, ${String(closed.id)})`,
      );
      expect(rejudged).toEqual([
        {
          entity_id: String(open.id),
          actor_label: 'system',
          actor_user_id: null,
          before: { zone: null, countyCode: expect.any(String), areas: [{ code: 'WF-PA-15', zone: null, boundaryVersion: v }] },
          after: { zone: null, countyCode: expect.any(String), areas: [], cause: 'protected_areas.update' },
        },
      ]);
      const coord = await ctx().as('coord');
      expect((await (await coord(`/api/findings/${closed.id}`)).json()).rule).toEqual(closed.rule);

      // Reopened, the finding goes back to verification and is judged on today's boundary; that change is recorded too.
      const reopened = await chain.step(await chain.coordinator(), closed.id, 'reopen', { reason: '群众举报复采', verifyingDepartmentId: parties.verifying, dueDate: addDays(today(), 10) });
      expect(reopened).toMatchObject({ state: 'verifying', areas: [] });
      const [closure] = await ctx().database.rows<{ reopened: boolean }>(sql`select reopened_at is not null as reopened from finding_closures where finding_id = ${closed.id}`);
      expect(closure.reopened).toBe(true);
      const timeline = (await (await coord(`/api/events?entity=finding&id=${closed.id}`)).json()).events.map((e: { action: string }) => e.action);
      expect(timeline.slice(-2)).toEqual(['finding.reopen', 'finding.rejudged']);
      const detail = await (await coord(`/api/findings/${closed.id}`)).json();
      expect(detail.closure).toBeNull();
    } finally {
      await ctx().database.rows(sql`update protected_areas set geom = ST_Multi(ST_Translate(geom, -0.5, 0)), boundary_version = boundary_version + 1 where code = 'WF-PA-15'`);
    }
  });

  it('lets only the parties of a finding add evidence; once closed, only the 回头看 department and coordinators', WALK, async () => {
    const f = await record('证据权限', 'insp');
    // The recorder adds to their report while it is a clue; another department may not.
    expect((await upload('insp', f.id)).status).toBe(201);
    const outsider = await upload('lq', f.id);
    expect(outsider.status).toBe(403);
    expect(await outsider.json()).toEqual({ error: { code: 'forbidden', message: '只有此问题的核查、方案编制、牵头、配合、验收部门或联合执法协调员可以上传证据（登记人可在交办核查前补充）' } });
    expect((await upload('viewer', f.id)).status).toBe(403);

    const verifying = await chain.step(await chain.coordinator(), f.id, 'dispatch', { verifyingDepartmentId: ids.nr, dueDate: addDays(today(), 10) });
    expect((await upload('nr', verifying.id)).status).toBe(201);
    expect((await upload('insp', verifying.id)).status).toBe(403);
    expect((await upload('coord', verifying.id)).status).toBe(201);

    // Closed: the record is frozen, except for the photos a re-check (回头看) needs.
    const { finding: closed, parties } = await closedFinding('证据 已销号');
    expect(closed.rechecks.every((t) => t.department?.id === parties.verifying)).toBe(true);
    const cooperating = await uploadAs(await chain.account(parties.cooperating[0]), closed.id);
    expect(cooperating.status).toBe(403);
    expect((await cooperating.json()).error).toEqual({ code: 'forbidden', message: '已销号问题只能由回头看任务所在部门或联合执法协调员上传回头看照片' });
    const verifier = await chain.account(parties.verifying);
    const photo = await uploadAs(verifier, closed.id);
    expect(photo.status).toBe(201);
    expect((await upload('coord', closed.id)).status).toBe(201);
    expect((await upload('lq', closed.id)).status).toBe(403);
    // Once every re-check is done the record takes nothing more.
    const photoId = ((await photo.json()) as { id: number }).id;
    for (const t of closed.rechecks) {
      await chain.step(verifier, closed.id, 'recheck', { taskId: t.id, result: 'stays_rectified', note: '整改成效保持', evidenceIds: [photoId] });
    }
    const frozen = await uploadAs(verifier, closed.id);
    expect(frozen.status).toBe(409);
    expect((await frozen.json()).error).toEqual({ code: 'conflict', message: `问题 ${closed.serial} 已销号，记录已冻结，不能再添加证据；回头看任务办理期间可由其所在部门上传照片` });
    const [{ n }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from finding_closures where finding_id = ${closed.id}`);
    expect(n).toBe(1);
  });

  it('never stores evidence that arrives as the finding closes after the closing', WALK, async () => {
    const coord = await chain.coordinator();
    for (let i = 0; i < 3; i++) {
      const { finding, parties } = await chain.walkTo('publicising', { areaCode: 'WF-PA-15', zone: null, category: 'mining', title: `证据竞争 ${i}` });
      moveToday(daysBetween(today(), finding.publicityEndOn!));
      const water = await chain.account(parties.cooperating[0]);
      const count = async () =>
        (await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from events where entity = 'finding' and entity_id = ${String(finding.id)} and action = 'finding.attachment_added'`))[0].n;
      const before = await count();
      const { version } = await chain.detail(finding.id);
      const [close, late] = await Promise.all([
        coord.request(`/api/findings/${finding.id}/transitions`, { json: { action: 'close', version, closedOn: today(), closingDocumentNo: `潍环销〔2026〕${i + 1}号` } }),
        uploadAs(water, finding.id),
      ]);
      expect(close.status).toBe(200);
      // After the closing only the 回头看 department and coordinators may add evidence.
      expect([201, 403]).toContain(late.status);
      const order = await ctx().database.rows<{ action: string }>(
        sql`select action from events where entity = 'finding' and entity_id = ${String(finding.id)} and action in ('finding.close', 'finding.attachment_added') order by id`,
      );
      // An upload either lands before the closing (and is in the timeline before it) or is refused.
      expect(order.at(-1)!.action).toBe('finding.close');
      expect(await count()).toBe(before + (late.status === 201 ? 1 : 0));
      if (late.status === 403) expect((await late.json()).error.code).toBe('forbidden');
      realToday();
    }
  });

  it('shows account timelines only to admins and to the person themself', async () => {
    const [{ id: adminId }] = await ctx().database.rows<{ id: number }>(sql`select id from users where username = 'admin'`);
    const [{ id: viewerId }] = await ctx().database.rows<{ id: number }>(sql`select id from users where username = 'viewer'`);
    const viewer = await ctx().as('viewer');
    const refused = await viewer(`/api/events?entity=user&id=${adminId}`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'forbidden', message: '只有系统管理员可以查看其他账号的登录和变更记录' } });
    expect((await (await ctx().as('coord'))(`/api/events?entity=user&id=${viewerId}`)).status).toBe(403);
    const own = await (await viewer(`/api/events?entity=user&id=${viewerId}`)).json();
    expect(own.events.map((e: { action: string }) => e.action)).toContain('auth.login');
    const admin = await ctx().as('admin');
    expect((await (await admin(`/api/events?entity=user&id=${viewerId}`)).json()).events.length).toBeGreaterThan(0);
    const f = await record('时间线');
    expect((await (await viewer(`/api/events?entity=finding&id=${f.id}`)).json()).events.map((e: { action: string }) => e.action)).toEqual(['finding.created']);
  });
});
