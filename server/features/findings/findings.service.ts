/** Findings: capture with the spatial join, facts edited under the version rule, lists with keyset paging. */
import { sql, type SQL } from 'drizzle-orm';
import type { Geometry } from 'geojson';
import type { z } from 'zod';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { today as todayIn } from '../../lib/clock.ts';
import { toWgs84 } from '../../lib/coordinates.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import { likePattern } from '../../lib/search.ts';
import { can, type Actor } from '../auth/roles.ts';
import { assignClueOwner } from '../tasks/tasks.service.ts';
import type { createFindingBody, listFindingsQuery, updateFindingBody } from './findings.schemas.ts';
import { escalated, findingJson, geometryValidity, insideAnyArea, judgeLocation, nextSerial, overdue } from './findings.sql.ts';

type CreateFinding = z.output<typeof createFindingBody>;
type UpdateFinding = z.output<typeof updateFindingBody>;
type ListFindings = z.output<typeof listFindingsQuery>;

/** Converts a geometry's coordinates from GCJ-02/BD-09 to WGS84 (only WGS84 is stored). */
function geometryToWgs84(geometry: Extract<Geometry, { type: 'Point' | 'Polygon' }>, system: 'wgs84' | 'gcj02' | 'bd09') {
  if (system === 'wgs84') return geometry;
  const convert = (p: number[]) => {
    const [lon, lat] = toWgs84([p[0], p[1]], system);
    return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
  };
  return geometry.type === 'Point'
    ? { type: 'Point' as const, coordinates: convert(geometry.coordinates) }
    : { type: 'Polygon' as const, coordinates: geometry.coordinates.map((ring) => ring.map(convert)) };
}

async function assertValidGeometry(exec: Executor, geojson: string, path = 'geometry') {
  const [v] = await queryRows<{ valid: boolean; reason: string }>(exec, geometryValidity(geojson));
  if (!v.valid) {
    throw invalidRequest([{ path, message: `几何图形无效：${v.reason}` }]);
  }
}

/** The original footprint of a 规模扩大 finding as stored (WGS84 text), with its area in hectares computed by PostGIS. */
function originalFootprint(geometry: Extract<Geometry, { type: 'Point' | 'Polygon' }> | null | undefined, system: 'wgs84' | 'gcj02' | 'bd09') {
  if (geometry === undefined) return undefined;
  return geometry === null ? null : JSON.stringify(geometryToWgs84(geometry, system));
}

