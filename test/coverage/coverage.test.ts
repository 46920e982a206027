/**
 * Coverage arithmetic against hand-built fixtures with known answers: a square area with a straight
 * track through its middle covers 2 × swath of its width.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { periodRange } from '../../server/lib/clock.ts';
import { dueStatus } from '../../server/features/coverage/coverage.service.ts';
import { describeEachBackend, type TestContext } from '../helpers/backends.ts';

/** A ~1 km square at 119.60 E, 35.80 N (clear of every sample area) and a few inspections around it. */
async function buildFixtures(ctx: TestContext) {
  const run = (q: ReturnType<typeof sql>) => ctx.database.rows(q);
  const square = 'MULTIPOLYGON(((119.600 35.800,119.611 35.800,119.611 35.809,119.600 35.809,119.600 35.800)))';
  const pond = 'MULTIPOLYGON(((119.630 35.800,119.635 35.800,119.635 35.804,119.630 35.804,119.630 35.800)))';
  for (const [code, wkt] of [['T-SQUARE', square], ['T-POND', pond]]) {
    await run(sql`insert into protected_areas (code, name_zh, name_en, category, level, county_code, confidence, source, boundary_source, geom)
                  values (${code}, ${code}, ${code}, 'other', 'county', '370782', 'high', 'test fixture', 'test fixture', ST_GeomFromText(${wkt}, 4326))`);
  }
  const dep = async (code: string) => (await ctx.database.rows<{ id: number }>(sql`select id from departments where code = ${code}`))[0].id;
  const eco = await dep('eco');
  const nr = await dep('nr');
  const inspection = async (title: string, start: string, end: string, deps: number[], status = 'completed') => {
    const [{ id }] = await ctx.database.rows<{ id: number }>(
      sql`insert into inspections (title, status, actual_start, actual_end, lead_department_id)
          values (${title}, ${status}, ${start}::date, ${end}::date, ${deps[0]}) returning id`,
    );
    for (const d of deps) await run(sql`insert into inspection_departments (inspection_id, department_id) values (${id}, ${d})`);
    return id;
  };
  const track = (inspectionId: number, wkt: string) =>
    run(sql`insert into inspection_tracks (inspection_id, file_name, format, sha256, point_count, geom)
            values (${inspectionId}, 'fixture.gpx', 'gpx', 'x', 2, ST_GeomFromText(${wkt}, 4326))`);
  // Joint, on the last day of Q1: a meridian through the square's middle, running past both edges.
  const joint = await inspection('联合检查 Q1', '2026-03-31', '2026-03-31', [eco, nr]);
  await track(joint, 'MULTILINESTRING((119.6055 35.795,119.6055 35.814))');
  // One department only, in Q2: the same line again.
  const solo = await inspection('单部门巡查 Q2', '2026-04-02', '2026-04-03', [eco]);
  await track(solo, 'MULTILINESTRING((119.6055 35.795,119.6055 35.814))');
  // A planned inspection never counts, whatever its tracks.
  const planned = await inspection('计划中', '2026-04-10', '2026-04-10', [eco, nr], 'planned');
  await track(planned, 'MULTILINESTRING((119.601 35.795,119.601 35.814))');
  // Joint in Q2 with only a checkpoint inside the pond.
  const checkpointOnly = await inspection('联合检查 Q2 检查点', '2026-05-05', '2026-05-05', [eco, nr]);
  await run(sql`insert into inspection_checkpoints (inspection_id, name, geom) values (${checkpointOnly}, '塘边', ST_GeomFromText('POINT(119.632 35.802)', 4326))`);
}

