/**
 * Who may add evidence to a finding. Evidence backs a step of the rectification chain, so it comes
 * from the parties to that chain; once closed (销号) the record is frozen and takes none.
 */
import { ApiError } from '../../lib/errors.ts';
import type { Executor } from '../../db/backend.ts';
import { actsForDepartment, can, type Actor } from '../auth/roles.ts';
import { loadWorkflowFinding } from './transitions.service.ts';
import { allowedTransitions, type WorkflowFinding } from './workflow.ts';

/**
 * The parties: coordinators; people of the verifying, lead, cooperating or named accepting department;
 * whoever may take the next step now (e.g. an independent department accepting); and the recorder,
 * while the finding is still a clue — their photos are the report, and after hand-over the parties
 * carry the evidence.
 */
export function mayAddEvidence(finding: WorkflowFinding & { createdBy: number | null }, actor: Actor): boolean {
  if (!can(actor, 'findings.record') && !can(actor, 'tasks.work')) return false;
  if (can(actor, 'findings.assign')) return true;
  const departments = [finding.verifyingDepartmentId, finding.leadDepartmentId, finding.acceptingDepartmentId ?? null, ...finding.cooperatingDepartmentIds];
  if (actor.departmentId !== null && departments.includes(actor.departmentId) && actsForDepartment(actor, actor.departmentId)) return true;
  if (finding.state === 'clue' && finding.createdBy === actor.userId) return true;
  return allowedTransitions(finding, actor).length > 0;
}

/** 404 / 403 / 409 unless the actor may add evidence now; `lock` holds the finding (FOR SHARE) so a closing waits. */
export async function assertMayAddEvidence(exec: Executor, actor: Actor, findingId: number, lock = false): Promise<void> {
  const finding = await loadWorkflowFinding(exec, findingId, lock ? 'share' : false);
  if (!finding) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
  if (!mayAddEvidence(finding, actor)) {
    throw new ApiError(403, 'forbidden', '只有此问题的核查、牵头、配合、验收部门或联合执法协调员可以上传证据（登记人可在交办核查前补充）');
  }
  if (finding.state === 'closed') {
    throw new ApiError(409, 'conflict', `问题 ${finding.serial} 已销号，记录已冻结，不能再添加证据；如发现复发，请先由协调员将其标为复发（重新打开）`);
  }
}
