/**
 * The one module that knows which database the portal runs on. Everything else receives a
 * `Database` and writes its SQL once; differences between PGlite and postgres.js (client set-up,
 * migrations, raw result shapes, bigint/numeric types) are settled here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type BackendKind = 'pglite' | 'postgres';
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** An open database: the drizzle handle plus the few operations whose shape differs by backend. */
export interface Database {
  kind: BackendKind;
  db: Db;
  /** Where the data lives, for the start-up log (a folder, or the URL without its password). */
  location: string;
  /** Runs raw SQL and returns its rows as plain objects, whatever the driver's result shape. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Applies the migrations in `migrations/`. */
  migrate(): Promise<void>;
  /**
   * Runs one request's work: the queries it starts stop after `statementTimeoutMs` and are cancelled
   * when `signal` aborts (the client went away).
   */
  scoped<T>(limits: RequestLimits, fn: () => Promise<T>): Promise<T>;
  /** Runs a named heavy job inside a request under the long statement timeout instead of the request's. */
  longRunning<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the database answers, and its versions; never waits behind the connection pool. */
  health(): Promise<DatabaseHealth>;
  close(): Promise<void>;
}

/** What bounds the database work of one request. */
export interface RequestLimits {
  signal: AbortSignal;
  statementTimeoutMs: number;
}

/** The answer of the health probe. */
export type DatabaseHealth = { reachable: true; postgres: string; postgis: string } | { reachable: false };

/** How a PostgreSQL pool is bounded; every limit is off when unset (scripts, tests). */
export interface PostgresOptions {
  max?: number;
  /** Longest wait for a free connection before DatabaseBusyError. */
  poolWaitMs?: number;
  /** Server-side limit of every statement on the pool (the long one: requests get a shorter one in `scoped`). */
  longStatementTimeoutMs?: number;
}

/** Raised when the database cannot be used as configured; the message is one sentence for the operator. */
export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';
}

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Normalises `db.execute` results: postgres.js returns an array, PGlite `{ rows }`. */
export function resultRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown[] } | null)?.rows;
  return (rows ?? []) as T[];
}

/** Something raw SQL can run on: the database handle or an open transaction. */
export type Executor = Pick<Db, 'execute'>;

/** Runs raw SQL on a database handle or a transaction and returns plain row objects. */
export async function queryRows<T = Record<string, unknown>>(exec: Executor, query: SQL): Promise<T[]> {
  return resultRows<T>(await exec.execute(query));
}

/** No connection of the pool became free in time; the request answers 503 and may be retried. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
}

/** A statement ran past the request's statement timeout and was cancelled. */
export class StatementTimeoutError extends Error {
  override name = 'StatementTimeoutError';
}

/** A query of a request whose client has gone away; nobody reads its answer. */
export class RequestAbortedError extends Error {
  override name = 'RequestAbortedError';
}

type PendingQuery = postgres.PendingQuery<postgres.Row[]>;

/** The request whose code is running, with the queries it has on the server right now. */
interface RequestScope {
  signal: AbortSignal | null;
  statementTimeoutMs: number | null;
  running: Set<PendingQuery>;
}

/** Scope of the running request; an async context, so concurrent requests never see each other's. */
const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Asks the server to cancel a postgres.js query, unless it must be left to run.
 * - `query.cancel()` drops the promise of its cancel request, so a failed one (database gone) would be
 *   an unhandled rejection that ends the process; calling the canceller (postgres 3.4) keeps it.
 * - A query pipelined behind another on its connection (sent, not yet running) is never cancelled:
 *   postgres.js 3.4 then takes the next query for the running one and hands every later query of that
 *   connection the answer of the one before. Such a query runs to its end (or the server-side
 *   LONG_STATEMENT_TIMEOUT_MS); the request stops waiting for it all the same.
 */
function cancelQuietly(query: PendingQuery): void {
  const q = query as unknown as { canceller: ((q: PendingQuery) => Promise<void>) | null; state: unknown; active: boolean };
  if (q.state && !q.active) return;
  const canceller = q.canceller;
  if (!canceller) return;
  q.canceller = null;
  canceller(query).catch(() => {});
}

function runScoped<T>(limits: RequestLimits, fn: () => Promise<T>): Promise<T> {
  const scope: RequestScope = { signal: limits.signal, statementTimeoutMs: limits.statementTimeoutMs, running: new Set() };
  const cancelAll = () => {
    for (const query of scope.running) cancelQuietly(query);
  };
  limits.signal.addEventListener('abort', cancelAll, { once: true });
  return requestScope.run(scope, fn).finally(() => limits.signal.removeEventListener('abort', cancelAll));
}

