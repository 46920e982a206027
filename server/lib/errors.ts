import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Machine-readable error codes; the web catalogue translates them, `message` is for people (zh-CN). */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'not_found'
  | 'conflict'
  | 'duplicate_file'
  | 'illegal_transition'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'wrong_password'
  | 'too_many_attempts'
  | 'forbidden'
  | 'payload_too_large'
  | 'file_too_large'
  | 'too_many_points'
  | 'unsupported_format'
  | 'malformed_file'
  | 'empty_track'
  | 'out_of_extent'
  | 'invalid_coordinate'
  | 'invalid_time'
  | 'database_unavailable'
  | 'database_busy'
  | 'query_timeout'
  | 'server_busy'
  | 'coverage_failed'
  | 'internal_error';

export interface ErrorIssue {
  /** Dotted path of the offending field, e.g. `category` or `geometry.coordinates.0`. */
  path: string;
  message: string;
}

/** The one error body every failing request gets. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[] };
}

/** Builds the standard error body. */
export function errorBody(code: ErrorCode, message: string, issues?: ErrorIssue[]): ErrorBody {
  return { error: issues && issues.length ? { code, message, issues } : { code, message } };
}

/** An error a handler can throw to answer with a given status and the standard body. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 400 naming every bad field of a request body, as the validators word it. */
export function invalidRequest(issues: ErrorIssue[]): ApiError {
  return new ApiError(400, 'invalid_request', `请求内容有误：${[...new Set(issues.map((i) => i.path))].join('、')}`, issues);
}

/** Answers with the standard error body. */
export function sendError(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string, issues?: ErrorIssue[]) {
  return c.json(errorBody(code, message, issues), status);
}

/** The SQLSTATE and detail of a PostgreSQL error, looking through wrappers (drizzle puts the driver's error in `cause`). */
function postgresError(err: unknown): { code: string; detail?: string; column?: string; constraint?: string } | null {
  for (let e = err as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      const f = e as { detail?: string; column?: string; column_name?: string; constraint?: string; constraint_name?: string };
      return { code: e.code, detail: f.detail, column: f.column ?? f.column_name, constraint: f.constraint ?? f.constraint_name };
    }
    if (typeof e !== 'object') break;
  }
  return null;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

/** SQLSTATEs raised by values a request carried, with what to tell the officer. */
const dataErrors: Record<string, string> = {
  '22P02': '请求中有格式不正确的值',
  '22003': '请求中有超出范围的数值',
  '22007': '请求中有格式不正确的日期或时间',
  '22008': '请求中有超出范围的日期或时间',
  '22021': '请求中有无法保存的字符（如 NUL）',
  '22P05': '请求中有无法保存的 Unicode 字符',
  '23514': '请求内容不符合数据规则',
};

/**
 * Maps a database error caused by the request's own data (a foreign id that names no row, a value out
 * of range, a NUL byte, a failed check) to a 4xx with the standard body; anything else → null.
 */
export function databaseInputError(err: unknown): ApiError | null {
  const pg = postgresError(err);
  if (!pg) return null;
  if (pg.code === '23503') {
    // Detail reads `Key (lead_department_id)=(999999) is not present in table "departments".`
    if (/still referenced/.test(pg.detail ?? '')) return new ApiError(409, 'conflict', '该记录仍被其他记录引用，不能删除');
    const column = /^Key \(([a-z0-9_]+)\)/.exec(pg.detail ?? '')?.[1] ?? pg.column;
    const field = column ? camel(column) : '(root)';
    const message = column ? `${field} 引用的记录不存在` : '引用的记录不存在';
    return new ApiError(422, 'invalid_request', `请求内容有误：${message}`, [{ path: field, message }]);
  }
  if (pg.code === '23505') {
    // Detail reads `Key (username)=(eco) already exists.`; the service's own check lost a race or is
    // missing. Of a composite key the last column is the one the request repeated (e.g. department_id).
    const column = /^Key \(([a-z0-9_, ]+)\)=/.exec(pg.detail ?? '')?.[1].split(', ').at(-1);
    const field = column ? camel(column) : undefined;
    return new ApiError(409, 'conflict', field ? `已有相同的记录：${field} 重复` : '已有相同的记录', field ? [{ path: field, message: '与已有记录重复' }] : undefined);
  }
  const message = dataErrors[pg.code];
  return message ? new ApiError(400, 'invalid_request', message) : null;
}