const originalGeomSql = (geojson: string | null) => (geojson === null ? sql`null` : sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`);
const originalAreaSql = (geojson: string | null) =>
  geojson === null ? sql`null` : sql`round((ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)::geography) / 10000)::numeric, 4)`;

async function rejudge(tx: Executor, id: number) {
  for (const statement of judgeLocation(id)) await queryRows(tx, statement);
}

/**
 * Outside every protected area a finding is accepted only as `other` (with a warning to check the
 * coordinates): the portal tracks problems in protected areas. The same rule for capture and edits.
 */
async function placeAllowsCategory(tx: Executor, geom: SQL, category: string) {
  const [{ inside }] = await queryRows<{ inside: boolean }>(tx, insideAnyArea(geom));
  if (inside) return [];
  if (category !== 'other') {
    throw invalidRequest([{ path: 'geometry', message: '位置不在任何自然保护地内；保护地外的问题只能按“其他”类别登记' }]);
  }
  return [{ code: 'outside_areas', message: '位置不在任何自然保护地内，已按“其他”登记，请核实坐标' }];
}

/** One finding as the list shows it (plus `warnings` on create), or null. */
export async function getFindingRow(exec: Executor, config: Config, id: number): Promise<Record<string, unknown> | null> {
  const [r] = await queryRows<{ row: Record<string, unknown> }>(
    exec,
    sql`select ${findingJson(sql`${todayIn(config.timeZone)}::date`, config.supervisionDays[0])} as row from findings f where f.id = ${id} and f.deleted_at is null`,
  );
  return r?.row ?? null;
}

/** The audited facts of a finding (what events record before/after). */
const auditFacts = (row: Record<string, unknown> | null) => {
  if (!row) return null;
  const { overdue: _o, escalated: _e, createdAt: _c, updatedAt: _u, ...facts } = row;
  return facts;
};

/** Records a new finding as a clue; outside every protected area it is accepted only as `other`. */
export async function createFinding(database: Database, config: Config, actor: Actor, input: CreateFinding, ip: string) {
  const geometry = geometryToWgs84(input.geometry, input.coordinateSystem);
  const geojson = JSON.stringify(geometry);
  return database.db.transaction(async (tx) => {
    await assertValidGeometry(tx, geojson);
    const warnings = await placeAllowsCategory(tx, sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`, input.category);
    const original = originalFootprint(input.originalGeometry, input.coordinateSystem) ?? null;
    if (original) await assertValidGeometry(tx, original, 'originalGeometry');
    const year = Number(input.discoveredAt.slice(0, 4));
    const [{ serial }] = await queryRows<{ serial: string }>(tx, nextSerial(year));
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`insert into findings (serial, category, title, description, source, batch, discovered_on, constructed_on, approval, geom, inspection_id, created_by,
                                approval_no, approval_authority, approved_on, change_type, expanded, original_geom, original_area_ha)
          values (${serial}, ${input.category}, ${input.title}, ${input.description}, ${input.source}, ${input.batch ?? null},
                  ${input.discoveredAt}, ${input.constructedAt ?? null}, ${input.approval},
                  ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326), ${input.inspectionId ?? null}, ${actor.userId},
                  ${input.approvalNo ?? null}, ${input.approvalAuthority ?? null}, ${input.approvedOn ?? null}, ${input.changeType ?? null},
                  ${input.expanded}, ${originalGeomSql(original)}, ${originalAreaSql(original)})
          returning id`,
    );
    await assignClueOwner(tx, config, id);
    await rejudge(tx, id);
    const row = await getFindingRow(tx, config, id);
    await recordEvent(tx, { actor, action: 'finding.created', entity: 'finding', entityId: id, after: { ...auditFacts(row), geometry }, ip });
    return { ...row, warnings };
  });
}

