/**
 * Schematic outlines (示意边界) built in local metres around a centre: irregular blobs for hills,
 * lakes and coasts, meandering strips for river parks. Pure functions of a seeded PRNG, so every run
 * draws the same rings.
 */

export type Ring = [number, number][];

/** 32-bit FNV-1a hash, used to derive an independent seed per area from a text key. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and, unlike Math.random, reproducible from a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BlobSpec {
  kind: 'blob';
  /** length/width ratio of the underlying ellipse (1 = round). */
  elongation: number;
  /** direction of the long axis, degrees clockwise from north. */
  bearing: number;
  /** overall amplitude of the radial noise; lakes and geoparks get more (lobes). */
  roughness: number;
  /** vertices on the ring. */
  vertices?: number;
}

export interface StripSpec {
  kind: 'strip';
  /** length/mean-width ratio of the river strip. */
  elongation: number;
  /** general flow direction, degrees clockwise from north. */
  bearing: number;
  /** meander amplitude as a share of the safe maximum (0..1). */
  meander: number;
  vertices?: number;
}

export type ShapeSpec = BlobSpec | StripSpec;

const TAU = 2 * Math.PI;

function rotate([x, y]: [number, number], bearingDeg: number): [number, number] {
  // bearing is clockwise from north; the local frame has x east, y north and the long axis on x.
  const a = ((90 - bearingDeg) * Math.PI) / 180;
  return [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
}

function shoelace(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/** Scales a ring about the origin so that its planar area is `area` square metres. */
function withArea(ring: Ring, area: number): Ring {
  const k = Math.sqrt(area / Math.abs(shoelace(ring)));
  return ring.map(([x, y]) => [x * k, y * k]);
}

/**
 * Star-shaped outline: a radius that varies smoothly with angle (harmonics 2..7 with decaying random
 * amplitudes), stretched into an ellipse. Star-shaped about the origin means it cannot self-intersect
 * and that scaling it about the centre gives nested outlines, which keeps the area fit monotonic.
 */
function blobRing(spec: BlobSpec, rand: () => number): Ring {
  const n = spec.vertices ?? 96;
  const harmonics = [2, 3, 4, 5, 6, 7].map((k) => ({
    k,
    amp: (spec.roughness * (0.5 + rand())) / k ** 1.1,
    phase: rand() * TAU,
  }));
  const stretch = Math.sqrt(spec.elongation);
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * TAU;
    let r = 1;
    for (const h of harmonics) r += h.amp * Math.cos(h.k * t + h.phase);
    r = Math.max(r, 0.35);
    ring.push(rotate([r * Math.cos(t) * stretch, (r * Math.sin(t)) / stretch], spec.bearing));
  }
  ring.push(ring[0]);
  return ring;
}

/**
 * River strip: a gently meandering centreline with a width that breathes along it and rounded ends.
 * The meander amplitude is capped so the centreline's curvature radius always exceeds the half-width,
 * which is what keeps the two banks from crossing.
 */
function stripRing(spec: StripSpec, rand: () => number): Ring {
  const length = spec.elongation; // in units of the mean width (width = 1)
  const halfWidth = 0.5;
  const wavelength = length / (1.5 + rand() * 1.5);
  const k = TAU / wavelength;
  const maxAmp = 0.5 / (k * k * halfWidth * 1.4); // curvature A·k² stays below 1/(1.4·w_max)
  const amp = maxAmp * spec.meander;
  const phase = rand() * TAU;
  const widthWaves = [1, 2, 3].map((m) => ({ m, amp: 0.12 * (0.5 + rand()) / m, phase: rand() * TAU }));
  const n = Math.floor(((spec.vertices ?? 96) - 12) / 2);
  const centre = (s: number): [number, number] => [s, amp * Math.sin(k * s + phase)];
  const width = (s: number) => {
    let w = halfWidth;
    for (const h of widthWaves) w *= 1 + h.amp * Math.sin((h.m * TAU * s) / length + h.phase);
    return w;
  };
  const left: [number, number][] = [];
  const right: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const s = -length / 2 + (i / n) * length;
    const [cx, cy] = centre(s);
    const slope = amp * k * Math.cos(k * s + phase);
    const norm = Math.hypot(1, slope);
    const [nx, ny] = [-slope / norm, 1 / norm];
    const w = width(s);
    left.push([cx + nx * w, cy + ny * w]);
    right.push([cx - nx * w, cy - ny * w]);
  }
  // Rounded caps: half-circles around each end point, 5 intermediate vertices each.
  const cap = (s: number, from: [number, number], to: [number, number]): [number, number][] => {
    const [cx, cy] = centre(s);
    const a0 = Math.atan2(from[1] - cy, from[0] - cx);
    let a1 = Math.atan2(to[1] - cy, to[0] - cx);
    if (a1 > a0) a1 -= TAU; // sweep clockwise, outward around the end
    const r = Math.hypot(from[0] - cx, from[1] - cy);
    return [1, 2, 3, 4, 5].map((j) => {
      const a = a0 + ((a1 - a0) * j) / 6;
      return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as [number, number];
    });
  };
  const endCap = cap(length / 2, left[n], right[n]);
  const startCap = cap(-length / 2, right[0], left[0]);
  const ring: Ring = [...left, ...endCap, ...right.reverse(), ...startCap];
  ring.push(ring[0]);
  return ring.map((p) => rotate(p, spec.bearing));
}

/** Draws a closed ring (local metres, centred on 0,0, counter-clockwise) of the given planar area. */
export function drawRing(spec: ShapeSpec, areaM2: number, seed: number): Ring {
  const rand = prng(seed);
  const raw = spec.kind === 'blob' ? blobRing(spec, rand) : stripRing(spec, rand);
  const ring = withArea(raw, areaM2);
  return shoelace(ring) < 0 ? ring.reverse() : ring;
}

/** Moves a WGS84 point by metres east and north. */
export function offsetLonLat([lon, lat]: [number, number], [east, north]: [number, number]): [number, number] {
  return toLonLat([[east, north]], [lon, lat])[0];
}

/** Places a local-metre ring at a WGS84 centre (equirectangular: exact enough at park scale). */
export function toLonLat(ring: Ring, [lon0, lat0]: [number, number]): Ring {
  const mPerDegLat = 110_574;
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  return ring.map(([x, y]) => [lon0 + x / mPerDegLon, lat0 + y / mPerDegLat]);
}
