import { sql, type SQL } from 'drizzle-orm';
import { activeTaskStatuses } from './workflow.ts';

/**
 * Re-judges where a finding lies: the database function `judge_finding_location` (migration 0006)
 * records every protected area it falls in, the strictest zone touched and the county. The same
 * function runs by trigger whenever an area's or zone's boundary changes.
 */
export function judgeLocation(findingId: number): SQL[] {
  return [sql`select judge_finding_location(${findingId}::int)`];
}

/**
 * Judges a finding again and, when where it lies changed, records a `finding.rejudged` event and bumps
 * its version (`rejudge_finding_recorded`, migration 0007 — the function boundary triggers run too).
 */
export function rejudgeRecorded(findingId: number, cause: string): SQL {
  return sql`select rejudge_finding_recorded(${findingId}::int, ${cause}::text)`;
}

/** True when the geometry touches any protected area; the bbox test lets the GiST index on areas answer first. */
export function insideAnyArea(geom: SQL): SQL {
  return sql`select exists (select 1 from protected_areas a, (select ${geom} as g) x where a.geom && x.g and ST_Intersects(a.geom, x.g)) as inside`;
}

/** A closing condition as ticked at acceptance. */
export interface ClosingTick {
  code: string;
  evidenceIds: number[];
}

/** What a finding was closed on, as stored in finding_closures. */
export interface StoredClosure {
  id: number;
  eventId: number;
  closedAt: string;
  closedBy: { userId: number; username: string } | null;
  zone: string | null;
  countyCode: string | null;
  areas: { code: string; zone: string | null; boundaryVersion: number }[];
  /** The rule that applied (rules.ts ResolvedRule; older closings hold the earlier conditions result). */
  closing: Record<string, unknown>;
  ticks: { code: string; labelZh: string; tickedBy: { userId: number; username: string }; evidence: { id: number; fileName: string; sha256: string }[] }[];
  /** The chain as closed: plan and reviews, part reports, acceptance levels, publicity, 销号 date and 文号 (null on older closings). */
  record: Record<string, unknown> | null;
}

/**
 * Freezes a closing: the rule that applied, the finding's zone, county and areas with their boundary
 * versions as judged now, each tick of the last acceptance level with the files it cites, and the chain's
 * record (plan, reviews, reports, acceptance levels with site checks, publicity and objections, 销号).
 */
export function closureInsert(c: {
  findingId: number;
  eventId: number;
  at: string;
  closedBy: { userId: number; username: string };
  rule: { conditions: ReadonlyArray<{ code: string; labelZh: string }> } & object;
  ticks: ClosingTick[];
  record: Record<string, unknown> | null;
  reopenedAt?: string | null;
}): SQL {
  const label = new Map(c.rule.conditions.map((k) => [k.code, k.labelZh]));
  const tickedBy = { userId: c.closedBy.userId, username: c.closedBy.username };
  const ticks = c.ticks.map((t) => ({ code: t.code, labelZh: label.get(t.code) ?? t.code, tickedBy, evidenceIds: t.evidenceIds }));
  return sql`insert into finding_closures (finding_id, event_id, closed_at, closed_by, zone, county_code, areas, closing, ticks, reopened_at, record)
    select f.id, ${c.eventId}, ${c.at}::timestamptz, ${c.closedBy.userId}, f.zone, f.county_code, finding_location_json(f.id) -> 'areas',
           ${JSON.stringify(c.rule)}::jsonb,
           (select coalesce(jsonb_agg((t - 'evidenceIds') || jsonb_build_object('evidence', coalesce(
                     (select jsonb_agg(jsonb_build_object('id', x.id, 'fileName', x.file_name, 'sha256', x.sha256) order by x.id)
                      from attachments x
                      where x.owner_type = 'finding' and x.owner_id = f.id
                        and x.id in (select e::int from jsonb_array_elements_text(t -> 'evidenceIds') e)), '[]'::jsonb)) order by n), '[]'::jsonb)
            from jsonb_array_elements(${JSON.stringify(ticks)}::jsonb) with ordinality as y(t, n)),
           ${c.reopenedAt ?? null}::timestamptz,
           ${c.record === null ? null : JSON.stringify(c.record)}::jsonb
    from findings f where f.id = ${c.findingId}`;
}

