import { sql, type SQL } from 'drizzle-orm';
import { activeStatuses } from './task-actions.ts';

/** A person as task JSON names them. */
const person = (alias: string) =>
  sql.raw(`case when ${alias}.id is null then null else json_build_object('id', ${alias}.id, 'username', ${alias}.username, 'displayName', ${alias}.display_name) end`);

/**
 * A task as inboxes and the finding page show it; `overdue` derived from its due date. The
 * instruction (who gave it: `createdBy`) and the reply (`repliedBy`) are separate fields.
 */
export const taskJson = (today: SQL) => sql`json_build_object(
  'id', t.id, 'kind', t.kind, 'status', t.status, 'dueOn', t.due_on, 'version', t.version, 'adHoc', t.ad_hoc,
  'instruction', t.instruction, 'createdBy', ${person('cu')},
  'reply', t.reply, 'repliedBy', ${person('ru')}, 'repliedAt', t.replied_at,
  'cancelReason', t.cancel_reason,
  'overdue', t.status in ${activeStatuses} and t.due_on is not null and t.due_on < ${today},
  'department', case when d.id is null then null else json_build_object('id', d.id, 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en) end,
  'assignee', ${person('u')},
  'finding', case when f.id is null then null else json_build_object('id', f.id, 'serial', f.serial, 'title', f.title, 'state', f.state, 'category', f.category) end,
  'inspectionId', t.inspection_id,
  'createdAt', t.created_at, 'updatedAt', t.updated_at, 'closedAt', t.closed_at)`;

/** Tasks still to be worked on: new, taken up, or sent back. */
export const activeTask = sql`t.status in ${activeStatuses}`;

/** 已办: done or cancelled. */
export const finishedTask = sql`t.status in ('done', 'cancelled')`;

/** The joins every task query needs. */
export const taskFrom = sql`tasks t
  left join departments d on d.id = t.department_id
  left join users u on u.id = t.assignee_user_id
  left join users cu on cu.id = t.created_by
  left join users ru on ru.id = t.replied_by
  left join findings f on f.id = t.finding_id`;

/**
 * The clues a coordinator must dispatch (state `clue`, owned by them), overdue first; the partial
 * index on clue_owner_user_id (state = 'clue') answers it.
 */
export function ownedClues(userId: number, today: SQL): SQL {
  return sql`select json_build_object('id', f.id, 'serial', f.serial, 'title', f.title, 'category', f.category, 'batch', f.batch,
                    'clueDueOn', f.clue_due_on, 'overdue', coalesce(f.clue_due_on < ${today}, false),
                    'daysOverdue', greatest(0, coalesce(${today} - f.clue_due_on, 0)), 'version', f.version) as row
             from findings f
             where f.clue_owner_user_id = ${userId} and f.state = 'clue' and f.deleted_at is null
             order by f.clue_due_on asc nulls last, f.id
             limit 200`;
}

/**
 * Gives a new clue its owner and dispatch deadline: its monitoring batch's owner and deadline;
 * otherwise the first active coordinator (lowest id: the city office's first account — a stable
 * choice a coordinator can reassign; 门户默认) and created + `dispatchDays` (CLUE_DISPATCH_DAYS).
 */
export function setClueDefaults(findingId: number, createdOn: string, dispatchDays: number): SQL {
  return sql`update findings f
             set clue_owner_user_id = coalesce(b.owner_user_id, (select min(u.id) from users u where u.role = 'coordinator' and u.active)),
                 clue_due_on = coalesce(b.verify_by, ${createdOn}::date + ${dispatchDays}::int)
             from (select 1) x left join monitoring_batches b on b.code = (select batch from findings where id = ${findingId})
             where f.id = ${findingId}`;
}
