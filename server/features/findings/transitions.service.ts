/**
 * Moving a finding along the rectification chain: the rules are workflow.ts's; here they are applied
 * in one transaction with the finding row locked, the task changes, the evidence linked to the step,
 * and the audit event.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { ApiError } from '../../lib/errors.ts';
import type { ZoneKind } from '../../lib/vocabulary.ts';
import type { Actor } from '../auth/roles.ts';
import { closingConditions, type ClosingConditionsResult, type FindingCategory } from './closing-conditions.ts';
import { getFindingRow, todayInChina } from './findings.service.ts';
import { allowedTransitions, checkTransition, citedEvidenceIds, type FindingState, type WorkflowFinding } from './workflow.ts';

interface FindingFacts extends WorkflowFinding {
  id: number;
  serial: string;
  category: FindingCategory;
  zone: ZoneKind | null;
  approval: 'approved' | 'unapproved' | 'unknown';
  constructedOn: string | null;
  areaEstablishedOn: string | null;
}

/** The workflow's view of a finding; `forUpdate` locks the row until the transaction ends. */
export async function loadWorkflowFinding(exec: Executor, id: number, forUpdate = false): Promise<FindingFacts | null> {
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
  }>(
    exec,
    sql`select id, serial, state, version, verifying_department_id, lead_department_id, accepting_department_id,
               category, zone, approval, constructed_on::text as constructed_on
        from findings where id = ${id} and deleted_at is null ${forUpdate ? sql`for update` : sql``}`,
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
  };
}

/** The closing conditions that apply to a finding (国环规生态〔2022〕1号 annex), from its category, zone, approval and dates. */
export function conditionsFor(f: FindingFacts): ClosingConditionsResult {
  return closingConditions({
    category: f.category,
    zone: f.zone,
    approval: f.approval,
    constructionDate: f.constructedOn,
    areaEstablishedDate: f.areaEstablishedOn,
  });
}

/** What the finding page needs about the workflow for this person: the steps they may take now. */
export function workflowView(f: FindingFacts, actor: Actor) {
  return { allowedTransitions: allowedTransitions(f, actor), closing: conditionsFor(f) };
}

/** Applies one transition request; refused requests throw with the workflow's status and message. */
export async function transitionFinding(database: Database, config: Config, actor: Actor, id: number, body: unknown, ip: string) {
  return database.db.transaction(async (tx) => {
    const finding = await loadWorkflowFinding(tx, id, true);
    if (!finding) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的问题`);
    const cited = citedEvidenceIds(body);
    const [{ n: evidenceCount }] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from attachments
          where id in ${cited.length ? cited : [-1]} and owner_type = 'finding' and owner_id = ${id} and deleted_at is null`,
    );
    const today = todayInChina();
    const closing = conditionsFor(finding);
    const result = checkTransition(finding, actor, body, { today, evidenceCount, closingConditions: closing.conditions });
    if (!result.ok) throw new ApiError(result.status, result.error.code, result.error.message, result.error.issues);
    const data = result.data as Record<string, unknown>;

    if ('verifyingDepartmentId' in data) {
      await queryRows(tx, sql`update findings set verifying_department_id = ${data.verifyingDepartmentId as number} where id = ${id}`);
    }
    if ('leadDepartmentId' in data) {
      await queryRows(
        tx,
        sql`update findings set lead_department_id = ${data.leadDepartmentId as number}, accepting_department_id = ${(data.acceptingDepartmentId as number | null | undefined) ?? null},
                                measures = ${JSON.stringify(data.measures)}::jsonb, deadline = ${data.deadline as string}::date
            where id = ${id}`,
      );
      await queryRows(tx, sql`delete from finding_cooperators where finding_id = ${id}`);
      for (const d of data.cooperatingDepartmentIds as number[]) {
        await queryRows(tx, sql`insert into finding_cooperators (finding_id, department_id) values (${id}, ${d})`);
      }
    }
    if ('ticks' in data) await queryRows(tx, sql`update findings set closing_ticks = ${JSON.stringify(data.ticks)}::jsonb where id = ${id}`);
    await queryRows(tx, sql`update findings set state = ${result.next}, version = version + 1, updated_at = now() where id = ${id}`);

    for (const effect of result.taskEffects) {
      const dept = effect.departmentId === null ? sql`department_id is null` : sql`department_id = ${effect.departmentId}`;
      if (effect.action === 'open') {
        await queryRows(
          tx,
          sql`insert into tasks (kind, finding_id, department_id, due_on, created_by)
              values (${effect.kind}, ${id}, ${effect.departmentId}, ${effect.dueDate ?? null}, ${actor.userId})`,
        );
      } else if (effect.action === 'close') {
        await queryRows(
          tx,
          sql`update tasks set status = 'done', closed_at = now(), version = version + 1, updated_at = now()
              where finding_id = ${id} and kind = ${effect.kind} and ${dept} and status in ('open', 'in_progress', 'returned')`,
        );
      } else {
        await queryRows(
          tx,
          sql`update tasks set status = 'returned', closed_at = null, version = version + 1, updated_at = now()
              where id = (select id from tasks where finding_id = ${id} and kind = ${effect.kind} and ${dept} order by id desc limit 1)`,
        );
      }
    }

    const { version: _v, ...recorded } = data;
    const eventId = await recordEvent(tx, {
      actor,
      action: `finding.${result.next}`,
      entity: 'finding',
      entityId: id,
      before: { state: finding.state },
      after: { state: result.next, ...recorded },
      ip,
    });
    if (cited.length) await queryRows(tx, sql`update attachments set event_id = ${eventId} where id in ${cited} and owner_type = 'finding' and owner_id = ${id}`);
    return getFindingRow(tx, config, id);
  });
}
