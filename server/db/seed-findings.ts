/**
 * Loads the sample findings (data/sample/findings.json) into an empty findings table, in one
 * transaction, leaving exactly what the findings API would have left had each step been taken on its
 * historical date: every step is replayed through the workflow's `checkTransition` (with that day as
 * "today") and applied by its `applyStep`, as the API applies it, so the sample can never hold a
 * history the portal would refuse; each closing is frozen as the API freezes it. Location is judged by the
 * service's own SQL; rows are written in a few batched statements, the JSON parsed by the database.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Geometry } from 'geojson';
import { DEFAULT_TIME_ZONE, today } from '../lib/clock.ts';
import { storeFile } from '../lib/storage.ts';
import type { FindingCategory, FindingState, Role, ZoneKind } from '../lib/vocabulary.ts';
import { closureInsert, findingJson, judgeLocation, type ClosingTick } from '../features/findings/findings.sql.ts';
import { conditionsFor } from '../features/findings/transitions.service.ts';
import { applyStep, checkTransition, citedEvidenceIds, type StepFinding, type StepTask } from '../features/findings/workflow.ts';
import { queryRows, type Database, type Executor } from './backend.ts';
import { sampleDir } from './seed.ts';

// ---- The file's contract (data/README.md, "sample/findings.json") ---------------------------------

/** A piece of evidence uploaded for a step. */
export interface SampleEvidence {
  fileName: string;
  kind: 'photo' | 'document';
}

/** One workflow step: the transition body with department codes for ids and evidence by file name. */
export interface SampleStep {
  to: FindingState;
  /** ISO datetime (UTC) of the step, in Asia/Shanghai working hours. */
  at: string;
  /** Username of the demo account that took the step. */
  by: string;
  note?: string;
  reason?: string;
  report?: string;
  verifyingDepartment?: string;
  dueDate?: string;
  measures?: string[];
  leadDepartment?: string;
  cooperatingDepartments?: string[];
  acceptingDepartment?: string | null;
  deadline?: string;
  /** Closing conditions ticked at acceptance, each citing evidence of this step by file name. */
  ticks?: { code: string; evidence: string[] }[];
  evidence?: SampleEvidence[];
}

/** One sample finding with its whole history. */
export interface SampleFinding {
  key: string;
  serial: string;
  title: string;
  category: FindingCategory;
  source: string;
  batch: string | null;
  description: string;
  discoveredAt: string;
  constructedAt: string | null;
  approval: 'approved' | 'unapproved' | 'unknown';
  geometry: Extract<Geometry, { type: 'Point' | 'Polygon' }>;
  /** Key of the sample inspection (data/sample/inspections.json) that found it. */
  inspectionKey: string | null;
  /** When and by whom the finding was recorded (POST /api/findings). */
  createdAt: string;
  createdBy: string;
  steps: SampleStep[];
}

export interface SampleFindingsFile {
  note: string;
  findings: SampleFinding[];
}

/** How a step's evidence files become attachment ids, and department codes become ids. */
export interface StepResolver {
  department(code: string): number;
  evidence(fileName: string): number;
}

/** The transition request body a step stands for, as the web app would have posted it. */
export function transitionBodyOf(step: SampleStep, version: number, resolve: StepResolver): Record<string, unknown> {
  const body: Record<string, unknown> = { to: step.to, version };
  const evidenceIds = (step.evidence ?? []).map((e) => resolve.evidence(e.fileName));
  if (step.verifyingDepartment !== undefined) body.verifyingDepartmentId = resolve.department(step.verifyingDepartment);
  if (step.dueDate !== undefined) body.dueDate = step.dueDate;
  if (step.leadDepartment !== undefined) {
    body.measures = step.measures;
    body.leadDepartmentId = resolve.department(step.leadDepartment);
    body.cooperatingDepartmentIds = (step.cooperatingDepartments ?? []).map((c) => resolve.department(c));
    body.acceptingDepartmentId = step.acceptingDepartment == null ? null : resolve.department(step.acceptingDepartment);
    body.deadline = step.deadline;
  }
  if (step.reason !== undefined) body.reason = step.reason;
  if (step.report !== undefined) body.report = step.report;
  if (step.ticks !== undefined) body.ticks = step.ticks.map((t) => ({ code: t.code, evidenceIds: t.evidence.map((f) => resolve.evidence(f)) }));
  if (step.note !== undefined) body.note = step.note;
  // Acceptance cites its evidence through the ticks; the other steps list it directly.
  if (step.ticks === undefined && (step.evidence?.length || step.to === 'dismissed' || step.to === 'pending_acceptance')) body.evidenceIds = evidenceIds;
  return body;
}