/** Edits a finding's facts; a new geometry is judged again. A stale `version` → 409. */
export async function updateFinding(database: Database, config: Config, actor: Actor, id: number, input: UpdateFinding, ip: string) {
  const geometry = input.geometry ? geometryToWgs84(input.geometry, input.coordinateSystem ?? 'wgs84') : undefined;
  return database.db.transaction(async (tx) => {
    const before = await getFindingRow(tx, config, id);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的问题`);
    if (!can(actor, 'findings.assign')) {
      // Outside the coordinators, facts are corrected by whoever recorded the finding or a department working on it.
      const [{ involved }] = await queryRows<{ involved: boolean }>(
        tx,
        sql`select f.created_by = ${actor.userId}
                   or ${actor.departmentId}::int in (f.verifying_department_id, f.lead_department_id)
                   or exists (select 1 from finding_cooperators c where c.finding_id = f.id and c.department_id = ${actor.departmentId}::int) as involved
            from findings f where f.id = ${id}`,
      );
      if (!involved) throw new ApiError(403, 'forbidden', '只有登记人、承办部门或联合执法协调员可以修改问题信息');
    }
    if (before.state === 'closed') {
      // The portal's rule: a closed (销号) record stays as it was accepted; a correction reopens it first.
      throw new ApiError(409, 'conflict', `问题 ${before.serial} 已销号，记录已冻结，不能再修改；如需更正，请先由协调员通过“回头看”将其标为复发（重新打开）`);
    }
    const geojson = geometry ? JSON.stringify(geometry) : null;
    if (geojson) await assertValidGeometry(tx, geojson);
    const original = originalFootprint(input.originalGeometry, input.coordinateSystem ?? 'wgs84');
    if (original) await assertValidGeometry(tx, original, 'originalGeometry');
    const expanded = input.expanded ?? Boolean(before.expanded);
    if (!expanded && (original ?? (original === undefined && before.originalGeometry))) {
      throw invalidRequest([{ path: 'originalGeometry', message: '只有规模扩大的问题才记录原有范围；取消“规模扩大”时请同时清除原有范围' }]);
    }
    const newGeom = geojson ? sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)` : null;
    let warnings: { code: string; message: string }[] = [];
    if (newGeom || input.category !== undefined) {
      warnings = await placeAllowsCategory(tx, newGeom ?? sql`(select geom from findings where id = ${id})`, input.category ?? String(before.category));
    }
    const keep = <T>(v: T | undefined, column: SQL) => (v === undefined ? column : sql`${v}`);
    await updateVersioned(tx, {
      table: 'findings',
      id,
      version: input.version,
      set: sql`title = ${keep(input.title, sql`title`)},
            category = ${keep(input.category, sql`category`)},
            source = ${keep(input.source, sql`source`)},
            description = ${keep(input.description, sql`description`)},
            batch = ${keep(input.batch, sql`batch`)},
            discovered_on = ${keep(input.discoveredAt, sql`discovered_on`)}::date,
            constructed_on = ${keep(input.constructedAt, sql`constructed_on`)}::date,
            approval = ${keep(input.approval, sql`approval`)},
            geom = ${newGeom ?? sql`geom`},
            inspection_id = ${keep(input.inspectionId, sql`inspection_id`)},
            approval_no = ${keep(input.approvalNo, sql`approval_no`)},
            approval_authority = ${keep(input.approvalAuthority, sql`approval_authority`)},
            approved_on = ${keep(input.approvedOn, sql`approved_on`)}::date,
            change_type = ${keep(input.changeType, sql`change_type`)},
            expanded = ${keep(input.expanded, sql`expanded`)},
            original_geom = ${original === undefined ? sql`original_geom` : originalGeomSql(original)},
            original_area_ha = ${original === undefined ? sql`original_area_ha` : originalAreaSql(original)},
            updated_at = now()`,
      label: `问题“${before.serial}”`,
    });
    if (geometry) await rejudge(tx, id);
    const after = await getFindingRow(tx, config, id);
    await recordEvent(tx, {
      actor,
      action: 'finding.updated',
      entity: 'finding',
      entityId: id,
      before: auditFacts(before),
      after: { ...auditFacts(after), ...(geometry ? { geometry } : {}) },
      ip,
    });
    return { ...after, warnings };
  });
}

type Cursor = { v: (string | number | null)[]; id: number };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(c.v) && Number.isInteger(c.id)) return c;
  } catch {
    /* fall through */
  }
  throw new ApiError(400, 'invalid_request', '查询参数有误：cursor', [{ path: 'cursor', message: '分页游标无效，请从第一页重新查询' }]);
}

/**
 * Findings matching the filters, one page at a time. Keyset paging (the sort keys of the last row
 * are the cursor) stays stable while new findings are added, unlike offsets.
 */
