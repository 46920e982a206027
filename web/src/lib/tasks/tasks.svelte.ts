import { requestsSettled } from '../api/client.ts';
import type { LoadStatus } from '../api/resource.svelte.ts';
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

/** Fetched this recently, a page change does not ask again (signing in is followed by one at once). */
const FRESH_MS = 3000;

/** The header's open and overdue counts, refreshed when the person moves between pages. */
export class TaskCountsState {
  counts = $state.raw<TaskCounts | null>(null);

  #controller: AbortController | null = null;
  #fetchedAt = 0;

  /** Fetches the counts; a failure keeps the last ones (the badge is a hint, not a record). */
  async refresh(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#fetchedAt = Date.now();
    try {
      const counts = await fetchTaskCounts(controller.signal);
      if (!controller.signal.aborted) this.counts = counts;
    } catch {
      // Offline or signed out: the badge keeps its last value; the pages say what went wrong.
    }
  }

  /**
   * After a page change: fetches the counts once the new page's own requests are answered, so a
   * session found gone is reported once (by the page) and not asked about a second time. Returns the
   * function that cancels it (the person moved on again).
   */
  refreshAfterPageChange(signedIn: () => boolean): () => void {
    if (Date.now() - this.#fetchedAt < FRESH_MS) return () => {};
    let live = true;
    // A moment for the new page to send its requests before waiting for them.
    const timer = setTimeout(() => {
      void requestsSettled().then(() => {
        if (live && signedIn()) void this.refresh();
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }

  /** Forgets the counts (signed out). */
  clear(): void {
    this.#controller?.abort();
    this.counts = null;
  }
}
