/** Joint inspections: recorded by people of a participating department, every change audited. */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { ApiError, invalidRequest, type ErrorIssue } from '../../lib/errors.ts';
import { storeFile } from '../../lib/storage.ts';
import type { Actor } from '../auth/roles.ts';
import type { createInspectionBody, updateInspectionBody } from './inspections.schemas.ts';
import { inspectionDetail } from './inspections.sql.ts';
import { assertUploadSize, checkpointsToFeatures, parseTrackFile, toMultiLineString, type CoordinateSystem } from './tracks/parse.ts';

type CreateInspection = z.output<typeof createInspectionBody>;
type UpdateInspection = z.output<typeof updateInspectionBody>;


/** Only people of a participating department record an inspection. */
function assertParticipant(actor: Actor, departmentIds: number[]) {
  if (actor.departmentId === null || !departmentIds.includes(actor.departmentId)) {
    throw new ApiError(403, 'forbidden', '只有参与部门的人员可以记录本次检查');
  }
}

async function checkReferences(tx: Executor, departmentIds: number[], areaCodes: string[]) {
  const issues: ErrorIssue[] = [];
  const deps = await queryRows<{ id: number }>(tx, sql`select id from departments where id in ${departmentIds.length ? departmentIds : [-1]}`);
  const missingDeps = departmentIds.filter((d) => !deps.some((r) => r.id === d));
  if (missingDeps.length) issues.push({ path: 'departmentIds', message: `部门不存在：${missingDeps.join('、')}` });
  const areas = await queryRows<{ id: number; code: string }>(tx, sql`select id, code from protected_areas where code in ${areaCodes.length ? areaCodes : ['']}`);
  const missingAreas = areaCodes.filter((c) => !areas.some((a) => a.code === c));
  if (missingAreas.length) issues.push({ path: 'areaCodes', message: `保护地不存在：${missingAreas.join('、')}` });
  if (issues.length) throw invalidRequest(issues);
  return areas.map((a) => a.id);
}

async function writeLinks(tx: Executor, id: number, departmentIds: number[], areaIds: number[], members: CreateInspection['members'] | undefined) {
  await queryRows(tx, sql`delete from inspection_departments where inspection_id = ${id}`);
  for (const d of departmentIds) await queryRows(tx, sql`insert into inspection_departments (inspection_id, department_id) values (${id}, ${d})`);
  await queryRows(tx, sql`delete from inspection_areas where inspection_id = ${id}`);
  for (const a of areaIds) await queryRows(tx, sql`insert into inspection_areas (inspection_id, area_id) values (${id}, ${a})`);
  if (members) {
    await queryRows(tx, sql`delete from inspection_members where inspection_id = ${id}`);
    for (const m of members) {
      await queryRows(tx, sql`insert into inspection_members (inspection_id, user_id, name, department_id) values (${id}, ${m.userId ?? null}, ${m.name}, ${m.departmentId ?? null})`);
    }
  }
}

/** One inspection as the API shows it, or null. */
export async function getInspection(exec: Executor, id: number): Promise<Record<string, unknown> | null> {
  const [r] = await queryRows<{ row: Record<string, unknown> | string }>(exec, inspectionDetail(id));
  if (!r) return null;
  return typeof r.row === 'string' ? JSON.parse(r.row) : r.row;
}

/** Plans or records an inspection. */
export async function createInspection(database: Database, actor: Actor, input: CreateInspection, ip: string) {
  assertParticipant(actor, input.departmentIds);
  return database.db.transaction(async (tx) => {
    const areaIds = await checkReferences(tx, input.departmentIds, input.areaCodes);
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`insert into inspections (title, status, planned_start, planned_end, actual_start, actual_end, lead_department_id, summary, created_by)
          values (${input.title}, ${input.status}, ${input.plannedStart ?? null}, ${input.plannedEnd ?? null}, ${input.actualStart ?? null},
                  ${input.actualEnd ?? null}, ${input.leadDepartmentId}, ${input.summary ?? null}, ${actor.userId})
          returning id`,
    );
    await writeLinks(tx, id, input.departmentIds, areaIds, input.members);
    const after = await getInspection(tx, id);
    await recordEvent(tx, { actor, action: 'inspection.created', entity: 'inspection', entityId: id, after: auditView(after), ip });
    return after;
  });
}

/** The fields an event records for an inspection (not its geometry). */
function auditView(row: Record<string, unknown> | null) {
  if (!row) return null;
  const { tracks: _t, checkpoints: _c, updatedAt: _u, ...rest } = row;
  return rest;
}

