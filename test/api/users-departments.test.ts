import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { recordEvent } from '../../server/lib/audit.ts';
import { rootMessage } from '../../server/db/backend.ts';
import { client, signIn } from '../helpers/auth.ts';
import { describeEachBackend } from '../helpers/backends.ts';

interface EventRow {
  action: string;
  actor: { label: string; userId: number | null };
  department: { code: string } | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describeEachBackend('user administration and its audit trail', (ctx) => {
  const admin = async () => ctx().as('admin');
  const eventsOf = async (entity: string, id: number | string): Promise<EventRow[]> =>
    (await (await (await admin())(`/api/events?entity=${entity}&id=${id}`)).json()).events;
  const departmentId = async (code: string) =>
    (await ctx().database.rows<{ id: number }>(sql`select id from departments where code = ${code}`))[0].id;

  it('lists the demo accounts without any password hash', async () => {
    const res = await (await admin())('/api/users');
    const text = await res.text();
    expect(text).not.toMatch(/scrypt|password/i);
    const { users } = JSON.parse(text);
    expect(users.map((u: { username: string; role: string; department: { code: string } | null }) => [u.username, u.role, u.department?.code ?? null])).toEqual(
      expect.arrayContaining([
        ['admin', 'admin', null],
        ['coord', 'coordinator', 'eco'],
        ['eco', 'officer', 'eco'],
        ['insp', 'inspector', 'eco'],
        ['lq', 'officer', 'eco-linqu'],
        ['nr', 'officer', 'nr'],
        ['viewer', 'viewer', null],
      ]),
    );
  });

  it('creates, changes, deactivates and resets a user, one audit row per change', async () => {
    const as = await admin();
    const created = await as('/api/users', {
      json: { username: 'Wang.Li', displayName: '王力', role: 'officer', departmentId: await departmentId('water'), password: 'initial-password' },
    });
    expect(created.status).toBe(201);
    const user = await created.json();
    expect(user).toMatchObject({ username: 'wang.li', displayName: '王力', role: 'officer', active: true, department: { code: 'water' }, lastLoginAt: null });

    const session = await signIn(ctx().app, 'wang.li', 'initial-password');
    const promote = await as(`/api/users/${user.id}`, { method: 'PATCH', json: { version: user.version, role: 'coordinator', departmentId: await departmentId('eco') } });
    const promoted = await promote.json();
    expect(promoted).toMatchObject({ role: 'coordinator', department: { code: 'eco' }, version: user.version + 1 });
    // A role change takes effect on the next request of an open session.
    expect((await (await client(ctx().app, session)('/api/auth/me')).json()).user.role).toBe('coordinator');

    const deactivated = await as(`/api/users/${user.id}`, { method: 'PATCH', json: { version: promoted.version, active: false } });
    expect(deactivated.status).toBe(200);
    expect((await client(ctx().app, session)('/api/auth/me')).status).toBe(401);
    await expect(signIn(ctx().app, 'wang.li', 'initial-password')).rejects.toThrow(/401/);

    await as(`/api/users/${user.id}`, { method: 'PATCH', json: { version: (await deactivated.json()).version, active: true, password: 'reset-by-admin' } });
    await expect(signIn(ctx().app, 'wang.li', 'reset-by-admin')).resolves.toMatch(/^portal_session=/);

    const events = await eventsOf('user', user.id);
    expect(events.map((e) => e.action)).toEqual([
      'user.created',
      'auth.login',
      'user.updated',
      'user.updated',
      'user.deactivated',
      'user.updated',
      'user.password_reset',
      'auth.login',
    ]);
    expect(events[0]).toMatchObject({
      actor: { label: 'admin' },
      department: null,
      before: null,
      after: { username: 'wang.li', displayName: '王力', role: 'officer', active: true },
    });
    expect(events[2].before).toMatchObject({ role: 'officer' });
    expect(events[2].after).toMatchObject({ role: 'coordinator' });
    expect(JSON.stringify(events)).not.toMatch(/scrypt|reset-by-admin|initial-password/);
  });

  it('refuses bad user input with the fields named, and duplicates with 409', async () => {
    const as = await admin();
    const bad = await as('/api/users', { json: { username: 'A B', displayName: '', role: 'boss', departmentId: 'x', password: 'short', extra: 1 } });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(['username', 'displayName', 'role', 'departmentId', 'password', '(root)']);
    expect(body.error.issues[0]).toEqual({ path: 'username', message: '用户名须为 2–32 个小写字母、数字或 . _ -' });

    const noDept = await as('/api/users', { json: { username: 'field1', displayName: '外业', role: 'inspector', departmentId: null, password: 'long-enough-1' } });
    expect(await noDept.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：departmentId', issues: [{ path: 'departmentId', message: '执法人员和巡查员必须属于一个部门' }] },
    });
    const ghostDept = await as('/api/users', { json: { username: 'field2', displayName: '外业', role: 'viewer', departmentId: 99999, password: 'long-enough-1' } });
    expect((await ghostDept.json()).error.issues).toEqual([{ path: 'departmentId', message: '部门不存在' }]);

    const dup = await as('/api/users', { json: { username: 'ECO', displayName: '重复', role: 'viewer', departmentId: null, password: 'long-enough-1' } });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toEqual({ error: { code: 'conflict', message: '用户名 eco 已被使用', issues: [{ path: 'username', message: '用户名已被使用' }] } });

    const missing = await as('/api/users/424242', { method: 'PATCH', json: { version: 1, displayName: '无' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: '没有编号为 424242 的用户' } });
    const empty = await as('/api/users/1', { method: 'PATCH', json: { version: 1 } });
    expect((await empty.json()).error.issues).toEqual([{ path: '(root)', message: '没有要修改的内容' }]);
  });

  it('does not let an admin lock themself out', async () => {
    const as = await admin();
    const me = (await (await as('/api/auth/me')).json()).user;
    const res = await as(`/api/users/${me.id}`, { method: 'PATCH', json: { version: 1, active: false, role: 'viewer' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: '请求内容有误：active、role',
        issues: [
          { path: 'active', message: '不能停用自己的账号' },
          { path: 'role', message: '不能修改自己的角色' },
        ],
      },
    });
  });

  it('creates and edits departments, refusing cycles, unknown counties and taken codes', async () => {
    const as = await admin();
    const created = await as('/api/departments', {
      json: { code: 'Forestry-Linqu', nameZh: '临朐县林业站', nameEn: 'Linqu Forestry Station', kind: 'forestry', parentId: await departmentId('nr'), countyCode: '370724' },
    });
    expect(created.status).toBe(201);
    const dep = await created.json();
    expect(dep).toMatchObject({ code: 'forestry-linqu', kind: 'forestry', countyCode: '370724', parentId: await departmentId('nr') });

    const cycle = await as(`/api/departments/${await departmentId('nr')}`, { method: 'PATCH', json: { version: 1, parentId: dep.id } });
    expect(await cycle.json()).toEqual({
      error: { code: 'invalid_request', message: '请求内容有误：parentId', issues: [{ path: 'parentId', message: '上级部门不能是本部门或其下级' }] },
    });
    const county = await as(`/api/departments/${dep.id}`, { method: 'PATCH', json: { version: dep.version, countyCode: '370799' } });
    expect((await county.json()).error.issues).toEqual([{ path: 'countyCode', message: '县市区不存在' }]);
    const taken = await as('/api/departments', { json: { code: 'eco', nameZh: '重复', nameEn: 'Dup', kind: 'other' } });
    expect(taken.status).toBe(409);

    const renamed = await as(`/api/departments/${dep.id}`, { method: 'PATCH', json: { version: dep.version, nameZh: '临朐县林业保护发展中心', parentId: null } });
    expect(await renamed.json()).toMatchObject({ nameZh: '临朐县林业保护发展中心', parentId: null, version: dep.version + 1 });
    expect((await eventsOf('department', dep.id)).map((e) => [e.action, e.before?.nameZh ?? null, e.after?.nameZh])).toEqual([
      ['department.created', null, '临朐县林业站'],
      ['department.updated', '临朐县林业站', '临朐县林业保护发展中心'],
    ]);
    // Everyone signed in reads departments (to assign and filter), nobody else changes them.
    const viewer = await ctx().as('viewer');
    expect((await (await viewer('/api/departments')).json()).departments.some((d: { code: string }) => d.code === 'forestry-linqu')).toBe(true);
  });

  it('leaves no audit row when a write fails, and none is written outside its transaction', async () => {
    const count = async () => (await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from events`))[0].n;
    const before = await count();
    const as = await admin();
    expect((await as('/api/users', { json: { username: 'eco', displayName: 'x', role: 'viewer', departmentId: null, password: 'long-enough-1' } })).status).toBe(409);
    expect((await as('/api/departments', { json: { code: 'eco', nameZh: 'x', nameEn: 'x', kind: 'other' } })).status).toBe(409);
    await expect(
      ctx().database.db.transaction(async (tx) => {
        await recordEvent(tx, { actor: { cli: true }, action: 'test.rolled_back', entity: 'user', entityId: 1 });
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count()).toBe(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on events in the database itself', async () => {
    const failure = (q: ReturnType<typeof sql>) => ctx().database.rows(q).then(() => 'no error', (e) => rootMessage(e));
    expect(await failure(sql`update events set action = 'forged'`)).toBe('events is append-only: UPDATE is not allowed');
    expect(await failure(sql`delete from events`)).toBe('events is append-only: DELETE is not allowed');
    expect(await failure(sql`truncate events`)).toBe('events is append-only: TRUNCATE is not allowed');
    const [{ n }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from events where action = 'forged'`);
    expect(n).toBe(0);
  });

  it('refuses a malformed timeline query', async () => {
    const res = await (await ctx().as('viewer'))('/api/events?entity=password&id=1');
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues[0].path).toBe('entity');
  });
});
