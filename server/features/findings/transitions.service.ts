/**
 * Moving a finding along the rectification chain: the rules are workflow.ts's; here they are applied
 * in one transaction with the finding row locked — the versioned update, the sub-step records, the task
 * changes, the evidence linked to the step's event, the determinations a confirmation makes, and the
 * closure snapshot when the finding is closed.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { today } from '../../lib/clock.ts';
import { ApiError } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import type { Actor } from '../auth/roles.ts';
import { findingAttachments } from '../attachments/attachments.service.ts';
import { determinationHistory, recordDetermination, ruleForFinding, type ResolvedRule } from '../rules/rules.ts';
import { findingNotices } from '../supervision/supervision.service.ts';
import { listTasks } from '../tasks/tasks.service.ts';
import { getFindingRow } from './findings.service.ts';
import { closureInsert, latestClosure, rejudgeRecorded, type ClosingTick, type StoredClosure } from './findings.sql.ts';
import {
  acceptanceLevelLabelsZh,
  allowedActions,
  applyStep,
  checkAction,
  citedEvidenceIds,
  currentPlan,
  defaultObjectionsToZh,
  partReports,
  type AcceptanceLevel,
  type ActionContext,
  type DepartmentNode,
  type FindingState,
  type NoticeFacts,
  type PartyContext,
  type StepTask,
  type WorkflowFinding,
  type WorkflowRecord,
  type WorkflowRule,
} from './workflow.ts';

/** A finding as the chain reads it, with the facts the service needs besides. */
export interface FindingFacts extends WorkflowFinding {
  id: number;
  serial: string;
  version: number;
  title: string;
  description: string;
  createdBy: number | null;
  measures: unknown;
  closingTicks: unknown;
  /** The management body (管理机构) of the first area the finding lies in, if it has one. */
  managingDepartmentId: number | null;
}

