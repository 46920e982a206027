/**
 * The rectification chain (整改销号) as data and pure functions: which action may be taken in which
 * state, by whom, what each request must carry, what it changes on the finding, which sub-step records
 * it writes and which tasks it opens, closes, returns or cancels. Nothing here touches the database:
 * transitions.service.ts loads the finding, its records, tasks, departments and rule, asks
 * `checkAction`, then writes what `applyStep` returns; the sample seeder replays its history the same way.
 *
 * The chain follows 国环规生态〔2022〕1号 and Shandong's 2023 实施细则: verification with its outcome,
 * a plan drafted by the area's management body and reviewed by the departments the rule names, joint
 * rectification with each department reporting its own part, acceptance by levels (county self-check,
 * then an independent city acceptance, optionally a provincial spot check), 公示, 销号 with a document
 * number, and 回头看 re-checks that send a recurred site back to verification.
 */
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { today as dayIn } from '../../lib/clock.ts';
import type { ErrorIssue } from '../../lib/errors.ts';
import { ruleMeasures } from '../rules/rule-pack.ts';
import { hasUnstorableText, MAX_ID, zodIssues } from '../../lib/validate.ts';
import {
  acceptanceLevelCodes,
  departmentKinds,
  departmentLevels,
  findingRecordKinds,
  findingStates,
  taskKinds as allTaskKinds,
  taskStatuses,
  type FindingState,
  type VerificationOutcome,
} from '../../lib/vocabulary.ts';
import { can, type Actor } from '../auth/roles.ts';

export { findingStates, type FindingState };

export type DepartmentKind = (typeof departmentKinds)[number];
export type DepartmentLevel = (typeof departmentLevels)[number];
export type TaskKind = (typeof allTaskKinds)[number];
export type TaskStatus = (typeof taskStatuses)[number];

/** Labels used in this module's messages (the web catalogue has its own copy for the UI). */
export const stateLabelsZh: Readonly<Record<FindingState, string>> = {
  clue: '线索',
  verifying: '核查中',
  dismissed: '核查不予认定',
  confirmed: '属实',
  planning: '方案编制审查',
  rectifying: '整改中',
  pending_acceptance: '待验收',
  publicising: '公示中',
  closed: '已销号',
  reopened: '复发（旧记录）',
};

/** Rectification measures a plan may list (the rule pack's list); which ones a finding's rule allows or requires is the rule's. */
export const rectificationMeasures = ruleMeasures;
export type RectificationMeasure = (typeof rectificationMeasures)[number];

export const measureLabelsZh: Readonly<Record<RectificationMeasure, string>> = {
  exit: '退出',
  two_cuts_three_clears: '两断三清',
  demolish: '拆除',
  remediate: '整治',
  restore: '生态修复',
  assess: '科学评估后分类处置',
  seal_outfall: '封堵排污口',
  limit_use: '限定用途/规范管理',
};

/** Acceptance levels: 县级自查, 市级验收, 省级抽查 (config.acceptanceLevels chooses which apply, in this order). */
export { acceptanceLevelCodes };
export type AcceptanceLevel = (typeof acceptanceLevelCodes)[number];
export const acceptanceLevelLabelsZh: Readonly<Record<AcceptanceLevel, string>> = {
  county: '县级自查',
  city: '市级验收',
  province: '省级抽查',
};

/** Reviewer kinds when a rule names none: 生态环境, 自然资源, 林业 (Linyi 2023 工作程序 step 1; 门户默认 for Weifang). */
export const defaultReviewerKinds: readonly DepartmentKind[] = ['ecology_environment', 'natural_resources', 'forestry'];

/**
 * Days an acceptor has for one level (the due date of its accept task). No national or Shandong text
 * fixes it: 门户默认, the same span as a verification.
 */
export const acceptanceTaskDays = 15;

/** Every action of the chain, in the order a finding meets them. */
export const actionNames = [
  'dispatch',
  'confirm',
  'dismiss',
  'overturn',
  'assign_plan',
  'submit_plan',
  'review_plan',
  'record_progress',
  'report_part',
  'request_extension',
  'decide_extension',
  'site_check',
  'accept',
  'fail_acceptance',
  'record_objection',
  'close',
  'recheck',
  'reopen',
] as const;
export type ActionName = (typeof actionNames)[number];

export const actionLabelsZh: Readonly<Record<ActionName, string>> = {
  dispatch: '交办核查',
  confirm: '核查属实',
  dismiss: '核查不予认定',
  overturn: '抽查推翻核查结论',
  assign_plan: '交办整改方案编制',
  submit_plan: '报送整改方案',
  review_plan: '审查整改方案',
  record_progress: '报送整改进展',
  report_part: '报送整改完成情况',
  request_extension: '申请延期',
  decide_extension: '审批延期',
  site_check: '验收现场核查',
  accept: '验收通过',
  fail_acceptance: '验收不通过',
  record_objection: '登记公示异议',
  close: '销号',
  recheck: '回头看',
  reopen: '重新打开',
};

/** From which states each action may be taken (the target is decided by the action and its data). */
export const actionStates: Readonly<Record<ActionName, readonly FindingState[]>> = {
  dispatch: ['clue', 'reopened'],
  confirm: ['verifying'],
  dismiss: ['verifying'],
  overturn: ['dismissed'],
  assign_plan: ['confirmed'],
  submit_plan: ['planning'],
  review_plan: ['planning'],
  record_progress: ['rectifying'],
  report_part: ['rectifying'],
  request_extension: ['planning', 'rectifying'],
  decide_extension: ['planning', 'rectifying'],
  site_check: ['pending_acceptance'],
  accept: ['pending_acceptance'],
  fail_acceptance: ['pending_acceptance'],
  record_objection: ['publicising'],
  close: ['publicising'],
  recheck: ['closed'],
  reopen: ['closed'],
};

// ---- Request bodies -------------------------------------------------------------------------------

// Ids within int4, text without NUL or lone surrogates, dates within 1900–2100: what the database can hold (lib/validate.ts).
const positiveId = (what: string) =>
  z.number({ error: `${what}须为正整数编号` }).int(`${what}须为正整数编号`).positive(`${what}须为正整数编号`).max(MAX_ID, `${what}编号超出范围`);
const text = (what: string, max = 4000) =>
  z
    .string({ error: `须填写${what}` })
    .refine((s) => !hasUnstorableText(s), `${what}含有无法保存的字符（如 NUL 或不完整的 Unicode 字符）`)
    .trim()
    .min(1, `须填写${what}`)
    .max(max, `${what}不能超过 ${max} 个字符`);
const isoDate = (what: string) =>
  z.iso.date({ error: `${what}须为 YYYY-MM-DD 格式的有效日期` }).refine((d) => d >= '1900-01-01' && d <= '2100-12-31', `${what}须在 1900-01-01 至 2100-12-31 之间`);
const version = z.number({ error: '须提供记录版本号 version' }).int('版本号须为整数').nonnegative('版本号须为非负整数').max(MAX_ID, '版本号超出范围');
const evidenceIds = (what = '证据') =>
  z
    .array(positiveId('附件'), { error: `须提供${what}附件编号列表` })
    .min(1, `至少须附 1 份${what}（照片、文书等附件）`)
    .max(100, '一次最多引用 100 份附件');
const optionalEvidenceIds = z.array(positiveId('附件'), { error: '附件编号须为列表' }).max(100, '一次最多引用 100 份附件').optional();
const action = <A extends ActionName>(name: A) => z.literal(name);

/** clue (or an old reopened row) → verifying: the coordinator asks one department to verify by a date. */
export const dispatchBody = z.strictObject({
  action: action('dispatch'),
  version,
  verifyingDepartmentId: positiveId('核查部门'),
  dueDate: isoDate('核查期限'),
  instruction: text('交办说明').optional(),
});

/** verifying → confirmed (属实): 历史遗留 or 违法违规, with the conclusion and evidence. */
export const confirmBody = z.strictObject({
  action: action('confirm'),
  version,
  outcome: z.enum(['historical', 'illegal'], { error: '属实的核查结论须为 historical（历史遗留）或 illegal（违法违规）' }),
  conclusion: text('核查结论'),
  evidenceIds: evidenceIds('核查证据'),
});

