import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Machine-readable error codes; the web catalogue translates them, `message` is for people (zh-CN). */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'not_found'
  | 'conflict'
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
