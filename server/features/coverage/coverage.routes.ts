import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { queryRows } from '../../db/backend.ts';
import { errorBody } from '../../lib/errors.ts';
import { zParam, zQuery } from '../../lib/validate.ts';
import { coverageParams, coverageQuery, gridQuery } from './coverage.schemas.ts';
import { coverageReport } from './coverage.service.ts';
import { areaCoverageGeometry, effortGrid, windowTracks } from './coverage.sql.ts';

/** `/api/coverage`: where the departments have, and have not, been (看覆盖). */
export const coverageRoutes = new Hono<AppEnv>()
  .get('/', zQuery(coverageQuery), async (c) => c.json(await coverageReport(c.var.database.db, c.req.valid('query')), 200))
  .get('/grid', zQuery(gridQuery), async (c) => {
    const [row] = await queryRows<{ body: string }>(c.var.database.db, effortGrid(c.req.valid('query')));
    return c.body(row.body, 200, { 'content-type': 'application/geo+json; charset=utf-8' });
  })
  .get('/tracks', zQuery(gridQuery), async (c) => {
    const [row] = await queryRows<{ body: string }>(c.var.database.db, windowTracks(c.req.valid('query')));
    return c.body(row.body, 200, { 'content-type': 'application/geo+json; charset=utf-8' });
  })
  .get('/:code', zParam(coverageParams), zQuery(coverageQuery), async (c) => {
    const { code } = c.req.valid('param');
    const w = c.req.valid('query');
    const report = await coverageReport(c.var.database.db, w, sql`a.code = ${code}`);
    if (report.areas.length === 0) return c.json(errorBody('not_found', `没有编码为 ${code} 的自然保护地`), 404);
    const [geometry] = await queryRows<{ covered: unknown; uncovered: unknown }>(c.var.database.db, areaCoverageGeometry(w, code));
    return c.json({ ...report.areas[0], from: report.from, to: report.to, swath: report.swath, referenceDate: report.referenceDate, ...geometry }, 200);
  });
