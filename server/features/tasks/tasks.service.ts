/** Tasks (派任务): each department's inbox; what anyone may do to a task is `taskActions`. */
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { today as todayIn } from '../../lib/clock.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import { can, type Actor } from '../auth/roles.ts';
import { taskActions, worksOn, type ActionTask, type OwnedClue, type PatchTaskAction, type TaskRow } from './task-actions.ts';
import type { createBatchBody, createTaskBody, listTasksQuery, updateClueBody, updateTaskBody } from './tasks.schemas.ts';
import { activeTask, finishedTask, ownedClues, setClueDefaults, taskFrom, taskJson } from './tasks.sql.ts';

export type { TaskRow } from './task-actions.ts';

/** Today's date in the portal's time zone, as SQL. */
const today = (timeZone: string) => sql`${todayIn(timeZone)}::date`;

const actionFacts = (r: Omit<TaskRow, 'allowedActions'>): ActionTask => ({
  kind: r.kind,
  status: r.status,
  adHoc: r.adHoc,
  departmentId: r.department?.id ?? null,
  findingId: r.finding?.id ?? null,
});

const withActions = (r: Omit<TaskRow, 'allowedActions'>, actor: Actor): TaskRow => ({ ...r, allowedActions: taskActions(actionFacts(r), actor) });

/**
 * Tasks matching the filters, each with what this actor may do. `active` (the inbox): overdue and
 * soonest due first; `done` (已办): done and cancelled, most recently finished first; `all` (the
 * finding page, and the default of a call without a view): active first.
 */
export async function listTasks(exec: Executor, actor: Actor, q: z.output<typeof listTasksQuery>, timeZone: string): Promise<TaskRow[]> {
  const view = q.view ?? 'all';
  const where: SQL[] = [sql`true`];
  if (q.mine) where.push(inboxOf(actor));
  if (view === 'active') where.push(activeTask);
  if (view === 'done') where.push(finishedTask);
  if (q.status?.length) where.push(sql`t.status in ${q.status}`);
  if (q.kind?.length) where.push(sql`t.kind in ${q.kind}`);
  if (q.finding) where.push(sql`t.finding_id = ${q.finding}`);
  if (q.department) where.push(sql`t.department_id = ${q.department}`);
  const order = view === 'done' ? sql`t.closed_at desc nulls last, t.id desc` : sql`${activeTask} desc, t.due_on asc nulls last, t.id desc`;
  const rows = await queryRows<{ row: Omit<TaskRow, 'allowedActions'> }>(
    exec,
    sql`select ${taskJson(today(timeZone))} as row from ${taskFrom}
        where ${sql.join(where, sql` and `)}
        order by ${order}
        limit 500`,
  );
  return rows.map((r) => withActions(r.row, actor));
}

/** The clues a coordinator must dispatch, overdue first (the inbox lists them beside the tasks). */
export async function listOwnedClues(exec: Executor, actor: Actor, timeZone: string): Promise<OwnedClue[]> {
  if (!can(actor, 'findings.assign')) return [];
  const rows = await queryRows<{ row: OwnedClue }>(exec, ownedClues(actor.userId, today(timeZone)));
  return rows.map((r) => r.row);
}

/** Open and overdue task counts of the signed-in person's department, and their overdue clues (for the header). */
export async function taskCounts(exec: Executor, actor: Actor, timeZone: string) {
  const [r] = await queryRows<{ open: number; overdue: number }>(
    exec,
    sql`select count(*) filter (where ${activeTask})::int as open,
               count(*) filter (where ${activeTask} and t.due_on < ${today(timeZone)})::int as overdue
        from tasks t where ${inboxOf(actor)}`,
  );
  const [c] = can(actor, 'findings.assign')
    ? await queryRows<{ n: number }>(
        exec,
        sql`select count(*)::int as n from findings f
            where f.clue_owner_user_id = ${actor.userId} and f.state = 'clue' and f.deleted_at is null and f.clue_due_on < ${today(timeZone)}`,
      )
    : [{ n: 0 }];
  return { open: r.open, overdue: r.overdue, overdueClues: c.n };
}

/** A department's inbox; coordinators also see accept tasks that name no department (their queue). */
function inboxOf(actor: Actor): SQL {
  const own = actor.departmentId === null ? sql`false` : sql`t.department_id = ${actor.departmentId}`;
  return can(actor, 'findings.accept') ? sql`(${own} or (t.department_id is null and t.kind = 'accept'))` : own;
}

