/**
 * Checks the written sample files against the contract the seeder and tests rely on, in PostGIS.
 * Reads the files back from disk so what is checked is exactly what is committed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Feature, FeatureCollection } from 'geojson';

export interface Expectation {
  countyCodes: string[];
  areaCodes: string[];
  targetHa: Map<string, number>;
  sharedGround: [string, string][];
  zonedAreas: string[];
}

const MIN_GAP_M = 100;
const VERTICES = { min: 40, max: 200 };
/** Shared ground must be a real overlap: at least this share of the smaller area. */
const MIN_SHARED = 0.1;
/** Slack for overlay arithmetic at the 6-decimal grid when comparing zone tilings (m²). */
const TILE_EPS_M2 = 1;

function readFc(dir: string, name: string): Feature[] {
  return (JSON.parse(readFileSync(join(dir, name), 'utf8')) as FeatureCollection).features;
}

/** Runs every check; returns the list of violations (empty when the sample data is sound). */
export async function verifySample(pg: PGlite, dir: string, exp: Expectation): Promise<string[]> {
  const bad: string[] = [];
  await pg.exec(`
    drop table if exists v_county, v_area, v_zone, v_land;
    create table v_county (code text, geom geometry);
    create table v_area (code text, county_code text, target_ha float8, geom geometry);
    create table v_zone (area_code text, zone text, geom geometry);
    create table v_land (geom geometry);`);
  const geom = `ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)`;

  const counties = readFc(dir, 'counties.geojson');
  const countyCodes = counties.map((f) => String(f.properties?.code));
  if (countyCodes.join() !== exp.countyCodes.join()) bad.push(`counties.geojson: codes/order ${countyCodes.join()} ≠ ${exp.countyCodes.join()}`);
  for (const f of counties) {
    const p = f.properties ?? {};
    const isZone = p.kind === 'functional_zone';
    if (isZone !== (f.geometry === null)) bad.push(`counties.geojson ${p.code}: geometry must be null exactly for functional zones`);
    if (f.geometry) await pg.query(`insert into v_county values ($1, ${geom})`, [p.code, JSON.stringify(f.geometry)]);
  }

  const areas = readFc(dir, 'areas.geojson');
  const codes = areas.map((f) => String(f.properties?.code));
  if (codes.join() !== exp.areaCodes.join()) bad.push(`areas.geojson: codes/order differ from the reference CSV`);
  for (const f of areas) {
    const p = f.properties ?? {};
    if (!countyCodes.includes(String(p.countyCode))) bad.push(`${p.code}: countyCode ${p.countyCode} not in counties.geojson`);
    if (p.boundarySchematic !== true) bad.push(`${p.code}: boundarySchematic must be true`);
    if (p.establishedOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(String(p.establishedOn))) bad.push(`${p.code}: establishedOn ${p.establishedOn}`);
    await pg.query(`insert into v_area values ($1, $3, $4, ${geom})`, [p.code, JSON.stringify(f.geometry), p.countyCode, exp.targetHa.get(String(p.code))]);
  }

  for (const f of readFc(dir, 'zones.geojson')) {
    await pg.query(`insert into v_zone values ($1, $3, ${geom})`, [f.properties?.areaCode, JSON.stringify(f.geometry), f.properties?.zone]);
  }
  const land = readFc(dir, 'land.geojson');
  if (land.length !== 1) bad.push(`land.geojson: ${land.length} features, expected 1`);
  for (const f of land) await pg.query(`insert into v_land values (${geom.replace('$2', '$1')})`, [JSON.stringify(f.geometry)]);

  const shared = JSON.parse(readFileSync(join(dir, 'shared-ground.json'), 'utf8')) as [string, string][];
  if (JSON.stringify(shared) !== JSON.stringify(exp.sharedGround)) bad.push('shared-ground.json differs from the designed list');

  const q = async (sql: string, what: (r: Record<string, unknown>) => string) => {
    for (const row of (await pg.query<Record<string, unknown>>(sql)).rows) bad.push(what(row));
  };
  const mp = `GeometryType(geom) <> 'MULTIPOLYGON' or not ST_IsValid(geom) or ST_IsEmpty(geom)`;
  await q(`select code, ST_IsValidReason(geom) r from v_county where ${mp}`, (r) => `county ${r.code}: not a valid MultiPolygon (${r.r})`);
  await q(`select a.code ac, b.code bc from v_county a join v_county b on a.code < b.code and ST_Intersects(a.geom, b.geom)
           where ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`, (r) => `counties ${r.ac} and ${r.bc} overlap`);
  await q(`select 'land' x from v_land where ${mp} or not ST_CoveredBy(geom, ST_MakeEnvelope(116.5, 34.5, 121.5, 38.5, 4326))`, () => 'land.geojson: invalid or outside its frame');

  // Areas: validity, shape detail, size, placement.
  await q(`select code, ST_IsValidReason(geom) r from v_area where ${mp}`, (r) => `${r.code}: not a valid MultiPolygon (${r.r})`);
  await q(`with rings as (select code, ST_NPoints(r.geom) n from v_area, ST_Dump(geom) d, ST_DumpRings(d.geom) r)
           select code, min(n) lo, max(n) hi from rings group by code having min(n) < ${VERTICES.min} or max(n) > ${VERTICES.max}`,
    (r) => `${r.code}: ring vertex counts ${r.lo}..${r.hi} outside ${VERTICES.min}..${VERTICES.max}`);
  await q(`select code, round(ST_Area(geom::geography)::numeric / 1e4, 1) ha, target_ha from v_area
           where abs(ST_Area(geom::geography) / 1e4 / target_ha - 1) > 0.05`, (r) => `${r.code}: ${r.ha} ha is not within ±5 % of ${r.target_ha} ha`);
  await q(`select code from v_area where not ST_CoveredBy(geom, (select ST_Union(geom) from v_county))`, (r) => `${r.code}: not inside Weifang`);
  await q(`select a.code, a.county_code from v_area a join v_county c on c.code = a.county_code where not ST_CoveredBy(a.geom, c.geom)`,
    (r) => `${r.code}: not inside its county ${r.county_code}`);

  // Overlaps: exactly the designed pairs, each substantial; everyone else kept apart.
  const pairs = new Set(exp.sharedGround.map(([a, b]) => [a, b].sort().join('|')));
  const rows = (await pg.query<{ a: string; b: string; shared: number; smaller: number; gap: boolean }>(
    `select a.code a, b.code b,
            coalesce(ST_Area(ST_Intersection(a.geom, b.geom)::geography), 0) shared,
            least(ST_Area(a.geom::geography), ST_Area(b.geom::geography)) smaller,
            not ST_DWithin(a.geom::geography, b.geom::geography, ${MIN_GAP_M}) gap
     from v_area a join v_area b on a.code < b.code
     where ST_DWithin(a.geom::geography, b.geom::geography, ${MIN_GAP_M}) or ST_Intersects(a.geom, b.geom)
     order by a.code, b.code`)).rows;
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.a}|${r.b}`;
    if (pairs.has(key)) {
      seen.add(key);
      if (r.shared < MIN_SHARED * r.smaller) bad.push(`${r.a} × ${r.b}: shared ground is only ${(r.shared / 1e4).toFixed(1)} ha`);
    } else {
      bad.push(`${r.a} × ${r.b}: not designed to share ground but ${r.shared > 0 ? `overlap ${(r.shared / 1e4).toFixed(2)} ha` : `are closer than ${MIN_GAP_M} m`}`);
    }
  }
  for (const key of pairs) if (!seen.has(key)) bad.push(`${key.replace('|', ' × ')}: designed to share ground but do not overlap`);

  // Zones: three valid, non-empty parts per zoned area that tile it.
  await q(`select area_code, zone from v_zone where ${mp}`, (r) => `zone ${r.area_code}/${r.zone}: not a valid, non-empty MultiPolygon`);
  const zoneList = (await pg.query<{ area_code: string; zones: string }>(
    `select area_code, string_agg(zone, ',' order by zone) zones from v_zone group by area_code order by area_code`)).rows;
  if (zoneList.map((z) => z.area_code).join() !== [...exp.zonedAreas].sort().join()) bad.push(`zones.geojson: areas ${zoneList.map((z) => z.area_code).join()}`);
  for (const z of zoneList) if (z.zones !== 'buffer,core,experimental') bad.push(`zones of ${z.area_code}: ${z.zones}`);
  await q(`select a.area_code, a.zone za, b.zone zb from v_zone a join v_zone b on a.area_code = b.area_code and a.zone < b.zone
           where ST_Relate(a.geom, b.geom, '2********') or ST_Area(ST_Intersection(a.geom, b.geom)::geography) > ${TILE_EPS_M2}`,
    (r) => `zones ${r.za} and ${r.zb} of ${r.area_code} overlap`);
  await q(`with u as (select area_code, ST_Union(geom) g from v_zone group by area_code)
           select u.area_code, ST_Area(ST_SymDifference(u.g, a.geom)::geography) diff from u join v_area a on a.code = u.area_code
           where ST_Area(ST_SymDifference(u.g, a.geom)::geography) > ${TILE_EPS_M2}`,
    (r) => `zones of ${r.area_code} do not tile the area (difference ${Number(r.diff).toFixed(1)} m²)`);
  return bad;
}
