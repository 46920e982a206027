/**
 * When the geometry engine still fails on a track, coverage answers a 500 naming the area and logs
 * it: never a 200 that reads as "nobody inspected". The failure is provoked by swapping the swath
 * function this file's fresh database uses.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Logger } from '../../server/lib/log.ts';
import { client, signIn } from '../helpers/auth.ts';
import { describeEachBackend, testConfig } from '../helpers/backends.ts';
import { insertArea, insertInspection, insertTrack, squareWidth, squareWkt, stationaryJitter } from './track-fixtures.ts';

const LAT = 35.8;
const JITTER = 119.64;
const PLAIN = 119.66;

/** Raises what PostGIS raises when GEOS gives up, for any track with many vertices (the jittery one). */
const failingSwath = sql.raw(`
  create or replace function coverage_swath(track geometry, swath float8) returns geometry language plpgsql as $$
  begin
    if ST_NPoints(track) > 30 then
      raise exception 'GEOSBuffer: TopologyException: side location conflict (simulated)' using errcode = 'XX000';
    end if;
    return ST_Transform(ST_Buffer(ST_Transform(track, 32650), swath, 'quad_segs=4'), 4326);
  end $$`);

/** The buffer as it was before migration 0010: no clean-up of jitter. */
const uncleanedSwath = sql.raw(`
  create or replace function coverage_swath(track geometry, swath float8) returns geometry language sql as $$
    select ST_Buffer(track::geography, swath, 'quad_segs=4')::geometry $$`);

describeEachBackend('coverage failures', (ctx) => {
  const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = { debug() {}, info() {}, warn() {}, error: (msg, fields) => logged.push({ msg, fields }) };
  let request: ReturnType<typeof client>;
  let width = 0;

  beforeAll(async () => {
    const c = ctx();
    await insertArea(c, 'T-JITTER', squareWkt(JITTER, LAT));
    await insertArea(c, 'T-PLAIN', squareWkt(PLAIN, LAT));
    const jitter = await insertInspection(c, '驻点核查', '2026-02-10', ['eco', 'nr']);
    await insertTrack(c, jitter, stationaryJitter(JITTER + 0.0055, LAT));
    const plain = await insertInspection(c, '直线巡查', '2026-02-11', ['eco', 'nr']);
    await insertTrack(c, plain, `MULTILINESTRING((${PLAIN + 0.0055} 35.795,${PLAIN + 0.0055} 35.814))`);
    width = await squareWidth(c, JITTER, LAT);
    const app = createApp({ database: c.database, config: testConfig(), log });
    request = client(app, await signIn(app, 'viewer'));
  });

  const get = async (path: string) => {
    const res = await request(path);
    return { status: res.status, body: await res.json() };
  };

  it('answers 500 naming the area the engine failed on, and logs it', async () => {
    await ctx().database.rows(failingSwath);
    logged.length = 0;
    const report = await get('/api/coverage?period=2026-Q1');
    expect(report).toEqual({
      status: 500,
      body: {
        error: {
          code: 'coverage_failed',
          message: '无法计算测试保护地 T-JITTER（T-JITTER）在 2026-01-01 至 2026-03-31 的巡查覆盖，已记录，请联系管理员检查其轨迹',
        },
      },
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: 'coverage computation failed',
      fields: { areas: ['T-JITTER'], window: { from: '2026-01-01', to: '2026-03-31', swath: 200 }, error: expect.stringMatching(/TopologyException/) },
    });
    expect((await get('/api/coverage/T-JITTER?period=2026-Q1')).body.error.code).toBe('coverage_failed');
    // An area the failure does not touch is still answered, and a missing one is still a 404.
    const plain = await get('/api/coverage/T-PLAIN?period=2026-Q1');
    expect(plain.status).toBe(200);
    expect(plain.body.coverage).toBeGreaterThan(0.39);
    expect((await get('/api/coverage/T-NONE?period=2026-Q1')).status).toBe(404);
  });

  it('treats a statement that ends with no rows as a failure, not as an empty report', async () => {
    await ctx().database.rows(uncleanedSwath);
    logged.length = 0;
    const report = await get('/api/coverage?period=2026-Q1');
    if (ctx().kind === 'pglite') {
      // PGlite's PostGIS ends the buffer of a jittery track with no row and no error.
      expect(report.status).toBe(500);
      expect(report.body.error.code).toBe('coverage_failed');
      expect(report.body.error.message).toContain('T-JITTER');
      expect(report.body.error.message).not.toContain('T-PLAIN');
      expect(logged[0]).toMatchObject({ msg: 'coverage computation failed', fields: { areas: ['T-JITTER'], error: 'no row returned' } });
    } else {
      // PostgreSQL's GEOS buffers the same track.
      expect(report.status).toBe(200);
      const a = report.body.areas.find((r: { code: string }) => r.code === 'T-JITTER');
      expect(Math.abs(a.coverage - 400 / width)).toBeLessThan(0.005);
      expect(logged).toEqual([]);
    }
  });
});
