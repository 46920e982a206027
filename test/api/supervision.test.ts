/**
 * 督办: the sweep issues 通报 → 约谈 → 挂牌督办 at the SUPERVISION_DAYS thresholds (30, 60, 90 by
 * default) of a finding's running deadline, each to its recipient with a WF-DB-YYYY-NNNN number and
 * a text written from the record; sweeping again issues nothing; on PostgreSQL, sweeps racing from
 * several connections issue each notice once and burn no number.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import { startSupervisionSweeps, sweepSupervision } from '../../server/features/supervision/supervision.service.ts';
import { createLogger } from '../../server/lib/log.ts';
import { describeEachBackend, describeOnPostgres, testConfig, type TestContext } from '../helpers/backends.ts';
import { departmentIds, pointInside } from '../helpers/places.ts';

const config = testConfig();
const DAY = 86_400_000;
/** A moment `days` from now, and the calendar date it falls on. */
const at = (days: number) => new Date(Date.now() + days * DAY);
const dateAt = (days: number) => todayIn(config.timeZone, at(days));
const today = dateAt(0);

interface Notice {
  id: number;
  findingId: number;
  level: string;
  number: string;
  state: string;
  dueOn: string;
  daysOverdue: number;
  textZh: string;
  eventId: number;
  recipient: { departmentId: number | null; label: string; code: string | null };
  finding: { id: number; serial: string };
}