async function getTask(exec: Executor, actor: Actor, id: number, timeZone: string): Promise<TaskRow | null> {
  const [r] = await queryRows<{ row: Omit<TaskRow, 'allowedActions'> }>(exec, sql`select ${taskJson(today(timeZone))} as row from ${taskFrom} where t.id = ${id}`);
  return r ? withActions(r.row, actor) : null;
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

const finishedZh: Record<string, string> = { done: '已完成', cancelled: '已取消' };

/** Why an action `taskActions` omits is refused: 403 when this person may never do it, 409 when the task's state forbids it now. */
function refusal(task: TaskRow, actor: Actor, action: PatchTaskAction): ApiError {
  if (task.status === 'done' || task.status === 'cancelled') {
    return new ApiError(409, 'conflict', `任务${finishedZh[task.status]}，不能再操作`);
  }
  if (action === 'cancel') return new ApiError(403, 'forbidden', '只有联合执法协调员可以取消任务');
  if (!worksOn({ departmentId: task.department?.id ?? null }, actor)) return new ApiError(403, 'forbidden', '只能处理本部门的任务');
  if (action === 'take_up') return new ApiError(409, 'conflict', '任务已在办理中');
  // complete on a workflow task: it ends with the finding's step, which carries the evidence.
  return new ApiError(409, 'conflict', `此任务须在问题 ${task.finding?.serial ?? ''} 的流程中办结（附证据），请打开问题页面操作`);
}

/**
 * Carries out one action on a task, refused exactly when `taskActions` omits it; a stale `version` → 409.
 * A reply never touches the instruction; the events record who wrote which.
 */
export async function updateTask(database: Database, actor: Actor, id: number, input: z.output<typeof updateTaskBody>, ip: string, timeZone: string) {
  return database.db.transaction(async (tx) => {
    const before = await getTask(tx, actor, id, timeZone);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的任务`);
    if (!before.allowedActions.includes(input.action)) throw refusal(before, actor, input.action);
    const reply = input.reply ?? null;
    if (input.action === 'complete' && reply === null && before.reply === null) {
      throw invalidRequest([{ path: 'reply', message: '办结任务须填写办理回复' }]);
    }
    if (input.action === 'assign') await checkAssignee(tx, input.assigneeUserId, before.department?.id ?? null);
    const writesReply = reply !== null && (input.action === 'reply' || input.action === 'complete');
    const set: SQL[] = [sql`updated_at = now()`];
    if (writesReply) set.push(sql`reply = ${reply}, replied_by = ${actor.userId}, replied_at = now()`);
    if (input.action === 'take_up') set.push(sql`status = 'in_progress'`);
    if (input.action === 'assign') set.push(sql`assignee_user_id = ${input.assigneeUserId ?? null}`);
    if (input.action === 'complete') set.push(sql`status = 'done', closed_at = now()`);
    if (input.action === 'cancel') set.push(sql`status = 'cancelled', cancel_reason = ${input.reason ?? null}, closed_at = now()`);
    await updateVersioned(tx, { table: 'tasks', id, version: input.version, set: sql.join(set, sql`, `), label: `编号为 ${id} 的任务` });
    const after = (await getTask(tx, actor, id, timeZone))!;
    const by = { userId: actor.userId, username: actor.username, displayName: actor.displayName };
    const change = {
      action: input.action,
      by,
      ...(writesReply ? { reply } : {}),
      ...(input.action === 'cancel' ? { reason: input.reason } : {}),
      ...(input.action === 'assign' ? { assignee: after.assignee } : {}),
    };
    await recordEvent(tx, { actor, action: `task.${input.action}`, entity: 'task', entityId: id, before: pick(before), after: { ...pick(after), change }, ip });
    if (before.finding) {
      await recordEvent(tx, { actor, action: 'finding.task_updated', entity: 'finding', entityId: before.finding.id, before: pick(before), after: { ...pick(after), change }, ip });
    }
    return after;
  });
}

/** The audited facts of a task: the instruction with who gave it, the reply with who wrote it. */
const pick = (t: TaskRow) => ({
  id: t.id,
  kind: t.kind,
  status: t.status,
  dueOn: t.dueOn,
  department: t.department && { id: t.department.id, code: t.department.code, nameZh: t.department.nameZh },
  assignee: t.assignee,
  instruction: t.instruction,
  instructedBy: t.createdBy,
  reply: t.reply,
  repliedBy: t.repliedBy,
  cancelReason: t.cancelReason,
});

/** A coordinator hands extra work on a finding to a department; the 派发任务 event names department, kind and due date. */
export async function createAdHocTask(database: Database, actor: Actor, findingId: number, input: z.output<typeof createTaskBody>, ip: string, timeZone: string) {
  return database.db.transaction(async (tx) => {
    const [f] = await queryRows(tx, sql`select 1 from findings where id = ${findingId} and deleted_at is null`);
    if (!f) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
    const [d] = await queryRows(tx, sql`select 1 from departments where id = ${input.departmentId}`);
    if (!d) throw invalidRequest([{ path: 'departmentId', message: '部门不存在' }]);
    await checkAssignee(tx, input.assigneeUserId, input.departmentId);
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`insert into tasks (kind, finding_id, department_id, assignee_user_id, due_on, instruction, ad_hoc, created_by)
          values (${input.kind}, ${findingId}, ${input.departmentId}, ${input.assigneeUserId ?? null}, ${input.dueOn}, ${input.instruction ?? null}, true, ${actor.userId})
          returning id`,
    );
    const task = (await getTask(tx, actor, id, timeZone))!;
    await recordEvent(tx, { actor, action: 'finding.task_assigned', entity: 'finding', entityId: findingId, after: pick(task), ip });
    return task;
  });
}

/** Sets a new clue's owner and dispatch deadline (see setClueDefaults), in the creating transaction. */
export async function assignClueOwner(tx: Executor, config: Pick<Config, 'clueDispatchDays' | 'timeZone'>, findingId: number): Promise<void> {
  await queryRows(tx, setClueDefaults(findingId, todayIn(config.timeZone), config.clueDispatchDays));
}

/**
 * A coordinator hands a clue to another coordinator (or moves its dispatch deadline); versioned on
 * the finding, recorded as an event on it.
 */
export async function updateClue(database: Database, actor: Actor, findingId: number, input: z.output<typeof updateClueBody>, ip: string) {
  return database.db.transaction(async (tx) => {
    const [f] = await queryRows<{ state: string; serial: string; owner: number | null; due: string | null }>(
      tx,
      sql`select state, serial, clue_owner_user_id as owner, clue_due_on::text as due from findings where id = ${findingId} and deleted_at is null`,
    );
    if (!f) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
    if (f.state !== 'clue') throw new ApiError(409, 'conflict', `问题 ${f.serial} 已派发核查，不再是待派发的线索`);
    const [u] = await queryRows(tx, sql`select 1 from users where id = ${input.ownerUserId} and role = 'coordinator' and active`);
    if (!u) throw invalidRequest([{ path: 'ownerUserId', message: '线索负责人须是在职的联合执法协调员' }]);
    await updateVersioned(tx, {
      table: 'findings',
      id: findingId,
      version: input.version,
      set: sql`clue_owner_user_id = ${input.ownerUserId}, clue_due_on = ${input.dueOn ?? f.due}::date, updated_at = now()`,
      label: `问题“${f.serial}”`,
    });
    const [after] = await queryRows<{ row: Record<string, unknown> }>(
      tx,
      sql`select json_build_object('id', f.id, 'serial', f.serial, 'version', f.version, 'clueDueOn', f.clue_due_on,
                 'clueOwner', json_build_object('id', u.id, 'displayName', u.display_name)) as row
          from findings f join users u on u.id = f.clue_owner_user_id where f.id = ${findingId}`,
    );
    await recordEvent(tx, {
      actor,
      action: 'finding.clue_reassigned',
      entity: 'finding',
      entityId: findingId,
      before: { clueOwnerUserId: f.owner, clueDueOn: f.due },
      after: { clueOwnerUserId: input.ownerUserId, clueDueOn: input.dueOn ?? f.due, by: actor.displayName },
      ip,
    });
    return after.row;
  });
}

/**
 * A coordinator registers a monitoring batch; its clues not yet dispatched take the batch's owner
 * and deadline (each such finding gets a new version and an event). A code already registered → 409.
 */
export async function createBatch(database: Database, actor: Actor, input: z.output<typeof createBatchBody>, ip: string) {
  return database.db.transaction(async (tx) => {
    if (input.ownerUserId != null) {
      const [u] = await queryRows(tx, sql`select 1 from users where id = ${input.ownerUserId} and role = 'coordinator' and active`);
      if (!u) throw invalidRequest([{ path: 'ownerUserId', message: '线索负责人须是在职的联合执法协调员' }]);
    }
    const [row] = await queryRows<{ code: string }>(
      tx,
      sql`insert into monitoring_batches (code, name, issued_on, verify_by, owner_user_id)
          values (${input.code}, ${input.name}, ${input.issuedOn ?? null}, ${input.verifyBy ?? null}, ${input.ownerUserId ?? null})
          on conflict (code) do nothing returning code`,
    );
    if (!row) throw new ApiError(409, 'conflict', `批次“${input.code}”已登记`);
    // Only what the batch names changes: without an owner (or deadline) a clue keeps its own.
    const owner = input.ownerUserId ?? null;
    const verifyBy = input.verifyBy ?? null;
    const clues =
      owner === null && verifyBy === null
        ? []
        : await queryRows<{ id: number; owner: number | null; due: string | null }>(
            tx,
            sql`select id, clue_owner_user_id as owner, clue_due_on::text as due
                from findings where batch = ${input.code} and state = 'clue' and deleted_at is null order by id for update`,
          );
    for (const c of clues) {
      const [after] = await queryRows<{ owner: number | null; due: string | null }>(
        tx,
        sql`update findings set clue_owner_user_id = coalesce(${owner}::int, clue_owner_user_id), clue_due_on = coalesce(${verifyBy}::date, clue_due_on),
                                version = version + 1, updated_at = now()
            where id = ${c.id} returning clue_owner_user_id as owner, clue_due_on::text as due`,
      );
      await recordEvent(tx, {
        actor,
        action: 'finding.clue_reassigned',
        entity: 'finding',
        entityId: c.id,
        before: { clueOwnerUserId: c.owner, clueDueOn: c.due },
        after: { clueOwnerUserId: after.owner, clueDueOn: after.due, batch: input.code, by: actor.displayName },
        ip,
      });
    }
    return { code: input.code, name: input.name, issuedOn: input.issuedOn ?? null, verifyBy: input.verifyBy ?? null, ownerUserId: input.ownerUserId ?? null, cluesUpdated: clues.length };
  });
}
