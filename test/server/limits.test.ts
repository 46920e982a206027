/**
 * Bounded work on the request path: a capped JSON body refused while it streams, a statement timeout
 * that answers 503, queries cancelled when the client leaves, a bounded wait for a pool connection,
 * and /api/health answering while the pool is saturated.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import { causedBy, openPostgres, RequestAbortedError, type Database, type PostgresOptions } from '../../server/db/backend.ts';
import { createLogger } from '../../server/lib/log.ts';
import { client, SAME_ORIGIN, signIn } from '../helpers/auth.ts';
import { describeEachBackend, freshPglite, testConfig } from '../helpers/backends.ts';
import { withDatabase } from '../helpers/fixtures.ts';

const MB = 1024 * 1024;
const tooLarge = { error: { code: 'payload_too_large', message: '请求内容超过 1024 KB 的上限' } };

/** A login body of `bytes` bytes: valid JSON padded with white space after its last value. */
const paddedLogin = (bytes: number) => {
  const head = '{"username":"coord","password":"not-the-password"';
  return `${head}${' '.repeat(bytes - head.length - 1)}}`;
};

/** A body that streams 64 KiB chunks without end (up to 100 MiB), counting what the server pulled. */
function endlessBody() {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= 100 * MB) return controller.close();
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

/** Serves an app on a free loopback port. */
async function listen(app: ReturnType<typeof createApp>): Promise<{ server: ServerType; port: number; base: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return { server, port, base: `http://127.0.0.1:${port}` };
}

/** Posts a chunked body over a real socket and stops sending as soon as the answer arrives. */
function postChunkedUntilAnswered(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    // After the answer the server may close the socket under the remaining upload: expected.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (!answered && sent < 100 * MB) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write('{"username":"coord","password":"');
    pump();
  });
}

/** Polls `check` until it holds, for at most `attempts` rounds `everyMs` apart; returns whether it held. */
async function eventually(check: () => Promise<boolean>, attempts = 200, everyMs = 50): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

