/**
 * Loads the sample findings (data/sample/findings.json) into an empty findings table, in one
 * transaction, leaving exactly what the findings API would have left had each step been taken on its
 * historical date: every step is decided by the workflow's `checkAction` (with that day as "today" and
 * the finding's departments, records, tasks, rule and evidence as they then stood) and applied by its
 * `applyStep`, as the API applies it, so the sample can never hold a history the portal would refuse.
 * Determinations are stored as the rules module stores them and change the rule from then on; each
 * closing is frozen as the API freezes it. Location is judged by the service's own SQL; rows are
 * written in a few batched statements, the JSON parsed by the database.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Geometry, Polygon } from 'geojson';
import type { Config } from '../config.ts';
import { DEFAULT_TIME_ZONE, today } from '../lib/clock.ts';
import { storeFile } from '../lib/storage.ts';
import type { ChangeType, FindingCategory, Role } from '../lib/vocabulary.ts';
import { ruleForFinding, type ResolvedRule } from '../features/rules/rules.ts';
import { setClueDefaults } from '../features/tasks/tasks.sql.ts';
import { closureInsert, findingJson, judgeLocation, type ClosingTick } from '../features/findings/findings.sql.ts';
import { chainView, loadDepartments, workflowRule, type FindingFacts, type StoredRecord } from '../features/findings/transitions.service.ts';
import {
  addMonths,
  applyStep,
  checkAction,
  defaultObjectionsToZh,
  newClue,
  type ActionContext,
  type ActionName,
  type NoticeFacts,
  type StepTask,
} from '../features/findings/workflow.ts';
import { queryRows, type Database, type Executor } from './backend.ts';
import { sampleDir } from './seed.ts';

// ---- The file's contract (data/README.md, "sample/findings.json") ---------------------------------

/** A piece of evidence uploaded for a step. */
export interface SampleEvidence {
  fileName: string;
  kind: 'photo' | 'document';
}

/**
 * One step of a finding's history: an action of the chain with its request fields, or a coordinator's
 * determination of a fact (`determine`, with `fact`, `value`, `basis`). Departments are given by code
 * (`leadDepartment`, `cooperatingDepartments`), files by name: `evidence` lists the files uploaded for
 * the step; those not cited by `assessment` (科学评估) or `ticks` are its `evidenceIds`. A re-check
 * names its task by `recheckMonths` (the task due that many months after closing).
 */
export interface SampleStep {
  action: ActionName | 'determine';
  /** ISO datetime (UTC) of the step, in Asia/Shanghai working hours. */
  at: string;
  /** Username of the demo account that took the step. */
  by: string;
  evidence?: SampleEvidence[];
  assessment?: string[];
  ticks?: { code: string; evidence: string[] }[];
  recheckMonths?: number;
  [field: string]: unknown;
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
  /** 变化类型 as the monitoring batch gives it (remote sensing only), apart from the legal judgement. */
  changeType: ChangeType | null;
  /** 规模扩大: an old site that grew, with its original footprint. */
  expanded: boolean;
  originalGeometry: Polygon | null;
  geometry: Extract<Geometry, { type: 'Point' | 'Polygon' }>;
  /** Key of the sample inspection (data/sample/inspections.json) that found it. */
  inspectionKey: string | null;
  /** When and by whom the finding was recorded (POST /api/findings). */
  createdAt: string;
  createdBy: string;
  steps: SampleStep[];
}

/** A remote-sensing batch (监测批次) with its verification deadline. */
export interface SampleBatch {
  code: string;
  issuedOn: string;
  verifyBy: string;
}

export interface SampleFindingsFile {
  note: string;
  batches: SampleBatch[];
  findings: SampleFinding[];
}

/**
 * The chain settings the sample history was taken under: the defaults of .env.example. A portal run
 * with other settings still shows the history as it happened under these.
 */
export const sampleChainConfig: Pick<Config, 'acceptanceLevels' | 'publicityDays' | 'recheckMonths' | 'clueDispatchDays'> = {
  acceptanceLevels: ['county', 'city'],
  publicityDays: 7,
  recheckMonths: [6, 12],
  clueDispatchDays: 5,
};

