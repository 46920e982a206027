/**
 * Closure (销号) freezes the record: what it was closed on is stored and shown as stored, its facts and
 * evidence no longer change, boundary re-judging passes it by (and records every finding it does
 * change), and reopening judges it anew. Also: who may add evidence, and whose timelines a person reads.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import { rootMessage } from '../../server/db/backend.ts';
import { signIn } from '../helpers/auth.ts';
import { departmentIds, pointInside } from '../helpers/places.ts';
import { describeEachBackend } from '../helpers/backends.ts';

let nextFile = 1;
/** A distinct JPEG each call (files are deduplicated per finding by SHA-256). */
const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, nextFile++ & 0xff, nextFile >> 8, 0xff, 0xd9]);

type Finding = { id: number; serial: string; version: number; state: string; category: string; zone: string | null; areas: string[] };

describeEachBackend('closure freezes the record', (ctx) => {
  let ids: Record<string, number> = {};
  let insideXiashan: [number, number];
  beforeAll(async () => {
    ids = await departmentIds(ctx().database, ['eco', 'nr', 'water', 'eco-linqu']);
    insideXiashan = await pointInside(ctx().database, 'WF-PA-15');
  });

  const upload = async (username: string, findingId: number) => {
    const cookie = await signIn(ctx().app, username);
    const form = new FormData();
    form.set('file', new File([jpeg()], `证据${nextFile}.jpg`));
    return ctx().app.request(`/api/findings/${findingId}/attachments`, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
  };
  const record = async (title: string, username = 'coord'): Promise<Finding> =>
    (
      await (await ctx().as(username))('/api/findings', {
        json: { title, category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: '2026-05-20', geometry: { type: 'Point', coordinates: insideXiashan } },
      })
    ).json();
  const step = async (username: string, f: Finding, body: Record<string, unknown>): Promise<Finding> => {
    const res = await (await ctx().as(username))(`/api/findings/${f.id}/transitions`, { json: { version: f.version, ...body } });
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json;
  };
  /** Takes a new finding through the whole chain: nr verifies and rectifies, eco accepts. */
  const closedFinding = async (title: string) => {
    let f = await record(title);
    f = await step('coord', f, { to: 'verifying', verifyingDepartmentId: ids.nr, dueDate: addDays(todayIn(), 10) });
    f = await step('nr', f, { to: 'confirmed', note: '属实' });
    f = await step('coord', f, { to: 'rectifying', measures: ['exit', 'restore'], leadDepartmentId: ids.nr, cooperatingDepartmentIds: [ids.water], deadline: addDays(todayIn(), 30) });
    const report = await (await upload('nr', f.id)).json();
    f = await step('nr', f, { to: 'pending_acceptance', report: '已退出', evidenceIds: [report.id] });
    const check = await (await upload('eco', f.id)).json();
    const detail = await (await (await ctx().as('eco'))(`/api/findings/${f.id}`)).json();
    const ticks = detail.closing.conditions.map((c: { code: string }) => ({ code: c.code, evidenceIds: [check.id] }));
    f = await step('eco', f, { to: 'closed', ticks, note: '验收合格' });
    return { finding: f, conditions: detail.closing, check, ticks };
  };

  it('stores what it was closed on and shows that, not a recomputation', async () => {
    const { finding, conditions, check } = await closedFinding('销号快照');
    const coord = await ctx().as('coord');
    const shown = await (await coord(`/api/findings/${finding.id}`)).json();
    expect(shown.closing).toEqual(conditions);
    expect(shown.closure).toMatchObject({
      closedBy: { username: 'eco' },
      zone: null,
      areas: [{ code: 'WF-PA-15', zone: null, boundaryVersion: expect.any(Number) }],
      ticks: conditions.conditions.map((c: { code: string; labelZh: string }) => ({
        code: c.code,
        labelZh: c.labelZh,
        tickedBy: { username: 'eco', userId: expect.any(Number) },
        evidence: [{ id: check.id, fileName: check.fileName, sha256: check.sha256 }],
      })),
    });
    const [closedEvent] = await ctx().database.rows<{ id: number }>(sql`select id from events where entity = 'finding' and entity_id = ${String(finding.id)} and action = 'finding.closed'`);
    expect(shown.closure.eventId).toBe(Number(closedEvent.id));

    // Even if the facts changed underneath (as a direct database edit would), the page shows what was ticked.
    await ctx().database.rows(sql`update findings set category = 'pollution' where id = ${finding.id}`);
    const after = await (await coord(`/api/findings/${finding.id}`)).json();
    expect(after.closing).toEqual(conditions);
    expect(after.closing.conditions.map((c: { code: string }) => c.code)).not.toContain('discharge_stopped');

    const refuse = (q: ReturnType<typeof sql>) => ctx().database.rows(q).then(() => 'no error', (e) => rootMessage(e));
    expect(await refuse(sql`update finding_closures set ticks = '[]'::jsonb where finding_id = ${finding.id}`)).toBe('finding_closures is frozen: UPDATE is not allowed');
    expect(await refuse(sql`delete from finding_closures where finding_id = ${finding.id}`)).toBe('finding_closures is frozen: DELETE is not allowed');
  });

  it('refuses edits of a closed finding’s facts, with a message to reopen it first', async () => {
    const { finding } = await closedFinding('销号后修改');
    for (const username of ['coord', 'nr']) {
      const res = await (await ctx().as(username))(`/api/findings/${finding.id}`, { method: 'PATCH', json: { version: finding.version, description: '改写', category: 'other' } });
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        error: { code: 'conflict', message: `问题 ${finding.serial} 已销号，记录已冻结，不能再修改；如需更正，请先由协调员通过“回头看”将其标为复发（重新打开）` },
      });
    }
    const [row] = await ctx().database.rows<{ description: string; category: string; version: number }>(sql`select description, category, version from findings where id = ${finding.id}`);
    expect(row).toEqual({ description: '河道内采砂', category: 'mining', version: finding.version });
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

  it('re-judges open findings on a boundary change, recording each change, and leaves closed ones as closed', async () => {
    const { finding: closed, conditions } = await closedFinding('边界变更 已销号');
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
      expect((await (await coord(`/api/findings/${closed.id}`)).json()).closing).toEqual(conditions);

      // Reopened (回头看), the finding is judged on today's boundary, and that change is recorded too.
      const reopened = await step('coord', closed, { to: 'reopened', reason: '回头看发现复采' });
      expect(reopened).toMatchObject({ state: 'reopened', areas: [] });
      const [closure] = await ctx().database.rows<{ reopened: boolean }>(sql`select reopened_at is not null as reopened from finding_closures where finding_id = ${closed.id}`);
      expect(closure.reopened).toBe(true);
      const timeline = (await (await coord(`/api/events?entity=finding&id=${closed.id}`)).json()).events.map((e: { action: string }) => e.action);
      expect(timeline.slice(-2)).toEqual(['finding.reopened', 'finding.rejudged']);
      const detail = await (await coord(`/api/findings/${closed.id}`)).json();
      expect(detail.closure).toBeNull();
    } finally {
      await ctx().database.rows(sql`update protected_areas set geom = ST_Multi(ST_Translate(geom, -0.5, 0)), boundary_version = boundary_version + 1 where code = 'WF-PA-15'`);
    }
  });

  it('lets only the parties of a finding add evidence, never to a closed one', async () => {
    const f = await record('证据权限', 'insp');
    // The recorder adds to their report while it is a clue; another department may not.
    expect((await upload('insp', f.id)).status).toBe(201);
    const outsider = await upload('lq', f.id);
    expect(outsider.status).toBe(403);
    expect(await outsider.json()).toEqual({ error: { code: 'forbidden', message: '只有此问题的核查、牵头、配合、验收部门或联合执法协调员可以上传证据（登记人可在交办核查前补充）' } });
    expect((await upload('viewer', f.id)).status).toBe(403);

    const verifying = await step('coord', f, { to: 'verifying', verifyingDepartmentId: ids.nr, dueDate: addDays(todayIn(), 10) });
    expect((await upload('nr', verifying.id)).status).toBe(201);
    expect((await upload('insp', verifying.id)).status).toBe(403);
    expect((await upload('coord', verifying.id)).status).toBe(201);

    const { finding: closed } = await closedFinding('证据 已销号');
    for (const username of ['coord', 'nr']) {
      const res = await upload(username, closed.id);
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        error: { code: 'conflict', message: `问题 ${closed.serial} 已销号，记录已冻结，不能再添加证据；如发现复发，请先由协调员将其标为复发（重新打开）` },
      });
    }
    expect((await upload('lq', closed.id)).status).toBe(403);
  });

  it('never stores evidence that arrives as the finding closes after the closing', async () => {
    for (let i = 0; i < 6; i++) {
      let f = await record(`证据竞争 ${i}`);
      f = await step('coord', f, { to: 'verifying', verifyingDepartmentId: ids.nr, dueDate: addDays(todayIn(), 10) });
      f = await step('nr', f, { to: 'confirmed', note: '属实' });
      f = await step('coord', f, { to: 'rectifying', measures: ['exit'], leadDepartmentId: ids.nr, cooperatingDepartmentIds: [], deadline: addDays(todayIn(), 30) });
      const report = await (await upload('nr', f.id)).json();
      f = await step('nr', f, { to: 'pending_acceptance', report: '已退出', evidenceIds: [report.id] });
      const detail = await (await (await ctx().as('eco'))(`/api/findings/${f.id}`)).json();
      const ticks = detail.closing.conditions.map((c: { code: string }) => ({ code: c.code, evidenceIds: [report.id] }));
      const eco = await ctx().as('eco');
      const [close, late] = await Promise.all([eco(`/api/findings/${f.id}/transitions`, { json: { version: f.version, to: 'closed', ticks } }), upload('nr', f.id)]);
      expect(close.status).toBe(200);
      expect([201, 409]).toContain(late.status);
      const order = await ctx().database.rows<{ action: string }>(
        sql`select action from events where entity = 'finding' and entity_id = ${String(f.id)} and action in ('finding.closed', 'finding.attachment_added') order by id`,
      );
      // An upload either lands before the closing (and is in the timeline before it) or is refused.
      expect(order.at(-1)!.action).toBe('finding.closed');
      expect(order.filter((e) => e.action === 'finding.attachment_added')).toHaveLength(late.status === 201 ? 2 : 1);
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