function runLong<T>(fn: () => Promise<T>): Promise<T> {
  const scope = requestScope.getStore();
  if (!scope) return fn();
  // Same request (same abort signal and running set), only without the short limit.
  return requestScope.run({ ...scope, statementTimeoutMs: null }, fn);
}

/**
 * Hands out the pool's connections with a bounded wait: postgres.js itself queues without limit, so
 * one slow caller would otherwise make every other request wait behind it for as long as it takes.
 */
class ConnectionGate {
  private free: number;
  private readonly waiting: { grant: () => boolean }[] = [];

  constructor(
    size: number,
    private readonly waitMs: number | undefined,
    /** Hand a freed connection on only after pending I/O has run (see gatedPglite). */
    private readonly yieldBetween = false,
  ) {
    this.free = size;
  }

  /** Resolves with the release function once a connection is free; rejects after the wait bound or on abort. */
  acquire(signal: AbortSignal | null): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new RequestAbortedError('the client has gone away'));
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const entry = {
        // False when this caller has already given up, so the connection goes to the next one.
        grant: () => {
          if (settled) return false;
          settled = true;
          cleanup();
          resolve(this.releaser());
          return true;
        },
      };
      const leave = (err: Error) => {
        if (settled) return;
        settled = true;
        cleanup();
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(err);
      };
      const onAbort = () => leave(new RequestAbortedError('the client has gone away'));
      const timer =
        this.waitMs === undefined ? null : setTimeout(() => leave(new DatabaseBusyError(`no database connection free within ${this.waitMs} ms`)), this.waitMs);
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.yieldBetween) setImmediate(() => this.handOn());
      else this.handOn();
    };
  }

  /** Gives a freed connection to the first caller still waiting, or back to the pool. */
  private handOn(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (next.grant()) return;
    }
    this.free++;
  }
}

/**
 * Repairs the answer of a query that ran on a connection whose previous query failed while its rows
 * were arriving (a statement timeout or cancel does exactly that): postgres.js 3.4 does not reset its
 * row counter then, so the next answer starts with empty slots (porsager/postgres#1119, #1181, fix not
 * released). A real row is never an empty slot, so dropping the leading ones restores the answer.
 */
function withoutLeadingHoles(rows: unknown): unknown {
  if (!Array.isArray(rows) || rows.length === 0 || 0 in rows) return rows;
  let first = 0;
  while (first < rows.length && !(first in rows)) first++;
  rows.splice(0, first);
  return rows;
}

/**
 * Makes a postgres.js query (lazy until awaited) wait for the gate, register with its request so an
 * abort can cancel it, and stop at the request's statement timeout.
 */
function trackQuery(query: PendingQuery, gate: ConnectionGate | null, scope: RequestScope | undefined): PendingQuery {
  const start = Object.getPrototypeOf(query).then as PendingQuery['then'];
  let run: Promise<unknown> | null = null;
  const execute = () =>
    (run ??= (async () => {
      const release = gate ? await gate.acquire(scope?.signal ?? null) : () => {};
      if (scope?.signal?.aborted) {
        release();
        throw new RequestAbortedError('the client has gone away');
      }
      scope?.running.add(query);
      const answer = new Promise((resolve, reject) => start.call(query, (rows: unknown) => resolve(withoutLeadingHoles(rows)), reject));
      // The connection stays counted until the server is done with the query, even when the request
      // stopped waiting for it earlier.
      answer
        .catch(() => {})
        .finally(() => {
          scope?.running.delete(query);
          release();
        });
      const limit = scope?.statementTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const deadline =
        limit == null
          ? null
          : new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                cancelQuietly(query);
                reject(new StatementTimeoutError(`statement stopped after ${limit} ms`));
              }, limit);
            });
      try {
        return await (deadline ? Promise.race([answer, deadline]) : answer);
      } catch (err) {
        if (err instanceof StatementTimeoutError) throw err;
        if (scope?.signal?.aborted) throw new RequestAbortedError('the client has gone away', { cause: err });
        throw err;
      } finally {
        clearTimeout(timer);
      }
    })());
  const q = query as unknown as Record<'then' | 'catch' | 'finally', unknown>;
  q.then = (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) => execute().then(onFulfilled, onRejected);
  q.catch = (onRejected?: (e: unknown) => unknown) => execute().catch(onRejected);
  q.finally = (onFinally?: () => void) => execute().finally(onFinally);
  return query;
}

type TransactionSql = postgres.TransactionSql;

