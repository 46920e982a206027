/**
 * Reading what the map really drew: canvas pixels inside an area, classified by the nearest of the
 * colours the legend promises. Shared by the browser tests of the area map and the coverage view.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { LAND_COLOR, SEA_COLOR } from '../../web/src/lib/map/style.ts';

export type Rgb = [number, number, number];
export const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
const blend = (top: Rgb, under: Rgb, alpha: number): Rgb => top.map((v, i) => v * alpha + under[i]! * (1 - alpha)) as Rgb;
/** Distance between two colours in RGB space. */
export const dist = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Each named fill as it shows over land at the given opacity, plus land and sea themselves. */
export function referenceColours(fills: Record<string, string>, opacity: number): [string, Rgb][] {
  return [
    ...Object.entries(fills).map(([name, c]) => [name, blend(hex(c), hex(LAND_COLOR), opacity)] as [string, Rgb]),
    ['land', hex(LAND_COLOR)],
    ['sea', hex(SEA_COLOR)],
  ];
}

/** The name of the reference colour a pixel is nearest to. */
export function nearestColour(pixel: Rgb, references: readonly [string, Rgb][]): string {
  let best = '';
  let bestDist = Infinity;
  for (const [name, colour] of references) {
    const d = dist(pixel, colour);
    if (d < bestDist) [best, bestDist] = [name, d];
  }
  return best;
}

type Api = (path: string) => Promise<{ geometry: MultiPolygon; bbox: number[]; labelPoint: [number, number]; features?: unknown }>;

/**
 * Frames the map on an area and classifies the canvas pixels at a grid of points inside it — clear of
 * its outline (150 m), of other designations drawn on top, of its label, and of any screen region
 * `skip` names (e.g. a legend over the map).
 */
export async function classifyAreaPixels(
  page: Page,
  api: Api,
  code: string,
  references: readonly [string, Rgb][],
  skip: (x: number, y: number, canvas: { x: number; y: number }) => boolean = () => false,
): Promise<string[]> {
  const detail = await api(`/api/areas/${code}`);
  const others = (await api('/api/areas')) as unknown as { features: (Feature<MultiPolygon> & { id: string })[] };
  const inner = turf.buffer({ type: 'Feature', geometry: detail.geometry, properties: {} } as Feature<MultiPolygon>, -150, { units: 'meters' });
  const [minX, minY, maxX, maxY] = detail.bbox;
  const candidates: [number, number][] = [];
  for (let i = 1; i < 20; i++) {
    for (let j = 1; j < 20; j++) {
      const p: [number, number] = [minX! + ((maxX! - minX!) * i) / 20, minY! + ((maxY! - minY!) * j) / 20];
      if (!inner || !turf.booleanPointInPolygon(p, inner as Feature<MultiPolygon>)) continue;
      if (others.features.some((f) => f.id !== code && turf.booleanPointInPolygon(p, f))) continue;
      candidates.push(p);
    }
  }
  const screen: { points: [number, number][]; label: [number, number] } = await page.evaluate(
    async ({ bbox, pts, label }) => {
      const map = (window as unknown as { __portal: { map: import('maplibre-gl').Map } }).__portal.map;
      map.fitBounds(bbox as [number, number, number, number], { padding: 120, animate: false });
      const idle = map.once('idle');
      map.triggerRepaint();
      await idle;
      const px = (p: [number, number]) => {
        const q = map.project(p);
        return [Math.round(q.x), Math.round(q.y)] as [number, number];
      };
      return { points: pts.map(px), label: px(label) };
    },
    { bbox: detail.bbox, pts: candidates, label: detail.labelPoint },
  );
  const canvas = (await page.locator('canvas.maplibregl-canvas').first().boundingBox())!;
  const png = PNG.sync.read(await page.screenshot());
  const classes: string[] = [];
  for (const [x, y] of screen.points) {
    // Labels are drawn around the label point; skip that neighbourhood.
    if (Math.abs(x - screen.label[0]) < 160 && Math.abs(y - screen.label[1]) < 40) continue;
    const sx = x + Math.round(canvas.x);
    const sy = y + Math.round(canvas.y);
    if (sx < 0 || sy < 0 || sx >= png.width || sy >= png.height || skip(sx, sy, canvas)) continue;
    const o = (sy * png.width + sx) * 4;
    classes.push(nearestColour([png.data[o]!, png.data[o + 1]!, png.data[o + 2]!], references));
  }
  return classes;
}
