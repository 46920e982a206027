import { validator } from 'hono/validator';
import { z } from 'zod';
import { errorBody, type ErrorIssue } from './errors.ts';

// Field messages reach officers, so zod speaks their language.
z.config(z.locales.zhCN());

/** Turns zod issues into the `issues` list of the error body. */
export function zodIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

function describeFields(issues: ErrorIssue[]): string {
  const fields = [...new Set(issues.map((i) => i.path))];
  return fields.join('、');
}

/** Validates the query string against a zod schema; unknown or malformed parameters → 400. */
export const zQuery = <S extends z.ZodType>(schema: S) =>
  validator('query', (value, c) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return c.json(errorBody('invalid_request', `查询参数有误：${describeFields(issues)}`, issues), 400);
    }
    return parsed.data as z.output<S>;
  });

/** Validates path parameters against a zod schema → 400 on failure. */
export const zParam = <S extends z.ZodType>(schema: S) =>
  validator('param', (value, c) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return c.json(errorBody('invalid_request', `路径参数有误：${describeFields(issues)}`, issues), 400);
    }
    return parsed.data as z.output<S>;
  });

/** Validates a JSON body against a zod schema → 400 naming each bad field. */
export const zJson = <S extends z.ZodType>(schema: S) =>
  validator('json', (value, c) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return c.json(errorBody('invalid_request', `请求内容有误：${describeFields(issues)}`, issues), 400);
    }
    return parsed.data as z.output<S>;
  });
