import type {
  AreaCollection,
  AreaDetail,
  CountyCollection,
  Department,
  DepartmentInput,
  Me,
  NewUser,
  UserPatch,
  UserRow,
} from './types.ts';

/** One field the server refused, as named in the error body's `issues`. */
export interface ApiIssue {
  path: string;
  message: string;
}

/** A failed API call: an HTTP error with the server's error body, or `status` 0 when the network failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
    /** Seconds the server asked us to wait (`Retry-After`), when it said. */
    readonly retryAfter: number | null = null,
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
  error?: { code?: unknown; message?: unknown; issues?: unknown };
}

/** Codes of a 401 that mean "that password is wrong", not "you are no longer signed in". */
const CREDENTIAL_CODES = new Set(['invalid_credentials', 'wrong_password']);

let unauthorizedHandler: (() => void) | null = null;

/**
 * Registers what happens when a request finds the session gone (expired, revoked, signed out
 * elsewhere); the app sends the person to the login page, keeping where they were.
 */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** Reads `Retry-After` as whole seconds; it may be a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // HTTP dates are always in GMT; anything else (negative numbers, words) is not a valid value.
  if (!/GMT$/.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function readIssues(value: unknown): ApiIssue[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((i): i is { path: unknown; message: unknown } => typeof i === 'object' && i !== null)
    .map((i) => ({ path: typeof i.path === 'string' ? i.path : '', message: typeof i.message === 'string' ? i.message : '' }));
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Whether a 401 counts as a lost session. Off for the calls that answer 401 as part of their own
   * job: the login itself and the first `/me`.
   */
  sessionCheck?: boolean;
}

let inFlight = 0;
let settledWaiters: (() => void)[] = [];

/**
 * Resolves once no API request is in flight. Background calls (the header's task counts) wait for
 * the page's own requests, so a lost session is found once, by the page, and not asked about twice.
 */
export function requestsSettled(): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => settledWaiters.push(resolve));
}

/** Sends one API request and returns its JSON (or undefined for 204), turning every failure into an ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  inFlight += 1;
  try {
    return await send<T>(method, path, options);
  } finally {
    inFlight -= 1;
    if (inFlight === 0) {
      const waiters = settledWaiters;
      settledWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

async function send<T>(method: string, path: string, options: RequestOptions): Promise<T> {
  const { body, signal, sessionCheck = true } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    let code = 'http';
    let message = '';
    let issues: ApiIssue[] = [];
    try {
      const parsed = (await response.json()) as ErrorBody;
      if (typeof parsed.error?.code === 'string') code = parsed.error.code;
      if (typeof parsed.error?.message === 'string') message = parsed.error.message;
      issues = readIssues(parsed.error?.issues);
    } catch {
      // Not our JSON error body (a proxy page, an empty 502): keep the status alone.
    }
    const error = new ApiError(response.status, code, message, issues, parseRetryAfter(response.headers.get('retry-after')));
    if (response.status === 401 && sessionCheck && !CREDENTIAL_CODES.has(code)) unauthorizedHandler?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(response.status, 'bad_response', cause instanceof Error ? cause.message : '');
  }
}

/** GETs a JSON document, turning every kind of failure into an ApiError. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, { signal });
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

/** Who is signed in; a 401 here just means nobody is, so it is not treated as a lost session. */
export function fetchMe(): Promise<Me> {
  return request<Me>('GET', '/api/auth/me', { sessionCheck: false });
}

/** Signs in; the server sets the session cookie. */
export function login(username: string, password: string): Promise<Me> {
  return request<Me>('POST', '/api/auth/login', { body: { username, password }, sessionCheck: false });
}

/** Ends this session on the server and clears its cookie. */
export function logout(): Promise<void> {
  return request<void>('POST', '/api/auth/logout', { sessionCheck: false });
}

/** Changes the signed-in person's password; the server ends their other sessions. */
export function changePassword(currentPassword: string, newPassword: string): Promise<Me> {
  return request<Me>('POST', '/api/auth/password', { body: { currentPassword, newPassword } });
}

/** Every account (admin). */
export async function fetchUsers(signal?: AbortSignal): Promise<UserRow[]> {
  return (await getJson<{ users: UserRow[] }>('/api/users', signal)).users;
}

/** Creates an account (admin). */
export function createUser(input: NewUser): Promise<UserRow> {
  return request<UserRow>('POST', '/api/users', { body: input });
}

/** Changes an account (admin): name, role, department, active, or a new password; a stale `version` → 409. */
export function updateUser(id: number, patch: UserPatch & { version: number }): Promise<UserRow> {
  return request<UserRow>('PATCH', `/api/users/${id}`, { body: patch });
}

/** Every department. */
export async function fetchDepartments(signal?: AbortSignal): Promise<Department[]> {
  return (await getJson<{ departments: Department[] }>('/api/departments', signal)).departments;
}

/** Creates a department (admin). */
export function createDepartment(input: DepartmentInput): Promise<Department> {
  return request<Department>('POST', '/api/departments', { body: input });
}

/** Changes a department (admin); a stale `version` → 409. */
export function updateDepartment(id: number, patch: Partial<DepartmentInput> & { version: number }): Promise<Department> {
  return request<Department>('PATCH', `/api/departments/${id}`, { body: patch });
}
