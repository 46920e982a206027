/**
 * Who may add evidence to a finding. Evidence backs a step of the rectification chain, so it comes
 * from the parties to that chain; once closed (销号) the record is frozen, except for the photos of a
 * 回头看 re-check, which its department (or a coordinator) uploads while the re-check task is open.
 */
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/backend.ts';
import { ApiError } from '../../lib/errors.ts';
import { actsForDepartment, can, type Actor } from '../auth/roles.ts';
import { loadWorkflowFinding, partyContext, type FindingFacts } from './transitions.service.ts';
import { activeTaskStatuses, allowedActions, type PartyContext } from './workflow.ts';

/**
 * The parties: coordinators; people of the verifying, drafting, lead, cooperating or accepting
 * department; whoever may take a step now (a plan reviewer, an acceptor of the current level, a
 * re-check department); and the recorder while the finding is still a clue — their photos are the
 * report, and after hand-over the parties carry the evidence.
 */
export function mayAddEvidence(finding: FindingFacts, actor: Actor, ctx: PartyContext): boolean {
  if (!can(actor, 'findings.record') && !can(actor, 'tasks.work')) return false;
  if (can(actor, 'findings.assign')) return true;
  if (finding.state === 'closed') return allowedActions(finding, actor, ctx).includes('recheck');
  const departments = [finding.verifyingDepartmentId, finding.leadDepartmentId, finding.drafterDepartmentId, finding.acceptingDepartmentId, ...finding.cooperatingDepartmentIds];
  if (actor.departmentId !== null && departments.includes(actor.departmentId) && actsForDepartment(actor, actor.departmentId)) return true;
  if (finding.state === 'clue' && finding.createdBy === actor.userId) return true;
  return allowedActions(finding, actor, ctx).length > 0;
}

/** 404 / 403 / 409 unless the actor may add evidence now; `lock` holds the finding (FOR SHARE) so a closing waits. */
export async function assertMayAddEvidence(exec: Executor, config: Config, actor: Actor, findingId: number, lock = false): Promise<void> {
  const finding = await loadWorkflowFinding(exec, findingId, lock ? 'share' : false);
  if (!finding) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
  const ctx = await partyContext(exec, config, finding);
  const recheckOpen = ctx.tasks.some((t) => t.kind === 'recheck' && (activeTaskStatuses as readonly string[]).includes(t.status));
  if (finding.state === 'closed' && !recheckOpen) {
    throw new ApiError(409, 'conflict', `问题 ${finding.serial} 已销号，记录已冻结，不能再添加证据；回头看任务办理期间可由其所在部门上传照片`);
  }
  if (!mayAddEvidence(finding, actor, ctx)) {
    throw new ApiError(
      403,
      'forbidden',
      finding.state === 'closed'
        ? '已销号问题只能由回头看任务所在部门或联合执法协调员上传回头看照片'
        : '只有此问题的核查、方案编制、牵头、配合、验收部门或联合执法协调员可以上传证据（登记人可在交办核查前补充）',
    );
  }
}
