/**
 * Coverage of the tracks real field GPS produces: standing still (jitter), the same file imported
 * twice, walking back over one's own path, a segment of one fix. PGlite's PostGIS used to answer no
 * row for these and the report came back empty; every figure here is checked against its known value.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';
import {
  doublingBack,
  insertArea,
  insertInspection,
  insertTrack,
  onePointSegment,
  squareWidth,
  squareWkt,
  stationaryJitter,
} from './track-fixtures.ts';

const LAT = 35.8;
/** South-west corners of the test squares, 0.02° apart, clear of the sample areas (checked below). */
const corner = { 'T-JITTER': 119.64, 'T-DUP': 119.66, 'T-BACK': 119.68, 'T-DOT': 119.7, 'T-GONE': 119.72 } as const;
type Code = keyof typeof corner;
const meridian = (code: Code) => corner[code] + 0.0055;

interface AreaRow {
  code: string;
  visited: boolean;
  joint: boolean;
  coverage: number;
  inspections: number;
}

describeEachBackend('coverage of field tracks', (ctx) => {
  const width: Partial<Record<Code, number>> = {};
  let areaCount = 0;

  beforeAll(async () => {
    const c = ctx();
    for (const code of Object.keys(corner) as Code[]) {
      await insertArea(c, code, squareWkt(corner[code], LAT));
      width[code] = await squareWidth(c, corner[code], LAT);
    }
    const jitter = await insertInspection(c, '驻点核查（GPS 漂移）', '2026-02-10', ['eco', 'nr']);
    await insertTrack(c, jitter, stationaryJitter(meridian('T-JITTER'), LAT));
    // The same track imported twice into one inspection (exported again from the receiver).
    const dup = await insertInspection(c, '重复导入', '2026-02-11', ['eco']);
    await insertTrack(c, dup, stationaryJitter(meridian('T-DUP'), LAT, 3));
    await insertTrack(c, dup, stationaryJitter(meridian('T-DUP'), LAT, 3));
    const back = await insertInspection(c, '原路返回', '2026-02-12', ['eco', 'nr']);
    await insertTrack(c, back, doublingBack(meridian('T-BACK'), LAT));
    const dot = await insertInspection(c, '单点', '2026-02-13', ['eco']);
    await insertTrack(c, dot, onePointSegment(corner['T-DOT'], LAT));
    const gone = await insertInspection(c, '轨迹已删除', '2026-02-14', ['eco', 'nr']);
    const removed = await insertTrack(c, gone, stationaryJitter(meridian('T-GONE'), LAT));
    await c.database.rows(sql`update inspection_tracks set deleted_at = now() where id = ${removed}`);
    [{ n: areaCount }] = await c.database.rows<{ n: number }>(sql`select count(*)::int as n from protected_areas`);
  });

  const get = async (path: string) => {
    const res = await (await ctx().as('viewer'))(path);
    return { status: res.status, body: await res.json() };
  };
  const areaOf = (body: { areas: AreaRow[] }, code: Code) => body.areas.find((a) => a.code === code)!;

  it('uses squares that no sample area overlaps', async () => {
    const rows = await ctx().database.rows<{ code: string }>(
      sql`select b.code from protected_areas a join protected_areas b on a.code <> b.code and ST_Intersects(a.geom, b.geom)
          where a.code like 'T-%' order by b.code`,
    );
    expect(rows).toEqual([]);
  });

  it('counts a track that stands still half-way as the straight band it is', async () => {
    for (const swath of [50, 200]) {
      const { status, body } = await get(`/api/coverage?period=2026-Q1&swath=${swath}`);
      expect(status).toBe(200);
      expect(body.areas).toHaveLength(areaCount);
      const a = areaOf(body, 'T-JITTER');
      expect(a).toMatchObject({ visited: true, joint: true, inspections: 1 });
      expect(Math.abs(a.coverage - (2 * swath) / width['T-JITTER']!), `swath ${swath}`).toBeLessThan(0.005);
    }
  });

  it('counts the same file imported twice once, at its true share', async () => {
    const { body } = await get('/api/coverage?period=2026-Q1');
    const a = areaOf(body, 'T-DUP');
    expect(a).toMatchObject({ visited: true, joint: false, inspections: 1 });
    expect(Math.abs(a.coverage - 400 / width['T-DUP']!)).toBeLessThan(0.005);
  });

  it('counts a track that doubles back on itself as one band', async () => {
    const { body } = await get('/api/coverage?period=2026-Q1');
    const a = areaOf(body, 'T-BACK');
    expect(a).toMatchObject({ visited: true, joint: true, inspections: 1 });
    expect(Math.abs(a.coverage - 400 / width['T-BACK']!)).toBeLessThan(0.005);
  });

  it('counts a one-fix segment as a disc of the swath', async () => {
    const { body } = await get('/api/coverage?period=2026-Q1');
    const [{ area }] = await ctx().database.rows<{ area: number }>(
      sql`select ST_Area(geom::geography)::float8 as area from protected_areas where code = 'T-DOT'`,
    );
    // The buffer is a 16-gon (quad_segs=4) of radius 200 m: 8 r² sin(π/8).
    const disc = 8 * 200 ** 2 * Math.sin(Math.PI / 8);
    const a = areaOf(body, 'T-DOT');
    expect(a).toMatchObject({ visited: true, inspections: 1 });
    expect(Math.abs(a.coverage - disc / area)).toBeLessThan(0.003);
  });

  it('ignores soft-deleted tracks in every coverage answer', async () => {
    const { body } = await get('/api/coverage?period=2026-Q1');
    expect(areaOf(body, 'T-GONE')).toMatchObject({ visited: false, joint: false, coverage: 0, inspections: 0 });
    const detail = await get('/api/coverage/T-GONE?period=2026-Q1');
    expect(detail.status).toBe(200);
    expect(detail.body.covered.coordinates).toEqual([]);
    const tracks = await get('/api/coverage/tracks?period=2026-Q1');
    expect(tracks.body.features.map((f: { properties: { title: string } }) => f.properties.title)).not.toContain('轨迹已删除');
    const grid = await get('/api/coverage/grid?period=2026-Q1');
    const west = corner['T-GONE'];
    const inGone = grid.body.features.filter((f: { geometry: { coordinates: number[][][] } }) =>
      f.geometry.coordinates[0]!.every(([x]) => x! > west - 0.001 && x! < west + 0.012),
    );
    expect(inGone).toEqual([]);
    expect(body.totals.visited).toBe(body.areas.filter((a: AreaRow) => a.visited).length);
    expect(['T-JITTER', 'T-DUP', 'T-BACK', 'T-DOT'].every((code) => areaOf(body, code as Code).visited)).toBe(true);
  });

  it('gives the covered part of a jittery track’s area, matching its share', async () => {
    const { status, body } = await get('/api/coverage/T-JITTER?period=2026-Q1');
    expect(status).toBe(200);
    const [{ share }] = await ctx().database.rows<{ share: number }>(
      sql`select (ST_Area(ST_GeomFromGeoJSON(${JSON.stringify(body.covered)})::geography) /
                  ST_Area((select geom from protected_areas where code = 'T-JITTER')::geography))::float8 as share`,
    );
    expect(share).toBeGreaterThan(0.3);
    expect(Math.abs(share - body.coverage)).toBeLessThan(0.001);
  });
});
