/**
 * The rectification chain as pure functions: each action's parties, required fields and state checks,
 * independence of the acceptor, joint sign-off, observation periods, the deadline pause, publicity and
 * re-checks. A small simulator plays the service's part (records and tasks kept between steps) so a
 * finding can be walked through the chain without a database. Expected values are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import {
  actionNames,
  actionStates,
  addDays,
  addMonths,
  allowedActions,
  applyStep,
  applyTaskEffects,
  checkAction,
  currentPlan,
  daysOverdue,
  dependenceOf,
  overdue,
  planReviewers,
  newClue,
  requiredFields,
  runningDeadline,
  transitionBody,
  type ActionContext,
  type ActionName,
  type ActionResult,
  type DepartmentNode,
  type FindingState,
  type StepTask,
  type WorkflowFinding,
  type WorkflowRecord,
  type WorkflowRule,
} from '../../server/features/findings/workflow.ts';
import { chainView, type FindingFacts } from '../../server/features/findings/transitions.service.ts';
import type { Role } from '../../server/lib/vocabulary.ts';

const TODAY = '2026-05-10';
const QZ = '370781';
const LQ = '370724';

// The department graph: city bureaus with county branches, a management body, a province department.
const CITY_ECO = 1;
const CITY_NR = 2;
const CITY_FOR = 3;
const CITY_WATER = 4;
const CITY_AGRI = 5;
const QZ_ECO = 10;
const QZ_NR = 11;
const QZ_WATER = 12;
const QZ_GOV = 13;
const LQ_ECO = 20;
const MB = 30;
const PROV = 40;

const departments: DepartmentNode[] = [
  { id: CITY_ECO, nameZh: '潍坊市生态环境局', kind: 'ecology_environment', level: 'city', parentId: null, countyCode: null },
  { id: CITY_NR, nameZh: '潍坊市自然资源和规划局', kind: 'natural_resources', level: 'city', parentId: null, countyCode: null },
  { id: CITY_FOR, nameZh: '潍坊市林业局', kind: 'forestry', level: 'city', parentId: null, countyCode: null },
  { id: CITY_WATER, nameZh: '潍坊市水利局', kind: 'water', level: 'city', parentId: null, countyCode: null },
  { id: CITY_AGRI, nameZh: '潍坊市农业农村局', kind: 'agriculture', level: 'city', parentId: null, countyCode: null },
  { id: QZ_ECO, nameZh: '青州分局', kind: 'ecology_environment', level: 'county', parentId: CITY_ECO, countyCode: QZ },
  { id: QZ_NR, nameZh: '青州市自然资源局', kind: 'natural_resources', level: 'county', parentId: CITY_NR, countyCode: QZ },
  { id: QZ_WATER, nameZh: '青州市水利局', kind: 'water', level: 'county', parentId: CITY_WATER, countyCode: QZ },
  { id: QZ_GOV, nameZh: '青州市人民政府', kind: 'county_government', level: 'county', parentId: null, countyCode: QZ },
  { id: LQ_ECO, nameZh: '临朐分局', kind: 'ecology_environment', level: 'county', parentId: CITY_ECO, countyCode: LQ },
  { id: MB, nameZh: '仰天山管理机构', kind: 'management_body', level: 'area', parentId: null, countyCode: QZ },
  { id: PROV, nameZh: '山东省生态环境厅', kind: 'ecology_environment', level: 'province', parentId: null, countyCode: null },
];

const rule: WorkflowRule = {
  status: 'resolved',
  missing: [],
  sourceZh: '国环规生态〔2022〕1号 附件 一',
  basisZh: '核心区内的采矿活动须退出并开展生态修复',
  allowedMeasures: ['exit', 'two_cuts_three_clears', 'restore'],
  requiredMeasures: ['exit', 'restore'],
  requiresAssessment: false,
  reviewerKinds: ['ecology_environment', 'natural_resources', 'forestry'],
  conditions: [
    { code: 'project_exited', labelZh: '项目退出', observationDays: null },
    { code: 'restoration_stable', labelZh: '生态修复效果呈稳定或趋好状态', observationDays: 90 },
  ],
};

const config = { ...loadConfig({ LOG_LEVEL: 'silent' }) };

type Actor = { role: Role; departmentId: number | null };
const coordinator: Actor = { role: 'coordinator', departmentId: CITY_ECO };
const officer = (departmentId: number): Actor => ({ role: 'officer', departmentId });
const inspector = (departmentId: number): Actor => ({ role: 'inspector', departmentId });

const blank = (state: FindingState, overrides: Partial<WorkflowFinding> = {}): WorkflowFinding & { version: number } => ({
  ...newClue(QZ),
  state,
  ...overrides,
});

/** Plays the service: keeps the finding, its tasks, records and uploads between steps, on a movable "today". */
class Sim {
  finding: WorkflowFinding & { version: number };
  tasks: StepTask[] = [];
  records: WorkflowRecord[] = [];
  uploads: Array<{ id: number; uploadedAt: string; takenAt?: string | null }> = [];
  today = TODAY;
  rule: WorkflowRule = rule;
  managingDepartmentId: number | null = MB;
  levels: Array<'county' | 'city' | 'province'> = ['county', 'city'];
  private tick = 0;
  private nextTaskId = 100;

  constructor(state: FindingState = 'clue', overrides: Partial<WorkflowFinding> = {}) {
    this.finding = blank(state, overrides);
  }

  /** A timestamp on "today", later than every earlier one. */
  now(): string {
    this.tick += 1;
    return new Date(Date.parse(`${this.today}T02:00:00.000Z`) + this.tick * 1000).toISOString();
  }

  upload(): number {
    const id = this.uploads.length + 1;
    this.uploads.push({ id, uploadedAt: this.now() });
    return id;
  }

  moveDays(days: number): void {
    this.today = addDays(this.today, days);
  }

  ctx(): ActionContext {
    return {
      today: this.today,
      timeZone: 'Asia/Shanghai',
      config: { ...config, acceptanceLevels: this.levels },
      departments,
      records: this.records,
      tasks: this.tasks,
      rule: this.rule,
      evidence: this.uploads,
      managingDepartmentId: this.managingDepartmentId,
      notice: { serial: 'WF-2026-0001', title: '仰天山采石场', description: '核心区内采石', areaNamesZh: ['仰天山国家森林公园'], countyNameZh: '青州市', objectionsToZh: '向联合执法协调机构书面反映' },
    };
  }

  try(actor: Actor, body: Record<string, unknown>): ActionResult {
    return checkAction(this.finding, actor, { version: this.finding.version, ...body }, this.ctx());
  }

  step(actor: Actor, body: Record<string, unknown>) {
    const result = this.try(actor, body);
    if (!result.ok) throw new Error(`${String(body.action)} refused: ${result.status} ${result.error.message} ${JSON.stringify(result.error.issues ?? [])}`);
    const at = this.now();
    const applied = applyStep(this.finding, this.tasks, result, at);
    this.finding = applied.finding;
    this.tasks = applied.tasks.map(({ changed: _c, ...t }) => (t.id === undefined ? { ...t, id: this.nextTaskId++ } : t));
    this.records.push(...applied.records.map((r) => ({ ...r, at, createdBy: 1 })));
    return result;
  }

