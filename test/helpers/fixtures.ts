/**
 * Shared test fixtures: a migrated, seeded database prepared once per run (global setup) and
 * copied cheaply per test file — a PGlite data-dir snapshot, and a PostgreSQL template database.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openPglite, openPostgres, redactUrl, rootMessage } from '../../server/db/backend.ts';
import { seedDemoAccounts, seedSampleData } from '../../server/db/seed.ts';

/** Password of the demo accounts in every test database. */
export const DEMO_PASSWORD_FOR_TESTS = 'demo-pass-2026';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Hash of everything that shapes a seeded database: migrations and sample data. */
export async function fixtureVersion(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['migrations', 'migrations/meta', 'data/sample', 'server/db']) {
    const full = path.join(repoRoot, dir);
    const names = (await readdir(full).catch(() => [])).sort();
    for (const name of names) {
      const file = path.join(full, name);
      if ((await stat(file)).isFile()) hash.update(name).update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** Builds (or reuses) a gzipped PGlite data dir holding the migrated sample database. */
export async function preparePgliteSnapshot(version: string): Promise<string> {
  const dir = path.join(os.tmpdir(), 'portal-test-fixtures');
  const file = path.join(dir, `pglite-${version}.tar.gz`);
  if (await stat(file).catch(() => null)) return file;
  await mkdir(dir, { recursive: true });
  const database = await openPglite(undefined);
  try {
    await database.migrate();
    await seedSampleData(database);
    await seedDemoAccounts(database, DEMO_PASSWORD_FOR_TESTS);
    const client = (database.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client;
    const blob = await client.dumpDataDir('gzip');
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
    await rename(tmp, file);
  } finally {
    await database.close();
  }
  return file;
}

/** Name of the template database used for PostgreSQL test files. */
export const templateName = (version: string) => `portal_test_tpl_${version}`;

/** Creates (or reuses) a migrated, seeded template database on the test PostgreSQL server. */
export async function preparePostgresTemplate(url: string, version: string): Promise<string> {
  const name = templateName(version);
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const existing = await admin`select 1 from pg_database where datname = ${name}`;
    if (existing.length) return name;
    // Build under a temporary name and rename at the end, so a half-built template is never used.
    const building = `${name}_building_${process.pid}`;
    await admin.unsafe(`create database "${building}"`);
    const database = await openPostgres(withDatabase(url, building), { max: 2 });
    try {
      await database.migrate();
      await seedSampleData(database);
      await seedDemoAccounts(database, DEMO_PASSWORD_FOR_TESTS);
    } catch (err) {
      await database.close();
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      throw err;
    } finally {
      await database.close();
    }
    try {
      await admin.unsafe(`alter database "${building}" rename to "${name}"`);
    } catch (err) {
      // Another test process built the same version at the same time: use theirs, drop ours.
      if ((err as { code?: string }).code !== '42P04') throw err;
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      return name;
    }
    await admin.unsafe(`alter database "${name}" with is_template true`);
    return name;
  } catch (err) {
    throw new Error(`could not prepare the PostgreSQL test template on ${redactUrl(url)}: ${rootMessage(err)}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The same connection URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
