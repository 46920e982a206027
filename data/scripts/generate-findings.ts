/**
 * Builds data/sample/findings.json: 150 invented findings (问题) in the 43 sample areas, from 2024-01 to
 * "today" (2026-11-20), each with its whole history along the rectification chain, then loads the file
 * into a fresh database through the portal's own seeder (which replays every step through the
 * workflow and fails at the first one the API would refuse) and checks what it left. Deterministic:
 * same inputs give a byte-identical file. Run with `npx tsx data/scripts/generate-findings.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import type { SampleDepartment } from '../../server/db/seed.ts';
import type { SampleFinding, SampleFindingsFile } from '../../server/db/seed-findings.ts';
import { planReviewers, type DepartmentNode } from '../../server/features/findings/workflow.ts';
import { zoneSchemeZones, type FindingCategory, type ZoneKind, type ZoneScheme } from '../../server/lib/vocabulary.ts';
import { buildHistory, officerOf, type Cast, type ChainRule } from './findings/history.ts';
import { inside, muOf, patchIn, pointIn, type Shape } from './findings/places.ts';
import * as plan from './findings/plan.ts';
import { rulesOf, type RuleQuestion } from './findings/rules.ts';
import * as words from './findings/texts.ts';
import { verifyFindings } from './findings/verify.ts';
import { addDays, shanghaiToEpoch, utcStamp } from './inspections/calendar.ts';
import { AREA_LABELS } from './inspections/plan.ts';
import { hashSeed, prng } from './lib/shapes.ts';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = join(DATA, 'sample');
const OUT = join(SAMPLE, 'findings.json');
const NOTE =
  'Sample data: findings, their histories, plans, notes, approval and closing document numbers (示例…号) and evidence file names are invented for demonstration; they describe no real case or document. Locations are drawn inside the schematic area boundaries (示意边界). 示例数据，非真实问题，文号均为示例。';

// ---- The map and the people -----------------------------------------------------------------------

const readFc = (name: string) => (JSON.parse(readFileSync(join(SAMPLE, name), 'utf8')) as FeatureCollection).features;
const areas = readFc('areas.geojson').map((f) => ({
  code: f.properties!.code as string,
  nameZh: f.properties!.nameZh as string,
  category: f.properties!.category as string,
  countyCode: f.properties!.countyCode as string,
  establishedOn: (f.properties!.establishedOn as string | null) ?? null,
  shape: f as Shape,
  bbox: turf.bbox(f),
}));
const zones = readFc('zones.geojson').map((f) => ({ area: f.properties!.areaCode as string, scheme: f.properties!.scheme as string, zone: f.properties!.zone as ZoneKind, shape: f as Shape }));
const departments = JSON.parse(readFileSync(join(SAMPLE, 'departments.json'), 'utf8')) as SampleDepartment[];
const counties = new Map(readFc('counties.geojson').map((f) => [f.properties!.code as string, f.properties!.nameZh as string]));
const inspections = (
  JSON.parse(readFileSync(join(SAMPLE, 'inspections.json'), 'utf8')) as {
    inspections: { key: string; title: string; status: string; actualStart: string | null; departments: string[]; areaCodes: string[]; tracks: { coordinates: [number, number][] }[] }[];
  }
).inspections;

// Departments as the chain sees them, with stand-in ids: planReviewers needs only which is which.
const nodes: DepartmentNode[] = departments.map((d, i) => ({
  id: i + 1,
  nameZh: d.nameZh,
  kind: d.kind as DepartmentNode['kind'],
  level: d.level as DepartmentNode['level'],
  parentId: d.parent ? departments.findIndex((p) => p.code === d.parent) + 1 : null,
  countyCode: d.county,
}));
const codeOfNode = (id: number) => departments[id - 1].code;
const byCounty = (kind: string, county: string) => departments.find((d) => d.kind === kind && d.county === county && d.level === 'county')!.code;
const bodyOf = (area: string) => departments.find((d) => d.area === area)!.code;

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

// ---- Which story in which area ----------------------------------------------------------------------

const stories = shuffle([...plan.STORIES]);
// Every area gets one finding; the rest go by terrain (quarry hills and the coast get most).
const free = stories.filter((s) => !s.area).length;
const areaOrder = areas.map((a) => a.code).filter((c) => !stories.some((s) => s.area === c));
while (areaOrder.length < free) areaOrder.push(weighted(Object.fromEntries(areas.map((a) => [a.code, plan.TERRAIN_WEIGHT[plan.terrainOf(a)]])), rand));
shuffle(areaOrder);
let nextArea = 0;
const storyAreas = stories.map((s) => s.area ?? areaOrder[nextArea++]);

/** The departments a finding calls for, from its county, category and area. */
function castOf(category: FindingCategory, countyCode: string, drafter: string, r: () => number): Omit<Cast, 'reviewers'> {
  const branch = byCounty('ecology_environment', countyCode);
  const government = byCounty('county_government', countyCode);
  const environmental = category === 'pollution' || category === 'industrial' || category === 'industrial_park' || category === 'aquaculture';
  const verifying = environmental ? (r() < 0.7 ? branch : 'eco') : r() < 0.55 ? branch : r() < 0.65 ? 'nr' : 'eco';
  let lead: string;
  if (category === 'pollution' || category === 'industrial' || category === 'industrial_park') lead = r() < 0.7 ? branch : government;
  else if (category === 'aquaculture') lead = r() < 0.4 ? 'agri' : government;
  else if (category === 'dam') lead = r() < 0.6 ? 'water' : government;
  else lead = r() < 0.6 ? government : 'nr';
  const pool = [government, branch, drafter, ...(category === 'dam' || category === 'mining' ? ['water'] : []), ...(category === 'aquaculture' ? ['agri'] : []), ...(environmental ? [] : ['nr'])];
  const options = [...new Set(pool)].filter((d) => d !== lead);
  const cooperating = options.filter((_, i) => i === 0 || r() < 0.35).slice(0, 3);
  // 市级验收 by a city department independent of every rectifier (not one of them, nor parent or branch of one).
  const rectifiers = [lead, ...cooperating];
  const ecoFamily = rectifiers.some((d) => d === 'eco' || departments.find((x) => x.code === d)?.parent === 'eco');
  const candidates = ['eco', 'nr', 'water', 'agri'].filter((d) => !rectifiers.includes(d) && (d !== 'eco' || !ecoFamily));
  if (!candidates.length) throw new Error(`no independent city acceptor for ${rectifiers.join(', ')}`);
  const cityAcceptor = candidates.includes('eco') && r() < 0.5 ? 'eco' : pickFrom(candidates, r);
  return { verifying, lead, cooperating, drafter, countyAcceptor: branch, cityAcceptor, namedAcceptor: cityAcceptor !== 'eco' || r() < 0.3 };
}

