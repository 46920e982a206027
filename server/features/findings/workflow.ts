/**
 * The rectification workflow (整改销号) as data: states, who may move a finding from one to the next,
 * what each step must carry, and which tasks each step opens or closes. Pure: the findings API loads
 * the row, counts the cited attachments and derives the closing conditions, then asks `checkTransition`.
 *
 * The chain follows the national 绿盾 procedure (国环规生态〔2022〕1号): clue → verification → 属实/不属实
 * → rectification plan → completion report → acceptance and closing (验收销号) by someone other than
 * the rectifier, with 回头看 able to reopen a closed finding.
 */
import { z } from 'zod';
import { can, actsForDepartment, type Actor } from '../auth/roles.ts';
import type { ErrorIssue } from '../../lib/errors.ts';
import { hasUnstorableText, MAX_ID, zodIssues } from '../../lib/validate.ts';
import { findingStates, taskKinds as allTaskKinds, taskStatuses, type FindingState } from '../../lib/vocabulary.ts';
import { missingConditions, type ClosingCondition } from './closing-conditions.ts';

export { findingStates, type FindingState };

/** States no transition leaves. `closed` is not one: a later check (回头看) may reopen it. */
export const terminalStates: readonly FindingState[] = ['dismissed'];

/** Labels used in the messages of this module (the web catalogue has its own copy for the UI). */
export const stateLabelsZh: Readonly<Record<FindingState, string>> = {
  clue: '线索',
  verifying: '核查中',
  dismissed: '不属实',
  confirmed: '属实',
  rectifying: '整改中',
  pending_acceptance: '待验收',
  closed: '已销号',
  reopened: '复发',
};

/** Rectification measures of a plan: 退出, 整治, 生态修复. */
export const rectificationMeasures = ['exit', 'remediate', 'restore'] as const;
export type RectificationMeasure = (typeof rectificationMeasures)[number];

/** The task kinds the workflow opens and closes (ad-hoc `inspect` tasks are outside it). */
export const taskKinds = ['verify', 'rectify', 'accept'] as const satisfies readonly (typeof allTaskKinds)[number][];
export type WorkflowTaskKind = (typeof taskKinds)[number];

/**
 * Who may request a transition. Each party is checked through the permissions of roles.ts, so a
 * change of what a role may do there carries through here.
 * - `coordinator`: may assign work (findings.assign) — the joint-enforcement office.
 * - `acceptor`: may accept and close (findings.accept) — also the coordinators.
 * - `verifying_department`: records findings (officer, inspector) in the department asked to verify.
 * - `lead_department`: works tasks (officer) in the lead department of the plan.
 * - `independent_department`: works tasks in a department that is neither the lead nor a cooperating
 *   department (and is the named accepting department, when the plan names one). The rectifier may
 *   not accept its own work (国环规生态〔2022〕1号: 验收 by a party other than the 整改责任单位).
 */
export const parties = ['coordinator', 'acceptor', 'verifying_department', 'lead_department', 'independent_department'] as const;
export type Party = (typeof parties)[number];

/** The finding's fields the workflow reads. */
export interface WorkflowFinding {
  state: FindingState;
  verifyingDepartmentId: number | null;
  leadDepartmentId: number | null;
  cooperatingDepartmentIds: readonly number[];
  /** Department asked to accept; null or absent: any independent department, or the coordinators. */
  acceptingDepartmentId?: number | null;
  /** When given, a body whose `version` differs is refused with 409 `conflict` before anything else. */
  version?: number;
}

export interface TransitionContext {
  /** Today's date (YYYY-MM-DD) in the portal's time zone; deadlines may not lie before it. */
  today: string;
  /** How many of `citedEvidenceIds(body)` the server found as attachments of this finding. */
  evidenceCount: number;
  /** The conditions that apply to this finding (closing-conditions.ts); required to close it. */
  closingConditions?: readonly ClosingCondition[];
}

// ---- Request bodies -------------------------------------------------------------------------------

// Ids within int4, text without NUL or lone surrogates, dates within 1900–2100: what the database can hold (lib/validate.ts).
const positiveId = (what: string) =>
  z.number({ error: `${what}须为正整数编号` }).int(`${what}须为正整数编号`).positive(`${what}须为正整数编号`).max(MAX_ID, `${what}编号超出范围`);
