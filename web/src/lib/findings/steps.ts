import type { MessageKey } from '../i18n/messages.ts';
import type { ClosingCondition, FindingRule, Task } from './types.ts';
import { MEASURES } from './types.ts';

/**
 * The actions of the rectification chain, in the order a finding meets them. The server lists the
 * ones a person may take now in the detail's `allowedActions`; the page shows exactly those.
 */
export const FINDING_ACTIONS = [
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
export type FindingAction = (typeof FINDING_ACTIONS)[number];

/** Whether a string from the server is an action this page has a form for. */
export function isFindingAction(value: string): value is FindingAction {
  return (FINDING_ACTIONS as readonly string[]).includes(value);
}

/** The actions of `allowed` that have a form, in chain order (unknown names are left out). */
export function offeredActions(allowed: readonly string[]): FindingAction[] {
  return FINDING_ACTIONS.filter((a) => allowed.includes(a));
}

export type FieldKind =
  | 'department'
  | 'departments'
  | 'date'
  | 'text'
  | 'line'
  | 'choice'
  | 'percent'
  | 'flag'
  | 'measures'
  | 'evidence'
  | 'ticks'
  | 'task';

/** What a form knows besides its own fields: today, the finding's rule and its current deadlines. */
export interface ActionContext {
  today: string;
  rule: FindingRule | null;
  /** The re-check tasks of the finding (a 回头看 names the one it answers). */
  rechecks: readonly Task[];
  /** The deadline an extension must go beyond: the plan due date while planning, else the deadline. */
  currentDeadline: string | null;
}

type Values = Record<string, unknown>;

/** One field of an action's form, named as the request body names it. */
export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** Must be filled (for evidence: at least one file); a function when another field decides. */
  required: boolean | ((v: Values, ctx: ActionContext) => boolean);
  /** Shown (and sent) only when this holds. */
  when?: (v: Values) => boolean;
  options?: readonly string[];
  /** Dates: the earliest and latest a person may choose. */
  min?: 'today';
  max?: 'today';
  /** Dates: the value the form starts with, as days after today. */
  startDays?: number;
}

const outcomeIs =
  (...outcomes: string[]) =>
  (v: Values): boolean =>
    outcomes.includes(String(v.outcome ?? ''));