/** How a step's department codes, evidence files and re-check task become ids. */
export interface StepResolver {
  department(code: string): number;
  evidence(fileName: string): number;
  recheckTask(months: number): number;
}

const stepKeys = new Set(['action', 'at', 'by', 'evidence', 'assessment', 'ticks', 'recheckMonths']);

/** The transition request body a step stands for, as the web app would have posted it. */
export function transitionBodyOf(step: SampleStep, version: number, resolve: StepResolver): Record<string, unknown> {
  const body: Record<string, unknown> = { action: step.action, version };
  const cited = new Set<string>();
  for (const [key, value] of Object.entries(step)) {
    if (stepKeys.has(key)) continue;
    if (key.endsWith('Department')) body[`${key}Id`] = resolve.department(value as string);
    else if (key.endsWith('Departments')) body[`${key.slice(0, -1)}Ids`] = (value as string[]).map((c) => resolve.department(c));
    else body[key] = value;
  }
  if (step.assessment) {
    body.assessmentEvidenceIds = step.assessment.map((f) => resolve.evidence(f));
    for (const f of step.assessment) cited.add(f);
  }
  if (step.ticks) {
    body.ticks = step.ticks.map((t) => ({ code: t.code, evidenceIds: t.evidence.map((f) => resolve.evidence(f)) }));
    for (const t of step.ticks) for (const f of t.evidence) cited.add(f);
  }
  if (step.recheckMonths !== undefined) body.taskId = resolve.recheckTask(step.recheckMonths);
  const rest = (step.evidence ?? []).filter((e) => !cited.has(e.fileName));
  if (rest.length) body.evidenceIds = rest.map((e) => resolve.evidence(e.fileName));
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
  displayName: string;
}

/** A task as the seeder writes it: the workflow's view plus who opened it and when it last changed. */
interface TaskRow extends StepTask {
  id: number;
  findingId: number;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

interface EventRow {
  at: string;
  actor: Account;
  action: string;
  findingId: number;
  before: unknown;
  after: unknown;
  /** Attachments this event is the step of (their event_id). */
  attachmentIds: number[];
  /** Tie-break for events at the same instant: the order the API would have written them. */
  order: number;
}

interface RecordRow extends StoredRecord {
  findingId: number;
  event: EventRow;
}

interface DeterminationRow {
  findingId: number;
  fact: string;
  value: string;
  basis: string;
  by: number;
  at: string;
  event: EventRow;
}

interface ClosureRow {
  /** The finding as the close step left it. */
  finding: FindingFacts;
  event: EventRow;
  at: string;
  closedBy: Account;
  rule: ResolvedRule;
  reopenedAt: string | null;
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
    const departments = await loadDepartments(tx);
    const departmentIds = new Map((await queryRows<{ id: number; code: string }>(tx, sql`select id, code from departments`)).map((d) => [d.code, Number(d.id)]));
    const accounts = new Map(
      (await queryRows<{ id: number; username: string; display_name: string; role: Role; department_id: number | null }>(tx, sql`select id, username, display_name, role, department_id from users`)).map(
        (u) => [
          u.username,
          { id: Number(u.id), username: u.username, displayName: u.display_name, role: u.role, departmentId: u.department_id === null ? null : Number(u.department_id) },
        ],
      ),
    );
    const account = (username: string): Account => {
      const a = accounts.get(username);
      if (!a) throw new Error(`sample findings: no account "${username}" (seed the demo accounts first)`);
      return a;
    };
    const department = (code: string) => {
      const id = departmentIds.get(code);
      if (id === undefined) throw new Error(`sample findings: no department "${code}"`);
      return id;
    };
    const inspectionIds = await inspectionsByKey(tx, file.findings);

