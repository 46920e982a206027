/**
 * Moving a finding along the rectification chain: the rules are workflow.ts's; here they are applied
 * in one transaction with the finding row locked, the task changes, the evidence linked to the step,
 * and the audit event.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { today } from '../../lib/clock.ts';
import { ApiError } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import type { ZoneKind } from '../../lib/vocabulary.ts';
import type { Actor } from '../auth/roles.ts';
import { closingConditions, type ClosingConditionsResult, type FindingCategory } from './closing-conditions.ts';
import { getFindingRow } from './findings.service.ts';
import { closureInsert, latestClosure, rejudgeRecorded, type ClosingTick, type StoredClosure } from './findings.sql.ts';
import { allowedTransitions, applyStep, checkTransition, citedEvidenceIds, type FindingState, type StepFinding, type StepTask } from './workflow.ts';

export interface FindingFacts extends StepFinding {
  id: number;
  serial: string;
  category: FindingCategory;
  zone: ZoneKind | null;
  approval: 'approved' | 'unapproved' | 'unknown';
  constructedOn: string | null;
  areaEstablishedOn: string | null;
  createdBy: number | null;
}

/** The workflow's view of a finding; `lock` holds the row (FOR UPDATE, or FOR SHARE) until the transaction ends. */
export async function loadWorkflowFinding(exec: Executor, id: number, lock: boolean | 'share' = false): Promise<FindingFacts | null> {
  const [f] = await queryRows<{
    id: number;
    serial: string;
    state: FindingState;
    version: number;
    verifying_department_id: number | null;
    lead_department_id: number | null;
    accepting_department_id: number | null;
    category: FindingCategory;
    zone: ZoneKind | null;
    approval: 'approved' | 'unapproved' | 'unknown';
    constructed_on: string | null;
    measures: unknown;
    deadline: string | null;
    closing_ticks: unknown;
    created_by: number | null;
  }>(
    exec,
    sql`select id, serial, state, version, verifying_department_id, lead_department_id, accepting_department_id,
               category, zone, approval, constructed_on::text as constructed_on, measures, deadline::text as deadline, closing_ticks, created_by
        from findings where id = ${id} and deleted_at is null ${lock === 'share' ? sql`for share` : lock ? sql`for update` : sql``}`,
  );
  if (!f) return null;
  const [extra] = await queryRows<{ cooperating: number[] | null; established: string | null }>(
    exec,
    sql`select (select array_agg(department_id order by department_id) from finding_cooperators where finding_id = ${id}) as cooperating,
               (select min(a.established_on)::text from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = ${id}) as established`,
  );
  return {
    id: f.id,
    serial: f.serial,
    state: f.state,
    version: f.version,
    verifyingDepartmentId: f.verifying_department_id,
    leadDepartmentId: f.lead_department_id,
    acceptingDepartmentId: f.accepting_department_id,
    cooperatingDepartmentIds: (extra.cooperating ?? []).map(Number),
    category: f.category,
    zone: f.zone,
    approval: f.approval,
    constructedOn: f.constructed_on,
    areaEstablishedOn: extra.established,
    measures: f.measures,
    deadline: f.deadline,
    closingTicks: f.closing_ticks,
    createdBy: f.created_by === null ? null : Number(f.created_by),
  };
}

/** The closing conditions that apply to a finding (国环规生态〔2022〕1号 annex), from its category, zone, approval and dates. */
export function conditionsFor(f: Pick<FindingFacts, 'category' | 'zone' | 'approval' | 'constructedOn' | 'areaEstablishedOn'> & Partial<FindingFacts>): ClosingConditionsResult {
  return closingConditions({
    category: f.category,
    zone: f.zone,
    approval: f.approval,
    constructionDate: f.constructedOn,
    areaEstablishedDate: f.areaEstablishedOn,
  });
}

/**
 * What the finding page needs about the workflow for this person: the steps they may take now and the
 * closing conditions — for a closed finding the ones stored when it closed, never a recomputation.
 */
export function workflowView(f: FindingFacts, actor: Actor, closure: StoredClosure | null) {
  const frozen = f.state === 'closed' && closure !== null;
  return { allowedTransitions: allowedTransitions(f, actor), closing: frozen ? closure.closing : conditionsFor(f), closure: frozen ? closure : null };
}

/** The finding's tasks in creation order, locked with the finding until the step commits. */
async function loadStepTasks(exec: Executor, findingId: number): Promise<StepTask[]> {
  const rows = await queryRows<{ id: number; kind: StepTask['kind']; department_id: number | null; status: StepTask['status']; due_on: string | null; version: number; closed_at: string | null }>(
    exec,
    sql`select id, kind, department_id, status, due_on::text as due_on, version, closed_at::text as closed_at
        from tasks where finding_id = ${findingId} order by id for update`,
  );
  return rows.map((t) => ({
    id: Number(t.id),
    kind: t.kind,
    departmentId: t.department_id === null ? null : Number(t.department_id),
    status: t.status,
    dueOn: t.due_on,
    version: Number(t.version),
    closedAt: t.closed_at,
  }));
}

