import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { errorBody } from '../../lib/errors.ts';
import { zParam, zQuery } from '../../lib/validate.ts';
import { getArea, listAreas } from './areas.queries.ts';
import { areaParams, listAreasQuery } from './areas.schemas.ts';

/** `/api/areas`: the protected areas as GeoJSON, with filters, and one area in detail. */
export const areasRoutes = new Hono<AppEnv>()
  .get('/', zQuery(listAreasQuery), async (c) => {
    const body = await listAreas(c.var.database, c.req.valid('query'));
    return c.body(body, 200, { 'content-type': 'application/geo+json; charset=utf-8' });
  })
  .get('/:code', zParam(areaParams), async (c) => {
    const { code } = c.req.valid('param');
    const body = await getArea(c.var.database, code);
    if (body === null) return c.json(errorBody('not_found', `没有编码为 ${code} 的自然保护地`), 404);
    return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' });
  });
