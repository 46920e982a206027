import { validator } from 'hono/validator';
import { z } from 'zod';
import { errorBody, type ErrorIssue } from './errors.ts';

// Field messages reach officers, so zod speaks their language.
z.config(z.locales.zhCN());

/** Turns zod issues into the `issues` list of the error body. */
export function zodIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** A comma-separated query value whose items must each be one of `values` (e.g. `state=clue,verifying`). */
export const commaList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));

/** A yes/no query flag: `1`/`true` or `0`/`false`. */
export const queryFlag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Path parameters `{ id }` naming a row by its positive integer id; `what` words the message. */
export const idParams = (what: string) => z.object({ id: z.coerce.number().int().positive(`${what}编号须为正整数`).max(2147483647) });

const targetNames = { query: '查询参数', param: '路径参数', json: '请求内容' } as const;

/** Validates one part of the request with a zod schema; failure → 400 naming every bad field. */
function zodValidator<T extends keyof typeof targetNames, S extends z.ZodType>(target: T, schema: S) {
  return validator(target, (value, c) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<S>;
    const issues = zodIssues(parsed.error);
    const fields = [...new Set(issues.map((i) => i.path))].join('、');
    return c.json(errorBody('invalid_request', `${targetNames[target]}有误：${fields}`, issues), 400);
  });
}

/** Validates the query string; unknown or malformed parameters → 400. */
export const zQuery = <S extends z.ZodType>(schema: S) => zodValidator('query', schema);

/** Validates path parameters → 400 on failure. */
export const zParam = <S extends z.ZodType>(schema: S) => zodValidator('param', schema);

/** Validates a JSON body → 400 naming each bad field. */
export const zJson = <S extends z.ZodType>(schema: S) => zodValidator('json', schema);
