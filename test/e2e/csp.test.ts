/**
 * The Content-Security-Policy the server sends is one the web app lives with: the main pages load in
 * Chromium with no CSP violation, neither on the page (securitypolicyviolation) nor in maplibre's
 * worker (which reports to the console only).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, skipReason, startPortal, type Portal } from './support.ts';

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

describe.skipIf(skipReason !== null)(skipReason ? `content security policy — skipped: ${skipReason}` : 'content security policy in the browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console lines about the policy, from the page and its workers. */
  const consoleReports: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: Violation[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` }),
      );
    });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) consoleReports.push(msg.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  const violations = () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp);

  /** Opens `path`, waits until the page shows `ready`, and returns what the policy refused meanwhile. */
  async function visit(path: string, ready: string) {
    const response = await page.goto(`${portal.base}${path}`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.waitForSelector(ready, { timeout: 90_000 });
    return { page: await violations(), console: consoleReports.splice(0) };
  }

  it('sees a violation when there is one (the watch works)', async () => {
    await page.goto(`${portal.base}/login`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
    });
    await page.waitForFunction(() => (window as unknown as { __csp: unknown[] }).__csp.length > 0);
    expect(await violations()).toEqual([expect.objectContaining({ directive: 'script-src-elem' })]);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    consoleReports.splice(0);
  });

  it('loads the login page without violations', async () => {
    expect(await visit('/login', '[data-testid="login-form"]')).toEqual({ page: [], console: [] });
  });

  it('loads the map, with its worker and canvas, without violations', async () => {
    await signIn(page, portal.base, 'coord');
    expect(await visit('/', 'body[data-map-state="idle"]')).toEqual({ page: [], console: [] });
  });

  it('loads the coverage page without violations', async () => {
    expect(await visit('/coverage', '[data-coverage-state="ready"]')).toEqual({ page: [], console: [] });
  });

  it('loads the findings list and a finding page without violations', async () => {
    const created = await page.request.post(`${portal.base}/api/findings`, {
      data: {
        title: '河道内非法采砂',
        category: 'mining',
        source: 'remote_sensing',
        description: '遥感监测发现河道内新增采砂坑',
        discoveredAt: '2026-05-20',
        geometry: { type: 'Point', coordinates: [119.42, 36.42] },
      },
    });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    expect(await visit('/findings', '[data-testid="finding-row"]')).toEqual({ page: [], console: [] });
    expect(await visit(`/findings/${id}`, '[data-testid="finding-serial"]')).toEqual({ page: [], console: [] });
  });

  it('loads the inspections and tasks pages without violations', async () => {
    expect(await visit('/inspections', '[data-testid="inspections-list"], [data-testid="inspections-empty"]')).toEqual({ page: [], console: [] });
    expect(await visit('/tasks', '[data-testid="tasks-list"], [data-testid="tasks-empty"]')).toEqual({ page: [], console: [] });
  });
});