export async function listFindings(exec: Executor, config: Config, q: ListFindings) {
  const today = sql`${todayIn(config.timeZone)}::date`;
  const isOverdue = overdue(today);
  const where: SQL[] = [sql`f.deleted_at is null`];
  if (q.state?.length) where.push(sql`f.state in ${q.state}`);
  if (q.category?.length) where.push(sql`f.category in ${q.category}`);
  if (q.source?.length) where.push(sql`f.source in ${q.source}`);
  if (q.area) where.push(sql`exists (select 1 from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id and a.code = ${q.area})`);
  if (q.county) where.push(sql`f.county_code = ${q.county}`);
  if (q.department) {
    where.push(sql`(f.verifying_department_id = ${q.department} or f.lead_department_id = ${q.department}
                    or exists (select 1 from finding_cooperators c where c.finding_id = f.id and c.department_id = ${q.department}))`);
  }
  if (q.overdue !== undefined) where.push(q.overdue ? isOverdue : sql`not ${isOverdue}`);
  if (q.escalated !== undefined) {
    const esc = escalated(today, config.supervisionDays[0]);
    where.push(q.escalated ? esc : sql`not ${esc}`);
  }
  if (q.from) where.push(sql`f.discovered_on >= ${q.from}::date`);
  if (q.to) where.push(sql`f.discovered_on <= ${q.to}::date`);
  // The bbox envelope is built once in 4326 so the GiST index on findings.geom is used.
  if (q.bbox) where.push(sql`f.geom && ST_MakeEnvelope(${q.bbox[0]}, ${q.bbox[1]}, ${q.bbox[2]}, ${q.bbox[3]}, 4326)`);
  if (q.q) {
    const pattern = likePattern(q.q);
    where.push(sql`(f.title ilike ${pattern} or f.serial ilike ${pattern} or f.description ilike ${pattern})`);
  }

  // Sort keys, each with its direction; the cursor holds the last row's values of these keys.
  const keys: { expr: SQL; desc: boolean; cast: SQL }[] =
    q.sort === 'overdue_first'
      ? [
          { expr: sql`(case when ${isOverdue} then 1 else 0 end)`, desc: true, cast: sql`int` },
          { expr: sql`coalesce(f.deadline, '9999-12-31'::date)`, desc: false, cast: sql`date` },
        ]
      : [{ expr: sql`f.discovered_on`, desc: true, cast: sql`date` }];
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    if (c.v.length !== keys.length) decodeCursor('');
    const after: SQL[] = [];
    for (let i = 0; i <= keys.length; i++) {
      const equal = keys.slice(0, i).map((k, j) => sql`${k.expr} = ${c.v[j]}::${k.cast}`);
      const last = i < keys.length ? sql`${keys[i].expr} ${keys[i].desc ? sql`<` : sql`>`} ${c.v[i]}::${keys[i].cast}` : sql`f.id < ${c.id}`;
      after.push(sql.join([...equal, last], sql` and `));
    }
    where.push(sql`(${sql.join(after.map((a) => sql`(${a})`), sql` or `)})`);
  }
  const order = sql.join([...keys.map((k) => sql`${k.expr} ${k.desc ? sql`desc` : sql`asc`}`), sql`f.id desc`], sql`, `);
  // Every row matching the filters (the cursor condition, added last, is left out), for the list's total.
  const filters = q.cursor ? where.slice(0, -1) : where;
  const [{ total }] = await queryRows<{ total: number }>(exec, sql`select count(*)::int as total from findings f where ${sql.join(filters, sql` and `)}`);
  const rows = await queryRows<{ row: Record<string, unknown>; keys: (string | number)[]; id: number; geometry: unknown }>(
    exec,
    sql`select ${findingJson(today, config.supervisionDays[0])} as row,
               json_build_array(${sql.join(keys.map((k) => sql`${k.expr}`), sql`, `)}) as keys, f.id,
               ${q.format === 'geojson' ? sql`ST_AsGeoJSON(f.geom, 6)::json` : sql`null`} as geometry
        from findings f
        where ${sql.join(where, sql` and `)}
        order by ${order}
        limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ v: last.keys, id: last.id }) : null;
  if (q.format === 'geojson') {
    return {
      type: 'FeatureCollection',
      features: page.map((r) => ({ type: 'Feature', id: r.id, geometry: r.geometry, properties: r.row })),
      nextCursor,
      total: Number(total),
    };
  }
  return { findings: page.map((r) => r.row), nextCursor, total: Number(total) };
}