/** verifying → dismissed: 不属实, 合法合规 (with the approval), 已消失 or 已整改 (with the date), and evidence. */
export const dismissBody = z
  .strictObject({
    action: action('dismiss'),
    version,
    outcome: z.enum(['not_true', 'lawful', 'vanished', 'rectified'], {
      error: '核查结论须为 not_true（不属实）、lawful（合法合规）、vanished（已消失）或 rectified（已整改）',
    }),
    reason: text('核查理由'),
    evidenceIds: evidenceIds('核查证据'),
    approvalNo: text('批准文号', 200).optional(),
    approvalAuthority: text('批准机关', 200).optional(),
    approvedOn: isoDate('批准日期').optional(),
    observedOn: isoDate('核实已消失的日期').optional(),
    rectifiedOn: isoDate('已整改的日期').optional(),
  })
  .superRefine((b, ctx) => {
    const need = (key: keyof typeof b, message: string) => {
      if (b[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message });
    };
    if (b.outcome === 'lawful') {
      need('approvalNo', '合法合规的须填写批准文号');
      need('approvalAuthority', '合法合规的须填写批准机关');
      need('approvedOn', '合法合规的须填写批准日期');
    }
    if (b.outcome === 'vanished') need('observedOn', '已消失的须填写核实日期');
    if (b.outcome === 'rectified') need('rectifiedOn', '已整改的须填写整改完成日期');
  });

/** dismissed → verifying: a spot check overturns the conclusion and verification starts again. */
export const overturnBody = z.strictObject({
  action: action('overturn'),
  version,
  reason: text('推翻核查结论的理由'),
  verifyingDepartmentId: positiveId('核查部门'),
  dueDate: isoDate('核查期限'),
});

/** confirmed → planning: who rectifies, who drafts the plan and by when, and who accepts at city level. */
export const assignPlanBody = z
  .strictObject({
    action: action('assign_plan'),
    version,
    leadDepartmentId: positiveId('牵头部门'),
    cooperatingDepartmentIds: z.array(positiveId('配合部门'), { error: '配合部门须为编号列表' }).max(50, '配合部门过多'),
    drafterDepartmentId: positiveId('方案编制部门').optional(),
    acceptingDepartmentId: positiveId('验收部门').optional(),
    planDueDate: isoDate('方案报送期限'),
    instruction: text('交办说明').optional(),
  })
  .superRefine((plan, ctx) => {
    if (new Set(plan.cooperatingDepartmentIds).size !== plan.cooperatingDepartmentIds.length) {
      ctx.addIssue({ code: 'custom', path: ['cooperatingDepartmentIds'], message: '配合部门不能重复' });
    }
    if (plan.cooperatingDepartmentIds.includes(plan.leadDepartmentId)) {
      ctx.addIssue({ code: 'custom', path: ['cooperatingDepartmentIds'], message: '牵头部门不能同时是配合部门' });
    }
  });

/** planning → planning: the plan (责任主体、目标任务、重点措施、完成时限) and the 科学评估 where the rule needs it. */
export const submitPlanBody = z
  .strictObject({
    action: action('submit_plan'),
    version,
    responsibleParty: text('责任主体', 500),
    targets: text('目标任务'),
    measures: z
      .array(z.enum(rectificationMeasures, { error: `整改措施须为以下之一：${rectificationMeasures.join('、')}` }), { error: '须选择整改措施' })
      .min(1, '至少选择一项整改措施'),
    deadline: isoDate('整改完成时限'),
    assessmentEvidenceIds: z.array(positiveId('附件'), { error: '科学评估附件编号须为列表' }).max(100, '一次最多引用 100 份附件').optional(),
    evidenceIds: optionalEvidenceIds,
  })
  .superRefine((plan, ctx) => {
    if (new Set(plan.measures).size !== plan.measures.length) ctx.addIssue({ code: 'custom', path: ['measures'], message: '整改措施不能重复' });
  });

/** planning → planning, or rectifying once every reviewer department has approved. */
export const reviewPlanBody = z.strictObject({
  action: action('review_plan'),
  version,
  decision: z.enum(['approve', 'return'], { error: '审查意见须为 approve（同意）或 return（退回修改）' }),
  opinion: text('审查意见'),
});

/** rectifying → rectifying: a dated progress entry (整改进展). */
export const recordProgressBody = z.strictObject({
  action: action('record_progress'),
  version,
  progressOn: isoDate('进展日期'),
  text: text('整改进展'),
  percent: z.number({ error: '完成比例须为 0–100 的数' }).min(0, '完成比例须为 0–100 的数').max(100, '完成比例须为 0–100 的数').optional(),
  evidenceIds: optionalEvidenceIds,
});

/** rectifying → rectifying, or pending_acceptance once the lead and every cooperating department reported. */
export const reportPartBody = z.strictObject({
  action: action('report_part'),
  version,
  report: text('整改完成情况'),
  evidenceIds: evidenceIds('整改完成证据'),
});

/** planning/rectifying → same: the lead (the drafter while planning) asks for more time. */
export const requestExtensionBody = z.strictObject({
  action: action('request_extension'),
  version,
  requestedDeadline: isoDate('申请延期至'),
  reason: text('延期理由'),
});

/** planning/rectifying → same: the coordinator approves (setting the new date) or refuses. */
export const decideExtensionBody = z.strictObject({
  action: action('decide_extension'),
  version,
  decision: z.enum(['approve', 'refuse'], { error: '审批结论须为 approve（同意）或 refuse（不同意）' }),
  opinion: text('审批意见'),
});

/** pending_acceptance → same: the acceptor's site check, with photos taken after the completion report. */
export const siteCheckBody = z.strictObject({
  action: action('site_check'),
  version,
  checkedOn: isoDate('现场核查日期'),
  people: text('现场核查人员', 500),
  note: text('现场核查情况'),
  evidenceIds: evidenceIds('现场核查照片'),
});

/** pending_acceptance → next level, or publicising: every condition of the rule ticked with evidence. */
export const acceptBody = z.strictObject({
  action: action('accept'),
  version,
  ticks: z
    .array(
      z.strictObject({
        code: z.string({ error: '须填写销号条件代码' }).min(1, '须填写销号条件代码').max(100, '销号条件代码过长'),
        evidenceIds: evidenceIds('销号条件证据'),
      }),
      { error: '须逐项勾选销号条件' },
    )
    .max(50, '销号条件过多'),
  opinion: text('验收意见'),
});

/** pending_acceptance → rectifying with a new deadline. */
export const failAcceptanceBody = z.strictObject({
  action: action('fail_acceptance'),
  version,
  reason: text('验收不通过的理由'),
  deadline: isoDate('重新整改期限'),
});

/** publicising → same, or rectifying (new deadline) when the objection is upheld. */
export const recordObjectionBody = z
  .strictObject({
    action: action('record_objection'),
    version,
    receivedOn: isoDate('收到异议日期'),
    objector: text('异议人', 200),
    content: text('异议内容'),
    handling: text('处理情况'),
    upheld: z.boolean({ error: '须说明异议是否成立（upheld: true/false）' }),
    deadline: isoDate('重新整改期限').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.upheld && b.deadline === undefined) ctx.addIssue({ code: 'custom', path: ['deadline'], message: '异议成立的须填写重新整改期限' });
  });

/** publicising → closed: the 销号 date and document number. */
export const closeBody = z.strictObject({
  action: action('close'),
  version,
  closedOn: isoDate('销号日期'),
  closingDocumentNo: text('销号文号', 200),
});

/** closed → same, or verifying when the site recurred (回头看). */
export const recheckBody = z
  .strictObject({
    action: action('recheck'),
    version,
    taskId: positiveId('回头看任务'),
    result: z.enum(['stays_rectified', 'recurred'], { error: '回头看结论须为 stays_rectified（整改成效保持）或 recurred（问题复发）' }),
    note: text('回头看情况'),
    evidenceIds: evidenceIds('回头看照片'),
    dueDate: isoDate('核查期限').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.result === 'recurred' && b.dueDate === undefined) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: '问题复发的须填写重新核查期限' });
  });

/** closed → verifying: a coordinator reopens the record. */
export const reopenBody = z.strictObject({
  action: action('reopen'),
  version,
  reason: text('重新打开的理由'),
  verifyingDepartmentId: positiveId('核查部门'),
  dueDate: isoDate('核查期限'),
  evidenceIds: optionalEvidenceIds,
});

/** The body schema of each action. */
export const actionBodies = {
  dispatch: dispatchBody,
  confirm: confirmBody,
  dismiss: dismissBody,
  overturn: overturnBody,
  assign_plan: assignPlanBody,
  submit_plan: submitPlanBody,
  review_plan: reviewPlanBody,
  record_progress: recordProgressBody,
  report_part: reportPartBody,
  request_extension: requestExtensionBody,
  decide_extension: decideExtensionBody,
  site_check: siteCheckBody,
  accept: acceptBody,
  fail_acceptance: failAcceptanceBody,
  record_objection: recordObjectionBody,
  close: closeBody,
  recheck: recheckBody,
  reopen: reopenBody,
} as const satisfies Record<ActionName, z.ZodType>;