type FindingRow = {
  id: number;
  serial: string;
  state: FindingState;
  version: number;
  round: number;
  title: string;
  description: string;
  county_code: string | null;
  verifying_department_id: number | null;
  verification_outcome: WorkflowFinding['verificationOutcome'];
  lead_department_id: number | null;
  drafter_department_id: number | null;
  accepting_department_id: number | null;
  plan_due_on: string | null;
  deadline: string | null;
  acceptance_level: AcceptanceLevel | null;
  publicity_start_on: string | null;
  publicity_end_on: string | null;
  publicity_notice: string | null;
  closed_on: string | null;
  closing_document_no: string | null;
  measures: unknown;
  closing_ticks: unknown;
  created_by: number | null;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The workflow's view of a finding; `lock` holds the row (FOR UPDATE, or FOR SHARE) until the transaction ends. */
export async function loadWorkflowFinding(exec: Executor, id: number, lock: boolean | 'share' = false): Promise<FindingFacts | null> {
  const [f] = await queryRows<FindingRow>(
    exec,
    sql`select id, serial, state, version, round, title, description, county_code, verifying_department_id, verification_outcome,
               lead_department_id, drafter_department_id, accepting_department_id, plan_due_on::text as plan_due_on, deadline::text as deadline,
               acceptance_level, publicity_start_on::text as publicity_start_on, publicity_end_on::text as publicity_end_on, publicity_notice,
               closed_on::text as closed_on, closing_document_no, measures, closing_ticks, created_by
        from findings where id = ${id} and deleted_at is null ${lock === 'share' ? sql`for share` : lock ? sql`for update` : sql``}`,
  );
  if (!f) return null;
  const [extra] = await queryRows<{ cooperating: number[] | null; managing: number | null }>(
    exec,
    sql`select (select array_agg(department_id order by department_id) from finding_cooperators where finding_id = ${id}) as cooperating,
               (select a.managing_department_id from finding_areas fa join protected_areas a on a.id = fa.area_id
                 where fa.finding_id = ${id} and a.managing_department_id is not null order by a.code limit 1) as managing`,
  );
  return {
    id: f.id,
    serial: f.serial,
    state: f.state,
    version: Number(f.version),
    round: Number(f.round),
    title: f.title,
    description: f.description,
    countyCode: f.county_code,
    verifyingDepartmentId: num(f.verifying_department_id),
    verificationOutcome: f.verification_outcome,
    leadDepartmentId: num(f.lead_department_id),
    cooperatingDepartmentIds: (extra.cooperating ?? []).map(Number),
    drafterDepartmentId: num(f.drafter_department_id),
    acceptingDepartmentId: num(f.accepting_department_id),
    planDueOn: f.plan_due_on,
    deadline: f.deadline,
    acceptanceLevel: f.acceptance_level,
    publicityStartOn: f.publicity_start_on,
    publicityEndOn: f.publicity_end_on,
    publicityNotice: f.publicity_notice,
    closedOn: f.closed_on,
    closingDocumentNo: f.closing_document_no,
    measures: f.measures,
    closingTicks: f.closing_ticks,
    createdBy: num(f.created_by),
    managingDepartmentId: num(extra.managing),
  };
}

/** Every department as the independence and level rules see it. */
export async function loadDepartments(exec: Executor): Promise<DepartmentNode[]> {
  const rows = await queryRows<{ id: number; name_zh: string; kind: DepartmentNode['kind']; level: DepartmentNode['level']; parent_id: number | null; county_code: string | null }>(
    exec,
    sql`select id, name_zh, kind, level, parent_id, county_code from departments order by id`,
  );
  return rows.map((d) => ({ id: Number(d.id), nameZh: d.name_zh, kind: d.kind, level: d.level, parentId: num(d.parent_id), countyCode: d.county_code }));
}

/** A stored record with its writer's name, for the detail. */
export interface StoredRecord extends WorkflowRecord {
  id: number;
  by: { userId: number; displayName: string } | null;
}

/** The finding's sub-step records, oldest first. */
export async function loadRecords(exec: Executor, findingId: number): Promise<StoredRecord[]> {
  const rows = await queryRows<{ id: number; kind: WorkflowRecord['kind']; round: number; department_id: number | null; data: Record<string, unknown>; created_by: number | null; at: string; display_name: string | null }>(
    exec,
    sql`select r.id, r.kind, r.round, r.department_id, r.data, r.created_by, to_json(r.created_at) #>> '{}' as at, u.display_name
        from finding_records r left join users u on u.id = r.created_by
        where r.finding_id = ${findingId} order by r.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    round: Number(r.round),
    departmentId: num(r.department_id),
    data: r.data,
    at: new Date(r.at).toISOString(),
    createdBy: num(r.created_by),
    by: r.created_by === null ? null : { userId: Number(r.created_by), displayName: r.display_name ?? '' },
  }));
}

/** The finding's tasks in creation order; `lock` holds them with the finding until the step commits. */
export async function loadStepTasks(exec: Executor, findingId: number, lock = false): Promise<StepTask[]> {
  const rows = await queryRows<{ id: number; kind: StepTask['kind']; department_id: number | null; status: StepTask['status']; due_on: string | null; version: number; closed_at: string | null }>(
    exec,
    sql`select id, kind, department_id, status, due_on::text as due_on, version, closed_at::text as closed_at
        from tasks where finding_id = ${findingId} order by id ${lock ? sql`for update` : sql``}`,
  );
  return rows.map((t) => ({
    id: Number(t.id),
    kind: t.kind,
    departmentId: num(t.department_id),
    status: t.status,
    dueOn: t.due_on,
    version: Number(t.version),
    closedAt: t.closed_at,
  }));
}

/** The chain's view of a rule: a ResolvedRule is one. */
export function workflowRule(rule: ResolvedRule | null): WorkflowRule | null {
  return rule;
}

/** The rule that applies now; for a closed finding the one frozen with its closing. */
async function ruleOf(exec: Executor, finding: FindingFacts): Promise<ResolvedRule | null> {
  if (finding.state === 'closed') {
    const closure = await closureOf(exec, finding.id);
    const frozen = closure?.closing;
    if (frozen && typeof frozen === 'object' && 'status' in frozen && 'allowedMeasures' in frozen) return frozen as unknown as ResolvedRule;
  }
  return ruleForFinding(exec, finding.id);
}

/** What allowedActions and checkAction need besides the finding. */
export async function partyContext(exec: Executor, config: Config, finding: FindingFacts, lockTasks = false): Promise<PartyContext & { resolvedRule: ResolvedRule | null; storedRecords: StoredRecord[] }> {
  const [departments, storedRecords, tasks, resolvedRule] = [
    await loadDepartments(exec),
    await loadRecords(exec, finding.id),
    await loadStepTasks(exec, finding.id, lockTasks),
    await ruleOf(exec, finding),
  ];
  return {
    today: today(config.timeZone),
    timeZone: config.timeZone,
    config,
    departments,
    records: storedRecords,
    storedRecords,
    tasks,
    rule: workflowRule(resolvedRule),
    resolvedRule,
    managingDepartmentId: finding.managingDepartmentId,
  };
}

/** Facts of the record the 公示 notice is written from. */
export async function noticeFacts(exec: Executor, finding: FindingFacts, objectionsToZh: string = defaultObjectionsToZh): Promise<NoticeFacts> {
  const [r] = await queryRows<{ areas: string[] | null; county: string | null }>(
    exec,
    sql`select (select array_agg(a.name_zh order by a.code) from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = ${finding.id}) as areas,
               (select c.name_zh from counties c join findings f on f.county_code = c.code where f.id = ${finding.id}) as county`,
  );
  return {
    serial: finding.serial,
    title: finding.title,
    description: finding.description,
    areaNamesZh: r.areas ?? [],
    countyNameZh: r.county,
    objectionsToZh,
  };
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
        sql`insert into tasks (kind, finding_id, department_id, assignee_user_id, due_on, instruction, created_by)
            values (${t.kind}, ${findingId}, ${t.departmentId}, ${t.assigneeUserId ?? null}, ${t.dueOn}, ${t.instruction ?? null}, ${createdBy})
            returning id`,
      );
      opened.push(Number(id));
    } else {
      await updateVersioned(tx, {
        table: 'tasks',
        id: t.id,
        version: loadedVersion.get(t.id)!,
        set: sql`status = ${t.status}, closed_at = ${t.closedAt}::timestamptz, due_on = ${t.dueOn}::date,
                 cancel_reason = ${t.status === 'cancelled' ? (t.cancelReason ?? null) : null}, updated_at = now()`,
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

// ---- The chain as the finding page shows it --------------------------------------------------------

type Named = { id: number; nameZh: string } | null;

/**
 * The chain's record for the detail and the closure snapshot: the plan and its reviews, this round's
 * part reports, progress entries, extensions, the acceptance levels with site checks and ticks, and the
 * publicity with its objections.
 */
export function chainView(finding: FindingFacts, records: readonly StoredRecord[], departments: readonly DepartmentNode[], levels: readonly AcceptanceLevel[]) {
  const dept = (id: number | null | undefined): Named => {
    const d = id == null ? undefined : departments.find((x) => x.id === id);
    return d ? { id: d.id, nameZh: d.nameZh } : null;
  };
  const stamp = (r: StoredRecord) => ({ by: r.by, at: r.at, recordId: r.id });
  const plan = currentPlan(records);
  const submitted = plan.submission as StoredRecord | null;
  const planView = plan.assignment
    ? {
        status: plan.status,
        drafterDepartment: dept(finding.drafterDepartmentId),
        planDueOn: finding.planDueOn,
        responsibleParty: submitted?.data.responsibleParty ?? null,
        targets: submitted?.data.targets ?? null,
        measures: submitted?.data.measures ?? [],
        deadline: submitted?.data.deadline ?? null,
        assessmentEvidenceIds: submitted?.data.assessmentEvidenceIds ?? [],
        evidenceIds: submitted?.data.evidenceIds ?? [],
        submittedAt: submitted?.at ?? null,
        submittedBy: submitted?.by ?? null,
        reviewers: plan.reviewerIds.map((id) => {
          const r = (plan.reviews as StoredRecord[]).find((x) => x.departmentId === id);
          return { department: dept(id), decision: r?.data.decision ?? null, opinion: r?.data.opinion ?? null, by: r?.by ?? null, at: r?.at ?? null };
        }),
        history: records
          .filter((r) => r.kind === 'plan_submission' || r.kind === 'plan_review')
          .map((r) => ({ kind: r.kind, department: dept(r.departmentId), ...r.data, ...stamp(r) })),
      }
    : null;
  const reports = partReports(finding, records).map((r) => ({ department: dept(r.departmentId), report: r.data.report, evidenceIds: r.data.evidenceIds, ...stamp(r as StoredRecord) }));
  const progress = records.filter((r) => r.kind === 'progress').map((r) => ({ department: dept(r.departmentId), round: r.round, ...r.data, ...stamp(r) }));
  const extensions: Record<string, unknown>[] = [];
  for (const r of records) {
    if (r.kind === 'extension_request') {
      extensions.push({
        target: r.data.target,
        department: dept(r.departmentId),
        currentDeadline: r.data.currentDeadline ?? null,
        requestedDeadline: r.data.requestedDeadline,
        reason: r.data.reason,
        requestedBy: r.by,
        requestedAt: r.at,
        decision: null,
        opinion: null,
        decidedBy: null,
        decidedAt: null,
      });
    } else if (r.kind === 'extension_decision' && extensions.length) {
      Object.assign(extensions[extensions.length - 1], { decision: r.data.decision, opinion: r.data.opinion, decidedBy: r.by, decidedAt: r.at });
    }
  }
  const acceptanceKinds = new Set(['site_check', 'acceptance', 'acceptance_failure']);
  const waiting = ['pending_acceptance', 'publicising', 'closed'].includes(finding.state);
  const latestRound = records.filter((r) => acceptanceKinds.has(r.kind)).reduce((m, r) => Math.max(m, r.round), 0);
  // While waiting on acceptance (or after it) the current round's levels; back in rectification, the round that failed.
  const round = waiting ? finding.round : latestRound;
  const inRound = records.filter((r) => r.round === round && acceptanceKinds.has(r.kind));
  const acceptance = {
    round,
    levels: levels.map((level) => {
      const passed = inRound.find((r) => r.kind === 'acceptance' && r.data.level === level);
      const failed = inRound.find((r) => r.kind === 'acceptance_failure' && r.data.level === level);
      const decided = passed ?? failed;
      return {
        level,
        labelZh: acceptanceLevelLabelsZh[level],
        status: passed ? 'passed' : failed ? 'failed' : 'pending',
        current: finding.state === 'pending_acceptance' && finding.acceptanceLevel === level,
        department: dept(decided?.departmentId),
        siteChecks: inRound.filter((r) => r.kind === 'site_check' && r.data.level === level).map((r) => ({ department: dept(r.departmentId), ...r.data, ...stamp(r) })),
        ticks: (passed?.data.ticks as ClosingTick[] | undefined) ?? [],
        opinion: passed?.data.opinion ?? null,
        reason: failed?.data.reason ?? null,
        by: decided?.by ?? null,
        at: decided?.at ?? null,
      };
    }),
    failures: records.filter((r) => r.kind === 'acceptance_failure').map((r) => ({ round: r.round, department: dept(r.departmentId), ...r.data, ...stamp(r) })),
  };
  const publicity = {
    startOn: finding.publicityStartOn,
    endOn: finding.publicityEndOn,
    noticeZh: finding.publicityNotice,
    objections: records.filter((r) => r.kind === 'objection').map((r) => ({ round: r.round, ...r.data, ...stamp(r) })),
  };
  const rechecks = records.filter((r) => r.kind === 'recheck').map((r) => ({ department: dept(r.departmentId), ...r.data, ...stamp(r) }));
  return { plan: planView, reports, progress, extensions, acceptance, publicity, recheckResults: rechecks };
}

// ---- Applying a request ---------------------------------------------------------------------------

/** Applies one transition request; refused requests throw with the workflow's status and message. Answers the detail. */
export async function transitionFinding(database: Database, config: Config, actor: Actor, id: number, body: unknown, ip: string) {
  return database.db.transaction(async (tx) => {
    const finding = await loadWorkflowFinding(tx, id, true);
    if (!finding) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的问题`);
    const cited = citedEvidenceIds(body);
    const evidence = await queryRows<{ id: number; uploaded_at: string; taken_at: string | null }>(
      tx,
      sql`select id, to_json(uploaded_at) #>> '{}' as uploaded_at, to_json(taken_at) #>> '{}' as taken_at from attachments
          where id in ${cited.length ? cited : [-1]} and owner_type = 'finding' and owner_id = ${id} and deleted_at is null`,
    );
    const party = await partyContext(tx, config, finding, true);
    const ctx: ActionContext = {
      ...party,
      evidence: evidence.map((e) => ({ id: Number(e.id), uploadedAt: new Date(e.uploaded_at).toISOString(), takenAt: e.taken_at === null ? null : new Date(e.taken_at).toISOString() })),
      notice: await noticeFacts(tx, finding, config.publicityObjectionsTo ?? defaultObjectionsToZh),
    };
    const result = checkAction(finding, actor, body, ctx);
    if (!result.ok) throw new ApiError(result.status, result.error.code, result.error.message, result.error.issues);
    const [{ now }] = await queryRows<{ now: string }>(tx, sql`select to_json(now()) #>> '{}' as now`);
    const at = new Date(now).toISOString();
    const step = applyStep(finding, party.tasks, result, at);
    const f = step.finding;

    await updateVersioned(tx, {
      table: 'findings',
      id,
      version: finding.version,
      set: sql`state = ${f.state}, round = ${f.round}, verifying_department_id = ${f.verifyingDepartmentId}, verification_outcome = ${f.verificationOutcome},
               lead_department_id = ${f.leadDepartmentId}, drafter_department_id = ${f.drafterDepartmentId}, accepting_department_id = ${f.acceptingDepartmentId},
               plan_due_on = ${f.planDueOn}::date, deadline = ${f.deadline}::date, acceptance_level = ${f.acceptanceLevel},
               publicity_start_on = ${f.publicityStartOn}::date, publicity_end_on = ${f.publicityEndOn}::date, publicity_notice = ${f.publicityNotice},
               closed_on = ${f.closedOn}::date, closing_document_no = ${f.closingDocumentNo},
               measures = ${jsonOrNull(f.measures)}::jsonb, closing_ticks = ${jsonOrNull(f.closingTicks)}::jsonb, updated_at = now()`,
      label: `问题“${finding.serial}”`,
    });
    if (f.cooperatingDepartmentIds !== finding.cooperatingDepartmentIds) {
      await queryRows(tx, sql`delete from finding_cooperators where finding_id = ${id}`);
      for (const d of f.cooperatingDepartmentIds) {
        await queryRows(tx, sql`insert into finding_cooperators (finding_id, department_id) values (${id}, ${d})`);
      }
    }
    await writeTaskChanges(tx, id, party.tasks, step.tasks, actor.userId);
    const eventId = await recordEvent(tx, { actor, entity: 'finding', entityId: id, ...step.event, ip });
    if (cited.length) await queryRows(tx, sql`update attachments set event_id = ${eventId} where id in ${cited} and owner_type = 'finding' and owner_id = ${id}`);
    for (const r of step.records) {
      await queryRows(
        tx,
        sql`insert into finding_records (finding_id, kind, round, department_id, data, created_by, created_at, event_id)
            values (${id}, ${r.kind}, ${r.round}, ${r.departmentId}, ${JSON.stringify(r.data)}::jsonb, ${actor.userId}, ${at}::timestamptz, ${eventId})`,
      );
    }
    for (const d of result.determinations) await recordDetermination(tx, actor, id, d, eventId);

    if (f.state === 'closed' && finding.state !== 'closed') {
      const records = await loadRecords(tx, id);
      const lastAcceptance = records.findLast((r) => r.kind === 'acceptance' && r.round === f.round);
      const ticks = ((lastAcceptance?.data.ticks as ClosingTick[] | undefined) ?? []).map((t) => ({ code: t.code, evidenceIds: t.evidenceIds }));
      const rule = party.resolvedRule ?? { conditions: [] };
      const view = chainView(f, records, party.departments, config.acceptanceLevels);
      const record = { rule, ...view, closedOn: f.closedOn, closingDocumentNo: f.closingDocumentNo };
      await queryRows(tx, closureInsert({ findingId: id, eventId, at, closedBy: actor, rule, ticks, record }));
    }
    if (result.leavesClosure) {
      // Back to verification (回头看 or a reopen): the frozen closure stays as it was; the finding is judged anew on today's boundaries.
      await queryRows(tx, sql`update finding_closures set reopened_at = ${at}::timestamptz where finding_id = ${id} and reopened_at is null`);
      await queryRows(tx, rejudgeRecorded(id, 'reopened'));
    }
    return findingDetail(tx, config, actor, id);
  });
}