// ---- Placeholder evidence files -------------------------------------------------------------------

/**
 * A valid baseline JPEG of one grey pixel: one 8×8 block whose DC difference is category 0 and whose
 * AC part is an immediate end-of-block, each coded with a one-symbol Huffman table (code `0`).
 */
function placeholderJpeg(label: string): Uint8Array {
  const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const jfif = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  // A comment (COM) segment makes each sample photo its own file: one finding holding one file twice is refused.
  const comment = segment(0xfe, [...new TextEncoder().encode(label)]);
  const quant = segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]);
  const frame = segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
  const oneCode = (tableClassAndId: number, symbol: number) => segment(0xc4, [tableClassAndId, 1, ...new Array<number>(15).fill(0), symbol]);
  const scan = segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  // Bits "0" (DC category 0) and "0" (EOB), padded with ones to a byte.
  return Uint8Array.from([0xff, 0xd8, ...jfif, ...comment, ...quant, ...frame, ...oneCode(0x00, 0), ...oneCode(0x10, 0), ...scan, 0x3f, 0xff, 0xd9]);
}

/** A valid one-page blank PDF, its cross-reference offsets computed rather than typed in. */
function placeholderPdf(label: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  // The ASCII label in a comment line makes each sample document its own file; offsets below are counted after it.
  let text = `%PDF-1.4\n% ${label}\n`;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}

// ---- Replaying the history -------------------------------------------------------------------------

interface Account {
  id: number;
  role: Role;
  departmentId: number | null;
  username: string;
}

