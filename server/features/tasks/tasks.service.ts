/** Tasks (派任务): each department's inbox; a department acts only on its own tasks. */
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { today as todayIn } from '../../lib/clock.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import { actsForDepartment, can, type Actor } from '../auth/roles.ts';
import { writeTaskChanges } from '../findings/transitions.service.ts';
import { applyTaskEffects } from '../findings/workflow.ts';
import type { createTaskBody, listTasksQuery, updateTaskBody } from './tasks.schemas.ts';
import { activeTask, taskFrom, taskJson } from './tasks.sql.ts';

/** Today's date in the portal's time zone, as SQL. */
const today = (timeZone: string) => sql`${todayIn(timeZone)}::date`;

/** Tasks matching the filters: open and overdue first, then by due date. */
export async function listTasks(exec: Executor, actor: Actor, q: z.output<typeof listTasksQuery>, timeZone: string) {
  const where: SQL[] = [sql`true`];
  if (q.mine) where.push(inboxOf(actor));
  if (q.status?.length) where.push(sql`t.status in ${q.status}`);
  if (q.kind?.length) where.push(sql`t.kind in ${q.kind}`);
  if (q.finding) where.push(sql`t.finding_id = ${q.finding}`);
  if (q.department) where.push(sql`t.department_id = ${q.department}`);
  const rows = await queryRows<{ row: unknown }>(
    exec,
    sql`select ${taskJson(today(timeZone))} as row from ${taskFrom}
        where ${sql.join(where, sql` and `)}
        order by ${activeTask} desc, t.due_on asc nulls last, t.id desc
        limit 500`,
  );
  return rows.map((r) => r.row);
}

/** Open and overdue task counts of the signed-in person's department (for the header). */
export async function taskCounts(exec: Executor, actor: Actor, timeZone: string) {
  const [r] = await queryRows<{ open: number; overdue: number }>(
    exec,
    sql`select count(*) filter (where ${activeTask})::int as open,
               count(*) filter (where ${activeTask} and t.due_on < ${today(timeZone)})::int as overdue
        from tasks t where ${inboxOf(actor)}`,
  );
  return r;
}

/** A department's inbox; coordinators also see accept tasks that name no department (their queue). */
function inboxOf(actor: Actor): SQL {
  const own = actor.departmentId === null ? sql`false` : sql`t.department_id = ${actor.departmentId}`;
  return can(actor, 'findings.accept') ? sql`(${own} or (t.department_id is null and t.kind = 'accept'))` : own;
}

async function getTask(exec: Executor, id: number, timeZone: string): Promise<Record<string, unknown> | null> {
  const [r] = await queryRows<{ row: Record<string, unknown> }>(exec, sql`select ${taskJson(today(timeZone))} as row from ${taskFrom} where t.id = ${id}`);
  return r?.row ?? null;
}

async function checkAssignee(exec: Executor, userId: number | null | undefined, departmentId: number | null) {
  if (userId == null) return;
  const [u] = await queryRows(
    exec,
    departmentId === null
      ? sql`select 1 from users where id = ${userId} and role = 'coordinator' and active`
      : sql`select 1 from users where id = ${userId} and department_id = ${departmentId} and active`,
  );
  if (!u) {
    throw invalidRequest([{ path: 'assigneeUserId', message: '承办人须是该部门的在职人员' }]);
  }
}

/** A department takes up its task, notes progress or names who handles it; a stale `version` → 409. */
export async function updateTask(database: Database, actor: Actor, id: number, input: z.output<typeof updateTaskBody>, ip: string, timeZone: string) {
  return database.db.transaction(async (tx) => {
    const before = await getTask(tx, id, timeZone);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的任务`);
    const dep = (before.department as { id: number } | null)?.id ?? null;
    const mayAct = dep === null ? can(actor, 'findings.accept') : actsForDepartment(actor, dep);
    if (!mayAct) throw new ApiError(403, 'forbidden', '只能处理本部门的任务');
    if (before.status === 'done') throw new ApiError(409, 'conflict', '任务已完成，不能再修改');
    // Verification, rectification and acceptance end through the finding's transitions, with their evidence.
    if (input.status === 'done' && before.kind !== 'inspect') {
      throw new ApiError(409, 'conflict', '核查、整改和验收任务须通过问题的流程操作完成（附证据）');
    }
    await checkAssignee(tx, input.assigneeUserId, dep);
    await updateVersioned(tx, {
      table: 'tasks',
      id,
      version: input.version,
      set: sql`status = coalesce(${input.status ?? null}, status),
            note = ${input.note === undefined ? sql`note` : sql`${input.note}`},
            assignee_user_id = ${input.assigneeUserId === undefined ? sql`assignee_user_id` : sql`${input.assigneeUserId}`},
            closed_at = case when ${input.status ?? null}::text = 'done' then now() else closed_at end,
            updated_at = now()`,
      label: `编号为 ${id} 的任务`,
    });
    const after = await getTask(tx, id, timeZone);
    await recordEvent(tx, { actor, action: 'task.updated', entity: 'task', entityId: id, before: pick(before), after: pick(after), ip });
    if (before.finding) {
      const findingId = (before.finding as { id: number }).id;
      await recordEvent(tx, { actor, action: 'finding.task_updated', entity: 'finding', entityId: findingId, before: pick(before), after: pick(after), ip });
    }
    return after;
  });
}

const pick = (t: Record<string, unknown> | null) =>
  t && { id: t.id, kind: t.kind, status: t.status, dueOn: t.dueOn, note: t.note, assignee: t.assignee, department: (t.department as { code: string } | null)?.code ?? null };

/** A coordinator hands extra work on a finding to a department. */
export async function createAdHocTask(database: Database, actor: Actor, findingId: number, input: z.output<typeof createTaskBody>, ip: string, timeZone: string) {
  return database.db.transaction(async (tx) => {
    const [f] = await queryRows(tx, sql`select 1 from findings where id = ${findingId} and deleted_at is null`);
    if (!f) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
    const [d] = await queryRows(tx, sql`select 1 from departments where id = ${input.departmentId}`);
    if (!d) throw invalidRequest([{ path: 'departmentId', message: '部门不存在' }]);
    await checkAssignee(tx, input.assigneeUserId, input.departmentId);
    // The same task change the workflow's steps make, opened by hand.
    const opened = applyTaskEffects([], [{ action: 'open', kind: input.kind, departmentId: input.departmentId, dueDate: input.dueOn, note: input.note ?? null, assigneeUserId: input.assigneeUserId ?? null }], new Date().toISOString());
    const [id] = await writeTaskChanges(tx, findingId, [], opened, actor.userId);
    const task = await getTask(tx, id, timeZone);
    await recordEvent(tx, { actor, action: 'finding.task_assigned', entity: 'finding', entityId: findingId, after: pick(task), ip });
    return task;
  });
}
