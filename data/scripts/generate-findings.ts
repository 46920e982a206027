/**
 * Builds data/sample/findings.json: about 150 invented findings (问题) in the 43 sample areas, from
 * 2024-01 to "today" (2026-11-20), each with its whole rectification history, then reads the file back
 * and verifies it. Deterministic: same inputs give a byte-identical file. Run with
 * `npx tsx data/scripts/generate-findings.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import type { SampleFinding, SampleStep } from '../../server/db/seed-findings.ts';
import { closingConditions, type ApprovalStatus } from '../../server/features/findings/closing-conditions.ts';
import type { RectificationMeasure } from '../../server/features/findings/workflow.ts';
import type { FindingCategory, FindingState } from '../../server/lib/vocabulary.ts';
import { buildHistory, type Cast, type Slot } from './findings/history.ts';
import { inside, muOf, patchIn, pointIn, type Shape } from './findings/places.ts';
import * as plan from './findings/plan.ts';
import * as words from './findings/texts.ts';
import { verifyFindings, type World } from './findings/verify.ts';
import { addDays, shanghaiToEpoch, utcStamp } from './inspections/calendar.ts';
import { AREA_LABELS } from './inspections/plan.ts';
import { hashSeed, prng } from './lib/shapes.ts';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = join(DATA, 'sample');
const OUT = join(SAMPLE, 'findings.json');
const NOTE =
  'Sample data: findings, their histories, plans, notes and evidence file names are invented for demonstration; they describe no real case. Locations are drawn inside the schematic area boundaries (示意边界). 示例数据，非真实问题。';

// ---- The map and the people -----------------------------------------------------------------------

const readFc = (name: string) => (JSON.parse(readFileSync(join(SAMPLE, name), 'utf8')) as FeatureCollection).features;
const areas = readFc('areas.geojson').map((f) => ({
  code: f.properties!.code as string,
  category: f.properties!.category as string,
  countyCode: f.properties!.countyCode as string,
  establishedOn: (f.properties!.establishedOn as string | null) ?? null,
  shape: f as Shape,
  bbox: turf.bbox(f),
}));
const zones = readFc('zones.geojson').map((f) => ({ area: f.properties!.areaCode as string, zone: f.properties!.zone as keyof typeof words.ZONE_ZH, shape: f as Shape }));
const departments = JSON.parse(readFileSync(join(SAMPLE, 'departments.json'), 'utf8')) as { code: string; county: string | null; kind: string }[];
const inspections = (
  JSON.parse(readFileSync(join(SAMPLE, 'inspections.json'), 'utf8')) as {
    inspections: { key: string; title: string; status: string; actualStart: string | null; departments: string[]; areaCodes: string[]; tracks: { coordinates: [number, number][] }[] }[];
  }
).inspections;
const world: World = { areas, zones, departments: new Set(departments.map((d) => d.code)), inspections };

const byCounty = (kind: string, county: string) => departments.find((d) => d.kind === kind && d.county === county)?.code;
const rand = prng(hashSeed(`${plan.SEED}:plan`));
const pickFrom = <T>(items: readonly T[], r = rand) => items[Math.floor(r() * items.length)];
const weighted = <K extends string>(weights: Partial<Record<K, number>>, r: () => number): K => {
  const entries = Object.entries(weights) as [K, number][];
  let x = r() * entries.reduce((a, [, w]) => a + w, 0);
  for (const [k, w] of entries) if ((x -= w) < 0) return k;
  return entries[entries.length - 1][0];
};
const shuffle = <T>(items: T[]) => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
};

// ---- What each finding comes to -------------------------------------------------------------------

const slots: Slot[] = [];
for (const [state, n] of Object.entries(plan.STATE_COUNTS) as [FindingState, number][]) {
  const roles = plan.DEADLINE_ROLES[state] ?? { escalated: 0, overdue: 0 };
  for (let i = 0; i < n; i++) {
    const role = i < roles.escalated ? 'escalated' : i < roles.escalated + roles.overdue ? 'overdue' : 'on_time';
    slots.push({ state, role, returned: false, replanned: false });
  }
}
// Failed acceptances and the replanned reopening go to findings on time or merely overdue.
for (const [state, n] of Object.entries(plan.RETURNED) as [FindingState, number][]) {
  slots.filter((s) => s.state === state && s.role !== 'escalated').slice(-n).forEach((s) => (s.returned = true));
}
slots.filter((s) => s.state === 'rectifying' && s.role === 'on_time' && !s.returned).slice(0, plan.REOPENED_AND_REPLANNED).forEach((s) => (s.replanned = true));
shuffle(slots);

// Every area gets one finding; the rest go by terrain (quarry hills and the coast get most).
const areaOrder = [...areas.map((a) => a.code)];
while (areaOrder.length < slots.length) {
  areaOrder.push(weighted(Object.fromEntries(areas.map((a) => [a.code, plan.TERRAIN_WEIGHT[plan.terrainOf(a)]])), rand));
}
shuffle(areaOrder);

// ---- Building the findings ------------------------------------------------------------------------

/** The departments a finding calls for, from its county and category. */
function castOf(category: FindingCategory, countyCode: string, r: () => number): Cast {
  const branch = byCounty('ecology_environment', countyCode)!;
  const government = byCounty('county_government', countyCode)!;
  const linqu = countyCode === '370724';
  const environmental = category === 'pollution' || category === 'industrial' || category === 'aquaculture';
  const verifying = linqu && r() < 0.7 ? 'eco-linqu' : environmental ? 'eco' : r() < 0.65 ? 'nr' : 'eco';
  let lead: string;
  if (category === 'pollution' || category === 'industrial') lead = linqu ? 'eco-linqu' : r() < 0.6 ? 'eco' : branch;
  else if (category === 'aquaculture') lead = r() < 0.5 ? 'agri' : government;
  else if (category === 'dam') lead = r() < 0.6 ? 'water' : government;
  else lead = r() < 0.65 ? 'nr' : government;
  const helpers = [government, branch];
  if (category === 'dam' || category === 'mining') helpers.push('water');
  if (category === 'aquaculture') helpers.push('agri');
  if (!environmental) helpers.push('nr');
  const pool = [...new Set(helpers)].filter((d) => d !== lead);
  const cooperating = pool.filter((_, i) => i === 0 || r() < 0.45).slice(0, 3);
  const independent = ['eco', 'nr', ...(linqu ? ['eco-linqu'] : [])].filter((d) => d !== lead && !cooperating.includes(d));
  const accepting = independent.length && r() >= 0.3 ? pickFrom(independent, r) : null;
  return { verifying, lead, cooperating, accepting };
}

