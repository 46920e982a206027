import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { isDatabaseUnavailable } from '../../db/backend.ts';
import { portalVersion } from '../../lib/version.ts';

/**
 * `/api/health`: which backend, which version, and whether the database answers (503 when not). The
 * probe never waits behind the request pool, so a saturated pool cannot make health look dead.
 */
export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { database } = c.var;
  const base = { backend: database.kind, version: portalVersion };
  const state = await database.health().catch((err: unknown) => {
    if (!isDatabaseUnavailable(err)) c.var.log.error('health check failed', { error: String(err) });
    return { reachable: false as const };
  });
  if (state.reachable) {
    return c.json({ status: 'ok' as const, ...base, database: { reachable: true as const, postgres: state.postgres, postgis: state.postgis } }, 200);
  }
  return c.json({ status: 'unavailable' as const, ...base, database: { reachable: false as const } }, 503, { 'retry-after': '5' });
});
