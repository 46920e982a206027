import { getJson, request } from '../api/client.ts';
import type { OwnedClue, PatchTaskAction, TaskRow } from '../../../../server/features/tasks/task-actions.ts';

export type { OwnedClue, TaskRow };

/** Open and overdue counts of the signed-in person's department inbox, and their overdue clues. */
export interface TaskCounts {
  open: number;
  overdue: number;
  overdueClues?: number;
}

/** Which inbox list: still to do, or 已办 (done and cancelled, newest first). */
export type TaskView = 'active' | 'done';

/** The department's inbox (with, for a coordinator, the clues they must dispatch), or its 已办 list. */
export function fetchMyTasks(view: TaskView, signal?: AbortSignal): Promise<{ tasks: TaskRow[]; clues: OwnedClue[] }> {
  return getJson<{ tasks: TaskRow[]; clues: OwnedClue[] }>(`/api/tasks?mine=1&view=${view}`, signal);
}

/** The header's counts. */
export function fetchTaskCounts(signal?: AbortSignal): Promise<TaskCounts> {
  return getJson<TaskCounts>('/api/tasks/counts', signal);
}

/** What one task action sends besides the version. */
export type TaskActionBody =
  | { action: 'take_up' }
  | { action: 'reply'; reply: string }
  | { action: 'assign'; assigneeUserId: number | null }
  | { action: 'complete'; reply?: string }
  | { action: 'cancel'; reason: string };

/** Carries out one of the task's `allowedActions`; 409 when `version` is stale. */
export function actOnTask(id: number, version: number, body: TaskActionBody & { action: PatchTaskAction }): Promise<TaskRow> {
  return request<TaskRow>('PATCH', `/api/tasks/${id}`, { body: { version, ...body } });
}
