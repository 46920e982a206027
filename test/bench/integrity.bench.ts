/**
 * Bounded-work figures, against the portal started as a child process (server/main.ts):
 *   1. server memory after 10 parallel 100 MB bodies to POST /api/auth/login (Content-Length and
 *      chunked), against its idle RSS;
 *   2. /api/health p99 while 200 concurrent heavy coverage requests run, against idle, and how many
 *      of those requests got 503;
 *   3. /api/health max latency while a 200,000-point GPX is parsed (tracks upload, dryRun), against idle.
 *
 *   npm run bench:integrity                                   # embedded PGlite (fresh DATA_DIR)
 *   BENCH_DATABASE_URL=postgres://…/portal_bench npm run bench:integrity   # and PostgreSQL (an empty database)
 *   BENCH_PGLITE=0 BENCH_DATABASE_URL=… npm run bench:integrity             # PostgreSQL only
 *
 * Loopback only; every loop is bounded. Prints figures; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/fixtures.ts';

const PASSWORD = 'bench-password-1';
const PORT = 18_093;
const base = `http://127.0.0.1:${PORT}`;
const MB = 1024 * 1024;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

/** Current and peak resident memory (KiB) of one process, from /proc. */
function memory(pid: number): { rssKb: number; peakKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/** Starts the portal (one node process, so its memory is the server's) and waits for /api/health. */
async function startPortal(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_PASSWORD: PASSWORD, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = performance.now();
  while (performance.now() - started < 300_000) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error('the portal did not answer within 5 minutes');
}

async function stopPortal(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function login(username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  return /portal_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')![0];
}

/** Latency of one GET, body read; the bench gives up (and disconnects) after `giveUpMs`. */
async function timedGet(pathName: string, cookie?: string, giveUpMs = 120_000): Promise<{ ms: number; status: number }> {
  const t = performance.now();
  const res = await fetch(base + pathName, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(giveUpMs) });
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}

/** Health checks go over their own kept-alive socket, so they never queue behind the load's requests in fetch's pool. */
const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Latency of one /api/health (at most `giveUpMs`, then counted at that). */
function healthMs(giveUpMs = 600_000): Promise<number> {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: PORT, path: '/api/health', agent: healthAgent, timeout: giveUpMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(performance.now() - t));
  });
}

/** `n` sequential health requests: the idle baseline. */
async function idleHealth(n: number): Promise<number[]> {
  for (let i = 0; i < 10; i++) await healthMs();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await healthMs());
  return times;
}

/** Health requests one after another until `busy` settles (at most `cap` of them). */
async function healthDuring(busy: Promise<unknown>, cap = 50_000): Promise<number[]> {
  let done = false;
  void busy.finally(() => (done = true));
  const times: number[] = [];
  // PGlite runs each statement on the server's only thread: one health check may wait for minutes.
  while (!done && times.length < cap) times.push(await healthMs());
  return times;
}

/**
 * Sends `bytes` of body to the login route over a raw socket, with a Content-Length or chunked,
 * without ever holding the body in memory here; resolves with the status (0 when the server cut us off).
 */
function floodLogin(bytes: number, chunked: boolean): Promise<number> {
  return new Promise((resolve) => {
    let status = 0;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(bytes);
    const req = http.request({ host: '127.0.0.1', port: PORT, method: 'POST', path: '/api/auth/login', headers }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => resolve(status));
    });
    req.on('error', () => resolve(status));
    req.on('close', () => resolve(status));
    const chunk = Buffer.alloc(MB, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write('{"username":"coord","password":"');
    sent += 32;
    pump();
  });
}

/** A GPX of `n` points zig-zagging over Weifang, built as one string. */
function bigGpx(n: number): string {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>大轨迹</name><trkseg>\n'];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / 1000);
    const col = row % 2 ? 999 - (i % 1000) : i % 1000;
    parts.push(`<trkpt lat="${(36.3 + row * 0.002).toFixed(5)}" lon="${(119.0 + col * 0.0008).toFixed(5)}"></trkpt>\n`);
  }
  parts.push('</trkseg></trk></gpx>\n');
  return parts.join('');
}

