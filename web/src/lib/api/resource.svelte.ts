export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The status and error of one request at a time, for state classes to extend: a new load aborts the
 * pending one, and an answer that arrives after that is dropped, so a quick filter change never shows
 * a stale list.
 */
export class Loader {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);

  #controller: AbortController | null = null;

  /** Runs `fetcher` and hands its answer to `apply` (or the error to `failed`) unless superseded meanwhile. */
  async run<T>(fetcher: (signal: AbortSignal) => Promise<T>, apply: (data: T) => void, failed?: () => void): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const data = await fetcher(controller.signal);
      if (controller.signal.aborted) return;
      apply(data);
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      failed?.();
      this.error = error;
      this.status = 'error';
    }
  }

  /** Stops a pending request; its answer is dropped and the status stays as it was. */
  abort(): void {
    this.#controller?.abort();
    this.#controller = null;
  }
}

/**
 * One document fetched for a key (e.g. the window's query): asking again for the same key fetches
 * nothing, asking for another aborts the pending request, so a fast period switch never shows a
 * stale answer.
 */
export class Resource<T> extends Loader {
  // Big GeoJSON: replaced whole, never mutated, so no deep proxy.
  data = $state.raw<T | null>(null);
  key = $state<string | null>(null);

  /** Fetches for `key` unless that is already loaded or loading (or `force`). */
  async load(key: string, fetcher: (signal: AbortSignal) => Promise<T>, force = false): Promise<void> {
    if (!force && key === this.key && (this.status === 'ready' || this.status === 'loading')) return;
    this.key = key;
    await this.run(
      fetcher,
      (data) => {
        this.data = data;
      },
      () => {
        this.data = null;
      },
    );
  }

  /** Forgets the document (and stops a pending request). */
  clear(): void {
    this.abort();
    this.key = null;
    this.data = null;
    this.error = null;
    this.status = 'idle';
  }
}
