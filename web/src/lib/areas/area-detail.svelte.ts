import { ApiError, fetchArea } from '../api/client.ts';
import type { AreaDetail } from '../api/types.ts';

export type DetailStatus = 'idle' | 'loading' | 'ready' | 'not-found' | 'error';

/** The selected protected area: its code at once, its full record once fetched. */
export class AreaDetailState {
  code = $state<string | null>(null);
  status = $state<DetailStatus>('idle');
  detail = $state.raw<AreaDetail | null>(null);
  error = $state.raw<unknown>(null);
  /** Other areas under the map click that selected this one, so the user can switch. */
  alsoHere = $state.raw<string[]>([]);

  #controller: AbortController | null = null;

  /** Selects an area and fetches its record; selecting the shown area again fetches nothing unless `force`. */
  async select(code: string, alsoHere: string[] = [], force = false): Promise<void> {
    this.alsoHere = alsoHere.filter((c) => c !== code);
    if (code === this.code && !force) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.code = code;
    this.detail = null;
    this.error = null;
    this.status = 'loading';
    try {
      const detail = await fetchArea(code, controller.signal);
      if (controller.signal.aborted) return;
      this.detail = detail;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = error instanceof ApiError && error.status === 404 ? 'not-found' : 'error';
    }
  }

  /** Fetches the current area again after a failure. */
  retry(): void {
    const code = this.code;
    if (!code) return;
    void this.select(code, this.alsoHere, true);
  }

  /** Deselects. */
  clear(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.code = null;
    this.detail = null;
    this.error = null;
    this.alsoHere = [];
    this.status = 'idle';
  }
}