  allowed(actor: Actor): ActionName[] {
    return allowedActions(this.finding, actor, this.ctx());
  }

  active(kind?: StepTask['kind']): Array<Pick<StepTask, 'kind' | 'departmentId' | 'dueOn' | 'status'>> {
    return this.tasks
      .filter((t) => ['open', 'in_progress', 'returned'].includes(t.status) && (kind === undefined || t.kind === kind))
      .map((t) => ({ kind: t.kind, departmentId: t.departmentId, dueOn: t.dueOn, status: t.status }));
  }
}

// ---- Walking to a state -----------------------------------------------------------------------------

function toVerifying(): Sim {
  const s = new Sim();
  s.step(coordinator, { action: 'dispatch', verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-25', instruction: '请现场核查' });
  return s;
}

function toConfirmed(): Sim {
  const s = toVerifying();
  s.step(officer(QZ_ECO), { action: 'confirm', outcome: 'illegal', conclusion: '现场确有采石作业', evidenceIds: [s.upload()] });
  return s;
}

function toPlanning(extra: Record<string, unknown> = {}): Sim {
  const s = toConfirmed();
  s.step(coordinator, { action: 'assign_plan', leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [QZ_WATER], planDueDate: '2026-06-10', ...extra });
  return s;
}

const goodPlan = { responsibleParty: '青州市自然资源局', targets: '2026 年底前完成退出和复绿', measures: ['exit', 'restore'], deadline: '2026-12-31' };

function toRectifying(extra: Record<string, unknown> = {}): Sim {
  const s = toPlanning(extra);
  s.step(officer(MB), { action: 'submit_plan', ...goodPlan });
  for (const d of currentPlan(s.records).reviewerIds) s.step(officer(d), { action: 'review_plan', decision: 'approve', opinion: '同意' });
  return s;
}

function toPendingAcceptance(extra: Record<string, unknown> = {}): Sim {
  const s = toRectifying(extra);
  for (const d of [s.finding.leadDepartmentId!, ...s.finding.cooperatingDepartmentIds]) {
    s.step(officer(d), { action: 'report_part', report: '本部门承担的整改已完成', evidenceIds: [s.upload()] });
  }
  return s;
}

function acceptLevel(s: Sim, actor: Actor) {
  s.step(actor, { action: 'site_check', checkedOn: s.today, people: '张三、李四', note: '现场已复绿', evidenceIds: [s.upload()] });
  s.step(actor, { action: 'accept', ticks: rule.conditions.map((c) => ({ code: c.code, evidenceIds: [s.upload()] })), opinion: '整改到位' });
}

function toPublicising(): Sim {
  const s = toPendingAcceptance();
  s.moveDays(90);
  acceptLevel(s, officer(QZ_ECO));
  acceptLevel(s, officer(CITY_FOR));
  return s;
}

function toClosed(): Sim {
  const s = toPublicising();
  s.moveDays(config.publicityDays);
  s.step(coordinator, { action: 'close', closedOn: s.today, closingDocumentNo: '潍保联办〔2026〕12号' });
  return s;
}

const refusedWith = (r: ActionResult) => (r.ok ? 'ok' : `${r.status} ${r.error.code}`);
const issuePaths = (r: ActionResult) => (r.ok ? [] : (r.error.issues ?? []).map((i) => i.path));
const issuesOf = (r: ActionResult) => (r.ok ? null : r.error.issues);
const message = (r: ActionResult) => (r.ok ? '' : r.error.message);

// ---- The table ----------------------------------------------------------------------------------

describe('the action table', () => {
  it('takes each action from the states of the spec', () => {
    expect(actionStates).toEqual({
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
    });
  });

  it('requires the fields of the spec for every action', () => {
    const required = Object.fromEntries(actionNames.map((a) => [a, requiredFields(a).sort()]));
    expect(required).toEqual({
      dispatch: ['dueDate', 'verifyingDepartmentId'],
      confirm: ['conclusion', 'evidenceIds', 'outcome'],
      dismiss: ['evidenceIds', 'outcome', 'reason'],
      overturn: ['dueDate', 'reason', 'verifyingDepartmentId'],
      assign_plan: ['cooperatingDepartmentIds', 'leadDepartmentId', 'planDueDate'],
      submit_plan: ['deadline', 'measures', 'responsibleParty', 'targets'],
      review_plan: ['decision', 'opinion'],
      record_progress: ['progressOn', 'text'],
      report_part: ['evidenceIds', 'report'],
      request_extension: ['reason', 'requestedDeadline'],
      decide_extension: ['decision', 'opinion'],
      site_check: ['checkedOn', 'evidenceIds', 'note', 'people'],
      accept: ['opinion', 'ticks'],
      fail_acceptance: ['deadline', 'reason'],
      record_objection: ['content', 'handling', 'objector', 'receivedOn', 'upheld'],
      close: ['closedOn', 'closingDocumentNo'],
      recheck: ['evidenceIds', 'note', 'result', 'taskId'],
      reopen: ['dueDate', 'reason', 'verifyingDepartmentId'],
    });
  });

  it('tells the actions apart by `action` and refuses the old `to` field naming action', () => {
    expect(transitionBody.safeParse({ action: 'close', version: 1, closedOn: '2026-05-10', closingDocumentNo: 'X' }).success).toBe(true);
    const s = new Sim();
    const r = checkAction(s.finding, coordinator, { to: 'verifying', version: 1, verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-20' }, s.ctx());
    expect(r).toEqual({ ok: false, status: 400, error: { code: 'invalid_request', message: '请求内容有误：action', issues: [{ path: 'action', message: '请用 action 指明要办理的操作（to 字段已停用）' }] } });
  });

  it('refuses a stale version with 409 before anything else', () => {
    const s = new Sim();
    const r = checkAction(s.finding, officer(QZ_NR), { action: 'dispatch', version: 7, verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-20' }, s.ctx());
    expect(refusedWith(r)).toBe('409 conflict');
  });

  it('refuses an action the state does not allow with 409, naming what the state allows', () => {
    const s = new Sim();
    const r = s.try(coordinator, { action: 'close', closedOn: TODAY, closingDocumentNo: 'X' });
    expect(refusedWith(r)).toBe('409 illegal_transition');
    expect(message(r)).toBe('当前状态为“线索”，不能办理“销号”（此状态可办理：“交办核查”）');
  });
});

// ---- Verification ---------------------------------------------------------------------------------

describe('verification', () => {
  it('is dispatched by a coordinator only, to a known department, due today or later', () => {
    const s = new Sim();
    expect(refusedWith(s.try(officer(QZ_ECO), { action: 'dispatch', verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-20' }))).toBe('403 forbidden');
    expect(message(s.try({ role: 'viewer', departmentId: null }, { action: 'dispatch', verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-20' }))).toBe(
      '只有联合执法协调员可以交办核查（查看人员只能查阅）',
    );
    const bad = s.try(coordinator, { action: 'dispatch', verifyingDepartmentId: 999, dueDate: '2026-05-09' });
    expect(bad.ok ? [] : bad.error.issues).toEqual([
      { path: 'verifyingDepartmentId', message: '编号为 999 的部门不存在' },
      { path: 'dueDate', message: '核查期限不能早于 2026-05-10' },
    ]);
    s.step(coordinator, { action: 'dispatch', verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-20', instruction: '请现场核查' });
    expect(s.finding).toMatchObject({ state: 'verifying', verifyingDepartmentId: QZ_ECO, round: 1, version: 2 });
    expect(s.active()).toEqual([{ kind: 'verify', departmentId: QZ_ECO, dueOn: '2026-05-20', status: 'open' }]);
  });

  it('is concluded by the verifying department or a coordinator, with evidence', () => {
    const s = toVerifying();
    expect(s.allowed(officer(QZ_ECO))).toEqual(['confirm', 'dismiss']);
    expect(s.allowed(inspector(QZ_ECO))).toEqual(['confirm', 'dismiss']);
    expect(s.allowed(officer(QZ_NR))).toEqual([]);
    expect(refusedWith(s.try(officer(QZ_NR), { action: 'confirm', outcome: 'illegal', conclusion: '属实', evidenceIds: [1] }))).toBe('403 forbidden');
    expect(issuePaths(s.try(officer(QZ_ECO), { action: 'confirm', outcome: 'illegal', conclusion: '属实', evidenceIds: [] }))).toEqual(['evidenceIds']);
    expect(message(s.try(officer(QZ_ECO), { action: 'confirm', outcome: 'illegal', conclusion: '属实', evidenceIds: [42] }))).toBe('请求内容有误：evidenceIds');
    expect(issuePaths(s.try(officer(QZ_ECO), { action: 'confirm', outcome: 'lawful', conclusion: '属实', evidenceIds: [s.upload()] }))).toEqual(['outcome']);
  });

  it('records the timing and legality determinations of 属实', () => {
    const s = toVerifying();
    const historical = s.try(officer(QZ_ECO), { action: 'confirm', outcome: 'historical', conclusion: '1990 年建成，早于保护地设立', evidenceIds: [s.upload()] });
    expect(historical.ok && historical.determinations).toEqual([{ fact: 'timing', value: 'historical', basis: '1990 年建成，早于保护地设立' }]);
    const illegal = s.step(officer(QZ_ECO), { action: 'confirm', outcome: 'illegal', conclusion: '2024 年未批先建', evidenceIds: [s.upload()] });
    expect(illegal.ok && illegal.determinations).toEqual([
      { fact: 'timing', value: 'new', basis: '2024 年未批先建' },
      { fact: 'legality', value: 'illegal', basis: '2024 年未批先建' },
    ]);
    expect(s.finding).toMatchObject({ state: 'confirmed', verificationOutcome: 'illegal' });
    expect(s.active()).toEqual([]);
  });

  it('asks each dismissal outcome for its own fields', () => {
    const s = toVerifying();
    const e = s.upload();
    const base = { action: 'dismiss', reason: '见附件', evidenceIds: [e] };
    expect(issuePaths(s.try(officer(QZ_ECO), { ...base, outcome: 'lawful' }))).toEqual(['approvalNo', 'approvalAuthority', 'approvedOn']);
    expect(issuePaths(s.try(officer(QZ_ECO), { ...base, outcome: 'vanished' }))).toEqual(['observedOn']);
    expect(issuePaths(s.try(officer(QZ_ECO), { ...base, outcome: 'rectified' }))).toEqual(['rectifiedOn']);
    expect(issuePaths(s.try(officer(QZ_ECO), { ...base, outcome: 'rectified', rectifiedOn: '2026-06-01' }))).toEqual(['rectifiedOn']);
    expect(s.try(officer(QZ_ECO), { ...base, outcome: 'not_true' }).ok).toBe(true);
    s.step(officer(QZ_ECO), { ...base, outcome: 'lawful', approvalNo: '鲁林审〔2015〕8号', approvalAuthority: '山东省林业厅', approvedOn: '2015-03-02' });
    expect(s.finding).toMatchObject({ state: 'dismissed', verificationOutcome: 'lawful' });
  });

  it('lets a coordinator overturn a dismissal: verification again, next round, new deadline', () => {
    const s = toVerifying();
    s.tasks.push({ id: 99, kind: 'inspect', departmentId: QZ_WATER, status: 'open', dueOn: null, version: 1, closedAt: null });
    s.step(officer(QZ_ECO), { action: 'dismiss', outcome: 'not_true', reason: '未见', evidenceIds: [s.upload()] });
    expect(s.tasks.find((t) => t.id === 99)).toMatchObject({ status: 'cancelled', cancelReason: '核查结论为不予认定，问题办结' });
    expect(s.allowed(officer(QZ_ECO))).toEqual([]);
    expect(s.allowed(coordinator)).toEqual(['overturn']);
    s.step(coordinator, { action: 'overturn', reason: '抽查发现仍在作业', verifyingDepartmentId: CITY_ECO, dueDate: '2026-05-30' });
    expect(s.finding).toMatchObject({ state: 'verifying', round: 2, verifyingDepartmentId: CITY_ECO, verificationOutcome: null });
    expect(s.active()).toEqual([{ kind: 'verify', departmentId: CITY_ECO, dueOn: '2026-05-30', status: 'open' }]);
  });

  it('dispatches an old reopened row into the next round', () => {
    const s = new Sim('reopened', { round: 1 });
    s.step(coordinator, { action: 'dispatch', verifyingDepartmentId: QZ_ECO, dueDate: '2026-05-20' });
    expect(s.finding).toMatchObject({ state: 'verifying', round: 2 });
  });
});

// ---- Plan stage -----------------------------------------------------------------------------------

describe('the plan stage', () => {
  it('is refused while the rule lacks facts, naming them', () => {
    const s = toConfirmed();
    s.rule = { ...rule, status: 'missing_facts', missing: ['zone', 'timing'] };
    expect(s.allowed(coordinator)).toEqual([]);
    const r = s.try(coordinator, { action: 'assign_plan', leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [], planDueDate: '2026-06-10' });
    expect(refusedWith(r)).toBe('400 invalid_request');
    expect(message(r)).toBe('尚不能确定适用的整改规则：缺少所在功能分区、历史遗留/新增的认定，请协调员先行认定后再制定整改方案');
  });

  it('is drafted by the management body by default, else the lead, or the department named', () => {
    const withBody = toPlanning();
    expect(withBody.finding).toMatchObject({ state: 'planning', drafterDepartmentId: MB, leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [QZ_WATER], planDueOn: '2026-06-10' });
    expect(withBody.active()).toEqual([{ kind: 'plan', departmentId: MB, dueOn: '2026-06-10', status: 'open' }]);
    const s = toConfirmed();
    s.managingDepartmentId = null;
    s.step(coordinator, { action: 'assign_plan', leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [], planDueDate: '2026-06-10' });
    expect(s.finding.drafterDepartmentId).toBe(QZ_NR);
    const named = toPlanning({ drafterDepartmentId: QZ_GOV });
    expect(named.finding.drafterDepartmentId).toBe(QZ_GOV);
  });

  it('refuses a named city acceptor that is not independent of the rectifiers, or not city level', () => {
    const s = toConfirmed();
    const assign = (acceptingDepartmentId: number) =>
      s.try(coordinator, { action: 'assign_plan', leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [QZ_WATER], planDueDate: '2026-06-10', acceptingDepartmentId });
    expect(issuesOf(assign(CITY_NR))).toEqual([{ path: 'acceptingDepartmentId', message: '验收部门须独立于整改部门：该部门是承担整改部门的上级部门' }]);
    expect(issuesOf(assign(QZ_ECO))).toEqual([{ path: 'acceptingDepartmentId', message: '指定的市级验收部门须为市级部门' }]);
    expect(assign(CITY_FOR).ok).toBe(true);
  });

  it('takes the plan only from the drafter, with the measures the rule allows and requires', () => {
    const s = toPlanning();
    expect(s.allowed(officer(MB))).toEqual(['submit_plan', 'request_extension']);
    expect(s.allowed(officer(QZ_NR))).toEqual([]);
    expect(s.allowed(coordinator)).toEqual([]);
    expect(refusedWith(s.try(officer(QZ_NR), { action: 'submit_plan', ...goodPlan }))).toBe('403 forbidden');
    const bad = s.try(officer(MB), { action: 'submit_plan', ...goodPlan, measures: ['remediate', 'restore'] });
    expect(bad.ok ? null : bad.error.issues).toEqual([
      {
        path: 'measures',
        message: '整改措施不符合适用规则（不允许的措施：整治；缺少必需的措施：退出）。规则：核心区内的采矿活动须退出并开展生态修复（依据：国环规生态〔2022〕1号 附件 一）',
      },
    ]);
    expect(issuePaths(s.try(officer(MB), { action: 'submit_plan', ...goodPlan, measures: ['exit', 'exit', 'restore'] }))).toEqual(['measures']);
  });

  it('asks for the 科学评估 document where the rule requires one', () => {
    const s = toPlanning();
    s.rule = { ...rule, requiresAssessment: true, allowedMeasures: ['assess', 'restore'], requiredMeasures: ['assess'] };
    const plan = { action: 'submit_plan', ...goodPlan, measures: ['assess'] };
    expect(issuePaths(s.try(officer(MB), plan))).toEqual(['assessmentEvidenceIds']);
    expect(s.try(officer(MB), { ...plan, assessmentEvidenceIds: [s.upload()] }).ok).toBe(true);
  });

  it('resolves reviewers county first, then city, folding a kind without a department into 自然资源', () => {
    expect(planReviewers(rule, QZ, departments)).toEqual([QZ_ECO, QZ_NR, CITY_FOR]);
    expect(planReviewers(rule, LQ, departments)).toEqual([LQ_ECO, CITY_NR, CITY_FOR]);
    expect(planReviewers({ reviewerKinds: ['ecology_environment', 'other'] }, QZ, departments)).toEqual([QZ_ECO, QZ_NR]);
    expect(planReviewers({ reviewerKinds: [] }, QZ, departments)).toEqual([QZ_ECO, QZ_NR, CITY_FOR]);
  });

  it('is signed by each reviewer for its own department; a return sends it back and the next submission is reviewed afresh', () => {
    const s = toPlanning();
    s.step(officer(MB), { action: 'submit_plan', ...goodPlan });
    expect(s.active().map((t) => [t.kind, t.departmentId])).toEqual([
      ['review', QZ_ECO],
      ['review', QZ_NR],
      ['review', CITY_FOR],
    ]);
    expect(refusedWith(s.try(officer(MB), { action: 'submit_plan', ...goodPlan }))).toBe('409 illegal_transition');
    // The city coordinator's own department is no reviewer here (the county branch is).
    expect(s.allowed(coordinator)).toEqual([]);
    expect(refusedWith(s.try(coordinator, { action: 'review_plan', decision: 'approve', opinion: '同意' }))).toBe('403 forbidden');
    expect(s.allowed(officer(QZ_ECO))).toEqual(['review_plan']);
    s.step(officer(QZ_ECO), { action: 'review_plan', decision: 'approve', opinion: '同意' });
    expect(refusedWith(s.try(officer(QZ_ECO), { action: 'review_plan', decision: 'approve', opinion: '同意' }))).toBe('409 illegal_transition');
    s.step(officer(QZ_NR), { action: 'review_plan', decision: 'return', opinion: '复绿措施不具体' });
    expect(currentPlan(s.records).status).toBe('returned');
    expect(s.active()).toEqual([{ kind: 'plan', departmentId: MB, dueOn: '2026-06-10', status: 'returned' }]);
    expect(s.allowed(officer(CITY_FOR))).toEqual([]);
    s.step(officer(MB), { action: 'submit_plan', ...goodPlan, targets: '补充复绿树种和面积' });
    const again = currentPlan(s.records);
    expect([again.status, again.reviews.length]).toEqual(['submitted', 0]);
    for (const d of [QZ_ECO, QZ_NR]) s.step(officer(d), { action: 'review_plan', decision: 'approve', opinion: '同意' });
    expect(s.finding.state).toBe('planning');
    s.step(officer(CITY_FOR), { action: 'review_plan', decision: 'approve', opinion: '同意' });
    expect(s.finding).toMatchObject({ state: 'rectifying', deadline: '2026-12-31', measures: ['exit', 'restore'] });
    expect(s.active()).toEqual([
      { kind: 'rectify', departmentId: QZ_NR, dueOn: '2026-12-31', status: 'open' },
      { kind: 'rectify', departmentId: QZ_WATER, dueOn: '2026-12-31', status: 'open' },
    ]);
  });
});

// ---- Rectification ---------------------------------------------------------------------------------

describe('rectification', () => {
  it('takes dated progress from the lead and cooperating departments, never in the future', () => {
    const s = toRectifying();
    expect(s.allowed(officer(QZ_WATER))).toEqual(['record_progress', 'report_part']);
    expect(s.allowed(officer(QZ_NR))).toEqual(['record_progress', 'report_part', 'request_extension']);
    expect(s.allowed(officer(MB))).toEqual([]);
    expect(issuePaths(s.try(officer(QZ_NR), { action: 'record_progress', progressOn: '2026-05-11', text: '已清运' }))).toEqual(['progressOn']);
    expect(issuePaths(s.try(officer(QZ_NR), { action: 'record_progress', progressOn: TODAY, text: '已清运', percent: 120 }))).toEqual(['percent']);
    s.step(officer(QZ_NR), { action: 'record_progress', progressOn: TODAY, text: '已清运 60%', percent: 60 });
    expect(s.records.at(-1)).toMatchObject({ kind: 'progress', departmentId: QZ_NR, round: 1, data: { progressOn: TODAY, text: '已清运 60%', percent: 60 } });
    expect(s.finding.state).toBe('rectifying');
  });

  it('reaches pending_acceptance only when the lead and every cooperating department have reported (joint sign-off)', () => {
    const s = toRectifying();
    s.step(officer(QZ_NR), { action: 'report_part', report: '已退出并复绿', evidenceIds: [s.upload()] });
    expect(s.finding.state).toBe('rectifying');
    expect(s.active()).toEqual([{ kind: 'rectify', departmentId: QZ_WATER, dueOn: '2026-12-31', status: 'open' }]);
    expect(s.allowed(officer(QZ_NR))).toEqual(['record_progress', 'request_extension']);
    expect(refusedWith(s.try(officer(QZ_NR), { action: 'report_part', report: '再报', evidenceIds: [s.upload()] }))).toBe('409 illegal_transition');
    s.step(officer(QZ_WATER), { action: 'report_part', report: '已拆除取水设施', evidenceIds: [s.upload()] });
    expect(s.finding).toMatchObject({ state: 'pending_acceptance', acceptanceLevel: 'county' });
    expect(s.active()).toEqual([{ kind: 'accept', departmentId: QZ_ECO, dueOn: '2026-05-25', status: 'open' }]);
  });

  it('keeps the extension history: requested by the lead (the drafter while planning), decided by a coordinator', () => {
    const p = toPlanning();
    expect(issuePaths(p.try(officer(MB), { action: 'request_extension', requestedDeadline: '2026-06-10', reason: '需补充评估' }))).toEqual(['requestedDeadline']);
    p.step(officer(MB), { action: 'request_extension', requestedDeadline: '2026-06-30', reason: '需补充评估' });
    expect(refusedWith(p.try(officer(MB), { action: 'request_extension', requestedDeadline: '2026-07-30', reason: '再延' }))).toBe('409 illegal_transition');
    expect(p.allowed(coordinator)).toEqual(['decide_extension']);
    p.step(coordinator, { action: 'decide_extension', decision: 'approve', opinion: '同意延期' });
    expect(p.finding.planDueOn).toBe('2026-06-30');
    expect(p.active()).toEqual([{ kind: 'plan', departmentId: MB, dueOn: '2026-06-30', status: 'open' }]);
    expect(refusedWith(p.try(coordinator, { action: 'decide_extension', decision: 'approve', opinion: '再批' }))).toBe('409 illegal_transition');

    const s = toRectifying();
    expect(refusedWith(s.try(officer(QZ_WATER), { action: 'request_extension', requestedDeadline: '2027-03-31', reason: '冬季无法复绿' }))).toBe('403 forbidden');
    s.step(officer(QZ_NR), { action: 'request_extension', requestedDeadline: '2027-03-31', reason: '冬季无法复绿' });
    s.step(coordinator, { action: 'decide_extension', decision: 'refuse', opinion: '按原期限完成' });
    expect(s.finding.deadline).toBe('2026-12-31');
    s.step(officer(QZ_NR), { action: 'request_extension', requestedDeadline: '2027-02-28', reason: '冬季无法复绿' });
    s.step(coordinator, { action: 'decide_extension', decision: 'approve', opinion: '同意' });
    expect(s.finding.deadline).toBe('2027-02-28');
    expect(s.active().map((t) => t.dueOn)).toEqual(['2027-02-28', '2027-02-28']);
    expect(s.records.filter((r) => r.kind.startsWith('extension')).map((r) => [r.kind, r.data.decision ?? r.data.requestedDeadline])).toEqual([
      ['extension_request', '2027-03-31'],
      ['extension_decision', 'refuse'],
      ['extension_request', '2027-02-28'],
      ['extension_decision', 'approve'],
    ]);
  });
});

// ---- Acceptance -----------------------------------------------------------------------------------

describe('independent acceptance', () => {
  it('lets any county-level department of the finding county do the county self-check, rectifiers included', () => {
    const s = toPendingAcceptance();
    for (const d of [QZ_ECO, QZ_NR, QZ_GOV]) expect(s.allowed(officer(d))).toEqual(['site_check', 'fail_acceptance']);
    for (const d of [LQ_ECO, CITY_FOR, MB]) expect(s.allowed(officer(d))).toEqual([]);
    expect(message(s.try(officer(LQ_ECO), { action: 'fail_acceptance', reason: 'x', deadline: '2026-06-01' }))).toBe('县级自查须由问题所在县（市、区）的县级部门办理');
    expect(s.allowed(coordinator)).toEqual([]);
  });

  it('refuses the lead, a cooperating department, a parent, a branch and a coordinator of the same department at city level', () => {
    const s = toPendingAcceptance({ leadDepartmentId: CITY_ECO, cooperatingDepartmentIds: [QZ_WATER] });
    s.moveDays(90);
    acceptLevel(s, officer(QZ_ECO));
    expect(s.finding.acceptanceLevel).toBe('city');
    const refused: Array<[string, Actor, string]> = [
      ['lead', officer(CITY_ECO), '该部门承担此问题的整改'],
      ['coordinator of the lead', coordinator, '该部门承担此问题的整改'],
      ['cooperating', officer(QZ_WATER), '该部门承担此问题的整改'],
      ['parent of a cooperating department', officer(CITY_WATER), '该部门是承担整改部门的上级部门'],
      ['branch of the lead', officer(QZ_ECO), '该部门是承担整改部门的下属机构'],
      ['branch of the lead in another county', officer(LQ_ECO), '该部门是承担整改部门的下属机构'],
    ];
    for (const [who, actor, why] of refused) {
      const r = s.try(actor, { action: 'fail_acceptance', reason: '不合格', deadline: '2026-09-01' });
      expect([who, r.ok ? 'ok' : r.error.message]).toEqual([who, `市级验收须由独立于整改部门的部门办理（${why}）`]);
      expect([who, s.allowed(actor)]).toEqual([who, []]);
    }
    expect(s.allowed(officer(CITY_FOR))).toEqual(['site_check', 'fail_acceptance']);
    expect(s.allowed(officer(CITY_AGRI))).toEqual(['site_check', 'fail_acceptance']);
    expect(message(s.try(officer(PROV), { action: 'fail_acceptance', reason: '不合格', deadline: '2026-09-01' }))).toBe('市级验收须由市级部门办理');
  });

  it('takes the named accepting department only, and records who actually accepted', () => {
    const s = toPendingAcceptance({ acceptingDepartmentId: CITY_FOR });
    s.moveDays(90);
    acceptLevel(s, officer(QZ_ECO));
    expect(s.active('accept')).toEqual([{ kind: 'accept', departmentId: CITY_FOR, dueOn: addDays(s.today, 15), status: 'open' }]);
    expect(s.allowed(officer(CITY_AGRI))).toEqual([]);
    expect(message(s.try(officer(CITY_AGRI), { action: 'fail_acceptance', reason: 'x', deadline: '2026-09-01' }))).toBe('市级验收已指定由其他部门办理');
    acceptLevel(s, officer(CITY_FOR));
    expect(s.finding).toMatchObject({ state: 'publicising', acceptingDepartmentId: CITY_FOR });
  });

  it('opens the city accept task for an independent city department when none is named', () => {
    const s = toPendingAcceptance();
    s.moveDays(90);
    acceptLevel(s, officer(QZ_ECO));
    expect(s.active('accept').map((t) => t.departmentId)).toEqual([CITY_ECO]);
    expect(dependenceOf(CITY_ECO, [QZ_NR, QZ_WATER], departments)).toBeNull();
    expect(dependenceOf(CITY_NR, [QZ_NR, QZ_WATER], departments)).toBe('该部门是承担整改部门的上级部门');
  });

  it('asks for the province spot check when configured, from a province department', () => {
    const s = toPendingAcceptance();
    s.levels = ['county', 'city', 'province'];
    s.moveDays(90);
    acceptLevel(s, officer(QZ_ECO));
    acceptLevel(s, officer(CITY_FOR));
    expect(s.finding).toMatchObject({ state: 'pending_acceptance', acceptanceLevel: 'province', acceptingDepartmentId: CITY_FOR });
    expect(s.allowed(officer(CITY_AGRI))).toEqual([]);
    expect(s.allowed(officer(PROV))).toEqual(['site_check', 'fail_acceptance']);
    acceptLevel(s, officer(PROV));
    expect(s.finding.state).toBe('publicising');
  });

  it('needs the acceptor’s own site check, after the completion report, with photos uploaded after it', () => {
    const s = toPendingAcceptance();
    const early = s.uploads[s.uploads.length - 1].id;
    const ticks = rule.conditions.map((c) => ({ code: c.code, evidenceIds: [s.upload()] }));
    expect(message(s.try(officer(QZ_ECO), { action: 'accept', ticks, opinion: '通过' }))).toBe('须先完成县级自查的现场核查，方可验收');
    const site = { action: 'site_check', people: '张三', note: '已复绿' };
    const tooEarly = s.try(officer(QZ_ECO), { ...site, checkedOn: '2026-05-09', evidenceIds: [early] });
    expect(tooEarly.ok ? null : tooEarly.error.issues).toEqual([
      { path: 'checkedOn', message: '现场核查日期（整改完成报送之后）不能早于 2026-05-10' },
      { path: 'evidenceIds', message: `现场核查照片须在整改完成报送（2026-05-10）之后上传；编号 ${early} 的附件上传于报送之前` },
    ]);
    expect(issuePaths(s.try(officer(QZ_ECO), { ...site, checkedOn: '2026-05-11', evidenceIds: [s.upload()] }))).toEqual(['checkedOn']);
    // Uploaded after the report but taken (EXIF) before it: still an old photo.
    const old = s.upload();
    s.uploads[s.uploads.length - 1] = { id: old, uploadedAt: s.now(), takenAt: '2026-05-01T02:00:00.000Z' };
    expect(s.try(officer(QZ_ECO), { ...site, checkedOn: TODAY, evidenceIds: [old] })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'evidenceIds', message: `现场核查照片须拍摄于整改完成报送（2026-05-10）之后；编号 ${old} 的照片拍摄于报送之前（照片元数据）` }] },
    });
    s.step(officer(QZ_NR), { ...site, checkedOn: TODAY, evidenceIds: [s.upload()] });
    // Another county department's site check is not this acceptor's.
    expect(s.allowed(officer(QZ_ECO))).toEqual(['site_check', 'fail_acceptance']);
    expect(s.allowed(officer(QZ_NR))).toEqual(['site_check', 'accept', 'fail_acceptance']);
  });

  it('refuses a condition with an observation period before it has passed, saying from when it may be ticked', () => {
    const s = toPendingAcceptance();
    s.moveDays(30);
    s.step(officer(QZ_ECO), { action: 'site_check', checkedOn: s.today, people: '张三', note: '复绿中', evidenceIds: [s.upload()] });
    const ticks = rule.conditions.map((c) => ({ code: c.code, evidenceIds: [s.upload()] }));
    const r = s.try(officer(QZ_ECO), { action: 'accept', ticks, opinion: '通过' });
    expect(r.ok ? null : r.error.issues).toEqual([
      { path: 'ticks.1.code', message: '“生态修复效果呈稳定或趋好状态”须自整改完成报送（2026-05-10）起观察 90 天，2026-08-08 起方可勾选' },
    ]);
    s.moveDays(59);
    expect(s.try(officer(QZ_ECO), { action: 'accept', ticks, opinion: '通过' }).ok).toBe(false);
    s.moveDays(1);
    expect(s.today).toBe('2026-08-08');
    expect(s.try(officer(QZ_ECO), { action: 'accept', ticks, opinion: '通过' }).ok).toBe(true);
  });

  it('needs every condition of the rule ticked, each a condition of this rule, with evidence', () => {
    const s = toPendingAcceptance();
    s.moveDays(90);
    s.step(officer(QZ_ECO), { action: 'site_check', checkedOn: s.today, people: '张三', note: '已复绿', evidenceIds: [s.upload()] });
    const r = s.try(officer(QZ_ECO), { action: 'accept', ticks: [{ code: 'water_quality_restored', evidenceIds: [s.upload()] }], opinion: '通过' });
    expect(r.ok ? null : r.error.issues).toEqual([
      { path: 'ticks.0.code', message: '“water_quality_restored”不是此问题适用的销号条件' },
      { path: 'ticks', message: '以下销号条件尚未勾选：项目退出、生态修复效果呈稳定或趋好状态' },
    ]);
    expect(issuePaths(s.try(officer(QZ_ECO), { action: 'accept', ticks: [{ code: 'project_exited', evidenceIds: [] }], opinion: '通过' }))).toEqual(['ticks.0.evidenceIds']);
  });

  it('starts a row made before acceptance levels existed at the first configured level', () => {
    const s = new Sim('pending_acceptance', { leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [], verifyingDepartmentId: QZ_ECO });
    expect(s.allowed(officer(QZ_ECO))).toEqual(['site_check', 'fail_acceptance']);
    s.step(officer(QZ_ECO), { action: 'site_check', checkedOn: TODAY, people: '张三', note: '已整改', evidenceIds: [s.upload()] });
    expect(s.records.at(-1)).toMatchObject({ kind: 'site_check', data: { level: 'county' } });
  });

  it('sends a failed acceptance back to rectifying with a new deadline, in the next round', () => {
    const s = toPendingAcceptance();
    expect(issuePaths(s.try(officer(QZ_ECO), { action: 'fail_acceptance', reason: '砂堆未清', deadline: '2026-05-09' }))).toEqual(['deadline']);
    s.step(officer(QZ_ECO), { action: 'fail_acceptance', reason: '砂堆未清', deadline: '2026-07-31' });
    expect(s.finding).toMatchObject({ state: 'rectifying', round: 2, deadline: '2026-07-31', acceptanceLevel: null });
    expect(s.active()).toEqual([
      { kind: 'rectify', departmentId: QZ_NR, dueOn: '2026-07-31', status: 'returned' },
      { kind: 'rectify', departmentId: QZ_WATER, dueOn: '2026-07-31', status: 'returned' },
    ]);
    // Each department reports its part again in the new round.
    expect(s.allowed(officer(QZ_WATER))).toEqual(['record_progress', 'report_part']);
  });
});

// ---- 公示, 销号, 回头看 -------------------------------------------------------------------------------

describe('publicity and closing', () => {
  it('starts the 公示 on the last acceptance, with its dates and a notice written from the record', () => {
    const s = toPublicising();
    expect(s.finding).toMatchObject({ state: 'publicising', publicityStartOn: '2026-08-08', publicityEndOn: '2026-08-15', acceptanceLevel: null, acceptingDepartmentId: CITY_FOR });
    expect(s.finding.publicityNotice).toBe(
      [
        '关于问题 WF-2026-0001 整改销号的公示',
        '问题名称：仰天山采石场',
        '所在位置：青州市 仰天山国家森林公园',
        '问题情况：核心区内采石',
        '整改措施：退出、生态修复',
        '验收情况：经青州分局、潍坊市林业局验收，验收意见为：整改到位',
        '公示期：2026-08-08 至 2026-08-15',
        '对公示内容有异议的，请于公示期内向联合执法协调机构书面反映',
      ].join('\n'),
    );
    expect(s.active()).toEqual([]);
  });

  it('records objections; one upheld sends the finding back to rectifying with a new deadline', () => {
    const s = toPublicising();
    const objection = { action: 'record_objection', receivedOn: s.today, objector: '村民王某', content: '仍有夜间采石', handling: '已现场核实' };
    expect(issuePaths(s.try(coordinator, { ...objection, upheld: true }))).toEqual(['deadline']);
    expect(refusedWith(s.try(officer(QZ_ECO), { ...objection, upheld: false }))).toBe('403 forbidden');
    s.step(coordinator, { ...objection, upheld: false, content: '复绿树种单一' });
    expect(s.finding.state).toBe('publicising');
    s.step(coordinator, { ...objection, upheld: true, deadline: '2026-10-31' });
    expect(s.finding).toMatchObject({ state: 'rectifying', round: 2, deadline: '2026-10-31', publicityStartOn: null, publicityEndOn: null });
    expect(s.active().map((t) => [t.kind, t.departmentId, t.dueOn])).toEqual([
      ['rectify', QZ_NR, '2026-10-31'],
      ['rectify', QZ_WATER, '2026-10-31'],
    ]);
  });

  it('closes only after the 公示 has ended, on a date within it and today, opening the re-checks', () => {
    const s = toPublicising();
    s.tasks.push({ id: 98, kind: 'inspect', departmentId: QZ_WATER, status: 'in_progress', dueOn: null, version: 1, closedAt: null });
    expect(s.allowed(coordinator)).toEqual(['record_objection']);
    expect(message(s.try(coordinator, { action: 'close', closedOn: s.today, closingDocumentNo: 'X' }))).toBe('公示期至 2026-08-15 结束，公示期满后方可销号');
    s.moveDays(7);
    expect(s.allowed(coordinator)).toEqual(['record_objection', 'close']);
    expect(issuePaths(s.try(coordinator, { action: 'close', closedOn: '2026-08-14', closingDocumentNo: 'X' }))).toEqual(['closedOn']);
    expect(issuePaths(s.try(coordinator, { action: 'close', closedOn: '2026-08-16', closingDocumentNo: 'X' }))).toEqual(['closedOn']);
    s.step(coordinator, { action: 'close', closedOn: '2026-08-15', closingDocumentNo: '潍保联办〔2026〕12号' });
    expect(s.finding).toMatchObject({ state: 'closed', closedOn: '2026-08-15', closingDocumentNo: '潍保联办〔2026〕12号' });
    expect(s.tasks.find((t) => t.id === 98)).toMatchObject({ status: 'cancelled', cancelReason: '问题已销号' });
    expect(s.active()).toEqual([
      { kind: 'recheck', departmentId: QZ_ECO, dueOn: '2027-02-15', status: 'open' },
      { kind: 'recheck', departmentId: QZ_ECO, dueOn: '2027-08-15', status: 'open' },
    ]);
  });

  it('lets the re-check department confirm the site stays rectified, or send it back to verification', () => {
    const s = toClosed();
    const [first, second] = s.tasks.filter((t) => t.kind === 'recheck');
    expect(s.allowed(officer(QZ_ECO))).toEqual(['recheck']);
    expect(s.allowed(inspector(QZ_ECO))).toEqual(['recheck']);
    expect(s.allowed(officer(QZ_NR))).toEqual([]);
    expect(s.allowed(coordinator)).toEqual(['recheck', 'reopen']);
    const check = { action: 'recheck', note: '复绿良好', evidenceIds: [s.upload()] };
    expect(issuePaths(s.try(officer(QZ_ECO), { ...check, taskId: 12345, result: 'stays_rectified' }))).toEqual(['taskId']);
    expect(issuePaths(s.try(officer(QZ_ECO), { ...check, taskId: first.id, result: 'recurred' }))).toEqual(['dueDate']);
    s.step(officer(QZ_ECO), { ...check, taskId: first.id, result: 'stays_rectified' });
    expect(s.finding.state).toBe('closed');
    expect(s.active().map((t) => t.dueOn)).toEqual([second.dueOn]);
    s.step(officer(QZ_ECO), { ...check, taskId: second.id, result: 'recurred', note: '又见采石', dueDate: addDays(s.today, 15) });
    expect(s.finding).toMatchObject({ state: 'verifying', round: 2, verificationOutcome: null });
    expect(s.active()).toEqual([{ kind: 'verify', departmentId: QZ_ECO, dueOn: addDays(s.today, 15), status: 'open' }]);
  });

  it('lets a coordinator reopen a closed finding into verification, cancelling its re-checks', () => {
    const s = toClosed();
    expect(refusedWith(s.try(officer(QZ_ECO), { action: 'reopen', reason: '举报', verifyingDepartmentId: QZ_ECO, dueDate: s.today }))).toBe('403 forbidden');
    const result = s.step(coordinator, { action: 'reopen', reason: '群众举报复发', verifyingDepartmentId: QZ_ECO, dueDate: addDays(s.today, 10) });
    expect(result.ok && result.leavesClosure).toBe(true);
    expect(s.finding).toMatchObject({ state: 'verifying', round: 2, closedOn: null, closingDocumentNo: null, publicityStartOn: null, publicityEndOn: null });
    expect(s.tasks.filter((t) => t.kind === 'recheck').map((t) => [t.status, t.cancelReason])).toEqual([
      ['cancelled', '问题已重新打开核查'],
      ['cancelled', '问题已重新打开核查'],
    ]);
  });
});

// ---- allowedActions = what checkAction accepts ----------------------------------------------------

describe('allowedActions', () => {
  const bodies = (s: Sim): Record<ActionName, Record<string, unknown>> => ({
    dispatch: { verifyingDepartmentId: QZ_ECO, dueDate: addDays(s.today, 10) },
    confirm: { outcome: 'illegal', conclusion: '属实', evidenceIds: [1] },
    dismiss: { outcome: 'not_true', reason: '不属实', evidenceIds: [1] },
    overturn: { reason: '抽查', verifyingDepartmentId: QZ_ECO, dueDate: addDays(s.today, 10) },
    assign_plan: { leadDepartmentId: QZ_NR, cooperatingDepartmentIds: [], planDueDate: addDays(s.today, 10) },
    submit_plan: goodPlan,
    review_plan: { decision: 'approve', opinion: '同意' },
    record_progress: { progressOn: s.today, text: '进展' },
    report_part: { report: '完成', evidenceIds: [1] },
    request_extension: { requestedDeadline: '2099-12-31', reason: '延期' },
    decide_extension: { decision: 'refuse', opinion: '不同意' },
    site_check: { checkedOn: s.today, people: '张三', note: '核查', evidenceIds: [s.uploads.length] },
    accept: { ticks: rule.conditions.map((c) => ({ code: c.code, evidenceIds: [1] })), opinion: '通过' },
    fail_acceptance: { reason: '不合格', deadline: addDays(s.today, 30) },
    record_objection: { receivedOn: s.today, objector: '某', content: '异议', handling: '处理', upheld: false },
    close: { closedOn: s.today, closingDocumentNo: 'X' },
    recheck: { taskId: s.tasks.find((t) => t.kind === 'recheck')?.id ?? 1, result: 'stays_rectified', note: '良好', evidenceIds: [1] },
    reopen: { reason: '复发', verifyingDepartmentId: QZ_ECO, dueDate: addDays(s.today, 10) },
  });
  const actors: Actor[] = [
    coordinator,
    { role: 'admin', departmentId: null },
    { role: 'viewer', departmentId: CITY_ECO },
    ...departments.flatMap((d) => [officer(d.id), inspector(d.id)]),
  ];
  const scenarios: Array<[string, () => Sim]> = [
    ['clue', () => new Sim()],
    ['verifying', toVerifying],
    ['confirmed', toConfirmed],
    ['planning', toPlanning],
    [
      'planning, submitted',
      () => {
        const s = toPlanning();
        s.step(officer(MB), { action: 'submit_plan', ...goodPlan });
        return s;
      },
    ],
    ['rectifying', toRectifying],
    [
      'rectifying, extension requested',
      () => {
        const s = toRectifying();
        s.step(officer(QZ_NR), { action: 'request_extension', requestedDeadline: '2027-01-31', reason: '延期' });
        return s;
      },
    ],
    ['pending_acceptance', toPendingAcceptance],
    ['publicising', toPublicising],
    [
      'publicising, ended',
      () => {
        const s = toPublicising();
        s.moveDays(7);
        return s;
      },
    ],
    ['closed', toClosed],
  ];

  it.each(scenarios)('lists exactly the actions checkAction accepts party-wise (%s)', (_name, make) => {
    const s = make();
    s.moveDays(90);
    s.upload();
    for (const actor of actors) {
      const allowed = s.allowed(actor);
      const accepted = actionNames.filter((a) => {
        const r = s.try(actor, { action: a, ...bodies(s)[a] });
        return r.ok || r.status === 400;
      });
      expect([actor, allowed]).toEqual([actor, accepted]);
    }
  });
});

// ---- Deadlines -------------------------------------------------------------------------------------

describe('the running deadline', () => {
  const f = { deadline: '2026-05-01', planDueOn: '2026-04-20', clueDueOn: '2026-04-10', verifyDueDate: '2026-04-15' };

  it('follows the state and pauses while waiting on acceptance or the 公示', () => {
    const byState = Object.fromEntries(
      (['clue', 'verifying', 'confirmed', 'planning', 'rectifying', 'pending_acceptance', 'publicising', 'closed', 'dismissed'] as const).map((state) => [state, runningDeadline({ ...f, state })]),
    );
    expect(byState).toEqual({
      clue: '2026-04-10',
      verifying: '2026-04-15',
      confirmed: null,
      planning: '2026-04-20',
      rectifying: '2026-05-01',
      pending_acceptance: null,
      publicising: null,
      closed: null,
      dismissed: null,
    });
    expect([overdue({ ...f, state: 'rectifying' }, TODAY), daysOverdue({ ...f, state: 'rectifying' }, TODAY)]).toEqual([true, 9]);
    expect([overdue({ ...f, state: 'pending_acceptance' }, TODAY), daysOverdue({ ...f, state: 'pending_acceptance' }, TODAY)]).toEqual([false, 0]);
    expect(daysOverdue({ ...f, state: 'rectifying' }, '2026-05-01')).toBe(0);
  });

  it('adds calendar months within the target month', () => {
    expect([addMonths('2026-08-31', 6), addMonths('2027-08-31', 6), addMonths('2026-01-15', 12), addMonths('2026-11-30', 3)]).toEqual([
      '2027-02-28',
      '2028-02-29',
      '2027-01-15',
      '2027-02-28',
    ]);
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
  });
});

describe('task effects', () => {
  it('cancel with a reason, keep the kinds excepted, reschedule active tasks only', () => {
    const tasks: StepTask[] = [
      { id: 1, kind: 'rectify', departmentId: 2, status: 'open', dueOn: '2026-06-01', version: 1, closedAt: null },
      { id: 2, kind: 'recheck', departmentId: 2, status: 'open', dueOn: '2026-12-01', version: 1, closedAt: null },
      { id: 3, kind: 'rectify', departmentId: 3, status: 'done', dueOn: '2026-06-01', version: 2, closedAt: '2026-05-01T00:00:00.000Z' },
    ];
    const moved = applyTaskEffects(tasks, [{ action: 'reschedule', kind: 'rectify', dueDate: '2026-07-01' }], 'T');
    expect(moved.map((t) => [t.id, t.dueOn, t.version])).toEqual([
      [1, '2026-07-01', 2],
      [2, '2026-12-01', 1],
      [3, '2026-06-01', 2],
    ]);
    const cancelled = applyTaskEffects(tasks, [{ action: 'cancel', exceptKinds: ['recheck'], reason: '问题已销号' }], 'T');
    expect(cancelled.map((t) => [t.id, t.status, t.cancelReason ?? null, t.closedAt])).toEqual([
      [1, 'cancelled', '问题已销号', 'T'],
      [2, 'open', null, null],
      [3, 'done', null, '2026-05-01T00:00:00.000Z'],
    ]);
  });
});

describe('the chain as the finding page shows it', () => {
  it('lists the plan with each reviewer’s decision, this round’s reports, the levels and the publicity', () => {
    const s = toPublicising();
    const by = { userId: 1, displayName: '测试' };
    const records = s.records.map((r, i) => ({ ...r, id: i + 1, by }));
    const facts = { ...s.finding, id: 1, serial: 'WF-2026-0001', title: 't', description: 'd', createdBy: 1, closingTicks: null, managingDepartmentId: MB } as FindingFacts;
    const view = chainView(facts, records, departments, ['county', 'city']);
    const name = (id: number) => ({ id, nameZh: departments.find((d) => d.id === id)!.nameZh });
    expect(view.plan).toMatchObject({
      status: 'approved',
      drafterDepartment: name(MB),
      measures: ['exit', 'restore'],
      deadline: '2026-12-31',
      reviewers: [QZ_ECO, QZ_NR, CITY_FOR].map((d) => ({ department: name(d), decision: 'approve', opinion: '同意', by })),
    });
    expect(view.reports.map((r) => r.department)).toEqual([name(QZ_NR), name(QZ_WATER)]);
    expect(view.acceptance.levels.map((l) => [l.level, l.status, l.department, l.siteChecks.length, l.ticks.length])).toEqual([
      ['county', 'passed', name(QZ_ECO), 1, 2],
      ['city', 'passed', name(CITY_FOR), 1, 2],
    ]);
    expect(view.publicity).toMatchObject({ startOn: '2026-08-08', endOn: '2026-08-15', objections: [] });
  });

  it('shows the failed round while back in rectification, then a fresh round once reported again', () => {
    const s = toPendingAcceptance();
    s.step(officer(QZ_ECO), { action: 'fail_acceptance', reason: '砂堆未清', deadline: '2026-07-31' });
    const view = () => {
      const records = s.records.map((r, i) => ({ ...r, id: i + 1, by: null }));
      const facts = { ...s.finding, id: 1, serial: 'S', title: 't', description: 'd', createdBy: 1, closingTicks: null, managingDepartmentId: MB } as FindingFacts;
      return chainView(facts, records, departments, ['county', 'city']);
    };
    expect([view().acceptance.levels.map((l) => l.status), view().reports.length]).toEqual([['failed', 'pending'], 0]);
    for (const d of [QZ_NR, QZ_WATER]) s.step(officer(d), { action: 'report_part', report: '已补充清运', evidenceIds: [s.upload()] });
    expect([view().acceptance.levels.map((l) => l.status), view().reports.length, view().acceptance.failures.length]).toEqual([['pending', 'pending'], 2, 1]);
  });
});
