import { ApiError } from '../api/client.ts';
import { Loader, type LoadStatus } from '../api/resource.svelte.ts';
import {
  createFinding,
  fetchFinding,
  fetchFindingEvents,
  fetchFindings,
  fetchFindingsGeojson,
  findingsQuery,
  transitionFinding,
  uploadAttachment,
} from './findings-api.ts';
import { addDays } from './steps.ts';
import type {
  Attachment,
  CreatedFinding,
  FindingCollection,
  FindingDetail,
  FindingEvent,
  FindingFilters,
  FindingSort,
  FindingSummary,
  NewFinding,
} from './types.ts';

export const NO_FINDING_FILTERS: FindingFilters = {
  states: [],
  category: '',
  area: '',
  county: '',
  department: null,
  overdue: false,
  escalated: false,
  q: '',
};

/** Whether any filter is set. */
export function isFiltering(f: FindingFilters): boolean {
  return (
    f.states.length > 0 || f.category !== '' || f.area !== '' || f.county !== '' || f.department !== null || f.overdue || f.escalated || f.q.trim() !== ''
  );
}

/**
 * The filters the findings list and the map's findings layer share, kept for the whole visit so
 * going from the list to the map (and back) shows the same findings.
 */
export class SharedFindingFilters {
  filters = $state<FindingFilters>({ ...NO_FINDING_FILTERS, states: [] });
  sort = $state<FindingSort>('newest');
  /** Whether the map shows the findings layer. */
  onMap = $state(true);

  readonly filtering = $derived(isFiltering(this.filters));

  /** Clears every filter. */
  clear(): void {
    this.filters = { ...NO_FINDING_FILTERS, states: [] };
  }
}

/** The one set of findings filters of the portal. */
export const findingFilters = new SharedFindingFilters();

const PAGE_SIZE = 50;

/** The findings list: the first page for the current filters, and more pages on request. */
export class FindingsListState {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  rows = $state.raw<FindingSummary[]>([]);
  /** How many findings match in all, when the server says. */
  total = $state<number | null>(null);
  nextCursor = $state<string | null>(null);
  moreStatus = $state<'idle' | 'loading' | 'error'>('idle');
  moreError = $state.raw<unknown>(null);

  #controller: AbortController | null = null;

  constructor(readonly shared: SharedFindingFilters) {}

  /** Fetches the first page for the current filters and sort. */
  async load(): Promise<void> {
    const controller = this.#restart();
    this.status = 'loading';
    this.error = null;
    this.moreStatus = 'idle';
    try {
      const page = await fetchFindings(findingsQuery(this.shared.filters, { sort: this.shared.sort, limit: PAGE_SIZE }), controller.signal);
      if (controller.signal.aborted) return;
      this.rows = page.findings;
      this.total = page.total ?? null;
      this.nextCursor = page.nextCursor;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = 'error';
    }
  }

  /** Appends the next page (keyset paging: stable while new findings arrive). */
  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.moreStatus === 'loading') return;
    const controller = this.#restart();
    this.moreStatus = 'loading';
    this.moreError = null;
    try {
      const page = await fetchFindings(
        findingsQuery(this.shared.filters, { sort: this.shared.sort, limit: PAGE_SIZE, cursor: this.nextCursor }),
        controller.signal,
      );
      if (controller.signal.aborted) return;
      this.rows = [...this.rows, ...page.findings];
      this.nextCursor = page.nextCursor;
      this.moreStatus = 'idle';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.moreError = error;
      this.moreStatus = 'error';
    }
  }

  /** Stops a pending load (the page is closing). */
  destroy(): void {
    this.#controller?.abort();
  }

  #restart(): AbortController {
    this.#controller?.abort();
    this.#controller = new AbortController();
    return this.#controller;
  }
}

/**
 * Closed findings whose 回头看 falls due within this many days (or is overdue) are drawn on the
 * re-check layer; the margin is the portal's choice (门户默认), so officers see a visit coming.
 */
export const RECHECK_SOON_DAYS = 30;