/** Every transition request, told apart by `action`. */
export const transitionBody = z.discriminatedUnion('action', [
  dispatchBody,
  confirmBody,
  dismissBody,
  overturnBody,
  assignPlanBody,
  submitPlanBody,
  reviewPlanBody,
  recordProgressBody,
  reportPartBody,
  requestExtensionBody,
  decideExtensionBody,
  siteCheckBody,
  acceptBody,
  failAcceptanceBody,
  recordObjectionBody,
  closeBody,
  recheckBody,
  reopenBody,
]);
export type TransitionBody = z.output<typeof transitionBody>;
export type ActionBody<A extends ActionName> = z.output<(typeof actionBodies)[A]>;

/** Names of the body fields without which an action's schema fails (besides `action` and `version`). */
export function requiredFields(name: ActionName): string[] {
  const schema = actionBodies[name] as unknown as z.ZodObject;
  const shape = schema.shape;
  return Object.keys(shape).filter((key) => key !== 'action' && key !== 'version' && !shape[key].safeParse(undefined).success);
}

// ---- What the chain reads -------------------------------------------------------------------------

/** A department as the independence and level rules see it. */
export interface DepartmentNode {
  id: number;
  nameZh: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  parentId: number | null;
  countyCode: string | null;
}

/** The parts of a finding's rule (rules.ts ResolvedRule) the chain checks against. */
export interface WorkflowRule {
  status: 'resolved' | 'missing_facts';
  missing: ReadonlyArray<'zone' | 'approval' | 'timing' | 'area'>;
  sourceZh: string;
  basisZh: string;
  allowedMeasures: readonly RectificationMeasure[];
  requiredMeasures: readonly RectificationMeasure[];
  requiresAssessment: boolean;
  /** Department kinds (departments.kind) whose county, else city, department reviews the plan. */
  reviewerKinds: readonly string[];
  conditions: ReadonlyArray<{ code: string; labelZh: string; observationDays: number | null }>;
}

/** The finding's fields the chain reads and changes. */
export interface WorkflowFinding {
  state: FindingState;
  /** When given, a body whose `version` differs is refused with 409 `conflict` before anything else. */
  version?: number;
  /** Bumped whenever the finding goes back to verifying or rectifying; sub-step records carry it. */
  round: number;
  countyCode: string | null;
  verifyingDepartmentId: number | null;
  verificationOutcome: VerificationOutcome | null;
  leadDepartmentId: number | null;
  cooperatingDepartmentIds: readonly number[];
  drafterDepartmentId: number | null;
  /** Named for the city level at assignment; once the city level passes, the department that accepted. */
  acceptingDepartmentId: number | null;
  planDueOn: string | null;
  deadline: string | null;
  /** The approved plan's measures (findings.measures), set when the plan is approved. */
  measures?: unknown;
  acceptanceLevel: AcceptanceLevel | null;
  publicityStartOn: string | null;
  publicityEndOn: string | null;
  publicityNotice: string | null;
  closedOn: string | null;
  closingDocumentNo: string | null;
}

/** A finding just recorded, as the chain sees it: a clue in its first round with nothing assigned yet. */
export function newClue(countyCode: string | null): WorkflowFinding & { version: number } {
  return {
    state: 'clue',
    version: 1,
    round: 1,
    countyCode,
    verifyingDepartmentId: null,
    verificationOutcome: null,
    leadDepartmentId: null,
    cooperatingDepartmentIds: [],
    drafterDepartmentId: null,
    acceptingDepartmentId: null,
    planDueOn: null,
    deadline: null,
    acceptanceLevel: null,
    publicityStartOn: null,
    publicityEndOn: null,
    publicityNotice: null,
    closedOn: null,
    closingDocumentNo: null,
  };
}

/** Kinds of sub-step records (finding_records.kind). */
export const recordKinds = findingRecordKinds;
export type RecordKind = (typeof recordKinds)[number];

/** A sub-step record to write: the service adds who, when and the event. */
export interface RecordDraft {
  kind: RecordKind;
  round: number;
  departmentId: number | null;
  data: Record<string, unknown>;
}

/** A stored sub-step record, in the order written. */
export interface WorkflowRecord extends RecordDraft {
  id?: number;
  /** When it was written (ISO timestamp). */
  at: string;
  createdBy?: number | null;
}

/** A finding's task as a step sees it; `id` is absent for a task the step opens. */
export interface StepTask {
  id?: number;
  kind: TaskKind;
  departmentId: number | null;
  status: TaskStatus;
  dueOn: string | null;
  version: number;
  /** When it was closed (done or cancelled); null while active or returned. */
  closedAt: string | null;
  /** Set on a task this step opened or changed: what must be written. */
  changed?: true;
  instruction?: string | null;
  assigneeUserId?: number | null;
  cancelReason?: string | null;
}

/**
 * Where the 公示 notice sends objections (门户默认 wording: the portal knows no postal address of the
 * office; the issuing office edits the notice it publishes).
 */
export const defaultObjectionsToZh = '以书面形式向发布本公示的单位反映，并提供联系方式和相关证据';

/** Facts of the record the 公示 notice is written from. */
export interface NoticeFacts {
  serial: string;
  title: string;
  description: string;
  areaNamesZh: readonly string[];
  countyNameZh: string | null;
  /** Where objections go, as the notice states it. */
  objectionsToZh: string;
}

/** Everything besides the finding a decision needs. */
export interface ActionContext {
  /** Today's date (YYYY-MM-DD) in the portal's time zone. */
  today: string;
  timeZone: string;
  config: Pick<Config, 'acceptanceLevels' | 'publicityDays' | 'recheckMonths'>;
  departments: readonly DepartmentNode[];
  /** The finding's sub-step records, oldest first. */
  records: readonly WorkflowRecord[];
  /** The finding's tasks, oldest first. */
  tasks: readonly StepTask[];
  /** The finding's rule; null when none could be loaded (then plan and acceptance steps are refused). */
  rule: WorkflowRule | null;
  /** The cited attachments found on this finding, with their upload time. */
  /** The cited attachments: when each was uploaded and, when its EXIF tells, when the photo was taken. */
  evidence: ReadonlyArray<{ id: number; uploadedAt: string; takenAt?: string | null }>;
  /** The management body (管理机构) of the finding's area, the default plan drafter. */
  managingDepartmentId?: number | null;
  /** Needed when the last acceptance level passes (the 公示 notice). */
  notice?: NoticeFacts;
}

/** The context allowedActions needs (no request, so no evidence). */
export type PartyContext = Omit<ActionContext, 'evidence' | 'notice'>;

type PartyActor = Pick<Actor, 'role' | 'departmentId'>;

// ---- Dates ----------------------------------------------------------------------------------------

