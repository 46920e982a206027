/** Spatial work for the generator, done in an in-memory PGlite + PostGIS so it matches the portal's SQL. */
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Geometry, MultiPolygon } from 'geojson';
import type { CountySource } from './sources.ts';
import type { Ring } from './shapes.ts';

/** Grid of the committed coordinates: 6 decimals (~0.1 m). Every stored geometry is snapped to it. */
export const GRID = 1e-6;

/** Opens an in-memory database with PostGIS enabled. */
export async function openPostgis(): Promise<PGlite> {
  const pg = new PGlite({ extensions: { postgis } });
  await pg.exec('create extension postgis');
  await pg.exec(`
    create table county (code text primary key, geom geometry(MultiPolygon, 4326), region geometry);
    create table weifang (geom geometry(MultiPolygon, 4326), region geometry);
    create table placed (code text, unit int, geom geometry(MultiPolygon, 4326), primary key (code, unit));
    create table work (key text primary key, geom geometry);
  `);
  return pg;
}

/**
 * Repairs the 12 county polygons as shipped (8 have self-intersecting rings) and derives the
 * regions boundaries are drawn into: each county shrunk by 60 m and lightly simplified, so clipped
 * outlines stay strictly inside it without inheriting its ~100 m stair-step vertices.
 */
export async function loadCounties(pg: PGlite, counties: CountySource[]): Promise<void> {
  for (const c of counties) {
    await pg.query(
      `insert into county (code, geom) values ($1,
         ST_Multi(ST_CollectionExtract(ST_ReducePrecision(
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)), 3)), $3), 3)))`,
      [c.code, JSON.stringify(c.geometry), GRID],
    );
  }
  await pg.query(`insert into weifang (geom) select ST_Multi(ST_Union(geom)) from county`);
  const inset = `ST_SimplifyPreserveTopology(ST_Buffer(geom::geography, -60)::geometry, 0.0002)`;
  await pg.exec(`update county set region = ${inset}; update weifang set region = ${inset};`);
}

/** County geometries as GeoJSON text, keyed by code. */
export async function countyGeoJson(pg: PGlite): Promise<Map<string, string>> {
  const r = await pg.query<{ code: string; gj: string }>(`select code, ST_AsGeoJSON(geom, 6) gj from county`);
  return new Map(r.rows.map((row) => [row.code, row.gj]));
}

/** Natural Earth land clipped to the basemap frame, as one MultiPolygon (GeoJSON text). */
export async function clipLand(pg: PGlite, land: Geometry, frame: [number, number, number, number]): Promise<string> {
  const r = await pg.query<{ gj: string }>(
    `select ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_ReducePrecision(
       ST_Intersection(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)), ST_MakeEnvelope($2, $3, $4, $5, 4326)),
       $6), 3)), 6) gj`,
    [JSON.stringify(land), ...frame, GRID],
  );
  return r.rows[0].gj;
}

export interface FitRequest {
  code: string;
  unit: number;
  /** county code whose region to draw into, or null for the whole of Weifang */
  countyCode: string | null;
  within: string | null;
  /** codes whose ground this area may share */
  partners: Set<string>;
  targetHa: number;
  /** ring at scale 1, in lon/lat, for a given scale factor */
  ringAt: (scale: number) => Ring;
}

export interface FitResult {
  scale: number;
  areaHa: number;
}

/** Gap kept between areas that do not share ground: comfortably above the 100 m the portal checks. */
const GAP_M = 150;

async function prepareWork(pg: PGlite, req: FitRequest): Promise<void> {
  await pg.exec(`delete from work`);
  const region = req.countyCode
    ? { sql: `select region from county where code = $1`, params: [req.countyCode] }
    : { sql: `select region from weifang`, params: [] };
  await pg.query(`insert into work select 'region', (${region.sql})`, region.params);
  if (req.within) {
    await pg.query(
      `update work set geom = ST_Intersection(geom, (select ST_Union(geom) from placed where code = $1)) where key = 'region'`,
      [req.within],
    );
  }
  // Everything already drawn that is not shared ground, grown by the gap, is off limits.
  await pg.query(
    `insert into work select 'forbidden', ST_Union(ST_Buffer(geom::geography, $2)::geometry)
       from placed where code <> all($1::text[]) or (code = $3 and unit <> $4)`,
    [[...req.partners, req.code], GAP_M, req.code, req.unit],
  );
}

const CUT_SQL = `
  with raw as (select ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) g),
  cut as (
    select ST_CollectionExtract(ST_Difference(
      ST_Intersection(raw.g, (select geom from work where key = 'region')),
      coalesce((select geom from work where key = 'forbidden'), ST_GeomFromText('POLYGON EMPTY', 4326))), 3) g
    from raw),
  parts as (select (ST_Dump(g)).geom p from cut),
  -- Clipping a strip at a county edge can leave a detached stub; a unit is one piece, so keep the largest.
  kept as (select p from parts order by ST_Area(p) desc limit 1),
  snapped as (select ST_Multi(ST_CollectionExtract(ST_ReducePrecision(ST_Collect(p), $2), 3)) g from kept)
  select g, coalesce(ST_Area(g::geography), 0) / 1e4 ha from snapped`;

