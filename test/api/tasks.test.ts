/**
 * Tasks that always end: for every task kind × status × role the actions the API lists are exactly
 * the actions PATCH carries out; the 已办 view; ad-hoc tasks completed with a reply that never
 * overwrites the instruction; clue owners and dispatch deadlines.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import { taskStatuses } from '../../server/lib/vocabulary.ts';
import { describeEachBackend, describeOnPostgres, testConfig } from '../helpers/backends.ts';
import { departmentIds, pointInside } from '../helpers/places.ts';

const actions = ['take_up', 'reply', 'assign', 'complete', 'cancel'] as const;
type Action = (typeof actions)[number];

/** The task kinds as they occur: workflow tasks of every kind, ad-hoc 核查 and 检查, the coordinators' accept queue. */
const variants = [
  { name: 'verify (workflow)', kind: 'verify', adHoc: false, dept: 'eco' },
  { name: 'verify (ad hoc)', kind: 'verify', adHoc: true, dept: 'eco' },
  { name: 'plan', kind: 'plan', adHoc: false, dept: 'eco' },
  { name: 'review', kind: 'review', adHoc: false, dept: 'eco' },
  { name: 'rectify', kind: 'rectify', adHoc: false, dept: 'eco' },
  { name: 'accept', kind: 'accept', adHoc: false, dept: 'eco' },
  { name: 'accept (coordinators’ queue)', kind: 'accept', adHoc: false, dept: null },
  { name: 'recheck', kind: 'recheck', adHoc: false, dept: 'eco' },
  { name: 'inspect (ad hoc)', kind: 'inspect', adHoc: true, dept: 'eco' },
] as const;

/** coord: coordinator (of eco); eco: officer of the task's department; nr: officer of another; insp: inspector of the task's department. */
const roles = ['coord', 'eco', 'nr', 'insp', 'viewer', 'admin'] as const;

const today = todayIn(testConfig().timeZone);

