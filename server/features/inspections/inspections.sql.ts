import { sql, type SQL } from 'drizzle-orm';

/** The JSON of an inspection as lists show it: facts, departments, areas, counts. */
const summaryJson = sql`json_build_object(
  'id', i.id, 'title', i.title, 'status', i.status,
  'plannedStart', i.planned_start, 'plannedEnd', i.planned_end, 'actualStart', i.actual_start, 'actualEnd', i.actual_end,
  'leadDepartmentId', i.lead_department_id,
  'departments', coalesce((select json_agg(json_build_object('id', d.id, 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en) order by d.id = i.lead_department_id desc, d.code)
                           from inspection_departments x join departments d on d.id = x.department_id where x.inspection_id = i.id), '[]'::json),
  'joint', (select count(*) from inspection_departments x where x.inspection_id = i.id) >= 2,
  'areaCodes', coalesce((select json_agg(a.code order by a.code) from inspection_areas x join protected_areas a on a.id = x.area_id where x.inspection_id = i.id), '[]'::json),
  'trackCount', (select count(*)::int from inspection_tracks t where t.inspection_id = i.id and t.deleted_at is null),
  'checkpointCount', (select count(*)::int from inspection_checkpoints c where c.inspection_id = i.id and c.deleted_at is null),
  'summary', i.summary, 'version', i.version, 'updatedAt', i.updated_at)`;

/** Inspections matching the filters, newest first. */
export function inspectionList(f: { status?: string; area?: string; department?: number; from?: string; to?: string }): SQL {
  const where: SQL[] = [sql`i.deleted_at is null`];
  if (f.status) where.push(sql`i.status = ${f.status}`);
  if (f.area) where.push(sql`exists (select 1 from inspection_areas x join protected_areas a on a.id = x.area_id where x.inspection_id = i.id and a.code = ${f.area})`);
  if (f.department) where.push(sql`exists (select 1 from inspection_departments x where x.inspection_id = i.id and x.department_id = ${f.department})`);
  if (f.from) where.push(sql`coalesce(i.actual_end, i.planned_end, i.actual_start, i.planned_start) >= ${f.from}::date`);
  if (f.to) where.push(sql`coalesce(i.actual_start, i.planned_start) <= ${f.to}::date`);
  return sql`select ${summaryJson} as row from inspections i where ${sql.join(where, sql` and `)}
             order by coalesce(i.actual_start, i.planned_start) desc nulls last, i.id desc limit 500`;
}

/** One inspection with members, tracks and checkpoints as GeoJSON. */
export function inspectionDetail(id: number): SQL {
  return sql`
    select (${summaryJson})::jsonb || jsonb_build_object(
      'members', coalesce((select jsonb_agg(jsonb_build_object('name', m.name, 'userId', m.user_id, 'departmentId', m.department_id) order by m.id)
                           from inspection_members m where m.inspection_id = i.id), '[]'::jsonb),
      'tracks', jsonb_build_object('type', 'FeatureCollection', 'features', coalesce((
        select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(t.geom, 6)::jsonb,
          'properties', jsonb_build_object('id', t.id, 'fileName', t.file_name, 'format', t.format, 'pointCount', t.point_count,
            'startedAt', t.started_at, 'endedAt', t.ended_at, 'lengthKm', round((ST_Length(t.geom::geography) / 1000)::numeric, 2),
            'coordinateSystem', t.coordinate_system)) order by t.id)
        from inspection_tracks t where t.inspection_id = i.id and t.deleted_at is null), '[]'::jsonb)),
      'checkpoints', jsonb_build_object('type', 'FeatureCollection', 'features', coalesce((
        select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.geom, 6)::jsonb,
          'properties', jsonb_build_object('id', c.id, 'name', c.name, 'note', c.note, 'at', c.at, 'trackId', c.track_id)) order by c.id)
        from inspection_checkpoints c where c.inspection_id = i.id and c.deleted_at is null), '[]'::jsonb))
    ) as row
    from inspections i where i.id = ${id} and i.deleted_at is null`;
}

/** The live track of an inspection stored from a file with this SHA-256 (at most one: a partial unique index). */
export function liveTrackWithSha256(inspectionId: number, sha256: string): SQL {
  // Served by inspection_tracks_inspection_id_sha256_unique, whose predicate is the same `deleted_at is null`.
  return sql`select id, file_name, to_char(uploaded_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as uploaded_on
    from inspection_tracks where inspection_id = ${inspectionId} and sha256 = ${sha256} and deleted_at is null`;
}

/** Inserts an imported track from its MultiLineString GeoJSON text (WGS84) and returns its id. */
export function trackInsert(t: {
  inspectionId: number;
  fileName: string;
  format: string;
  sha256: string;
  coordinateSystem: string;
  pointCount: number;
  startedAt: string | null;
  endedAt: string | null;
  uploadedBy: number;
  geometryJson: string;
}): SQL {
  return sql`insert into inspection_tracks (inspection_id, file_name, format, sha256, coordinate_system, point_count, started_at, ended_at, uploaded_by, geom)
    values (${t.inspectionId}, ${t.fileName}, ${t.format}, ${t.sha256}, ${t.coordinateSystem}, ${t.pointCount}, ${t.startedAt}, ${t.endedAt}, ${t.uploadedBy},
            ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${t.geometryJson}), 4326)))
    returning id`;
}

/** Inserts one checkpoint of an inspection (a waypoint of an imported file). */
export function checkpointInsert(c: { inspectionId: number; trackId: number | null; name: string | null; note: string | null; at: string | null; geometryJson: string }): SQL {
  return sql`insert into inspection_checkpoints (inspection_id, track_id, name, note, at, geom)
    values (${c.inspectionId}, ${c.trackId}, ${c.name}, ${c.note}, ${c.at}, ST_SetSRID(ST_GeomFromGeoJSON(${c.geometryJson}), 4326))`;
}

/** Soft-deletes a live track of the inspection; returns what the audit event records, or no row. */
export function trackRemoval(inspectionId: number, trackId: number): SQL {
  return sql`update inspection_tracks set deleted_at = now()
    where id = ${trackId} and inspection_id = ${inspectionId} and deleted_at is null
    returning id, file_name as "fileName", format, sha256, point_count as "pointCount", started_at as "startedAt", ended_at as "endedAt"`;
}

/** Soft-deletes the checkpoints that came from the same file as a track; returns their ids. */
export function trackCheckpointsRemoval(trackId: number): SQL {
  return sql`update inspection_checkpoints set deleted_at = now() where track_id = ${trackId} and deleted_at is null returning id`;
}
