/**
 * The rectification workflow as a pure state machine. The role matrix is generated from the
 * `transitions` table, so a new transition is covered as soon as it is added (and fails here until it
 * has a sample body); who may act is judged by an oracle written from the design, not from roles.ts.
 */
import { describe, expect, it } from 'vitest';
import { roles, type Role } from '../../server/lib/vocabulary.ts';
import { closingConditions } from '../../server/features/findings/closing-conditions.ts';
import {
  allowedTransitions,
  applyStep,
  applyTaskEffects,
  checkTransition,
  citedEvidenceIds,
  daysOverdue,
  escalated,
  findingStates,
  overdue,
  parties,
  runningDeadline,
  stateLabelsZh,
  terminalStates,
  transitionBody,
  transitions,
  type FindingState,
  type Party,
  type StepFinding,
  type StepTask,
  type TransitionContext,
  type TransitionRule,
  type WorkflowFinding,
} from '../../server/features/findings/workflow.ts';

const VERIFY = 1;
const LEAD = 2;
const COOP = 3;
const ACCEPT = 4;
const OTHER = 5;
const TODAY = '2026-05-10';

const mining = closingConditions({
  category: 'mining',
  zone: 'core',
  approval: 'unapproved',
  constructionDate: '2019-01-01',
  areaEstablishedDate: '2001-01-01',
}).conditions;

const finding = (state: FindingState, overrides: Partial<WorkflowFinding> = {}): WorkflowFinding => ({
  state,
  verifyingDepartmentId: VERIFY,
  leadDepartmentId: LEAD,
  cooperatingDepartmentIds: [COOP],
  acceptingDepartmentId: null,
  version: 3,
  ...overrides,
});

const actor = (role: Role, departmentId: number | null) => ({ role, departmentId });

const plan = {
  measures: ['exit', 'restore'],
  leadDepartmentId: LEAD,
  cooperatingDepartmentIds: [COOP],
  deadline: '2026-08-31',
};

/** A valid body for every transition; a transition added to the table without one fails the matrix. */
const sampleBodies: Record<string, Record<string, unknown>> = {
  'clue->verifying': { verifyingDepartmentId: VERIFY, dueDate: '2026-05-20', note: '请于期限内现场核查' },
  'verifying->dismissed': { reason: '现场为已依法取得许可的看护房', evidenceIds: [11] },
  'verifying->confirmed': { note: '现场确有采砂作业' },
  'confirmed->rectifying': plan,
  'rectifying->pending_acceptance': { report: '设备已清除，已完成覆土复绿', evidenceIds: [12, 13] },
  'pending_acceptance->closed': { ticks: mining.map((c, i) => ({ code: c.code, evidenceIds: [20 + i] })) },
  'pending_acceptance->rectifying': { reason: '现场仍有砂堆未清运' },
  'closed->reopened': { reason: '回头看发现又有采砂船作业' },
  'reopened->rectifying': { ...plan, leadDepartmentId: OTHER, cooperatingDepartmentIds: [LEAD] },
};

const keyOf = (t: Pick<TransitionRule, 'from' | 'to'>) => `${t.from}->${t.to}`;

function bodyFor(t: TransitionRule, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const sample = sampleBodies[keyOf(t)];
  if (!sample) throw new Error(`no sample body for ${keyOf(t)}: add one to sampleBodies`);
  return { to: t.to, version: 3, ...structuredClone(sample), ...overrides };
}

function contextFor(body: unknown, overrides: Partial<TransitionContext> = {}): TransitionContext {
  return { today: TODAY, evidenceCount: citedEvidenceIds(body).length, closingConditions: mining, ...overrides };
}

/** Who each party is, written from DESIGN.md and the brief rather than read from roles.ts. */
const oracle: Record<Party, (role: Role, dept: number | null, f: WorkflowFinding) => boolean> = {
  coordinator: (role) => role === 'coordinator',
  acceptor: (role) => role === 'coordinator',
  verifying_department: (role, dept, f) => ['coordinator', 'officer', 'inspector'].includes(role) && dept === f.verifyingDepartmentId,
  lead_department: (role, dept, f) => ['coordinator', 'officer'].includes(role) && dept === f.leadDepartmentId,
  independent_department: (role, dept, f) =>
    ['coordinator', 'officer'].includes(role) &&
    dept !== null &&
    dept !== f.leadDepartmentId &&
    !f.cooperatingDepartmentIds.includes(dept) &&
    (f.acceptingDepartmentId == null || f.acceptingDepartmentId === dept),
};

