import { getJson, request } from '../api/client.ts';
import { uploadForm } from '../api/upload.ts';
import type {
  Attachment,
  CreatedFinding,
  FindingCollection,
  FindingDetail,
  FindingEvent,
  FindingFilters,
  FindingPage,
  FindingSort,
  FindingSummary,
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

/** Moves a finding one step along the chain; the body's fields depend on the step. */
export function transitionFinding(id: number, body: Record<string, unknown>): Promise<FindingSummary> {
  return request<FindingSummary>('POST', `/api/findings/${id}/transitions`, { body });
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