    // The monitoring batches with their verification deadlines, owned by the coordinator (clue deadlines per batch).
    const coordinator = account('coord');
    if (file.batches.length) {
      await queryRows(
        tx,
        sql`insert into monitoring_batches (code, name, issued_on, verify_by, owner_user_id, created_at)
            select b ->> 'code', (b ->> 'code') || '卫星遥感监测变化图斑', (b ->> 'issuedOn')::date, (b ->> 'verifyBy')::date, ${coordinator.id},
                   (b ->> 'issuedOn')::timestamptz
            from json_array_elements(${JSON.stringify(file.batches)}::json) b
            on conflict (code) do nothing`,
      );
    }

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
      changeType: f.changeType,
      expanded: f.expanded,
      original: f.originalGeometry ? JSON.stringify(f.originalGeometry) : null,
      geometry: JSON.stringify(f.geometry),
      inspectionId: f.inspectionKey ? (inspectionIds.get(f.inspectionKey) ?? null) : null,
      createdBy: account(f.createdBy).id,
      createdAt: f.createdAt,
    }));
    // The original footprint of a 规模扩大 finding and its area in hectares, as the findings service stores them.
    const inserted = await queryRows<{ id: number; serial: string }>(
      tx,
      sql`insert into findings (serial, category, title, description, source, batch, discovered_on, constructed_on, approval, geom,
                                change_type, expanded, original_geom, original_area_ha, inspection_id, created_by, created_at, updated_at)
          select r ->> 'serial', r ->> 'category', r ->> 'title', r ->> 'description', r ->> 'source', r ->> 'batch',
                 (r ->> 'discoveredOn')::date, (r ->> 'constructedOn')::date, r ->> 'approval',
                 ST_SetSRID(ST_GeomFromGeoJSON(r ->> 'geometry'), 4326), r ->> 'changeType', (r ->> 'expanded')::boolean, o.geom,
                 round((ST_Area(o.geom::geography) / 10000)::numeric, 4), (r ->> 'inspectionId')::int, (r ->> 'createdBy')::int,
                 (r ->> 'createdAt')::timestamptz, (r ->> 'createdAt')::timestamptz
          from json_array_elements(${JSON.stringify(rows)}::json) with ordinality as x(r, n)
          cross join lateral (select case when r ->> 'original' is not null then ST_SetSRID(ST_GeomFromGeoJSON(r ->> 'original'), 4326) end as geom) o
          order by n
          returning id, serial`,
    );
    const idOf = new Map(inserted.map((r) => [r.serial, Number(r.id)]));
    const ids = [...idOf.values()];

    // Serial counters: the highest number handed out per year, as nextSerial would have left them.
    await queryRows(
      tx,
      sql`insert into finding_serials (year, last)
          select split_part(serial, '-', 2)::int, max(split_part(serial, '-', 3)::int) from findings group by 1
          on conflict (year) do update set last = greatest(finding_serials.last, excluded.last)`,
    );

    // Where each finding lies and who must dispatch it by when, by the very statements the service runs on the day it was recorded.
    for (const f of file.findings) {
      const id = idOf.get(f.serial)!;
      await queryRows(tx, setClueDefaults(id, today(DEFAULT_TIME_ZONE, new Date(f.createdAt)), sampleChainConfig.clueDispatchDays));
      for (const statement of judgeLocation(id)) await queryRows(tx, statement);
    }
    await queryRows(tx, sql`update findings set boundary_judged_at = created_at where id in ${ids}`);

    // The finding as POST /api/findings returned it (for the `finding.created` event) and what its 公示 notice names.
    const facts = new Map(
      (
        await queryRows<{ id: number; row: Record<string, unknown>; county_code: string | null; county: string | null; areas: string[] | null; managing: number | null }>(
          tx,
          sql`select f.id, ${findingJson(sql`f.created_at::date`, 30)} as row, f.county_code, c.name_zh as county,
                     (select array_agg(a.name_zh order by a.code) from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id) as areas,
                     (select a.managing_department_id from finding_areas fa join protected_areas a on a.id = fa.area_id
                       where fa.finding_id = f.id and a.managing_department_id is not null order by a.code limit 1) as managing
              from findings f left join counties c on c.code = f.county_code where f.id in ${ids}`,
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
    const attachmentsOf = new Map<number, AttachmentRow[]>();
    for (const a of attachments) attachmentsOf.set(a.findingId, [...(attachmentsOf.get(a.findingId) ?? []), a]);

    const tasks: TaskRow[] = [];
    const events: EventRow[] = [];
    const records: RecordRow[] = [];
    const determinations: DeterminationRow[] = [];
    const finals: Record<string, unknown>[] = [];
    const cooperators: { findingId: number; departmentId: number }[] = [];
    const closures: ClosureRow[] = [];
    let provisionalTaskId = 0;

    for (const f of file.findings) {
      const id = idOf.get(f.serial)!;
      const creator = account(f.createdBy);
      const fact = facts.get(id)!;
      const { overdue: _o, escalated: _e, createdAt: _c, updatedAt: _u, ...audited } = fact.row;
      events.push({ at: f.createdAt, actor: creator, action: 'finding.created', findingId: id, before: undefined, after: { ...audited, geometry: f.geometry }, attachmentIds: [], order: 0 });

      let state = newClue(fact.county_code);
      let updatedAt = f.createdAt;
      let own: TaskRow[] = [];
      const mine: RecordRow[] = [];
      // The rule as the API loads it for each request; recomputed after a determination changes a fact.
      let rule: ResolvedRule | null = null;
      const ruleNow = async () => (rule ??= await ruleForFinding(tx, id));
      const notice: NoticeFacts = {
        serial: f.serial,
        title: f.title,
        description: f.description,
        areaNamesZh: fact.areas ?? [],
        countyNameZh: fact.county,
        objectionsToZh: defaultObjectionsToZh,
      };

      for (const step of f.steps) {
        const actor = account(step.by);
        const day = today(DEFAULT_TIME_ZONE, new Date(step.at));
        const uploaded = (step.evidence ?? []).map((e) => attachmentOf.get(`${id}:${e.fileName}`)!);
        for (const a of uploaded) {
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
        if (step.at <= updatedAt) throw new Error(`${f.serial}: step ${step.action} at ${step.at} is not after the step before`);

        if (step.action === 'determine') {
          // As the rules module records a coordinator's determination: the latest per fact overrides the derived fact.
          const d = { fact: String(step.fact), value: String(step.value), basis: String(step.basis) };
          const event: EventRow = { at: step.at, actor, action: 'finding.determined', findingId: id, before: undefined, after: d, attachmentIds: [], order: 2 };
          events.push(event);
          determinations.push({ findingId: id, ...d, by: actor.id, at: step.at, event });
          await insertDetermination(tx, id, d, actor.id, step.at);
          rule = null;
          updatedAt = step.at;
          continue;
        }

        const body = transitionBodyOf(step, state.version, {
          department,
          evidence: (fileName) => {
            const a = attachmentOf.get(`${id}:${fileName}`);
            if (!a) throw new Error(`${f.serial}: evidence ${fileName} is cited but not uploaded with the step`);
            return a.id;
          },
          recheckTask: (months) => {
            const due = addMonths(state.closedOn ?? day, months);
            const t = own.find((x) => x.kind === 'recheck' && x.dueOn === due && x.status === 'open');
            if (!t) throw new Error(`${f.serial}: no open re-check task due ${due}`);
            return t.id;
          },
        });
        // The API loads the rule for every request; before verification it changes nothing, so it is asked only from then on.
        const resolved = ['clue', 'verifying', 'dismissed'].includes(state.state) ? null : await ruleNow();
        const ctx: ActionContext = {
          today: day,
          timeZone: DEFAULT_TIME_ZONE,
          config: sampleChainConfig,
          departments,
          records: mine,
          tasks: own,
          rule: workflowRule(resolved),
          evidence: (attachmentsOf.get(id) ?? []).filter((a) => a.uploadedAt <= step.at).map((a) => ({ id: a.id, uploadedAt: a.uploadedAt })),
          managingDepartmentId: fact.managing === null ? null : Number(fact.managing),
          notice,
        };
        const result = checkAction(state, actor, body, ctx);
        if (!result.ok) throw new Error(`${f.serial}: ${step.action} at ${step.at} refused (${result.status}): ${result.error.message}${result.error.issues ? ` ${JSON.stringify(result.error.issues)}` : ''}`);
        const before = state.state;
        const applied = applyStep(state, own, result, step.at);
        state = applied.finding;
        updatedAt = step.at;
        own = applied.tasks.map(({ changed, ...t }) => {
          if (!changed) return t as TaskRow;
          const known = t as Partial<TaskRow>;
          return { ...t, id: known.id ?? ++provisionalTaskId, findingId: id, createdBy: known.createdBy ?? actor.id, createdAt: known.createdAt ?? step.at, updatedAt: step.at } as TaskRow;
        });

        const event: EventRow = { at: step.at, actor, findingId: id, ...applied.event, attachmentIds: uploaded.map((a) => a.id), order: 2 };
        events.push(event);
        for (const r of applied.records) {
          const row: RecordRow = { ...r, id: 0, at: step.at, findingId: id, createdBy: actor.id, by: { userId: actor.id, displayName: actor.displayName }, event };
          mine.push(row);
          records.push(row);
        }
        for (const d of result.determinations) {
          determinations.push({ findingId: id, ...d, by: actor.id, at: step.at, event });
          await insertDetermination(tx, id, d, actor.id, step.at);
          rule = null;
        }
        if (state.state === 'closed' && before !== 'closed') {
          const snapshot: FindingFacts = { ...state, id, serial: f.serial, title: f.title, description: f.description, createdBy: creator.id, measures: null, closingTicks: null, managingDepartmentId: fact.managing === null ? null : Number(fact.managing) };
          closures.push({ finding: snapshot, event, at: step.at, closedBy: actor, rule: await ruleNow(), reopenedAt: null });
        }
        if (result.leavesClosure) closures.findLast((c) => c.finding.id === id)!.reopenedAt = step.at;
      }

      tasks.push(...own);
      for (const d of state.cooperatingDepartmentIds) cooperators.push({ findingId: id, departmentId: d });
      finals.push({
        id,
        state: state.state,
        round: state.round,
        verifyingDepartmentId: state.verifyingDepartmentId,
        verificationOutcome: state.verificationOutcome,
        leadDepartmentId: state.leadDepartmentId,
        drafterDepartmentId: state.drafterDepartmentId,
        acceptingDepartmentId: state.acceptingDepartmentId,
        planDueOn: state.planDueOn,
        deadline: state.deadline,
        acceptanceLevel: state.acceptanceLevel,
        publicityStartOn: state.publicityStartOn,
        publicityEndOn: state.publicityEndOn,
        publicityNotice: state.publicityNotice,
        closedOn: state.closedOn,
        closingDocumentNo: state.closingDocumentNo,
        version: state.version,
        updatedAt,
      });
    }

    // Task ids follow creation time across all findings, as the table's sequence would have handed them out.
    tasks.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.findingId - b.findingId || a.id - b.id);
    const taskIds = await nextIds(tx, 'tasks', tasks.length);
    const realTaskId = new Map(tasks.map((t, i) => [t.id, taskIds[i]]));
    for (const e of events) {
      const after = e.after as Record<string, unknown> | undefined;
      if (e.action === 'finding.recheck' && after && typeof after.taskId === 'number') after.taskId = realTaskId.get(after.taskId);
    }
    for (const r of records) if (r.kind === 'recheck' && typeof r.data.taskId === 'number') r.data = { ...r.data, taskId: realTaskId.get(r.data.taskId) };

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
      sql`update findings f set state = r ->> 'state', round = (r ->> 'round')::int,
                 verifying_department_id = (r ->> 'verifyingDepartmentId')::int, verification_outcome = r ->> 'verificationOutcome',
                 lead_department_id = (r ->> 'leadDepartmentId')::int, drafter_department_id = (r ->> 'drafterDepartmentId')::int,
                 accepting_department_id = (r ->> 'acceptingDepartmentId')::int, plan_due_on = (r ->> 'planDueOn')::date,
                 deadline = (r ->> 'deadline')::date, acceptance_level = r ->> 'acceptanceLevel',
                 publicity_start_on = (r ->> 'publicityStartOn')::date, publicity_end_on = (r ->> 'publicityEndOn')::date,
                 publicity_notice = r ->> 'publicityNotice', closed_on = (r ->> 'closedOn')::date, closing_document_no = r ->> 'closingDocumentNo',
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
    if (tasks.length) {
      const taskRows = tasks.map((t, i) => ({ ...t, id: taskIds[i] }));
      await queryRows(
        tx,
        sql`insert into tasks (id, kind, finding_id, department_id, due_on, status, instruction, cancel_reason, created_by, created_at, updated_at, closed_at, version)
            select (r ->> 'id')::int, r ->> 'kind', (r ->> 'findingId')::int, (r ->> 'departmentId')::int, (r ->> 'dueOn')::date, r ->> 'status',
                   r ->> 'instruction', r ->> 'cancelReason', (r ->> 'createdBy')::int, (r ->> 'createdAt')::timestamptz, (r ->> 'updatedAt')::timestamptz,
                   (r ->> 'closedAt')::timestamptz, (r ->> 'version')::int
            from json_array_elements(${JSON.stringify(taskRows)}::json) with ordinality as x(r, n)
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
    // Sub-step records in the order they were written (ids from the table's sequence), each with the event of its step.
    records.sort((a, b) => a.at.localeCompare(b.at) || a.findingId - b.findingId);
    const recordIds = await nextIds(tx, 'finding_records', records.length);
    records.forEach((r, i) => (r.id = recordIds[i]));
    if (records.length) {
      const recordRows = records.map((r) => ({ id: r.id, findingId: r.findingId, kind: r.kind, round: r.round, departmentId: r.departmentId, data: r.data, createdBy: r.createdBy, at: r.at, eventId: eventIdOf.get(r.event) }));
      await queryRows(
        tx,
        sql`insert into finding_records (id, finding_id, kind, round, department_id, data, created_by, created_at, event_id)
            select (r ->> 'id')::int, (r ->> 'findingId')::int, r ->> 'kind', (r ->> 'round')::int, (r ->> 'departmentId')::int, (r -> 'data')::jsonb,
                   (r ->> 'createdBy')::int, (r ->> 'at')::timestamptz, (r ->> 'eventId')::bigint
            from json_array_elements(${JSON.stringify(recordRows)}::json) r`,
      );
    }
    await linkDeterminations(tx, determinations.map((d) => ({ findingId: d.findingId, fact: d.fact, at: d.at, eventId: eventIdOf.get(d.event)! })));
    // Each closing frozen as the API freezes it (transitions.service.ts), from the records written up to it.
    for (const c of closures) {
      const f = c.finding;
      const upToClose = records.filter((r) => r.findingId === f.id && r.at <= c.at);
      const lastAcceptance = upToClose.findLast((r) => r.kind === 'acceptance' && r.round === f.round);
      const ticks = ((lastAcceptance?.data.ticks as ClosingTick[] | undefined) ?? []).map((t) => ({ code: t.code, evidenceIds: t.evidenceIds }));
      const record = { rule: c.rule, ...chainView(f, upToClose, departments, sampleChainConfig.acceptanceLevels), closedOn: f.closedOn, closingDocumentNo: f.closingDocumentNo };
      const closedBy = { userId: c.closedBy.id, username: c.closedBy.username };
      await queryRows(tx, closureInsert({ findingId: f.id, eventId: eventIdOf.get(c.event)!, at: c.at, closedBy, rule: c.rule, ticks, record, reopenedAt: c.reopenedAt }));
    }
    return { seeded: true, findings: inserted.length };
  });
}


/** Stores a determination as the rules module does, on its historical date; the event is linked once it has an id. */
async function insertDetermination(tx: Executor, findingId: number, d: { fact: string; value: string; basis: string }, by: number, at: string): Promise<void> {
  await queryRows(
    tx,
    sql`insert into finding_determinations (finding_id, fact, value, basis, determined_by, determined_at)
        values (${findingId}, ${d.fact}, ${d.value}, ${d.basis}, ${by}, ${at}::timestamptz)`,
  );
}

/** Links each stored determination to the event of the step that made it. */
async function linkDeterminations(tx: Executor, links: { findingId: number; fact: string; at: string; eventId: number }[]): Promise<void> {
  if (!links.length) return;
  await queryRows(
    tx,
    sql`update finding_determinations d set event_id = (r ->> 'eventId')::bigint
        from json_array_elements(${JSON.stringify(links)}::json) r
        where d.finding_id = (r ->> 'findingId')::int and d.fact = r ->> 'fact' and d.determined_at = (r ->> 'at')::timestamptz`,
  );
}

/** Reserves `n` ids of a table's serial column, ascending. */
async function nextIds(tx: Executor, table: 'attachments' | 'events' | 'tasks' | 'finding_records', n: number): Promise<number[]> {
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