/** A task as the seeder writes it: the workflow's view plus who opened it and when it last changed. */
interface TaskRow extends StepTask {
  findingId: number;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

/** A closing to freeze once the attachments and the event ids exist. */
interface ClosureRow {
  findingId: number;
  event: EventRow;
  at: string;
  closedBy: Account;
  closing: ReturnType<typeof conditionsFor>;
  ticks: ClosingTick[];
  reopenedAt: string | null;
}

interface EventRow {
  at: string;
  actor: Account;
  action: string;
  findingId: number;
  before: unknown;
  after: unknown;
  /** Attachments this event is the transition of (their event_id). */
  attachmentIds: number[];
  /** Tie-break for events at the same instant: the order the API would have written them. */
  order: number;
}

interface AttachmentRow {
  id: number;
  findingId: number;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: number;
  uploadedAt: string;
  eventId: number | null;
}

/** Upload time of a step's n-th evidence file: a few minutes before the step, in upload order. */
function uploadTime(stepAt: string, n: number, count: number): string {
  return new Date(Date.parse(stepAt) - (count - n) * 3 * 60_000).toISOString();
}

/** Seeds the sample findings into an empty findings table; does nothing when any finding exists. */
export async function seedSampleFindings(
  database: Database,
  options: { storageDir: string; file?: string },
): Promise<{ seeded: boolean; findings: number }> {
  const [{ n: existing }] = await database.rows<{ n: number }>(sql`select count(*)::int as n from findings`);
  if (existing > 0) return { seeded: false, findings: existing };

  const file = JSON.parse(await readFile(options.file ?? `${sampleDir}findings.json`, 'utf8')) as SampleFindingsFile;
  const placeholder = async (kind: 'photo' | 'document', label: string) => {
    const bytes = kind === 'photo' ? placeholderJpeg(label) : placeholderPdf(label);
    return { bytes, mimeType: kind === 'photo' ? 'image/jpeg' : 'application/pdf', sha256: await storeFile(options.storageDir, bytes) };
  };

  return database.db.transaction(async (tx) => {
    const departments = new Map(
      (await queryRows<{ id: number; code: string }>(tx, sql`select id, code from departments`)).map((d) => [d.code, Number(d.id)]),
    );
    const accounts = new Map(
      (await queryRows<{ id: number; username: string; role: Role; department_id: number | null }>(tx, sql`select id, username, role, department_id from users`)).map(
        (u) => [u.username, { id: Number(u.id), username: u.username, role: u.role, departmentId: u.department_id === null ? null : Number(u.department_id) }],
      ),
    );
    const account = (username: string): Account => {
      const a = accounts.get(username);
      if (!a) throw new Error(`sample findings: no account "${username}" (seed the demo accounts first)`);
      return a;
    };
    const department = (code: string) => {
      const id = departments.get(code);
      if (id === undefined) throw new Error(`sample findings: no department "${code}"`);
      return id;
    };
    const inspectionIds = await inspectionsByKey(tx, file.findings);

    // Findings as recorded (state clue, version 1), in creation order so ids follow time.
    const rows = file.findings.map((f) => ({
      serial: f.serial,
      category: f.category,
      title: f.title,
      description: f.description,
      source: f.source,
      batch: f.batch,
      discoveredOn: f.discoveredAt,
      constructedOn: f.constructedAt,
      approval: f.approval,
      geometry: JSON.stringify(f.geometry),
      inspectionId: f.inspectionKey ? (inspectionIds.get(f.inspectionKey) ?? null) : null,
      createdBy: account(f.createdBy).id,
      createdAt: f.createdAt,
    }));
    const inserted = await queryRows<{ id: number; serial: string }>(
      tx,
      sql`insert into findings (serial, category, title, description, source, batch, discovered_on, constructed_on, approval, geom,
                                inspection_id, created_by, created_at, updated_at)
          select r ->> 'serial', r ->> 'category', r ->> 'title', r ->> 'description', r ->> 'source', r ->> 'batch',
                 (r ->> 'discoveredOn')::date, (r ->> 'constructedOn')::date, r ->> 'approval',
                 ST_SetSRID(ST_GeomFromGeoJSON(r ->> 'geometry'), 4326), (r ->> 'inspectionId')::int, (r ->> 'createdBy')::int,
                 (r ->> 'createdAt')::timestamptz, (r ->> 'createdAt')::timestamptz
          from json_array_elements(${JSON.stringify(rows)}::json) with ordinality as x(r, n)
          order by n
          returning id, serial`,
    );
    const idOf = new Map(inserted.map((r) => [r.serial, Number(r.id)]));

    // Serial counters: the highest number handed out per year, as nextSerial would have left them.
    await queryRows(
      tx,
      sql`insert into finding_serials (year, last)
          select split_part(serial, '-', 2)::int, max(split_part(serial, '-', 3)::int) from findings group by 1
          on conflict (year) do update set last = greatest(finding_serials.last, excluded.last)`,
    );

    // Where each finding lies, by the very statements the service runs; judged when it was recorded.
    for (const id of idOf.values()) for (const statement of judgeLocation(id)) await queryRows(tx, statement);
    await queryRows(tx, sql`update findings set boundary_judged_at = created_at where id in ${[...idOf.values()]}`);

    // The finding as POST /api/findings returned it, for the `finding.created` event.
    const facts = new Map(
      (
        await queryRows<{ id: number; row: Record<string, unknown>; zone: ZoneKind | null; established: string | null }>(
          tx,
          sql`select f.id, ${findingJson(sql`f.created_at::date`, 30)} as row, f.zone,
                     (select min(a.established_on)::text from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id) as established
              from findings f where f.id in ${[...idOf.values()]}`,
        )
      ).map((r) => [Number(r.id), r]),
    );

    // Attachment ids in upload order across all findings, taken from the table's own sequence.
    const uploads = file.findings.flatMap((f) =>
      f.steps.flatMap((step) =>
        (step.evidence ?? []).map((e, n, all) => ({ finding: f, step, evidence: e, at: uploadTime(step.at, n, all.length) })),
      ),
    );
    uploads.sort((a, b) => a.at.localeCompare(b.at) || a.finding.serial.localeCompare(b.finding.serial));
    const attachmentIds = await nextIds(tx, 'attachments', uploads.length);
    const files: Array<Awaited<ReturnType<typeof placeholder>>> = [];
    for (const [i, u] of uploads.entries()) files.push(await placeholder(u.evidence.kind, `sample ${u.finding.serial} ${i + 1}`));
    const attachments: AttachmentRow[] = uploads.map((u, i) => ({
      id: attachmentIds[i],
      findingId: idOf.get(u.finding.serial)!,
      fileName: u.evidence.fileName,
      mimeType: files[i].mimeType,
      sizeBytes: files[i].bytes.byteLength,
      sha256: files[i].sha256,
      uploadedBy: account(u.step.by).id,
      uploadedAt: u.at,
      eventId: null,
    }));
    const attachmentOf = new Map(attachments.map((a) => [`${a.findingId}:${a.fileName}`, a]));

    const tasks: TaskRow[] = [];
    const events: EventRow[] = [];
    const finals: Record<string, unknown>[] = [];
    const cooperators: { findingId: number; departmentId: number }[] = [];
    const closures: ClosureRow[] = [];

    for (const f of file.findings) {
      const id = idOf.get(f.serial)!;
      const creator = account(f.createdBy);
      const fact = facts.get(id)!;
      const { overdue: _o, escalated: _e, createdAt: _c, updatedAt: _u, ...audited } = fact.row;
      events.push({ at: f.createdAt, actor: creator, action: 'finding.created', findingId: id, before: undefined, after: { ...audited, geometry: f.geometry }, attachmentIds: [], order: 0 });

      let state: StepFinding = {
        state: 'clue',
        version: 1,
        verifyingDepartmentId: null,
        leadDepartmentId: null,
        cooperatingDepartmentIds: [],
        acceptingDepartmentId: null,
        measures: null,
        deadline: null,
        closingTicks: null,
      };
      let updatedAt = f.createdAt;
      let own: TaskRow[] = [];
      const closing = conditionsFor({ category: f.category, zone: fact.zone, approval: f.approval, constructedOn: f.constructedAt, areaEstablishedOn: fact.established });

      for (const step of f.steps) {
        const actor = account(step.by);
        const evidence = (fileName: string) => {
          const a = attachmentOf.get(`${id}:${fileName}`);
          if (!a) throw new Error(`${f.serial}: evidence ${fileName} is cited but not uploaded with the step`);
          return a.id;
        };
        for (const e of step.evidence ?? []) {
          const a = attachmentOf.get(`${id}:${e.fileName}`)!;
          events.push({
            at: a.uploadedAt,
            actor,
            action: 'finding.attachment_added',
            findingId: id,
            before: undefined,
            after: { attachmentId: a.id, fileName: a.fileName, mimeType: a.mimeType, sha256: a.sha256 },
            attachmentIds: [],
            order: 1,
          });
        }
        const body = transitionBodyOf(step, state.version, { department, evidence });
        // Every cited file was uploaded to this finding just before the step, so all of them count.
        const cited = citedEvidenceIds(body);
        const result = checkTransition(state, actor, body, { today: today(DEFAULT_TIME_ZONE, new Date(step.at)), evidenceCount: cited.length, closingConditions: closing.conditions });
        if (!result.ok) throw new Error(`${f.serial}: step to ${step.to} at ${step.at} refused: ${result.error.message}`);
        const applied = applyStep(state, own, result, step.at);
        const before = state.state;
        state = applied.finding;
        updatedAt = step.at;
        own = (applied.tasks as Partial<TaskRow>[]).map(({ changed, ...t }) =>
          changed ? { ...t, findingId: id, createdBy: t.createdBy ?? actor.id, createdAt: t.createdAt ?? step.at, updatedAt: step.at } : t,
        ) as TaskRow[];

        const event: EventRow = { at: step.at, actor, findingId: id, ...applied.event, attachmentIds: cited, order: 2 };
        events.push(event);
        if (state.state === 'closed') closures.push({ findingId: id, event, at: step.at, closedBy: actor, closing, ticks: state.closingTicks as ClosingTick[], reopenedAt: null });
        if (before === 'closed') closures.findLast((c) => c.findingId === id)!.reopenedAt = step.at;
      }

      tasks.push(...own);
      for (const d of state.cooperatingDepartmentIds) cooperators.push({ findingId: id, departmentId: d });
      finals.push({
        id,
        state: state.state,
        verifyingDepartmentId: state.verifyingDepartmentId,
        leadDepartmentId: state.leadDepartmentId,
        acceptingDepartmentId: state.acceptingDepartmentId ?? null,
        measures: state.measures,
        deadline: state.deadline,
        ticks: state.closingTicks,
        version: state.version,
        updatedAt,
      });
    }

    // Event ids follow time across all findings, as the append-only log would have them.
    events.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order || a.findingId - b.findingId);
    const eventIds = await nextIds(tx, 'events', events.length);
    const attachmentById = new Map(attachments.map((a) => [a.id, a]));
    const eventIdOf = new Map<EventRow, number>();
    events.forEach((e, i) => {
      eventIdOf.set(e, eventIds[i]);
      for (const a of e.attachmentIds) attachmentById.get(a)!.eventId = eventIds[i];
    });

    await queryRows(
      tx,
      sql`update findings f set state = r ->> 'state', verifying_department_id = (r ->> 'verifyingDepartmentId')::int,
                 lead_department_id = (r ->> 'leadDepartmentId')::int, accepting_department_id = (r ->> 'acceptingDepartmentId')::int,
                 measures = case when json_typeof(r -> 'measures') = 'array' then (r -> 'measures')::jsonb end,
                 deadline = (r ->> 'deadline')::date,
                 closing_ticks = case when json_typeof(r -> 'ticks') = 'array' then (r -> 'ticks')::jsonb end,
                 version = (r ->> 'version')::int, updated_at = (r ->> 'updatedAt')::timestamptz
          from json_array_elements(${JSON.stringify(finals)}::json) r
          where f.id = (r ->> 'id')::int`,
    );
    if (cooperators.length) {
      await queryRows(
        tx,
        sql`insert into finding_cooperators (finding_id, department_id)
            select (r ->> 'findingId')::int, (r ->> 'departmentId')::int from json_array_elements(${JSON.stringify(cooperators)}::json) r`,
      );
    }
    tasks.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.findingId - b.findingId);
    if (tasks.length) {
      await queryRows(
        tx,
        sql`insert into tasks (kind, finding_id, department_id, due_on, status, created_by, created_at, updated_at, closed_at, version)
            select r ->> 'kind', (r ->> 'findingId')::int, (r ->> 'departmentId')::int, (r ->> 'dueOn')::date, r ->> 'status',
                   (r ->> 'createdBy')::int, (r ->> 'createdAt')::timestamptz, (r ->> 'updatedAt')::timestamptz,
                   (r ->> 'closedAt')::timestamptz, (r ->> 'version')::int
            from json_array_elements(${JSON.stringify(tasks)}::json) with ordinality as x(r, n)
            order by n`,
      );
    }
    if (attachments.length) {
      await queryRows(
        tx,
        sql`insert into attachments (id, owner_type, owner_id, event_id, file_name, mime_type, size_bytes, sha256, uploaded_by, uploaded_at)
            select (r ->> 'id')::int, 'finding', (r ->> 'findingId')::int, (r ->> 'eventId')::bigint, r ->> 'fileName', r ->> 'mimeType',
                   (r ->> 'sizeBytes')::int, r ->> 'sha256', (r ->> 'uploadedBy')::int, (r ->> 'uploadedAt')::timestamptz
            from json_array_elements(${JSON.stringify(attachments)}::json) r`,
      );
    }
    const eventRows = events.map((e, i) => ({
      id: eventIds[i],
      at: e.at,
      userId: e.actor.id,
      departmentId: e.actor.departmentId,
      label: e.actor.username,
      action: e.action,
      entityId: String(e.findingId),
      before: e.before ?? null,
      after: e.after ?? null,
    }));
    await queryRows(
      tx,
      sql`insert into events (id, at, actor_user_id, actor_department_id, actor_label, action, entity, entity_id, before, after, ip)
          select (r ->> 'id')::bigint, (r ->> 'at')::timestamptz, (r ->> 'userId')::int, (r ->> 'departmentId')::int, r ->> 'label',
                 r ->> 'action', 'finding', r ->> 'entityId',
                 case when json_typeof(r -> 'before') = 'object' then (r -> 'before')::jsonb end,
                 case when json_typeof(r -> 'after') = 'object' then (r -> 'after')::jsonb end, null
          from json_array_elements(${JSON.stringify(eventRows)}::json) r`,
    );
    // Each closing frozen as the API freezes it, after the evidence it cites exists.
    for (const c of closures) {
      await queryRows(tx, closureInsert({ findingId: c.findingId, eventId: eventIdOf.get(c.event)!, at: c.at, closedBy: { userId: c.closedBy.id, username: c.closedBy.username }, closing: c.closing, ticks: c.ticks, reopenedAt: c.reopenedAt }));
    }
    return { seeded: true, findings: inserted.length };
  });
}