const text = (what: string) =>
  z
    .string({ error: `须填写${what}` })
    .refine((s) => !hasUnstorableText(s), `${what}含有无法保存的字符（如 NUL 或不完整的 Unicode 字符）`)
    .trim()
    .min(1, `须填写${what}`)
    .max(4000, `${what}不能超过 4000 个字符`);
const isoDate = (what: string) =>
  z.iso.date({ error: `${what}须为 YYYY-MM-DD 格式的有效日期` }).refine((d) => d >= '1900-01-01' && d <= '2100-12-31', `${what}须在 1900-01-01 至 2100-12-31 之间`);
const version = z.number({ error: '须提供记录版本号 version' }).int('版本号须为整数').nonnegative('版本号须为非负整数').max(MAX_ID, '版本号超出范围');
const evidenceIds = z
  .array(positiveId('附件'), { error: '须提供证据附件编号列表' })
  .min(1, '至少须附 1 份证据（照片、文书等附件）')
  .max(100, '一次最多引用 100 份附件');
const optionalEvidenceIds = z.array(positiveId('附件'), { error: '附件编号须为列表' }).max(100, '一次最多引用 100 份附件');

/** clue → verifying: the coordinator asks one department to verify by a date. */
export const startVerificationBody = z.strictObject({
  to: z.literal('verifying'),
  version,
  verifyingDepartmentId: positiveId('核查部门'),
  dueDate: isoDate('核查期限'),
  note: text('交办说明').optional(),
});

/** verifying → dismissed (不属实): a reason and at least one piece of evidence. */
export const dismissBody = z.strictObject({
  to: z.literal('dismissed'),
  version,
  reason: text('不属实的理由'),
  evidenceIds,
});

/** verifying → confirmed (属实): the verification conclusion; evidence optional. */
export const confirmBody = z.strictObject({
  to: z.literal('confirmed'),
  version,
  note: text('核查结论'),
  evidenceIds: optionalEvidenceIds.optional(),
});

/** confirmed/reopened → rectifying: the rectification plan. */
export const rectificationPlanBody = z
  .strictObject({
    to: z.literal('rectifying'),
    version,
    measures: z
      .array(z.enum(rectificationMeasures, { error: '整改措施须为 exit（退出）、remediate（整治）或 restore（生态修复）' }), {
        error: '须选择整改措施',
      })
      .min(1, '至少选择一项整改措施'),
    leadDepartmentId: positiveId('牵头部门'),
    cooperatingDepartmentIds: z.array(positiveId('配合部门'), { error: '配合部门须为编号列表' }).max(50, '配合部门过多'),
    acceptingDepartmentId: positiveId('验收部门').nullable().optional(),
    deadline: isoDate('整改期限'),
    note: text('方案说明').optional(),
  })
  .superRefine((plan, ctx) => {
    if (new Set(plan.measures).size !== plan.measures.length) {
      ctx.addIssue({ code: 'custom', path: ['measures'], message: '整改措施不能重复' });
    }
    if (new Set(plan.cooperatingDepartmentIds).size !== plan.cooperatingDepartmentIds.length) {
      ctx.addIssue({ code: 'custom', path: ['cooperatingDepartmentIds'], message: '配合部门不能重复' });
    }
    if (plan.cooperatingDepartmentIds.includes(plan.leadDepartmentId)) {
      ctx.addIssue({ code: 'custom', path: ['cooperatingDepartmentIds'], message: '牵头部门不能同时是配合部门' });
    }
    const accepting = plan.acceptingDepartmentId;
    if (accepting != null && (accepting === plan.leadDepartmentId || plan.cooperatingDepartmentIds.includes(accepting))) {
      ctx.addIssue({ code: 'custom', path: ['acceptingDepartmentId'], message: '验收部门不能是承担整改的牵头或配合部门' });
    }
  });

/** rectifying → pending_acceptance: the completion report with evidence. */
export const completionReportBody = z.strictObject({
  to: z.literal('pending_acceptance'),
  version,
  report: text('整改完成情况'),
  evidenceIds,
});

/** pending_acceptance → closed (销号): every applicable closing condition ticked with evidence. */
export const acceptBody = z.strictObject({
  to: z.literal('closed'),
  version,
  ticks: z
    .array(
      z.strictObject({
        code: z.string({ error: '须填写销号条件代码' }).min(1, '须填写销号条件代码'),
        evidenceIds: optionalEvidenceIds,
      }),
      { error: '须逐项勾选销号条件' },
    )
    .max(50, '销号条件过多'),
  note: text('验收意见').optional(),
});