/** Plan measures for the closing rule that applies. */
const measuresFor = (rule: string): RectificationMeasure[] =>
  rule === 'leave_area' || rule === 'exit' ? ['exit', 'restore'] : rule === 'remove_structures' ? ['remediate', 'restore'] : ['remediate'];

const recorders: Record<string, string[]> = {
  remote_sensing: ['coord'],
  joint_inspection: ['insp', 'eco', 'nr'],
  patrol: ['insp', 'nr', 'lq'],
  public_report: ['coord'],
  drone: ['insp', 'eco'],
  supervision: ['coord'],
};

interface Draft extends Omit<SampleFinding, 'serial'> {
  year: number;
}

const drafts: Draft[] = slots.map((slot, index) => {
  const key = `F${String(index + 1).padStart(3, '0')}`;
  const r = prng(hashSeed(`${plan.SEED}:${key}`));
  const span = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const area = areas.find((a) => a.code === areaOrder[index])!;
  const terrain = plan.terrainOf(area);
  const category = weighted(plan.CATEGORY_WEIGHTS[terrain], r) as FindingCategory;
  let source = weighted(plan.sourceWeights(category), r);
  const zoned = zones.filter((z) => z.area === area.code);
  const zone = zoned.length ? weighted(plan.ZONE_WEIGHTS, r) : null;
  const cast = castOf(category, area.countyCode, r);
  // Geometry first: a patch for imagery, otherwise a point (a walked one for an inspection, below).
  const within = zone ? zoned.find((z) => z.zone === zone)!.shape : area.shape;
  const polygonal = category !== 'pollution' && (source === 'remote_sensing' || (source === 'drone' && r() < 0.6));
  // Areas sharing the ground (e.g. 仰天山 reserve and forest park) are judged together: all of them, and
  // the zones of a zoned one, count, so the title and the closing rules follow the strictest designation.
  const areasAt = (g: SampleFinding['geometry']) => {
    const [x0, y0, x1, y1] = turf.bbox(g);
    return areas
      .filter((a) => x1 >= a.bbox[0] && x0 <= a.bbox[2] && y1 >= a.bbox[1] && y0 <= a.bbox[3] && turf.booleanIntersects(a.shape, g))
      .map((a) => a.code)
      .join(',');
  };
  const zonesAt = (g: SampleFinding['geometry'], codes: string) =>
    zones.filter((z) => codes.split(',').includes(z.area) && turf.booleanIntersects(z.shape, g)).map((z) => `${z.area}:${z.zone}`);
  let geometry: SampleFinding['geometry'];
  let mu: number | null = null;
  let touched: string[] = [];
  for (let attempt = 0; ; attempt++) {
    if (attempt > 50) throw new Error(`${key}: no place within one zone`);
    if (polygonal) {
      const ha = Math.exp(Math.log(0.1) + r() * (Math.log(5) - Math.log(0.1)));
      const patch = patchIn(within, ha, hashSeed(`${plan.SEED}:${key}:patch:${attempt}`), r);
      geometry = patch.polygon;
      mu = muOf(patch.ha);
    } else geometry = pointIn(within, r);
    touched = zonesAt(geometry, areasAt(geometry));
    // A patch must not straddle the edge of an overlapping designation either.
    const vertices = geometry.type === 'Polygon' ? geometry.coordinates[0] : [geometry.coordinates];
    const straddles = areasAt(geometry).split(',').some((code) => !vertices.every((p) => inside(areas.find((a) => a.code === code)!.shape, p as [number, number])));
    if (touched.length <= 1 && !straddles) break;
  }
  const here = areasAt(geometry);
  const [titleArea, judgedZone] = touched.length ? (touched[0].split(':') as [string, keyof typeof words.ZONE_ZH]) : [area.code, null];
  const areaStart = areas.filter((a) => here.split(',').includes(a.code) && a.establishedOn).map((a) => a.establishedOn!).sort()[0] ?? null;

  let approval: ApprovalStatus = 'unknown';
  let constructedAt: string | null = null;
  const history = buildHistory({
    slot,
    serial: () => '{serial}',
    category,
    cast,
    rand: r,
    plan: (createdOn) => {
      // Construction dates lie well before the recording, so before any discovery date chosen below.
      const early = slot.state === 'clue' || slot.state === 'verifying';
      if (category !== 'pollution' || r() < 0.3) {
        const historical = areaStart !== null && r() < 0.3 && category !== 'mining';
        if (historical) {
          constructedAt = addDays(areaStart!, -span(365, 15 * 365));
          approval = r() < 0.5 ? 'approved' : r() < 0.6 ? 'unknown' : 'unapproved';
        } else if (r() < 0.8) {
          const latest = addDays(createdOn, -90);
          const earliest = [areaStart ?? '2015-01-01', addDays(createdOn, -3 * 365)].sort()[1];
          constructedAt = earliest < latest ? addDays(earliest, Math.floor(r() * ((Date.parse(latest) - Date.parse(earliest)) / 86_400_000))) : latest;
          approval = r() < 0.8 ? 'unapproved' : 'unknown';
        }
      }
      // Before verification nobody knows the construction date or the approvals.
      if (early && r() < 0.7) {
        constructedAt = null;
        approval = 'unknown';
      }
      const closing = closingConditions({ category, zone: judgedZone, approval, constructionDate: constructedAt, areaEstablishedDate: areaStart });
      return { conditions: closing.conditions, measures: measuresFor(closing.rule) };
    },
  });

  // Discovery: the batch, the joint inspection, or the day it was recorded.
  let createdOn = history.createdOn;
  let batch: string | null = null;
  let inspectionKey: string | null = null;
  let inspectionTitle: string | null = null;
  if (source === 'joint_inspection') {
    const found = inspections
      .filter((i) => i.status === 'completed' && i.departments.length >= 2 && i.areaCodes.includes(area.code) && i.actualStart! <= createdOn && i.actualStart! >= addDays(createdOn, -45))
      .sort((a, b) => b.actualStart!.localeCompare(a.actualStart!))[0];
    // A point the team walked, in the same zone and the same (overlapping) areas as the drawn one.
    const walked = found?.tracks.flatMap((t) => t.coordinates).filter((p) => inside(within, p) && areasAt({ type: 'Point', coordinates: p }) === here && zonesAt({ type: 'Point', coordinates: p }, here).join() === touched.join()) ?? [];
    if (found && walked.length > 0) {
      inspectionKey = found.key;
      inspectionTitle = found.title;
      createdOn = found.actualStart!;
      geometry = { type: 'Point', coordinates: pickFrom(walked, r) };
    } else source = 'patrol';
  }
  if (source === 'remote_sensing') {
    const issued = plan.REMOTE_SENSING_BATCHES.filter((b) => b.date <= createdOn).at(-1);
    if (issued) {
      batch = issued.label;
      createdOn = issued.date;
    } else source = 'patrol';
  }
  // The hand-over note speaks of what the source delivered (a patch, a report, a hand-over).
  for (const step of history.steps) if (step.to === 'verifying') step.note = words.verifyNote(source, (items) => pickFrom(items, r));
  if (source === 'supervision') batch = words.supervisionBatch(createdOn, Math.ceil(Number(createdOn.slice(5, 7)) / 3));
  // Recorded on the day of discovery, before the first step.
  let createdEpoch = shanghaiToEpoch(createdOn, (8 * 60 + 35 + span(0, 420)) * 60);
  const first = history.steps[0] ? Date.parse(history.steps[0].at) / 1000 : Infinity;
  if (createdEpoch > first - 3600) createdEpoch = Math.max(shanghaiToEpoch(createdOn, 8 * 3600 + 30 * 60), first - 3600);
  if (createdOn > history.createdOn) throw new Error(`${key}: recorded after its history began`);

  const activity = pickFrom(words.activitiesFor(category, terrain), r);
  const place = words.titlePlace(AREA_LABELS[titleArea].short, judgedZone);
  return {
    key,
    year: Number(createdOn.slice(0, 4)),
    title: `${place}${activity.what}`,
    category,
    source: source as SampleFinding['source'],
    batch,
    description: words.describe({ source, batch, place, activity, mu, inspectionTitle, pick: (items) => pickFrom(items, r) }),
    discoveredAt: createdOn,
    constructedAt,
    approval,
    geometry,
    inspectionKey,
    createdAt: utcStamp(createdEpoch),
    createdBy: pickFrom(recorders[source], r),
    steps: history.steps,
  };
});

