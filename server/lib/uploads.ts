/** Multipart uploads: one size cap applied while reading, the one `file` field every upload uses, and one file per record. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { ApiError, errorBody, invalidRequest } from './errors.ts';

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

/** True when the error (or one it wraps) is PostgreSQL's unique violation (23505) of the named index. */
export function violatesUnique(err: unknown, index: string): boolean {
  for (let e = err as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown } | null, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    // postgres.js names the index `constraint_name`, PGlite `constraint`.
    if (e.code === '23505') return e.constraint === index || e.constraint_name === index;
    e = e.cause as typeof e;
  }
  return false;
}

/** 409 for a file already stored on the same record, naming the earlier copy so the officer can find (or remove) it. */
export function duplicateUpload(fileName: string, existing: { kind: '轨迹' | '附件'; id: number; fileName: string; uploadedOn: string }): ApiError {
  const message = `文件 ${fileName} 与 ${existing.uploadedOn} 上传的${existing.kind} ${existing.id}（${existing.fileName}）内容完全相同，未重复保存`;
  return new ApiError(409, 'duplicate_file', message, [{ path: 'file', message: `与${existing.kind} ${existing.id}（${existing.fileName}）相同` }]);
}
