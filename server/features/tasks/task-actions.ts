/**
 * What a person may do to a task, as one pure function: the API lists it as `allowedActions`, the web
 * shows exactly those buttons, and PATCH /api/tasks/:id refuses every action it omits.
 */
import type { taskKinds, taskStatuses } from '../../lib/vocabulary.ts';
import { actsForDepartment, can, type Actor } from '../auth/roles.ts';

/** Actions a task may offer; `open_finding` is the way to the finding step that completes a workflow task. */
export const taskActionNames = ['take_up', 'reply', 'assign', 'complete', 'cancel', 'open_finding'] as const;
export type TaskAction = (typeof taskActionNames)[number];

/** The actions PATCH /api/tasks/:id carries out (`open_finding` is a link, not a change). */
export const patchTaskActions = ['take_up', 'reply', 'assign', 'complete', 'cancel'] as const satisfies readonly TaskAction[];
export type PatchTaskAction = (typeof patchTaskActions)[number];

/** Statuses still to be worked on; done and cancelled tasks are 已办 and take no action. */
export const activeStatuses = ['open', 'in_progress', 'returned'] as const satisfies readonly (typeof taskStatuses)[number][];

/** The facts of a task the decision reads. */
export interface ActionTask {
  kind: (typeof taskKinds)[number];
  status: (typeof taskStatuses)[number];
  /** Null only for an accept task in the coordinators' queue. */
  departmentId: number | null;
  /** Opened by a coordinator outside the workflow steps (ad-hoc 核查 or 检查). */
  adHoc: boolean;
  findingId: number | null;
}

/** Whether the actor works on this task: its department's officers, or any coordinator. */
export function worksOn(task: Pick<ActionTask, 'departmentId'>, actor: Pick<Actor, 'role' | 'departmentId'>): boolean {
  if (!can(actor, 'tasks.work')) return false;
  return task.departmentId === null ? can(actor, 'findings.accept') : actsForDepartment(actor, task.departmentId);
}

/**
 * The actions the actor may take on the task now, in display order. A workflow task (verify, plan,
 * review, rectify, accept, recheck opened by a step) ends only through its finding's step, which
 * carries the evidence; an ad-hoc task ends with its department's reply; a coordinator may cancel
 * any active task, with a reason, so no task is left open for ever.
 */
export function taskActions(task: ActionTask, actor: Pick<Actor, 'role' | 'departmentId'>): TaskAction[] {
  if (!(activeStatuses as readonly string[]).includes(task.status)) return [];
  const out: TaskAction[] = [];
  if (worksOn(task, actor)) {
    if (task.status !== 'in_progress') out.push('take_up');
    out.push('reply', 'assign');
    if (task.adHoc) out.push('complete');
    else if (task.findingId !== null) out.push('open_finding');
  }
  if (can(actor, 'findings.assign')) out.push('cancel');
  return out;
}

/** A person as task JSON names them. */
export type TaskPerson = { id: number; username: string; displayName: string } | null;

/** A task as the API answers it. */
export interface TaskRow {
  id: number;
  kind: ActionTask['kind'];
  status: ActionTask['status'];
  dueOn: string | null;
  version: number;
  adHoc: boolean;
  instruction: string | null;
  createdBy: TaskPerson;
  reply: string | null;
  repliedBy: TaskPerson;
  repliedAt: string | null;
  cancelReason: string | null;
  overdue: boolean;
  department: { id: number; code: string; nameZh: string; nameEn: string } | null;
  assignee: TaskPerson;
  finding: { id: number; serial: string; title: string; state: string; category: string } | null;
  inspectionId: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  allowedActions: TaskAction[];
}

/** A clue its coordinator must dispatch, as the inbox lists it. */
export interface OwnedClue {
  id: number;
  serial: string;
  title: string;
  category: string;
  batch: string | null;
  clueDueOn: string | null;
  overdue: boolean;
  daysOverdue: number;
  version: number;
}
