/** Multipart uploads: one size cap applied while reading, and the one `file` field every upload uses. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { errorBody, invalidRequest } from './errors.ts';

/** Refuses a body over UPLOAD_MAX_MB (plus room for the form fields) while it is read, before it is buffered whole. */
export const uploadLimit: MiddlewareHandler<AppEnv> = (c, next) =>
  bodyLimit({
    maxSize: c.var.config.uploadMaxMb * 1024 * 1024 + 64 * 1024,
    onError: (cc) => cc.json(errorBody('file_too_large', `文件超过 ${c.var.config.uploadMaxMb} MB 的上限`), 413),
  })(c, next);

/** The uploaded `file` with its bytes and the other form fields; a request without one → 400. */
export async function formFile(c: Context<AppEnv>, what: string) {
  const form = await c.req.parseBody().catch(() => null);
  const file = form?.file;
  if (!form || !(file instanceof File)) {
    throw invalidRequest([{ path: 'file', message: `请以 multipart/form-data 上传${what}（字段名 file）` }]);
  }
  return { form, name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}
