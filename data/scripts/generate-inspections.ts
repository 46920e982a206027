/**
 * Builds data/sample/inspections.json: two years (2025-01-01 to "today", 2026-11-20, plus the plans
 * for the rest of 2026) of invented joint inspections of the 43 sample areas, with GPS tracks and
 * checkpoints, then reads the file back and verifies it. Deterministic: same inputs give a
 * byte-identical file. Run with `npx tsx data/scripts/generate-inspections.ts` (npm run data:inspections).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import { epochToShanghai, quarterOf, utcStamp } from './inspections/calendar.ts';
import type { LonLat } from './inspections/paths.ts';
import { departmentShort, roster } from './inspections/people.ts';
import { AREA_LABELS, CIRCUITS, PARTIAL_REACH, SEED, TODAY } from './inspections/plan.ts';
import { schedule, type Trip } from './inspections/schedule.ts';
import { team, type Department } from './inspections/teams.ts';
import { fieldDay, type AreaInfo, type World } from './inspections/tracks.ts';
import { verifyInspections, type InspectionRecord } from './inspections/verify.ts';
import { hashSeed, prng } from './lib/shapes.ts';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = join(DATA, 'sample');
const OUT = join(SAMPLE, 'inspections.json');
const NOTE = 'Sample data: joint inspections, GPS tracks, checkpoints and people are schematic, invented for demonstration; not real inspections. Tracks are drawn over the schematic area boundaries (示意边界).';

const readFc = <T extends Feature<Geometry | null>>(name: string) => (JSON.parse(readFileSync(join(SAMPLE, name), 'utf8')) as FeatureCollection).features as T[];

// The map: areas, counties (for the inside-Weifang test and county seats), shared ground, departments.
const areaFeatures = readFc<Feature<MultiPolygon>>('areas.geojson');
const areas = new Map<string, AreaInfo>(areaFeatures.map((f) => {
  const p = f.properties!;
  return [p.code, {
    code: p.code, category: p.category, countyCode: p.countyCode, ha: turf.area(f) / 1e4, feature: f,
    bbox: turf.bbox(f) as [number, number, number, number],
  }];
}));
for (const code of areas.keys()) if (!AREA_LABELS[code] || !CIRCUITS.flat().includes(code)) throw new Error(`${code}: no label or circuit`);
const counties = readFc<Feature<MultiPolygon | null>>('counties.geojson');
const shapes = counties.flatMap((c) => (c.geometry ? [{ f: c as Feature<MultiPolygon>, bbox: turf.bbox(c.geometry) }] : []));
const inWeifang = ([x, y]: LonLat) =>
  shapes.some(({ f, bbox }) => x >= bbox[0] && x <= bbox[2] && y >= bbox[1] && y <= bbox[3] && turf.booleanPointInPolygon([x, y], f));
const seats = new Map(counties.map((c) => [c.properties!.code as string, c.properties!.seat as LonLat]));
const shared = JSON.parse(readFileSync(join(SAMPLE, 'shared-ground.json'), 'utf8')) as [string, string][];
const partners = (code: string) => new Set(shared.filter((p) => p.includes(code)).flat().filter((c) => c !== code));
const world: World = { areas, inWeifang, partners, seatOf: (c) => seats.get(c)! };
const departments = JSON.parse(readFileSync(join(SAMPLE, 'departments.json'), 'utf8')) as Department[];
const people = roster(departments.map((d) => d.code), (c) => (c === 'eco' || c === 'nr' ? 5 : 3), SEED);
const deptName = new Map(departments.map((d) => [d.code, departmentShort(d.nameZh)]));

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const quarterZh = (q: string) => `${q.slice(0, 4)}年第${'一二三四'[Number(q.slice(6)) - 1]}季度`;
const listZh = (items: string[]) => items.join('、');

/** Title in the office's usual form: 2026年第二季度峡山湖国家湿地公园联合检查. */
function titleOf(trip: Trip): string {
  const names = listZh(trip.areas.map((a) => AREA_LABELS[a].short));
  if (trip.circuit < 0) return `${trip.day.slice(0, 4)}年${Number(trip.day.slice(5, 7))}月${names}日常巡护`;
  return `${quarterZh(trip.quarter)}${names}${trip.joint ? '联合检查' : '巡查'}`;
}

// Trips in date order (circuit order breaks ties) so keys number through each quarter.
const trips = schedule(prng(hashSeed(`${SEED}:schedule`)))
  .sort((a, b) => a.day.localeCompare(b.day) || a.circuit - b.circuit || a.areas[0].localeCompare(b.areas[0]));