/** pending_acceptance → rectifying: acceptance failed; the reason goes back to the rectifiers. */
export const returnForRectificationBody = z.strictObject({
  to: z.literal('rectifying'),
  version,
  reason: text('验收不通过的理由'),
});

/** closed → reopened: a later check (回头看) found the problem again. */
export const reopenBody = z.strictObject({
  to: z.literal('reopened'),
  version,
  reason: text('复发情况'),
  evidenceIds: optionalEvidenceIds.optional(),
});

/**
 * Every transition body. A plain union rather than a discriminated one: `to: 'rectifying'` has two
 * shapes (a plan, or a failed acceptance's reason), and which applies depends on the current state.
 */
export const transitionBody = z.union([
  startVerificationBody,
  dismissBody,
  confirmBody,
  rectificationPlanBody,
  completionReportBody,
  acceptBody,
  returnForRectificationBody,
  reopenBody,
]);
export type TransitionBody = z.output<typeof transitionBody>;

// ---- The table ------------------------------------------------------------------------------------

/** Which department a task effect concerns; open effects read the finding as it will be after the step. */
export type TaskDepartments = 'verifying' | 'lead' | 'cooperating' | 'accepting';

export interface TaskRule {
  /** open: a new task; close: the task is done; return: a done task goes back to its department. */
  action: 'open' | 'close' | 'return';
  kind: WorkflowTaskKind;
  departments: TaskDepartments;
}

export interface TransitionRule {
  from: FindingState;
  to: FindingState;
  /** Short name of the step, as the timeline shows it. */
  labelZh: string;
  who: readonly Party[];
  /** Fields the body must carry besides `to` and `version` (read from the schema). */
  required: readonly string[];
  body: z.ZodType;
  tasks: readonly TaskRule[];
  /** Why a person not among `who` is refused. */
  forbiddenZh: string;
}

/** Names of the body fields without which the schema fails. */
function requiredFields(schema: z.ZodType): string[] {
  const shape = (schema as unknown as z.ZodObject).shape;
  return Object.keys(shape).filter((key) => key !== 'to' && key !== 'version' && !shape[key].safeParse(undefined).success);
}

function rule(spec: Omit<TransitionRule, 'required'>): TransitionRule {
  return { ...spec, required: requiredFields(spec.body) };
}

const acceptForbidden = '只有联合执法协调员或承担整改（牵头、配合）以外的部门可以验收';

export const transitions: readonly TransitionRule[] = [
  rule({
    from: 'clue',
    to: 'verifying',
    labelZh: '交办核查',
    who: ['coordinator'],
    body: startVerificationBody,
    tasks: [{ action: 'open', kind: 'verify', departments: 'verifying' }],
    forbiddenZh: '只有联合执法协调员可以交办核查',
  }),
  rule({
    from: 'verifying',
    to: 'dismissed',
    labelZh: '核查不属实',
    who: ['coordinator', 'verifying_department'],
    body: dismissBody,
    tasks: [{ action: 'close', kind: 'verify', departments: 'verifying' }],
    forbiddenZh: '只有核查部门的人员或联合执法协调员可以提交核查结论',
  }),
  rule({
    from: 'verifying',
    to: 'confirmed',
    labelZh: '核查属实',
    who: ['coordinator', 'verifying_department'],
    body: confirmBody,
    tasks: [{ action: 'close', kind: 'verify', departments: 'verifying' }],
    forbiddenZh: '只有核查部门的人员或联合执法协调员可以提交核查结论',
  }),
  rule({
    from: 'confirmed',
    to: 'rectifying',
    labelZh: '交办整改',
    who: ['coordinator'],
    body: rectificationPlanBody,
    tasks: [
      { action: 'open', kind: 'rectify', departments: 'lead' },
      { action: 'open', kind: 'rectify', departments: 'cooperating' },
    ],
    forbiddenZh: '只有联合执法协调员可以制定整改方案并交办',
  }),
  rule({
    from: 'rectifying',
    to: 'pending_acceptance',
    labelZh: '报送整改完成',
    who: ['coordinator', 'lead_department'],
    body: completionReportBody,
    tasks: [
      { action: 'close', kind: 'rectify', departments: 'lead' },
      { action: 'close', kind: 'rectify', departments: 'cooperating' },
      { action: 'open', kind: 'accept', departments: 'accepting' },
    ],
    forbiddenZh: '只有牵头部门的执法人员或联合执法协调员可以报送整改完成',
  }),
  rule({
    from: 'pending_acceptance',
    to: 'closed',
    labelZh: '验收销号',
    who: ['acceptor', 'independent_department'],
    body: acceptBody,
    tasks: [{ action: 'close', kind: 'accept', departments: 'accepting' }],
    forbiddenZh: `${acceptForbidden}销号`,
  }),
  rule({
    from: 'pending_acceptance',
    to: 'rectifying',
    labelZh: '验收不通过，退回整改',
    who: ['acceptor', 'independent_department'],
    body: returnForRectificationBody,
    tasks: [
      { action: 'close', kind: 'accept', departments: 'accepting' },
      { action: 'return', kind: 'rectify', departments: 'lead' },
      { action: 'return', kind: 'rectify', departments: 'cooperating' },
    ],
    forbiddenZh: `${acceptForbidden}并退回整改`,
  }),
  rule({
    from: 'closed',
    to: 'reopened',
    labelZh: '回头看发现复发',
    who: ['coordinator'],
    body: reopenBody,
    tasks: [],
    forbiddenZh: '只有联合执法协调员可以将已销号问题标为复发',
  }),
  rule({
    from: 'reopened',
    to: 'rectifying',
    labelZh: '重新交办整改',
    who: ['coordinator'],
    body: rectificationPlanBody,
    tasks: [
      { action: 'open', kind: 'rectify', departments: 'lead' },
      { action: 'open', kind: 'rectify', departments: 'cooperating' },
    ],
    forbiddenZh: '只有联合执法协调员可以制定整改方案并交办',
  }),
];

