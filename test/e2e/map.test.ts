/**
 * Browser test: the built web app on the embedded backend, driven in Debian's Chromium.
 * Checks what a person sees once signed in (as the read-only demo account): the map renders, areas
 * carry their category colour on the canvas, a click opens the area's panel, and the language
 * switch works.
 */
import * as turf from '@turf/turf';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA_FILL_OPACITY, CATEGORY_COLORS } from '../../web/src/lib/map/style.ts';
import { classifyAreaPixels, referenceColours } from './pixels.ts';
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

/** The colour each category's fill shows over land, plus land and sea themselves. */
const categoryColours = referenceColours(CATEGORY_COLORS, AREA_FILL_OPACITY);

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
    return { category: detail.category as string, classes: await classifyAreaPixels(page, api, code, categoryColours) };
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
