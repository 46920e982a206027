/**
 * Checks data/sample/findings.json as written: the contract, every geometry inside its area (and
 * zone), every history a sequence the portal's workflow accepts (replayed through `checkTransition`
 * with the demo accounts and each step's day as "today"), dates in order and in working hours, and
 * the designed distribution. Returns a summary and the list of violations.
 */
import { readFileSync, statSync } from 'node:fs';
import * as turf from '@turf/turf';
import { transitionBodyOf, type SampleFinding, type SampleFindingsFile } from '../../../server/db/seed-findings.ts';
import { demoAccounts } from '../../../server/db/seed.ts';
import { closingConditions } from '../../../server/features/findings/closing-conditions.ts';
import {
  checkTransition,
  citedEvidenceIds,
  daysOverdue,
  type FindingState,
  type WorkflowFinding,
} from '../../../server/features/findings/workflow.ts';
import { findingCategories, findingSources, findingStates } from '../../../server/lib/vocabulary.ts';
import { epochToShanghai } from '../inspections/calendar.ts';
import { isWorking } from './history.ts';
import { ESCALATE_AFTER_DAYS, PERIOD_START, TODAY } from './plan.ts';
import type { Shape } from './places.ts';

export interface World {
  areas: { code: string; establishedOn: string | null; shape: Shape }[];
  zones: { area: string; zone: string; shape: Shape }[];
  departments: Set<string>;
  inspections: { key: string; status: string; actualStart: string | null; areaCodes: string[] }[];
}

export interface Limits {
  total: [number, number];
  escalated: [number, number];
  overdue: [number, number];
  reopened: [number, number];
}

const ZONE_RANK = ['core', 'buffer', 'general_control', 'experimental'];
const sixDecimals = (x: number) => Math.abs(x * 1e6 - Math.round(x * 1e6)) < 1e-6;