async function run(label: string, env: Record<string, string>) {
  console.log(`\n# ${label}`);
  const child = await startPortal(env);
  try {
    const viewer = await login('viewer');
    const coord = await login('coord');
    const inspector = await login('insp');

    // 1. Memory under oversized bodies.
    await idleHealth(50);
    const idle = memory(child.pid!);
    const floods = await Promise.all([
      ...Array.from({ length: 10 }, () => floodLogin(100 * MB, false)),
      ...Array.from({ length: 10 }, () => floodLogin(100 * MB, true)),
    ]);
    const after = memory(child.pid!);
    const statuses = Object.entries(floods.reduce<Record<string, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {}));
    console.log(`idle RSS ${mib(idle.rssKb)}; after 10 Content-Length + 10 chunked 100 MB login bodies: RSS ${mib(after.rssKb)} (×${(after.rssKb / idle.rssKb).toFixed(2)}), peak ${mib(after.peakKb)} (×${(after.peakKb / idle.rssKb).toFixed(2)})`);
    console.log(`  answers: ${statuses.map(([s, n]) => `${s === '0' ? 'cut off' : s}×${n}`).join(', ')}`);

    // 2. Health while 200 heavy coverage requests run.
    const idleTimes = await idleHealth(200);
    // The widest window the API allows (3 years) at the widest swath.
    const heavy = '/api/coverage?from=2024-01-01&to=2026-12-31&swath=2000';
    const coverageStarted = performance.now();
    const coverage = Promise.all(Array.from({ length: 200 }, () => timedGet(heavy, viewer).catch(() => ({ ms: NaN, status: 0 }))));
    const busyTimes = await healthDuring(coverage);
    const answered = await coverage;
    const coverageSeconds = (performance.now() - coverageStarted) / 1000;
    if (!answered.some((r) => r.status === 200 || r.status === 503)) throw new Error(`the coverage requests were refused: ${JSON.stringify(answered[0])}`);
    const byStatus = answered.reduce<Record<number, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
    const idleP99 = percentile(idleTimes, 99);
    const busyP99 = percentile(busyTimes, 99);
    console.log(`/api/health p99 idle ${ms(idleP99)}; during 200 concurrent ${heavy}: ${ms(busyP99)} (×${(busyP99 / idleP99).toFixed(1)}, ${busyTimes.length} health requests, max ${ms(Math.max(...busyTimes))})`);
    console.log(`  coverage answers (status 0: gave up after 120 s) in ${coverageSeconds.toFixed(1)} s: ${Object.entries(byStatus).map(([s, n]) => `${s}×${n}`).join(', ')} — 503: ${byStatus[503] ?? 0}`);

    // The sessions must have survived the load (a 401 here would mean a query got another's answer).
    const still = await Promise.all([viewer, coord, inspector].map((cookie) => fetch(`${base}/api/auth/me`, { headers: { cookie } }).then((r) => r.status)));
    console.log(`  sessions after the load: /api/auth/me ${still.join(', ')}`);

    // 3. Health while a 200,000-point GPX is parsed.
    const listed = await fetch(`${base}/api/departments`, { headers: { cookie: coord } });
    if (listed.status !== 200) throw new Error(`listing departments failed: ${listed.status} ${await listed.text()}`);
    const { departments } = (await listed.json()) as { departments: { id: number; code: string }[] };
    const ids = ['eco', 'nr'].map((code) => departments.find((d) => d.code === code)?.id);
    const created = await fetch(`${base}/api/inspections`, {
      method: 'POST',
      headers: { cookie: coord, 'content-type': 'application/json' },
      body: JSON.stringify({ title: '基准测试：大轨迹', leadDepartmentId: ids[0], departmentIds: ids, areaCodes: ['WF-PA-15'], plannedStart: '2026-05-12', plannedEnd: '2026-05-12' }),
    });
    if (created.status !== 201) throw new Error(`creating the inspection failed: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: number };
    const gpx = bigGpx(200_000);
    const idleMax = Math.max(...(await idleHealth(200)));
    const form = new FormData();
    form.set('file', new File([gpx], 'big.gpx'));
    const uploadStarted = performance.now();
    const upload = fetch(`${base}/api/inspections/${id}/tracks?dryRun=1`, { method: 'POST', body: form, headers: { cookie: inspector } }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
    const parseTimes = await healthDuring(upload);
    const uploaded = await upload;
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    const parseMax = Math.max(...parseTimes);
    console.log(`/api/health max idle ${ms(idleMax)}; while a 200,000-point GPX (${(gpx.length / MB).toFixed(1)} MB) is parsed: ${ms(parseMax)} (×${(parseMax / idleMax).toFixed(1)}, ${parseTimes.length} health requests)`);
    console.log(`  upload answered ${uploaded.status} in ${uploadSeconds.toFixed(1)} s${uploaded.status === 200 ? '' : `: ${uploaded.body.slice(0, 200)}`}`);
  } finally {
    healthAgent.destroy();
    await stopPortal(child);
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portal-integrity-'));
  try {
    if (process.env.BENCH_PGLITE !== '0') await run('embedded PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (pgUrl) {
    // An empty database gets the sample data and demo accounts on the first start.
    await run('PostgreSQL', { DATABASE_URL: pgUrl, DATA_DIR: dataDir, SEED_SAMPLE: 'true', SEED_DEMO: 'true' });
  } else {
    console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL to an empty database to measure it too)');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
