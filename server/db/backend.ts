/**
 * The one module that knows which database the portal runs on. Everything else receives a
 * `Database` and writes its SQL once; differences between PGlite and postgres.js (client set-up,
 * migrations, raw result shapes, bigint/numeric types) are settled here.
 */
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
  close(): Promise<void>;
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

function withRows(kind: BackendKind, db: Db, location: string, migrate: () => Promise<void>, close: () => Promise<void>): Database {
  return {
    kind,
    db,
    location,
    rows: <T>(query: SQL) => queryRows<T>(db, query),
    migrate,
    close,
  };
}

/** Opens embedded PGlite with PostGIS; `dataDir` undefined keeps the database in memory. */
export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = new PGlite({ dataDir, extensions: { postgis }, loadDataDir: opts.loadDataDir });
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return withRows(
    'pglite',
    db,
    dataDir ?? 'memory',
    () => migratePglite(db as never, { migrationsFolder }),
    () => client.close(),
  );
}

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

/** Opens PostgreSQL through postgres.js; checks the server and PostGIS versions before use. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Database> {
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'weifang-pa-portal' },
    // int8 as number: counts and ids stay below 2^53 here, and PGlite returns numbers too.
    types: { bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } },
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const database = withRows(
    'postgres',
    db,
    redactUrl(url),
    async () => {
      await ensurePostgis(database);
      await migratePostgres(db as never, { migrationsFolder });
    },
    () => client.end({ timeout: 5 }),
  );
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