// Serials by discovery year in the order the findings were recorded (as the API hands them out).
drafts.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
const perYear = new Map<number, number>();
const findings: SampleFinding[] = drafts.map(({ year, ...d }, i) => {
  const n = (perYear.get(year) ?? 0) + 1;
  perYear.set(year, n);
  const serial = `WF-${year}-${String(n).padStart(4, '0')}`;
  const steps = JSON.parse(JSON.stringify(d.steps).replaceAll('{serial}', serial)) as SampleStep[];
  return { ...d, key: `SF-${String(i + 1).padStart(3, '0')}`, serial, steps };
});

// Fixed key order, one finding per line: a changed finding is a one-line diff.
const ordered = findings.map((f) => ({
  key: f.key,
  serial: f.serial,
  title: f.title,
  category: f.category,
  source: f.source,
  batch: f.batch,
  description: f.description,
  discoveredAt: f.discoveredAt,
  constructedAt: f.constructedAt,
  approval: f.approval,
  geometry: f.geometry,
  inspectionKey: f.inspectionKey,
  createdAt: f.createdAt,
  createdBy: f.createdBy,
  steps: f.steps,
}));
writeFileSync(OUT, `{"note":${JSON.stringify(NOTE)},"findings":[\n${ordered.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`);

const report = verifyFindings(OUT, world, { total: [140, 160], escalated: [4, 6], overdue: [10, 25], reopened: [3, 4] });
console.table(report.rows);
console.log(report.lines.join('\n'));
if (report.violations.length > 0) {
  console.error(`\nfindings FAILED ${report.violations.length} check(s):\n  ${report.violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`findings written to ${OUT} and verified`);