describeEachBackend('request body cap', (ctx) => {
  const login = (init: RequestInit) =>
    ctx().app.request('/api/auth/login', { method: 'POST', ...init, headers: { 'content-type': 'application/json', origin: SAME_ORIGIN, ...init.headers } });

  it('refuses a JSON body over JSON_BODY_MAX_KB by its Content-Length with 413, before reading it', async () => {
    const body = paddedLogin(2 * MB);
    const res = await login({ body, headers: { 'content-length': String(body.length) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
  });

  it('refuses a body without a length after reading just past the cap, not the whole stream', async () => {
    const { stream, counter } = endlessBody();
    const res = await login({ body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
    // The cap is 1 MiB; the stream would have given 100 MiB.
    expect(counter.pulled).toBeGreaterThan(1 * MB);
    expect(counter.pulled).toBeLessThan(2 * MB);
  });

  it('still accepts a body just under the cap', async () => {
    const body = paddedLogin(1024 * 1024 - 10);
    const res = await login({ body, headers: { 'content-length': String(body.length), 'x-forwarded-for': '10.9.0.1' } });
    // Reaches the handler: the padded password is simply wrong.
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'invalid_credentials', message: '用户名或密码不正确' } });
  });

  it('keeps the upload cap, not the JSON cap, for multipart uploads', async () => {
    const app = createApp({ database: ctx().database, config: testConfig({ jsonBodyMaxKb: 1 }), log: createLogger('silent') });
    const coord = client(app, await signIn(app, 'coord'));
    const [eco, nr] = await Promise.all(
      ['eco', 'nr'].map(async (code) => (await ctx().database.rows<{ id: number }>(sql`select id from departments where code = ${code}`))[0].id),
    );
    const inspection = { title: '限额检查', leadDepartmentId: eco, departmentIds: [eco, nr], areaCodes: ['WF-PA-15'], plannedStart: '2026-05-12', plannedEnd: '2026-05-12' };
    // A JSON body over 1 KiB is refused …
    const padded = await coord('/api/inspections', { json: { ...inspection, summary: '说明'.repeat(400) } });
    expect(padded.status).toBe(413);
    expect(await padded.json()).toEqual({ error: { code: 'payload_too_large', message: '请求内容超过 1 KB 的上限' } });
    const created = await coord('/api/inspections', { json: inspection });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    // … while a 10 KiB track file goes through.
    const points = Array.from({ length: 120 }, (_, i) => `<trkpt lat="36.42" lon="${(119.36 + i * 0.001).toFixed(4)}"></trkpt>`).join('\n');
    const gpx = `<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>\n${points}\n</trkseg></trk></gpx>`;
    expect(gpx.length).toBeGreaterThan(4 * 1024);
    const form = new FormData();
    form.set('file', new File([gpx], 'lake.gpx'));
    const cookie = await signIn(app, 'insp');
    const res = await app.request(`/api/inspections/${id}/tracks?dryRun=1`, { method: 'POST', body: form, headers: { cookie, origin: SAME_ORIGIN } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dryRun: true, format: 'gpx', pointCount: 120 });
  });

  it('refuses a chunked body over a real socket with 413 and the standard body', async () => {
    const { server, port } = await listen(ctx().app);
    try {
      const res = await postChunkedUntilAnswered(port, '/api/auth/login');
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual(tooLarge);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('queued queries of a client that has gone [PGlite]', () => {
  it('drops them instead of running them once the connection is free', async () => {
    const { database, dispose } = await freshPglite();
    try {
      const limits = (signal: AbortSignal) => ({ signal, statementTimeoutMs: 5000 });
      const first = database.scoped(limits(new AbortController().signal), () =>
        database.rows<{ n: number }>(sql`select count(*)::int as n from protected_areas`),
      );
      const gone = new AbortController();
      // Queued behind the first: PGlite has one connection.
      const second = database.scoped(limits(gone.signal), () => database.rows(sql`select count(*) from protected_areas`));
      gone.abort();
      const refused = await second.then(() => null, (err: unknown) => err);
      expect(causedBy(refused, RequestAbortedError)).toBe(true);
      expect(await first).toEqual([{ n: 43 }]);
    } finally {
      await dispose();
    }
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!pgUrl)('statement timeout, cancellation and the pool [PostgreSQL]', () => {
  let url = '';
  let admin: postgres.Sql;
  let name = '';
  const open: Database[] = [];

  beforeAll(async () => {
    const template = inject('postgresTemplate');
    if (!template) throw new Error('the PostgreSQL template was not prepared (global setup)');
    name = `portal_test_${randomBytes(5).toString('hex')}`;
    admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}" template "${template}"`);
    url = withDatabase(pgUrl!, name);
  });
  afterAll(async () => {
    await Promise.all(open.map((d) => d.close()));
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  });

  /** An app on its own pool with the given limits, and a viewer signed in. */
  async function portal(options: PostgresOptions, config: Partial<Config>) {
    const database = await openPostgres(url, options);
    open.push(database);
    const app = createApp({ database, config: testConfig(config), log: createLogger('silent') });
    const cookie = await signIn(app, 'viewer');
    return { database, app, cookie, viewer: client(app, cookie) };
  }

  /**
   * Holds an exclusive lock on protected_areas while `fn` runs, so every area query of the portal
   * waits on it: a statement that runs as long as the test wants, on a real route.
   */
  async function withAreasLocked<T>(fn: () => Promise<T>): Promise<T> {
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    try {
      let result!: T;
      await locker.begin(async (tx) => {
        await tx`lock table protected_areas in access exclusive mode`;
        result = await fn();
      });
      return result;
    } finally {
      await locker.end({ timeout: 5 });
    }
  }

  /** Portal statements of this database now waiting on a lock. */
  async function waitingOnLock(): Promise<number> {
    const [{ n }] = await admin<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = ${name} and application_name = 'weifang-pa-portal' and wait_event_type = 'Lock'`;
    return n;
  }

  it('answers 503 with Retry-After when a statement runs past the request timeout, and cancels it', async () => {
    const { viewer } = await portal({ max: 2 }, { statementTimeoutMs: 300 });
    const res = await withAreasLocked(async () => {
      const answer = await viewer('/api/areas');
      // Still inside the lock: the statement is gone from the server, not merely abandoned by us.
      expect(await eventually(async () => (await waitingOnLock()) === 0)).toBe(true);
      return answer;
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.json()).toEqual({ error: { code: 'query_timeout', message: '查询耗时过长，已中止：请缩小时间或范围后重试' } });
  });

  it('answers 503 when the server-side statement timeout of the pool stops a statement', async () => {
    const { viewer } = await portal({ max: 2, longStatementTimeoutMs: 300 }, { statementTimeoutMs: 60_000 });
    const res = await withAreasLocked(async () => viewer('/api/areas'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'query_timeout', message: '查询耗时过长，已中止：请缩小时间或范围后重试' } });
  });

  it('cancels the running query when the client goes away', async () => {
    const { app, cookie } = await portal({ max: 2 }, { statementTimeoutMs: 60_000 });
    const { server, base } = await listen(app);
    try {
      await withAreasLocked(async () => {
        const abort = new AbortController();
        const request = fetch(`${base}/api/areas`, { headers: { cookie }, signal: abort.signal }).catch((err: Error) => err);
        expect(await eventually(async () => (await waitingOnLock()) === 1)).toBe(true);
        abort.abort();
        expect(await request).toBeInstanceOf(Error);
        // The lock is still held: only a cancel can have ended the statement.
        expect(await eventually(async () => (await waitingOnLock()) === 0)).toBe(true);
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('gives the next query its own rows after a statement failed while its rows were arriving', async () => {
    // What a statement timeout does to a streaming query; one connection, so the next query reuses it.
    const database = await openPostgres(url, { max: 1 });
    open.push(database);
    const failed = await database.rows(sql`select i, 1 / (4 - i) as boom from generate_series(1, 10) i`).then(() => null, (err: unknown) => err);
    expect(failed).not.toBeNull();
    expect(await database.rows(sql`select x from generate_series(1, 3) x`)).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
  });

  it('answers 503 after a bounded wait for a connection, while /api/health still answers', async () => {
    const { app, viewer } = await portal({ max: 2, poolWaitMs: 200 }, { statementTimeoutMs: 60_000 });
    const pending = await withAreasLocked(async () => {
      const held = [Promise.resolve(viewer('/api/areas')), Promise.resolve(viewer('/api/areas'))];
      expect(await eventually(async () => (await waitingOnLock()) === 2)).toBe(true);

      const busy = await viewer('/api/areas');
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('2');
      expect(await busy.json()).toEqual({ error: { code: 'database_busy', message: '系统繁忙，请稍后重试' } });

      const health = await app.request('/api/health', { headers: { cookie: 'portal_session=whatever' } });
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', backend: 'postgres', database: { reachable: true } });
      return held;
    });
    // Once the lock is gone the two held requests finish normally.
    const done = await Promise.all(pending);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
  });
});
