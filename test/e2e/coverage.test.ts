/**
 * Browser test of the coverage view and the inspection pages, on the built web app and the real
 * server (fresh seeded database, no inspections). As the coordinator, the test records one joint
 * inspection whose zig-zag track covers 昌乐太公湖 (WF-PA-37) completely and passes nowhere near
 * 峡山湖 (WF-PA-15); then checks that the map paints the two areas in the legend's colours, that the
 * table says what /api/coverage says, and that the inspection page draws the track and previews an
 * uploaded file (dashed, stored nowhere) before saving it.
 */
import * as turf from '@turf/turf';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COVERAGE_COLORS, COVERAGE_FILL_OPACITY, TRACK_COLOR } from '../../web/src/lib/coverage/coverage-style.ts';
import { formatPercent } from '../../web/src/lib/coverage/format.ts';
import { PREVIEW_COLOR } from '../../web/src/lib/inspections/inspection-style.ts';
import { classifyAreaPixels, dist, hex, referenceColours } from './pixels.ts';
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

/** Each coverage class as its fill shows over land, plus land and sea. */
const coverageColours = referenceColours(COVERAGE_COLORS, COVERAGE_FILL_OPACITY);

const COVERED = 'WF-PA-37';
const UNVISITED = 'WF-PA-15';
const PERIOD = '2026-Q2';
const DAY = '2026-05-10';

/** Lines back and forth across a bounding box, ~330 m apart: with a 200 m swath they cover all of it. */
function zigzag([minX, minY, maxX, maxY]: number[]): [number, number][] {
  const points: [number, number][] = [];
  let eastward = true;
  for (let y = minY! - 0.002; y <= maxY! + 0.003; y += 0.003) {
    const [a, b] = eastward ? [minX! - 0.003, maxX! + 0.003] : [maxX! + 0.003, minX! - 0.003];
    points.push([a, y], [b, y]);
    eastward = !eastward;
  }
  return points;
}

