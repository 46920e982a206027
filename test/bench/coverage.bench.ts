/**
 * Coverage figures: GET /api/coverage for the city (median of 20) on the sample inspections, then
 * with ten times the sample tracks (each copied nine times, shifted a few hundred metres, as other
 * inspections on the same days); the ratio shows how the computation grows. /api/health is the
 * baseline measured in the same run.
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench:coverage    # PostgreSQL (and PGlite)
 *   npm run bench:coverage                                     # PGlite only
 *   BENCH_PGLITE=0 BENCH_DATABASE_URL=postgres://… npm run bench:coverage   # PostgreSQL only
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createApp } from '../../server/app.ts';
import { openPglite, openPostgres, type Database } from '../../server/db/backend.ts';
import { seedSampleInspections } from '../../server/db/seed-inspections.ts';
import { seedDemoAccounts, seedSampleData } from '../../server/db/seed.ts';
import { createLogger } from '../../server/lib/log.ts';
import { testConfig } from '../helpers/backends.ts';
import { signIn } from '../helpers/auth.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(base: string, path: string, cookie: string, n: number) {
  await (await fetch(base + path, { headers: { cookie } })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(base + path, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Nine shifted copies of every sample track, as extra completed joint inspections on the same days. */
async function multiplyTracks(database: Database) {
  await database.rows(sql`
    with copies as (select generate_series(1, 9) as k),
    src as (select i.*, k from inspections i, copies where i.status = 'completed'),
    made as (
      insert into inspections (title, status, actual_start, actual_end, lead_department_id, summary)
      select s.title || ' (副本 ' || s.k || ')', s.status, s.actual_start, s.actual_end, s.lead_department_id, 'benchmark copy'
      from src s returning id, title)
    select count(*) from made`);
  await database.rows(sql`
    insert into inspection_departments (inspection_id, department_id)
    select c.id, d.department_id from inspections c
    join inspections o on c.title like o.title || ' (副本 %' and o.summary is distinct from 'benchmark copy'
    join inspection_departments d on d.inspection_id = o.id
    where c.summary = 'benchmark copy'`);
  await database.rows(sql`
    insert into inspection_tracks (inspection_id, file_name, format, sha256, point_count, geom)
    select c.id, t.file_name, t.format, t.sha256, t.point_count,
           ST_Translate(t.geom, 0.002 * (substring(c.title from '副本 (\\d+)')::int), 0.0015 * (substring(c.title from '副本 (\\d+)')::int))
    from inspections c
    join inspections o on c.title like o.title || ' (副本 %' and o.summary is distinct from 'benchmark copy'
    join inspection_tracks t on t.inspection_id = o.id
    where c.summary = 'benchmark copy'`);
}

async function measure(name: string, database: Database) {
  const app = createApp({ database, config: testConfig(), log: createLogger('silent') });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cookie = await signIn(app, 'viewer', 'bench-password-1');
    const row = async (label: string) => {
      const [{ n }] = await database.rows<{ n: number }>(sql`select count(*)::int as n from inspection_tracks`);
      const health = await timed(base, '/api/health', cookie, 20);
      const quarter = await timed(base, '/api/coverage?period=2026-Q2', cookie, 20);
      const year = await timed(base, '/api/coverage?period=2025', cookie, 5);
      const grid = await timed(base, '/api/coverage/grid?period=2026-Q2', cookie, 5);
      console.log(`${name.padEnd(10)} ${label.padEnd(16)} ${String(n).padStart(5)} tracks · health ${health.toFixed(1)} ms · coverage quarter ${quarter.toFixed(0)} ms (×${(quarter / health).toFixed(0)}) · year ${year.toFixed(0)} ms · grid quarter ${grid.toFixed(0)} ms`);
      return quarter;
    };
    const one = await row('sample');
    await multiplyTracks(database);
    const ten = await row('10× tracks');
    console.log(`${name.padEnd(10)} 10× tracks / sample for /api/coverage (quarter): ${(ten / one).toFixed(2)}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function prepare(database: Database) {
  await database.migrate();
  await seedSampleData(database);
  await seedDemoAccounts(database, 'bench-password-1');
  await seedSampleInspections(database);
  return database;
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const pg = await prepare(await openPostgres(url));
    try {
      await measure('PostgreSQL', pg);
    } finally {
      await pg.close();
    }
  } else {
    console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL to an empty database with PostGIS)');
  }
  if (process.env.BENCH_PGLITE === '0') return;
  const lite = await prepare(await openPglite(undefined));
  try {
    await measure('PGlite', lite);
  } finally {
    await lite.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
