import { ApiError, getJson, request, type ApiIssue } from '../api/client.ts';
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

/** Reads the API's error body from a finished XMLHttpRequest, as `request` does for fetch. */
function xhrError(xhr: XMLHttpRequest): ApiError {
  let code = 'http';
  let message = '';
  let issues: ApiIssue[] = [];
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: unknown; message?: unknown; issues?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body.error?.issues)) {
      issues = (body.error.issues as { path?: unknown; message?: unknown }[]).map((i) => ({
        path: typeof i.path === 'string' ? i.path : '',
        message: typeof i.message === 'string' ? i.message : '',
      }));
    }
  } catch {
    // Not our JSON error body (a proxy's page): the status alone.
  }
  return new ApiError(xhr.status, code, message, issues);
}

/**
 * Sends a track file to `url`. XMLHttpRequest rather than fetch, because only it reports upload
 * progress; `onprogress` gets the share sent (0–1), then null while the server parses the file.
 */
function sendTrack<T>(
  url: string,
  file: File,
  coordinateSystem: CoordinateSystem,
  onprogress: (share: number | null) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.set('file', file, file.name);
    form.set('coordinateSystem', coordinateSystem);
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onprogress(event.total ? event.loaded / event.total : 1);
    };
    xhr.upload.onload = () => onprogress(null);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch (cause) {
          reject(new ApiError(xhr.status, 'bad_response', cause instanceof Error ? cause.message : ''));
        }
      } else reject(xhrError(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
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