describe.skipIf(skipReason !== null)(skipReason ? `coverage in the browser — skipped: ${skipReason}` : 'coverage in the browser', () => {
  let portal: Portal;
  let base: string;
  let browser: Browser;
  let page: Page;
  let consoleErrors: ConsoleError[];
  let expectedErrors: ExpectedFailure[];
  let inspectionId = 0;

  /** An API call with the signed-in page's session. */
  async function api(path: string, init: { method?: string; json?: unknown; multipart?: Record<string, unknown> } = {}) {
    const response = await page.request.fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      data: init.json,
      multipart: init.multipart as never,
      headers: { origin: base },
    });
    expect(response.status(), `${init.method ?? 'GET'} ${path}: ${await response.text()}`).toBeLessThan(300);
    return response.json();
  }

  beforeAll(async () => {
    portal = await startPortal();
    base = portal.base;
    expectedErrors = [{ status: 401, url: `${base}/api/auth/me` }];
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    page = await context.newPage();
    consoleErrors = watchConsole(page);
    await signIn(page, base, 'coord');

    const { departments } = await api('/api/departments');
    const eco = departments.find((d: { code: string }) => d.code === 'eco').id;
    const nr = departments.find((d: { code: string }) => d.code === 'nr').id;
    const area = await api(`/api/areas/${COVERED}`);
    const created = await api('/api/inspections', {
      method: 'POST',
      json: { title: '太公湖联合巡查', leadDepartmentId: eco, departmentIds: [eco, nr], areaCodes: [COVERED], plannedStart: DAY, plannedEnd: DAY, members: [{ name: '张三' }] },
    });
    inspectionId = created.id;
    const track = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { name: '太公湖往返' }, geometry: { type: 'LineString', coordinates: zigzag(area.bbox) } }],
    };
    const imported = await api(`/api/inspections/${inspectionId}/tracks`, {
      method: 'POST',
      multipart: {
        file: { name: 'taigong.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(track)) },
        coordinateSystem: 'wgs84',
      },
    });
    await api(`/api/inspections/${inspectionId}`, {
      method: 'PATCH',
      json: { version: imported.inspection.version, status: 'completed', actualStart: DAY, actualEnd: DAY },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  /** Frames the map on an area and classifies the canvas pixels inside it, clear of the legend. */
  async function classesInside(code: string): Promise<string[]> {
    // The legend sits over the map's top-left corner.
    return classifyAreaPixels(page, api, code, coverageColours, (x, y, canvas) => x < canvas.x + 300 || y < canvas.y + 60);
  }

  it('shades the fully covered area and the unvisited one as the legend says', async () => {
    await page.goto(`${base}/coverage?period=${PERIOD}&swath=200`);
    await page.waitForSelector('[data-coverage-state="ready"]', { timeout: 60_000 });
    await page.waitForSelector('body[data-map-state="idle"]', { timeout: 90_000 });
    // The tracks would be drawn over the fill being sampled; the legend switches them off.
    await page.getByTestId('layer-tracks').uncheck();
    // The legend lists the classes in the colours the map uses.
    const swatch = await page.locator('[data-testid="coverage-legend"] li[data-class="ge75"] .fill').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(swatch).toBe(`rgb(${hex(COVERAGE_COLORS.ge75).join(', ')})`);

    const covered = await classesInside(COVERED);
    expect(covered.length).toBeGreaterThanOrEqual(8);
    expect(covered.filter((c) => c === 'ge75').length / covered.length, JSON.stringify(covered)).toBeGreaterThanOrEqual(0.7);
    const unvisited = await classesInside(UNVISITED);
    expect(unvisited.length).toBeGreaterThanOrEqual(8);
    expect(unvisited.filter((c) => c === 'unvisited').length / unvisited.length, JSON.stringify(unvisited)).toBeGreaterThanOrEqual(0.7);
    expect(unexpectedErrors(consoleErrors, expectedErrors)).toEqual([]);
  });

  it('lists the same figures as /api/coverage for both areas', async () => {
    const report = await api(`/api/coverage?period=${PERIOD}&swath=200`);
    const covered = report.areas.find((a: { code: string }) => a.code === COVERED);
    const unvisited = report.areas.find((a: { code: string }) => a.code === UNVISITED);
    expect(covered).toMatchObject({ visited: true, joint: true, inspections: 1, lastVisit: DAY });
    expect(covered.coverage).toBeGreaterThan(0.95);
    expect(unvisited).toMatchObject({ visited: false, joint: false, coverage: 0, lastVisit: null, due: 'overdue' });

    const cell = (code: string, col: string) => page.locator(`[data-testid="coverage-table"] tr[data-code="${code}"] [data-col="${col}"]`);
    expect((await cell(COVERED, 'coverage').textContent())?.trim()).toBe(formatPercent(covered.coverage, 'zh-CN'));
    expect(await cell(COVERED, 'visited').textContent()).toBe('是');
    expect(await cell(COVERED, 'joint').textContent()).toBe('是');
    expect(await cell(COVERED, 'due').locator('[data-due]').getAttribute('data-due')).toBe(covered.due);
    expect((await cell(UNVISITED, 'coverage').textContent())?.trim()).toBe('—');
    expect(await cell(UNVISITED, 'visited').textContent()).toBe('否');
    expect(await cell(UNVISITED, 'lastVisit').textContent()).toBe('从未检查');
    expect(await cell(UNVISITED, 'due').locator('[data-due]').getAttribute('data-due')).toBe('overdue');
    const totals = await page.getByTestId('coverage-totals').textContent();
    expect(totals).toContain(`${report.totals.visited}/43`);
    expect(totals).toContain(`${report.totals.joint}/43`);

    // A click in the table selects the area: in the URL, and with its figures on the map.
    await page.locator(`[data-testid="coverage-table"] tr[data-code="${COVERED}"] .name-button`).click();
    await page.waitForURL((url) => url.searchParams.get('area') === COVERED);
    expect(new URL(page.url()).searchParams.get('period')).toBe(PERIOD);
    await expect.poll(() => page.getByTestId('coverage-selected').textContent()).toContain(formatPercent(covered.coverage, 'zh-CN'));
  });

  it('shows the imported track on the inspection page, and previews another through the form before saving it', async () => {
    await page.goto(`${base}/inspections/${inspectionId}`);
    await expect.poll(() => page.getByTestId('inspection-title').textContent(), { timeout: 30_000 }).toBe('太公湖联合巡查');
    expect(await page.getByTestId('joint-badge').textContent()).toBe('联合');
    expect(await page.getByTestId('inspection-tracks').textContent()).toContain('taigong.geojson');
    await page.waitForSelector('body[data-map-state="idle"]', { timeout: 90_000 });

    // The track's colour is on the canvas where the track runs.
    const detail = await api(`/api/inspections/${inspectionId}`);
    const [a, b] = detail.tracks.features[0].geometry.coordinates[0] as [number, number][];
    const mid: [number, number] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const at = await page.evaluate(async (p) => {
      const map = (window as unknown as { __portal: { map: import('maplibre-gl').Map } }).__portal.map;
      const idle = map.once('idle');
      map.triggerRepaint();
      await idle;
      const q = map.project(p);
      return [Math.round(q.x), Math.round(q.y)];
    }, mid);
    const canvas = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
    const png = PNG.sync.read(await page.screenshot());
    let nearest = Infinity;
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const o = ((at[1]! + dy + Math.round(canvas.y)) * png.width + at[0]! + dx + Math.round(canvas.x)) * 4;
        nearest = Math.min(nearest, dist([png.data[o]!, png.data[o + 1]!, png.data[o + 2]!], hex(TRACK_COLOR)));
      }
    }
    expect(nearest).toBeLessThan(40);

    // Through the page: choose a GPX file and upload it for a preview, which is drawn but not stored.
    const gpx = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="${mid[1]}" lon="${mid[0]}"><name>湖边</name><desc>未见异常</desc></wpt>
  <trk><trkseg><trkpt lat="${a[1]}" lon="${a[0]}"/><trkpt lat="${b[1]}" lon="${b[0]}"/></trkseg></trk>
</gpx>`;
    const previewed = () => page.waitForResponse((r) => r.url().includes(`/api/inspections/${inspectionId}/tracks?dryRun=1`));
    await page.locator('#track-file').setInputFiles({ name: 'second.gpx', mimeType: 'application/gpx+xml', buffer: Buffer.from(gpx) });
    let response = previewed();
    await page.getByTestId('track-upload').click();
    expect((await response).status()).toBe(200);
    await expect.poll(() => page.getByTestId('track-preview').getAttribute('data-crs'), { timeout: 30_000 }).toBe('wgs84');
    const summary = await page.getByTestId('track-preview').textContent();
    expect(summary).toContain('second.gpx');
    expect(summary).toContain('2 个轨迹点');
    expect(summary).toContain('1 个检查点');
    expect(await page.getByTestId('inspection-tracks').textContent()).not.toContain('second.gpx');
    expect((await api(`/api/inspections/${inspectionId}`)).tracks.features).toHaveLength(1);

    // The dashed preview is on the canvas, in its own colour, where the file's track runs.
    const previewAt = await page.evaluate(async (p) => {
      const map = (window as unknown as { __portal: { map: import('maplibre-gl').Map } }).__portal.map;
      if (map.isMoving()) await map.once('moveend');
      const idle = map.once('idle');
      map.triggerRepaint();
      await idle;
      const q = map.project(p);
      return [Math.round(q.x), Math.round(q.y)];
    }, mid);
    const shot = PNG.sync.read(await page.screenshot());
    let nearestPreview = Infinity;
    for (let dy = -6; dy <= 6; dy++) {
      for (let dx = -6; dx <= 6; dx++) {
        const o = ((previewAt[1]! + dy + Math.round(canvas.y)) * shot.width + previewAt[0]! + dx + Math.round(canvas.x)) * 4;
        nearestPreview = Math.min(nearestPreview, dist([shot.data[o]!, shot.data[o + 1]!, shot.data[o + 2]!], hex(PREVIEW_COLOR)));
      }
    }
    expect(nearestPreview).toBeLessThan(40);

    // Another coordinate system previews again, and the track moves (GCJ-02 is offset by hundreds of metres here).
    response = previewed();
    await page.locator('#track-crs').selectOption('gcj02');
    const shifted = (await (await response).json()).tracks.coordinates[0][0] as [number, number];
    expect(turf.distance(shifted, a, { units: 'meters' })).toBeGreaterThan(100);
    await expect.poll(() => page.getByTestId('track-preview').getAttribute('data-crs'), { timeout: 30_000 }).toBe('gcj02');
    response = previewed();
    await page.locator('#track-crs').selectOption('wgs84');
    await response;
    await expect.poll(() => page.getByTestId('track-preview').getAttribute('data-crs'), { timeout: 30_000 }).toBe('wgs84');

    // Save uploads the same file for real: the track is listed with its checkpoint and the preview is gone.
    await page.getByTestId('track-save').click();
    await expect.poll(() => page.getByTestId('track-result').textContent(), { timeout: 30_000 }).toContain('second.gpx');
    expect(await page.getByTestId('inspection-tracks').textContent()).toContain('second.gpx');
    expect(await page.locator('.checkpoints').textContent()).toContain('未见异常');
    expect(await page.getByTestId('track-preview').count()).toBe(0);
    const stored = (await api(`/api/inspections/${inspectionId}`)).tracks.features;
    expect(stored).toHaveLength(2);
    expect(stored.find((f: { properties: { fileName: string } }) => f.properties.fileName === 'second.gpx').properties.coordinateSystem).toBe('wgs84');

    // A file the server cannot read: its message, which says what and where, is shown.
    await page.locator('#track-file').setInputFiles({ name: 'broken.gpx', mimeType: 'application/gpx+xml', buffer: Buffer.from('<gpx><trk>') });
    await page.getByTestId('track-upload').click();
    await expect.poll(() => page.getByTestId('track-error').textContent(), { timeout: 30_000 }).toContain('broken.gpx');
    // Chromium logs the refused upload (422, which the shared helper does not know); nothing else.
    const tracksUrl = `${base}/api/inspections/${inspectionId}/tracks`;
    // The preview is refused, so the URL carries `?dryRun=1`.
    const refused = (e: ConsoleError) => e.url.startsWith(tracksUrl) && e.text.includes('status of 422');
    expect(consoleErrors.filter(refused)).toHaveLength(1);
    expect(unexpectedErrors(consoleErrors.filter((e) => !refused(e)), expectedErrors)).toEqual([]);
  });
});
