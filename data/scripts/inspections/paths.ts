/**
 * Plausible movement for sample GPS tracks: meandering walks that sweep part of an area in lanes
 * (like a team working a park section by section) and roughly straight drives between areas, then
 * timed at walking or driving speed and sampled every 30–120 s like a phone's track recorder.
 */
import type { Position } from 'geojson';
import { toLonLat, type Ring } from '../lib/shapes.ts';

export type LonLat = [number, number];

/** A timed track point; `walking` marks points recorded on foot (for the checks). */
export interface Fix {
  p: LonLat;
  t: number;
  walking: boolean;
}

/** A local metric frame around an origin, with metres per degree taken from shapes.ts's projection. */
export interface Frame {
  origin: LonLat;
  kx: number;
  ky: number;
}

/** Local frame whose scale matches toLonLat, so local → lon/lat → local round-trips exactly. */
export function frameAt(origin: LonLat): Frame {
  const [[lon, lat]] = toLonLat([[1000, 1000]], origin);
  return { origin, kx: 1000 / (lon - origin[0]), ky: 1000 / (lat - origin[1]) };
}

/** Lon/lat → local metres (east, north). */
export function toLocal(f: Frame, [lon, lat]: LonLat): [number, number] {
  return [(lon - f.origin[0]) * f.kx, (lat - f.origin[1]) * f.ky];
}

/** Local metres → lon/lat. */
export function fromLocal(f: Frame, p: [number, number]): LonLat {
  return toLonLat([p], f.origin)[0] as LonLat;
}

/** Ground distance in metres (equirectangular: well under 0.1 % off at the distances used here). */
export function metres(a: LonLat, b: LonLat): number {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * 111_320 * k, (b[1] - a[1]) * 110_574);
}

/** Even-odd point-in-polygon on rings (outer plus holes) in any planar frame. */
export function inRings(rings: Ring[], [x, y]: [number, number]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Shoelace area of a ring in its own units. */
function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(s / 2);
}

