/**
 * Where a sample finding lies: a point, or a small remote-sensing patch (图斑) of 0.1–5 ha, inside its
 * area and, in the zoned areas, inside the chosen zone, kept clear of the zone's edge so that the
 * portal's spatial join judges the same zone.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { drawRing, toLonLat } from '../lib/shapes.ts';

export type Shape = Feature<Polygon | MultiPolygon>;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** True when the point lies inside the shape. */
export const inside = (shape: Shape, p: [number, number]) => turf.booleanPointInPolygon(p, shape);

/** A random point inside `within` (rejection sampling over its bounding box), at 6 decimals. */
export function pointIn(within: Shape, rand: () => number): Point {
  const [x0, y0, x1, y1] = turf.bbox(within);
  for (let i = 0; i < 10_000; i++) {
    const p: [number, number] = [round6(x0 + rand() * (x1 - x0)), round6(y0 + rand() * (y1 - y0))];
    // A step in from the edge so a point is not judged on a boundary.
    if (inside(within, p) && turf.pointToPolygonDistance(p, within, { units: 'meters' }) < -15) {
      return { type: 'Point', coordinates: p };
    }
  }
  throw new Error('no point found inside the shape');
}

/**
 * A star-shaped patch of about `ha` hectares inside `within`: a ring 30 % larger than the patch, and
 * the midpoints of its edges, must all lie inside, which keeps the patch off the edge. The patch
 * shrinks when it does not fit.
 */
export function patchIn(within: Shape, ha: number, seed: number, rand: () => number): { polygon: Polygon; ha: number } {
  let size = ha;
  for (let attempt = 0; attempt < 400; attempt++) {
    if (attempt > 0 && attempt % 40 === 0) size = Math.max(0.1, size * 0.7);
    const centre = pointIn(within, rand).coordinates as [number, number];
    const vertices = 9 + Math.floor(rand() * 8);
    const local = drawRing({ kind: 'blob', elongation: 1 + rand() * 1.8, bearing: rand() * 180, roughness: 0.18, vertices }, size * 1e4, seed + attempt);
    const margin = toLonLat(local.map(([x, y]) => [x * 1.3, y * 1.3] as [number, number]), centre);
    const probes = margin.flatMap((p, i) => (i === 0 ? [p] : [p, [(p[0] + margin[i - 1][0]) / 2, (p[1] + margin[i - 1][1]) / 2] as [number, number]]));
    if (!probes.every((p) => inside(within, p as [number, number]))) continue;
    const ring = toLonLat(local, centre).map(([x, y]) => [round6(x), round6(y)]);
    ring[ring.length - 1] = ring[0];
    const polygon: Polygon = { type: 'Polygon', coordinates: [ring] };
    if (!turf.booleanValid(polygon)) continue;
    return { polygon, ha: turf.area(polygon) / 1e4 };
  }
  throw new Error('no patch fits inside the shape');
}

/** Hectares → 亩 (15 亩 to the hectare), as the ledger counts land. */
export const muOf = (ha: number) => ha * 15;