/** The fields of every action, as the transition API's table lists them. */
export const ACTION_FIELDS: Readonly<Record<FindingAction, readonly FieldSpec[]>> = {
  dispatch: [
    { name: 'verifyingDepartmentId', kind: 'department', required: true },
    { name: 'dueDate', kind: 'date', required: true, min: 'today', startDays: 15 },
    { name: 'instruction', kind: 'text', required: false },
  ],
  confirm: [
    { name: 'outcome', kind: 'choice', required: true, options: ['historical', 'illegal'] },
    { name: 'conclusion', kind: 'text', required: true },
    { name: 'evidenceIds', kind: 'evidence', required: true },
  ],
  dismiss: [
    { name: 'outcome', kind: 'choice', required: true, options: ['not_true', 'lawful', 'vanished', 'rectified'] },
    { name: 'approvalNo', kind: 'line', required: true, when: outcomeIs('lawful') },
    { name: 'approvalAuthority', kind: 'line', required: true, when: outcomeIs('lawful') },
    { name: 'approvedOn', kind: 'date', required: true, max: 'today', when: outcomeIs('lawful') },
    { name: 'observedOn', kind: 'date', required: true, max: 'today', startDays: 0, when: outcomeIs('vanished') },
    { name: 'rectifiedOn', kind: 'date', required: true, max: 'today', when: outcomeIs('rectified') },
    { name: 'reason', kind: 'text', required: true },
    { name: 'evidenceIds', kind: 'evidence', required: true },
  ],
  overturn: [
    { name: 'reason', kind: 'text', required: true },
    { name: 'verifyingDepartmentId', kind: 'department', required: true },
    { name: 'dueDate', kind: 'date', required: true, min: 'today', startDays: 15 },
  ],
  assign_plan: [
    { name: 'leadDepartmentId', kind: 'department', required: true },
    { name: 'cooperatingDepartmentIds', kind: 'departments', required: false },
    { name: 'drafterDepartmentId', kind: 'department', required: false },
    { name: 'acceptingDepartmentId', kind: 'department', required: false },
    { name: 'planDueDate', kind: 'date', required: true, min: 'today', startDays: 30 },
    { name: 'instruction', kind: 'text', required: false },
  ],
  submit_plan: [
    { name: 'responsibleParty', kind: 'line', required: true },
    { name: 'targets', kind: 'text', required: true },
    { name: 'measures', kind: 'measures', required: true },
    { name: 'deadline', kind: 'date', required: true, min: 'today', startDays: 90 },
    { name: 'assessmentEvidenceIds', kind: 'evidence', required: (_v, ctx) => ctx.rule?.requiresAssessment === true },
    { name: 'evidenceIds', kind: 'evidence', required: false },
  ],
  review_plan: [
    { name: 'decision', kind: 'choice', required: true, options: ['approve', 'return'] },
    { name: 'opinion', kind: 'text', required: true },
  ],
  record_progress: [
    { name: 'progressOn', kind: 'date', required: true, max: 'today', startDays: 0 },
    { name: 'text', kind: 'text', required: true },
    { name: 'percent', kind: 'percent', required: false },
    { name: 'evidenceIds', kind: 'evidence', required: false },
  ],
  report_part: [
    { name: 'report', kind: 'text', required: true },
    { name: 'evidenceIds', kind: 'evidence', required: true },
  ],
  request_extension: [
    { name: 'requestedDeadline', kind: 'date', required: true, min: 'today' },
    { name: 'reason', kind: 'text', required: true },
  ],
  decide_extension: [
    { name: 'decision', kind: 'choice', required: true, options: ['approve', 'refuse'] },
    { name: 'opinion', kind: 'text', required: true },
  ],
  site_check: [
    { name: 'checkedOn', kind: 'date', required: true, max: 'today', startDays: 0 },
    { name: 'people', kind: 'line', required: true },
    { name: 'note', kind: 'text', required: true },
    { name: 'evidenceIds', kind: 'evidence', required: true },
  ],
  accept: [
    { name: 'ticks', kind: 'ticks', required: true },
    { name: 'opinion', kind: 'text', required: true },
  ],
  fail_acceptance: [
    { name: 'reason', kind: 'text', required: true },
    { name: 'deadline', kind: 'date', required: true, min: 'today', startDays: 60 },
  ],
  record_objection: [
    { name: 'receivedOn', kind: 'date', required: true, max: 'today', startDays: 0 },
    { name: 'objector', kind: 'line', required: true },
    { name: 'content', kind: 'text', required: true },
    { name: 'handling', kind: 'text', required: true },
    { name: 'upheld', kind: 'flag', required: false },
    { name: 'deadline', kind: 'date', required: true, min: 'today', startDays: 60, when: (v) => v.upheld === true },
  ],
  close: [
    { name: 'closedOn', kind: 'date', required: true, max: 'today', startDays: 0 },
    { name: 'closingDocumentNo', kind: 'line', required: true },
  ],
  recheck: [
    { name: 'taskId', kind: 'task', required: true },
    { name: 'result', kind: 'choice', required: true, options: ['stays_rectified', 'recurred'] },
    { name: 'note', kind: 'text', required: true },
    { name: 'evidenceIds', kind: 'evidence', required: true },
    { name: 'dueDate', kind: 'date', required: true, min: 'today', startDays: 15, when: (v) => v.result === 'recurred' },
  ],
  reopen: [
    { name: 'reason', kind: 'text', required: true },
    { name: 'verifyingDepartmentId', kind: 'department', required: true },
    { name: 'dueDate', kind: 'date', required: true, min: 'today', startDays: 15 },
    { name: 'evidenceIds', kind: 'evidence', required: false },
  ],
};

/** The fields of an action that the current values show. */
export function visibleFields(action: FindingAction, v: Values): FieldSpec[] {
  return ACTION_FIELDS[action].filter((f) => !f.when || f.when(v));
}

/** Whether a field must be filled, given the other values. */
export function isRequired(field: FieldSpec, v: Values, ctx: ActionContext): boolean {
  return typeof field.required === 'function' ? field.required(v, ctx) : field.required;
}

/** A calendar date some days after another (YYYY-MM-DD, no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The re-check tasks a 回头看 may still answer. */
export function openRechecks(rechecks: readonly Task[]): Task[] {
  return rechecks.filter((t) => t.status === 'open' || t.status === 'in_progress');
}

/**
 * A form's starting values: dates some days out where a due date is asked for, the measures the
 * rule requires already chosen, every condition unticked, the earliest open re-check task.
 */
export function initialValues(action: FindingAction, ctx: ActionContext): Values {
  const v: Values = {};
  for (const f of ACTION_FIELDS[action]) {
    switch (f.kind) {
      case 'department':
      case 'task':
        v[f.name] = null;
        break;
      case 'departments':
      case 'evidence':
        v[f.name] = [];
        break;
      case 'measures':
        v[f.name] = [...(ctx.rule?.requiredMeasures ?? [])];
        break;
      case 'flag':
        v[f.name] = false;
        break;
      case 'ticks':
        v[f.name] = Object.fromEntries((ctx.rule?.conditions ?? []).map((c) => [c.code, { checked: false, evidenceIds: [] as number[] }]));
        break;
      case 'date':
        v[f.name] = f.startDays === undefined ? '' : addDays(ctx.today, f.startDays);
        break;
      default:
        v[f.name] = '';
    }
  }
  if (action === 'recheck') {
    const [first] = [...openRechecks(ctx.rechecks)].sort((a, b) => String(a.dueOn).localeCompare(String(b.dueOn)));
    v.taskId = first?.id ?? null;
  }
  return v;
}