describeEachBackend('tasks', (ctx) => {
  let dept: Record<string, number> = {};
  let user: Record<string, number> = {};
  let findingId = 0;
  let point: [number, number];

  beforeAll(async () => {
    dept = await departmentIds(ctx().database, ['eco', 'nr']);
    const rows = await ctx().database.rows<{ username: string; id: number }>(sql`select username, id from users where username in ('coord', 'eco', 'nr', 'insp')`);
    user = Object.fromEntries(rows.map((r) => [r.username, Number(r.id)]));
    point = await pointInside(ctx().database, 'WF-PA-15');
    findingId = (await createFinding('任务矩阵用问题')).id;
  });

  async function createFinding(title: string, extra: Record<string, unknown> = {}) {
    const res = await (await ctx().as('coord'))('/api/findings', {
      json: { title, category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: today, geometry: { type: 'Point', coordinates: point }, ...extra },
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    return body as { id: number; version: number; serial: string };
  }

  /** Inserts `n` tasks of one kind and status (as a step or a coordinator would have left them); answers their ids. */
  async function insertTasks(v: (typeof variants)[number], status: string, n: number, onFinding = findingId): Promise<number[]> {
    const departmentId = v.dept === null ? null : dept[v.dept];
    const rows = await ctx().database.rows<{ id: number }>(
      sql`insert into tasks (kind, finding_id, department_id, due_on, status, instruction, ad_hoc, cancel_reason, closed_at, created_by)
          select ${v.kind}, ${onFinding}, ${departmentId}::int, ${addDays(today, 10)}::date, ${status}, '请于期限内办理', ${v.adHoc},
                 case when ${status} = 'cancelled' then '测试取消' end, case when ${status} in ('done', 'cancelled') then now() end, ${user.coord}
          from generate_series(1, ${n}) returning id`,
    );
    return rows.map((r) => Number(r.id));
  }

  const bodyFor = (action: Action, v: (typeof variants)[number]): Record<string, unknown> => {
    if (action === 'reply') return { reply: '已到现场查看，正在办理' };
    if (action === 'assign') return { assigneeUserId: v.dept === null ? user.coord : user.eco };
    if (action === 'complete') return { reply: '已办结：现场已核实' };
    if (action === 'cancel') return { reason: '与其他任务重复' };
    return {};
  };

  async function allowedOf(username: string, taskId: number, onFinding: number): Promise<string[]> {
    const res = await (await ctx().as(username))(`/api/tasks?finding=${onFinding}&view=all`);
    expect(res.status).toBe(200);
    const { tasks } = (await res.json()) as { tasks: Array<{ id: number; allowedActions: string[] }> };
    const task = tasks.find((t) => t.id === taskId);
    expect(task, `task ${taskId} listed`).toBeDefined();
    return task!.allowedActions;
  }

  describe('the allowed set equals what PATCH accepts', () => {
    for (const v of variants) {
      it(v.name, async () => {
        const seen: Record<string, string[]> = {};
        for (const status of taskStatuses) {
          // A finding per kind and status keeps each list well under the list's 500-row cap.
          const onFinding = (await createFinding(`任务矩阵 ${v.name} ${status}`)).id;
          for (const role of roles) {
            const [probe, ...fresh] = await insertTasks(v, status, 1 + actions.length, onFinding);
            const listed = await allowedOf(role, probe, onFinding);
            const accepted: string[] = [];
            for (const [i, action] of actions.entries()) {
              const res = await (await ctx().as(role))(`/api/tasks/${fresh[i]}`, { method: 'PATCH', json: { version: 1, action, ...bodyFor(action, v) } });
              const body = await res.json();
              if (res.status === 200) {
                accepted.push(action);
                expect(body.version).toBe(2);
              } else {
                expect([403, 409], `${role} ${action} on ${status}: ${JSON.stringify(body)}`).toContain(res.status);
                expect(body.error.code).toBe(res.status === 403 ? 'forbidden' : 'conflict');
                const [row] = await ctx().database.rows<{ version: number }>(sql`select version from tasks where id = ${fresh[i]}`);
                expect(Number(row.version), 'a refused action changes nothing').toBe(1);
              }
            }
            expect(accepted, `${v.name} / ${status} / ${role}`).toEqual(listed.filter((a) => a !== 'open_finding'));
            seen[`${status}/${role}`] = listed;
          }
        }
        // Hand-written expectations, so the equality above cannot pass on two equally wrong halves.
        const end = v.adHoc ? ['complete'] : ['open_finding'];
        expect(seen['open/coord']).toEqual(['take_up', 'reply', 'assign', ...end, 'cancel']);
        expect(seen['in_progress/coord']).toEqual(['reply', 'assign', ...end, 'cancel']);
        expect(seen['returned/coord']).toEqual(['take_up', 'reply', 'assign', ...end, 'cancel']);
        expect(seen['open/eco']).toEqual(v.dept === null ? [] : ['take_up', 'reply', 'assign', ...end]);
        for (const status of taskStatuses) {
          expect(seen[`${status}/nr`]).toEqual([]);
          expect(seen[`${status}/insp`]).toEqual([]);
          expect(seen[`${status}/viewer`]).toEqual([]);
          expect(seen[`${status}/admin`]).toEqual([]);
        }
        for (const role of roles) {
          expect(seen[`done/${role}`]).toEqual([]);
          expect(seen[`cancelled/${role}`]).toEqual([]);
        }
      });
    }
  });

  it('refuses with messages that say why', async () => {
    const [workflow] = await insertTasks(variants[0], 'open', 1);
    const eco = await ctx().as('eco');
    const complete = await eco(`/api/tasks/${workflow}`, { method: 'PATCH', json: { version: 1, action: 'complete', reply: '已核查' } });
    expect(complete.status).toBe(409);
    const serial = (await ctx().database.rows<{ serial: string }>(sql`select serial from findings where id = ${findingId}`))[0].serial;
    expect(await complete.json()).toEqual({ error: { code: 'conflict', message: `此任务须在问题 ${serial} 的流程中办结（附证据），请打开问题页面操作` } });
    const cancel = await eco(`/api/tasks/${workflow}`, { method: 'PATCH', json: { version: 1, action: 'cancel', reason: '不需要' } });
    expect(await cancel.json()).toEqual({ error: { code: 'forbidden', message: '只有联合执法协调员可以取消任务' } });
    const noReason = await (await ctx().as('coord'))(`/api/tasks/${workflow}`, { method: 'PATCH', json: { version: 1, action: 'cancel' } });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：reason', issues: [{ path: 'reason', message: '取消任务须说明原因' }] },
    });
    const oldBody = await eco(`/api/tasks/${workflow}`, { method: 'PATCH', json: { version: 1, status: 'done', note: '完成' } });
    expect(oldBody.status).toBe(400);
    const [adHoc] = await insertTasks(variants[8], 'open', 1);
    const noReply = await eco(`/api/tasks/${adHoc}`, { method: 'PATCH', json: { version: 1, action: 'complete' } });
    expect(await noReply.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：reply', issues: [{ path: 'reply', message: '办结任务须填写办理回复' }] },
    });
    const stale = await eco(`/api/tasks/${adHoc}`, { method: 'PATCH', json: { version: 7, action: 'take_up' } });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.issues).toEqual([{ path: 'version', message: '当前版本为 1' }]);
  });

  it('an ad-hoc 核查 task is completed by its department with a reply; the instruction stays the coordinator’s', async () => {
    const f = await createFinding('临时核查任务');
    const coord = await ctx().as('coord');
    const created = await coord(`/api/findings/${f.id}/tasks`, { json: { kind: 'verify', departmentId: dept.eco, dueOn: addDays(today, 5), instruction: '请核实现场是否仍在采砂' } });
    const task = await created.json();
    expect(created.status, JSON.stringify(task)).toBe(201);
    expect(task).toMatchObject({ kind: 'verify', status: 'open', adHoc: true, instruction: '请核实现场是否仍在采砂', reply: null, createdBy: { username: 'coord' } });
    expect(task.allowedActions).toEqual(['take_up', 'reply', 'assign', 'complete', 'cancel']);

    const eco = await ctx().as('eco');
    const replied = await eco(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'reply', reply: '现场已停止采砂，设备已撤离' } });
    const r1 = await replied.json();
    expect(replied.status, JSON.stringify(r1)).toBe(200);
    expect(r1).toMatchObject({ status: 'open', instruction: '请核实现场是否仍在采砂', reply: '现场已停止采砂，设备已撤离', repliedBy: { username: 'eco' } });
    const done = await eco(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: r1.version, action: 'complete' } });
    const r2 = await done.json();
    expect(done.status, JSON.stringify(r2)).toBe(200);
    expect(r2).toMatchObject({ status: 'done', instruction: '请核实现场是否仍在采砂', reply: '现场已停止采砂，设备已撤离', allowedActions: [] });
    expect(r2.closedAt).not.toBeNull();

    const events = await ctx().database.rows<{ action: string; actor_label: string; after: Record<string, unknown> }>(
      sql`select action, actor_label, after from events where entity = 'finding' and entity_id = ${String(f.id)} and action like 'finding.task%' order by id`,
    );
    expect(events.map((e) => [e.action, e.actor_label])).toEqual([
      ['finding.task_assigned', 'coord'],
      ['finding.task_updated', 'eco'],
      ['finding.task_updated', 'eco'],
    ]);
    expect(events[0].after).toMatchObject({ kind: 'verify', dueOn: addDays(today, 5), department: { code: 'eco', nameZh: '潍坊市生态环境局' }, instruction: '请核实现场是否仍在采砂', instructedBy: { username: 'coord' } });
    expect(events[1].after).toMatchObject({ instruction: '请核实现场是否仍在采砂', reply: '现场已停止采砂，设备已撤离', repliedBy: { username: 'eco' }, change: { action: 'reply', by: { username: 'eco' } } });
    expect(events[2].after).toMatchObject({ status: 'done', change: { action: 'complete' } });
  });

  it('已办 lists done and cancelled tasks, newest first; the default view only what is still to do', async () => {
    const f = await createFinding('已办视图');
    const coord = await ctx().as('coord');
    const make = async (kind: 'verify' | 'inspect') => (await (await coord(`/api/findings/${f.id}/tasks`, { json: { kind, departmentId: dept.nr, dueOn: addDays(today, 3) } })).json()) as { id: number; version: number };
    const a = await make('inspect');
    const b = await make('verify');
    const c = await make('inspect');
    const nr = await ctx().as('nr');
    expect((await nr(`/api/tasks/${b.id}`, { method: 'PATCH', json: { version: b.version, action: 'complete', reply: '核实属实' } })).status).toBe(200);
    expect((await coord(`/api/tasks/${a.id}`, { method: 'PATCH', json: { version: a.version, action: 'cancel', reason: '已由联合检查覆盖' } })).status).toBe(200);

    const done = (await (await nr(`/api/tasks?mine=1&view=done`)).json()) as { tasks: Array<{ id: number; status: string; cancelReason: string | null }> };
    const mine = done.tasks.filter((t) => [a.id, b.id, c.id].includes(t.id));
    expect(mine.map((t) => [t.id, t.status, t.cancelReason])).toEqual([
      [a.id, 'cancelled', '已由联合检查覆盖'],
      [b.id, 'done', null],
    ]);
    expect(done.tasks.every((t) => t.status === 'done' || t.status === 'cancelled')).toBe(true);
    const active = (await (await nr(`/api/tasks?mine=1`)).json()) as { tasks: Array<{ id: number; status: string }>; clues: unknown[] };
    expect(active.tasks.filter((t) => [a.id, b.id, c.id].includes(t.id)).map((t) => t.id)).toEqual([c.id]);
    expect(active.tasks.every((t) => ['open', 'in_progress', 'returned'].includes(t.status))).toBe(true);
    expect(active.clues).toEqual([]);
  });

  it('a new clue gets an owner and a dispatch deadline; overdue clues reach the owner’s inbox; a coordinator reassigns them', async () => {
    const [first] = await ctx().database.rows<{ id: number; username: string }>(sql`select id, username from users where role = 'coordinator' and active order by id limit 1`);
    const plain = await createFinding('无批次线索');
    const [row] = await ctx().database.rows<{ owner: number; due: string }>(sql`select clue_owner_user_id as owner, clue_due_on::text as due from findings where id = ${plain.id}`);
    expect({ owner: Number(row.owner), due: row.due }).toEqual({ owner: Number(first.id), due: addDays(today, 5) });

    await ctx().database.rows(sql`insert into users (username, display_name, role, department_id, password_hash)
                                  select 'coord2', '第二协调员', 'coordinator', department_id, password_hash from users where username = 'coord'`);
    const [second] = await ctx().database.rows<{ id: number }>(sql`select id from users where username = 'coord2'`);
    await ctx().database.rows(sql`insert into monitoring_batches (code, name, issued_on, verify_by, owner_user_id)
                                  values ('2026-RS-T1', '2026 年第一批遥感监测线索（测试）', ${addDays(today, -3)}, ${addDays(today, 12)}, ${second.id})`);
    const batched = await createFinding('批次线索', { batch: '2026-RS-T1' });
    const [b] = await ctx().database.rows<{ owner: number; due: string }>(sql`select clue_owner_user_id as owner, clue_due_on::text as due from findings where id = ${batched.id}`);
    expect({ owner: Number(b.owner), due: b.due }).toEqual({ owner: Number(second.id), due: addDays(today, 12) });

    // Reassign the plain clue to coord (when it is not already theirs) and make it overdue.
    const coord = await ctx().as('coord');
    const moved = await coord(`/api/tasks/clues/${plain.id}`, { method: 'PATCH', json: { version: plain.version, ownerUserId: user.coord, dueOn: addDays(today, -2) } });
    const mv = await moved.json();
    expect(moved.status, JSON.stringify(mv)).toBe(200);
    expect(mv).toMatchObject({ id: plain.id, version: plain.version + 1, clueDueOn: addDays(today, -2), clueOwner: { id: user.coord } });
    const inbox = (await (await coord('/api/tasks?mine=1')).json()) as { clues: Array<{ id: number; overdue: boolean; daysOverdue: number }> };
    expect(inbox.clues.find((c) => c.id === plain.id)).toMatchObject({ overdue: true, daysOverdue: 2 });
    expect(inbox.clues.some((c) => c.id === batched.id)).toBe(false);
    const counts = await (await coord('/api/tasks/counts')).json();
    expect(counts.overdueClues).toBeGreaterThanOrEqual(1);

    const refused = await (await ctx().as('eco'))(`/api/tasks/clues/${plain.id}`, { method: 'PATCH', json: { version: mv.version, ownerUserId: user.coord } });
    expect(refused.status).toBe(403);
    const notCoordinator = await coord(`/api/tasks/clues/${plain.id}`, { method: 'PATCH', json: { version: mv.version, ownerUserId: user.eco } });
    expect(await notCoordinator.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：ownerUserId', issues: [{ path: 'ownerUserId', message: '线索负责人须是在职的联合执法协调员' }] },
    });
  });

  it('a coordinator registers a monitoring batch: its undispatched clues take its owner and deadline; a code twice → 409', async () => {
    const before = await createFinding('先登记后建批次', { batch: '2026-RS-T2' });
    const coord = await ctx().as('coord');
    const body = { code: '2026-RS-T2', name: '2026 年第二批遥感监测线索（测试）', issuedOn: today, verifyBy: addDays(today, 20), ownerUserId: user.coord };
    const res = await coord('/api/tasks/batches', { json: body });
    const created = await res.json();
    expect(res.status, JSON.stringify(created)).toBe(201);
    expect(created).toEqual({ ...body, cluesUpdated: 1 });
    const [row] = await ctx().database.rows<{ owner: number; due: string; version: number }>(sql`select clue_owner_user_id as owner, clue_due_on::text as due, version from findings where id = ${before.id}`);
    expect({ owner: Number(row.owner), due: row.due, version: Number(row.version) }).toEqual({ owner: user.coord, due: addDays(today, 20), version: before.version + 1 });
    const [event] = await ctx().database.rows<{ after: Record<string, unknown> }>(sql`select after from events where entity = 'finding' and entity_id = ${String(before.id)} and action = 'finding.clue_reassigned'`);
    expect(event.after).toMatchObject({ clueDueOn: addDays(today, 20), batch: '2026-RS-T2' });
    const after = await createFinding('建批次后登记', { batch: '2026-RS-T2' });
    const [later] = await ctx().database.rows<{ due: string }>(sql`select clue_due_on::text as due from findings where id = ${after.id}`);
    expect(later.due).toBe(addDays(today, 20));

    const twice = await coord('/api/tasks/batches', { json: body });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toEqual({ error: { code: 'conflict', message: '批次“2026-RS-T2”已登记' } });
    expect((await (await ctx().as('eco'))('/api/tasks/batches', { json: { ...body, code: 'X' } })).status).toBe(403);
  });
});