// Strictest first within the zone's own scheme (vocabulary.ts zoneSchemeZones).
const ZONE_RANK = (z: { area: string; zone: ZoneKind }) => {
  const scheme = zones.find((x) => x.area === z.area && x.zone === z.zone)!.scheme as ZoneScheme;
  return zoneSchemeZones[scheme].indexOf(z.zone);
};

interface Draft {
  key: string;
  story: (typeof stories)[number];
  area: (typeof areas)[number];
  titleArea: string;
  judgedZone: ZoneKind | null;
  category: FindingCategory;
  source: string;
  geometry: SampleFinding['geometry'];
  mu: number | null;
  here: string;
  touched: string[];
  within: Shape;
  confirmAs: 'historical' | 'illegal';
  approval: SampleFinding['approval'];
  /** 规模扩大: an image patch that grew from a smaller original footprint. */
  original: SampleFinding['originalGeometry'];
  r: () => number;
}

// ---- First the facts: where, what, and what verification will find ---------------------------------

const drafts: Draft[] = stories.map((story, index) => {
  const key = `F${String(index + 1).padStart(3, '0')}`;
  const r = prng(hashSeed(`${plan.SEED}:${key}`));
  const area = areas.find((a) => a.code === storyAreas[index])!;
  const terrain = plan.terrainOf(area);
  const category = story.assessed ? 'tourism' : (weighted(plan.CATEGORY_WEIGHTS[terrain], r) as FindingCategory);
  const source = weighted(plan.sourceWeights(category), r);
  const zoned = zones.filter((z) => z.area === area.code);
  const weights = plan.ZONE_WEIGHTS_BY_COUNT[zoned.length] ?? zoned.map(() => 1);
  const drawn = zoned.length ? Number(weighted(Object.fromEntries(weights.map((w, i) => [String(i), w])), r)) : -1;
  const zoneIndex = story.assessed ? zoned.findIndex((z) => z.zone === 'experimental') : drawn;
  const within = zoneIndex >= 0 ? zoned[zoneIndex].shape : area.shape;
  const polygonal = category !== 'pollution' && (source === 'remote_sensing' || (source === 'drone' && r() < 0.6));
  // Areas sharing the ground (e.g. 仰天山 reserve and forest park) are judged together: all of them, and
  // the zones of a zoned one, count, so the title and the rule follow the designation that decides.
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
    const vertices = geometry.type === 'Polygon' ? geometry.coordinates[0] : [geometry.coordinates];
    const straddles = areasAt(geometry).split(',').some((code) => !vertices.every((p) => inside(areas.find((a) => a.code === code)!.shape, p as [number, number])));
    // One zone per zoned area it lies in, and not across the edge of an overlapping designation.
    const perArea = new Set(touched.map((t) => t.split(':')[0]));
    if (perArea.size === touched.length && !straddles) break;
  }
  const here = areasAt(geometry);
  const strictest = touched.map((t) => ({ area: t.split(':')[0], zone: t.split(':')[1] as ZoneKind })).sort((a, b) => ZONE_RANK(a) - ZONE_RANK(b))[0];
  const titleArea = strictest?.area ?? area.code;
  const established = areas.filter((a) => here.split(',').includes(a.code) && a.establishedOn).map((a) => a.establishedOn!).sort()[0];
  const historical = established && r() < 0.22 && category !== 'mining';
  const confirmAs = story.assessed || historical ? 'historical' : 'illegal';
  const approval = story.assessed ? 'unknown' : confirmAs === 'historical' ? (r() < 0.4 ? 'approved' : 'unknown') : r() < 0.85 ? 'unapproved' : 'unknown';
  // A few image patches are old sites that grew (规模扩大): the original footprint is the inner half.
  const original =
    geometry!.type === 'Polygon' && source === 'remote_sensing' && !story.assessed && r() < 0.12
      ? (turf.truncate(turf.transformScale(turf.feature(geometry!), 0.5), { precision: 6 }).geometry as SampleFinding['originalGeometry'])
      : null;
  return { key, story, area, titleArea, judgedZone: strictest?.zone ?? null, category, source, geometry: geometry!, mu, here, touched, within, confirmAs, approval, original, r };
});

