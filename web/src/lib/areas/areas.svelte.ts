import { fetchAreas } from '../api/client.ts';
import type { AreaCollection, AreaFeature } from '../api/types.ts';
import { countyOptions, filterAreas, hasFilters, NO_FILTERS, type AreaFilters } from './filter.ts';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The list of protected areas, its search and filters, and what matches them. */
export class AreasState {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  // Big GeoJSON: replaced whole, never mutated, so no deep proxy.
  all = $state.raw<AreaFeature[]>([]);
  filters = $state<AreaFilters>({ ...NO_FILTERS });

  readonly filtered = $derived(filterAreas(this.all, this.filters));
  readonly filteredCollection: AreaCollection = $derived({ type: 'FeatureCollection', features: this.filtered });
  readonly counties = $derived(countyOptions(this.all));
  readonly filtering = $derived(hasFilters(this.filters));
  readonly #byCode = $derived(new Map(this.all.map((f) => [f.properties.code, f])));

  #controller: AbortController | null = null;

  /** Fetches the areas (again, after an error). */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const collection = await fetchAreas(controller.signal);
      if (controller.signal.aborted) return;
      this.all = collection.features ?? [];
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = 'error';
    }
  }

  /** The area with this code, if the list has it. */
  byCode(code: string): AreaFeature | undefined {
    return this.#byCode.get(code);
  }

  /** Clears the search and every filter. */
  clearFilters(): void {
    this.filters = { ...NO_FILTERS };
  }
}