/** The measures a plan may name: those the rule allows, or every measure when it names none. */
export function planMeasures(rule: FindingRule | null): readonly string[] {
  return rule?.allowedMeasures.length ? MEASURES.filter((m) => rule.allowedMeasures.includes(m)) : MEASURES;
}

export type Ticks = Record<string, { checked: boolean; evidenceIds: number[] }>;

const text = (v: Values, name: string): string => (typeof v[name] === 'string' ? (v[name] as string).trim() : '');
const list = <T>(v: Values, name: string): T[] => (Array.isArray(v[name]) ? (v[name] as T[]) : []);

/**
 * What is missing or out of range before an action can be sent, by body field, in the person's
 * words. The server checks all of it again; this only saves a round trip and points at the field.
 */
export function actionProblems(action: FindingAction, v: Values, ctx: ActionContext): Record<string, MessageKey> {
  const problems: Record<string, MessageKey> = {};
  const conditions: readonly ClosingCondition[] = ctx.rule?.conditions ?? [];
  for (const f of visibleFields(action, v)) {
    const required = isRequired(f, v, ctx);
    switch (f.kind) {
      case 'text':
      case 'line':
        if (required && !text(v, f.name)) problems[f.name] = 'findingForm.needText';
        else if (text(v, f.name).length > 4000) problems[f.name] = 'findingForm.tooLong';
        break;
      case 'choice':
        if (required && !f.options?.includes(String(v[f.name] ?? ''))) problems[f.name] = 'findingForm.needChoice';
        break;
      case 'department':
      case 'task':
        if (required && typeof v[f.name] !== 'number') problems[f.name] = f.kind === 'task' ? 'findingForm.needTask' : 'findingForm.needDepartment';
        break;
      case 'evidence':
        if (required && list(v, f.name).length === 0) problems[f.name] = 'findingForm.needEvidence';
        break;
      case 'measures':
        if (required && list(v, f.name).length === 0) problems[f.name] = 'findingForm.needMeasure';
        break;
      case 'percent': {
        const raw = text(v, f.name);
        const n = Number(raw);
        if (raw && (!Number.isInteger(n) || n < 0 || n > 100)) problems[f.name] = 'findingForm.percentRange';
        break;
      }
      case 'ticks': {
        const ticks = (v[f.name] ?? {}) as Ticks;
        if (conditions.some((c) => !ticks[c.code]?.checked || (ticks[c.code]?.evidenceIds.length ?? 0) === 0)) problems[f.name] = 'findingForm.needTick';
        break;
      }
      case 'date': {
        const date = text(v, f.name);
        if (!date) {
          if (required) problems[f.name] = 'findingForm.needDate';
        } else if (f.max === 'today' && date > ctx.today) problems[f.name] = 'findingForm.notAfterToday';
        else if (f.min === 'today' && date < ctx.today) problems[f.name] = 'findingForm.notBeforeToday';
        else if (action === 'request_extension' && ctx.currentDeadline && date <= ctx.currentDeadline) problems[f.name] = 'findingForm.beyondDeadline';
        break;
      }
      default:
        break;
    }
  }
  return problems;
}

/** The request body of an action (without `version`, which the finding's state adds). */
export function actionBody(action: FindingAction, v: Values, ctx: ActionContext): Record<string, unknown> {
  const body: Record<string, unknown> = { action };
  for (const f of visibleFields(action, v)) {
    const required = isRequired(f, v, ctx);
    switch (f.kind) {
      case 'text':
      case 'line':
      case 'choice':
      case 'date': {
        const value = text(v, f.name);
        if (value || required) body[f.name] = value;
        break;
      }
      case 'department':
      case 'task':
        if (typeof v[f.name] === 'number' || required) body[f.name] = v[f.name] ?? null;
        break;
      case 'departments': {
        // The lead cannot also cooperate; a box left ticked from an earlier choice is dropped.
        body[f.name] = list<number>(v, f.name).filter((id) => id !== v.leadDepartmentId);
        break;
      }
      case 'evidence':
      case 'measures': {
        const items = list(v, f.name);
        if (items.length > 0 || required) body[f.name] = items;
        break;
      }
      case 'percent': {
        const raw = text(v, f.name);
        if (raw) body[f.name] = Number(raw);
        break;
      }
      case 'flag':
        body[f.name] = v[f.name] === true;
        break;
      case 'ticks': {
        const ticks = (v[f.name] ?? {}) as Ticks;
        body[f.name] = (ctx.rule?.conditions ?? []).map((c) => ({ code: c.code, evidenceIds: ticks[c.code]?.evidenceIds ?? [] }));
        break;
      }
    }
  }
  return body;
}

/** The catalogue key of a choice's option (outcomes, decisions and re-check results are also shown on the page). */
export function optionKey(field: string, option: string): string {
  if (field === 'outcome') return `outcome.${option}`;
  if (field === 'result') return `recheckResult.${option}`;
  return `decision.${option}`;
}

/** The catalogue key of an action's button and dialog title. */
export function actionLabel(action: FindingAction): MessageKey {
  return `action.${action}`;
}
