import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { countiesFeatureCollection } from './counties.sql.ts';

/** `/api/counties`: county-level divisions with their boundaries, for the basemap and filters. */
export const countiesRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const [row] = await c.var.database.rows<{ body: string }>(countiesFeatureCollection());
  return c.body(row.body, 200, { 'content-type': 'application/geo+json; charset=utf-8' });
});
