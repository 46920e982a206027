import { getJson, request } from '../api/client.ts';
import type { Task } from '../findings/types.ts';

/** Open and overdue counts of the signed-in person's department inbox. */
export interface TaskCounts {
  open: number;
  overdue: number;
}

/** The department's inbox: tasks still to be worked on, open and overdue first. */
export async function fetchMyTasks(signal?: AbortSignal): Promise<Task[]> {
  return (await getJson<{ tasks: Task[] }>('/api/tasks?mine=1&status=open,in_progress,returned', signal)).tasks;
}

/** The header's counts. */
export function fetchTaskCounts(signal?: AbortSignal): Promise<TaskCounts> {
  return getJson<TaskCounts>('/api/tasks/counts', signal);
}

/** Takes a task up, notes progress or marks an inspection done; 409 when `version` is stale. */
export function updateTask(id: number, patch: { version: number; status?: 'in_progress' | 'done'; note?: string | null }): Promise<Task> {
  return request<Task>('PATCH', `/api/tasks/${id}`, { body: patch });
}
