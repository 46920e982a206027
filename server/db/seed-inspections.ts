/**
 * Loads the sample joint inspections (data/sample/inspections.json) into an empty database in one
 * transaction: set-based SQL over the JSON, PostGIS building the track lines. Sample tracks were
 * never uploaded files, so their `sha256` is that of the track's JSON and no original is stored.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './backend.ts';
import { sampleDir } from './seed.ts';

/** Loads the sample inspections unless the database already has inspections. */
export async function seedSampleInspections(database: Database): Promise<{ seeded: boolean; inspections: number; tracks: number }> {
  const [{ n }] = await database.rows<{ n: number }>(sql`select count(*)::int as n from inspections`);
  if (n > 0) return { seeded: false, inspections: n, tracks: 0 };
  const text = await readFile(`${sampleDir}inspections.json`, 'utf8');
  return database.db.transaction(async (tx) => {
    const run = (q: ReturnType<typeof sql>) => queryRows(tx, q);
    // Ids follow the file's order, so the other tables can refer to an inspection by its position.
    const src = sql`select x.i, x.ord::int as id from json_array_elements(${text}::json -> 'inspections') with ordinality as x(i, ord)`;
    await run(sql`
      insert into inspections (id, title, status, planned_start, planned_end, actual_start, actual_end, lead_department_id, summary, created_at, updated_at)
      select s.id, s.i ->> 'title', s.i ->> 'status', (s.i ->> 'plannedStart')::date, (s.i ->> 'plannedEnd')::date,
             (s.i ->> 'actualStart')::date, (s.i ->> 'actualEnd')::date, d.id, s.i ->> 'summary',
             coalesce((s.i ->> 'actualStart')::date, (s.i ->> 'plannedStart')::date, date '2025-01-01')::timestamp at time zone 'Asia/Shanghai',
             coalesce((s.i ->> 'actualEnd')::date, (s.i ->> 'plannedStart')::date, date '2025-01-01')::timestamp at time zone 'Asia/Shanghai' + interval '18 hours'
      from (${src}) s join departments d on d.code = s.i ->> 'leadDepartment'`);
    await run(sql`
      insert into inspection_departments (inspection_id, department_id)
      select s.id, d.id from (${src}) s, json_array_elements_text(s.i -> 'departments') as dep(code) join departments d on d.code = dep.code`);
    await run(sql`
      insert into inspection_members (inspection_id, name, department_id)
      select s.id, m ->> 'name', d.id from (${src}) s, json_array_elements(s.i -> 'members') m left join departments d on d.code = m ->> 'department'`);
    await run(sql`
      insert into inspection_areas (inspection_id, area_id)
      select s.id, a.id from (${src}) s, json_array_elements_text(s.i -> 'areaCodes') as target(code) join protected_areas a on a.code = target.code`);
    await run(sql`
      insert into inspection_tracks (inspection_id, file_name, format, sha256, point_count, started_at, ended_at, uploaded_at, geom)
      select s.id, t ->> 'fileName', t ->> 'format', encode(sha256(convert_to(t::text, 'UTF8')), 'hex'),
             json_array_length(t -> 'coordinates'), (t -> 'times' ->> 0)::timestamptz,
             (t -> 'times' ->> (json_array_length(t -> 'times') - 1))::timestamptz,
             (t -> 'times' ->> (json_array_length(t -> 'times') - 1))::timestamptz,
             ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(json_build_object('type', 'LineString', 'coordinates', t -> 'coordinates')::text), 4326))
      from (${src}) s, json_array_elements(s.i -> 'tracks') t`);
    await run(sql`
      insert into inspection_checkpoints (inspection_id, name, note, at, geom)
      select s.id, c ->> 'name', c ->> 'note', (c ->> 'time')::timestamptz,
             ST_SetSRID(ST_MakePoint((c ->> 'lon')::float8, (c ->> 'lat')::float8), 4326)
      from (${src}) s, json_array_elements(s.i -> 'checkpoints') c`);
    await run(sql`select setval(pg_get_serial_sequence('inspections', 'id'), (select max(id) from inspections))`);
    await run(sql`
      insert into events (at, actor_label, action, entity, entity_id, after)
      select i.created_at, 'sample-data', 'inspection.created', 'inspection', i.id::text,
             json_build_object('title', i.title, 'status', i.status, 'sample', true)::jsonb
      from inspections i order by i.id`);
    const [counts] = await queryRows<{ inspections: number; tracks: number }>(
      tx,
      sql`select (select count(*)::int from inspections) as inspections, (select count(*)::int from inspection_tracks) as tracks`,
    );
    return { seeded: true, ...counts };
  });
}
