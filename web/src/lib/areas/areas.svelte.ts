import { fetchAreas } from '../api/client.ts';
import { Loader } from '../api/resource.svelte.ts';
import type { AreaCollection, AreaFeature } from '../api/types.ts';
import { countyOptions, filterAreas, hasFilters, NO_FILTERS, type AreaFilters } from './filter.ts';

/** The list of protected areas, its search and filters, and what matches them. */
export class AreasState extends Loader {
  // Big GeoJSON: replaced whole, never mutated, so no deep proxy.
  all = $state.raw<AreaFeature[]>([]);
  filters = $state<AreaFilters>({ ...NO_FILTERS });

  readonly filtered = $derived(filterAreas(this.all, this.filters));
  readonly filteredCollection: AreaCollection = $derived({ type: 'FeatureCollection', features: this.filtered });
  readonly counties = $derived(countyOptions(this.all));
  readonly filtering = $derived(hasFilters(this.filters));
  readonly #byCode = $derived(new Map(this.all.map((f) => [f.properties.code, f])));

  /** Fetches the areas (again, after an error). */
  load(): Promise<void> {
    return this.run(fetchAreas, (collection) => {
      this.all = collection.features ?? [];
    });
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