/** The rule for a step, if the workflow has one. */
export function transitionRule(from: FindingState, to: FindingState): TransitionRule | undefined {
  return transitions.find((t) => t.from === from && t.to === to);
}

// ---- Checking a request ---------------------------------------------------------------------------

export interface TaskEffect {
  action: 'open' | 'close' | 'return';
  kind: WorkflowTaskKind;
  /** null: an accept task for the coordinators, when the plan names no accepting department. */
  departmentId: number | null;
  /** Due date of an opened task: the verification due date or the rectification deadline. */
  dueDate?: string;
}

export type WorkflowErrorCode = 'illegal_transition' | 'conflict' | 'forbidden' | 'invalid_request';

export type TransitionResult =
  | { ok: true; next: FindingState; data: TransitionBody; taskEffects: TaskEffect[] }
  | { ok: false; status: 400 | 403 | 409; error: { code: WorkflowErrorCode; message: string; issues?: ErrorIssue[] } };

type PartyActor = Pick<Actor, 'role' | 'departmentId'>;

/** True when the actor belongs to the party for this finding. */
export function isParty(party: Party, finding: WorkflowFinding, actor: PartyActor): boolean {
  const dept = actor.departmentId;
  switch (party) {
    case 'coordinator':
      return can(actor, 'findings.assign');
    case 'acceptor':
      return can(actor, 'findings.accept');
    case 'verifying_department':
      return (
        can(actor, 'findings.record') &&
        finding.verifyingDepartmentId !== null &&
        dept === finding.verifyingDepartmentId &&
        actsForDepartment(actor, finding.verifyingDepartmentId)
      );
    case 'lead_department':
      return (
        can(actor, 'tasks.work') &&
        finding.leadDepartmentId !== null &&
        dept === finding.leadDepartmentId &&
        actsForDepartment(actor, finding.leadDepartmentId)
      );
    case 'independent_department': {
      if (!can(actor, 'tasks.work') || dept === null || !actsForDepartment(actor, dept)) return false;
      if (dept === finding.leadDepartmentId || finding.cooperatingDepartmentIds.includes(dept)) return false;
      return finding.acceptingDepartmentId == null || finding.acceptingDepartmentId === dept;
    }
  }
}

/** The `to` states this actor may request now; the web shows only these as actions. */
export function allowedTransitions(finding: WorkflowFinding, actor: PartyActor): FindingState[] {
  return transitions
    .filter((t) => t.from === finding.state && t.who.some((party) => isParty(party, finding, actor)))
    .map((t) => t.to);
}