/** The closed findings with a re-check due soon or overdue, for the map's 回头看 layer. */
export class RechecksMapState extends Loader {
  collection = $state.raw<FindingCollection | null>(null);

  /** Fetches the closed findings and keeps those whose re-check is due by `today` + RECHECK_SOON_DAYS. */
  load(today: string): Promise<void> {
    return this.run(
      (signal) => fetchFindingsGeojson(findingsQuery({ ...NO_FINDING_FILTERS, states: ['closed'] }, { limit: MAP_LIMIT, format: 'geojson' }), signal),
      (collection) => {
        this.collection = recheckDue(collection, today);
      },
    );
  }

  /** Stops a pending load. */
  destroy(): void {
    this.abort();
  }
}

/** The findings of a collection whose re-check is due by `today` + RECHECK_SOON_DAYS, marked overdue when past. */
export function recheckDue(collection: FindingCollection, today: string): FindingCollection {
  const horizon = addDays(today, RECHECK_SOON_DAYS);
  return {
    ...collection,
    features: collection.features
      .filter((f) => typeof f.properties.recheckDueOn === 'string' && f.properties.recheckDueOn <= horizon)
      .map((f) => ({ ...f, properties: { ...f.properties, overdue: (f.properties.recheckDueOn as string) < today } })),
  };
}

/** The most findings the map draws at once; more than that and the person is asked to filter. */
export const MAP_LIMIT = 500;

/** The findings the map shows, as GeoJSON, for the shared filters. */
export class FindingsMapState extends Loader {
  collection = $state.raw<FindingCollection | null>(null);
  /** More findings match than the map draws. */
  truncated = $state(false);

  /** Fetches the findings matching `filters`. */
  load(filters: FindingFilters): Promise<void> {
    return this.run(
      (signal) => fetchFindingsGeojson(findingsQuery(filters, { limit: MAP_LIMIT, format: 'geojson' }), signal),
      (collection) => {
        this.collection = collection;
        this.truncated = collection.nextCursor !== null;
      },
    );
  }

  /** Stops a pending load. */
  destroy(): void {
    this.abort();
  }
}

export type DetailStatus = 'idle' | 'loading' | 'ready' | 'not-found' | 'error';

/** One finding: its record and timeline, the steps along the chain, and evidence uploads. */
export class FindingDetailState {
  status = $state<DetailStatus>('idle');
  error = $state.raw<unknown>(null);
  detail = $state.raw<FindingDetail | null>(null);
  events = $state.raw<FindingEvent[]>([]);
  eventsError = $state.raw<unknown>(null);

  #controller: AbortController | null = null;

  constructor(readonly id: number) {}

  /** Fetches the finding and its timeline (again); a reload keeps the old record on screen meanwhile. */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    if (!this.detail) this.status = 'loading';
    this.error = null;
    const events = fetchFindingEvents(this.id, controller.signal).then(
      (rows) => ({ ok: true as const, rows }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    try {
      const detail = await fetchFinding(this.id, controller.signal);
      const timeline = await events;
      if (controller.signal.aborted) return;
      this.detail = detail;
      this.events = timeline.ok ? timeline.rows : [];
      this.eventsError = timeline.ok ? null : timeline.error;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = error instanceof ApiError && error.status === 404 ? 'not-found' : 'error';
    }
  }

  /**
   * Takes an action along the chain and shows the detail it answers; the timeline is fetched again
   * behind it. A refusal is thrown for the form to show.
   */
  async transition(body: Record<string, unknown>): Promise<void> {
    if (!this.detail) return;
    this.detail = await transitionFinding(this.id, { ...body, version: this.detail.version });
    void this.load();
  }

  /** Uploads one evidence file to this finding. */
  upload(file: File, onprogress: (share: number | null) => void, signal?: AbortSignal): Promise<Attachment> {
    return uploadAttachment(this.id, file, onprogress, signal);
  }

  /** Stops pending requests (the page is closing). */
  destroy(): void {
    this.#controller?.abort();
  }
}

/** Records a new finding; throws the ApiError for the form to show. */
export function recordFinding(input: NewFinding): Promise<CreatedFinding> {
  return createFinding(input);
}