// ---- Then the rule each verified finding falls under, asked of the portal ------------------------------

const needsRule = (s: Draft['story']) => !['clue', 'dismissed'].includes(s.final) && !(s.final === 'verifying' && !s.recurred);
const questions: RuleQuestion[] = drafts
  .filter((d) => needsRule(d.story))
  .map((d) => ({
    key: d.key,
    confirmAs: d.confirmAs,
    finding: {
      title: d.key,
      category: d.category,
      source: 'patrol',
      batch: null,
      description: d.key,
      discoveredAt: '2026-01-05',
      constructedAt: null,
      approval: d.approval,
      changeType: null,
      expanded: d.original !== null,
      originalGeometry: d.original,
      geometry: d.geometry,
      inspectionKey: null,
      createdAt: '2026-01-05T02:00:00Z',
      createdBy: 'coord',
    },
  }));
const answers = await rulesOf(questions);
for (const [key, a] of answers) {
  if (a.rule.status !== 'resolved') throw new Error(`${key}: the portal finds no rule even after determinations (${a.rule.missing.join(', ') || 'no row'}): ${a.rule.basisZh}`);
}

// ---- Then the histories -------------------------------------------------------------------------------

const recorders: Record<string, string[]> = {
  remote_sensing: ['coord'],
  joint_inspection: ['insp', 'eco', 'nr'],
  patrol: ['insp', 'nr', 'lq'],
  public_report: ['coord'],
  drone: ['insp', 'eco'],
  supervision: ['coord'],
};