/** Attachment ids a body cites (evidenceIds and the closing ticks'), deduplicated; malformed entries ignored. */
export function citedEvidenceIds(body: unknown): number[] {
  const ids = new Set<number>();
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const id of list) if (Number.isInteger(id) && id > 0) ids.add(id);
  };
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    add(record.evidenceIds);
    if (Array.isArray(record.ticks)) for (const tick of record.ticks) if (tick && typeof tick === 'object') add((tick as Record<string, unknown>).evidenceIds);
  }
  return [...ids];
}

const head = z.looseObject({
  to: z.enum(findingStates, { error: `目标状态 to 须为以下之一：${findingStates.join('、')}` }),
  version,
});

function fail(status: 400 | 403 | 409, code: WorkflowErrorCode, message: string, issues?: ErrorIssue[]): TransitionResult {
  return { ok: false, status, error: issues && issues.length ? { code, message, issues } : { code, message } };
}

function invalid(issues: ErrorIssue[]): TransitionResult {
  const fields = [...new Set(issues.map((i) => i.path))].join('、');
  return fail(400, 'invalid_request', `请求内容有误：${fields}`, issues);
}

/** Why the actor is refused, in the words of the rule plus what about them does not fit. */
function forbiddenMessage(rule: TransitionRule, finding: WorkflowFinding, actor: PartyActor): string {
  if (actor.role === 'viewer') return `${rule.forbiddenZh}（查看人员只能查阅）`;
  if (actor.role === 'admin') return `${rule.forbiddenZh}（系统管理员不办理执法业务）`;
  const dept = actor.departmentId;
  if (rule.who.includes('independent_department') && dept !== null) {
    if (dept === finding.leadDepartmentId) return `${rule.forbiddenZh}（您所在部门是此问题的牵头整改部门）`;
    if (finding.cooperatingDepartmentIds.includes(dept)) return `${rule.forbiddenZh}（您所在部门是此问题的配合整改部门）`;
    if (finding.acceptingDepartmentId != null && finding.acceptingDepartmentId !== dept) return `${rule.forbiddenZh}（此问题已指定其他部门验收）`;
  }
  return rule.forbiddenZh;
}

function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The departments a task rule concerns, read from the finding as given (before or after the step). */
function departmentsOf(which: TaskDepartments, finding: WorkflowFinding): Array<number | null> {
  switch (which) {
    case 'verifying':
      return [finding.verifyingDepartmentId];
    case 'lead':
      return [finding.leadDepartmentId];
    case 'cooperating':
      return [...finding.cooperatingDepartmentIds];
    case 'accepting':
      return [finding.acceptingDepartmentId ?? null];
  }
}

/** The finding as it will be once the body is applied (for the departments of opened tasks). */
function applied<F extends WorkflowFinding>(finding: F, data: TransitionBody): F {
  if ('verifyingDepartmentId' in data) return { ...finding, verifyingDepartmentId: data.verifyingDepartmentId };
  if ('leadDepartmentId' in data) {
    return {
      ...finding,
      leadDepartmentId: data.leadDepartmentId,
      cooperatingDepartmentIds: data.cooperatingDepartmentIds,
      acceptingDepartmentId: data.acceptingDepartmentId ?? null,
    };
  }
  return finding;
}

function dueDateOf(data: TransitionBody): string | undefined {
  if ('dueDate' in data) return data.dueDate;
  if ('deadline' in data) return data.deadline;
  return undefined;
}

/**
 * Decides a transition request: 409 when the state (or version) does not allow it, 403 when the actor
 * may not make it, 400 naming every missing or bad field; otherwise the next state, the parsed body
 * and the task changes to write in the same transaction.
 */
