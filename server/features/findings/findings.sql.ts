import { sql, type SQL } from 'drizzle-orm';

/**
 * Re-judges where a finding lies: the database function `judge_finding_location` (migration 0006)
 * records every protected area it falls in, the strictest zone touched and the county. The same
 * function runs by trigger whenever an area's or zone's boundary changes.
 */
export function judgeLocation(findingId: number): SQL[] {
  return [sql`select judge_finding_location(${findingId}::int)`];
}

/** The next serial of a year, WF-YYYY-NNNN; the counter only grows, so a serial is never reused. */
export function nextSerial(year: number): SQL {
  return sql`insert into finding_serials (year, last) values (${year}, 1)
             on conflict (year) do update set last = finding_serials.last + 1
             returning 'WF-' || ${year}::text || '-' || lpad(last::text, 4, '0') as serial`;
}

/** Stores a GeoJSON geometry as WGS84; PostGIS says why when it is not valid. */
export const geometryValidity = (geojson: string) =>
  sql`select ST_IsValid(g) as valid, ST_IsValidReason(g) as reason
      from (select ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) as g) x`;

/** Derived facts of a finding shared by the list, the map and the detail. */
export function findingJson(today: SQL, escalateAfterDays: number): SQL {
  return sql`json_build_object(
    'id', f.id, 'serial', f.serial, 'title', f.title, 'category', f.category, 'source', f.source, 'batch', f.batch,
    'state', f.state, 'discoveredAt', f.discovered_on, 'constructedAt', f.constructed_on, 'approval', f.approval,
    'description', f.description, 'zone', f.zone, 'countyCode', f.county_code,
    'areas', coalesce((select json_agg(a.code order by a.code) from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id), '[]'::json),
    'areaM2', case when GeometryType(f.geom) = 'POLYGON' then round(ST_Area(f.geom::geography)::numeric, 1) end,
    'areaMu', case when GeometryType(f.geom) = 'POLYGON' then round((ST_Area(f.geom::geography) / (10000.0 / 15))::numeric, 2) end,
    'nature', case
       when f.constructed_on is null then null
       when f.constructed_on < (select min(a.established_on) from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id) then 'historical'
       when exists (select 1 from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id and a.established_on is not null) then 'new'
       end,
    'verifyingDepartmentId', f.verifying_department_id, 'leadDepartmentId', f.lead_department_id,
    'cooperatingDepartmentIds', coalesce((select json_agg(c.department_id order by c.department_id) from finding_cooperators c where c.finding_id = f.id), '[]'::json),
    'deadline', ${dueDate},
    'overdue', ${overdue(today)},
    'escalated', ${escalated(today, escalateAfterDays)},
    'acceptingDepartmentId', f.accepting_department_id,
    'measures', f.measures, 'inspectionId', f.inspection_id,
    'version', f.version, 'createdAt', f.created_at, 'updatedAt', f.updated_at)`;
}

/**
 * The deadline that runs now (the same rule as workflow.ts `runningDeadline`): the verify task's due
 * date while verifying, the plan's deadline while rectifying or awaiting acceptance, otherwise none.
 * Derived, never stored.
 */
const dueDate = sql`(case
  when f.state = 'verifying' then (select min(t.due_on) from tasks t where t.finding_id = f.id and t.kind = 'verify' and t.status in ('open', 'in_progress', 'returned'))
  when f.state in ('rectifying', 'pending_acceptance') then f.deadline
  end)`;

/** Past its running deadline (and so neither closed nor dismissed, which have none). */
export const overdue = (today: SQL) => sql`coalesce(${dueDate} < ${today}, false)`;

/** Overdue by more than the escalation limit (督办). */
export const escalated = (today: SQL, days: number) => sql`coalesce(${dueDate} < ${today} - ${days}::int, false)`;
