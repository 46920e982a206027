/**
 * Checks the written inspections file against its contract and against the story it is meant to
 * tell, reading it back from disk so what is checked is exactly what is committed. Visits are
 * judged the way the portal's coverage does: a completed inspection whose track crosses the area
 * or has a checkpoint inside it; joint when it has at least two departments.
 */
import { readFileSync, statSync } from 'node:fs';
import * as turf from '@turf/turf';
import { epochToShanghai, quarterBounds } from './calendar.ts';
import { metres, type LonLat } from './paths.ts';
import { CURRENT_QUARTER, GAPS, QUARTERS, TODAY } from './plan.ts';
import type { AreaInfo, World } from './tracks.ts';

/** One inspection as written to data/sample/inspections.json. */
export interface InspectionRecord {
  key: string;
  title: string;
  status: 'completed' | 'in_progress' | 'planned';
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  leadDepartment: string;
  departments: string[];
  members: { name: string; department: string }[];
  areaCodes: string[];
  summary: string | null;
  tracks: { fileName: string; format: string; coordinates: [number, number][]; times: string[] }[];
  checkpoints: { name: string; note: string; lon: number; lat: number; time: string }[];
}

export interface Limits {
  maxBytes: number;
  count: [number, number];
  maxSpeedKmh: number;
  /** share of walking points that must lie inside the inspection's target areas */
  walkingInside: number;
  /** local working hours, seconds after midnight */
  hours: [number, number];
}

export interface Report {
  violations: string[];
  rows: Record<string, string | number>[];
  jointShare: number;
  points: number;
  bytes: number;
  coverage: { small: number; partial: number; quarter: string };
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SIX = (x: number) => Math.abs(x * 1e6 - Math.round(x * 1e6)) < 1e-6;
const WALKING_MS = 2; // m/s: above this a segment is driving

/** Share of an area within `swath` metres of the given lines, estimated on a ~100 m point grid. */
function swathShare(area: AreaInfo, lines: LonLat[][], swath: number): number {
  const [x0, y0, x1, y1] = area.bbox;
  const step = 100 / 111_000;
  const segs: [LonLat, LonLat][] = [];
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [a, b] = [line[i - 1], line[i]];
      const pad = swath / 80_000;
      if (Math.max(a[0], b[0]) < x0 - pad || Math.min(a[0], b[0]) > x1 + pad || Math.max(a[1], b[1]) < y0 - pad || Math.min(a[1], b[1]) > y1 + pad) continue;
      segs.push([a, b]);
    }
  }
  let inside = 0;
  let seen = 0;
  for (let y = y0 + step / 2; y < y1; y += step) {
    const k = Math.cos((y * Math.PI) / 180) * 111_320;
    for (let x = x0 + step / 2; x < x1; x += step) {
      if (!turf.booleanPointInPolygon([x, y], area.feature)) continue;
      inside++;
      // Distance to each segment in a local metric frame around the grid point.
      const near = segs.some(([a, b]) => {
        const [ax, ay, bx, by] = [(a[0] - x) * k, (a[1] - y) * 110_574, (b[0] - x) * k, (b[1] - y) * 110_574];
        const [dx, dy] = [bx - ax, by - ay];
        const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
        return Math.hypot(ax + t * dx, ay + t * dy) <= swath;
      });
      if (near) seen++;
    }
  }
  return inside === 0 ? 0 : seen / inside;
}