/** The latest closure of a finding as JSON (StoredClosure). */
export function latestClosure(findingId: number): SQL {
  return sql`select json_build_object('id', c.id, 'eventId', c.event_id, 'closedAt', c.closed_at,
                'closedBy', case when u.id is null then null else json_build_object('userId', u.id, 'username', u.username) end,
                'zone', c.zone, 'countyCode', c.county_code, 'areas', c.areas, 'closing', c.closing, 'ticks', c.ticks, 'record', c.record) as row
             from finding_closures c left join users u on u.id = c.closed_by
             where c.finding_id = ${findingId} order by c.id desc limit 1`;
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

/**
 * Derived facts of a finding shared by the list, the map and the detail. Built from two objects joined
 * as jsonb: json_build_object takes at most 100 arguments.
 */
export function findingJson(today: SQL, escalateAfterDays: number): SQL {
  return sql`(json_build_object(
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
    'deadline', ${runningDeadlineSql},
    'overdue', ${overdue(today)},
    'daysOverdue', coalesce(${today} - ${runningDeadlineSql}, 0) * (${overdue(today)})::int,
    'escalated', ${escalated(today, escalateAfterDays)},
    'acceptingDepartmentId', f.accepting_department_id,
    'measures', f.measures, 'inspectionId', f.inspection_id,
    'version', f.version, 'createdAt', f.created_at, 'updatedAt', f.updated_at)::jsonb
  || jsonb_build_object(
    'verificationOutcome', f.verification_outcome, 'round', f.round, 'planDueOn', f.plan_due_on,
    'drafterDepartmentId', f.drafter_department_id, 'rectificationDeadline', f.deadline,
    'acceptanceLevel', f.acceptance_level, 'publicityStartOn', f.publicity_start_on, 'publicityEndOn', f.publicity_end_on,
    'closedOn', f.closed_on, 'closingDocumentNo', f.closing_document_no,
    'clueDueOn', f.clue_due_on,
    'approvalNo', f.approval_no, 'approvalAuthority', f.approval_authority, 'approvedOn', f.approved_on,
    'changeType', f.change_type, 'expanded', f.expanded,
    'originalGeometry', ST_AsGeoJSON(f.original_geom, 7)::jsonb, 'originalAreaHa', f.original_area_ha,
    'clueOwner', (select jsonb_build_object('id', u.id, 'displayName', u.display_name) from users u where u.id = f.clue_owner_user_id),
    'recheckDueOn', (select min(t.due_on) from tasks t where t.finding_id = f.id and t.kind = 'recheck' and t.status in ${activeTaskStatuses})))`;
}

/**
 * The deadline that runs now, over a finding aliased `f` (the same rule as workflow.ts
 * `runningDeadline`): the clue's dispatch deadline, the verify task's due date, the plan's due date,
 * the rectification deadline. None while pending_acceptance or publicising (the clock pauses while the
 * acceptor or the 公示 has the finding), once dismissed or closed. Derived, never stored.
 */
export const runningDeadlineSql = sql`(case
  when f.state = 'clue' then f.clue_due_on
  when f.state = 'verifying' then (select min(t.due_on) from tasks t where t.finding_id = f.id and t.kind = 'verify' and t.status in ${activeTaskStatuses})
  when f.state = 'planning' then f.plan_due_on
  when f.state = 'rectifying' then f.deadline
  end)`;

/** Past its running deadline. */
export const overdue = (today: SQL) => sql`coalesce(${runningDeadlineSql} < ${today}, false)`;

/** Overdue by more than the escalation limit (督办). */
export const escalated = (today: SQL, days: number) => sql`coalesce(${runningDeadlineSql} <= ${today} - ${days}::int, false)`;
