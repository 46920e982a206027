/**
 * Draws one trip's day in the field: walks through each target area (or the reachable part of a
 * large one), drives between them, a lunch break, checkpoints with short pauses, all on Asia/Shanghai
 * working hours. Drives that would cut through an area not on the trip are bent round it.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Position } from 'geojson';
import { epochToShanghai, shanghaiToEpoch } from './calendar.ts';
import { alongOf, drivePath, metres, planWalk, pointAt, timeAlong, type Fix, type LonLat, type Pause, type Reach } from './paths.ts';
import { checkpointPlaces, finding } from './people.ts';
import { AREA_LABELS, PARTIAL_REACH } from './plan.ts';
import type { Trip } from './schedule.ts';

/** What the track builder needs to know about an area. */
export interface AreaInfo {
  code: string;
  category: string;
  countyCode: string;
  ha: number;
  feature: Feature<MultiPolygon>;
  bbox: [number, number, number, number];
}

/** The map context: areas, a Weifang point test and the shared-ground partners of each area. */
export interface World {
  areas: Map<string, AreaInfo>;
  inWeifang: (p: LonLat) => boolean;
  partners: (code: string) => Set<string>;
  seatOf: (countyCode: string) => LonLat;
}

export interface TrackOut {
  fileName: string;
  format: 'gpx' | 'kml';
  fixes: Fix[];
}

export interface CheckpointOut {
  name: string;
  note: string;
  p: LonLat;
  t: number;
  /** the area the checkpoint lies in */
  area: string;
}

export interface Day {
  tracks: TrackOut[];
  checkpoints: CheckpointOut[];
  walkedKm: number;
  findingSummary: string;
}

interface Stop {
  code: string;
  polygon: Position[][];
  reach: Reach | null;
}

const MIN_WALK_S = 40 * 60;
const MAX_WALK_S = 150 * 60;
const DAY_END_S = 17 * 3600 + 15 * 60; // local: teams are back on the road by then
const DRIVE_SPEED: [number, number] = [8.5, 16.5]; // m/s, ~30–60 km/h on county roads
const WALK_SPEED: [number, number] = [0.85, 1.35]; // m/s, ~3–5 km/h

/** The unit polygons a trip walks in an area: the designed units of a large area, or every polygon. */
function stopsFor(area: AreaInfo): Stop[] {
  const polys = area.feature.geometry.coordinates;
  const plan = PARTIAL_REACH[area.code];
  const reach = plan ? { side: plan.side, share: plan.share } : null;
  if (!plan?.units) return polys.map((polygon) => ({ code: area.code, polygon, reach }));
  return plan.units.map((hint) => {
    const nearest = [...polys].sort((a, b) => metres(hint, turf.centroid(turf.polygon(a)).geometry.coordinates as LonLat)
      - metres(hint, turf.centroid(turf.polygon(b)).geometry.coordinates as LonLat))[0];
    return { code: area.code, polygon: nearest, reach };
  });
}

/** Walking time an area's reachable part needs for lanes ~340 m apart, within the per-stop limits. */
function walkNeed(area: AreaInfo, stop: Stop, stopsInArea: number): number {
  const reachable = (area.ha * 1e4 * (stop.reach?.share ?? 1)) / stopsInArea;
  return Math.min(MAX_WALK_S, Math.max(MIN_WALK_S, reachable / 340 / 1.1 + 600));
}

/** True when a recorded line touches only the allowed areas and every point lies in Weifang. */
function legal(world: World, fixes: Fix[], allowed: Set<string>): boolean {
  if (!fixes.every((f) => world.inWeifang(f.p))) return false;
  const line = turf.lineString(fixes.map((f) => f.p));
  const [x0, y0, x1, y1] = turf.bbox(line);
  for (const a of world.areas.values()) {
    if (allowed.has(a.code) || a.bbox[0] > x1 || a.bbox[2] < x0 || a.bbox[1] > y1 || a.bbox[3] < y0) continue;
    if (turf.booleanIntersects(line, a.feature)) return false;
  }
  return true;
}