const perQuarter = new Map<string, number>();
const records: InspectionRecord[] = trips.map((trip) => {
  const n = (perQuarter.get(trip.quarter) ?? 0) + 1;
  perQuarter.set(trip.quarter, n);
  const key = `${quarterOf(trip.day)}-${String(n).padStart(3, '0')}`;
  const rand = prng(hashSeed(`${SEED}:${key}:${trip.areas.join('+')}`));
  const first = areas.get(trip.areas[0])!;
  const crew = team({ joint: trip.joint, areas: trip.areas, categories: trip.areas.map((a) => areas.get(a)!.category), countyCode: first.countyCode }, departments, people, rand);
  const base = {
    key,
    title: titleOf(trip),
    status: trip.status,
    plannedStart: trip.plannedStart,
    plannedEnd: trip.plannedEnd,
    actualStart: trip.status === 'planned' ? null : trip.day,
    actualEnd: trip.status === 'completed' ? trip.day : null,
    leadDepartment: crew.lead,
    departments: crew.departments,
    members: crew.members,
    areaCodes: trip.areas,
  };
  if (trip.status === 'planned') return { ...base, summary: null, tracks: [], checkpoints: [] };

  const day = fieldDay(world, trip, rand);
  const who = listZh(crew.departments.map((d) => deptName.get(d)!));
  const where = listZh(trip.areas.map((a) => AREA_LABELS[a].short));
  const km = day.walkedKm.toFixed(1);
  const summary = trip.status === 'in_progress'
    ? `检查进行中：已完成${AREA_LABELS[trip.areas[0]].short}部分区域步行巡查约${km}公里，其余待续。`
    : trip.joint
      ? `${who}联合对${where}开展检查，步行巡查约${km}公里，检查点${day.checkpoints.length}处。${day.findingSummary}`
      : `${who}对${where}开展${trip.circuit < 0 ? '日常巡护' : '巡查'}，步行约${km}公里。${day.findingSummary}`;
  // The last day's end is the actual end; multi-day trips do not occur, so it equals the start.
  if (trip.status === 'completed') {
    const lastFix = day.tracks[day.tracks.length - 1].fixes.at(-1)!;
    base.actualEnd = epochToShanghai(lastFix.t).date;
  }
  return {
    ...base,
    summary,
    tracks: day.tracks.map((t) => ({
      fileName: t.fileName,
      format: t.format,
      coordinates: t.fixes.map((f) => [round6(f.p[0]), round6(f.p[1])] as [number, number]),
      times: t.fixes.map((f) => utcStamp(f.t)),
    })),
    checkpoints: day.checkpoints.map((c) => ({ name: c.name, note: c.note, lon: round6(c.p[0]), lat: round6(c.p[1]), time: utcStamp(c.t) })),
  };
});

// One inspection per line, fixed key order: a changed inspection is a one-line diff.
writeFileSync(OUT, `{"note":${JSON.stringify(NOTE)},"inspections":[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`);

const small = [...areas.values()].filter((a) => a.ha < 500 && !PARTIAL_REACH[a.code]).map((a) => a.code);
const report = verifyInspections(OUT, world, new Set(departments.map((d) => d.code)), {
  maxBytes: 2.5 * 1024 * 1024,
  count: [120, 200],
  maxSpeedKmh: 80,
  walkingInside: 0.8,
  hours: [7.5 * 3600, 18.5 * 3600],
}, small, Object.keys(PARTIAL_REACH));

console.table(report.rows);
console.log(`inspections: ${records.length} (${records.filter((r) => r.status === 'completed').length} completed, ${records.filter((r) => r.status === 'in_progress').length} in progress, ${records.filter((r) => r.status === 'planned').length} planned; "today" is ${TODAY})`);
console.log(`joint (≥ 2 departments): ${(100 * report.jointShare).toFixed(0)} %; track points: ${report.points}; file: ${(report.bytes / 1024 / 1024).toFixed(2)} MB`);
console.log(`${report.coverage.quarter} coverage within 200 m of tracks: small areas ${(100 * report.coverage.small).toFixed(0)} % on average, partly reached large areas ${(100 * report.coverage.partial).toFixed(0)} %`);
if (report.violations.length > 0) {
  console.error(`\ninspections FAILED ${report.violations.length} check(s):\n  ${report.violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`inspections written to ${OUT} and verified`);
