/**
 * Browser test: the built web app on the embedded backend, driven in Debian's Chromium.
 * Checks what a person sees once signed in (as the read-only demo account): the map renders, areas
 * carry their category colour on the canvas, a click opens the area's panel, and the language
 * switch works.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA_FILL_OPACITY, CATEGORY_COLORS, LAND_COLOR, SEA_COLOR } from '../../web/src/lib/map/style.ts';
import {
  launchBrowser,
  signIn,
  skipReason,
  startPortal,
  unexpectedErrors,
  watchConsole,
  type ConsoleError,
  type ExpectedFailure,
  type Portal,
} from './support.ts';

type Rgb = [number, number, number];
const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
const blend = (top: Rgb, under: Rgb, alpha: number): Rgb => top.map((v, i) => v * alpha + under[i] * (1 - alpha)) as Rgb;
const dist = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The colour each category's fill shows over land, plus land and sea themselves. */
const referenceColours: [string, Rgb][] = [
  ...Object.entries(CATEGORY_COLORS).map(([k, c]) => [k, blend(hex(c), hex(LAND_COLOR), AREA_FILL_OPACITY)] as [string, Rgb]),
  ['land', hex(LAND_COLOR)],
  ['sea', hex(SEA_COLOR)],
];

/** Which reference colour a pixel is nearest to. */
function classify(pixel: Rgb): string {
  let best = '';
  let bestDist = Infinity;
  for (const [name, colour] of referenceColours) {
    const d = dist(pixel, colour);
    if (d < bestDist) [best, bestDist] = [name, d];
  }
  return best;
}

describe.skipIf(skipReason !== null)(skipReason ? `map in the browser — skipped: ${skipReason}` : 'map in the browser', () => {
  let portal: Portal;
  let base: string;
  let browser: Browser;
  /** One signed-in browser profile: every page of it shares the session cookie. */
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: ConsoleError[];
  /** Signing in starts on the login page, whose first question to /api/auth/me is answered 401. */
  let expectedErrors: ExpectedFailure[];

  beforeAll(async () => {
    portal = await startPortal();
    base = portal.base;
    expectedErrors = [{ status: 401, url: `${base}/api/auth/me` }];
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    page = await context.newPage();
    consoleErrors = watchConsole(page);
    await signIn(page, base, 'viewer');
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('loads without console errors and the map reaches idle', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-map-state="idle"]', { timeout: 90_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(unexpectedErrors(consoleErrors, expectedErrors)).toEqual([]);
  });

  /** An API document, fetched with the signed-in page's session. */
  async function api(path: string) {
    const response = await page.request.get(`${base}${path}`);
    expect(response.status(), path).toBe(200);
    return response.json();
  }

  /** Frames the map on an area and returns how the canvas pixels inside it classify. */
  async function samplesInside(code: string) {
    const detail = await api(`/api/areas/${code}`);
    const others = await api('/api/areas');
    const area: Feature<MultiPolygon> = { type: 'Feature', geometry: detail.geometry, properties: {} };
    // Stay clear of the outline and of the other designations drawn on top.
    const inner = turf.buffer(area, -150, { units: 'meters' });
    const [minX, minY, maxX, maxY] = detail.bbox as number[];
    const candidates: [number, number][] = [];
    for (let i = 1; i < 20; i++) {
      for (let j = 1; j < 20; j++) {
        const p: [number, number] = [minX + ((maxX - minX) * i) / 20, minY + ((maxY - minY) * j) / 20];
        if (!inner || !turf.booleanPointInPolygon(p, inner as Feature<MultiPolygon>)) continue;
        const elsewhere = others.features.some(
          (f: Feature<MultiPolygon> & { id: string }) => f.id !== code && turf.booleanPointInPolygon(p, f),
        );
        if (!elsewhere) candidates.push(p);
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
    const canvas = await page.locator('canvas.maplibregl-canvas').boundingBox();
    const png = PNG.sync.read(await page.screenshot());
    const classes: string[] = [];
    for (const [x, y] of screen.points) {
      // Labels are drawn around the label point; skip that neighbourhood.
      if (Math.abs(x - screen.label[0]) < 160 && Math.abs(y - screen.label[1]) < 40) continue;
      const sx = x + Math.round(canvas!.x);
      const sy = y + Math.round(canvas!.y);
      if (sx < 0 || sy < 0 || sx >= png.width || sy >= png.height) continue;
      const o = (sy * png.width + sx) * 4;
      classes.push(classify([png.data[o], png.data[o + 1], png.data[o + 2]]));
    }
    return { category: detail.category as string, classes };
  }

  it.each(['WF-PA-42', 'WF-PA-15', 'WF-PA-41', 'WF-PA-04'])('draws %s in its category colour', async (code) => {
    const { category, classes } = await samplesInside(code);
    expect(classes.length).toBeGreaterThanOrEqual(8);
    const share = classes.filter((c) => c === category).length / classes.length;
    expect(share, `${code} (${category}) pixels classified as ${JSON.stringify(classes)}`).toBeGreaterThanOrEqual(0.6);
  });

  it('opens the panel of an area clicked on the map, and names it in the URL', async () => {
    const detail = await api('/api/areas/WF-PA-15');
    const point = await page.evaluate(async ({ bbox, p }) => {
      const map = (window as unknown as { __portal: { map: import('maplibre-gl').Map } }).__portal.map;
      map.fitBounds(bbox as [number, number, number, number], { padding: 120, animate: false });
      const idle = map.once('idle');
      map.triggerRepaint();
      await idle;
      const q = map.project(p as [number, number]);
      return { x: q.x, y: q.y };
    }, { bbox: detail.bbox, p: turf.pointOnFeature(detail.geometry).geometry.coordinates });
    const canvas = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
    await page.mouse.click(canvas.x + point.x, canvas.y + point.y);
    const panel = page.getByTestId('area-panel');
    await expect.poll(() => panel.textContent(), { timeout: 20_000 }).toContain('山东潍坊峡山湖国家湿地公园');
    expect(await panel.textContent()).toContain('示意边界');
    expect(new URL(page.url()).pathname).toBe('/areas/WF-PA-15');
  });

  it('opens the same view from a link to an area', async () => {
    const second = await context.newPage();
    await second.goto(`${base}/areas/WF-PA-02`);
    await expect.poll(() => second.getByTestId('area-panel').textContent(), { timeout: 60_000 }).toContain('山东仰天山省级自然保护区');
    await second.close();
  });

  it('switches the interface to English', async () => {
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.getByTestId('area-panel').textContent()).toContain('Xiashan Lake National Wetland Park');
    expect(await page.locator('body').textContent()).toMatch(/Schematic boundary/i);
    expect(unexpectedErrors(consoleErrors, expectedErrors)).toEqual([]);
  });

  it('is usable at phone width', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(`${base}/`);
    await phone.waitForSelector('body[data-map-state="idle"]', { timeout: 90_000 });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.close();
  });
});
