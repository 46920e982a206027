/** Evidence files: type allow-list by content, size cap, stored untouched by SHA-256, EXIF time and place read. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import exifr from 'exifr';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { fileSha256, storeFile } from '../../lib/storage.ts';
import { duplicateUpload, violatesUnique } from '../../lib/uploads.ts';
import type { Actor } from '../auth/roles.ts';
import { assertMayAddEvidence } from '../findings/evidence-access.ts';

/** Distance beyond which a photo is flagged as taken away from the finding. */
export const PHOTO_DISTANCE_WARNING_M = 500;

const startsWith = (b: Uint8Array, bytes: number[], offset = 0) => bytes.every((v, i) => b[offset + i] === v);

/** The file's type from its first bytes (never from its name or the browser's claim), or null. */
export function sniffType(b: Uint8Array): 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}

/**
 * Time and position a photo records. EXIF times carry no zone unless OffsetTimeOriginal is set;
 * cameras and phones here run on China time, so +08:00 is assumed then.
 */
export async function readExif(bytes: Uint8Array): Promise<{ takenAt: string | null; lon: number | null; lat: number | null }> {
  try {
    const tags = await exifr.parse(Buffer.from(bytes), { gps: true, reviveValues: false, pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'] });
    const gps = await exifr.gps(Buffer.from(bytes)).catch(() => null);
    let takenAt: string | null = null;
    const raw = typeof tags?.DateTimeOriginal === 'string' ? tags.DateTimeOriginal : null;
    const m = raw && /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
    if (m) {
      const offset = typeof tags?.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : '+08:00';
      const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
      takenAt = Number.isNaN(d.getTime()) ? null : d.toISOString();
    }
    const ok = gps && Number.isFinite(gps.longitude) && Number.isFinite(gps.latitude) && Math.abs(gps.latitude) <= 90 && Math.abs(gps.longitude) <= 180;
    return { takenAt, lon: ok ? gps.longitude : null, lat: ok ? gps.latitude : null };
  } catch {
    return { takenAt: null, lon: null, lat: null };
  }
}

/** JSON of attachments, with the distance of the photo's position from the finding. */
export const attachmentJson = sql`json_build_object(
  'id', x.id, 'ownerType', x.owner_type, 'ownerId', x.owner_id, 'eventId', x.event_id, 'fileName', x.file_name,
  'mimeType', x.mime_type, 'sizeBytes', x.size_bytes, 'sha256', x.sha256, 'takenAt', x.taken_at,
  'takenPoint', case when x.taken_point is null then null else json_build_array(round(ST_X(x.taken_point)::numeric, 6), round(ST_Y(x.taken_point)::numeric, 6)) end,
  'distanceM', case when x.taken_point is not null and x.owner_type = 'finding'
    then (select round(ST_Distance(x.taken_point::geography, f.geom::geography)::numeric) from findings f where f.id = x.owner_id) end,
  'uploadedBy', x.uploaded_by, 'uploadedAt', x.uploaded_at,
  'url', '/api/attachments/' || x.id || '/file')`;

/** Attachments of a finding, oldest first. */
export async function findingAttachments(exec: Executor, findingId: number) {
  const rows = await queryRows<{ row: Record<string, unknown> }>(
    exec,
    sql`select ${attachmentJson} as row from attachments x where x.owner_type = 'finding' and x.owner_id = ${findingId} and x.deleted_at is null order by x.id`,
  );
  return rows.map((r) => withWarning(r.row));
}

function withWarning(row: Record<string, unknown>) {
  const d = row.distanceM as number | null;
  return d !== null && d > PHOTO_DISTANCE_WARNING_M
    ? { ...row, warning: `照片拍摄位置距问题位置约 ${Math.round(d)} 米，超过 ${PHOTO_DISTANCE_WARNING_M} 米，请核实` }
    : row;
}

/** The partial unique index (migration 0009) that keeps one live copy of a file per owner. */
const ATTACHMENT_FILE_UNIQUE = 'attachments_owner_sha256_unique';

/** 409 when the same file is already a live attachment of the finding. */
async function assertNewAttachment(exec: Executor, findingId: number, sha256: string, fileName: string) {
  const [existing] = await queryRows<{ id: number; file_name: string; uploaded_on: string }>(
    exec,
    sql`select id, file_name, to_char(uploaded_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as uploaded_on
        from attachments where owner_type = 'finding' and owner_id = ${findingId} and sha256 = ${sha256} and deleted_at is null`,
  );
  if (existing) throw duplicateUpload(fileName, { kind: '附件', id: existing.id, fileName: existing.file_name, uploadedOn: existing.uploaded_on });
}

/** Stores one evidence file for a finding and records it in the finding's timeline. */
export async function addFindingAttachment(
  database: Database,
  config: Config,
  actor: Actor,
  findingId: number,
  file: { name: string; bytes: Uint8Array },
  ip: string,
) {
  if (file.bytes.byteLength === 0) throw invalidRequest([{ path: 'file', message: '文件是空的' }]);
  if (file.bytes.byteLength > config.uploadMaxMb * 1024 * 1024) {
    throw new ApiError(413, 'file_too_large', `文件 ${file.name} 超过 ${config.uploadMaxMb} MB 的上限`);
  }
  const mimeType = sniffType(file.bytes);
  if (!mimeType) {
    throw new ApiError(415, 'unsupported_format', `文件 ${file.name} 不是 JPEG、PNG、WebP 图片或 PDF 文档，不能作为证据上传`);
  }
  await assertMayAddEvidence(database.db, config, actor, findingId);
  const exif = mimeType === 'application/pdf' ? { takenAt: null, lon: null, lat: null } : await readExif(file.bytes);
  const name = path.basename(file.name).slice(0, 255) || 'file';
  const sha256 = await fileSha256(file.bytes);
  await assertNewAttachment(database.db, findingId, sha256, name);
  await storeFile(config.storageDir, file.bytes, sha256);
  try {
    return await database.db.transaction(async (tx) => {
      // Checked again under a share lock: a closing that commits first is seen, one that comes later waits.
      await assertMayAddEvidence(tx, config, actor, findingId, true);
      const [{ id }] = await queryRows<{ id: number }>(
        tx,
        sql`insert into attachments (owner_type, owner_id, file_name, mime_type, size_bytes, sha256, taken_at, taken_point, uploaded_by)
            values ('finding', ${findingId}, ${name}, ${mimeType}, ${file.bytes.byteLength}, ${sha256}, ${exif.takenAt},
                    ${exif.lon === null ? null : sql`ST_SetSRID(ST_MakePoint(${exif.lon}, ${exif.lat}), 4326)`}, ${actor.userId})
            returning id`,
      );
      await recordEvent(tx, { actor, action: 'finding.attachment_added', entity: 'finding', entityId: findingId, after: { attachmentId: id, fileName: name, mimeType, sha256 }, ip });
      const [row] = await queryRows<{ row: Record<string, unknown> }>(tx, sql`select ${attachmentJson} as row from attachments x where x.id = ${id}`);
      return withWarning(row.row);
    });
  } catch (err) {
    // Two uploads of one file that both passed the check: the index let one commit, the other names it.
    if (violatesUnique(err, ATTACHMENT_FILE_UNIQUE)) await assertNewAttachment(database.db, findingId, sha256, name);
    throw err;
  }
}

/** The stored bytes of an attachment with its type and name, or null. */
export async function attachmentFile(exec: Executor, config: Config, id: number) {
  const [row] = await queryRows<{ sha256: string; mime_type: string; file_name: string }>(
    exec,
    sql`select sha256, mime_type, file_name from attachments where id = ${id} and deleted_at is null`,
  );
  if (!row) return null;
  const bytes = await readFile(path.join(config.storageDir, row.sha256.slice(0, 2), row.sha256.slice(2, 4), row.sha256));
  return { bytes, mimeType: row.mime_type, fileName: row.file_name };
}