const departmentsToTry = [VERIFY, LEAD, COOP, ACCEPT, OTHER, null];
const acceptingVariants: Array<number | null> = [null, ACCEPT];

describe('the transitions table', () => {
  it('is the chain of the design, with the parties of the brief', () => {
    expect(transitions.map((t) => [keyOf(t), [...t.who].sort()])).toEqual([
      ['clue->verifying', ['coordinator']],
      ['verifying->dismissed', ['coordinator', 'verifying_department']],
      ['verifying->confirmed', ['coordinator', 'verifying_department']],
      ['confirmed->rectifying', ['coordinator']],
      ['rectifying->pending_acceptance', ['coordinator', 'lead_department']],
      ['pending_acceptance->closed', ['acceptor', 'independent_department']],
      ['pending_acceptance->rectifying', ['acceptor', 'independent_department']],
      ['closed->reopened', ['coordinator']],
      ['reopened->rectifying', ['coordinator']],
    ]);
  });

  it('lists the fields each body requires', () => {
    expect(Object.fromEntries(transitions.map((t) => [keyOf(t), t.required]))).toEqual({
      'clue->verifying': ['verifyingDepartmentId', 'dueDate'],
      'verifying->dismissed': ['reason', 'evidenceIds'],
      'verifying->confirmed': ['note'],
      'confirmed->rectifying': ['measures', 'leadDepartmentId', 'cooperatingDepartmentIds', 'deadline'],
      'rectifying->pending_acceptance': ['report', 'evidenceIds'],
      'pending_acceptance->closed': ['ticks'],
      'pending_acceptance->rectifying': ['reason'],
      'closed->reopened': ['reason'],
      'reopened->rectifying': ['measures', 'leadDepartmentId', 'cooperatingDepartmentIds', 'deadline'],
    });
  });

  it('only leaves non-terminal states and reaches every state', () => {
    for (const t of transitions) expect(terminalStates).not.toContain(t.from);
    const reached = new Set(['clue', ...transitions.map((t) => t.to)]);
    expect([...reached].sort()).toEqual([...findingStates].sort());
    expect(terminalStates).toEqual(['dismissed']);
  });

  it('has an oracle for every party', () => {
    expect(Object.keys(oracle).sort()).toEqual([...parties].sort());
  });

  it('accepts every sample body in the exported union schema', () => {
    for (const t of transitions) expect(transitionBody.safeParse(bodyFor(t)).success, keyOf(t)).toBe(true);
    expect(transitionBody.safeParse({ to: 'closed', version: 1 }).success).toBe(false);
  });
});