async function cutArea(pg: PGlite, ring: Ring): Promise<number> {
  const gj = JSON.stringify({ type: 'Polygon', coordinates: [ring] });
  const r = await pg.query<{ ha: number }>(CUT_SQL, [gj, GRID]);
  return Number(r.rows[0]?.ha ?? 0);
}

/**
 * Scales an outline about its centre until, once clipped to its region and cut away from its
 * neighbours, its geodesic area hits the target (±0.3 %); stores the result in `placed`.
 */
export async function fitArea(pg: PGlite, req: FitRequest): Promise<FitResult> {
  const raw = await pg.query<{ valid: boolean; reason: string }>(
    `select ST_IsValid(g) valid, ST_IsValidReason(g) reason from (select ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) g) s`,
    [JSON.stringify({ type: 'Polygon', coordinates: [req.ringAt(1)] })],
  );
  if (!raw.rows[0].valid) throw new Error(`${req.code}/${req.unit}: drawn outline is invalid (${raw.rows[0].reason})`);
  await prepareWork(pg, req);
  const areaAt = (s: number) => cutArea(pg, req.ringAt(s));
  let lo = 0.2;
  let hi = 1;
  while ((await areaAt(hi)) < req.targetHa) {
    lo = hi;
    hi *= 1.35;
    if (hi > 8) throw new Error(`${req.code}/${req.unit}: cannot reach ${req.targetHa} ha inside its region; move or reshape it`);
  }
  let scale = hi;
  let areaHa = await areaAt(hi);
  for (let i = 0; i < 40 && Math.abs(areaHa / req.targetHa - 1) > 0.003; i++) {
    scale = (lo + hi) / 2;
    areaHa = await areaAt(scale);
    if (areaHa < req.targetHa) lo = scale;
    else hi = scale;
  }
  if (Math.abs(areaHa / req.targetHa - 1) > 0.01) {
    throw new Error(`${req.code}/${req.unit}: area jumps past ${req.targetHa} ha (got ${areaHa.toFixed(1)}); its region splits the outline, move or reshape it`);
  }
  const gj = JSON.stringify({ type: 'Polygon', coordinates: [req.ringAt(scale)] });
  await pg.query(`insert into placed select $3, $4, g from (${CUT_SQL}) s`, [gj, GRID, req.code, req.unit]);
  return { scale, areaHa };
}

/** The stored (possibly multi-unit) boundary of one area as GeoJSON text. */
export async function placedGeoJson(pg: PGlite, code: string): Promise<string> {
  const r = await pg.query<{ gj: string }>(
    `select ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_ReducePrecision(ST_Union(geom), $2), 3)), 6) gj from placed where code = $1`,
    [code, GRID],
  );
  return r.rows[0].gj;
}

export type ZoneName = 'core' | 'buffer' | 'experimental';

/**
 * Legacy functional zones of one area: core = area ∩ core outline; buffer = area within the core
 * outline grown plus a wider outline, minus core; experimental = the rest. All linework is noded
 * once on the output grid and polygonised, and each face is given to one zone, so the zones share
 * edges exactly; the area is rebuilt from the same faces so that the three zones tile it exactly.
 */
export async function zonesFor(pg: PGlite, code: string, coreRing: Ring, bufferRing: Ring, bufferWidthM: number): Promise<Record<ZoneName, MultiPolygon>> {
  const r = await pg.query<{ core: string; buffer: string; experimental: string }>(
    `with a as (select ST_Multi(ST_Union(geom)) g from placed where code = $1),
     s1 as (select ST_SetSRID(ST_GeomFromGeoJSON($2), 4326) g),
     s2 as (select ST_Union(ST_Buffer(s1.g::geography, $4)::geometry, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)) g from s1),
     lines as (select ST_UnaryUnion(ST_Collect(array[ST_Boundary(a.g), ST_Boundary(s1.g), ST_Boundary(s2.g)]), $5::float8) g from a, s1, s2),
     faces as (select (ST_Dump(ST_Polygonize(g))).geom f from lines),
     tagged as (
       select f, case when ST_Intersects(s1.g, p) then 'core' when ST_Intersects(s2.g, p) then 'buffer' else 'experimental' end zone
       from (select f, ST_PointOnSurface(f) p from faces) x, a, s1, s2 where ST_Intersects(a.g, x.p)),
     zones as (select zone, ST_Multi(ST_Union(f, $5::float8)) g from tagged group by zone),
     rebuilt as (update placed set geom = (select ST_Multi(ST_Union(f, $5::float8)) from tagged) where code = $1 returning 1)
     select (select ST_AsGeoJSON(g, 6) from zones where zone = 'core') core,
            (select ST_AsGeoJSON(g, 6) from zones where zone = 'buffer') buffer,
            (select ST_AsGeoJSON(g, 6) from zones where zone = 'experimental') experimental,
            (select count(*) from rebuilt) n`,
    [code, JSON.stringify({ type: 'Polygon', coordinates: [coreRing] }), JSON.stringify({ type: 'Polygon', coordinates: [bufferRing] }), bufferWidthM, GRID],
  );
  const row = r.rows[0];
  for (const zone of ['core', 'buffer', 'experimental'] as const) {
    if (!row[zone]) throw new Error(`${code}: zone ${zone} came out empty; adjust its outlines`);
  }
  return { core: JSON.parse(row.core), buffer: JSON.parse(row.buffer), experimental: JSON.parse(row.experimental) };
}