/** A drive from a to b at the given time that stays clear of other areas and inside Weifang. */
function drive(world: World, a: LonLat, b: LonLat, start: number, allowed: Set<string>, rand: () => number): Fix[] {
  const dist = metres(a, b);
  // A few hundred metres between two walks is crossed on foot, not driven.
  if (dist < 600) {
    const { fixes } = timeAlong([a, b], { start, speed: WALK_SPEED, stretch: 200, interval: [40, 110], walking: true }, rand);
    if (legal(world, fixes, allowed)) return fixes;
  }
  const mid: LonLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  // Perpendicular unit vector in degrees-ish space is enough to pick detour points.
  const k = Math.cos((mid[1] * Math.PI) / 180);
  const [dx, dy] = [(b[0] - a[0]) * k, b[1] - a[1]];
  const norm = Math.hypot(dx, dy) || 1;
  const perp: LonLat = [(-dy / norm) / k, dx / norm];
  const offsets = [0, 2, -2, 4, -4, 6, -6, 9, -9];
  for (const km of offsets) {
    const via: LonLat | null = km === 0 ? null : [mid[0] + (perp[0] * km) / 111, mid[1] + (perp[1] * km) / 111];
    const path = drivePath(a, b, via, rand);
    const { fixes } = timeAlong(path, { start, speed: DRIVE_SPEED, stretch: 1000, interval: [30, 60], walking: false }, rand);
    if (legal(world, fixes, allowed)) return fixes;
  }
  throw new Error(`no legal drive found from ${a} to ${b} (${(dist / 1000).toFixed(1)} km)`);
}

/** Appends fixes, dropping a first fix that repeats the previous one (segments share their joins). */
function append(into: Fix[], more: Fix[]): void {
  for (const f of more) {
    const last = into[into.length - 1];
    if (last && f.t <= last.t) continue;
    into.push(f);
  }
}

const yyyymmdd = (day: string) => day.replaceAll('-', '');