describe('who may request each transition (generated from the table)', () => {
  for (const t of transitions) {
    it(`${keyOf(t)}: every role × department`, () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const accepting of acceptingVariants) {
        const f = finding(t.from, { acceptingDepartmentId: accepting });
        for (const role of roles) {
          for (const dept of departmentsToTry) {
            const body = bodyFor(t);
            const result = checkTransition(f, actor(role, dept), body, contextFor(body));
            const expected = t.who.some((party) => oracle[party](role, dept, f));
            const label = `${role}@${dept} (accepting ${accepting})`;
            got.push(`${label}: ${result.ok ? `ok→${result.next}` : `${result.status} ${result.error.code}`}`);
            want.push(`${label}: ${expected ? `ok→${t.to}` : '403 forbidden'}`);
            expect(allowedTransitions(f, actor(role, dept)).includes(t.to), `${label} allowedTransitions`).toBe(expected);
            if (!result.ok && result.status === 403) expect(result.error.message).toContain(t.forbiddenZh);
          }
        }
      }
      expect(got).toEqual(want);
    });
  }

  it('lets viewers and admins do nothing, in any state, whatever they ask', () => {
    for (const state of findingStates) {
      for (const role of ['viewer', 'admin'] as const) {
        for (const dept of departmentsToTry) {
          expect(allowedTransitions(finding(state), actor(role, dept))).toEqual([]);
          for (const to of findingStates) {
            const rule = transitions.find((t) => t.from === state && t.to === to);
            const body = rule ? bodyFor(rule) : { to, version: 3 };
            const result = checkTransition(finding(state), actor(role, dept), body, contextFor(body));
            expect(result.ok, `${role} ${state}->${to}`).toBe(false);
          }
        }
      }
    }
  });

  it('says why, naming the rectifier that tries to accept its own work', () => {
    const t = transitions.find((r) => keyOf(r) === 'pending_acceptance->closed')!;
    const body = bodyFor(t);
    const asLead = checkTransition(finding('pending_acceptance'), actor('officer', LEAD), body, contextFor(body));
    expect(asLead).toEqual({
      ok: false,
      status: 403,
      error: {
        code: 'forbidden',
        message: '只有联合执法协调员或承担整改（牵头、配合）以外的部门可以验收销号（您所在部门是此问题的牵头整改部门）',
      },
    });
    const asCoop = checkTransition(finding('pending_acceptance'), actor('officer', COOP), body, contextFor(body));
    expect(!asCoop.ok && asCoop.error.message).toContain('配合整改部门');
    const asViewer = checkTransition(finding('pending_acceptance'), actor('viewer', OTHER), body, contextFor(body));
    expect(!asViewer.ok && asViewer.error.message).toContain('查看人员只能查阅');
    const named = finding('pending_acceptance', { acceptingDepartmentId: ACCEPT });
    const asOther = checkTransition(named, actor('officer', OTHER), body, contextFor(body));
    expect(!asOther.ok && asOther.error.message).toContain('已指定其他部门验收');
  });

  it('keeps inspectors to verification and recording: they cannot report completion or accept', () => {
    expect(allowedTransitions(finding('verifying'), actor('inspector', VERIFY))).toEqual(['dismissed', 'confirmed']);
    expect(allowedTransitions(finding('rectifying'), actor('inspector', LEAD))).toEqual([]);
    expect(allowedTransitions(finding('pending_acceptance'), actor('inspector', OTHER))).toEqual([]);
    expect(allowedTransitions(finding('rectifying'), actor('officer', LEAD))).toEqual(['pending_acceptance']);
    expect(allowedTransitions(finding('rectifying'), actor('officer', COOP))).toEqual([]);
    expect(allowedTransitions(finding('pending_acceptance'), actor('officer', OTHER))).toEqual(['closed', 'rectifying']);
    expect(allowedTransitions(finding('pending_acceptance'), actor('coordinator', LEAD))).toEqual(['closed', 'rectifying']);
    expect(allowedTransitions(finding('clue'), actor('officer', VERIFY))).toEqual([]);
    expect(allowedTransitions(finding('dismissed'), actor('coordinator', null))).toEqual([]);
  });
});

describe('illegal transitions', () => {
  const illegal = findingStates.flatMap((from) =>
    findingStates.filter((to) => !transitions.some((t) => t.from === from && t.to === to)).map((to) => [from, to] as const),
  );

  it('answers 409 for every pair the table does not list, for every role', () => {
    expect(illegal.length).toBe(findingStates.length ** 2 - transitions.length);
    for (const [from, to] of illegal) {
      for (const role of roles) {
        const body = { to, version: 3 };
        const result = checkTransition(finding(from), actor(role, LEAD), body, contextFor(body));
        expect(result.ok ? 'ok' : `${result.status} ${result.error.code}`, `${role} ${from}->${to}`).toBe('409 illegal_transition');
        if (!result.ok) {
          expect(result.error.message).toContain(`“${stateLabelsZh[from]}”`);
          if (from !== to) expect(result.error.message).toContain(`“${stateLabelsZh[to]}”`);
        }
      }
    }
  });

  it('names the current and requested state, and what is possible', () => {
    const body = { to: 'closed', version: 3 };
    expect(checkTransition(finding('clue'), actor('coordinator', null), body, contextFor(body))).toEqual({
      ok: false,
      status: 409,
      error: { code: 'illegal_transition', message: '当前状态为“线索”，不能直接变为“已销号”（可变为：“核查中”）' },
    });
    const again = { to: 'verifying', version: 3 };
    const fromDismissed = checkTransition(finding('dismissed'), actor('coordinator', null), again, contextFor(again));
    expect(!fromDismissed.ok && fromDismissed.error.message).toBe('当前状态为“不属实”，不能直接变为“核查中”（“不属实”为终结状态）');
  });

  it('answers 409 conflict when the body was prepared against another version', () => {
    const t = transitions[0];
    const body = bodyFor(t, { version: 2 });
    const result = checkTransition(finding('clue'), actor('coordinator', null), body, contextFor(body));
    expect(result.ok ? 'ok' : `${result.status} ${result.error.code}`).toBe('409 conflict');
    const unversioned = checkTransition(finding('clue', { version: undefined }), actor('coordinator', null), body, contextFor(body));
    expect(unversioned.ok).toBe(true);
  });

  it('answers 400 for a `to` that is not a state and for a missing version', () => {
    const odd = { to: 'approved', version: 3 };
    const result = checkTransition(finding('clue'), actor('coordinator', null), odd, contextFor(odd));
    expect(!result.ok && [result.status, result.error.issues?.map((i) => i.path)]).toEqual([400, ['to']]);
    const noVersion = { to: 'verifying', verifyingDepartmentId: 1, dueDate: '2026-06-01' };
    const r2 = checkTransition(finding('clue'), actor('coordinator', null), noVersion, contextFor(noVersion));
    expect(!r2.ok && [r2.status, r2.error.issues?.map((i) => i.path)]).toEqual([400, ['version']]);
    const r3 = checkTransition(finding('clue'), actor('coordinator', null), 'verifying', contextFor({}));
    expect(!r3.ok && r3.status).toBe(400);
  });
});

