import type { AreaCollection, AreaDetail, CountyCollection } from './types.ts';

/** A failed API call: an HTTP error with the server's error body, or `status` 0 when the network failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Whether the request never got an answer (offline, server down, connection reset). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/** GETs a JSON document, turning every kind of failure into an ApiError. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    let code = 'http';
    let message = '';
    try {
      const body = (await response.json()) as ErrorBody;
      if (typeof body.error?.code === 'string') code = body.error.code;
      if (typeof body.error?.message === 'string') message = body.error.message;
    } catch {
      // Not our JSON error body (a proxy page, an empty 502): keep the status alone.
    }
    throw new ApiError(response.status, code, message);
  }
  try {
    return (await response.json()) as T;
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(response.status, 'bad_response', cause instanceof Error ? cause.message : '');
  }
}

/** Every protected area as GeoJSON. */
export function fetchAreas(signal?: AbortSignal): Promise<AreaCollection> {
  return getJson<AreaCollection>('/api/areas', signal);
}

/** One protected area with its zones and overlaps. */
export function fetchArea(code: string, signal?: AbortSignal): Promise<AreaDetail> {
  return getJson<AreaDetail>(`/api/areas/${encodeURIComponent(code)}`, signal);
}

/** The county-level divisions with their seats and the boundaries' provenance. */
export function fetchCounties(signal?: AbortSignal): Promise<CountyCollection> {
  return getJson<CountyCollection>('/api/counties', signal);
}
