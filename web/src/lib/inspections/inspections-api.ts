import { getJson, request } from '../api/client.ts';
import { uploadForm } from '../api/upload.ts';
import type {
  CoordinateSystem,
  InspectionDetail,
  InspectionFilters,
  InspectionInput,
  InspectionPatch,
  InspectionSummary,
  TrackImportResult,
  TrackPreview,
} from './types.ts';

/** The query string of the list's filters (only those set). */
export function inspectionsQuery(f: Partial<InspectionFilters>): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.area) q.set('area', f.area);
  if (f.department) q.set('department', String(f.department));
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Inspections matching the filters, newest first (the server returns at most 500). */
export async function fetchInspections(filters: Partial<InspectionFilters>, signal?: AbortSignal): Promise<InspectionSummary[]> {
  return (await getJson<{ inspections: InspectionSummary[] }>(`/api/inspections${inspectionsQuery(filters)}`, signal)).inspections;
}

/** One inspection with its members, tracks and checkpoints. */
export function fetchInspection(id: number, signal?: AbortSignal): Promise<InspectionDetail> {
  return getJson<InspectionDetail>(`/api/inspections/${id}`, signal);
}

/** Plans or records an inspection. */
export function createInspection(input: InspectionInput): Promise<InspectionDetail> {
  return request<InspectionDetail>('POST', '/api/inspections', { body: input });
}

/** Changes an inspection; 409 when `version` is no longer the current one. */
export function updateInspection(id: number, patch: InspectionPatch): Promise<InspectionDetail> {
  return request<InspectionDetail>('PATCH', `/api/inspections/${id}`, { body: patch });
}

/** The address that removes a track, naming the inspection version the person read. */
export function removeTrackPath(id: number, trackId: number, version: number): string {
  return `/api/inspections/${id}/tracks/${trackId}?version=${version}`;
}

/** Removes a wrongly imported track (kept on the server, out of coverage); 409 when `version` is stale. */
export function removeTrack(id: number, trackId: number, version: number): Promise<InspectionDetail> {
  return request<InspectionDetail>('DELETE', removeTrackPath(id, trackId, version));
}

/** Sends a track file and its coordinate system to `url`, reporting upload progress. */
function sendTrack<T>(
  url: string,
  file: File,
  coordinateSystem: CoordinateSystem,
  onprogress: (share: number | null) => void,
  signal?: AbortSignal,
): Promise<T> {
  const form = new FormData();
  form.set('file', file, file.name);
  form.set('coordinateSystem', coordinateSystem);
  return uploadForm<T>(url, form, onprogress, signal);
}

/** Uploads a track file and stores it; the answer carries the inspection with the new track. */
export function uploadTrack(
  id: number,
  file: File,
  coordinateSystem: CoordinateSystem,
  onprogress: (share: number | null) => void,
  signal?: AbortSignal,
): Promise<TrackImportResult> {
  return sendTrack<TrackImportResult>(`/api/inspections/${id}/tracks`, file, coordinateSystem, onprogress, signal);
}

/**
 * Uploads a track file for a preview only (`dryRun=1`): the server parses and converts it exactly as
 * for an import, with the same 413/422 errors, and stores nothing.
 */
export function previewTrack(
  id: number,
  file: File,
  coordinateSystem: CoordinateSystem,
  onprogress: (share: number | null) => void,
  signal?: AbortSignal,
): Promise<TrackPreview> {
  return sendTrack<TrackPreview>(`/api/inspections/${id}/tracks?dryRun=1`, file, coordinateSystem, onprogress, signal);
}