describe('request bodies', () => {
  const coordinator = actor('coordinator', null);

  for (const t of transitions) {
    it(`${keyOf(t)}: each required field missing → 400 naming it`, () => {
      for (const field of t.required) {
        const body = bodyFor(t);
        delete body[field];
        const result = checkTransition(finding(t.from), coordinator, body, contextFor(body));
        expect(result.ok ? 'ok' : `${result.status} ${result.error.code}`, field).toBe('400 invalid_request');
        if (!result.ok) {
          expect(result.error.issues?.map((i) => i.path)).toContain(field);
          expect(result.error.message).toContain(field);
        }
      }
    });

    it(`${keyOf(t)}: an unknown field → 400`, () => {
      const body = bodyFor(t, { surprise: 1 });
      const result = checkTransition(finding(t.from), coordinator, body, contextFor(body));
      expect(!result.ok && result.status).toBe(400);
    });
  }

  const planRule = transitions.find((t) => keyOf(t) === 'confirmed->rectifying')!;
  const issuePaths = (overrides: Record<string, unknown>, ctx: Partial<TransitionContext> = {}, rule = planRule) => {
    const body = bodyFor(rule, overrides);
    const result = checkTransition(finding(rule.from), coordinator, body, contextFor(body, ctx));
    return result.ok ? 'ok' : result.error.issues?.map((i) => i.path);
  };

  it('refuses a plan whose lead is also cooperating, duplicate or empty measures, unknown measures', () => {
    expect(issuePaths({ cooperatingDepartmentIds: [COOP, LEAD] })).toEqual(['cooperatingDepartmentIds']);
    expect(issuePaths({ cooperatingDepartmentIds: [COOP, COOP] })).toEqual(['cooperatingDepartmentIds']);
    expect(issuePaths({ measures: [] })).toEqual(['measures']);
    expect(issuePaths({ measures: ['exit', 'exit'] })).toEqual(['measures']);
    expect(issuePaths({ measures: ['demolish'] })).toEqual(['measures.0']);
    expect(issuePaths({ acceptingDepartmentId: LEAD })).toEqual(['acceptingDepartmentId']);
    expect(issuePaths({ acceptingDepartmentId: ACCEPT })).toBe('ok');
    expect(issuePaths({ cooperatingDepartmentIds: [] })).toBe('ok');
  });

  it('refuses a deadline before today and accepts today; also a verification due date', () => {
    expect(issuePaths({ deadline: '2026-05-09' })).toEqual(['deadline']);
    expect(issuePaths({ deadline: TODAY })).toBe('ok');
    expect(issuePaths({ deadline: '2026-02-30' })).toEqual(['deadline']);
    const verify = transitions[0];
    expect(issuePaths({ dueDate: '2026-05-09' }, {}, verify)).toEqual(['dueDate']);
    expect(issuePaths({ dueDate: TODAY }, {}, verify)).toBe('ok');
  });

  it('requires evidence where the design does, and that cited attachments exist', () => {
    const dismiss = transitions.find((t) => keyOf(t) === 'verifying->dismissed')!;
    expect(issuePaths({ evidenceIds: [] }, {}, dismiss)).toEqual(['evidenceIds']);
    expect(issuePaths({ reason: '   ' }, {}, dismiss)).toEqual(['reason']);
    expect(issuePaths({ evidenceIds: [11, 12] }, { evidenceCount: 1 }, dismiss)).toEqual(['evidenceIds']);
    const report = transitions.find((t) => keyOf(t) === 'rectifying->pending_acceptance')!;
    expect(issuePaths({ evidenceIds: [] }, {}, report)).toEqual(['evidenceIds']);
    const confirm = transitions.find((t) => keyOf(t) === 'verifying->confirmed')!;
    expect(issuePaths({}, {}, confirm)).toBe('ok');
  });

  describe('closing', () => {
    const close = transitions.find((t) => keyOf(t) === 'pending_acceptance->closed')!;

    it('requires every applicable condition ticked with evidence, naming what is missing', () => {
      const ticks = mining.slice(1).map((c) => ({ code: c.code, evidenceIds: [30] }));
      const body = bodyFor(close, { ticks: [...ticks, { code: mining[0].code, evidenceIds: [] }] });
      const result = checkTransition(finding('pending_acceptance'), coordinator, body, contextFor(body));
      expect(result).toEqual({
        ok: false,
        status: 400,
        error: {
          code: 'invalid_request',
          message: '请求内容有误：ticks',
          issues: [{ path: 'ticks', message: '以下销号条件尚未勾选或缺少证据：断水断电' }],
        },
      });
    });

    it('refuses ticks for conditions that do not apply, and cited attachments that do not exist', () => {
      const body = bodyFor(close);
      (body.ticks as unknown[]).push({ code: 'water_quality_restored', evidenceIds: [40] });
      expect(issuePaths(body, {}, close)).toEqual([`ticks.${mining.length}.code`]);
      expect(issuePaths({}, { evidenceCount: 1 }, close)).toEqual(['ticks']);
    });

    it('cannot be judged without the conditions', () => {
      const body = bodyFor(close);
      expect(() => checkTransition(finding('pending_acceptance'), coordinator, body, contextFor(body, { closingConditions: undefined }))).toThrow(
        /closingConditions/,
      );
    });
  });
});