/** Draws the field day of a completed or in-progress trip. */
export function fieldDay(world: World, trip: Trip, rand: () => number): Day {
  const allowed = new Set(trip.areas.flatMap((c) => [c, ...world.partners(c)]));
  const areas = trip.areas.map((c) => world.areas.get(c)!);
  const stops = areas.flatMap((a) => stopsFor(a));
  const partial = trip.status === 'in_progress';
  const walked = partial ? stops.slice(0, 1) : stops;

  // Time plan: scale walks down when the day would run past the end of working hours.
  const startLocal = 8.5 * 3600 + Math.floor(rand() * 50 * 60);
  const budgets = walked.map((s) => {
    const area = world.areas.get(s.code)!;
    return walkNeed(area, s, stops.filter((o) => o.code === s.code).length) * (0.85 + 0.25 * rand());
  });
  const driveEst = walked.slice(1).reduce((sum, s, i) => {
    const [a, b] = [walked[i].polygon[0][0], s.polygon[0][0]] as LonLat[];
    return sum + (metres(a, b) * 1.3) / 11 + 300;
  }, 0);
  const lunch = walked.length > 1 ? 3600 : 0;
  const room = DAY_END_S - startLocal - driveEst - lunch - 20 * 60 * walked.length;
  const total = budgets.reduce((a, b) => a + b, 0);
  const scale = Math.min(1, room / total);

  // Checkpoints: 0–4, spread over the walked stops, each a short pause on the walk.
  const wanted = partial ? Math.floor(rand() * 2) : [0, 1, 1, 2, 2, 2, 3, 3, 4][Math.floor(rand() * 9)];
  const perStop = walked.map(() => 0);
  for (let i = 0; i < wanted; i++) perStop[Math.floor(rand() * walked.length)]++;

  const fixes: Fix[] = [];
  const checkpoints: CheckpointOut[] = [];
  const splitAt = !partial && walked.length > 1 && rand() < 0.2 ? 1 + Math.floor(rand() * (walked.length - 1)) : -1;
  let splitIndex = -1;
  let t = shanghaiToEpoch(trip.day, startLocal);
  let here: LonLat = world.seatOf(areas[0].countyCode);
  let lunchTaken = false;
  let walkedM = 0;
  for (const [i, stop] of walked.entries()) {
    const area = world.areas.get(stop.code)!;
    const walk = planWalk({ polygon: stop.polygon, budgetS: budgets[i] * scale, reach: stop.reach, entry: here, rand });
    if (i > 0) {
      if (!lunchTaken && epochToShanghai(t).seconds >= 11 * 3600 + 20 * 60) {
        const lunchS = 45 * 60 + Math.floor(rand() * 25 * 60);
        fixes.push({ p: here, t: t + lunchS, walking: true });
        t += lunchS;
        lunchTaken = true;
      }
      if (i === splitAt) splitIndex = fixes.length;
      const leg = drive(world, here, walk.path[0], t, allowed, rand);
      append(fixes, leg);
      t = leg[leg.length - 1].t;
    }
    // Checkpoints at points inside the area, from 15 % to 90 % of the way.
    const acc = alongOf(walk.path);
    const length = acc[acc.length - 1];
    const stopAt = partial ? length * (0.5 + 0.3 * rand()) : undefined;
    const reachEnd = stopAt ?? length;
    const places = checkpointPlaces(area.category, perStop[i], rand);
    const pauses: Pause[] = [];
    const marks: { at: number; place: [string, string] }[] = [];
    for (const place of places) {
      let at = reachEnd * (0.15 + 0.75 * rand());
      for (let tries = 0; tries < 20 && !turf.booleanPointInPolygon(pointAt(walk.path, acc, at), area.feature); tries++) {
        at = reachEnd * (0.1 + 0.8 * rand());
      }
      if (!turf.booleanPointInPolygon(pointAt(walk.path, acc, at), area.feature)) continue;
      if (marks.some((m) => Math.abs(m.at - at) < 200)) continue;
      marks.push({ at, place });
      pauses.push({ at, seconds: 180 + Math.floor(rand() * 420) });
    }
    marks.sort((a, b) => a.at - b.at);
    const timed = timeAlong(walk.path, { start: t, speed: WALK_SPEED, stretch: 200, interval: [40, 110], walking: true, pauses, stopAt }, rand);
    marks.forEach((m, j) => {
      checkpoints.push({ name: m.place[0], note: `${m.place[0]}，${m.place[1]}`, p: pointAt(walk.path, acc, m.at), t: timed.arrivals[j], area: area.code });
    });
    append(fixes, timed.fixes);
    walkedM += Math.min(length, reachEnd);
    t = timed.end;
    here = walk.path[walk.path.length - 1];
    if (partial) break;
  }
  // The issue, if any, fits the area of the day's last checkpoint and is noted there.
  const found = finding(world.areas.get(checkpoints.at(-1)?.area ?? areas[0].code)!.category, rand);
  if (found.note && checkpoints.length > 0) {
    const last = checkpoints[checkpoints.length - 1];
    last.note = `${last.name}，${found.note}`;
  }

  const date = yyyymmdd(trip.day);
  const tracks: TrackOut[] = splitIndex > 0
    ? [
      { fileName: `${date}-${AREA_LABELS[walked[0].code].slug}.gpx`, format: 'gpx', fixes: fixes.slice(0, splitIndex) },
      { fileName: `${date}-${AREA_LABELS[walked[splitAt].code].slug}.kml`, format: 'kml', fixes: fixes.slice(splitIndex) },
    ]
    : [{ fileName: `${date}-${AREA_LABELS[walked[0].code].slug}.gpx`, format: 'gpx', fixes }];
  return { tracks, checkpoints, walkedKm: walkedM / 1000, findingSummary: found.summary };
}