export function checkTransition(finding: WorkflowFinding, actor: PartyActor, body: unknown, context: TransitionContext): TransitionResult {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(context.today)) throw new TypeError(`context.today must be YYYY-MM-DD, got ${context.today}`);

  // The envelope first: without a known target state and a version nothing else can be judged.
  const envelope = head.safeParse(body);
  if (!envelope.success) return invalid(zodIssues(envelope.error));
  const { to } = envelope.data;

  if (finding.version !== undefined && envelope.data.version !== finding.version) {
    return fail(409, 'conflict', `此问题已被他人更新（当前版本 ${finding.version}，提交的版本 ${envelope.data.version}），请刷新后重试`);
  }

  // The state is public, so an impossible step is reported as such before asking who is asking.
  const rule = transitionRule(finding.state, to);
  if (!rule) {
    const from = stateLabelsZh[finding.state];
    const options = transitions.filter((t) => t.from === finding.state).map((t) => `“${stateLabelsZh[t.to]}”`);
    const hint = options.length ? `（可变为：${options.join('、')}）` : `（“${from}”为终结状态）`;
    const message =
      to === finding.state ? `当前状态已是“${from}”${hint}` : `当前状态为“${from}”，不能直接变为“${stateLabelsZh[to]}”${hint}`;
    return fail(409, 'illegal_transition', message);
  }

  if (!rule.who.some((party) => isParty(party, finding, actor))) {
    return fail(403, 'forbidden', forbiddenMessage(rule, finding, actor));
  }

  const parsed = rule.body.safeParse(body);
  if (!parsed.success) return invalid(zodIssues(parsed.error));
  const data = parsed.data as TransitionBody;

  const issues: ErrorIssue[] = [];
  if ('dueDate' in data && compareDates(data.dueDate, context.today) < 0) {
    issues.push({ path: 'dueDate', message: `核查期限不能早于今天（${context.today}）` });
  }
  if ('deadline' in data && compareDates(data.deadline, context.today) < 0) {
    issues.push({ path: 'deadline', message: `整改期限不能早于今天（${context.today}）` });
  }

  const cited = citedEvidenceIds(data);
  if (context.evidenceCount < cited.length) {
    const missing = cited.length - context.evidenceCount;
    issues.push({ path: 'ticks' in data ? 'ticks' : 'evidenceIds', message: `引用的附件中有 ${missing} 个不存在或不属于此问题` });
  }

  if ('ticks' in data) {
    if (!context.closingConditions) throw new Error('checkTransition: closing a finding needs context.closingConditions');
    const applicable = new Set(context.closingConditions.map((c) => c.code));
    data.ticks.forEach((tick, i) => {
      if (!applicable.has(tick.code as ClosingCondition['code'])) {
        issues.push({ path: `ticks.${i}.code`, message: `“${tick.code}”不是此问题适用的销号条件` });
      }
    });
    const missing = missingConditions(context.closingConditions, data.ticks);
    if (missing.length) {
      const labels = context.closingConditions.filter((c) => missing.includes(c.code)).map((c) => c.labelZh);
      issues.push({ path: 'ticks', message: `以下销号条件尚未勾选或缺少证据：${labels.join('、')}` });
    }
  }
  if (issues.length) return invalid(issues);

  const after = applied(finding, data);
  const due = dueDateOf(data);
  const taskEffects: TaskEffect[] = [];
  for (const task of rule.tasks) {
    const source = task.action === 'open' ? after : finding;
    for (const departmentId of departmentsOf(task.departments, source)) {
      // Only the accept task may belong to nobody in particular (the coordinators' queue).
      if (departmentId === null && task.kind !== 'accept') continue;
      const effect: TaskEffect = { action: task.action, kind: task.kind, departmentId };
      if (task.action === 'open' && task.kind !== 'accept' && due !== undefined) effect.dueDate = due;
      taskEffects.push(effect);
    }
  }
  return { ok: true, next: rule.to, data, taskEffects };
}

// ---- Applying an accepted step ---------------------------------------------------------------------

/** Task statuses still to be worked on (new, taken up, or sent back); a step's `close` ends all of them. */
export const activeTaskStatuses = ['open', 'in_progress', 'returned'] as const satisfies readonly (typeof taskStatuses)[number][];

/** A finding's task as applying a step sees it; `id` is absent for a task the step opens. */
export interface StepTask {
  id?: number;
  kind: (typeof allTaskKinds)[number];
  departmentId: number | null;
  status: (typeof taskStatuses)[number];
  dueOn: string | null;
  version: number;
  /** When it was closed (done); null while active or returned. */
  closedAt: string | null;
  /** Set on a task this step opened or changed: what must be written. */
  changed?: true;
  /** Extra facts of an ad-hoc task opened outside the workflow. */
  note?: string | null;
  assigneeUserId?: number | null;
}

/** A finding's workflow record: what a step reads and what it changes. */
export interface StepFinding extends WorkflowFinding {
  version: number;
  measures: unknown;
  deadline: string | null;
  closingTicks: unknown;
}

/** A task change: open one, close the active ones, or send back the latest (workflow rules or an ad-hoc task). */
export type TaskChange = Omit<TaskEffect, 'kind'> & { kind: StepTask['kind']; note?: string | null; assigneeUserId?: number | null };