describeOnPostgres('tasks racing', (ctx) => {
  it('a coordinator cancelling and an officer completing one task at once: exactly one wins, and only its event is written', async () => {
    const [eco] = await ctx().database.rows<{ id: number }>(sql`select id from departments where code = 'eco'`);
    const coord = await ctx().as('coord');
    const officer = await ctx().as('eco');
    const point = await pointInside(ctx().database, 'WF-PA-15');
    const f = await (
      await coord('/api/findings', { json: { title: '并发办结', category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: today, geometry: { type: 'Point', coordinates: point } } })
    ).json();
    for (let round = 0; round < 6; round++) {
      const task = await (await coord(`/api/findings/${f.id}/tasks`, { json: { kind: 'inspect', departmentId: Number(eco.id), dueOn: addDays(today, 3) } })).json();
      const [a, b] = await Promise.all([
        coord(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'cancel', reason: '重复派发' } }),
        officer(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'complete', reply: '已检查' } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? 'cancelled' : 'done';
      const [row] = await ctx().database.rows<{ status: string; cancel_reason: string | null; reply: string | null }>(sql`select status, cancel_reason, reply from tasks where id = ${task.id}`);
      expect(row).toEqual(winner === 'cancelled' ? { status: 'cancelled', cancel_reason: '重复派发', reply: null } : { status: 'done', cancel_reason: null, reply: '已检查' });
      const events = await ctx().database.rows<{ action: string }>(sql`select action from events where entity = 'task' and entity_id = ${String(task.id)} order by id`);
      expect(events.map((e) => e.action)).toEqual([winner === 'cancelled' ? 'task.cancel' : 'task.complete']);
    }
  });

  it('two coordinators handing one clue on at once: one owner wins, the other gets 409', async () => {
    const coord = await ctx().as('coord');
    await ctx().database.rows(sql`insert into users (username, display_name, role, department_id, password_hash)
                                  select 'coord3', '第三协调员', 'coordinator', department_id, password_hash from users where username = 'coord'`);
    const [c3] = await ctx().database.rows<{ id: number }>(sql`select id from users where username = 'coord3'`);
    const [c1] = await ctx().database.rows<{ id: number }>(sql`select id from users where username = 'coord'`);
    const point = await pointInside(ctx().database, 'WF-PA-15');
    const f = await (
      await coord('/api/findings', { json: { title: '并发转交线索', category: 'mining', source: 'patrol', description: '河道内采砂', discoveredAt: today, geometry: { type: 'Point', coordinates: point } } })
    ).json();
    const other = await ctx().as('coord3');
    const [a, b] = await Promise.all([
      coord(`/api/tasks/clues/${f.id}`, { method: 'PATCH', json: { version: f.version, ownerUserId: Number(c3.id) } }),
      other(`/api/tasks/clues/${f.id}`, { method: 'PATCH', json: { version: f.version, ownerUserId: Number(c1.id), dueOn: addDays(today, 9) } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [row] = await ctx().database.rows<{ owner: number; due: string }>(sql`select clue_owner_user_id as owner, clue_due_on::text as due from findings where id = ${f.id}`);
    expect({ owner: Number(row.owner), due: row.due }).toEqual(a.status === 200 ? { owner: Number(c3.id), due: addDays(today, 5) } : { owner: Number(c1.id), due: addDays(today, 9) });
  });
});