describe('task effects', () => {
  const run = (key: string, f: WorkflowFinding, overrides: Record<string, unknown> = {}) => {
    const t = transitions.find((r) => keyOf(r) === key)!;
    const body = bodyFor(t, overrides);
    const result = checkTransition(f, actor('coordinator', null), body, contextFor(body));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.taskEffects;
  };

  it('opens, closes and returns the tasks of each step', () => {
    const expected: Record<string, unknown[]> = {
      'clue->verifying': [{ action: 'open', kind: 'verify', departmentId: VERIFY, dueDate: '2026-05-20' }],
      'verifying->dismissed': [{ action: 'close', kind: 'verify', departmentId: VERIFY }],
      'verifying->confirmed': [{ action: 'close', kind: 'verify', departmentId: VERIFY }],
      'confirmed->rectifying': [
        { action: 'open', kind: 'rectify', departmentId: LEAD, dueDate: '2026-08-31' },
        { action: 'open', kind: 'rectify', departmentId: COOP, dueDate: '2026-08-31' },
      ],
      'rectifying->pending_acceptance': [
        { action: 'close', kind: 'rectify', departmentId: LEAD },
        { action: 'close', kind: 'rectify', departmentId: COOP },
        { action: 'open', kind: 'accept', departmentId: ACCEPT },
      ],
      'pending_acceptance->closed': [{ action: 'close', kind: 'accept', departmentId: ACCEPT }],
      'pending_acceptance->rectifying': [
        { action: 'close', kind: 'accept', departmentId: ACCEPT },
        { action: 'return', kind: 'rectify', departmentId: LEAD },
        { action: 'return', kind: 'rectify', departmentId: COOP },
      ],
      'closed->reopened': [],
      'reopened->rectifying': [
        { action: 'open', kind: 'rectify', departmentId: OTHER, dueDate: '2026-08-31' },
        { action: 'open', kind: 'rectify', departmentId: LEAD, dueDate: '2026-08-31' },
      ],
    };
    expect(Object.keys(expected).sort()).toEqual(transitions.map(keyOf).sort());
    for (const t of transitions) {
      expect(run(keyOf(t), finding(t.from, { acceptingDepartmentId: ACCEPT })), keyOf(t)).toEqual(expected[keyOf(t)]);
    }
  });

  it('sends the accept task to the coordinators when no accepting department is named', () => {
    expect(run('rectifying->pending_acceptance', finding('rectifying'))).toContainEqual({ action: 'open', kind: 'accept', departmentId: null });
  });

  it('opens one rectify task per cooperating department, none when there are none', () => {
    expect(run('confirmed->rectifying', finding('confirmed'), { cooperatingDepartmentIds: [COOP, OTHER] })).toHaveLength(3);
    expect(run('confirmed->rectifying', finding('confirmed'), { cooperatingDepartmentIds: [] })).toHaveLength(1);
  });

  it('returns the parsed body as data, trimmed', () => {
    const t = transitions.find((r) => keyOf(r) === 'closed->reopened')!;
    const body = bodyFor(t, { reason: '  又见采砂  ' });
    const result = checkTransition(finding('closed'), actor('coordinator', null), body, contextFor(body));
    expect(result.ok && result).toEqual({ ok: true, next: 'reopened', data: { to: 'reopened', version: 3, reason: '又见采砂' }, taskEffects: [] });
  });
});

