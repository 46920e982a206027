import type { LoadStatus } from '../areas/areas.svelte.ts';

/**
 * One document fetched for a key (e.g. the window's query): asking again for the same key fetches
 * nothing, asking for another aborts the pending request, so a fast period switch never shows a
 * stale answer.
 */
export class Resource<T> {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  // Big GeoJSON: replaced whole, never mutated, so no deep proxy.
  data = $state.raw<T | null>(null);
  key = $state<string | null>(null);

  #controller: AbortController | null = null;

  /** Fetches for `key` unless that is already loaded or loading (or `force`). */
  async load(key: string, fetcher: (signal: AbortSignal) => Promise<T>, force = false): Promise<void> {
    if (!force && key === this.key && (this.status === 'ready' || this.status === 'loading')) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.key = key;
    this.status = 'loading';
    this.error = null;
    try {
      const data = await fetcher(controller.signal);
      if (controller.signal.aborted) return;
      this.data = data;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.data = null;
      this.error = error;
      this.status = 'error';
    }
  }

  /** Forgets the document (and stops a pending request). */
  clear(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.key = null;
    this.data = null;
    this.error = null;
    this.status = 'idle';
  }
}