const built = drafts.map((d) => {
  const r = d.r;
  const span = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const answer = answers.get(d.key) ?? null;
  const ruleArea = answer?.rule.areaCode ?? d.titleArea;
  const partial = castOf(d.category, d.area.countyCode, bodyOf(ruleArea), r);
  // Reviews and the county self-check follow the county the portal judges the site to lie in.
  const judgedCounty = answer?.countyCode ?? d.area.countyCode;
  const reviewers = planReviewers(answer ? { reviewerKinds: answer.rule.reviewerKinds as DepartmentNode['kind'][] } : null, judgedCounty, nodes).map(codeOfNode);
  const cast: Cast = { ...partial, reviewers, countyAcceptor: byCounty('ecology_environment', judgedCounty) };
  let chain: ChainRule | null = null;
  if (answer) {
    const rule = answer.rule;
    // The rule's required measures, and now and then one more it allows.
    const extra = rule.allowedMeasures.filter((m) => !rule.requiredMeasures.includes(m));
    const measures = [...rule.requiredMeasures, ...(extra.length && r() < 0.4 ? [pickFrom(extra, r)] : [])];
    chain = {
      measures,
      requiresAssessment: rule.requiresAssessment,
      conditions: rule.conditions.map((c) => ({ code: c.code, observationDays: c.observationDays ?? null, document: !c.evidenceKinds.includes('photo') })),
      determinations: answer.determinations,
    };
  }
  const textRand = prng(hashSeed(`${plan.SEED}:${d.key}:words`));
  const pick = <T>(items: readonly T[]) => items[Math.floor(textRand() * items.length)];
  const countyZh = counties.get(d.area.countyCode) ?? '';
  const history = buildHistory({ story: d.story, category: d.category, cast, rule: chain, confirmAs: d.confirmAs, countyZh, rand: prng(hashSeed(`${plan.SEED}:${d.key}:dates`)), pick, serial: '{serial}' });

  // Discovery: the batch, the joint inspection, or the day it was recorded.
  let createdOn = history.createdOn;
  let source = d.source;
  let geometry = d.geometry;
  let batch: string | null = null;
  let inspectionKey: string | null = null;
  let inspectionTitle: string | null = null;
  if (source === 'joint_inspection') {
    const found = inspections
      .filter((i) => i.status === 'completed' && i.departments.length >= 2 && i.areaCodes.includes(d.area.code) && i.actualStart! <= createdOn && i.actualStart! >= addDays(createdOn, -45))
      .sort((a, b) => b.actualStart!.localeCompare(a.actualStart!))[0];
    // A point the team walked, in the same zones and the same (overlapping) areas as the drawn one.
    const sameGround = (p: [number, number]) => {
      const g = { type: 'Point' as const, coordinates: p };
      const codes = areas.filter((a) => turf.booleanPointInPolygon(p, a.shape)).map((a) => a.code).join(',');
      return codes === d.here && zones.filter((z) => codes.split(',').includes(z.area) && turf.booleanIntersects(z.shape, g)).map((z) => `${z.area}:${z.zone}`).join() === d.touched.join();
    };
    const walked = found?.tracks.flatMap((t) => t.coordinates).filter((p) => inside(d.within, p) && sameGround(p)) ?? [];
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
  for (const step of history.steps) if (step.action === 'dispatch') step.instruction = words.verifyNote(source, pick);
  if (source === 'supervision') batch = words.supervisionBatch(createdOn, Math.ceil(Number(createdOn.slice(5, 7)) / 3));
  // Recorded on the day of discovery, before the first step.
  let createdEpoch = shanghaiToEpoch(createdOn, (8 * 60 + 35 + span(0, 420)) * 60);
  const first = history.steps[0] ? Date.parse(history.steps[0].at) / 1000 : Infinity;
  if (createdEpoch > first - 3600) createdEpoch = Math.max(shanghaiToEpoch(createdOn, 8 * 3600 + 30 * 60), first - 3600);

  // Construction dates: before the area for 历史遗留, between the area and the recording otherwise; unknown before verification.
  const established = areas.filter((a) => d.here.split(',').includes(a.code) && a.establishedOn).map((a) => a.establishedOn!).sort()[0] ?? null;
  let constructedAt: string | null = null;
  if (d.confirmAs === 'historical' && established) constructedAt = addDays(established, -span(365, 15 * 365));
  else if (r() < 0.75) {
    const latest = addDays(createdOn, -90);
    const earliest = [established ?? '2015-01-01', addDays(createdOn, -3 * 365)].sort()[1];
    constructedAt = earliest < latest ? addDays(earliest, Math.floor(r() * ((Date.parse(latest) - Date.parse(earliest)) / 86_400_000))) : latest;
  }
  if (!answer && r() < 0.7) constructedAt = null;

  const activity = pickFrom(words.activitiesFor(d.category, plan.terrainOf(d.area)), r);
  const place = words.titlePlace(AREA_LABELS[d.titleArea].short, d.judgedZone);
  const finding: Omit<SampleFinding, 'serial'> = {
    key: d.key,
    title: `${place}${activity.what}`,
    category: d.category,
    source: source as SampleFinding['source'],
    batch,
    description: words.describe({ source, batch, place, activity, mu: d.mu, inspectionTitle, pick }),
    discoveredAt: createdOn,
    constructedAt,
    approval: d.approval,
    // 变化类型 as the batch reports it; a patch that grew is 规模扩大 there too.
    changeType: source === 'remote_sensing' ? (d.original ? 'expanded' : 'new') : null,
    expanded: d.original !== null,
    originalGeometry: d.original,
    geometry,
    inspectionKey,
    createdAt: utcStamp(createdEpoch),
    createdBy: source === 'remote_sensing' || source === 'public_report' || source === 'supervision' ? 'coord' : pickFrom(recorders[source], r),
    steps: history.steps,
  };
  return finding;
});

// Serials by discovery year in the order the findings were recorded (as the API hands them out).
built.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
const perYear = new Map<number, number>();
const findings: SampleFinding[] = built.map((d, i) => {
  const year = Number(d.discoveredAt.slice(0, 4));
  const n = (perYear.get(year) ?? 0) + 1;
  perYear.set(year, n);
  const serial = `WF-${year}-${String(n).padStart(4, '0')}`;
  const steps = JSON.parse(JSON.stringify(d.steps).replaceAll('{serial}', serial)) as SampleFinding['steps'];
  return { ...d, key: `SF-${String(i + 1).padStart(3, '0')}`, serial, steps };
});
// 销号文号 in the order of closing, numbered per year in an obviously sample form.
const closings = findings.flatMap((f) => f.steps.filter((s) => s.action === 'close')).sort((a, b) => a.at.localeCompare(b.at));
const closedPerYear = new Map<string, number>();
for (const step of closings) {
  const year = String(step.closedOn).slice(0, 4);
  const n = (closedPerYear.get(year) ?? 0) + 1;
  closedPerYear.set(year, n);
  step.closingDocumentNo = `示例销号〔${year}〕第${String(n).padStart(3, '0')}号`;
}

const batches = plan.REMOTE_SENSING_BATCHES.map((b) => ({ code: b.label, issuedOn: b.date, verifyBy: addDays(b.date, plan.BATCH_VERIFY_DAYS) }));
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
  changeType: f.changeType,
  expanded: f.expanded,
  originalGeometry: f.originalGeometry,
  geometry: f.geometry,
  inspectionKey: f.inspectionKey,
  createdAt: f.createdAt,
  createdBy: f.createdBy,
  steps: f.steps,
}));
const file: SampleFindingsFile = { note: NOTE, batches, findings: ordered };
// Fixed key order, one finding per line: a changed finding is a one-line diff.
writeFileSync(
  OUT,
  `{"note":${JSON.stringify(file.note)},"batches":${JSON.stringify(file.batches)},"findings":[\n${file.findings.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`,
);

const report = await verifyFindings(OUT, { areas, officers: new Set(departments.map((d) => officerOf(d.code))) });
console.log(report.lines.join('\n'));
if (report.violations.length > 0) {
  console.error(`\nfindings FAILED ${report.violations.length} check(s):\n  ${report.violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`findings written to ${OUT} and verified`);
