/**
 * `npm start` as a newcomer runs it: first start migrates and seeds the embedded database, a second
 * start keeps the data, a second process on the same folder is refused, bad configuration stops it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

interface Started {
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

function npmStart(env: Record<string, string>): Started {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '', DEMO_PASSWORD: '', LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    stop: async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      return exited;
    },
  };
}

async function waitFor(started: Started, text: string, ms = 150_000) {
  const until = Date.now() + ms;
  while (!started.output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for "${text}"; output so far:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitUntil(check: () => boolean, ms = 30_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portal-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates and seeds on first start, keeps the data on the second, and locks its folder', async () => {
    const port = await freePort();
    let cookie = '';
    const first = npmStart({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await waitFor(first, 'portal ready');
      const log = first.output();
      expect(log).toContain(`database: embedded PGlite + PostGIS in ${path.join(dataDir, 'pgdata')}`);
      expect(log).toContain('loaded the sample data: 43 protected areas, 24 zones, 16 counties, 80 departments');
      expect(log).toContain(`at http://localhost:${port}/`);
      // No DEMO_PASSWORD: one is generated and printed this once.
      const password = /Demo accounts admin, coord, eco, nr, lq, insp, viewer \(and \d+ department officers named by department code, e.g. gov-linqu\) were created with the password: {2}(\S+)/.exec(log)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect((await fetch(`http://127.0.0.1:${port}/api/areas`)).status).toBe(401);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify({ username: 'viewer', password }),
      });
      expect(login.status).toBe(200);
      cookie = /portal_session=[^;]*/.exec(login.headers.get('set-cookie') ?? '')![0];
      const res = await fetch(`http://127.0.0.1:${port}/api/areas`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect((await res.json()).features).toHaveLength(43);
      const page = await fetch(`http://127.0.0.1:${port}/areas/WF-PA-01`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app"');

      const intruder = npmStart({ PORT: String(await freePort()), DATA_DIR: dataDir });
      expect(await intruder.exited).toBe(1);
      expect(intruder.output()).toMatch(/The data folder .* is in use by another portal process \(pid \d+\)/);
    } finally {
      await first.stop();
    }
    // The server closes the database and releases its lock on SIGTERM (npm itself just dies of it).
    await waitFor(first, 'SIGTERM: shutting down');
    await waitUntil(() => !existsSync(path.join(dataDir, 'portal.lock')));

    const second = npmStart({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await waitFor(second, 'portal ready');
      expect(second.output()).toMatch(/sample data not loaded again: sample data already loaded at \d{4}-/);
      expect(second.output()).not.toContain('Demo accounts');
      // Sessions live in the database, so a restart does not sign anyone out.
      const res = await fetch(`http://127.0.0.1:${port}/api/areas?category=nature_reserve`, { headers: { cookie } });
      expect((await res.json()).features).toHaveLength(2);
    } finally {
      await second.stop();
    }
    // Two cold starts of the embedded database (and a web build if sources changed) take a while on 2 cores.
  }, 300_000);

  it('stops with one message listing every bad key', async () => {
    const bad = npmStart({ PORT: 'eighty', LOG_LEVEL: 'chatty', DATA_DIR: dataDir });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('Invalid configuration:\n  - PORT="eighty": must be a number\n  - LOG_LEVEL="chatty": must be one of debug, info, warn, error, silent');
  });
});
