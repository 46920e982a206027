import { getJson, request } from '../api/client.ts';
import { uploadForm } from '../api/upload.ts';
import { FINDING_CATEGORIES, FINDING_STATES } from './types.ts';
import type {
  Attachment,
  CreatedFinding,
  FindingCollection,
  FindingDetail,
  FindingCategory,
  FindingEvent,
  FindingFilters,
  FindingPage,
  FindingSort,
  FindingState,
  NewFinding,
} from './types.ts';

/** The list's and the map's filters as a query string (only those set), with sort and paging. */
export function findingsQuery(
  f: FindingFilters,
  extra: { sort?: FindingSort; limit?: number; cursor?: string | null; format?: 'geojson' } = {},
): string {
  const q = new URLSearchParams();
  if (f.states.length) q.set('state', f.states.join(','));
  if (f.category) q.set('category', f.category);
  if (f.area) q.set('area', f.area);
  if (f.county) q.set('county', f.county);
  if (f.department !== null) q.set('department', String(f.department));
  if (f.overdue) q.set('overdue', '1');
  if (f.escalated) q.set('escalated', '1');
  const text = f.q.trim();
  if (text) q.set('q', text.slice(0, 100));
  if (extra.sort && extra.sort !== 'newest') q.set('sort', extra.sort);
  if (extra.limit) q.set('limit', String(extra.limit));
  if (extra.cursor) q.set('cursor', extra.cursor);
  if (extra.format) q.set('format', extra.format);
  const s = q.toString();
  return s ? `?${s}` : '';
}

const SORTS: readonly FindingSort[] = ['newest', 'overdue_first'];

/**
 * The ledger's filters and sort read back from the address bar's query (the same keys the list
 * request uses); values this portal does not know are dropped rather than guessed at.
 */
export function parseFindingsSearch(search: string): { filters: FindingFilters; sort: FindingSort } {
  const q = new URLSearchParams(search);
  const states = (q.get('state') ?? '')
    .split(',')
    .filter((s): s is FindingState => (FINDING_STATES as readonly string[]).includes(s));
  const category = q.get('category') ?? '';
  const department = Number(q.get('department'));
  const sort = q.get('sort') as FindingSort | null;
  return {
    filters: {
      states,
      category: (FINDING_CATEGORIES as readonly string[]).includes(category) ? (category as FindingCategory) : '',
      area: (q.get('area') ?? '').slice(0, 50),
      county: (q.get('county') ?? '').slice(0, 50),
      department: Number.isInteger(department) && department > 0 ? department : null,
      overdue: q.get('overdue') === '1',
      escalated: q.get('escalated') === '1',
      q: (q.get('q') ?? '').slice(0, 100),
    },
    sort: sort && SORTS.includes(sort) ? sort : 'newest',
  };
}

/** The address-bar query of the ledger for its filters and sort ('' when nothing is set). */
export function findingsSearch(filters: FindingFilters, sort: FindingSort): string {
  return findingsQuery(filters, { sort });
}

/** One page of findings. */
export function fetchFindings(query: string, signal?: AbortSignal): Promise<FindingPage> {
  return getJson<FindingPage>(`/api/findings${query}`, signal);
}

/** Findings as GeoJSON for the map. */
export function fetchFindingsGeojson(query: string, signal?: AbortSignal): Promise<FindingCollection> {
  return getJson<FindingCollection>(`/api/findings${query}`, signal);
}

/** One finding with its places, tasks, evidence and the steps this person may take. */
export function fetchFinding(id: number, signal?: AbortSignal): Promise<FindingDetail> {
  return getJson<FindingDetail>(`/api/findings/${id}`, signal);
}

/** A finding's audit trail, oldest first. */
export async function fetchFindingEvents(id: number, signal?: AbortSignal): Promise<FindingEvent[]> {
  return (await getJson<{ events: FindingEvent[] }>(`/api/events?entity=finding&id=${id}`, signal)).events;
}

/** Records a new finding (a clue). */
export function createFinding(input: NewFinding): Promise<CreatedFinding> {
  return request<CreatedFinding>('POST', '/api/findings', { body: input });
}

/** Takes one action along the chain (`{action, version, ...fields}`); answers the finding's detail. */
export function transitionFinding(id: number, body: Record<string, unknown>): Promise<FindingDetail> {
  return request<FindingDetail>('POST', `/api/findings/${id}/transitions`, { body });
}

/** Uploads one evidence file to a finding; `onprogress` gets the share sent (0–1), then null while the server reads it. */
export function uploadAttachment(
  findingId: number,
  file: File,
  onprogress: (share: number | null) => void,
  signal?: AbortSignal,
): Promise<Attachment> {
  const form = new FormData();
  form.set('file', file, file.name);
  return uploadForm<Attachment>(`/api/findings/${findingId}/attachments`, form, onprogress, signal);
}
