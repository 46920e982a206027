import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { isDatabaseUnavailable } from '../../db/backend.ts';
import { portalVersion } from '../../lib/version.ts';

/** `/api/health`: which backend, which version, and whether the database answers (503 when not). */
export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { database } = c.var;
  const base = { backend: database.kind, version: portalVersion };
  try {
    const [row] = await database.rows<{ postgres: string; postgis: string }>(
      sql`select current_setting('server_version') as postgres, postgis_lib_version() as postgis`,
    );
    return c.json({ status: 'ok' as const, ...base, database: { reachable: true, postgres: row.postgres, postgis: row.postgis } }, 200);
  } catch (err) {
    if (!isDatabaseUnavailable(err)) c.var.log.error('health check failed', { error: String(err) });
    return c.json({ status: 'unavailable' as const, ...base, database: { reachable: false } }, 503);
  }
});