/** Reserves `n` ids of a table's serial column, ascending. */
async function nextIds(tx: Executor, table: 'attachments' | 'events', n: number): Promise<number[]> {
  if (n === 0) return [];
  const rows = await queryRows<{ id: number }>(tx, sql`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${n}) order by 1`);
  return rows.map((r) => Number(r.id));
}

/**
 * Ids of the sample inspections the findings cite, when those inspections are in the database. The
 * inspections table has no sample key, so the key is matched through its title and date in
 * data/sample/inspections.json; a finding whose inspection is absent keeps no link.
 */
async function inspectionsByKey(tx: Executor, findings: SampleFinding[]): Promise<Map<string, number>> {
  const keys = new Set(findings.flatMap((f) => (f.inspectionKey ? [f.inspectionKey] : [])));
  const [{ n }] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from inspections`);
  if (keys.size === 0 || n === 0) return new Map();
  const sample = JSON.parse(await readFile(`${sampleDir}inspections.json`, 'utf8')) as {
    inspections: { key: string; title: string; actualStart: string | null }[];
  };
  const wanted = sample.inspections.filter((i) => keys.has(i.key)).map((i) => ({ key: i.key, title: i.title, start: i.actualStart }));
  const rows = await queryRows<{ key: string; id: number }>(
    tx,
    sql`select w ->> 'key' as key, min(i.id) as id
        from json_array_elements(${JSON.stringify(wanted)}::json) w
        join inspections i on i.title = w ->> 'title' and i.actual_start is not distinct from (w ->> 'start')::date and i.deleted_at is null
        group by 1`,
  );
  return new Map(rows.map((r) => [r.key, Number(r.id)]));
}