describe('applying a step', () => {
  const AT = '2026-05-10T02:00:00.000Z';
  const task = (over: Partial<StepTask>): StepTask => ({ id: 1, kind: 'verify', departmentId: VERIFY, status: 'open', dueOn: '2026-05-20', version: 1, closedAt: null, ...over });
  const record = (state: FindingState, over: Partial<StepFinding> = {}): StepFinding => ({ ...finding(state), version: 3, measures: null, deadline: null, closingTicks: null, ...over });
  const accepted = (f: StepFinding, key: string, overrides: Record<string, unknown> = {}) => {
    const body = bodyFor(transitions.find((r) => keyOf(r) === key)!, overrides);
    const result = checkTransition(f, actor('coordinator', null), body, contextFor(body));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result;
  };

  it('closes a task the department has taken up (in progress), as well as open and returned ones', () => {
    const tasks = [task({ id: 1, status: 'in_progress' }), task({ id: 2, status: 'returned' }), task({ id: 3, status: 'done', closedAt: '2026-05-01T00:00:00.000Z' }), task({ id: 4, departmentId: OTHER })];
    const out = applyTaskEffects(tasks, [{ action: 'close', kind: 'verify', departmentId: VERIFY }], AT);
    expect(out.map((t) => [t.id, t.status, t.version, t.closedAt, t.changed ?? false])).toEqual([
      [1, 'done', 2, AT, true],
      [2, 'done', 2, AT, true],
      [3, 'done', 1, '2026-05-01T00:00:00.000Z', false],
      [4, 'open', 1, null, false],
    ]);
    expect(tasks[0].status).toBe('in_progress');
  });

  it('sends back only the latest task of the kind and department, and opens new ones with their due date', () => {
    const tasks = [task({ id: 1, kind: 'rectify', departmentId: LEAD, status: 'done', closedAt: AT }), task({ id: 2, kind: 'rectify', departmentId: LEAD, status: 'done', closedAt: AT })];
    const out = applyTaskEffects(tasks, [{ action: 'return', kind: 'rectify', departmentId: LEAD }, { action: 'open', kind: 'accept', departmentId: null }], AT);
    expect(out.map((t) => [t.id ?? null, t.kind, t.status, t.closedAt, t.dueOn])).toEqual([
      [1, 'rectify', 'done', AT, '2026-05-20'],
      [2, 'rectify', 'returned', null, '2026-05-20'],
      [null, 'accept', 'open', null, null],
    ]);
  });

  it('moves the finding, its plan and its tasks in one result, with the event the API records', () => {
    const before = record('confirmed');
    const step = applyStep(before, [task({ status: 'done', closedAt: AT })], accepted(before, 'confirmed->rectifying'), AT);
    expect(step.finding).toEqual({ ...before, state: 'rectifying', version: 4, measures: ['exit', 'restore'], deadline: '2026-08-31', leadDepartmentId: LEAD, cooperatingDepartmentIds: [COOP], acceptingDepartmentId: null });
    expect(step.tasks.filter((t) => t.changed).map((t) => [t.kind, t.departmentId, t.dueOn])).toEqual([
      ['rectify', LEAD, '2026-08-31'],
      ['rectify', COOP, '2026-08-31'],
    ]);
    expect(step.event).toEqual({ action: 'finding.rectifying', before: { state: 'confirmed' }, after: { state: 'rectifying', to: 'rectifying', ...plan } });
    const closing = record('pending_acceptance', { acceptingDepartmentId: ACCEPT });
    const closed = applyStep(closing, [task({ kind: 'accept', departmentId: ACCEPT })], accepted(closing, 'pending_acceptance->closed'), AT);
    expect(closed.finding).toMatchObject({ state: 'closed', version: 4, closingTicks: sampleBodies['pending_acceptance->closed'].ticks });
    expect(closed.tasks).toEqual([task({ kind: 'accept', departmentId: ACCEPT, status: 'done', version: 2, closedAt: AT, changed: true })]);
  });
});