/** Runs every check on the file and gathers the summary; violations are empty when all is sound. */
export function verifyInspections(file: string, world: World, departmentCodes: Set<string>, limits: Limits, small: string[], partial: string[]): Report {
  const bad: string[] = [];
  const bytes = statSync(file).size;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { note: string; inspections: InspectionRecord[] };
  const list = data.inspections;
  if (!/invented/i.test(data.note) || !/not real/i.test(data.note)) bad.push('note must say the data is invented and not real');
  if (bytes > limits.maxBytes) bad.push(`file is ${bytes} bytes, over ${limits.maxBytes}`);
  if (list.length < limits.count[0] || list.length > limits.count[1]) bad.push(`${list.length} inspections, expected ${limits.count.join('–')}`);

  const keys = new Set<string>();
  let points = 0;
  // visits[area][quarter] = { any, joint }
  const visits = new Map<string, Map<string, { any: boolean; joint: boolean }>>();
  const lines = new Map<string, LonLat[][]>();
  for (const q of QUARTERS) lines.set(q, []);
  for (const ins of list) {
    const at = (m: string) => bad.push(`${ins.key}: ${m}`);
    if (!/^\d{4}-Q[1-4]-\d{3}$/.test(ins.key) || keys.has(ins.key)) at('key malformed or repeated');
    keys.add(ins.key);
    const startDay = ins.actualStart ?? ins.plannedStart;
    if (!startDay || `${startDay.slice(0, 4)}-Q${Math.floor((Number(startDay.slice(5, 7)) - 1) / 3) + 1}` !== ins.key.slice(0, 7)) at('key quarter differs from its start date');
    for (const d of [ins.plannedStart, ins.plannedEnd, ins.actualStart, ins.actualEnd]) if (d !== null && !ISO.test(d)) at(`bad date ${d}`);
    if (ins.plannedStart && ins.plannedEnd && ins.plannedEnd < ins.plannedStart) at('plannedEnd before plannedStart');
    if (ins.actualStart && ins.actualEnd && ins.actualEnd < ins.actualStart) at('actualEnd before actualStart');
    if (ins.departments[0] !== ins.leadDepartment) at('lead department must come first');
    if (new Set(ins.departments).size !== ins.departments.length) at('departments repeated');
    for (const d of ins.departments) if (!departmentCodes.has(d)) at(`unknown department ${d}`);
    for (const m of ins.members) if (!ins.departments.includes(m.department)) at(`member ${m.name} of non-participating ${m.department}`);
    for (const a of ins.areaCodes) if (!world.areas.has(a)) at(`unknown area ${a}`);
    if (ins.areaCodes.length < 1 || ins.areaCodes.length > 3) at(`${ins.areaCodes.length} target areas`);

    if (ins.status === 'planned') {
      if (ins.tracks.length || ins.checkpoints.length || ins.actualStart || ins.actualEnd) at('planned inspection with tracks, checkpoints or actual dates');
      if (!ins.plannedStart || ins.plannedStart <= TODAY) at('planned inspection not in the future');
      continue;
    }
    if (!ins.actualStart || ins.tracks.length === 0) at('started inspection without actualStart or tracks');
    if (ins.status === 'completed' && !ins.actualEnd) at('completed without actualEnd');
    if (ins.status === 'in_progress' && ins.actualEnd) at('in progress but has actualEnd');
    const lastDay = ins.actualEnd ?? TODAY;
    const joint = ins.departments.length >= 2;
    const targets = new Set(ins.areaCodes.flatMap((c) => [c, ...world.partners(c)]));
    const targetAreas = [...targets].map((c) => world.areas.get(c)!);
    const insideTarget = (p: LonLat) => targetAreas.some((a) => turf.booleanPointInPolygon(p, a.feature));
    let walking = 0;
    let walkingIn = 0;
    const perArea = new Map<string, number>();
    let [first, last] = [Infinity, -Infinity];
    const touched = new Set<string>();

    for (const tr of ins.tracks) {
      const n = tr.coordinates.length;
      if (n < 2 || n !== tr.times.length) { at(`${tr.fileName}: ${n} coordinates, ${tr.times.length} times`); continue; }
      points += n;
      const epochs = tr.times.map((s) => (STAMP.test(s) ? Date.parse(s) / 1000 : NaN));
      for (let i = 0; i < n; i++) {
        const p = tr.coordinates[i];
        if (!SIX(p[0]) || !SIX(p[1])) at(`${tr.fileName}: point ${i} not on the 6-decimal grid`);
        if (!world.inWeifang(p)) at(`${tr.fileName}: point ${i} ${p} outside Weifang`);
        if (!Number.isFinite(epochs[i])) { at(`${tr.fileName}: bad time ${tr.times[i]}`); continue; }
        const local = epochToShanghai(epochs[i]);
        if (local.date < ins.actualStart! || local.date > lastDay) at(`${tr.fileName}: point ${i} on ${local.date}, outside the inspection's dates`);
        if (local.seconds < limits.hours[0] || local.seconds > limits.hours[1]) at(`${tr.fileName}: point ${i} at local ${(local.seconds / 3600).toFixed(2)} h, outside working hours`);
        first = Math.min(first, epochs[i]);
        last = Math.max(last, epochs[i]);
        if (i === 0) continue;
        const dt = epochs[i] - epochs[i - 1];
        const d = metres(tr.coordinates[i - 1], p);
        if (!(dt > 0)) { at(`${tr.fileName}: times not increasing at ${i}`); continue; }
        if ((d / dt) * 3.6 > limits.maxSpeedKmh) at(`${tr.fileName}: ${((d / dt) * 3.6).toFixed(0)} km/h between points ${i - 1} and ${i}`);
        if (dt < 15 || (dt > 150 && d > 30)) at(`${tr.fileName}: ${dt} s between points ${i - 1} and ${i} (${d.toFixed(0)} m)`);
      }
      // Walking points: those reached at walking speed.
      for (let i = 1; i < n; i++) {
        const speed = metres(tr.coordinates[i - 1], tr.coordinates[i]) / (epochs[i] - epochs[i - 1]);
        if (speed > WALKING_MS) continue;
        walking++;
        const p = tr.coordinates[i];
        if (insideTarget(p)) walkingIn++;
        for (const a of ins.areaCodes) if (turf.booleanPointInPolygon(p, world.areas.get(a)!.feature)) perArea.set(a, (perArea.get(a) ?? 0) + 1);
      }
      // Which areas the recorded line crosses, as the portal's ST_Intersects would see it.
      const line = turf.lineString(tr.coordinates);
      const [x0, y0, x1, y1] = turf.bbox(line);
      for (const a of world.areas.values()) {
        if (a.bbox[0] > x1 || a.bbox[2] < x0 || a.bbox[1] > y1 || a.bbox[3] < y0) continue;
        if (turf.booleanIntersects(line, a.feature)) touched.add(a.code);
      }
      if (ins.status === 'completed') {
        const q = `${ins.actualStart!.slice(0, 4)}-Q${Math.floor((Number(ins.actualStart!.slice(5, 7)) - 1) / 3) + 1}`;
        lines.get(q)?.push(tr.coordinates);
      }
    }
    if (walking > 0 && walkingIn / walking < limits.walkingInside) at(`only ${Math.round((100 * walkingIn) / walking)} % of walking points inside the target areas`);
    if (ins.status === 'completed') for (const a of ins.areaCodes) if ((perArea.get(a) ?? 0) < 10) at(`track hardly enters target ${a} (${perArea.get(a) ?? 0} walking points)`);
    for (const c of touched) if (!targets.has(c)) at(`track crosses ${c}, which is not a target`);
    for (const c of ins.checkpoints) {
      const e = Date.parse(c.time) / 1000;
      if (!STAMP.test(c.time) || e < first || e > last) at(`checkpoint ${c.name} at ${c.time} outside the track times`);
      if (!SIX(c.lon) || !SIX(c.lat)) at(`checkpoint ${c.name} not on the 6-decimal grid`);
      if (!ins.areaCodes.some((a) => turf.booleanPointInPolygon([c.lon, c.lat], world.areas.get(a)!.feature))) at(`checkpoint ${c.name} outside the target areas`);
      if (!c.name || !c.note) at('checkpoint without name or note');
    }

    if (ins.status !== 'completed') continue;
    for (const c of [...touched, ...ins.checkpoints.flatMap((cp) => ins.areaCodes.filter((a) => turf.booleanPointInPolygon([cp.lon, cp.lat], world.areas.get(a)!.feature)))]) {
      for (const q of QUARTERS) {
        const [qs, qe] = quarterBounds(q);
        if (ins.actualEnd! < qs || ins.actualStart! > qe) continue;
        const byQ = visits.get(c) ?? new Map<string, { any: boolean; joint: boolean }>();
        const v = byQ.get(q) ?? { any: false, joint: false };
        v.any = true;
        v.joint ||= joint;
        byQ.set(q, v);
        visits.set(c, byQ);
      }
    }
  }

  // The story: every area jointly visited in every finished quarter except the designed gaps.
  for (const q of QUARTERS) {
    if (q === CURRENT_QUARTER) continue;
    for (const code of world.areas.keys()) {
      const v = visits.get(code)?.get(q) ?? { any: false, joint: false };
      const gap = GAPS.find((g) => g.area === code && g.quarter === q);
      if (!gap && !v.joint) bad.push(`${code} ${q}: not jointly visited`);
      if (gap?.kind === 'missed' && v.any) bad.push(`${code} ${q}: visited, but designed as missed`);
      if (gap?.kind === 'single' && (!v.any || v.joint)) bad.push(`${code} ${q}: designed as visited by one department only`);
    }
  }
  const jointNow = [...world.areas.keys()].filter((c) => visits.get(c)?.get(CURRENT_QUARTER)?.joint).length;
  if (jointNow === 0 || jointNow >= world.areas.size) bad.push(`${CURRENT_QUARTER}: ${jointNow} areas jointly visited; it should be partly done`);
  const statuses = (s: string) => list.filter((i) => i.status === s).length;
  if (statuses('in_progress') < 2 || statuses('in_progress') > 3) bad.push(`${statuses('in_progress')} inspections in progress, expected 2–3`);
  if (statuses('planned') < 3 || statuses('planned') > 8) bad.push(`${statuses('planned')} planned inspections, expected a handful`);
  const jointShare = list.filter((i) => i.departments.length >= 2).length / list.length;
  if (jointShare < 0.6 || jointShare > 0.95) bad.push(`joint share ${jointShare.toFixed(2)}: most, not all, should be joint`);

  const rows = QUARTERS.map((q) => {
    const inQ = list.filter((i) => i.key.startsWith(q));
    const count = (pick: (v: { any: boolean; joint: boolean }) => boolean) => [...world.areas.keys()].filter((c) => {
      const v = visits.get(c)?.get(q);
      return v ? pick(v) : false;
    }).length;
    return {
      quarter: q,
      inspections: inQ.length,
      completed: inQ.filter((i) => i.status === 'completed').length,
      joint: inQ.filter((i) => i.departments.length >= 2).length,
      visited: `${count((v) => v.any)}/${world.areas.size}`,
      jointlyVisited: `${count((v) => v.joint)}/${world.areas.size}`,
    };
  });
  // Spatial coverage of the last finished quarter, to show small areas covered and large ones not.
  const covQ = QUARTERS[QUARTERS.length - 2];
  const mean = (codes: string[]) => codes.reduce((s, c) => s + swathShare(world.areas.get(c)!, lines.get(covQ)!, 200), 0) / codes.length;
  return { violations: bad, rows, jointShare, points, bytes, coverage: { small: mean(small), partial: mean(partial), quarter: covQ } };
}