/** Evenly spaced points along a polyline (keeps the corners). */
export function densify(line: [number, number][], step: number): [number, number][] {
  const out: [number, number][] = [line[0]];
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
    for (let k = 1; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

/** Where a walk may go: part of the area along its long axis ({side, share}) or all of it. */
export interface Reach {
  side: 0 | 1;
  share: number;
}

export interface WalkRequest {
  /** one polygon (outer ring first) of the area, lon/lat */
  polygon: Position[][];
  /** walking time available, seconds */
  budgetS: number;
  reach: Reach | null;
  /** where the team comes from: the walk starts at the lane end nearest to it */
  entry: LonLat;
  rand: () => number;
}

export interface Walk {
  path: LonLat[];
  lengthM: number;
}

const WALK_SPEED = 1.1; // m/s, ~4 km/h, for the budget only; timing varies it per stretch
const LANE_MIN = 320; // m: with a 200 m swath either side, lanes this close leave no gaps
const LANE_MAX = 2600;
const INSET = 40; // m kept inside the boundary at lane ends

/** Horizontal-line crossings of rings at height v: sorted x values (even-odd pairs are inside). */
function crossings(rings: Ring[], v: number): number[] {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [[x1, y1], [x2, y2]] = [ring[i], ring[i + 1]];
      if (y1 > v !== y2 > v) xs.push(x1 + ((v - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  return xs.sort((a, b) => a - b);
}

/**
 * A walk through one polygon: parallel lanes along its long axis (inside the reach window), joined
 * end to end and cut at the time budget, then given a gentle lateral meander that never leaves the
 * polygon where the straight lane was inside. Small areas get lanes close enough to cover them.
 */
export function planWalk(req: WalkRequest): Walk {
  const { rand } = req;
  const outer = req.polygon[0];
  const n = outer.length - 1;
  const origin: LonLat = [outer.slice(0, n).reduce((s, p) => s + p[0], 0) / n, outer.slice(0, n).reduce((s, p) => s + p[1], 0) / n];
  const frame = frameAt(origin);
  const local = req.polygon.map((r) => r.map((p) => toLocal(frame, p as LonLat)));
  // Long axis by principal components of the outer ring's vertices.
  let [sxx, syy, sxy] = [0, 0, 0];
  for (const [x, y] of local[0]) { sxx += x * x; syy += y * y; sxy += x * y; }
  // A slightly different heading each visit, so quarters do not retrace identical lanes; less of
  // it the more elongated the area, or lanes would cut across a river strip instead of along it.
  const half = (sxx + syy) / 2;
  const root = Math.sqrt(Math.max(0, half * half - (sxx * syy - sxy * sxy)));
  const elongation = Math.sqrt((half + root) / Math.max(half - root, 1e-9));
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy) + ((rand() - 0.5) * 0.4) / Math.max(1, elongation / 1.5);
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  const rot = ([x, y]: [number, number]): [number, number] => [x * c + y * s, -x * s + y * c];
  const unrot = ([u, v]: [number, number]): [number, number] => [u * c - v * s, u * s + v * c];
  const rings = local.map((r) => r.map(rot));
  const us = rings[0].map((p) => p[0]);
  const vs = rings[0].map((p) => p[1]);
  const [uMin, uMax, vMin, vMax] = [Math.min(...us), Math.max(...us), Math.min(...vs), Math.max(...vs)];
  const len = uMax - uMin;
  const [w0, w1] = req.reach
    ? req.reach.side === 0 ? [uMin, uMin + req.reach.share * len] : [uMax - req.reach.share * len, uMax]
    : [uMin, uMax];
  const reachable = (ringArea(rings[0]) - rings.slice(1).reduce((a, r) => a + ringArea(r), 0)) * ((w1 - w0) / len);
  const budgetM = req.budgetS * WALK_SPEED;
  const spacing = Math.min(LANE_MAX, Math.max(LANE_MIN, reachable / budgetM)) * (0.92 + 0.16 * rand());

  // Lanes: the inside stretches of each line v = const, clipped to the reach window.
  type Span = { a: number; b: number };
  const lanes: { v: number; spans: Span[] }[] = [];
  const first = vMin + spacing * (0.35 + 0.3 * rand());
  const heights: number[] = [];
  for (let v = first; v < vMax - 20; v += spacing) heights.push(v);
  if (heights.length === 0) heights.push((vMin + vMax) / 2);
  for (const v of heights) {
    const xs = crossings(rings, v);
    const spans: Span[] = [];
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const a = Math.max(xs[i], w0) + INSET;
      const b = Math.min(xs[i + 1], w1) - INSET;
      if (b - a >= 120) spans.push({ a, b });
    }
    if (spans.length > 0) lanes.push({ v, spans });
  }
  if (lanes.length === 0) throw new Error('walk: no lane fits inside the polygon');

  // Metres of a straight move that lie outside the polygon (lane changes must not cut across land
  // outside a lobed area, so a lane that cannot be reached along the inside is skipped).
  const outside = (p: [number, number], q: [number, number]) => {
    const steps = Math.max(1, Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1]) / 20));
    let out = 0;
    for (let k = 1; k < steps; k++) if (!inRings(rings, [p[0] + ((q[0] - p[0]) * k) / steps, p[1] + ((q[1] - p[1]) * k) / steps])) out += 20;
    return out;
  };

  // Start from the lane nearest to where the team arrives, then sweep across.
  const [eu, ev] = rot(toLocal(frame, req.entry));
  if (Math.abs(ev - lanes[0].v) > Math.abs(ev - lanes[lanes.length - 1].v)) lanes.reverse();
  const way: [number, number][] = [];
  let used = 0;
  for (const lane of lanes) {
    const here = way[way.length - 1];
    // The span to walk: the longest on the first lane, afterwards the nearest one reachable inside.
    const options = lane.spans
      .map((sp) => {
        const ends: [number, number][] = [[sp.a, lane.v], [sp.b, lane.v]];
        const ref: [number, number] = here ?? [eu, ev];
        const d0 = Math.hypot(ends[0][0] - ref[0], ends[0][1] - ref[1]);
        const d1 = Math.hypot(ends[1][0] - ref[0], ends[1][1] - ref[1]);
        const [from, to] = d0 <= d1 ? [ends[0], ends[1]] : [ends[1], ends[0]];
        return { from, to, hop: Math.min(d0, d1), len: sp.b - sp.a };
      })
      .filter((o) => !here || outside(here, o.from) <= 60)
      .sort((x, y) => (here ? x.hop - y.hop : y.len - x.len));
    const pick = options[0];
    if (!pick) continue;
    if (here) used += pick.hop;
    if (used >= budgetM) break;
    way.push(pick.from);
    if (used + pick.len >= budgetM) {
      const k = (budgetM - used) / pick.len;
      way.push([pick.from[0] + (pick.to[0] - pick.from[0]) * k, lane.v]);
      used = budgetM;
      break;
    }
    way.push(pick.to);
    used += pick.len;
  }
  if (way.length < 2) throw new Error('walk: no lane reachable');

  // Meander: two sine waves across the direction of travel, dropped wherever they would leave the area.
  const base = densify(way, 15);
  const waves = [
    { amp: 15 + 25 * rand(), wl: 250 + 350 * rand(), ph: rand() * 2 * Math.PI },
    { amp: 3 + 5 * rand(), wl: 120 + 130 * rand(), ph: rand() * 2 * Math.PI },
  ];
  const out: [number, number][] = [];
  let along = 0;
  for (let i = 0; i < base.length; i++) {
    if (i > 0) along += Math.hypot(base[i][0] - base[i - 1][0], base[i][1] - base[i - 1][1]);
    const [p, q] = [base[Math.max(0, i - 1)], base[Math.min(base.length - 1, i + 1)]];
    const d = Math.hypot(q[0] - p[0], q[1] - p[1]) || 1;
    const off = waves.reduce((sum, w) => sum + w.amp * Math.sin((2 * Math.PI * along) / w.wl + w.ph), 0);
    const moved: [number, number] = [base[i][0] - ((q[1] - p[1]) / d) * off, base[i][1] + ((q[0] - p[0]) / d) * off];
    out.push(inRings(rings, moved) || !inRings(rings, base[i]) ? moved : base[i]);
  }
  const path = out.map((p) => fromLocal(frame, unrot(p)));
  let lengthM = 0;
  for (let i = 1; i < path.length; i++) lengthM += metres(path[i - 1], path[i]);
  return { path, lengthM };
}

