/** Account administration: every change in one transaction with its audit event. */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent, type EventActor } from '../../lib/audit.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import { hashPassword } from '../auth/passwords.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { createUserBody, updateUserBody } from './users.schemas.ts';
import { userAuditState, userRows } from './users.sql.ts';

type CreateUser = z.output<typeof createUserBody>;
type UpdateUser = z.output<typeof updateUserBody>;

const needsDepartment = (role: string) => role === 'officer' || role === 'inspector';

async function checkDepartment(exec: Executor, departmentId: number | null, role: string) {
  if (departmentId === null) {
    if (needsDepartment(role)) {
      throw invalidRequest([{ path: 'departmentId', message: '执法人员和巡查员必须属于一个部门' }]);
    }
    return;
  }
  const [dep] = await queryRows(exec, sql`select 1 from departments where id = ${departmentId}`);
  if (!dep) {
    throw invalidRequest([{ path: 'departmentId', message: '部门不存在' }]);
  }
}

/** One user as the API shows it, or null. */
export async function getUserRow(exec: Executor, id: number): Promise<unknown | null> {
  const [r] = await queryRows<{ row: unknown }>(exec, userRows(sql`u.id = ${id}`));
  return r?.row ?? null;
}

/** Every user, by username. */
export async function listUsers(exec: Executor): Promise<unknown[]> {
  return (await queryRows<{ row: unknown }>(exec, userRows())).map((r) => r.row);
}

/** Creates an account (username unique, department required for officers and inspectors). */
export async function createUser(database: Database, actor: EventActor, input: CreateUser, ip: string | null = null) {
  const hash = await hashPassword(input.password);
  return database.db.transaction(async (tx) => {
    await checkDepartment(tx, input.departmentId, input.role);
    const [taken] = await queryRows(tx, sql`select 1 from users where username = ${input.username}`);
    if (taken) throw new ApiError(409, 'conflict', `用户名 ${input.username} 已被使用`, [{ path: 'username', message: '用户名已被使用' }]);
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`insert into users (username, display_name, role, department_id, password_hash)
          values (${input.username}, ${input.displayName}, ${input.role}, ${input.departmentId}, ${hash}) returning id`,
    );
    const [{ state }] = await queryRows<{ state: unknown }>(tx, userAuditState(id));
    await recordEvent(tx, { actor, action: 'user.created', entity: 'user', entityId: id, after: state, ip });
    return getUserRow(tx, id);
  });
}

/** Changes an account; deactivation and password reset end its sessions at once. */
export async function updateUser(database: Database, actor: EventActor & { userId?: number }, id: number, input: UpdateUser, ip: string | null = null) {
  const hash = input.password === undefined ? null : await hashPassword(input.password);
  return database.db.transaction(async (tx) => {
    const [current] = await queryRows<{ state: { username: string; role: string; departmentId: number | null; active: boolean } }>(tx, userAuditState(id));
    if (!current) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的用户`);
    const before = current.state;
    if ('userId' in actor && actor.userId === id) {
      const issues = [];
      if (input.active === false) issues.push({ path: 'active', message: '不能停用自己的账号' });
      if (input.role !== undefined && input.role !== before.role) issues.push({ path: 'role', message: '不能修改自己的角色' });
      if (issues.length) throw invalidRequest(issues);
    }
    const role = input.role ?? before.role;
    const departmentId = input.departmentId === undefined ? before.departmentId : input.departmentId;
    if (input.role !== undefined || input.departmentId !== undefined) await checkDepartment(tx, departmentId, role);

    await updateVersioned(tx, {
      table: 'users',
      id,
      version: input.version,
      set: sql`display_name = coalesce(${input.displayName ?? null}, display_name),
            role = ${role},
            department_id = ${departmentId},
            active = coalesce(${input.active ?? null}::boolean, active),
            password_hash = coalesce(${hash}, password_hash),
            password_changed_at = case when ${hash}::text is null then password_changed_at else now() end,
            updated_at = now()`,
      label: `用户“${before.username}”`,
    });
    const [{ state: after }] = await queryRows<{ state: unknown }>(tx, userAuditState(id));
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      await recordEvent(tx, { actor, action: 'user.updated', entity: 'user', entityId: id, before, after, ip });
    }
    if (input.active === false && before.active) {
      const ended = await revokeUserSessions(tx, id, 'deactivated');
      await recordEvent(tx, { actor, action: 'user.deactivated', entity: 'user', entityId: id, after: { sessionsEnded: ended }, ip });
    }
    if (hash !== null) {
      const ended = await revokeUserSessions(tx, id, 'password_reset');
      await recordEvent(tx, { actor, action: 'user.password_reset', entity: 'user', entityId: id, after: { sessionsEnded: ended }, ip });
    }
    return getUserRow(tx, id);
  });
}
