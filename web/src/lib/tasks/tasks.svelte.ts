import type { LoadStatus } from '../areas/areas.svelte.ts';
import type { Task } from '../findings/types.ts';
import { fetchMyTasks, fetchTaskCounts, updateTask, type TaskCounts } from './tasks-api.ts';

/** The department's inbox of tasks still to be worked on. */
export class TasksState {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  all = $state.raw<Task[]>([]);

  #controller: AbortController | null = null;

  /** Fetches the inbox (again). */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    if (this.all.length === 0) this.status = 'loading';
    this.error = null;
    try {
      const tasks = await fetchMyTasks(controller.signal);
      if (controller.signal.aborted) return;
      this.all = tasks;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = 'error';
    }
  }

  /** Takes a task up, saves its note or marks an inspection done; throws the ApiError (409 when stale). */
  async update(task: Task, patch: { status?: 'in_progress' | 'done'; note?: string | null }): Promise<void> {
    const row = await updateTask(task.id, { version: task.version, ...patch });
    this.all = this.all.map((t) => (t.id === row.id ? row : t));
  }

  /** Stops a pending load. */
  destroy(): void {
    this.#controller?.abort();
  }
}

/** The header's open and overdue counts, refreshed when the person moves between pages. */
export class TaskCountsState {
  counts = $state.raw<TaskCounts | null>(null);

  #controller: AbortController | null = null;

  /** Fetches the counts; a failure keeps the last ones (the badge is a hint, not a record). */
  async refresh(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    try {
      const counts = await fetchTaskCounts(controller.signal);
      if (!controller.signal.aborted) this.counts = counts;
    } catch {
      // Offline or signed out: the badge keeps its last value; the pages say what went wrong.
    }
  }

  /** Forgets the counts (signed out). */
  clear(): void {
    this.#controller?.abort();
    this.counts = null;
  }
}
