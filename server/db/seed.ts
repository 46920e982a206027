/**
 * Loads the bundled sample data (data/sample/) into an empty database, in one transaction.
 * PostGIS parses the GeoJSON; Node only reads the files and passes their text as parameters.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { hashPassword } from '../features/auth/passwords.ts';
import { recordEvent } from '../lib/audit.ts';
import type { Role } from '../lib/vocabulary.ts';
import { queryRows, resultRows, type Database } from './backend.ts';

export const sampleDir = fileURLToPath(new URL('../../data/sample/', import.meta.url));

const sampleFiles = ['counties.geojson', 'counties.meta.json', 'departments.json', 'areas.geojson', 'zones.geojson'] as const;

/** Outcome of a seeding attempt, for the start-up log. */
export type SeedResult = { seeded: false; reason: string } | { seeded: true; areas: number; counties: number; departments: number; zones: number };

/** True when the database already holds the sample data or any protected area. */
async function alreadyLoaded(database: Database): Promise<string | null> {
  const [row] = await database.rows<{ loaded: string | null; areas: number }>(sql`
    select (select value from portal_meta where key = 'sample_loaded_at') as loaded,
           (select count(*)::int from protected_areas) as areas`);
  if (row.loaded) return `sample data already loaded at ${row.loaded}`;
  if (row.areas > 0) return `database already holds ${row.areas} protected areas`;
  return null;
}

/** Loads data/sample into the database unless it already holds areas; safe to call on every start. */
export async function seedSampleData(database: Database): Promise<SeedResult> {
  const skip = await alreadyLoaded(database);
  if (skip) return { seeded: false, reason: skip };

  const text = Object.fromEntries(
    await Promise.all(sampleFiles.map(async (f) => [f, await readFile(sampleDir + f, 'utf8')] as const)),
  ) as Record<(typeof sampleFiles)[number], string>;
  const version = createHash('sha256');
  for (const f of sampleFiles) version.update(text[f]);
  const meta = JSON.parse(text['counties.meta.json']) as Record<string, unknown>;
  const countiesSource = String(meta.source ?? '');
  const datumNote = String(meta.datumNote ?? meta.datum ?? '');

  return database.db.transaction(async (tx) => {
    const exec = (q: SQL) => tx.execute(q);

    await exec(sql`
      insert into counties (code, name_zh, name_en, kind, seat, geom, boundary_source)
      select p ->> 'code', p ->> 'nameZh', p ->> 'nameEn', p ->> 'kind',
             ST_SetSRID(ST_MakePoint((p -> 'seat' ->> 0)::float8, (p -> 'seat' ->> 1)::float8), 4326),
             case when json_typeof(f -> 'geometry') = 'object'
                  then ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326)) end,
             case when json_typeof(f -> 'geometry') = 'object' then ${countiesSource} end
      from json_array_elements(${text['counties.geojson']}::json -> 'features') f,
           lateral (select f -> 'properties' as p) props`);

    await exec(sql`
      insert into departments (code, name_zh, name_en, kind, level, county_code)
      select d ->> 'code', d ->> 'nameZh', d ->> 'nameEn', d ->> 'kind', d ->> 'level', d ->> 'county'
      from json_array_elements(${text['departments.json']}::json) d`);
    await exec(sql`
      update departments child set parent_id = parent.id
      from json_array_elements(${text['departments.json']}::json) d
      join departments parent on parent.code = d ->> 'parent'
      where child.code = d ->> 'code'`);

    await exec(sql`
      insert into protected_areas (code, name_zh, name_en, category, level, county_code, established, established_on,
        established_precision, reported_area_ha, published_point, confidence, source, boundary_source, boundary_version,
        boundary_schematic, geom)
      select p ->> 'code', p ->> 'nameZh', p ->> 'nameEn', p ->> 'category', p ->> 'level', p ->> 'countyCode',
             p ->> 'established', (p ->> 'establishedOn')::date, p ->> 'establishedPrecision',
             (p ->> 'reportedAreaHa')::numeric,
             case when json_typeof(p -> 'publishedPoint') = 'array'
                  then ST_SetSRID(ST_MakePoint((p -> 'publishedPoint' ->> 0)::float8, (p -> 'publishedPoint' ->> 1)::float8), 4326) end,
             p ->> 'confidence', p ->> 'source', p ->> 'boundarySource', coalesce((p ->> 'boundaryVersion')::int, 1),
             coalesce((p ->> 'boundarySchematic')::boolean, true),
             ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326))
      from json_array_elements(${text['areas.geojson']}::json -> 'features') f,
           lateral (select f -> 'properties' as p) props`);

    // Each area's management body is a department of its own (departments.json names its area).
    await exec(sql`
      update protected_areas a set managing_department_id = dep.id, managing_body = dep.name_zh
      from json_array_elements(${text['departments.json']}::json) d
      join departments dep on dep.code = d ->> 'code'
      where a.code = d ->> 'area'`);

    await exec(sql`
      insert into area_zones (area_id, scheme, zone, source, geom)
      select a.id, p ->> 'scheme', p ->> 'zone', p ->> 'source', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326))
      from json_array_elements(${text['zones.geojson']}::json -> 'features') f
      cross join lateral (select f -> 'properties' as p) props
      join protected_areas a on a.code = p ->> 'areaCode'`);

    const metaRows: [string, string][] = [
      ['sample_loaded_at', new Date().toISOString()],
      ['sample_version', version.digest('hex').slice(0, 16)],
      ['counties_source', countiesSource],
      ['counties_datum_note', datumNote],
    ];
    for (const [key, value] of metaRows) {
      await exec(sql`insert into portal_meta (key, value) values (${key}, ${value})
                     on conflict (key) do update set value = excluded.value, updated_at = now()`);
    }

    const counts = await tx.execute(sql`
      select (select count(*)::int from protected_areas) as areas, (select count(*)::int from counties) as counties,
             (select count(*)::int from departments) as departments, (select count(*)::int from area_zones) as zones`);
    const [c] = resultRows<{ areas: number; counties: number; departments: number; zones: number }>(counts);
    return { seeded: true as const, ...c };
  });
}

