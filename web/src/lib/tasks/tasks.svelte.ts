import { requestsSettled } from '../api/client.ts';
import { Loader } from '../api/resource.svelte.ts';
import { actOnTask, fetchMyTasks, fetchTaskCounts, type OwnedClue, type TaskActionBody, type TaskCounts, type TaskRow, type TaskView } from './tasks-api.ts';

/** The department's inbox: tasks still to do (with a coordinator's clues), or 已办. */
export class TasksState extends Loader {
  view = $state<TaskView>('active');
  all = $state.raw<TaskRow[]>([]);
  clues = $state.raw<OwnedClue[]>([]);

  /** Re-check (回头看) tasks, listed apart: they fall due months ahead. */
  get rechecks(): TaskRow[] {
    return this.view === 'active' ? this.all.filter((t) => t.kind === 'recheck') : [];
  }

  /** Every other task of the view. */
  get work(): TaskRow[] {
    return this.view === 'active' ? this.all.filter((t) => t.kind !== 'recheck') : this.all;
  }

  /** Switches between 待办 and 已办. */
  show(view: TaskView): void {
    if (view === this.view) return;
    this.view = view;
    this.all = [];
    this.clues = [];
    void this.load();
  }

  /** Fetches the current view (again); the list already shown stays while it reloads. */
  async load(): Promise<void> {
    await this.run(
      (signal) => fetchMyTasks(this.view, signal),
      (answer) => {
        this.all = answer.tasks;
        this.clues = answer.clues;
      },
    );
  }

  /** Carries out one allowed action; a task that leaves the view (done, cancelled) goes from the list. Throws the ApiError. */
  async act(task: TaskRow, body: TaskActionBody): Promise<void> {
    const row = await actOnTask(task.id, task.version, body);
    const finished = row.status === 'done' || row.status === 'cancelled';
    this.all = this.view === 'active' && finished ? this.all.filter((t) => t.id !== row.id) : this.all.map((t) => (t.id === row.id ? row : t));
  }

  /** Stops a pending load. */
  destroy(): void {
    this.abort();
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
