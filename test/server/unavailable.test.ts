/** While the database cannot be reached the portal answers 503 with the standard body, not 500. */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openPostgres } from '../../server/db/backend.ts';
import { createLogger } from '../../server/lib/log.ts';
import { testConfig } from '../helpers/backends.ts';

describe('database unreachable', async () => {
  // Port 9 on loopback: nothing listens there, so every connection is refused at once.
  const database = await openPostgres('postgres://portal@127.0.0.1:9/portal', { max: 1 });
  const app = createApp({ database, config: testConfig(), log: createLogger('silent') });
  afterAll(() => database.close());

  it('reports itself unavailable on /api/health', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', backend: 'postgres', version: '0.1.0', database: { reachable: false } });
  });

  it('answers data requests with 503 and a retry hint', async () => {
    // With a session cookie, so the request must reach the database to be answered.
    const res = await app.request('/api/areas', { headers: { cookie: 'portal_session=abc' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'database_unavailable', message: '数据库暂时无法访问，请稍后重试' } });
  });
});
