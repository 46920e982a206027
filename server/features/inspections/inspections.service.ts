/** Joint inspections: recorded by people of a participating department, every change audited. */
import { sql } from 'drizzle-orm';
import type { MultiLineString } from 'geojson';
import type { z } from 'zod';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { ApiError, invalidRequest, type ErrorIssue } from '../../lib/errors.ts';
import { fileSha256, storeFile } from '../../lib/storage.ts';
import { duplicateUpload, violatesUnique } from '../../lib/uploads.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import type { Actor } from '../auth/roles.ts';
import type { createInspectionBody, updateInspectionBody } from './inspections.schemas.ts';
import { checkpointInsert, inspectionDetail, liveTrackWithSha256, trackCheckpointsRemoval, trackInsert, trackRemoval } from './inspections.sql.ts';
import { assertUploadSize, type CoordinateSystem, type ExpectedDates } from './tracks/parse.ts';
import { parseTrackInWorker } from './tracks/pool.ts';

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
    await updateVersioned(tx, {
      table: 'inspections',
      id,
      version: input.version,
      set: sql`title = ${keep(input.title, sql`title`)},
            status = ${merged.status},
            planned_start = ${keep(input.plannedStart, sql`planned_start`)}::date,
            planned_end = ${keep(input.plannedEnd, sql`planned_end`)}::date,
            actual_start = ${merged.actualStart}::date,
            actual_end = ${merged.actualEnd}::date,
            lead_department_id = ${merged.leadDepartmentId},
            summary = ${keep(input.summary, sql`summary`)},
            updated_at = now()`,
      label: '这条检查记录',
    });
    await writeLinks(tx, id, merged.departmentIds, areaIds, input.members);
    const after = await getInspection(tx, id);
    await recordEvent(tx, { actor, action: 'inspection.updated', entity: 'inspection', entityId: id, before: auditView(before), after: auditView(after), ip });
    return after;
  });
}

/** The inspection's dates (actual where recorded, else planned), against which imported point times are judged. */
function inspectionDates(row: Record<string, unknown>): ExpectedDates | null {
  const start = (row.actualStart ?? row.plannedStart ?? null) as string | null;
  const end = (row.actualEnd ?? row.plannedEnd ?? null) as string | null;
  if (start === null && end === null) return null;
  const first = start ?? end!;
  const last = end === null || end < first ? first : end;
  return { start: first, end: last };
}

/** 409 when the same file is already a live track of the inspection. */
async function assertNewTrackFile(exec: Executor, inspectionId: number, sha256: string, fileName: string) {
  const [existing] = await queryRows<{ id: number; file_name: string; uploaded_on: string }>(exec, liveTrackWithSha256(inspectionId, sha256));
  if (existing) throw duplicateUpload(fileName, { kind: '轨迹', id: existing.id, fileName: existing.file_name, uploadedOn: existing.uploaded_on });
}

/**
 * Imports one track file: parsed and checked in a worker thread, the original kept by SHA-256, geometry stored as WGS84.
 * The same file twice on one inspection → 409 naming the first (checked first, and by a unique index when two race).
 */
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
  const fileName = file.name.slice(0, 255);
  const sha256 = await fileSha256(file.bytes);
  // Before parsing, so a preview of a file already imported says so at once.
  await assertNewTrackFile(database.db, id, sha256, fileName);
  const parsed = await parseTrackInWorker({ fileName: file.name, bytes: file.bytes, coordinateSystem, expectedDates: inspectionDates(before) });
  if (dryRun) {
    // A preview: what would be stored, shown on the map before the person confirms.
    return {
      dryRun: true,
      format: parsed.format,
      pointCount: parsed.pointCount,
      checkpoints: parsed.checkpointCount,
      timeRange: parsed.timeRange,
      warnings: parsed.warnings,
      tracks: parsed.linesJson === null ? null : (JSON.parse(parsed.linesJson) as MultiLineString),
      checkpointFeatures: { type: 'FeatureCollection', features: parsed.checkpointFeatures },
    };
  }
  await storeFile(config.storageDir, file.bytes, sha256);
  try {
    return await database.db.transaction(async (tx) => {
      let trackId: number | null = null;
      if (parsed.linesJson !== null) {
        const [row] = await queryRows<{ id: number }>(
          tx,
          trackInsert({
            inspectionId: id,
            fileName,
            format: parsed.format,
            sha256,
            coordinateSystem,
            pointCount: parsed.pointCount,
            startedAt: parsed.timeRange?.start ?? null,
            endedAt: parsed.timeRange?.end ?? null,
            uploadedBy: actor.userId,
            geometryJson: parsed.linesJson,
          }),
        );
        trackId = row.id;
      }
      for (const f of parsed.checkpointFeatures) {
        const p = f.properties;
        await queryRows(tx, checkpointInsert({ inspectionId: id, trackId, name: p.name, note: p.note, at: p.time, geometryJson: JSON.stringify(f.geometry) }));
      }
      await queryRows(tx, sql`update inspections set version = version + 1, updated_at = now() where id = ${id}`);
      const summary = { fileName: file.name, format: parsed.format, sha256, pointCount: parsed.pointCount, checkpoints: parsed.checkpointCount, coordinateSystem };
      await recordEvent(tx, { actor, action: 'inspection.track_imported', entity: 'inspection', entityId: id, after: { ...summary, trackId }, ip });
      return { ...summary, trackId, timeRange: parsed.timeRange, warnings: parsed.warnings, inspection: await getInspection(tx, id) };
    });
  } catch (err) {
    // Two uploads of one file that both passed the check: the index let one commit, the other names it.
    if (violatesUnique(err, TRACK_FILE_UNIQUE)) await assertNewTrackFile(database.db, id, sha256, fileName);
    throw err;
  }
}

/** The partial unique index (migration 0009) that keeps one live copy of a file per inspection. */
const TRACK_FILE_UNIQUE = 'inspection_tracks_inspection_id_sha256_unique';

/**
 * Removes a wrongly imported track (soft delete: the row, its file and the event stay) with the checkpoints that came
 * from the same file. People of a participating department, or a coordinator, may; a stale `version` → 409.
 */
export async function removeTrack(database: Database, actor: Actor, id: number, trackId: number, version: number, ip: string) {
  return database.db.transaction(async (tx) => {
    const before = await getInspection(tx, id);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的检查`);
    if (actor.role !== 'coordinator') assertParticipant(actor, (before.departments as { id: number }[]).map((d) => d.id));
    // The version check comes first: of two people removing the same track from one version, the second gets 409.
    await updateVersioned(tx, { table: 'inspections', id, version, set: sql`updated_at = now()`, label: `检查 ${id} ` });
    const [removed] = await queryRows<Record<string, unknown>>(tx, trackRemoval(id, trackId));
    if (!removed) throw new ApiError(404, 'not_found', `检查 ${id} 没有编号为 ${trackId} 的轨迹（或已删除）`);
    const checkpoints = await queryRows<{ id: number }>(tx, trackCheckpointsRemoval(trackId));
    await recordEvent(tx, {
      actor,
      action: 'inspection.track_removed',
      entity: 'inspection',
      entityId: id,
      before: { track: removed, checkpointIds: checkpoints.map((c) => c.id) },
      ip,
    });
    return getInspection(tx, id);
  });
}