const isActive = (status: StepTask['status']) => (activeTaskStatuses as readonly string[]).includes(status);

/** Applies task changes to a finding's tasks at time `at`; changed and opened tasks are marked `changed`. */
export function applyTaskEffects(tasks: readonly StepTask[], effects: readonly TaskChange[], at: string): StepTask[] {
  const out = tasks.map((t) => ({ ...t }));
  for (const effect of effects) {
    const same = (t: StepTask) => t.kind === effect.kind && t.departmentId === effect.departmentId;
    if (effect.action === 'open') {
      out.push({
        kind: effect.kind,
        departmentId: effect.departmentId,
        status: 'open',
        dueOn: effect.dueDate ?? null,
        version: 1,
        closedAt: null,
        changed: true,
        ...(effect.note !== undefined ? { note: effect.note } : {}),
        ...(effect.assigneeUserId !== undefined ? { assigneeUserId: effect.assigneeUserId } : {}),
      });
    } else if (effect.action === 'close') {
      for (const t of out) if (same(t) && isActive(t.status)) Object.assign(t, { status: 'done', closedAt: at, version: t.version + 1, changed: true });
    } else {
      // A failed acceptance sends back the most recent task of that kind and department.
      const latest = out.filter(same).at(-1);
      if (latest) Object.assign(latest, { status: 'returned', closedAt: null, version: latest.version + 1, changed: true });
    }
  }
  return out;
}

/** The audit event of a step: the state it left, the state it reached and what the request carried. */
export function stepEvent(from: FindingState, next: FindingState, data: TransitionBody) {
  const { version: _v, ...recorded } = data as TransitionBody & { version?: number };
  return { action: `finding.${next}`, before: { state: from }, after: { state: next, ...recorded } };
}

/**
 * Applies an accepted step (the `ok` result of `checkTransition`) at time `at`: the finding as it is
 * after it, its tasks with the step's effects, and the audit event. The only place a step changes a
 * finding; the HTTP transition and the sample-data seeder both write what this returns.
 */
export function applyStep(
  finding: StepFinding,
  tasks: readonly StepTask[],
  result: Extract<TransitionResult, { ok: true }>,
  at: string,
): { finding: StepFinding; tasks: StepTask[]; event: ReturnType<typeof stepEvent> } {
  const data = result.data;
  const next: StepFinding = { ...applied(finding, data), state: result.next, version: finding.version + 1 };
  if ('leadDepartmentId' in data) {
    next.measures = data.measures;
    next.deadline = data.deadline;
  }
  if ('ticks' in data) next.closingTicks = data.ticks;
  return { finding: next, tasks: applyTaskEffects(tasks, result.taskEffects, at), event: stepEvent(finding.state, result.next, data) };
}

// ---- Derived deadlines (never stored) -------------------------------------------------------------

/** The deadline facts of a finding. */
export interface DeadlineFinding {
  state: FindingState;
  /** The rectification deadline of the current plan. */
  deadline: string | null;
  /** Due date of the open verify task. */
  verifyDueDate?: string | null;
}

/**
 * The deadline that runs now: the verify task's due date while verifying; the plan's deadline while
 * rectifying and until the acceptance closes it (a problem counts as rectified only once closed,
 * 整改销号). None before a plan, once closed or dismissed, and none while reopened: the old deadline
 * belonged to the closed round, and the new plan sets the next one.
 */
export function runningDeadline(finding: DeadlineFinding): string | null {
  if (finding.state === 'verifying') return finding.verifyDueDate ?? null;
  if (finding.state === 'rectifying' || finding.state === 'pending_acceptance') return finding.deadline;
  return null;
}

function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new TypeError(`expected a YYYY-MM-DD date, got ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** Whole days past the running deadline (0 when on time or without one); the deadline day itself is on time. */
export function daysOverdue(finding: DeadlineFinding, today: string): number {
  const deadline = runningDeadline(finding);
  if (deadline === null) return 0;
  return Math.max(0, dayNumber(today) - dayNumber(deadline));
}

/** True when the running deadline has passed and the finding is neither closed nor dismissed. */
export function overdue(finding: DeadlineFinding, today: string): boolean {
  return daysOverdue(finding, today) > 0;
}

/** True when overdue by more than `escalateAfterDays` days (督办). */
export function escalated(finding: DeadlineFinding, today: string, escalateAfterDays = 30): boolean {
  return daysOverdue(finding, today) > escalateAfterDays;
}
