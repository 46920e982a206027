import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { queryRows } from '../../db/backend.ts';
import { today } from '../../lib/clock.ts';
import { errorBody } from '../../lib/errors.ts';
import { zParam, zQuery } from '../../lib/validate.ts';
import { coverageParams, coverageQuery, gridQuery, resolveWindow } from './coverage.schemas.ts';
import { areaCoverageParts, CoverageFailure, coverageReport } from './coverage.service.ts';
import { effortGrid, windowTracks } from './coverage.sql.ts';

/** The database's own words for an error (drizzle wraps the driver's error, with the whole query, as `cause`). */
function rootMessage(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** Logs a coverage computation that failed (with the areas and window) before it is answered as a 500. */
async function logFailure<T>(c: Context<AppEnv>, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof CoverageFailure) {
      c.var.log.error('coverage computation failed', {
        path: c.req.path,
        backend: c.var.database.kind,
        areas: err.areas.map((a) => a.code),
        window: err.window,
        error: err.cause === null ? 'no row returned' : rootMessage(err.cause),
      });
    }
    throw err;
  }
}

/** `/api/coverage`: where the departments have, and have not, been (看覆盖). */
export const coverageRoutes = new Hono<AppEnv>()
  .get('/', zQuery(coverageQuery), async (c) => {
    const now = today(c.var.config.timeZone);
    const w = resolveWindow(c.req.valid('query'), now);
    return c.json(await logFailure(c, coverageReport(c.var.database.db, w, now)), 200);
  })
  .get('/grid', zQuery(gridQuery), async (c) => {
    const w = resolveWindow(c.req.valid('query'), today(c.var.config.timeZone));
    const [row] = await queryRows<{ body: string }>(c.var.database.db, effortGrid(w));
    return c.body(row.body, 200, { 'content-type': 'application/geo+json; charset=utf-8' });
  })
  .get('/tracks', zQuery(gridQuery), async (c) => {
    const w = resolveWindow(c.req.valid('query'), today(c.var.config.timeZone));
    const [row] = await queryRows<{ body: string }>(c.var.database.db, windowTracks(w));
    return c.body(row.body, 200, { 'content-type': 'application/geo+json; charset=utf-8' });
  })
  .get('/:code', zParam(coverageParams), zQuery(coverageQuery), async (c) => {
    const { code } = c.req.valid('param');
    const now = today(c.var.config.timeZone);
    const w = resolveWindow(c.req.valid('query'), now);
    const report = await logFailure(c, coverageReport(c.var.database.db, w, now, sql`a.code = ${code}`));
    if (report.areas.length === 0) return c.json(errorBody('not_found', `没有编码为 ${code} 的自然保护地`), 404);
    const { covered, uncovered } = await logFailure(c, areaCoverageParts(c.var.database.db, w, code));
    return c.json({ ...report.areas[0]!, from: report.from, to: report.to, swath: report.swath, referenceDate: report.referenceDate, covered, uncovered }, 200);
  });
