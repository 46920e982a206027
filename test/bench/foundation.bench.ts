/**
 * Foundation figures: cold and warm `npm start` to the first 200 from /api/areas and the server's
 * RSS; /api/areas latency on both backends (against /api/health as the baseline measured in the
 * same run); initial JS size (gzip) against maplibre-gl's own bundle; navigation to map idle in
 * headless Chromium against DOMContentLoaded.
 *
 *   npm run bench:foundation                      # PGlite only
 *   BENCH_DATABASE_URL=postgres://… npm run bench:foundation
 *
 * Prints figures; asserts nothing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { createApp, webDistDir } from '../../server/app.ts';
import { openPglite, openPostgres, type Database } from '../../server/db/backend.ts';
import { seedDemoAccounts, seedSampleData } from '../../server/db/seed.ts';
import { createLogger } from '../../server/lib/log.ts';
import { ensureWebBuild } from '../../server/web-build.ts';
import { chromiumArgs, findChromium } from '../helpers/chromium.ts';
import { repoRoot } from '../helpers/fixtures.ts';
import { testConfig } from '../helpers/backends.ts';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

/** RSS (KiB) of every process in a process group. */
function groupRssKb(pgid: number): number {
  const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
  return out.split('\n').map(Number).filter(Boolean).reduce((a, b) => a + b, 0);
}

const BENCH_PASSWORD = 'bench-password-1';

/** Signs in as the demo viewer over HTTP and returns the session cookie. */
async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'viewer', password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  return /portal_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')![0];
}

/** Starts `npm start` on a data folder and times it to the first 200 from /api/areas (signed in). */
async function timeStart(dataDir: string, port: number) {
  const started = performance.now();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', DEMO_PASSWORD: BENCH_PASSWORD },
    detached: true,
    stdio: 'ignore',
  });
  let elapsed = 0;
  let cookie = '';
  for (;;) {
    try {
      if (!cookie && (await fetch(`${base}/api/health`)).status === 200) cookie = await login(base);
      const res = cookie ? await fetch(`${base}/api/areas`, { headers: { cookie } }) : null;
      if (res?.status === 200) {
        await res.arrayBuffer();
        elapsed = performance.now() - started;
        break;
      }
    } catch {
      /* not listening yet */
    }
    if (performance.now() - started > 300_000) {
      process.kill(-child.pid!, 'SIGTERM');
      throw new Error('npm start did not answer within 5 minutes');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let i = 0; i < 20; i++) await (await fetch(`${base}/api/areas`, { headers: { cookie } })).arrayBuffer();
  const rssKb = groupRssKb(child.pid!);
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { elapsed, rssKb };
}

/** Median latency of GET path over HTTP against a running app. */
async function latency(base: string, pathName: string, cookie: string, n = 50) {
  for (let i = 0; i < 5; i++) await (await fetch(base + pathName, { headers: { cookie } })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await (await fetch(base + pathName, { headers: { cookie } })).arrayBuffer();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function withServer<T>(database: Database, fn: (base: string) => Promise<T>): Promise<T> {
  const app = createApp({ database, config: testConfig(), log: createLogger('silent') });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function main() {
  await ensureWebBuild(webDistDir, createLogger('warn'));

  console.log('\n# npm start (embedded PGlite)');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  try {
    const cold = await timeStart(dataDir, 18_081);
    const warm = await timeStart(dataDir, 18_081);
    console.log(`cold start (empty DATA_DIR: migrate + seed) to first 200 /api/areas: ${(cold.elapsed / 1000).toFixed(1)} s, RSS ${mib(cold.rssKb)}`);
    console.log(`warm start (same DATA_DIR) to first 200 /api/areas:               ${(warm.elapsed / 1000).toFixed(1)} s, RSS ${mib(warm.rssKb)}`);
    console.log(`warm / cold: ${(warm.elapsed / cold.elapsed).toFixed(2)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log('\n# /api/areas latency (median of 50, HTTP on loopback, gzip off)');
  const backends: [string, () => Promise<Database>][] = [
    ['PGlite', async () => {
      const db = await openPglite(undefined);
      await db.migrate();
      await seedSampleData(db);
      await seedDemoAccounts(db, BENCH_PASSWORD);
      return db;
    }],
  ];
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    backends.push(['PostgreSQL', async () => {
      const db = await openPostgres(pgUrl);
      await db.migrate();
      await seedSampleData(db);
      await seedDemoAccounts(db, BENCH_PASSWORD);
      return db;
    }]);
  } else {
    console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL to a database with PostGIS)');
  }
  const areaTimes: Record<string, number> = {};
  for (const [name, open] of backends) {
    const db = await open();
    try {
      await withServer(db, async (base) => {
        const cookie = await login(base);
        const health = await latency(base, '/api/health', cookie);
        const areas = await latency(base, '/api/areas', cookie);
        const detail = await latency(base, '/api/areas/WF-PA-02', cookie);
        areaTimes[name] = areas;
        console.log(`${name.padEnd(10)} /api/health ${ms(health)} (baseline) · /api/areas ${ms(areas)} (×${(areas / health).toFixed(1)}) · /api/areas/WF-PA-02 ${ms(detail)} (×${(detail / health).toFixed(1)})`);
      });
    } finally {
      await db.close();
    }
  }
  if (areaTimes.PostgreSQL) console.log(`PGlite / PostgreSQL for /api/areas: ${(areaTimes.PGlite / areaTimes.PostgreSQL).toFixed(2)}`);

  console.log('\n# initial JS (gzip)');
  const html = readFileSync(path.join(webDistDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const initial = scripts.reduce((sum, s) => sum + gzipSync(readFileSync(path.join(webDistDir, s))).length, 0);
  // Baseline: maplibre-gl's own main-thread modules (the worker loads separately, after start).
  const maplibre = ['maplibre-gl.mjs', 'maplibre-gl-shared.mjs']
    .map((f) => gzipSync(readFileSync(path.join(repoRoot, 'node_modules/maplibre-gl/dist', f))).length)
    .reduce((a, b) => a + b, 0);
  console.log(`initial JS: ${(initial / 1024).toFixed(0)} KiB gzip in ${scripts.length} file(s); maplibre-gl alone: ${(maplibre / 1024).toFixed(0)} KiB (ratio ${(initial / maplibre).toFixed(2)})`);

  const chromiumPath = findChromium();
  if (!chromiumPath) {
    console.log('\n(browser figures skipped: no Chromium)');
    return;
  }
  console.log('\n# navigation to map idle (headless Chromium, SwiftShader, median of 5)');
  const db = await openPglite(undefined);
  await db.migrate();
  await seedSampleData(db);
  await seedDemoAccounts(db, BENCH_PASSWORD);
  try {
    await withServer(db, async (base) => {
      const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
      const idle: number[] = [];
      const dcl: number[] = [];
      const cookie = (await login(base)).split('=');
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addCookies([{ name: cookie[0], value: cookie[1], url: base }]);
        const page = await context.newPage();
        const t = performance.now();
        await page.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
        dcl.push(performance.now() - t);
        await page.waitForSelector('body[data-map-state="idle"]', { timeout: 120_000 });
        idle.push(performance.now() - t);
        await context.close();
      }
      await browser.close();
      console.log(`DOMContentLoaded ${ms(median(dcl))} (baseline) · map idle ${ms(median(idle))} (×${(median(idle) / median(dcl)).toFixed(1)})`);
    });
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
