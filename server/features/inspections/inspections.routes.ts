import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { queryRows } from '../../db/backend.ts';
import { errorBody, invalidRequest } from '../../lib/errors.ts';
import { formFile, uploadLimit } from '../../lib/uploads.ts';
import { zJson, zParam, zQuery, zodIssues } from '../../lib/validate.ts';
import { clientIp } from '../auth/access.ts';
import {
  createInspectionBody,
  inspectionParams,
  listInspectionsQuery,
  removeTrackQuery,
  trackParams,
  trackUploadFields,
  updateInspectionBody,
} from './inspections.schemas.ts';
import { addTrack, createInspection, getInspection, removeTrack, updateInspection } from './inspections.service.ts';
import { inspectionList } from './inspections.sql.ts';

/** `/api/inspections`: joint inspections (联合检查), their tracks and checkpoints. */
export const inspectionsRoutes = new Hono<AppEnv>()
  .get('/', zQuery(listInspectionsQuery), async (c) => {
    const rows = await queryRows<{ row: unknown }>(c.var.database.db, inspectionList(c.req.valid('query')));
    return c.json({ inspections: rows.map((r) => r.row) }, 200);
  })
  .post('/', zJson(createInspectionBody), async (c) =>
    c.json(await createInspection(c.var.database, c.var.actor!, c.req.valid('json'), clientIp(c)), 201),
  )
  .get('/:id', zParam(inspectionParams), async (c) => {
    const { id } = c.req.valid('param');
    const row = await getInspection(c.var.database.db, id);
    return row ? c.json(row, 200) : c.json(errorBody('not_found', `没有编号为 ${id} 的检查`), 404);
  })
  .patch('/:id', zParam(inspectionParams), zJson(updateInspectionBody), async (c) =>
    c.json(await updateInspection(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c)), 200),
  )
  .post('/:id/tracks', zParam(inspectionParams), uploadLimit, async (c) => {
    const upload = await formFile(c, '轨迹文件');
    const fields = trackUploadFields.safeParse({ coordinateSystem: upload.form.coordinateSystem || undefined });
    if (!fields.success) throw invalidRequest(zodIssues(fields.error));
    const result = await addTrack(
      c.var.database,
      c.var.config,
      c.var.actor!,
      c.req.valid('param').id,
      { name: upload.name || 'track', bytes: upload.bytes },
      fields.data.coordinateSystem,
      clientIp(c),
      c.req.query('dryRun') === '1',
    );
    return c.json(result, 'dryRun' in result ? 200 : 201);
  })
  .delete('/:id/tracks/:trackId', zParam(trackParams), zQuery(removeTrackQuery), async (c) => {
    const { id, trackId } = c.req.valid('param');
    return c.json(await removeTrack(c.var.database, c.var.actor!, id, trackId, c.req.valid('query').version, clientIp(c)), 200);
  });
