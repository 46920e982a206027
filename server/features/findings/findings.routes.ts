import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { errorBody } from '../../lib/errors.ts';
import { uploadLimit, formFile } from '../../lib/uploads.ts';
import { zJson, zParam, zQuery } from '../../lib/validate.ts';
import { addFindingAttachment } from '../attachments/attachments.service.ts';
import { clientIp } from '../auth/access.ts';
import { createTaskBody } from '../tasks/tasks.schemas.ts';
import { createAdHocTask } from '../tasks/tasks.service.ts';
import { createFindingBody, findingParams, listFindingsQuery, updateFindingBody } from './findings.schemas.ts';
import { createFinding, listFindings, updateFinding } from './findings.service.ts';
import { findingDetail, transitionFinding } from './transitions.service.ts';

/** `/api/findings`: problems (问题) from clue to closure (销号) — 盯整改 and 派任务. */
export const findingsRoutes = new Hono<AppEnv>()
  .get('/', zQuery(listFindingsQuery), async (c) => {
    const q = c.req.valid('query');
    const body = await listFindings(c.var.database.db, c.var.config, q);
    return q.format === 'geojson' ? c.body(JSON.stringify(body), 200, { 'content-type': 'application/geo+json; charset=utf-8' }) : c.json(body, 200);
  })
  .post('/', zJson(createFindingBody), async (c) =>
    c.json(await createFinding(c.var.database, c.var.config, c.var.actor!, c.req.valid('json'), clientIp(c)), 201),
  )
  .get('/:id', zParam(findingParams), async (c) => {
    const { id } = c.req.valid('param');
    const detail = await findingDetail(c.var.database.db, c.var.config, c.var.actor!, id);
    if (!detail) return c.json(errorBody('not_found', `没有编号为 ${id} 的问题`), 404);
    return c.json(detail, 200);
  })
  .patch('/:id', zParam(findingParams), zJson(updateFindingBody), async (c) =>
    c.json(await updateFinding(c.var.database, c.var.config, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c)), 200),
  )
  .post('/:id/transitions', zParam(findingParams), async (c) => {
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return c.json(errorBody('invalid_json', '请求内容不是有效的 JSON'), 400);
    return c.json(await transitionFinding(c.var.database, c.var.config, c.var.actor!, c.req.valid('param').id, body, clientIp(c)), 200);
  })
  .post('/:id/tasks', zParam(findingParams), zJson(createTaskBody), async (c) =>
    c.json(await createAdHocTask(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c), c.var.config.timeZone), 201),
  )
  .post('/:id/attachments', zParam(findingParams), uploadLimit, async (c) => {
    const upload = await formFile(c, '证据文件');
    const row = await addFindingAttachment(c.var.database, c.var.config, c.var.actor!, c.req.valid('param').id, upload, clientIp(c));
    return c.json(row, 201);
  });