/**
 * A drive from a to b (optionally through a detour point): straight legs with a slow sideways
 * wiggle, like a county road, that fades out at both ends so the drive starts and ends on the walk.
 */
export function drivePath(a: LonLat, b: LonLat, via: LonLat | null, rand: () => number): LonLat[] {
  const frame = frameAt(a);
  const pts = [a, ...(via ? [via] : []), b].map((p) => toLocal(frame, p));
  const base = densify(pts, 100);
  const total = base.reduce((sum, p, i) => (i === 0 ? 0 : sum + Math.hypot(p[0] - base[i - 1][0], p[1] - base[i - 1][1])), 0);
  const amp = Math.min(150, total * 0.03) * (0.4 + 0.6 * rand());
  const wl = 2000 + 2500 * rand();
  const ph = rand() * 2 * Math.PI;
  let along = 0;
  return base.map((p, i) => {
    if (i > 0) along += Math.hypot(p[0] - base[i - 1][0], p[1] - base[i - 1][1]);
    const [q, r] = [base[Math.max(0, i - 1)], base[Math.min(base.length - 1, i + 1)]];
    const d = Math.hypot(r[0] - q[0], r[1] - q[1]) || 1;
    const off = amp * Math.sin((Math.PI * along) / total) * Math.sin((2 * Math.PI * along) / wl + ph);
    return fromLocal(frame, [p[0] - ((r[1] - q[1]) / d) * off, p[1] + ((r[0] - q[0]) / d) * off]);
  });
}