/**
 * Writes the tasks a step (or a coordinator) opened or changed, each stored task under the version it
 * was loaded at (`loaded`); returns the ids of the opened ones.
 */
export async function writeTaskChanges(tx: Executor, findingId: number, loaded: readonly StepTask[], tasks: readonly StepTask[], createdBy: number): Promise<number[]> {
  const loadedVersion = new Map(loaded.map((t) => [t.id, t.version]));
  const opened: number[] = [];
  for (const t of tasks) {
    if (!t.changed) continue;
    if (t.id === undefined) {
      const [{ id }] = await queryRows<{ id: number }>(
        tx,
        sql`insert into tasks (kind, finding_id, department_id, assignee_user_id, due_on, note, created_by)
            values (${t.kind}, ${findingId}, ${t.departmentId}, ${t.assigneeUserId ?? null}, ${t.dueOn}, ${t.note ?? null}, ${createdBy})
            returning id`,
      );
      opened.push(Number(id));
    } else {
      await updateVersioned(tx, {
        table: 'tasks',
        id: t.id,
        version: loadedVersion.get(t.id)!,
        set: sql`status = ${t.status}, closed_at = ${t.closedAt}::timestamptz, updated_at = now()`,
        label: `编号为 ${t.id} 的任务`,
      });
    }
  }
  return opened;
}

/** The stored closure of a closed finding (its latest closing), or null. */
export async function closureOf(exec: Executor, findingId: number): Promise<StoredClosure | null> {
  const [r] = await queryRows<{ row: StoredClosure }>(exec, latestClosure(findingId));
  return r?.row ?? null;
}

/** A JSON column's value: SQL NULL for nothing (never the JSON literal `null`). */
const jsonOrNull = (v: unknown) => (v == null ? null : JSON.stringify(v));

/** Applies one transition request; refused requests throw with the workflow's status and message. */
export async function transitionFinding(database: Database, config: Config, actor: Actor, id: number, body: unknown, ip: string) {
  return database.db.transaction(async (tx) => {
    const finding = await loadWorkflowFinding(tx, id, true);
    if (!finding) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的问题`);
    const cited = citedEvidenceIds(body);
    const [{ n: evidenceCount, now }] = await queryRows<{ n: number; now: string }>(
      tx,
      sql`select count(*)::int as n, to_json(now()) #>> '{}' as now from attachments
          where id in ${cited.length ? cited : [-1]} and owner_type = 'finding' and owner_id = ${id} and deleted_at is null`,
    );
    const closing = conditionsFor(finding);
    const result = checkTransition(finding, actor, body, { today: today(config.timeZone), evidenceCount, closingConditions: closing.conditions });
    if (!result.ok) throw new ApiError(result.status, result.error.code, result.error.message, result.error.issues);
    const at = new Date(now).toISOString();
    const tasks = await loadStepTasks(tx, id);
    const step = applyStep(finding, tasks, result, at);
    const f = step.finding;

    await updateVersioned(tx, {
      table: 'findings',
      id,
      version: finding.version,
      set: sql`state = ${f.state}, verifying_department_id = ${f.verifyingDepartmentId}, lead_department_id = ${f.leadDepartmentId},
               accepting_department_id = ${f.acceptingDepartmentId ?? null}, measures = ${jsonOrNull(f.measures)}::jsonb,
               deadline = ${f.deadline}::date, closing_ticks = ${jsonOrNull(f.closingTicks)}::jsonb, updated_at = now()`,
      label: `问题“${finding.serial}”`,
    });
    if (f.cooperatingDepartmentIds !== finding.cooperatingDepartmentIds) {
      await queryRows(tx, sql`delete from finding_cooperators where finding_id = ${id}`);
      for (const d of f.cooperatingDepartmentIds) {
        await queryRows(tx, sql`insert into finding_cooperators (finding_id, department_id) values (${id}, ${d})`);
      }
    }
    await writeTaskChanges(tx, id, tasks, step.tasks, actor.userId);
    const eventId = await recordEvent(tx, { actor, entity: 'finding', entityId: id, ...step.event, ip });
    if (cited.length) await queryRows(tx, sql`update attachments set event_id = ${eventId} where id in ${cited} and owner_type = 'finding' and owner_id = ${id}`);

    if (f.state === 'closed') {
      await queryRows(tx, closureInsert({ findingId: id, eventId, at, closedBy: actor, closing, ticks: f.closingTicks as ClosingTick[] }));
    }
    if (finding.state === 'closed') {
      // Reopened (回头看): the frozen closure stays as it was; the finding is judged anew on today's boundaries.
      await queryRows(tx, sql`update finding_closures set reopened_at = ${at}::timestamptz where finding_id = ${id} and reopened_at is null`);
      await queryRows(tx, rejudgeRecorded(id, 'reopened'));
    }
    return getFindingRow(tx, config, id);
  });
}
