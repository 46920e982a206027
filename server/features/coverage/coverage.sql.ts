import { sql, type SQL } from 'drizzle-orm';

/** The period and swath every coverage question is asked for. */
export interface CoverageWindow {
  from: string;
  to: string;
  /** Metres either side of a track counted as seen. */
  swath: number;
}

/**
 * Completed inspections up to the end of the window, with whether each was joint (≥ 2 departments).
 * Earlier ones count for "last visit"; only those overlapping the window count as visits in it.
 */
const completedInspections = (w: CoverageWindow) => sql`
  select i.id, i.actual_start, i.actual_end,
         (select count(*) from inspection_departments d where d.inspection_id = i.id) >= 2 as joint,
         i.actual_end >= ${w.from}::date and i.actual_start <= ${w.to}::date as in_window
  from inspections i
  where i.status = 'completed' and i.deleted_at is null and i.actual_start <= ${w.to}::date`;

/**
 * Which inspection visited which area: a track crossing it or a checkpoint inside it. Driven from the
 * tracks and checkpoints, so the GiST index on protected_areas.geom (`a.geom && t.geom`) finds the
 * few areas each one touches, instead of testing every area against every inspection.
 */
const visits = sql`
  select a.id as area_id, i.id as inspection_id, i.joint, i.in_window, i.actual_end
  from insp i
  join inspection_tracks t on t.inspection_id = i.id and t.deleted_at is null
  join protected_areas a on a.geom && t.geom and ST_Intersects(a.geom, t.geom)
  union
  select a.id, i.id, i.joint, i.in_window, i.actual_end
  from insp i
  join inspection_checkpoints c on c.inspection_id = i.id and c.deleted_at is null
  join protected_areas a on a.geom && c.geom and ST_Intersects(a.geom, c.geom)`;

/**
 * Per area, the window's tracks within reach of it, each buffered by the swath in metres and merged.
 * Each track is first cut to the area's box widened by the swath (`ST_ClipByBox2D`, cheap), so only
 * the part that can matter is buffered; buffering track by track and merging with ST_Union grows
 * linearly with the number of tracks, where one buffer of all the overlapping lines at once does not.
 * `coverage_swath` (migration 0010) cleans GPS jitter first, which GEOS cannot buffer reliably.
 * `ST_Expand(a.geom, swath / 80000)` is at least the swath wide at this latitude (1° ≥ 80 km here),
 * and `t.geom && …` lets the GiST index pick the candidate tracks.
 */
const swaths = (w: CoverageWindow, areaFilter: SQL) => sql`
  select a.id as area_id,
         ST_Union(coverage_swath(ST_ClipByBox2D(t.geom, ST_Expand(a.geom, ${w.swath}::float8 / 80000.0)::box2d), ${w.swath}::float8)) as g
  from protected_areas a
  join inspection_tracks t on t.deleted_at is null and t.geom && ST_Expand(a.geom, ${w.swath}::float8 / 80000.0)
  join insp i on i.id = t.inspection_id and i.in_window
  where ${areaFilter}
  group by a.id`;

/** The areas the filter picks, in the order every per-area coverage query answers them. */
export function areasInScope(areaFilter: SQL = sql`true`): SQL {
  return sql`select a.code, a.name_zh from protected_areas a where ${areaFilter} order by a.code`;
}

/** One row per area: visited, joint, geodesic coverage share, last visits, required frequency. */
export function areaCoverageRows(w: CoverageWindow, areaFilter: SQL = sql`true`): SQL {
  return sql`
    with insp as (${completedInspections(w)}),
         visit as (${visits}),
         swath as (${swaths(w, areaFilter)})
    select a.code, a.name_zh, a.name_en, a.inspection_frequency,
           exists (select 1 from visit v where v.area_id = a.id and v.in_window) as visited,
           exists (select 1 from visit v where v.area_id = a.id and v.in_window and v.joint) as joint,
           case when s.g is null then 0
                else least(1, ST_Area(ST_Intersection(a.geom, s.g)::geography) / ST_Area(a.geom::geography)) end::float8 as coverage,
           (select max(v.actual_end) from visit v where v.area_id = a.id)::text as last_visit,
           (select max(v.actual_end) from visit v where v.area_id = a.id and v.joint)::text as last_joint_visit,
           (select count(distinct v.inspection_id) from visit v where v.area_id = a.id and v.in_window)::int as inspections
    from protected_areas a
    left join swath s on s.area_id = a.id
    where ${areaFilter}
    order by a.code`;
}

/** Covered and uncovered parts of the areas the filter picks (one, in practice), as GeoJSON geometries. */
export function areaCoverageGeometry(w: CoverageWindow, filter: SQL): SQL {
  return sql`
    with insp as (${completedInspections(w)}),
         swath as (${swaths(w, filter)})
    select a.code,
           ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(coalesce(ST_Intersection(a.geom, s.g), ST_GeomFromText('POLYGON EMPTY', 4326)), 3)), 6)::json as covered,
           ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(coalesce(ST_Difference(a.geom, s.g), a.geom), 3)), 6)::json as uncovered
    from protected_areas a left join swath s on s.area_id = a.id
    where ${filter}
    order by a.code`;
}

/**
 * The effort grid: ~500 m square cells (in UTM zone 50N, where Weifang lies) counting the distinct
 * inspections of the window whose tracks pass through each cell; empty cells are left out. Tracks
 * are densified to 100 m and each vertex names its cell, so only visited cells are ever built.
 */
export function effortGrid(w: Omit<CoverageWindow, 'swath'>, cellMetres = 500): SQL {
  return sql`
    with insp as (${completedInspections({ ...w, swath: 0 })}),
         vertex as (
           select t.inspection_id, (ST_DumpPoints(ST_Segmentize(ST_Transform(t.geom, 32650), 100))).geom as p
           from inspection_tracks t join insp i on i.id = t.inspection_id and i.in_window
           where t.deleted_at is null),
         cell as (
           select floor(ST_X(p) / ${cellMetres}::float8)::int as i, floor(ST_Y(p) / ${cellMetres}::float8)::int as j,
                  count(distinct inspection_id)::int as n
           from vertex group by 1, 2)
    select json_build_object(
      'type', 'FeatureCollection',
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(cell.i * ${cellMetres}::float8, cell.j * ${cellMetres}::float8,
                                                              (cell.i + 1) * ${cellMetres}::float8, (cell.j + 1) * ${cellMetres}::float8, 32650), 4326), 6)::json,
        'properties', json_build_object('count', cell.n)
      ) order by cell.i, cell.j), '[]'::json)
    )::text as body
    from cell`;
}

/** The window's tracks as one FeatureCollection (simplified to ~5 m for the map), with their inspection. */
export function windowTracks(w: Omit<CoverageWindow, 'swath'>): SQL {
  return sql`
    with insp as (${completedInspections({ ...w, swath: 0 })})
    select json_build_object(
      'type', 'FeatureCollection',
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', t.id,
        'geometry', ST_AsGeoJSON(ST_Simplify(t.geom, 0.00005), 6)::json,
        'properties', json_build_object('id', t.id, 'inspectionId', t.inspection_id, 'title', i2.title, 'joint', i.joint,
                                        'actualStart', i.actual_start, 'actualEnd', i.actual_end)
      ) order by t.id), '[]'::json)
    )::text as body
    from inspection_tracks t
    join insp i on i.id = t.inspection_id and i.in_window
    join inspections i2 on i2.id = t.inspection_id
    where t.deleted_at is null`;
}