/** Reads the file back and checks it; `rows` is the per-state summary table. */
export function verifyFindings(file: string, world: World, limits: Limits) {
  const violations: string[] = [];
  const text = readFileSync(file, 'utf8');
  const data = JSON.parse(text) as SampleFindingsFile;
  const findings = data.findings;
  if (!data.note || !/sample|示例/i.test(data.note)) violations.push('the file is not labelled as sample data');
  if (text.split('\n').length !== findings.length + 3) violations.push('not one finding per line');

  // Departments and accounts get stand-in ids: the checks depend only on which is which.
  const departmentIds = new Map([...world.departments].map((code, i) => [code, i + 1]));
  const accounts = new Map<string, { role: (typeof demoAccounts)[number]['role']; departmentId: number | null }>(demoAccounts.map((a) => [a.username, { role: a.role, departmentId: a.department ? departmentIds.get(a.department)! : null }]));

  const seenKeys = new Set<string>();
  const lastSerial = new Map<number, number>();
  let previousCreated = '';
  const stateCount = new Map<FindingState, number>();
  let overdue = 0;
  let escalated = 0;
  let reopened = 0;
  let polygons = 0;
  let linked = 0;
  const areasHit = new Set<string>();

  for (const f of findings) {
    const where = `${f.serial} (${f.key})`;
    const fail = (message: string) => violations.push(`${where}: ${message}`);
    if (seenKeys.has(f.key)) fail('duplicate key');
    seenKeys.add(f.key);

    // Contract and serial order: WF-YYYY-NNNN by discovery year, numbered in recording order.
    const m = /^WF-(\d{4})-(\d{4})$/.exec(f.serial);
    if (!m || Number(m[1]) !== Number(f.discoveredAt.slice(0, 4))) fail('serial does not match the discovery year');
    else {
      const n = Number(m[2]);
      if (n !== (lastSerial.get(Number(m[1])) ?? 0) + 1) fail('serials are not consecutive in recording order');
      lastSerial.set(Number(m[1]), n);
    }
    if (f.createdAt < previousCreated) fail('findings are not in recording order');
    previousCreated = f.createdAt;
    if (!findingCategories.includes(f.category)) fail(`unknown category ${f.category}`);
    if (!(findingSources as readonly string[]).includes(f.source)) fail(`unknown source ${f.source}`);
    if ((f.source === 'remote_sensing') !== (f.batch !== null && /^\d{4}年第\d批$/.test(f.batch)) && f.source !== 'supervision') fail('batch does not fit the source');
    if (!f.title || !f.description) fail('title or description missing');
    if (f.constructedAt && f.constructedAt >= f.discoveredAt) fail('constructed on or after discovery');
    if (f.discoveredAt !== epochToShanghai(Date.parse(f.createdAt) / 1000).date) fail('not recorded on the day of discovery');
    if (f.discoveredAt < PERIOD_START || f.discoveredAt > TODAY) fail('discovered outside the period');
    if (f.inspectionKey) {
      linked += 1;
      const i = world.inspections.find((x) => x.key === f.inspectionKey);
      if (!i || i.status !== 'completed' || i.actualStart !== f.discoveredAt) fail(`inspection ${f.inspectionKey} is not a completed inspection of that day`);
    } else if (f.source === 'joint_inspection') fail('joint inspection without its inspection');

    // Location: inside the area(s), in the chosen zone, a patch of 0.1–5 ha.
    const g = f.geometry;
    const coordinates = g.type === 'Point' ? [g.coordinates] : g.coordinates[0];
    if (!coordinates.every(([x, y]) => sixDecimals(x) && sixDecimals(y))) fail('coordinates not at 6 decimals');
    const containing = world.areas.filter((a) => (g.type === 'Point' ? turf.booleanPointInPolygon(g.coordinates, a.shape) : turf.booleanIntersects(a.shape, g)));
    if (containing.length === 0) fail('outside every area');
    for (const a of containing) areasHit.add(a.code);
    for (const a of containing) {
      const within = g.type === 'Point' || coordinates.every((p) => turf.booleanPointInPolygon(p, a.shape));
      if (!within) fail(`not wholly inside ${a.code}`);
    }
    if (g.type === 'Polygon') {
      polygons += 1;
      const ha = turf.area(g) / 1e4;
      if (ha < 0.09 || ha > 5.1) fail(`patch of ${ha.toFixed(2)} ha`);
      if (!turf.booleanValid(g)) fail('invalid polygon');
    }
    const touched = world.zones.filter((z) => containing.some((a) => a.code === z.area) && turf.booleanIntersects(z.shape, g)).map((z) => z.zone);
    const zone = touched.sort((a, b) => ZONE_RANK.indexOf(a) - ZONE_RANK.indexOf(b))[0] ?? null;
    if (touched.length > 1) fail(`touches several zones (${touched.join(', ')})`);
    if (zone && !f.title.includes({ core: '核心区', buffer: '缓冲区', experimental: '实验区' }[zone as 'core'] ?? '')) fail(`title does not name its zone ${zone}`);
    const areaStart = containing.map((a) => a.establishedOn).filter((d): d is string => d !== null).sort()[0] ?? null;
    const closing = closingConditions({ category: f.category, zone: zone as never, approval: f.approval, constructionDate: f.constructedAt, areaEstablishedDate: areaStart }).conditions;

    // The history, replayed as the API would judge each request.
    const finding: WorkflowFinding & { version: number } = {
      state: 'clue',
      version: 1,
      verifyingDepartmentId: null,
      leadDepartmentId: null,
      cooperatingDepartmentIds: [],
      acceptingDepartmentId: null,
    };
    let previous = f.createdAt;
    let verifyDue: string | null = null;
    let deadline: string | null = null;
    const files = new Set<string>();
    for (const step of f.steps) {
      const at = `${step.at} ${step.to}`;
      if (step.at <= previous) fail(`${at}: not after the step before`);
      previous = step.at;
      const local = epochToShanghai(Date.parse(step.at) / 1000);
      if (!isWorking(local.date) || local.seconds < 8.5 * 3600 || local.seconds > 17.5 * 3600) fail(`${at}: outside working hours`);
      if (local.date > TODAY) fail(`${at}: after ${TODAY}`);
      const actor = accounts.get(step.by);
      if (!actor) {
        fail(`${at}: unknown account ${step.by}`);
        break;
      }
      for (const e of step.evidence ?? []) {
        if (files.has(e.fileName)) fail(`${at}: evidence ${e.fileName} uploaded twice`);
        files.add(e.fileName);
      }
      const evidence = new Map((step.evidence ?? []).map((e, i) => [e.fileName, 1000 + i]));
      const body = transitionBodyOf(step, finding.version, {
        department: (code) => {
          if (!departmentIds.has(code)) fail(`${at}: unknown department ${code}`);
          return departmentIds.get(code) ?? 999;
        },
        evidence: (name) => {
          if (!evidence.has(name)) fail(`${at}: cites ${name}, not uploaded with the step`);
          return evidence.get(name) ?? 9999;
        },
      });
      const result = checkTransition(finding, actor, body, { today: local.date, evidenceCount: citedEvidenceIds(body).length, closingConditions: closing });
      if (!result.ok) {
        fail(`${at}: refused (${result.status}) ${result.error.message}`);
        break;
      }
      const d = result.data as Record<string, unknown>;
      if ('verifyingDepartmentId' in d) {
        finding.verifyingDepartmentId = d.verifyingDepartmentId as number;
        verifyDue = d.dueDate as string;
      }
      if ('leadDepartmentId' in d) {
        finding.leadDepartmentId = d.leadDepartmentId as number;
        finding.cooperatingDepartmentIds = d.cooperatingDepartmentIds as number[];
        finding.acceptingDepartmentId = (d.acceptingDepartmentId as number | null | undefined) ?? null;
        deadline = d.deadline as string;
      }
      if (step.to === 'reopened') reopened += 1;
      finding.state = result.next;
      finding.version += 1;
    }
    stateCount.set(finding.state, (stateCount.get(finding.state) ?? 0) + 1);
    const late = daysOverdue({ state: finding.state, deadline, verifyDueDate: verifyDue }, TODAY);
    if (late > 0) overdue += 1;
    if (late > ESCALATE_AFTER_DAYS) escalated += 1;
  }

  const inRange = (what: string, n: number, [lo, hi]: [number, number]) => {
    if (n < lo || n > hi) violations.push(`${what}: ${n}, expected ${lo}–${hi}`);
  };
  inRange('findings', findings.length, limits.total);
  inRange('overdue on TODAY', overdue, limits.overdue);
  inRange('escalated on TODAY', escalated, limits.escalated);
  inRange('reopened (回头看)', reopened, limits.reopened);
  const share = (state: FindingState) => (stateCount.get(state) ?? 0) / findings.length;
  const target: Record<FindingState, number> = { clue: 0.15, verifying: 0.1, dismissed: 0.08, confirmed: 0.05, rectifying: 0.3, pending_acceptance: 0.1, closed: 0.2, reopened: 0.02 };
  for (const state of findingStates) if (Math.abs(share(state) - target[state]) > 0.03) violations.push(`${state}: ${(100 * share(state)).toFixed(0)} %, expected about ${100 * target[state]} %`);

  const rows = findingStates.map((state) => ({ state, findings: stateCount.get(state) ?? 0, share: `${(100 * share(state)).toFixed(1)} %` }));
  const count = (key: (f: SampleFinding) => string) =>
    [...findings.reduce((m, f) => m.set(key(f), (m.get(key(f)) ?? 0) + 1), new Map<string, number>())].sort().map(([k, n]) => `${k} ${n}`).join(', ');
  const lines = [
    `findings: ${findings.length}; polygons (图斑): ${polygons}; linked to a sample inspection: ${linked}; areas with findings: ${areasHit.size}/${world.areas.length}`,
    `by category: ${count((f) => f.category)}`,
    `by source: ${count((f) => f.source)}`,
    `by discovery year: ${count((f) => f.discoveredAt.slice(0, 4))}`,
    `on ${TODAY} (today in the sample): ${overdue} overdue, ${escalated} escalated (> ${ESCALATE_AFTER_DAYS} days, 督办); ${reopened} reopened by 回头看`,
    `steps: ${findings.reduce((n, f) => n + f.steps.length, 0)}; evidence files: ${findings.reduce((n, f) => n + f.steps.reduce((k, s) => k + (s.evidence?.length ?? 0), 0), 0)}; file: ${(statSync(file).size / 1024).toFixed(0)} KB`,
  ];
  return { rows, lines, violations };
}
