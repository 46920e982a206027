/**
 * Schematic functional zones (示意分区) for one sample area of each category, written into
 * data/sample/zones.geojson after generate-sample.ts has written the nature reserves' zones:
 *   npx tsx data/scripts/generate-zones.ts
 * No official zoning map is bundled; every zone's `source` says it is schematic. The reserves keep the
 * core/buffer/experimental tiling generate-sample.ts draws; the marine special protected area's three
 * faces are given the zones of 海洋特别保护区管理办法 (重点保护区 inside, 生态与资源恢复区, 适度利用区);
 * a forest park, a wetland park, a geopark and a scenic area get rings around a point on their surface,
 * strictest zone innermost. Running it again gives the same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { GRID, openPostgis } from './lib/postgis.ts';

const OUT = fileURLToPath(new URL('../sample/', import.meta.url));

type ZoneProps = { areaCode: string; scheme: string; zone: string; source: string };

/** Areas that get ring zones: code → scheme and its zones, strictest (innermost) first. */
const ringed: Record<string, { scheme: string; zones: string[]; schemeZh: string }> = {
  'WF-PA-05': { scheme: 'forest_park', zones: ['core_scenic', 'eco_conservation', 'general_recreation', 'management_service'], schemeZh: '森林公园功能分区' },
  'WF-PA-17': { scheme: 'wetland_park', zones: ['wetland_conservation', 'restoration_rebuild', 'rational_use'], schemeZh: '湿地公园功能分区' },
  'WF-PA-38': { scheme: 'geopark', zones: ['grade_special', 'grade_1', 'grade_2', 'grade_3'], schemeZh: '地质遗迹分级保护区' },
  'WF-PA-42': { scheme: 'scenic_area', zones: ['grade_special', 'grade_1', 'grade_2', 'grade_3'], schemeZh: '风景名胜区分级保护区' },
};

/** The marine area's faces as generate-sample.ts draws them, renamed to its own scheme's zones. */
const marine: Record<string, Record<string, string>> = {
  'WF-PA-03': { core: 'key_protection', buffer: 'resource_restoration', experimental: 'moderate_use' },
};

const reserveSource = '示意分区：核心区取保护区轮廓中部、缓冲区环绕其外、其余为实验区，由门户生成，并非官方功能区划';
const marineSource = '示意分区：按《海洋特别保护区管理办法》的分区名称由门户生成（重点保护区居中、生态与资源恢复区环绕、其余为适度利用区），并非官方功能区划';
const ringSource = (schemeZh: string) => `示意分区：${schemeZh}按保护地轮廓由门户生成（最严格的区居中，向外逐级放宽），并非官方功能区划`;

const read = (f: string) => JSON.parse(readFileSync(join(OUT, f), 'utf8')) as FeatureCollection;
const areas = read('areas.geojson');
const existing = read('zones.geojson').features as Feature<MultiPolygon, ZoneProps>[];

const out: Feature<MultiPolygon, ZoneProps>[] = [];
for (const f of existing) {
  const p = f.properties;
  if (ringed[p.areaCode]) continue;
  const renamed = marine[p.areaCode];
  if (renamed && p.scheme === 'legacy') {
    out.push({ ...f, properties: { areaCode: p.areaCode, scheme: 'marine', zone: renamed[p.zone], source: marineSource } });
  } else {
    out.push({ ...f, properties: { ...p, source: p.source ?? (p.scheme === 'marine' ? marineSource : reserveSource) } });
  }
}

const pg = await openPostgis();
for (const [code, plan] of Object.entries(ringed)) {
  const area = areas.features.find((a) => a.properties?.code === code);
  if (!area) throw new Error(`${code} is not in areas.geojson`);
  const n = plan.zones.length;
  // Equal-area rings: radius fractions sqrt(k/n) of the area's equivalent radius, the last zone the rest.
  const fractions = Array.from({ length: n - 1 }, (_, k) => Math.sqrt((k + 1) / n) * 0.9);
  const { rows } = await pg.query<{ zone: number; geojson: string | null }>(
    `with a as (select ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) g),
          c as (select g, ST_PointOnSurface(g) p, sqrt(ST_Area(g::geography) / pi()) r from a),
          discs as (select k, ST_Intersection(g, ST_Buffer(p::geography, r * f)::geometry) d
                    from c, unnest($2::float8[]) with ordinality as x(f, k)),
          parts as (
            select k, ST_Difference(d, coalesce((select ST_Union(d2.d) from discs d2 where d2.k < discs.k), ST_SetSRID('POLYGON EMPTY'::geometry, 4326))) part from discs
            union all
            select $3::int, ST_Difference(g, (select ST_Union(d) from discs)) from c)
     select k::int as zone, ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_ReducePrecision(part, $4)), 3)), 6) as geojson
     from parts order by k`,
    [JSON.stringify(area.geometry), fractions, n, GRID],
  );
  for (const r of rows) {
    const geometry = r.geojson ? (JSON.parse(r.geojson) as MultiPolygon) : null;
    if (!geometry || geometry.coordinates.length === 0) throw new Error(`${code}: zone ${plan.zones[r.zone - 1]} came out empty`);
    out.push({ type: 'Feature', properties: { areaCode: code, scheme: plan.scheme, zone: plan.zones[r.zone - 1], source: ringSource(plan.schemeZh) }, geometry });
  }
}
await pg.close();

out.sort((a, b) => a.properties.areaCode.localeCompare(b.properties.areaCode));
const body = out.map((f) => JSON.stringify(f)).join(',\n');
writeFileSync(join(OUT, 'zones.geojson'), `{"type":"FeatureCollection","features":[\n${body}\n]}\n`);
console.log(`zones.geojson: ${out.length} zones in ${new Set(out.map((f) => f.properties.areaCode)).size} areas`);
