/**
 * Track shapes real field GPS produces and GEOS's buffer trips over, each through the middle of its
 * own ~1 km test square so its coverage is known: a meridian band 2 × swath wide.
 */
import { sql } from 'drizzle-orm';
import type { TestContext } from '../helpers/backends.ts';

/** A square area 0.011° × 0.009° (≈ 990 m × 1 km) with its south-west corner at lon, lat. */
export const squareWkt = (lon: number, lat: number) =>
  `MULTIPOLYGON(((${lon} ${lat},${lon + 0.011} ${lat},${lon + 0.011} ${lat + 0.009},${lon} ${lat + 0.009},${lon} ${lat})))`;

/** Deterministic pseudo-random numbers (Park–Miller), so a fixture is the same on every run. */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const fmt = (lon: number, lat: number) => `${lon.toFixed(7)} ${lat.toFixed(7)}`;

/**
 * A walk along the meridian `lon` from below the square to above it, standing still half-way: dozens
 * of fixes zig-zagging within a few centimetres (a receiver left on while officers talk to a villager),
 * written with the 7 decimals GPX files carry. PGlite's PostGIS answers no row when buffering this.
 */
export function stationaryJitter(lon: number, lat: number, seed = 7): string {
  const rnd = random(seed);
  const middle = lat + 0.0045;
  const points = [fmt(lon, lat - 0.005), fmt(lon, middle)];
  for (let i = 0; i < 60; i++) points.push(fmt(lon + (rnd() - 0.5) * 0.0000005, middle + (rnd() - 0.5) * 0.0000005));
  points.push(fmt(lon, lat + 0.014));
  return `MULTILINESTRING((${points.join(',')}))`;
}

/** Up through the square and back down over the same fixes, then up again with a few centimetres' jitter. */
export function doublingBack(lon: number, lat: number, seed = 11): string {
  const rnd = random(seed);
  const up: string[] = [];
  for (let i = 0; i <= 40; i++) up.push(fmt(lon, lat - 0.005 + (i * 0.019) / 40));
  const down = [...up].reverse();
  const again = up.map((p) => {
    const [x, y] = p.split(' ').map(Number) as [number, number];
    return fmt(x + (rnd() - 0.5) * 0.0000004, y + (rnd() - 0.5) * 0.0000004);
  });
  return `MULTILINESTRING((${[...up, ...down.slice(1), ...again.slice(1)].join(',')}))`;
}

/**
 * A track whose second segment is one fix logged twice a centimetre apart (the receiver switched on
 * and off at the square's centre), the first running well outside the square.
 */
export function onePointSegment(lon: number, lat: number): string {
  const cx = lon + 0.0055;
  const cy = lat + 0.0045;
  return `MULTILINESTRING((${fmt(lon - 0.03, lat - 0.03)},${fmt(lon - 0.02, lat - 0.03)}),(${fmt(cx, cy)},${fmt(cx + 0.0000001, cy)}))`;
}

/** Inserts a protected area for a test. */
export async function insertArea(ctx: TestContext, code: string, wkt: string) {
  await ctx.database.rows(sql`insert into protected_areas (code, name_zh, name_en, category, level, county_code, confidence, source, boundary_source, geom)
    values (${code}, ${`测试保护地 ${code}`}, ${code}, 'other', 'county', '370782', 'high', 'test fixture', 'test fixture', ST_GeomFromText(${wkt}, 4326))`);
}

/** Inserts a completed inspection by the given departments (codes) on one day; returns its id. */
export async function insertInspection(ctx: TestContext, title: string, day: string, departments: string[]): Promise<number> {
  const ids = await Promise.all(
    departments.map(async (code) => (await ctx.database.rows<{ id: number }>(sql`select id from departments where code = ${code}`))[0]!.id),
  );
  const [{ id }] = await ctx.database.rows<{ id: number }>(
    sql`insert into inspections (title, status, actual_start, actual_end, lead_department_id)
        values (${title}, 'completed', ${day}::date, ${day}::date, ${ids[0]}) returning id`,
  );
  for (const d of ids) await ctx.database.rows(sql`insert into inspection_departments (inspection_id, department_id) values (${id}, ${d})`);
  return id;
}

let files = 0;

/**
 * Stores a track of an inspection as the importer does (MultiLineString 4326); returns its id. Each
 * call is a different file (hash): the importer refuses the very same bytes twice in one inspection,
 * but the same track re-exported, or under another name, arrives again with the same geometry.
 */
export async function insertTrack(ctx: TestContext, inspectionId: number, wkt: string): Promise<number> {
  const [{ id }] = await ctx.database.rows<{ id: number }>(
    sql`insert into inspection_tracks (inspection_id, file_name, format, sha256, point_count, geom)
        values (${inspectionId}, 'field.gpx', 'gpx', ${`fixture-${++files}`}, 2, ST_GeomFromText(${wkt}, 4326)) returning id`,
  );
  return id;
}

/** The geodesic width of a test square at mid-height, in metres. */
export async function squareWidth(ctx: TestContext, lon: number, lat: number): Promise<number> {
  const [{ w }] = await ctx.database.rows<{ w: number }>(
    sql`select ST_Length(ST_GeomFromText(${`LINESTRING(${lon} ${lat + 0.0045},${lon + 0.011} ${lat + 0.0045})`}, 4326)::geography)::float8 as w`,
  );
  return w;
}
