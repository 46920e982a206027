import { sql, type SQL } from 'drizzle-orm';
import { activeTaskStatuses } from '../findings/workflow.ts';

/** A task as inboxes and the finding page show it; `overdue` derived from its due date. */
export const taskJson = (today: SQL) => sql`json_build_object(
  'id', t.id, 'kind', t.kind, 'status', t.status, 'dueOn', t.due_on, 'note', t.note, 'version', t.version,
  'overdue', t.status in ${activeTaskStatuses} and t.due_on is not null and t.due_on < ${today},
  'department', case when d.id is null then null else json_build_object('id', d.id, 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en) end,
  'assignee', case when u.id is null then null else json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name) end,
  'finding', case when f.id is null then null else json_build_object('id', f.id, 'serial', f.serial, 'title', f.title, 'state', f.state, 'category', f.category) end,
  'inspectionId', t.inspection_id,
  'createdAt', t.created_at, 'closedAt', t.closed_at)`;

/** Tasks still to be worked on: new, taken up, or sent back (the statuses a workflow step closes). */
export const activeTask = sql`t.status in ${activeTaskStatuses}`;

/** The joins every task query needs. */
export const taskFrom = sql`tasks t
  left join departments d on d.id = t.department_id
  left join users u on u.id = t.assignee_user_id
  left join findings f on f.id = t.finding_id`;