/** Changes an inspection; a stale `version` → 409 so two departments never overwrite each other. */
export async function updateInspection(database: Database, actor: Actor, id: number, input: UpdateInspection, ip: string) {
  return database.db.transaction(async (tx) => {
    const before = await getInspection(tx, id);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的检查`);
    const currentDeps = (before.departments as { id: number }[]).map((d) => d.id);
    assertParticipant(actor, currentDeps);
    if (before.version !== input.version) {
      throw new ApiError(409, 'conflict', `这条检查记录已被他人修改（当前版本 ${before.version}），请刷新后再改`);
    }
    const merged = {
      status: input.status ?? (before.status as string),
      actualStart: input.actualStart === undefined ? (before.actualStart as string | null) : input.actualStart,
      actualEnd: input.actualEnd === undefined ? (before.actualEnd as string | null) : input.actualEnd,
      leadDepartmentId: input.leadDepartmentId ?? (before.leadDepartmentId as number),
      departmentIds: input.departmentIds ?? currentDeps,
    };
    const issues: ErrorIssue[] = [];
    if (merged.status === 'completed' && (!merged.actualStart || !merged.actualEnd)) issues.push({ path: 'actualEnd', message: '已完成的检查须填写实际起止日期' });
    if (!merged.departmentIds.includes(merged.leadDepartmentId)) issues.push({ path: 'departmentIds', message: '牵头部门须在参与部门之中' });
    if (issues.length) throw invalidRequest(issues);
    const areaIds = await checkReferences(tx, merged.departmentIds, input.areaCodes ?? (before.areaCodes as string[]));
    const keep = <T>(v: T | undefined, column: ReturnType<typeof sql>) => (v === undefined ? column : sql`${v}`);
    await queryRows(
      tx,
      sql`update inspections set
            title = ${keep(input.title, sql`title`)},
            status = ${merged.status},
            planned_start = ${keep(input.plannedStart, sql`planned_start`)}::date,
            planned_end = ${keep(input.plannedEnd, sql`planned_end`)}::date,
            actual_start = ${merged.actualStart}::date,
            actual_end = ${merged.actualEnd}::date,
            lead_department_id = ${merged.leadDepartmentId},
            summary = ${keep(input.summary, sql`summary`)},
            version = version + 1,
            updated_at = now()
          where id = ${id} and version = ${input.version}`,
    );
    await writeLinks(tx, id, merged.departmentIds, areaIds, input.members);
    const after = await getInspection(tx, id);
    await recordEvent(tx, { actor, action: 'inspection.updated', entity: 'inspection', entityId: id, before: auditView(before), after: auditView(after), ip });
    return after;
  });
}

/** Imports one track file: parsed and checked, the original kept by SHA-256, geometry stored as WGS84. */
export async function addTrack(
  database: Database,
  config: Config,
  actor: Actor,
  id: number,
  file: { name: string; bytes: Uint8Array },
  coordinateSystem: CoordinateSystem,
  ip: string,
  dryRun = false,
) {
  const before = await getInspection(database.db, id);
  if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的检查`);
  assertParticipant(actor, (before.departments as { id: number }[]).map((d) => d.id));
  assertUploadSize(file.bytes, config.uploadMaxMb);
  const parsed = parseTrackFile({ fileName: file.name, bytes: file.bytes, coordinateSystem });
  if (dryRun) {
    // A preview: what would be stored, shown on the map before the person confirms.
    return {
      dryRun: true,
      format: parsed.format,
      pointCount: parsed.pointCount,
      checkpoints: parsed.checkpoints.length,
      timeRange: parsed.timeRange,
      warnings: parsed.warnings,
      tracks: toMultiLineString(parsed),
      checkpointFeatures: { type: 'FeatureCollection', features: checkpointsToFeatures(parsed) },
    };
  }
  const sha256 = await storeFile(config.storageDir, file.bytes);
  return database.db.transaction(async (tx) => {
    let trackId: number | null = null;
    const lines = toMultiLineString(parsed);
    if (lines) {
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`insert into inspection_tracks (inspection_id, file_name, format, sha256, coordinate_system, point_count, started_at, ended_at, uploaded_by, geom)
            values (${id}, ${file.name.slice(0, 255)}, ${parsed.format}, ${sha256}, ${coordinateSystem}, ${parsed.pointCount},
                    ${parsed.timeRange?.start ?? null}, ${parsed.timeRange?.end ?? null}, ${actor.userId},
                    ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(lines)}), 4326)))
            returning id`,
      );
      trackId = row.id;
    }
    for (const f of checkpointsToFeatures(parsed)) {
      const p = f.properties;
      await queryRows(
        tx,
        sql`insert into inspection_checkpoints (inspection_id, track_id, name, note, at, geom)
            values (${id}, ${trackId}, ${p.name}, ${p.note}, ${p.time}, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326))`,
      );
    }
    await queryRows(tx, sql`update inspections set version = version + 1, updated_at = now() where id = ${id}`);
    const summary = { fileName: file.name, format: parsed.format, sha256, pointCount: parsed.pointCount, checkpoints: parsed.checkpoints.length, coordinateSystem };
    await recordEvent(tx, { actor, action: 'inspection.track_imported', entity: 'inspection', entityId: id, after: summary, ip });
    return { ...summary, trackId, timeRange: parsed.timeRange, warnings: parsed.warnings, inspection: await getInspection(tx, id) };
  });
}
