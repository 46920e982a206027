import type { MessageKey } from '../i18n/messages.ts';
import type { ClosingCondition, FindingState, Measure } from './types.ts';

/**
 * The forms of the chain's steps. `rectifying` is reached two ways with different bodies: a plan
 * (from confirmed or reopened) or a failed acceptance's reason (from pending_acceptance).
 */
export type StepKind = 'verifying' | 'dismissed' | 'confirmed' | 'plan' | 'return' | 'pending_acceptance' | 'closed' | 'reopened';

/** Which form a step from `from` to `to` takes. */
export function stepKind(from: FindingState, to: FindingState): StepKind {
  if (to === 'rectifying') return from === 'pending_acceptance' ? 'return' : 'plan';
  return to as Exclude<StepKind, 'plan' | 'return'>;
}

/** The label of a step's button and dialog. */
export function stepLabel(kind: StepKind): MessageKey {
  switch (kind) {
    case 'plan':
      return 'action.rectifying';
    case 'return':
      return 'action.returnForRectification';
    default:
      return `action.${kind}`;
  }
}

/** What the forms collect; each step sends only its own fields. */
export interface StepValues {
  departmentId: number | null;
  dueDate: string;
  text: string;
  measures: Measure[];
  leadDepartmentId: number | null;
  cooperatingDepartmentIds: number[];
  acceptingDepartmentId: number | null;
  deadline: string;
  evidenceIds: number[];
  /** Per closing condition: ticked, and the evidence uploaded for it. */
  ticks: Record<string, { checked: boolean; evidenceIds: number[] }>;
}

/** Empty values, with the due dates a fortnight (verification) or three months (rectification) out. */
export function emptyStepValues(today: string): StepValues {
  return {
    departmentId: null,
    dueDate: addDays(today, 14),
    text: '',
    measures: [],
    leadDepartmentId: null,
    cooperatingDepartmentIds: [],
    acceptingDepartmentId: null,
    deadline: addDays(today, 90),
    evidenceIds: [],
    ticks: {},
  };
}

/** A calendar date some days after another (YYYY-MM-DD, no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The body field that holds a step's text. */
export function textField(kind: StepKind): 'note' | 'reason' | 'report' {
  if (kind === 'dismissed' || kind === 'return' || kind === 'reopened') return 'reason';
  if (kind === 'pending_acceptance') return 'report';
  return 'note';
}

/** Whether the step's text must be given (instructions, plan notes and acceptance opinions are optional). */
export function textRequired(kind: StepKind): boolean {
  return !(kind === 'verifying' || kind === 'plan' || kind === 'closed');
}

/** Whether the step needs at least one piece of evidence of its own (closing asks per condition). */
export function evidenceRequired(kind: StepKind): boolean {
  return kind === 'dismissed' || kind === 'pending_acceptance';
}

/** Whether the step has an evidence upload of its own. */
export function hasEvidence(kind: StepKind): boolean {
  return kind === 'dismissed' || kind === 'confirmed' || kind === 'pending_acceptance' || kind === 'reopened';
}

/**
 * What is missing before a step can be sent, by body field, in the person's words. The server checks
 * all of it again; this only saves a round trip and points at the field.
 */
export function stepProblems(kind: StepKind, v: StepValues, conditions: readonly ClosingCondition[]): Record<string, MessageKey> {
  const problems: Record<string, MessageKey> = {};
  if (textRequired(kind) && !v.text.trim()) problems[textField(kind)] = 'findingForm.needText';
  if (evidenceRequired(kind) && v.evidenceIds.length === 0) problems.evidenceIds = 'findingForm.needEvidence';
  if (kind === 'verifying') {
    if (v.departmentId === null) problems.verifyingDepartmentId = 'findingForm.needDepartment';
    if (!v.dueDate) problems.dueDate = 'findingForm.needDate';
  }
  if (kind === 'plan') {
    if (v.measures.length === 0) problems.measures = 'findingForm.needMeasure';
    if (v.leadDepartmentId === null) problems.leadDepartmentId = 'findingForm.needDepartment';
    if (!v.deadline) problems.deadline = 'findingForm.needDate';
  }
  if (kind === 'closed' && conditions.some((c) => !v.ticks[c.code]?.checked || (v.ticks[c.code]?.evidenceIds.length ?? 0) === 0)) {
    problems.ticks = 'findingForm.needTick';
  }
  return problems;
}

/** The request body of a step (without `version`, which the finding's state adds). */
export function stepBody(kind: StepKind, v: StepValues, conditions: readonly ClosingCondition[]): Record<string, unknown> {
  const to = kind === 'plan' || kind === 'return' ? 'rectifying' : kind;
  const body: Record<string, unknown> = { to };
  const text = v.text.trim();
  if (text) body[textField(kind)] = text;
  switch (kind) {
    case 'verifying':
      body.verifyingDepartmentId = v.departmentId;
      body.dueDate = v.dueDate;
      break;
    case 'plan':
      body.measures = v.measures;
      body.leadDepartmentId = v.leadDepartmentId;
      // The lead cannot also cooperate; a box left ticked from an earlier choice is dropped.
      body.cooperatingDepartmentIds = v.cooperatingDepartmentIds.filter((id) => id !== v.leadDepartmentId);
      if (v.acceptingDepartmentId !== null) body.acceptingDepartmentId = v.acceptingDepartmentId;
      body.deadline = v.deadline;
      break;
    case 'closed':
      body.ticks = conditions.map((c) => ({ code: c.code, evidenceIds: v.ticks[c.code]?.evidenceIds ?? [] }));
      break;
    default:
      break;
  }
  if (hasEvidence(kind) && (v.evidenceIds.length > 0 || evidenceRequired(kind))) body.evidenceIds = v.evidenceIds;
  return body;
}
