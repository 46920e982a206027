/**
 * The optimistic-lock rule under real races: on PostgreSQL the test database has a pool of four
 * connections, so two requests started together run in two transactions at once. For every versioned
 * resource, of two edits from one version exactly one wins, the row holds the winner's values (none
 * of the loser's), the loser's 409 names the current version, and the one audit event is right.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import { SAME_ORIGIN, signIn } from '../helpers/auth.ts';
import { jpeg } from '../helpers/chain.ts';
import { departmentIds, pointInside } from '../helpers/places.ts';
import { describeEachBackend, type TestContext } from '../helpers/backends.ts';

const RACES = 8;

type Request = Awaited<ReturnType<TestContext['as']>>;
type AuditEvent = { before: Record<string, unknown> | null; after: Record<string, unknown> | null };

describeEachBackend('concurrent edits', (ctx) => {
  let ids: Record<string, number> = {};
  let insideXiashan: [number, number];
  beforeAll(async () => {
    ids = await departmentIds(ctx().database, ['eco', 'nr', 'water', 'eco-linqu']);
    insideXiashan = await pointInside(ctx().database, 'WF-PA-15');
  });

  const uploadAs = async (username: string, findingId: number) => {
    const form = new FormData();
    form.set('file', new File([jpeg()], '现场.jpg'));
    return ctx().app.request(`/api/findings/${findingId}/attachments`, { method: 'POST', body: form, headers: { cookie: await signIn(ctx().app, username), origin: SAME_ORIGIN } });
  };

  const eventsOf = (entity: string, id: number, action: string) =>
    ctx().database.rows<AuditEvent>(sql`select before, after from events where entity = ${entity} and entity_id = ${String(id)} and action = ${action} order by id`);

  /**
   * Starts two PATCHes of one record from the same version together and checks the outcome: one 200,
   * one 409 naming the current version, the stored record equal to the winner's answer.
   */
  async function race(
    path: string,
    version: number,
    label: RegExp,
    a: { as: Request; body: Record<string, unknown> },
    b: { as: Request; body: Record<string, unknown> },
  ) {
    const [ra, rb] = await Promise.all([
      a.as(path, { method: 'PATCH', json: { version, ...a.body } }),
      b.as(path, { method: 'PATCH', json: { version, ...b.body } }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const [won, lost] = ra.status === 200 ? [ra, rb] : [rb, ra];
    const winner = ra.status === 200 ? a.body : b.body;
    const loser = ra.status === 200 ? b.body : a.body;
    const row = await won.json();
    expect(row.version).toBe(version + 1);
    const refusal = await lost.json();
    expect(refusal).toEqual({
      error: {
        code: 'conflict',
        message: expect.stringMatching(new RegExp(`^${label.source}已被他人修改（当前版本 ${version + 1}，您提交的是版本 ${version}），请刷新页面、核对后再改$`)),
        issues: [{ path: 'version', message: `当前版本为 ${version + 1}` }],
      },
    });
    return { row, winner, loser };
  }

  it('findings: one of two edits wins, whole, and its event says what it replaced', async () => {
    const coord = await ctx().as('coord');
    const insp = await ctx().as('insp');
    const created = await (
      await insp('/api/findings', {
        json: { title: '并发 原标题', category: 'mining', source: 'patrol', description: '原描述', discoveredAt: '2026-05-20', geometry: { type: 'Point', coordinates: insideXiashan } },
      })
    ).json();
    let current = { version: created.version as number, title: '并发 原标题', description: '原描述' };
    for (let i = 0; i < RACES; i++) {
      const { row, winner, loser } = await race(
        `/api/findings/${created.id}`,
        current.version,
        /问题“WF-\d{4}-\d{4,}”/,
        { as: coord, body: { title: `甲标题 ${i}`, description: `甲描述 ${i}` } },
        { as: insp, body: { title: `乙标题 ${i}`, description: `乙描述 ${i}` } },
      );
      const stored = await (await coord(`/api/findings/${created.id}`)).json();
      expect({ title: stored.title, description: stored.description, version: stored.version }).toEqual({ ...winner, version: current.version + 1 });
      expect(stored.title).not.toBe(loser.title);
      const events = await eventsOf('finding', created.id, 'finding.updated');
      expect(events).toHaveLength(i + 1);
      expect(events[i].before).toMatchObject({ title: current.title, description: current.description, version: current.version });
      expect(events[i].after).toMatchObject({ ...winner, version: current.version + 1 });
      current = { version: row.version, title: String(winner.title), description: String(winner.description) };
    }
  });

  it('tasks: one of two replies wins and its event has the reply it replaced', async () => {
    const coord = await ctx().as('coord');
    const lq = await ctx().as('lq');
    const finding = await (
      await coord('/api/findings', {
        json: { title: '并发 任务', category: 'mining', source: 'patrol', description: '任务并发', discoveredAt: '2026-05-20', geometry: { type: 'Point', coordinates: insideXiashan } },
      })
    ).json();
    const task = await (await coord(`/api/findings/${finding.id}/tasks`, { json: { kind: 'inspect', departmentId: ids['eco-linqu'], dueOn: addDays(todayIn(), 7), instruction: '请复查' } })).json();
    let current = { version: task.version as number, reply: null as string | null };
    for (let i = 0; i < RACES; i++) {
      const { row, winner } = await race(
        `/api/tasks/${task.id}`,
        current.version,
        new RegExp(`编号为 ${task.id} 的任务`),
        { as: coord, body: { action: 'reply', reply: `协调员回复 ${i}` } },
        { as: lq, body: { action: 'reply', reply: `临朐回复 ${i}` } },
      );
      const [stored] = await ctx().database.rows<{ reply: string; instruction: string; version: number }>(sql`select reply, instruction, version from tasks where id = ${task.id}`);
      // The reply never overwrites the coordinator's instruction.
      expect(stored).toEqual({ reply: winner.reply, instruction: '请复查', version: current.version + 1 });
      expect(row.reply).toBe(winner.reply);
      const events = await eventsOf('task', task.id, 'task.reply');
      expect(events).toHaveLength(i + 1);
      expect(events[i].before).toMatchObject({ reply: current.reply });
      expect(events[i].after).toMatchObject({ reply: winner.reply });
      current = { version: row.version, reply: String(winner.reply) };
    }
  });

  it('tasks: a department’s edit racing the step that closes its task never reopens it', async () => {
    const coord = await ctx().as('coord');
    const nr = await ctx().as('nr');
    for (let i = 0; i < RACES; i++) {
      let f = await (
        await coord('/api/findings', {
          json: { title: `并发 核查 ${i}`, category: 'mining', source: 'patrol', description: '核查并发', discoveredAt: '2026-05-20', geometry: { type: 'Point', coordinates: insideXiashan } },
        })
      ).json();
      f = await (await coord(`/api/findings/${f.id}/transitions`, { json: { action: 'dispatch', version: f.version, verifyingDepartmentId: ids.nr, dueDate: addDays(todayIn(), 10) } })).json();
      const [task] = (await (await coord(`/api/tasks?finding=${f.id}`)).json()).tasks;
      const evidence = await (await uploadAs('nr', f.id)).json();
      const [edit, step] = await Promise.all([
        nr(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'reply', reply: '已到现场' } }),
        nr(`/api/findings/${f.id}/transitions`, { json: { action: 'confirm', version: f.version, outcome: 'illegal', conclusion: '属实', evidenceIds: [evidence.id] } }),
      ]);
      expect(step.status).toBe(200);
      expect([200, 409]).toContain(edit.status);
      const [stored] = await ctx().database.rows<{ status: string; version: number; reply: string | null }>(sql`select status, version, reply from tasks where id = ${task.id}`);
      // Whichever came first, the step's close is the last word; an edit after it is refused.
      expect(stored).toEqual(edit.status === 200 ? { status: 'done', version: task.version + 2, reply: '已到现场' } : { status: 'done', version: task.version + 1, reply: null });
    }
  });

  it('inspections: one of two edits wins with all its fields, none of the other’s', async () => {
    const coord = await ctx().as('coord');
    const eco = await ctx().as('eco');
    const created = await (await coord('/api/inspections', { json: { title: '并发检查', leadDepartmentId: ids.eco, departmentIds: [ids.eco, ids.nr] } })).json();
    let current = { version: created.version as number, title: '并发检查', summary: null as string | null };
    for (let i = 0; i < RACES; i++) {
      const { row, winner } = await race(
        `/api/inspections/${created.id}`,
        current.version,
        /这条检查记录/,
        { as: coord, body: { title: `甲检查 ${i}`, summary: `甲小结 ${i}` } },
        { as: eco, body: { title: `乙检查 ${i}`, summary: `乙小结 ${i}` } },
      );
      const stored = await (await coord(`/api/inspections/${created.id}`)).json();
      expect({ title: stored.title, summary: stored.summary, version: stored.version }).toEqual({ ...winner, version: current.version + 1 });
      expect(row.title).toBe(winner.title);
      const events = await eventsOf('inspection', created.id, 'inspection.updated');
      expect(events).toHaveLength(i + 1);
      expect(events[i].before).toMatchObject({ title: current.title, summary: current.summary });
      expect(events[i].after).toMatchObject(winner);
      current = { version: row.version, title: String(winner.title), summary: String(winner.summary) };
    }
  });

  it('users: one of two admins’ edits wins and its event has the name it replaced', async () => {
    const admin = await ctx().as('admin');
    const user = await (await admin('/api/users', { json: { username: 'race.user', displayName: '并发用户', role: 'viewer', departmentId: null, password: 'race-password-1' } })).json();
    let current = { version: user.version as number, displayName: '并发用户' };
    for (let i = 0; i < RACES; i++) {
      const { row, winner } = await race(
        `/api/users/${user.id}`,
        current.version,
        /用户“race\.user”/,
        { as: admin, body: { displayName: `甲名 ${i}` } },
        { as: admin, body: { displayName: `乙名 ${i}`, role: 'inspector', departmentId: ids.water } },
      );
      const [stored] = await ctx().database.rows<{ display_name: string; role: string; version: number }>(sql`select display_name, role, version from users where id = ${user.id}`);
      expect(stored.display_name).toBe(winner.displayName);
      expect(stored.version).toBe(current.version + 1);
      expect(row.displayName).toBe(winner.displayName);
      const events = await eventsOf('user', user.id, 'user.updated');
      expect(events).toHaveLength(i + 1);
      expect(events[i].before).toMatchObject({ displayName: current.displayName });
      expect(events[i].after).toMatchObject({ displayName: winner.displayName });
      current = { version: row.version, displayName: String(winner.displayName) };
    }
  });

  it('departments: one of two admins’ renames wins and its event has the name it replaced', async () => {
    const admin = await ctx().as('admin');
    const dep = await (await admin('/api/departments', { json: { code: 'race-dep', nameZh: '并发部门', nameEn: 'Race', kind: 'other' } })).json();
    let current = { version: dep.version as number, nameZh: '并发部门' };
    for (let i = 0; i < RACES; i++) {
      const { row, winner } = await race(
        `/api/departments/${dep.id}`,
        current.version,
        /部门“race-dep”/,
        { as: admin, body: { nameZh: `甲部门 ${i}`, nameEn: `A ${i}` } },
        { as: admin, body: { nameZh: `乙部门 ${i}`, nameEn: `B ${i}` } },
      );
      const [stored] = await ctx().database.rows<{ name_zh: string; name_en: string; version: number }>(sql`select name_zh, name_en, version from departments where id = ${dep.id}`);
      expect({ nameZh: stored.name_zh, nameEn: stored.name_en, version: stored.version }).toEqual({ ...winner, version: current.version + 1 });
      const events = await eventsOf('department', dep.id, 'department.updated');
      expect(events).toHaveLength(i + 1);
      expect(events[i].before).toMatchObject({ nameZh: current.nameZh });
      expect(events[i].after).toMatchObject(winner);
      current = { version: row.version, nameZh: String(winner.nameZh) };
    }
  });

  it('answers a stale version with 409 and the current version even without a race', async () => {
    const admin = await ctx().as('admin');
    const dep = await (await admin('/api/departments', { json: { code: 'stale-dep', nameZh: '旧', nameEn: 'Old', kind: 'other' } })).json();
    expect((await admin(`/api/departments/${dep.id}`, { method: 'PATCH', json: { version: dep.version, nameZh: '新' } })).status).toBe(200);
    const stale = await admin(`/api/departments/${dep.id}`, { method: 'PATCH', json: { version: dep.version, nameZh: '更新' } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({
      error: {
        code: 'conflict',
        message: `部门“stale-dep”已被他人修改（当前版本 ${dep.version + 1}，您提交的是版本 ${dep.version}），请刷新页面、核对后再改`,
        issues: [{ path: 'version', message: `当前版本为 ${dep.version + 1}` }],
      },
    });
    const missing = await admin('/api/departments/424242', { method: 'PATCH', json: { version: 1, nameZh: '无' } });
    expect(missing.status).toBe(404);
  });
});