/** A pause on the way (a checkpoint or lunch): at `at` metres along the path, stay `seconds`. */
export interface Pause {
  at: number;
  seconds: number;
}

export interface Timing {
  start: number;
  /** speed range in m/s; a new speed is drawn for every `stretch` metres */
  speed: [number, number];
  stretch: number;
  /** seconds between recorded points */
  interval: [number, number];
  walking: boolean;
  pauses?: Pause[];
  /** stop recording after this many metres (a walk still under way) */
  stopAt?: number;
}

/** Cumulative distances along a path. */
function cumulative(path: LonLat[]): number[] {
  const acc = [0];
  for (let i = 1; i < path.length; i++) acc.push(acc[i - 1] + metres(path[i - 1], path[i]));
  return acc;
}

/** The point `s` metres along a path. */
export function pointAt(path: LonLat[], acc: number[], s: number): LonLat {
  if (s <= 0) return path[0];
  if (s >= acc[acc.length - 1]) return path[path.length - 1];
  let lo = 0;
  let hi = acc.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (acc[mid] <= s) lo = mid; else hi = mid;
  }
  const k = (s - acc[lo]) / (acc[hi] - acc[lo] || 1);
  return [path[lo][0] + (path[hi][0] - path[lo][0]) * k, path[lo][1] + (path[hi][1] - path[lo][1]) * k];
}

/**
 * Moves along a path at a varying speed and records a fix every `interval` seconds, plus the end
 * point; a pause is recorded as two fixes at the same place (arrival and departure).
 */
export function timeAlong(path: LonLat[], timing: Timing, rand: () => number): { fixes: Fix[]; end: number; arrivals: number[] } {
  const acc = cumulative(path);
  const total = Math.min(acc[acc.length - 1], timing.stopAt ?? Infinity);
  const pauses = [...(timing.pauses ?? [])].filter((p) => p.at < total).sort((a, b) => a.at - b.at);
  const speeds: number[] = [];
  const speedAt = (s: number) => {
    const k = Math.floor(s / timing.stretch);
    while (speeds.length <= k) speeds.push(timing.speed[0] + (timing.speed[1] - timing.speed[0]) * rand());
    return speeds[k];
  };
  const fix = (s: number, t: number): Fix => ({ p: pointAt(path, acc, s), t, walking: timing.walking });
  const fixes: Fix[] = [fix(0, timing.start)];
  const arrivals: number[] = [];
  let [s, t] = [0, timing.start];
  let next = t + timing.interval[0] + (timing.interval[1] - timing.interval[0]) * rand();
  let pause = 0;
  while (s < total) {
    // Advance in small steps so speed changes and pauses land where they should.
    const v = speedAt(s);
    const p = pauses[pause];
    const limit = Math.min(total, p ? p.at : Infinity, s + 25);
    const dt = (limit - s) / v;
    if (t + dt >= next) {
      s += (next - t) * v;
      t = next;
      fixes.push(fix(s, t));
      next = t + timing.interval[0] + (timing.interval[1] - timing.interval[0]) * rand();
      continue;
    }
    s = limit;
    t += dt;
    if (p && s >= p.at) {
      // Arrival replaces a fix taken moments before, so recorded intervals stay at least ~20 s.
      if (t - fixes[fixes.length - 1].t < 20) fixes.pop();
      fixes.push(fix(s, t));
      arrivals.push(t);
      t += p.seconds;
      fixes.push(fix(s, t));
      next = t + timing.interval[0] + (timing.interval[1] - timing.interval[0]) * rand();
      pause++;
    }
  }
  // The end point, unless a fix was just taken there or moments ago (keeps intervals sensible).
  const last = fixes[fixes.length - 1];
  if (t - last.t >= 20 || fixes.length === 1) fixes.push(fix(total, t));
  else if (t > last.t) fixes[fixes.length - 1] = fix(total, t);
  return { fixes, end: t, arrivals };
}

/** Cumulative-distance helper exported for checkpoint placement. */
export function alongOf(path: LonLat[]): number[] {
  return cumulative(path);
}