describeEachBackend('coverage', (ctx) => {
  let widthM = 0;
  beforeAll(async () => {
    await buildFixtures(ctx());
    // The square's geodesic width at mid-height: the swath band covers 2 × swath of it.
    [{ w: widthM }] = await ctx().database.rows<{ w: number }>(
      sql`select ST_Length(ST_GeomFromText('LINESTRING(119.600 35.8045,119.611 35.8045)', 4326)::geography)::float8 as w`,
    );
  });
  const coverage = async (query: string) => {
    const res = await (await ctx().as('viewer'))(`/api/coverage${query}`);
    return { status: res.status, body: await res.json() };
  };
  const area = (body: { areas: { code: string; coverage: number }[] }, code: string) => body.areas.find((a) => a.code === code)!;

  it('counts 2 × swath of the width for a straight track through a square, geodesically', async () => {
    for (const swath of [10, 200, 450]) {
      const { body } = await coverage(`?period=2026-Q1&swath=${swath}`);
      expect(Math.abs(area(body, 'T-SQUARE').coverage - (2 * swath) / widthM), `swath ${swath}`).toBeLessThan(0.005);
    }
    const { body } = await coverage('?period=2026-Q1&swath=2000');
    expect(area(body, 'T-SQUARE').coverage).toBe(1);
  });

  it('judges visits, joint visits and period edges by the inspection dates', async () => {
    const q1 = (await coverage('?from=2026-01-01&to=2026-03-31')).body;
    expect(area(q1, 'T-SQUARE')).toMatchObject({ visited: true, joint: true, inspections: 1, lastVisit: '2026-03-31', lastJointVisit: '2026-03-31' });
    expect(area(q1, 'T-POND')).toMatchObject({ visited: false, joint: false, coverage: 0, lastVisit: null, daysSince: null, due: 'overdue' });

    const q2 = (await coverage('?period=2026-Q2')).body;
    // Only the single-department trip in Q2: visited, not jointly; the joint visit of 31 March still dates it.
    expect(area(q2, 'T-SQUARE')).toMatchObject({
      visited: true,
      joint: false,
      inspections: 1,
      lastVisit: '2026-04-03',
      lastJointVisit: '2026-03-31',
      daysSince: 88,
      due: 'due_soon',
    });
    expect(area(q2, 'T-POND')).toMatchObject({ visited: true, joint: true, coverage: 0, lastJointVisit: '2026-05-05', due: 'ok' });

    const dayAfter = (await coverage('?from=2026-04-01&to=2026-04-01')).body;
    expect(area(dayAfter, 'T-SQUARE')).toMatchObject({ visited: false, coverage: 0, lastVisit: '2026-03-31' });
  });

  it('totals the city and keeps the sample areas at zero without inspections', async () => {
    const { body } = await coverage('?period=2026-Q1');
    expect(body.totals).toEqual({ areas: 45, visited: 1, joint: 1, meanCoverage: expect.any(Number), overdue: 44 });
    expect(body.totals.meanCoverage).toBeCloseTo(area(body, 'T-SQUARE').coverage / 45, 3);
    expect(body).toMatchObject({ from: '2026-01-01', to: '2026-03-31', swath: 200, referenceDate: '2026-03-31' });
  });

  it('gives one area with its covered and uncovered parts', async () => {
    const res = await (await ctx().as('viewer'))('/api/coverage/T-SQUARE?period=2026-Q1&swath=200');
    const body = await res.json();
    expect(body.code).toBe('T-SQUARE');
    expect(body.covered.type).toBe('MultiPolygon');
    expect(body.uncovered.type).toBe('MultiPolygon');
    expect(body.uncovered.coordinates).toHaveLength(2); // west and east of the band
    const [{ share }] = await ctx().database.rows<{ share: number }>(
      sql`select (ST_Area(ST_GeomFromGeoJSON(${JSON.stringify(body.covered)})::geography) /
                  ST_Area((select geom from protected_areas where code = 'T-SQUARE')::geography))::float8 as share`,
    );
    expect(Math.abs(share - body.coverage)).toBeLessThan(0.001);
    expect((await (await ctx().as('viewer'))('/api/coverage/T-NONE?period=2026-Q1')).status).toBe(404);
  });

  it('counts distinct inspections per effort-grid cell', async () => {
    const res = await (await ctx().as('viewer'))('/api/coverage/grid?from=2026-03-01&to=2026-04-30');
    expect(res.headers.get('content-type')).toMatch(/geo\+json/);
    const grid = await res.json();
    const counts = grid.features.map((f: { properties: { count: number } }) => f.properties.count);
    // The 2.1 km line crosses 5–6 cells of 500 m; both inspections of the window follow it.
    expect(counts.length).toBeGreaterThanOrEqual(5);
    expect(counts.length).toBeLessThanOrEqual(6);
    expect(new Set(counts)).toEqual(new Set([2]));
    const q1Only = await (await (await ctx().as('viewer'))('/api/coverage/grid?period=2026-Q1')).json();
    expect(new Set(q1Only.features.map((f: { properties: { count: number } }) => f.properties.count))).toEqual(new Set([1]));
  });

  it('gives the tracks of a window for the map', async () => {
    const tracks = await (await (await ctx().as('viewer'))('/api/coverage/tracks?from=2026-03-01&to=2026-04-30')).json();
    expect(tracks.features.map((f: { properties: { joint: boolean } }) => f.properties.joint).sort()).toEqual([false, true]);
    expect(tracks.features[0].geometry.type).toBe('MultiLineString');
  });

  it('refuses a swath outside 10–2,000 m and malformed periods', async () => {
    const tooWide = await coverage('?swath=2001');
    expect(tooWide).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: '查询参数有误：swath', issues: [{ path: 'swath', message: 'swath 须在 10–2000 米之间' }] } },
    });
    expect((await coverage('?swath=9')).status).toBe(400);
    expect((await coverage('?period=2026-Q5')).body.error.issues[0].path).toBe('period');
    expect((await coverage('?from=2026-02-30&to=2026-03-01')).body.error.issues[0]).toEqual({ path: 'from', message: '日期须为 YYYY-MM-DD 格式的有效日期' });
    expect((await coverage('?from=2026-03-01&to=2026-02-01')).body.error.issues[0]).toEqual({ path: 'to', message: '结束日期不能早于开始日期' });
    expect((await coverage('?from=2026-03-01')).body.error.issues[0]).toEqual({ path: 'to', message: '起止日期须同时给出' });
  });

  it('refuses windows longer than three years and years outside 2000–2100, naming the field', async () => {
    const tooLong = await coverage('?from=2024-01-01&to=2027-01-01&swath=2000');
    expect(tooLong).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: '查询参数有误：to', issues: [{ path: 'to', message: '查询期间最长 3 年，请缩短起止日期' }] } },
    });
    expect((await coverage('?from=2024-01-01&to=2026-12-31')).status).toBe(200);
    expect((await coverage('?period=0050')).body.error.issues).toEqual([{ path: 'period', message: '期间须在 2000–2100 年之间' }]);
    expect((await coverage('?period=2101-Q1')).body.error.issues).toEqual([{ path: 'period', message: '期间须在 2000–2100 年之间' }]);
    expect((await coverage('?from=1999-12-31&to=2000-01-31')).body.error.issues).toEqual([{ path: 'from', message: '日期须在 2000–2100 年之间' }]);
    for (const path of ['/grid', '/tracks', '/T-SQUARE']) {
      const res = await (await ctx().as('viewer'))(`/api/coverage${path}?from=2020-01-01&to=2026-01-01`);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.issues[0].path).toBe('to');
    }
  });
});

describe('coverage periods and due status', () => {
  it('turns presets into date ranges', () => {
    expect(periodRange('2026')).toEqual(['2026-01-01', '2026-12-31']);
    expect(periodRange('2024-Q1')).toEqual(['2024-01-01', '2024-03-31']);
    expect(periodRange('2026-Q4')).toEqual(['2026-10-01', '2026-12-31']);
    expect(periodRange('2024-02')).toEqual(['2024-02-01', '2024-02-29']);
  });

  it('is overdue past the frequency, due soon in its last two weeks', () => {
    expect(dueStatus(null, 'quarter', '2026-06-30')).toBe('overdue');
    expect(dueStatus('2026-04-13', 'quarter', '2026-06-30')).toBe('ok'); // 78 days
    expect(dueStatus('2026-04-12', 'quarter', '2026-06-30')).toBe('due_soon'); // 79 days
    expect(dueStatus('2026-03-30', 'quarter', '2026-06-30')).toBe('due_soon'); // 92 days, the last allowed
    expect(dueStatus('2026-03-29', 'quarter', '2026-06-30')).toBe('overdue'); // 93 days
    expect(dueStatus('2025-12-01', 'year', '2026-06-30')).toBe('ok');
  });
});