/** The transaction's own connection: its queries are tracked and timed, but need no second connection. */
function trackTransaction(tx: TransactionSql, scope: RequestScope | undefined): TransactionSql {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (...args: Parameters<TransactionSql['unsafe']>) => trackQuery(target.unsafe(...args) as PendingQuery, null, scope);
      }
      if (prop === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (sp: TransactionSql) => unknown;
          return (target.savepoint as (...a: unknown[]) => Promise<unknown>)(...args, (sp: TransactionSql) => fn(trackTransaction(sp, scope)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** The pool as drizzle sees it: every query and transaction passes the gate and its request's limits. */
function gatedPool(client: postgres.Sql, gate: ConnectionGate): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (...args: Parameters<postgres.Sql['unsafe']>) => trackQuery(target.unsafe(...args) as PendingQuery, gate, requestScope.getStore());
      }
      if (prop === 'begin') {
        return async (...args: unknown[]) => {
          const fn = args.pop() as (tx: TransactionSql) => unknown;
          const scope = requestScope.getStore();
          const release = await gate.acquire(scope?.signal ?? null);
          try {
            return await (target.begin as (...a: unknown[]) => Promise<unknown>)(...args, (tx: TransactionSql) => fn(trackTransaction(tx, scope)));
          } catch (err) {
            if (scope?.signal?.aborted) throw new RequestAbortedError('the client has gone away', { cause: err });
            throw err;
          } finally {
            release();
          }
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * PGlite's one connection behind the same gate as a pool of one: its own queue never forgets a caller,
 * so a request whose client has left would still run every query it had queued.
 */
function gatedPglite(client: PGlite): PGlite {
  // PGlite runs on this thread: handing its connection straight to the next query would keep the event
  // loop from ever reading a socket (health checks, aborts) until the whole queue is done.
  const gate = new ConnectionGate(1, undefined, true);
  const through =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await gate.acquire(requestScope.getStore()?.signal ?? null);
      try {
        return await run(...args);
      } finally {
        release();
      }
    };
  const query = through(client.query.bind(client));
  const transaction = through(client.transaction.bind(client));
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query') return query;
      if (prop === 'transaction') return transaction;
      const value = Reflect.get(target, prop, target);
      // PGlite's methods use private fields: they must run on the instance, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Opens embedded PGlite with PostGIS; `dataDir` undefined keeps the database in memory. */
export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = new PGlite({ dataDir, extensions: { postgis }, loadDataDir: opts.loadDataDir });
  await client.waitReady;
  const db = drizzlePglite({ client: gatedPglite(client), schema }) as unknown as Db;
  // In-process and single-threaded: a running statement can be neither timed out (PGlite ignores
  // statement_timeout) nor cancelled; the versions never change while it is open, so the first answer is kept.
  let versions: Promise<DatabaseHealth> | null = null;
  const probe = () =>
    queryRows<{ postgres: string; postgis: string }>(db, healthQuery).then(([row]) => ({ reachable: true as const, ...row }));
  return {
    kind: 'pglite',
    db,
    location: dataDir ?? 'memory',
    rows: <T>(query: SQL) => queryRows<T>(db, query),
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    scoped: runScoped,
    longRunning: runLong,
    health: async () => {
      if (client.closed) return { reachable: false };
      versions ??= probe().catch((err) => {
        versions = null;
        throw err;
      });
      return versions;
    },
    close: () => client.close(),
  };
}

const healthQuery = sql`select current_setting('server_version') as postgres, postgis_lib_version() as postgis`;

/** Hides the password of a connection URL for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// int8 as number: counts and ids stay below 2^53 here, and PGlite returns numbers too.
const int8AsNumber = { bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } };

/** How long /api/health waits for its own probe before calling the database unreachable. */
const HEALTH_PROBE_MS = 2000;
/** A probe answer is reused this long, so a burst of health checks costs one query. */
const HEALTH_CACHE_MS = 1000;

/** Opens PostgreSQL through postgres.js; checks the server and PostGIS versions before use. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Database> {
  const max = opts.max ?? 10;
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: {
      application_name: 'weifang-pa-portal',
      ...(opts.longStatementTimeoutMs ? { statement_timeout: opts.longStatementTimeoutMs } : {}),
    },
    types: int8AsNumber,
  });
  const db = drizzlePostgres({ client: gatedPool(client, new ConnectionGate(max, opts.poolWaitMs)), schema }) as unknown as Db;
  // Health has a connection of its own with short limits: it must answer while the pool is saturated.
  const probeClient = postgres(url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: HEALTH_PROBE_MS / 1000,
    idle_timeout: 60,
    connection: { application_name: 'weifang-pa-portal-health', statement_timeout: HEALTH_PROBE_MS },
  });
  let lastProbe: { at: number; answer: Promise<DatabaseHealth> } | null = null;
  const probe = async (): Promise<DatabaseHealth> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<DatabaseHealth>((resolve) => {
      timer = setTimeout(() => resolve({ reachable: false }), HEALTH_PROBE_MS);
    });
    const asked = probeClient
      .unsafe(`select current_setting('server_version') as postgres, postgis_lib_version() as postgis`)
      .then(([row]) => ({ reachable: true as const, postgres: String(row.postgres), postgis: String(row.postgis) }))
      .catch(() => ({ reachable: false as const }));
    return Promise.race([asked, late]).finally(() => clearTimeout(timer));
  };
  const database: Database = {
    kind: 'postgres',
    db,
    location: redactUrl(url),
    rows: <T>(query: SQL) => queryRows<T>(db, query),
    migrate: async () => {
      await ensurePostgis(database);
      // Migrations run once at start-up, on a connection of their own, with no statement timeout.
      const migrator = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'weifang-pa-portal-migrate' }, types: int8AsNumber });
      try {
        await migratePostgres(drizzlePostgres({ client: migrator, schema }), { migrationsFolder });
      } finally {
        await migrator.end({ timeout: 5 });
      }
    },
    scoped: runScoped,
    longRunning: runLong,
    health: () => {
      if (!lastProbe || Date.now() - lastProbe.at > HEALTH_CACHE_MS) lastProbe = { at: Date.now(), answer: probe() };
      return lastProbe.answer;
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), probeClient.end({ timeout: 1 })]);
    },
  };
  return database;
}

/** Verifies PostgreSQL ≥ 15 and that PostGIS ≥ 3.3 is (or can be) installed; otherwise one clear sentence. */
async function ensurePostgis(database: Database): Promise<void> {
  const [info] = await database.rows<{ server_version_num: string; db: string; installed: string | null; available: boolean }>(sql`
    select current_setting('server_version_num') as server_version_num,
           current_database() as db,
           (select extversion from pg_extension where extname = 'postgis') as installed,
           exists (select 1 from pg_available_extensions where name = 'postgis') as available`);
  if (Number(info.server_version_num) < 150000) {
    throw new DatabaseSetupError(
      `PostgreSQL ${info.server_version_num} is too old: the portal needs PostgreSQL 15 or newer with PostGIS 3.3 or newer.`,
    );
  }
  if (!info.installed) {
    try {
      await database.rows(sql`create extension if not exists postgis`);
    } catch (err) {
      const why = info.available
        ? 'the connecting role may not create it'
        : 'it is not installed on the database server (on Debian: apt install postgresql-15-postgis-3)';
      throw new DatabaseSetupError(
        `PostGIS is missing in database "${info.db}" and ${why}: a superuser must run  CREATE EXTENSION postgis;  in that database, then start the portal again (the server said: ${rootMessage(err)}).`,
      );
    }
  }
  const [pg] = await database.rows<{ v: string }>(sql`select extversion as v from pg_extension where extname = 'postgis'`);
  const [major, minor] = pg.v.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 3)) {
    throw new DatabaseSetupError(
      `PostGIS ${pg.v} in database "${info.db}" is too old: the portal needs 3.3 or newer (a superuser can run  ALTER EXTENSION postgis UPDATE;).`,
    );
  }
}

/** The driver's own message, without drizzle's "Failed query" wrapper. */
export function rootMessage(err: unknown): string {
  const e = err as { cause?: unknown; message?: string } | null;
  if (e?.cause && typeof e.cause === 'object') return rootMessage(e.cause);
  return String(e?.message ?? err);
}

/** True when `err` or one of its causes (drizzle wraps driver errors) is a `kind`. */
export function causedBy(err: unknown, kind: new (...args: never[]) => Error): boolean {
  for (let e = err as { cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof kind) return true;
  }
  return false;
}

/** True for a statement stopped by a statement timeout, ours (cancelled) or the server's (SQLSTATE 57014). */
export function isStatementTimeout(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof StatementTimeoutError) return true;
    if (e.code === '57014' && /statement timeout/.test(String(e.message))) return true;
  }
  return false;
}

/** True for errors that mean the database is unreachable (down, restarting, connection lost). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; errno?: string; message?: string; cause?: unknown } | null;
  if (!e) return false;
  if (e.cause && isDatabaseUnavailable(e.cause)) return true;
  const code = e.code ?? e.errno ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'].includes(code)) {
    return true;
  }
  // SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash, cannot connect now).
  return /^08/.test(code) || ['57P01', '57P02', '57P03'].includes(code);
}
