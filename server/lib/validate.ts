import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { errorBody, type ErrorIssue } from './errors.ts';

// Field messages reach officers, so zod speaks their language.
z.config(z.locales.zhCN());

/** Turns zod issues into the `issues` list of the error body. */
export function zodIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** Largest id PostgreSQL's `integer` (int4) holds; a larger id can name no row. */
export const MAX_ID = 2147483647;

// NUL cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate is no character at all:
// both would fail (or be silently replaced) deep in the database, so they are refused at the edge.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a string holds a NUL or a lone surrogate, which no text column can store. */
export const hasUnstorableText = (s: string) => unstorable.test(s);

/** Every free-text field: a string without NUL characters or lone surrogates. */
export const text = () => z.string().refine((s) => !hasUnstorableText(s), '含有无法保存的字符（如 NUL 或不完整的 Unicode 字符）');

/** A row id in a JSON body: a positive integer within int4. */
export const id = (what = '') => z.number().int(`${what}编号须为正整数`).positive(`${what}编号须为正整数`).max(MAX_ID, `${what}编号超出范围`);

/** The `version` a write carries for the optimistic lock: a positive integer within int4. */
export const version = z.number().int('版本号须为正整数').positive('版本号须为正整数').max(MAX_ID, '版本号超出范围');

/** A row id in a query or path: digits only (no `1e3`, `0x10` or blanks) within int4. */
export const queryId = (what = '') =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, `${what}编号须为正整数`)
    .transform(Number)
    .pipe(z.number().int().positive(`${what}编号须为正整数`).max(MAX_ID, `${what}编号超出范围`));

/** A comma-separated query value whose items must each be one of `values` (e.g. `state=clue,verifying`). */
export const commaList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));

/** A yes/no query flag: `1`/`true` or `0`/`false`. */
export const queryFlag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Path parameters `{ id }` naming a row by its positive integer id; `what` words the message. */
export const idParams = (what: string) => z.object({ id: queryId(what) });

const targetNames = { query: '查询参数', param: '路径参数', json: '请求内容' } as const;
type Target = keyof typeof targetNames;

/** What each validator middleware checks, so tests can walk `app.routes` and know every field. */
export const routeSchemas = new WeakMap<MiddlewareHandler, { target: Target; schema: z.ZodType }>();

/** Validates one part of the request with a zod schema; failure → 400 naming every bad field. */
function zodValidator<T extends Target, S extends z.ZodType>(target: T, schema: S) {
  const middleware = validator(target, (value, c) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<S>;
    const issues = zodIssues(parsed.error);
    const fields = [...new Set(issues.map((i) => i.path))].join('、');
    return c.json(errorBody('invalid_request', `${targetNames[target]}有误：${fields}`, issues), 400);
  });
  routeSchemas.set(middleware as MiddlewareHandler, { target, schema });
  return middleware;
}

/** Validates the query string; unknown or malformed parameters → 400. */
export const zQuery = <S extends z.ZodType>(schema: S) => zodValidator('query', schema);

/** Validates path parameters → 400 on failure. */
export const zParam = <S extends z.ZodType>(schema: S) => zodValidator('param', schema);

/** Validates a JSON body → 400 naming each bad field. */
export const zJson = <S extends z.ZodType>(schema: S) => zodValidator('json', schema);