function helpers(ctx: () => TestContext) {
  const createFinding = async (title: string, areaCode = 'WF-PA-15') => {
    const point = await pointInside(ctx().database, areaCode);
    const res = await (await ctx().as('coord'))('/api/findings', {
      json: { title, category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: today, geometry: { type: 'Point', coordinates: point } },
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    return body as { id: number; serial: string };
  };
  /** Puts a finding in rectification under a lead department with the given deadline. */
  const rectifying = (id: number, lead: number, deadline: string) =>
    ctx().database.rows(sql`update findings set state = 'rectifying', lead_department_id = ${lead}, deadline = ${deadline}::date where id = ${id}`);
  const noticesOf = async (findingId: number): Promise<Notice[]> => {
    const res = await (await ctx().as('viewer'))(`/api/supervision/notices?finding=${findingId}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { notices: Notice[] }).notices;
  };
  return { createFinding, rectifying, noticesOf };
}

describeEachBackend('督办 supervision', (ctx) => {
  const { createFinding, rectifying, noticesOf } = helpers(ctx);
  let dept: Record<string, number> = {};
  let names: Record<string, string> = {};

  beforeAll(async () => {
    dept = await departmentIds(ctx().database, ['eco', 'nr', 'eco-linqu', 'gov-fangzi']);
    const rows = await ctx().database.rows<{ code: string; name_zh: string }>(sql`select code, name_zh from departments where code in ('eco', 'nr', 'eco-linqu', 'gov-fangzi')`);
    names = Object.fromEntries(rows.map((r) => [r.code, r.name_zh]));
  });

  it('issues 通报, 约谈 and 挂牌督办 at 30, 60 and 90 days overdue, each once, to the lead’s head and then the county government', async () => {
    const f = await createFinding('逾期整改问题');
    const deadline = addDays(today, -1);
    await rectifying(f.id, dept.nr, deadline);

    await sweepSupervision(ctx().database, config, at(0));
    expect(await noticesOf(f.id)).toEqual([]);
    await sweepSupervision(ctx().database, config, at(28));
    expect(await noticesOf(f.id), '29 days overdue: not yet').toEqual([]);

    await sweepSupervision(ctx().database, config, at(29));
    const first = await noticesOf(f.id);
    expect(first.map((n) => [n.level, n.state, n.dueOn, n.daysOverdue, n.recipient.label, n.recipient.departmentId])).toEqual([
      ['circular', 'rectifying', deadline, 30, '潍坊市自然资源和规划局主要负责人', dept.nr],
    ]);
    expect(names.nr).toBe('潍坊市自然资源和规划局');
    const again = await sweepSupervision(ctx().database, config, at(29));
    expect(again.issued).toBe(0);
    expect(await noticesOf(f.id)).toHaveLength(1);

    await sweepSupervision(ctx().database, config, at(59));
    await sweepSupervision(ctx().database, config, at(59));
    await sweepSupervision(ctx().database, config, at(89));
    const all = await noticesOf(f.id);
    expect(all.map((n) => [n.level, n.daysOverdue, n.recipient.label])).toEqual([
      ['circular', 30, '潍坊市自然资源和规划局主要负责人'],
      ['interview', 60, '潍坊市自然资源和规划局主要负责人'],
      ['listed', 90, '坊子区人民政府'],
    ]);
    // The sample point of 峡山水库 lies in 坊子区 (370704): its government receives 挂牌督办.
    const [{ county }] = await ctx().database.rows<{ county: string }>(sql`select county_code as county from findings where id = ${f.id}`);
    expect(county).toBe('370704');
    expect(all[2].recipient.departmentId).toBe(dept['gov-fangzi']);
    expect(names['gov-fangzi']).toBe('坊子区人民政府');

    // Numbers: WF-DB-<year of issue>-NNNN, distinct, in issue order.
    for (const [n, days] of [[all[0], 29], [all[1], 59], [all[2], 89]] as const) {
      expect(n.number).toMatch(new RegExp(`^WF-DB-${dateAt(days).slice(0, 4)}-\\d{4}$`));
    }
    expect(new Set(all.map((n) => n.number)).size).toBe(3);

    // The text comes from the record and says what it is.
    expect(all[0].textZh).toContain(`问题 ${f.serial}“逾期整改问题”`);
    expect(all[0].textZh).toContain(`整改期限为 ${deadline}，截至 ${dateAt(29)} 已逾期 30 天`);
    expect(all[0].textZh).toContain(`编号：${all[0].number}`);
    expect(all[0].textZh).toContain('门户默认');
    expect(all[0].textZh).toContain('自动生成');
    expect(all[2].textZh.startsWith('潍坊市自然保护地联合执法 督办挂牌督办')).toBe(true);

    // Each notice has its event on the finding.
    const events = await ctx().database.rows<{ id: number; after: { noticeId: number; number: string; level: string } }>(
      sql`select id, after from events where entity = 'finding' and entity_id = ${String(f.id)} and action = 'finding.supervision_issued' order by id`,
    );
    expect(events.map((e) => [Number(e.id), e.after.noticeId, e.after.number, e.after.level])).toEqual(all.map((n) => [n.eventId, n.id, n.number, n.level]));
  });

  it('a new deadline starts the levels again; pending acceptance pauses them', async () => {
    const f = await createFinding('延期后再次逾期');
    await rectifying(f.id, dept.nr, addDays(today, -30));
    await sweepSupervision(ctx().database, config, at(0));
    expect((await noticesOf(f.id)).map((n) => n.level)).toEqual(['circular']);
    await ctx().database.rows(sql`update findings set deadline = ${addDays(today, -10)}::date where id = ${f.id}`);
    await sweepSupervision(ctx().database, config, at(20));
    expect((await noticesOf(f.id)).map((n) => [n.level, n.dueOn])).toEqual([
      ['circular', addDays(today, -30)],
      ['circular', addDays(today, -10)],
    ]);
    await ctx().database.rows(sql`update findings set state = 'pending_acceptance' where id = ${f.id}`);
    await sweepSupervision(ctx().database, config, at(200));
    expect(await noticesOf(f.id)).toHaveLength(2);
  });

  it('an overdue clue goes to its owner’s department; a late verification to the verifying department, all reached levels at once', async () => {
    const clue = await createFinding('逾期未派发线索');
    await ctx().database.rows(sql`update findings set clue_owner_user_id = (select id from users where username = 'coord'), clue_due_on = ${addDays(today, -31)}::date where id = ${clue.id}`);
    const verifying = await createFinding('逾期未核查', 'WF-PA-01');
    await ctx().database.rows(sql`update findings set state = 'verifying', verifying_department_id = ${dept['eco-linqu']} where id = ${verifying.id}`);
    await ctx().database.rows(sql`insert into tasks (kind, finding_id, department_id, due_on, instruction) values ('verify', ${verifying.id}, ${dept['eco-linqu']}, ${addDays(today, -61)}::date, '请核查')`);

    await sweepSupervision(ctx().database, config, at(0));
    expect((await noticesOf(clue.id)).map((n) => [n.level, n.state, n.daysOverdue, n.recipient.label])).toEqual([['circular', 'clue', 31, `${names.eco}主要负责人`]]);
    expect((await noticesOf(clue.id))[0].textZh).toContain('线索派发核查期限');
    expect((await noticesOf(verifying.id)).map((n) => [n.level, n.state, n.daysOverdue, n.recipient.label])).toEqual([
      ['circular', 'verifying', 61, `${names['eco-linqu']}主要负责人`],
      ['interview', 'verifying', 61, `${names['eco-linqu']}主要负责人`],
    ]);
  });

  it('the server sweeps at start-up: stopping waits for that first sweep', async () => {
    const f = await createFinding('启动时督办');
    await rectifying(f.id, dept.nr, addDays(today, -30));
    const stop = startSupervisionSweeps(ctx().database, config, createLogger('silent'));
    await stop();
    expect((await noticesOf(f.id)).map((n) => n.level)).toEqual(['circular']);
  });

  it('GET /api/supervision/notices/:id answers one notice for printing; unknown ids and bad queries are refused', async () => {
    const f = await createFinding('文书打印');
    await rectifying(f.id, dept.nr, addDays(today, -40));
    await sweepSupervision(ctx().database, config, at(0));
    const [n] = await noticesOf(f.id);
    const viewer = await ctx().as('viewer');
    const one = await viewer(`/api/supervision/notices/${n.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ ...n, recipient: { ...n.recipient, code: 'nr', nameZh: names.nr, nameEn: expect.any(String) }, finding: { id: f.id, serial: f.serial, title: '文书打印', state: 'rectifying' } });
    const missing = await viewer('/api/supervision/notices/999999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: '没有编号为 999999 的督办文书' } });
    const bad = await viewer('/api/supervision/notices?finding=abc');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'invalid_request', message: '查询参数有误：finding', issues: [{ path: 'finding', message: '问题编号须为正整数' }] },
    });
    const anonymous = await ctx().app.request(`/api/supervision/notices/${n.id}`);
    expect(anonymous.status).toBe(401);
  });
});