/** A department as data/sample/departments.json lists it. */
export interface SampleDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  level: string;
  parent: string | null;
  county: string | null;
  /** Code of the protected area a management body runs. */
  area?: string;
}

/** A demo account: its department by code. */
export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
}

/** The demo accounts the README names: one per role, and the officers of the city bureaus and of Linqu. */
export const namedDemoAccounts: readonly DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', department: null },
  { username: 'coord', displayName: '联合执法协调员', role: 'coordinator', department: 'eco' },
  { username: 'eco', displayName: '市生态环境局执法人员', role: 'officer', department: 'eco' },
  { username: 'nr', displayName: '市自然资源和规划局执法人员', role: 'officer', department: 'nr' },
  { username: 'lq', displayName: '临朐分局执法人员', role: 'officer', department: 'eco-linqu' },
  { username: 'insp', displayName: '巡查员', role: 'inspector', department: 'eco' },
  { username: 'viewer', displayName: '只读用户', role: 'viewer', department: null },
];

/**
 * Every demo account: the named ones, then one officer for each other department, its username the
 * department's code (`gov-linqu`, `water`, `mb-wf-pa-01`), so every party of the chain can be played.
 */
export function demoAccountsFor(departments: readonly Pick<SampleDepartment, 'code' | 'nameZh'>[]): DemoAccount[] {
  const staffed = new Set(namedDemoAccounts.filter((a) => a.role === 'officer').map((a) => a.department));
  const officers = departments
    .filter((d) => !staffed.has(d.code))
    .map((d): DemoAccount => ({ username: d.code, displayName: `${d.nameZh}工作人员`, role: 'officer', department: d.code }));
  return [...namedDemoAccounts, ...officers];
}

/** The sample departments (data/sample/departments.json). */
export async function sampleDepartments(): Promise<SampleDepartment[]> {
  return JSON.parse(await readFile(sampleDir + 'departments.json', 'utf8')) as SampleDepartment[];
}

/** Creates the demo accounts that do not exist yet, all with one password; returns the names created. */
export async function seedDemoAccounts(database: Database, password: string): Promise<string[]> {
  const existing = new Set(
    (await database.rows<{ username: string }>(sql`select username from users`)).map((r) => r.username),
  );
  const missing = demoAccountsFor(await sampleDepartments()).filter((a) => !existing.has(a.username));
  if (missing.length === 0) return [];
  const hash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    for (const a of missing) {
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`insert into users (username, display_name, role, department_id, password_hash)
            values (${a.username}, ${a.displayName}, ${a.role},
                    (select id from departments where code = ${a.department}), ${hash})
            returning id`,
      );
      await recordEvent(tx, {
        actor: { cli: true },
        action: 'user.created',
        entity: 'user',
        entityId: row.id,
        after: { username: a.username, displayName: a.displayName, role: a.role, department: a.department, demo: true },
      });
    }
  });
  return missing.map((a) => a.username);
}