// ---- The detail -----------------------------------------------------------------------------------

/** The chain part of a finding's detail for this person: allowed actions, rule, plan, reports, acceptance, publicity, closure. */
export async function workflowDetail(exec: Executor, config: Config, actor: Actor, finding: FindingFacts) {
  const party = await partyContext(exec, config, finding);
  const view = chainView(finding, party.storedRecords, party.departments, config.acceptanceLevels);
  const closure = finding.state === 'closed' ? await closureOf(exec, finding.id) : null;
  return { allowedActions: allowedActions(finding, actor, party), rule: party.resolvedRule, ...view, closure };
}

/** A finding's detail (GET /api/findings/:id and every transition's answer), or null when there is none. */
export async function findingDetail(exec: Executor, config: Config, actor: Actor, id: number) {
  const row = await getFindingRow(exec, config, id);
  const facts = row && (await loadWorkflowFinding(exec, id));
  if (!row || !facts) return null;
  const [place] = await queryRows<{ geometry: unknown; areas: unknown; county: unknown }>(
    exec,
    sql`select ST_AsGeoJSON(f.geom, 7)::json as geometry,
               coalesce((select json_agg(json_build_object('code', a.code, 'nameZh', a.name_zh, 'nameEn', a.name_en, 'category', a.category, 'zone', fa.zone) order by a.code)
                         from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id), '[]'::json) as areas,
               (select json_build_object('code', c.code, 'nameZh', c.name_zh, 'nameEn', c.name_en) from counties c where c.code = f.county_code) as county
        from findings f where f.id = ${id}`,
  );
  const tasks = await listTasks(exec, actor, { finding: id }, config.timeZone);
  return {
    ...row,
    ...place,
    areasDetail: place.areas,
    areas: row.areas,
    tasks,
    attachments: await findingAttachments(exec, id),
    determinations: await determinationHistory(exec, id),
    supervision: await findingNotices(exec, id),
    rechecks: tasks.filter((t) => (t as { kind?: string }).kind === 'recheck'),
    ...(await workflowDetail(exec, config, actor, facts)),
  };
}