describe('citedEvidenceIds', () => {
  it('collects ids from evidenceIds and ticks, once each, ignoring junk', () => {
    expect(citedEvidenceIds({ evidenceIds: [3, 3, 'x', -1, 1.5], ticks: [{ evidenceIds: [3, 4] }, null, { evidenceIds: 'no' }] })).toEqual([3, 4]);
    expect(citedEvidenceIds(null)).toEqual([]);
  });
});

describe('overdue and escalated', () => {
  const rectifying = (deadline: string | null) => ({ state: 'rectifying' as const, deadline });

  it('is on time on the deadline day and overdue the day after', () => {
    expect(overdue(rectifying('2026-05-10'), '2026-05-10')).toBe(false);
    expect(overdue(rectifying('2026-05-10'), '2026-05-11')).toBe(true);
    expect(daysOverdue(rectifying('2026-05-10'), '2026-05-11')).toBe(1);
    expect(daysOverdue(rectifying('2026-05-10'), '2026-05-01')).toBe(0);
  });

  it('escalates only after more than the configured days', () => {
    expect(escalated(rectifying('2026-05-10'), '2026-06-09')).toBe(false); // 30 days late
    expect(escalated(rectifying('2026-05-10'), '2026-06-10')).toBe(true); // 31 days late
    expect(escalated(rectifying('2026-05-10'), '2026-05-17', 7)).toBe(false);
    expect(escalated(rectifying('2026-05-10'), '2026-05-18', 7)).toBe(true);
    expect(escalated(rectifying('2026-05-10'), '2026-05-11', 0)).toBe(true);
    expect(escalated(rectifying('2026-05-10'), '2026-05-10', 0)).toBe(false);
  });

  it('counts calendar days across months, years and leap days', () => {
    expect(daysOverdue(rectifying('2026-12-31'), '2027-01-01')).toBe(1);
    expect(daysOverdue(rectifying('2028-02-28'), '2028-03-01')).toBe(2);
    expect(daysOverdue(rectifying('2027-02-28'), '2027-03-01')).toBe(1);
  });

  it('uses the verification due date while verifying, the plan deadline until closed', () => {
    expect(runningDeadline({ state: 'verifying', deadline: '2026-01-01', verifyDueDate: '2026-05-01' })).toBe('2026-05-01');
    expect(overdue({ state: 'verifying', deadline: null, verifyDueDate: '2026-05-01' }, '2026-05-02')).toBe(true);
    expect(overdue({ state: 'verifying', deadline: '2026-01-01' }, '2026-05-02')).toBe(false);
    expect(overdue({ state: 'pending_acceptance', deadline: '2026-05-01' }, '2026-05-02')).toBe(true);
    expect(overdue(rectifying(null), '2026-05-02')).toBe(false);
  });

  it('is never overdue when closed, dismissed, reopened, confirmed or a clue', () => {
    for (const state of ['closed', 'dismissed', 'reopened', 'confirmed', 'clue'] as const) {
      expect(overdue({ state, deadline: '2020-01-01', verifyDueDate: '2020-01-01' }, TODAY), state).toBe(false);
      expect(escalated({ state, deadline: '2020-01-01', verifyDueDate: '2020-01-01' }, TODAY), state).toBe(false);
    }
  });

  it('refuses a malformed date rather than guessing', () => {
    expect(() => overdue(rectifying('2026-05-10'), '10/05/2026')).toThrow(TypeError);
    const body = { to: 'verifying', version: 3 };
    expect(() => checkTransition(finding('clue'), actor('coordinator', null), body, { today: 'today', evidenceCount: 0 })).toThrow(TypeError);
  });
});