function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new TypeError(`expected a YYYY-MM-DD date, got ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** `date` plus `months` calendar months, kept within the target month (08-31 + 6 months → 02-28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// ---- Departments ----------------------------------------------------------------------------------

function node(departments: readonly DepartmentNode[], id: number | null): DepartmentNode | undefined {
  return id === null ? undefined : departments.find((d) => d.id === id);
}

/** The department's ancestors through parent_id, nearest first (cycles stop the walk). */
function ancestors(departments: readonly DepartmentNode[], id: number): number[] {
  const out: number[] = [];
  let current = node(departments, id)?.parentId ?? null;
  while (current !== null && !out.includes(current) && current !== id) {
    out.push(current);
    current = node(departments, current)?.parentId ?? null;
  }
  return out;
}

/** The rectifying departments: the lead and every cooperating department. */
export function rectifiers(finding: Pick<WorkflowFinding, 'leadDepartmentId' | 'cooperatingDepartmentIds'>): number[] {
  return [...(finding.leadDepartmentId === null ? [] : [finding.leadDepartmentId]), ...finding.cooperatingDepartmentIds];
}

/**
 * Why a department may not accept the rectifiers' work, or null when it is independent: it is not
 * one of them, nor a parent (any ancestor) or branch (any descendant) of one. 国环规生态〔2022〕1号
 * has the 验收 done by a party other than the 整改责任单位; a bureau accepting its own branch's work
 * is the same party.
 */
export function dependenceOf(departmentId: number, rectifierIds: readonly number[], departments: readonly DepartmentNode[]): string | null {
  for (const r of rectifierIds) {
    if (r === departmentId) return '该部门承担此问题的整改';
    if (ancestors(departments, r).includes(departmentId)) return '该部门是承担整改部门的上级部门';
    if (ancestors(departments, departmentId).includes(r)) return '该部门是承担整改部门的下属机构';
  }
  return null;
}

/**
 * The plan's reviewer departments: for each kind the rule names (default 生态环境, 自然资源, 林业), the
 * county-level department of that kind in the finding's county, else the city-level one; a kind without
 * any department is folded into 自然资源 (门户默认). Deduplicated, in the rule's order.
 */
export function planReviewers(rule: Pick<WorkflowRule, 'reviewerKinds'> | null, countyCode: string | null, departments: readonly DepartmentNode[]): number[] {
  const kinds = rule && rule.reviewerKinds.length ? rule.reviewerKinds : defaultReviewerKinds;
  const find = (kind: string) =>
    departments.find((d) => d.kind === kind && d.level === 'county' && countyCode !== null && d.countyCode === countyCode) ??
    departments.find((d) => d.kind === kind && d.level === 'city');
  const out: number[] = [];
  for (const kind of kinds) {
    const d = find(kind) ?? find('natural_resources');
    if (d && !out.includes(d.id)) out.push(d.id);
  }
  return out;
}

/** The department an accept task of a level is opened for; null leaves it in the coordinators' queue. */
export function acceptTaskDepartment(level: AcceptanceLevel, finding: WorkflowFinding, departments: readonly DepartmentNode[]): number | null {
  const rect = rectifiers(finding);
  const independent = (d: DepartmentNode) => dependenceOf(d.id, rect, departments) === null;
  const prefer = (list: DepartmentNode[]) => (list.find((d) => d.kind === 'ecology_environment') ?? list[0])?.id ?? null;
  if (level === 'county') return prefer(departments.filter((d) => d.level === 'county' && finding.countyCode !== null && d.countyCode === finding.countyCode));
  if (level === 'city') return finding.acceptingDepartmentId ?? prefer(departments.filter((d) => d.level === 'city' && independent(d)));
  return prefer(departments.filter((d) => d.level === 'province' && independent(d)));
}

// ---- Reading the records --------------------------------------------------------------------------

const after = (records: readonly WorkflowRecord[], index: number) => records.slice(index + 1);
const lastIndex = (records: readonly WorkflowRecord[], pred: (r: WorkflowRecord) => boolean) => {
  for (let i = records.length - 1; i >= 0; i--) if (pred(records[i])) return i;
  return -1;
};

export type PlanStatus = 'drafting' | 'submitted' | 'returned' | 'approved';

/** The current plan: the latest submission since the latest assignment, its reviewers and their decisions. */
export function currentPlan(records: readonly WorkflowRecord[]): {
  assignment: WorkflowRecord | null;
  submission: WorkflowRecord | null;
  status: PlanStatus;
  reviewerIds: number[];
  reviews: WorkflowRecord[];
} {
  const a = lastIndex(records, (r) => r.kind === 'plan_assignment');
  const cycle = a < 0 ? records : after(records, a);
  const assignment = a < 0 ? null : records[a];
  const s = lastIndex(cycle, (r) => r.kind === 'plan_submission');
  if (s < 0) return { assignment, submission: null, status: 'drafting', reviewerIds: [], reviews: [] };
  const submission = cycle[s];
  const reviews = after(cycle, s).filter((r) => r.kind === 'plan_review');
  const reviewerIds = ((submission.data.reviewerDepartmentIds as number[] | undefined) ?? []).slice();
  const status: PlanStatus = reviews.some((r) => r.data.decision === 'return')
    ? 'returned'
    : reviewerIds.every((id) => reviews.some((r) => r.departmentId === id && r.data.decision === 'approve'))
      ? 'approved'
      : 'submitted';
  return { assignment, submission, status, reviewerIds, reviews };
}

/** The part reports of this round. */
export function partReports(finding: Pick<WorkflowFinding, 'round'>, records: readonly WorkflowRecord[]): WorkflowRecord[] {
  return records.filter((r) => r.kind === 'part_report' && r.round === finding.round);
}

/** When the last completion (part) report of this round was written; null before any. */
export function lastCompletionReportAt(finding: Pick<WorkflowFinding, 'round'>, records: readonly WorkflowRecord[]): string | null {
  const reports = partReports(finding, records);
  return reports.length ? reports.reduce((m, r) => (r.at > m ? r.at : m), reports[0].at) : null;
}

/** The extension request awaiting a decision for the deadline that runs in this state, if any. */
export function pendingExtension(finding: Pick<WorkflowFinding, 'state'>, records: readonly WorkflowRecord[]): WorkflowRecord | null {
  const target = finding.state === 'planning' ? 'plan' : 'rectify';
  const i = lastIndex(records, (r) => r.kind === 'extension_request' || r.kind === 'extension_decision');
  if (i < 0) return null;
  const r = records[i];
  return r.kind === 'extension_request' && r.data.target === target ? r : null;
}

function siteCheckOf(finding: WorkflowFinding, records: readonly WorkflowRecord[], level: AcceptanceLevel, departmentId: number | null): WorkflowRecord | undefined {
  return records.findLast((r) => r.kind === 'site_check' && r.round === finding.round && r.data.level === level && r.departmentId === departmentId);
}

/** The level due while pending_acceptance; rows made before levels existed start at the first configured one. */
function currentLevel(finding: WorkflowFinding, ctx: Pick<PartyContext, 'config'>): AcceptanceLevel {
  return finding.acceptanceLevel ?? ctx.config.acceptanceLevels[0];
}

function activeRechecks(tasks: readonly StepTask[]): StepTask[] {
  return tasks.filter((t) => t.kind === 'recheck' && isActive(t.status));
}

// ---- Who may act ----------------------------------------------------------------------------------

export type WorkflowErrorCode = 'illegal_transition' | 'conflict' | 'forbidden' | 'invalid_request';
export interface Refusal {
  status: 400 | 403 | 409;
  code: WorkflowErrorCode;
  message: string;
  issues?: ErrorIssue[];
}

const missingFactLabelsZh: Record<WorkflowRule['missing'][number], string> = {
  zone: '所在功能分区',
  approval: '审批（许可）情况',
  timing: '历史遗留/新增的认定',
  area: '所在保护地',
};

const viewerOrAdmin = (actor: PartyActor): string | null =>
  actor.role === 'viewer' ? '（查看人员只能查阅）' : actor.role === 'admin' ? '（系统管理员不办理执法业务）' : null;

const forbidden = (message: string, actor: PartyActor): Refusal => ({ status: 403, code: 'forbidden', message: message + (viewerOrAdmin(actor) ?? '') });
const sequence = (message: string): Refusal => ({ status: 409, code: 'illegal_transition', message });

/** Whether an actor of a department may take this level's acceptance steps; null when they may. */
function acceptorRefusal(finding: WorkflowFinding, level: AcceptanceLevel, actor: PartyActor, departments: readonly DepartmentNode[]): string | null {
  const label = acceptanceLevelLabelsZh[level];
  const dept = node(departments, actor.departmentId);
  if (!can(actor, 'tasks.work') || !dept) return `只有${label}的验收部门人员可以办理`;
  if (level === 'county') {
    if (dept.level !== 'county' || finding.countyCode === null || dept.countyCode !== finding.countyCode) return `${label}须由问题所在县（市、区）的县级部门办理`;
    return null;
  }
  const dependence = dependenceOf(dept.id, rectifiers(finding), departments);
  if (dependence) return `${label}须由独立于整改部门的部门办理（${dependence}）`;
  if (level === 'city') {
    if (finding.acceptingDepartmentId !== null && finding.acceptingDepartmentId !== dept.id) return `${label}已指定由其他部门办理`;
    if (finding.acceptingDepartmentId === null && dept.level !== 'city') return `${label}须由市级部门办理`;
    return null;
  }
  if (dept.level !== 'province') return `${label}须由省级部门办理`;
  return null;
}

/**
 * Why this actor may not take the action now, or null when they may (state, party and the order of
 * sub-steps; the request's fields are judged afterwards). allowedActions and checkAction both ask this.
 */
export function refusal(name: ActionName, finding: WorkflowFinding, actor: PartyActor, ctx: PartyContext): Refusal | null {
  const states = actionStates[name];
  if (!states.includes(finding.state)) {
    const options = allowedFromState(finding.state).map((a) => `“${actionLabelsZh[a]}”`);
    const hint = options.length ? `（此状态可办理：${options.join('、')}）` : '';
    return sequence(`当前状态为“${stateLabelsZh[finding.state]}”，不能办理“${actionLabelsZh[name]}”${hint}`);
  }
  const coordinator = can(actor, 'findings.assign');
  const dept = actor.departmentId;
  const worker = can(actor, 'tasks.work') && dept !== null;
  const label = actionLabelsZh[name];
  switch (name) {
    case 'dispatch':
    case 'overturn':
    case 'assign_plan':
    case 'decide_extension':
    case 'record_objection':
    case 'close':
    case 'reopen': {
      if (!coordinator) return forbidden(`只有联合执法协调员可以${label}`, actor);
      if (name === 'assign_plan') return missingFacts(ctx.rule);
      if (name === 'decide_extension' && !pendingExtension(finding, ctx.records)) return sequence('没有待审批的延期申请');
      if (name === 'close' && finding.publicityEndOn !== null && ctx.today < finding.publicityEndOn) {
        return sequence(`公示期至 ${finding.publicityEndOn} 结束，公示期满后方可销号`);
      }
      return null;
    }
    case 'confirm':
    case 'dismiss': {
      const verifier = can(actor, 'findings.record') && dept !== null && dept === finding.verifyingDepartmentId;
      if (!coordinator && !verifier) return forbidden('只有核查部门的人员或联合执法协调员可以提交核查结论', actor);
      return null;
    }
    case 'submit_plan': {
      if (!worker || dept !== finding.drafterDepartmentId) return forbidden('只有负责编制方案的部门（保护地管理机构或牵头部门）的人员可以报送整改方案', actor);
      const facts = missingFacts(ctx.rule);
      if (facts) return facts;
      const plan = currentPlan(ctx.records);
      if (plan.status === 'submitted') return sequence('整改方案已报送，正在审查，审查退回后方可重新报送');
      return null;
    }
    case 'review_plan': {
      const plan = currentPlan(ctx.records);
      if (!worker || !plan.reviewerIds.includes(dept!)) {
        if (plan.status === 'drafting' || plan.status === 'returned') return sequence('整改方案尚未报送（或已退回修改），暂无可审查的方案');
        return forbidden('只有方案审查部门（生态环境、自然资源、林业等）的人员可以为本部门签署审查意见', actor);
      }
      if (plan.status !== 'submitted') return sequence('整改方案尚未报送（或已退回修改），暂无可审查的方案');
      if (plan.reviews.some((r) => r.departmentId === dept)) return sequence('本部门已签署对此方案的审查意见');
      return null;
    }
    case 'record_progress':
    case 'report_part': {
      if (!worker || !rectifiers(finding).includes(dept!)) return forbidden(`只有牵头或配合整改部门的人员可以${label}`, actor);
      if (name === 'report_part' && partReports(finding, ctx.records).some((r) => r.departmentId === dept)) {
        return sequence('本部门本轮已报送整改完成情况，等待其他整改部门报送');
      }
      return null;
    }
    case 'request_extension': {
      const who = finding.state === 'planning' ? finding.drafterDepartmentId : finding.leadDepartmentId;
      if (!worker || dept !== who) {
        return forbidden(finding.state === 'planning' ? '只有负责编制方案的部门可以申请方案报送延期' : '只有牵头整改部门可以申请整改延期', actor);
      }
      if (pendingExtension(finding, ctx.records)) return sequence('已有延期申请待审批');
      return null;
    }
    case 'site_check':
    case 'fail_acceptance':
    case 'accept': {
      const level = currentLevel(finding, ctx);
      const why = acceptorRefusal(finding, level, actor, ctx.departments);
      if (why) return forbidden(why, actor);
      if (name === 'accept' && !siteCheckOf(finding, ctx.records, level, dept)) {
        return sequence(`须先完成${acceptanceLevelLabelsZh[level]}的现场核查，方可验收`);
      }
      return null;
    }
    case 'recheck': {
      const open = activeRechecks(ctx.tasks);
      const own = open.some((t) => t.departmentId !== null && t.departmentId === dept);
      const fieldWorker = (can(actor, 'tasks.work') || can(actor, 'findings.record')) && dept !== null;
      if (!coordinator && !(fieldWorker && own)) return forbidden('只有回头看任务所在部门的人员或联合执法协调员可以报送回头看结果', actor);
      if (!open.length) return sequence('此问题没有待办的回头看任务');
      return null;
    }
  }
}

function missingFacts(rule: WorkflowRule | null): Refusal | null {
  if (!rule) return { status: 400, code: 'invalid_request', message: '未能确定此问题适用的整改规则，请联系管理员', issues: [{ path: 'rule', message: '未能确定适用规则' }] };
  if (rule.status !== 'missing_facts') return null;
  const names = rule.missing.map((m) => missingFactLabelsZh[m]).join('、');
  return {
    status: 400,
    code: 'invalid_request',
    message: `尚不能确定适用的整改规则：缺少${names}，请协调员先行认定后再制定整改方案`,
    issues: rule.missing.map((m) => ({ path: `rule.missing.${m}`, message: `须认定${missingFactLabelsZh[m]}` })),
  };
}

function allowedFromState(state: FindingState): ActionName[] {
  return actionNames.filter((a) => actionStates[a].includes(state));
}

/** The actions this actor may take now; exactly the ones checkAction would not refuse party-wise. */
export function allowedActions(finding: WorkflowFinding, actor: PartyActor, ctx: PartyContext): ActionName[] {
  return allowedFromState(finding.state).filter((a) => refusal(a, finding, actor, ctx) === null);
}

// ---- Deciding a request ---------------------------------------------------------------------------

/** A task change a step makes (also used for ad-hoc tasks opened by hand). */
export type TaskEffect =
  | { action: 'open'; kind: TaskKind; departmentId: number | null; dueDate?: string | null; instruction?: string | null; assigneeUserId?: number | null }
  | { action: 'close'; kind: TaskKind; departmentId?: number | null; taskId?: number }
  | { action: 'return'; kind: TaskKind; departmentId: number | null; dueDate?: string }
  | { action: 'reschedule'; kind: TaskKind; departmentId?: number | null; dueDate: string }
  | { action: 'cancel'; kinds?: readonly TaskKind[]; exceptKinds?: readonly TaskKind[]; departmentId?: number | null; reason: string };
export type TaskChange = TaskEffect;

/** A determination (rules.ts recordDetermination) a step records. */
export interface Determination {
  fact: 'zone' | 'approval' | 'timing' | 'legality';
  value: string;
  basis: string;
}

/** What an accepted request changes. */
export interface AcceptedAction {
  ok: true;
  action: ActionName;
  next: FindingState;
  data: TransitionBody;
  /** The finding's fields the step sets (besides state and version). */
  patch: Partial<WorkflowFinding>;
  taskEffects: TaskEffect[];
  records: RecordDraft[];
  determinations: Determination[];
  /** True when this step leaves `closed` (the stored closure is then marked reopened). */
  leavesClosure: boolean;
}

export type ActionResult = AcceptedAction | { ok: false; status: 400 | 403 | 409; error: { code: WorkflowErrorCode; message: string; issues?: ErrorIssue[] } };

/** Attachment ids a body cites (evidenceIds, assessmentEvidenceIds and the ticks'), deduplicated. */
export function citedEvidenceIds(body: unknown): number[] {
  const ids = new Set<number>();
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const id of list) if (Number.isInteger(id) && id > 0) ids.add(id);
  };
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    add(record.evidenceIds);
    add(record.assessmentEvidenceIds);
    if (Array.isArray(record.ticks)) for (const tick of record.ticks) if (tick && typeof tick === 'object') add((tick as Record<string, unknown>).evidenceIds);
  }
  return [...ids];
}

const head = z.looseObject({
  action: z.enum(actionNames, { error: `操作 action 须为以下之一：${actionNames.join('、')}` }),
  version,
});

function fail(status: 400 | 403 | 409, code: WorkflowErrorCode, message: string, issues?: ErrorIssue[]): ActionResult {
  return { ok: false, status, error: issues && issues.length ? { code, message, issues } : { code, message } };
}

function invalid(issues: ErrorIssue[]): ActionResult {
  const fields = [...new Set(issues.map((i) => i.path))].join('、');
  return fail(400, 'invalid_request', `请求内容有误：${fields}`, issues);
}

/** Builds the 公示 notice (zh) from the record; stored on the finding when publicity starts. */
export function publicityNoticeZh(
  facts: NoticeFacts,
  measures: readonly RectificationMeasure[],
  opinion: string,
  acceptedBy: readonly string[],
  startOn: string,
  endOn: string,
): string {
  const measureText = measures.length ? measures.map((m) => measureLabelsZh[m]).join('、') : '（方案未列明）';
  const place = [facts.countyNameZh, facts.areaNamesZh.join('、')].filter(Boolean).join(' ');
  return [
    `关于问题 ${facts.serial} 整改销号的公示`,
    `问题名称：${facts.title}`,
    `所在位置：${place || '（未确定）'}`,
    `问题情况：${facts.description}`,
    `整改措施：${measureText}`,
    `验收情况：经${acceptedBy.join('、')}验收，验收意见为：${opinion}`,
    `公示期：${startOn} 至 ${endOn}`,
    `对公示内容有异议的，请于公示期内${facts.objectionsToZh}`,
  ].join('\n');
}

/**
 * Decides a request: 409 when the version or state (or the order of sub-steps) does not allow it, 403
 * when the actor may not take it, 400 naming every missing or bad field; otherwise the next state, the
 * finding's changes, the task changes, the records and determinations to write in the same transaction.
 */
export function checkAction(finding: WorkflowFinding, actor: PartyActor, body: unknown, ctx: ActionContext): ActionResult {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ctx.today)) throw new TypeError(`ctx.today must be YYYY-MM-DD, got ${ctx.today}`);
  if (body && typeof body === 'object' && 'to' in body && !('action' in body)) {
    return invalid([{ path: 'action', message: '请用 action 指明要办理的操作（to 字段已停用）' }]);
  }
  const envelope = head.safeParse(body);
  if (!envelope.success) return invalid(zodIssues(envelope.error));
  const name = envelope.data.action;
  if (finding.version !== undefined && envelope.data.version !== finding.version) {
    return fail(409, 'conflict', `此问题已被他人更新（当前版本 ${finding.version}，提交的版本 ${envelope.data.version}），请刷新后重试`);
  }
  const refused = refusal(name, finding, actor, ctx);
  if (refused) return fail(refused.status, refused.code, refused.message, refused.issues);

  const parsed = actionBodies[name].safeParse(body);
  if (!parsed.success) return invalid(zodIssues(parsed.error));
  const data = parsed.data as TransitionBody;

  const issues: ErrorIssue[] = [];
  const cited = citedEvidenceIds(data);
  const found = new Set(ctx.evidence.map((e) => e.id));
  const absent = cited.filter((id) => !found.has(id));
  if (absent.length) issues.push({ path: 'evidenceIds', message: `引用的附件中有 ${absent.length} 个不存在或不属于此问题（编号 ${absent.join('、')}）` });
  const notBefore = (path: string, value: string, limit: string, what: string) => {
    if (value < limit) issues.push({ path, message: `${what}不能早于 ${limit}` });
  };
  const notAfter = (path: string, value: string, limit: string, what: string) => {
    if (value > limit) issues.push({ path, message: `${what}不能晚于 ${limit}` });
  };
  const knownDepartment = (path: string, id: number | undefined) => {
    if (id !== undefined && !node(ctx.departments, id)) issues.push({ path, message: `编号为 ${id} 的部门不存在` });
  };

  const patch: Partial<WorkflowFinding> = {};
  const taskEffects: TaskEffect[] = [];
  const records: RecordDraft[] = [];
  const determinations: Determination[] = [];
  let next: FindingState = finding.state;
  const round = finding.round;
  const record = (kind: RecordKind, departmentId: number | null, d: Record<string, unknown>, r = round) => records.push({ kind, round: r, departmentId, data: d });
  const { action: _a, version: _v, ...fields } = data as TransitionBody & Record<string, unknown>;
  const dept = actor.departmentId;

  switch (data.action) {
    case 'dispatch':
    case 'overturn':
    case 'reopen': {
      knownDepartment('verifyingDepartmentId', data.verifyingDepartmentId);
      notBefore('dueDate', data.dueDate, ctx.today, '核查期限');
      next = 'verifying';
      patch.verifyingDepartmentId = data.verifyingDepartmentId;
      patch.verificationOutcome = null;
      if (finding.state !== 'clue') patch.round = round + 1;
      if (data.action === 'reopen') taskEffects.push({ action: 'cancel', kinds: ['recheck'], reason: '问题已重新打开核查' });
      taskEffects.push({
        action: 'open',
        kind: 'verify',
        departmentId: data.verifyingDepartmentId,
        dueDate: data.dueDate,
        instruction: data.action === 'dispatch' ? (data.instruction ?? null) : data.reason,
      });
      break;
    }
    case 'confirm': {
      next = 'confirmed';
      patch.verificationOutcome = data.outcome;
      taskEffects.push({ action: 'close', kind: 'verify' });
      // 绿盾 sorts 属实 problems into 历史遗留 (predating the area) and 新增违法违规 (after it, unlawful).
      if (data.outcome === 'historical') determinations.push({ fact: 'timing', value: 'historical', basis: data.conclusion });
      else determinations.push({ fact: 'timing', value: 'new', basis: data.conclusion }, { fact: 'legality', value: 'illegal', basis: data.conclusion });
      break;
    }
    case 'dismiss': {
      next = 'dismissed';
      patch.verificationOutcome = data.outcome;
      for (const key of ['approvedOn', 'observedOn', 'rectifiedOn'] as const) {
        const v = data[key];
        if (v !== undefined) notAfter(key, v, ctx.today, '该日期');
      }
      taskEffects.push({ action: 'close', kind: 'verify' }, { action: 'cancel', reason: '核查结论为不予认定，问题办结' });
      break;
    }
    case 'assign_plan': {
      knownDepartment('leadDepartmentId', data.leadDepartmentId);
      data.cooperatingDepartmentIds.forEach((id, i) => knownDepartment(`cooperatingDepartmentIds.${i}`, id));
      knownDepartment('drafterDepartmentId', data.drafterDepartmentId);
      knownDepartment('acceptingDepartmentId', data.acceptingDepartmentId);
      notBefore('planDueDate', data.planDueDate, ctx.today, '方案报送期限');
      const rect = [data.leadDepartmentId, ...data.cooperatingDepartmentIds];
      if (data.acceptingDepartmentId !== undefined) {
        const accepting = node(ctx.departments, data.acceptingDepartmentId);
        const dependence = accepting && dependenceOf(accepting.id, rect, ctx.departments);
        if (accepting && accepting.level !== 'city') issues.push({ path: 'acceptingDepartmentId', message: '指定的市级验收部门须为市级部门' });
        else if (dependence) issues.push({ path: 'acceptingDepartmentId', message: `验收部门须独立于整改部门：${dependence}` });
      }
      const drafter = data.drafterDepartmentId ?? ctx.managingDepartmentId ?? data.leadDepartmentId;
      next = 'planning';
      Object.assign(patch, {
        leadDepartmentId: data.leadDepartmentId,
        cooperatingDepartmentIds: data.cooperatingDepartmentIds,
        drafterDepartmentId: drafter,
        acceptingDepartmentId: data.acceptingDepartmentId ?? null,
        planDueOn: data.planDueDate,
      });
      record('plan_assignment', drafter, { ...fields, drafterDepartmentId: drafter });
      taskEffects.push({ action: 'open', kind: 'plan', departmentId: drafter, dueDate: data.planDueDate, instruction: data.instruction ?? null });
      break;
    }
    case 'submit_plan': {
      const rule = ctx.rule!;
      notBefore('deadline', data.deadline, ctx.today, '整改完成时限');
      const notAllowed = data.measures.filter((m) => !rule.allowedMeasures.includes(m));
      const lacking = rule.requiredMeasures.filter((m) => !data.measures.includes(m));
      if (notAllowed.length || lacking.length) {
        const parts = [
          notAllowed.length ? `不允许的措施：${notAllowed.map((m) => measureLabelsZh[m]).join('、')}` : '',
          lacking.length ? `缺少必需的措施：${lacking.map((m) => measureLabelsZh[m]).join('、')}` : '',
        ].filter(Boolean);
        issues.push({ path: 'measures', message: `整改措施不符合适用规则（${parts.join('；')}）。规则：${rule.basisZh}（依据：${rule.sourceZh}）` });
      }
      if (rule.requiresAssessment && !(data.assessmentEvidenceIds?.length)) {
        issues.push({ path: 'assessmentEvidenceIds', message: `适用规则要求科学评估，须附科学评估报告（依据：${rule.sourceZh}）` });
      }
      const reviewers = planReviewers(rule, finding.countyCode, ctx.departments);
      record('plan_submission', dept, { ...fields, reviewerDepartmentIds: reviewers });
      taskEffects.push({ action: 'close', kind: 'plan' });
      for (const r of reviewers) taskEffects.push({ action: 'open', kind: 'review', departmentId: r, dueDate: finding.planDueOn, instruction: '请审查整改方案并签署意见' });
      if (!reviewers.length) {
        // No reviewer department exists at all: the plan stands as submitted (门户默认, so the chain can still move).
        next = 'rectifying';
        Object.assign(patch, { deadline: data.deadline, measures: data.measures });
        for (const d of rectifiers(finding)) taskEffects.push({ action: 'open', kind: 'rectify', departmentId: d, dueDate: data.deadline, instruction: data.targets });
      }
      break;
    }
    case 'review_plan': {
      const plan = currentPlan(ctx.records);
      record('plan_review', dept, fields);
      taskEffects.push({ action: 'close', kind: 'review', departmentId: dept });
      if (data.decision === 'return') {
        taskEffects.push({ action: 'cancel', kinds: ['review'], reason: '整改方案已被退回修改' }, { action: 'return', kind: 'plan', departmentId: finding.drafterDepartmentId });
      } else {
        const approved = new Set(plan.reviews.filter((r) => r.data.decision === 'approve').map((r) => r.departmentId));
        approved.add(dept);
        if (plan.reviewerIds.every((id) => approved.has(id))) {
          const submitted = plan.submission!.data as { measures: RectificationMeasure[]; deadline: string; targets: string };
          next = 'rectifying';
          Object.assign(patch, { deadline: submitted.deadline, measures: submitted.measures });
          for (const d of rectifiers(finding)) taskEffects.push({ action: 'open', kind: 'rectify', departmentId: d, dueDate: submitted.deadline, instruction: submitted.targets });
        }
      }
      break;
    }
    case 'record_progress': {
      notAfter('progressOn', data.progressOn, ctx.today, '进展日期');
      record('progress', dept, fields);
      break;
    }
    case 'report_part': {
      record('part_report', dept, fields);
      taskEffects.push({ action: 'close', kind: 'rectify', departmentId: dept });
      const reported = new Set(partReports(finding, ctx.records).map((r) => r.departmentId));
      reported.add(dept);
      if (rectifiers(finding).every((d) => reported.has(d))) {
        const level = ctx.config.acceptanceLevels[0];
        next = 'pending_acceptance';
        patch.acceptanceLevel = level;
        const acceptDept = acceptTaskDepartment(level, finding, ctx.departments);
        taskEffects.push({ action: 'open', kind: 'accept', departmentId: acceptDept, dueDate: addDays(ctx.today, acceptanceTaskDays), instruction: acceptanceLevelLabelsZh[level] });
      }
      break;
    }
    case 'request_extension': {
      const current = finding.state === 'planning' ? finding.planDueOn : finding.deadline;
      if (current !== null && data.requestedDeadline <= current) issues.push({ path: 'requestedDeadline', message: `申请的期限须晚于当前期限 ${current}` });
      notBefore('requestedDeadline', data.requestedDeadline, ctx.today, '申请的期限');
      record('extension_request', dept, { ...fields, target: finding.state === 'planning' ? 'plan' : 'rectify', currentDeadline: current });
      break;
    }
    case 'decide_extension': {
      const request = pendingExtension(finding, ctx.records)!;
      const requested = request.data.requestedDeadline as string;
      record('extension_decision', dept, { ...fields, target: request.data.target, requestedDeadline: requested });
      if (data.decision === 'approve') {
        if (finding.state === 'planning') {
          patch.planDueOn = requested;
          taskEffects.push({ action: 'reschedule', kind: 'plan', dueDate: requested });
        } else {
          patch.deadline = requested;
          taskEffects.push({ action: 'reschedule', kind: 'rectify', dueDate: requested });
        }
      }
      break;
    }
    case 'site_check': {
      const reportAt = lastCompletionReportAt(finding, ctx.records);
      const reportDay = reportAt ? dayIn(ctx.timeZone, new Date(reportAt)) : null;
      notAfter('checkedOn', data.checkedOn, ctx.today, '现场核查日期');
      if (reportDay) notBefore('checkedOn', data.checkedOn, reportDay, '现场核查日期（整改完成报送之后）');
      if (reportAt) {
        const cited = ctx.evidence.filter((e) => data.evidenceIds.includes(e.id));
        const early = cited.filter((e) => e.uploadedAt <= reportAt).map((e) => e.id);
        if (early.length) issues.push({ path: 'evidenceIds', message: `现场核查照片须在整改完成报送（${reportDay}）之后上传；编号 ${early.join('、')} 的附件上传于报送之前` });
        // An old photo uploaded late is still an old photo: its EXIF time, when it has one, must be after the report too.
        const takenEarly = cited.filter((e) => e.uploadedAt > reportAt && e.takenAt && e.takenAt <= reportAt).map((e) => e.id);
        if (takenEarly.length) issues.push({ path: 'evidenceIds', message: `现场核查照片须拍摄于整改完成报送（${reportDay}）之后；编号 ${takenEarly.join('、')} 的照片拍摄于报送之前（照片元数据）` });
      }
      record('site_check', dept, { ...fields, level: currentLevel(finding, ctx) });
      break;
    }
    case 'accept': {
      const rule = ctx.rule;
      if (!rule) return fail(400, 'invalid_request', '未能确定此问题适用的整改规则，不能验收');
      const level = currentLevel(finding, ctx);
      const reportAt = lastCompletionReportAt(finding, ctx.records);
      const reportDay = reportAt ? dayIn(ctx.timeZone, new Date(reportAt)) : ctx.today;
      const byCode = new Map(rule.conditions.map((c) => [c.code, c]));
      const ticked = new Set<string>();
      data.ticks.forEach((tick, i) => {
        const condition = byCode.get(tick.code);
        if (!condition) {
          issues.push({ path: `ticks.${i}.code`, message: `“${tick.code}”不是此问题适用的销号条件` });
          return;
        }
        if (ticked.has(tick.code)) issues.push({ path: `ticks.${i}.code`, message: `销号条件“${condition.labelZh}”重复勾选` });
        ticked.add(tick.code);
        if (condition.observationDays) {
          const from = addDays(reportDay, condition.observationDays);
          if (ctx.today < from) {
            issues.push({
              path: `ticks.${i}.code`,
              message: `“${condition.labelZh}”须自整改完成报送（${reportDay}）起观察 ${condition.observationDays} 天，${from} 起方可勾选`,
            });
          }
        }
      });
      const missing = rule.conditions.filter((c) => !ticked.has(c.code)).map((c) => c.labelZh);
      if (missing.length) issues.push({ path: 'ticks', message: `以下销号条件尚未勾选：${missing.join('、')}` });
      record('acceptance', dept, { ...fields, level });
      taskEffects.push({ action: 'close', kind: 'accept' });
      if (level === 'city') patch.acceptingDepartmentId = dept;
      const levels = ctx.config.acceptanceLevels;
      const following = levels[levels.indexOf(level) + 1];
      if (following) {
        patch.acceptanceLevel = following;
        const f = { ...finding, ...patch } as WorkflowFinding;
        taskEffects.push({
          action: 'open',
          kind: 'accept',
          departmentId: acceptTaskDepartment(following, f, ctx.departments),
          dueDate: addDays(ctx.today, acceptanceTaskDays),
          instruction: acceptanceLevelLabelsZh[following],
        });
      } else {
        next = 'publicising';
        const endOn = addDays(ctx.today, ctx.config.publicityDays);
        const plan = currentPlan(ctx.records).submission;
        const measures = ((plan?.data.measures as RectificationMeasure[] | undefined) ?? []).slice();
        const acceptors = ctx.records
          .filter((r) => r.kind === 'acceptance' && r.round === round)
          .map((r) => r.departmentId)
          .concat(dept)
          .map((id) => node(ctx.departments, id)?.nameZh)
          .filter((n): n is string => !!n);
        Object.assign(patch, {
          acceptanceLevel: null,
          publicityStartOn: ctx.today,
          publicityEndOn: endOn,
          publicityNotice: ctx.notice ? publicityNoticeZh(ctx.notice, measures, data.opinion, [...new Set(acceptors)], ctx.today, endOn) : null,
        });
      }
      break;
    }
    case 'fail_acceptance': {
      notBefore('deadline', data.deadline, ctx.today, '重新整改期限');
      record('acceptance_failure', dept, { ...fields, level: currentLevel(finding, ctx) });
      next = 'rectifying';
      Object.assign(patch, { deadline: data.deadline, acceptanceLevel: null, round: round + 1 });
      taskEffects.push({ action: 'close', kind: 'accept' });
      for (const d of rectifiers(finding)) taskEffects.push({ action: 'return', kind: 'rectify', departmentId: d, dueDate: data.deadline });
      break;
    }
    case 'record_objection': {
      notAfter('receivedOn', data.receivedOn, ctx.today, '收到异议日期');
      if (data.deadline !== undefined) notBefore('deadline', data.deadline, ctx.today, '重新整改期限');
      record('objection', dept, { ...fields, publicityStartOn: finding.publicityStartOn, publicityEndOn: finding.publicityEndOn });
      if (data.upheld) {
        next = 'rectifying';
        Object.assign(patch, { deadline: data.deadline!, round: round + 1, publicityStartOn: null, publicityEndOn: null, publicityNotice: null });
        for (const d of rectifiers(finding)) taskEffects.push({ action: 'return', kind: 'rectify', departmentId: d, dueDate: data.deadline! });
      }
      break;
    }
    case 'close': {
      if (finding.publicityEndOn !== null) notBefore('closedOn', data.closedOn, finding.publicityEndOn, '销号日期（公示期满之后）');
      notAfter('closedOn', data.closedOn, ctx.today, '销号日期');
      next = 'closed';
      Object.assign(patch, { closedOn: data.closedOn, closingDocumentNo: data.closingDocumentNo });
      taskEffects.push({ action: 'cancel', exceptKinds: ['recheck'], reason: '问题已销号' });
      // 回头看: re-checks fall due N months after closing, assigned to the department that verified the site.
      if (finding.verifyingDepartmentId !== null) {
        for (const months of ctx.config.recheckMonths) {
          taskEffects.push({
            action: 'open',
            kind: 'recheck',
            departmentId: finding.verifyingDepartmentId,
            dueDate: addMonths(data.closedOn, months),
            instruction: `销号后 ${months} 个月回头看：核实整改成效是否保持`,
          });
        }
      }
      break;
    }
    case 'recheck': {
      const task = activeRechecks(ctx.tasks).find((t) => t.id === data.taskId);
      const coordinator = can(actor, 'findings.assign');
      if (!task) issues.push({ path: 'taskId', message: `编号为 ${data.taskId} 的任务不是此问题待办的回头看任务` });
      else if (!coordinator && task.departmentId !== dept) return fail(403, 'forbidden', '只能报送本部门的回头看任务');
      if (data.dueDate !== undefined) notBefore('dueDate', data.dueDate, ctx.today, '核查期限');
      record('recheck', dept, fields);
      taskEffects.push({ action: 'close', kind: 'recheck', taskId: data.taskId });
      if (data.result === 'recurred') {
        next = 'verifying';
        Object.assign(patch, { round: round + 1, verificationOutcome: null });
        taskEffects.push(
          { action: 'cancel', kinds: ['recheck'], reason: '回头看发现问题复发，已重新核查' },
          { action: 'open', kind: 'verify', departmentId: finding.verifyingDepartmentId, dueDate: data.dueDate!, instruction: data.note },
        );
      }
      break;
    }
  }
  if (issues.length) return invalid(issues);
  const leavesClosure = finding.state === 'closed' && next !== 'closed';
  // The closing's dates and 文号 stay in its frozen snapshot; the reopened record starts without them.
  if (leavesClosure) Object.assign(patch, { closedOn: null, closingDocumentNo: null, publicityStartOn: null, publicityEndOn: null, publicityNotice: null });
  return { ok: true, action: name, next, data, patch, taskEffects, records, determinations, leavesClosure };
}

// ---- Applying an accepted step ---------------------------------------------------------------------

/** Task statuses still to be worked on (new, taken up, or sent back). */
export const activeTaskStatuses = ['open', 'in_progress', 'returned'] as const satisfies readonly TaskStatus[];

const isActive = (status: TaskStatus) => (activeTaskStatuses as readonly string[]).includes(status);

/** Applies task changes to a finding's tasks at time `at`; changed and opened tasks are marked `changed`. */
export function applyTaskEffects(tasks: readonly StepTask[], effects: readonly TaskEffect[], at: string): StepTask[] {
  const out = tasks.map((t) => ({ ...t }));
  const inDept = (t: StepTask, departmentId: number | null | undefined) => departmentId === undefined || t.departmentId === departmentId;
  for (const e of effects) {
    switch (e.action) {
      case 'open':
        out.push({
          kind: e.kind,
          departmentId: e.departmentId,
          status: 'open',
          dueOn: e.dueDate ?? null,
          version: 1,
          closedAt: null,
          changed: true,
          instruction: e.instruction ?? null,
          ...(e.assigneeUserId !== undefined ? { assigneeUserId: e.assigneeUserId } : {}),
        });
        break;
      case 'close':
        for (const t of out) {
          if (t.kind === e.kind && inDept(t, e.departmentId) && (e.taskId === undefined || t.id === e.taskId) && isActive(t.status)) {
            Object.assign(t, { status: 'done', closedAt: at, version: t.version + 1, changed: true });
          }
        }
        break;
      case 'return': {
        // Sends back the most recent task of that kind and department (a failed acceptance, a returned plan).
        const latest = out.filter((t) => t.kind === e.kind && t.departmentId === e.departmentId).at(-1);
        if (latest) Object.assign(latest, { status: 'returned', closedAt: null, version: latest.version + 1, changed: true, ...(e.dueDate ? { dueOn: e.dueDate } : {}) });
        break;
      }
      case 'reschedule':
        for (const t of out) {
          if (t.kind === e.kind && inDept(t, e.departmentId) && isActive(t.status)) Object.assign(t, { dueOn: e.dueDate, version: t.version + 1, changed: true });
        }
        break;
      case 'cancel':
        for (const t of out) {
          if (!isActive(t.status) || !inDept(t, e.departmentId)) continue;
          if (e.kinds && !e.kinds.includes(t.kind)) continue;
          if (e.exceptKinds?.includes(t.kind)) continue;
          Object.assign(t, { status: 'cancelled', closedAt: at, cancelReason: e.reason, version: t.version + 1, changed: true });
        }
        break;
    }
  }
  return out;
}

/** The audit event of a step: the state it left, the state it reached and what the request carried. */
export function stepEvent(from: FindingState, result: AcceptedAction) {
  const { version: _v, ...recorded } = result.data as TransitionBody & { version?: number };
  return { action: `finding.${result.action}`, before: { state: from }, after: { state: result.next, ...recorded } };
}

/**
 * Applies an accepted step (the `ok` result of `checkAction`) at time `at`: the finding after it, its
 * tasks with the step's effects, the records to insert and the audit event. The only place a step
 * changes a finding; the HTTP transition and the sample-data seeder both write what this returns.
 */
export function applyStep<F extends WorkflowFinding & { version: number }>(
  finding: F,
  tasks: readonly StepTask[],
  result: AcceptedAction,
  at: string,
): { finding: F; tasks: StepTask[]; records: RecordDraft[]; event: ReturnType<typeof stepEvent> } {
  const next = { ...finding, ...result.patch, state: result.next, version: finding.version + 1 } as F;
  return { finding: next, tasks: applyTaskEffects(tasks, result.taskEffects, at), records: result.records, event: stepEvent(finding.state, result) };
}

// ---- Derived deadlines (never stored) -------------------------------------------------------------

/** The deadline facts of a finding. */
export interface DeadlineFinding {
  state: FindingState;
  deadline: string | null;
  planDueOn?: string | null;
  clueDueOn?: string | null;
  /** Due date of the active verify task. */
  verifyDueDate?: string | null;
}

/**
 * The deadline that runs now: the clue's dispatch deadline; the verify task's due date; the plan's due
 * date while planning; the rectification deadline while rectifying. None while pending_acceptance or
 * publicising — the clock pauses while the finding waits on the acceptor or the 公示 (the accept task
 * carries its own due date) — and none once dismissed or closed.
 */
export function runningDeadline(finding: DeadlineFinding): string | null {
  switch (finding.state) {
    case 'clue':
      return finding.clueDueOn ?? null;
    case 'verifying':
      return finding.verifyDueDate ?? null;
    case 'planning':
      return finding.planDueOn ?? null;
    case 'rectifying':
      return finding.deadline;
    default:
      return null;
  }
}

/** Whole days past the running deadline (0 when on time or without one); the deadline day itself is on time. */
export function daysOverdue(finding: DeadlineFinding, today: string): number {
  const deadline = runningDeadline(finding);
  if (deadline === null) return 0;
  return Math.max(0, dayNumber(today) - dayNumber(deadline));
}

/** True when the running deadline has passed. */
export function overdue(finding: DeadlineFinding, today: string): boolean {
  return daysOverdue(finding, today) > 0;
}

/** True when overdue by at least `escalateAfterDays` days: the first 督办 level (通报) is due. */
export function escalated(finding: DeadlineFinding, today: string, escalateAfterDays = 30): boolean {
  return daysOverdue(finding, today) >= escalateAfterDays;
}