describeOnPostgres('督办 sweeps racing', (ctx) => {
  const { createFinding, rectifying, noticesOf } = helpers(ctx);

  it('three sweeps at once issue every notice exactly once, with no number skipped', async () => {
    const [nr] = await ctx().database.rows<{ id: number }>(sql`select id from departments where code = 'nr'`);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const f = await createFinding(`并发督办 ${i}`);
      await rectifying(f.id, Number(nr.id), addDays(today, -95));
      ids.push(f.id);
    }
    const [{ n: before }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from supervision_notices`);
    const results = await Promise.all([0, 1, 2].map(() => sweepSupervision(ctx().database, config, at(0))));
    const [{ n: after }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from supervision_notices`);
    expect(results.reduce((s, r) => s + r.issued, 0)).toBe(Number(after) - Number(before));
    for (const id of ids) expect((await noticesOf(id)).map((n) => n.level)).toEqual(['circular', 'interview', 'listed']);
    const year = today.slice(0, 4);
    const numbers = await ctx().database.rows<{ number: string }>(sql`select number from supervision_notices where number like ${`WF-DB-${year}-%`} order by number`);
    const serials = numbers.map((r) => Number(r.number.slice(-4)));
    expect(serials).toEqual(serials.map((_, i) => i + 1));
    const [counter] = await ctx().database.rows<{ last: number }>(sql`select last from supervision_notice_serials where year = ${Number(year)}`);
    expect(Number(counter.last)).toBe(serials.length);
  });
});
