import { fetchCounties } from '../api/client.ts';
import type { CountyCollection } from '../api/types.ts';
import type { LoadStatus } from '../api/resource.svelte.ts';

/** The county-level divisions drawn under the areas, and where their boundaries come from. */
export class CountiesState {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  collection = $state.raw<CountyCollection | null>(null);

  /** Fetches the counties; the map works without them, so a failure only loses the layer. */
  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      this.collection = await fetchCounties();
      this.status = 'ready';
    } catch (error) {
      this.error = error;
      this.status = 'error';
    }
  }
}
