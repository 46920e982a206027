import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { errorBody } from '../../lib/errors.ts';
import { idParams, zParam } from '../../lib/validate.ts';
import { attachmentFile } from './attachments.service.ts';

/** `/api/attachments/:id/file`: the stored original, untouched. */
export const attachmentsRoutes = new Hono<AppEnv>().get('/:id/file', zParam(idParams('附件')), async (c) => {
  const { id } = c.req.valid('param');
  const file = await attachmentFile(c.var.database.db, c.var.config, id);
  if (!file) return c.json(errorBody('not_found', `没有编号为 ${id} 的附件`), 404);
  return c.body(new Uint8Array(file.bytes), 200, {
    'content-type': file.mimeType,
    'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'cache-control': 'private, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
});
