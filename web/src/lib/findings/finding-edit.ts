import type { MessageKey } from '../i18n/messages.ts';
import type { Approval, FindingCategory, FindingSource, FindingSummary } from './types.ts';

/** The kinds of task a coordinator may assign outside the chain: 核查 and 复查. */
export const AD_HOC_TASK_KINDS = ['verify', 'inspect'] as const;
export type AdHocTaskKind = (typeof AD_HOC_TASK_KINDS)[number];

/** Body of `POST /api/findings/:id/tasks`. */
export interface NewTask {
  kind: AdHocTaskKind;
  departmentId: number;
  dueOn: string;
  note?: string;
}

/** What the ad-hoc task form holds. */
export interface TaskValues {
  kind: AdHocTaskKind;
  departmentId: number | null;
  dueOn: string;
  note: string;
}

/** Fields of the task form that are missing, with the message to show next to each. */
export function taskProblems(v: TaskValues): Partial<Record<keyof NewTask, MessageKey>> {
  const problems: Partial<Record<keyof NewTask, MessageKey>> = {};
  if (v.departmentId === null) problems.departmentId = 'findingForm.needDepartment';
  if (!v.dueOn) problems.dueOn = 'findingForm.needDate';
  return problems;
}

/** The request body for a filled-in task form (the note only when written). */
export function taskBody(v: TaskValues): NewTask {
  const note = v.note.trim();
  return { kind: v.kind, departmentId: v.departmentId ?? 0, dueOn: v.dueOn, ...(note ? { note } : {}) };
}

/** The facts the edit form changes (geometry is not edited here). */
export interface FactValues {
  title: string;
  description: string;
  category: FindingCategory;
  source: FindingSource;
  batch: string;
  discoveredAt: string;
  constructedAt: string;
  approval: Approval;
}

export type FactsPatch = Partial<{
  title: string;
  description: string;
  category: FindingCategory;
  source: FindingSource;
  batch: string | null;
  discoveredAt: string;
  constructedAt: string | null;
  approval: Approval;
}>;

/** The edit form's starting values for a finding. */
export function factValues(f: FindingSummary): FactValues {
  return {
    title: f.title,
    description: f.description,
    category: f.category,
    source: f.source,
    batch: f.batch ?? '',
    discoveredAt: f.discoveredAt,
    constructedAt: f.constructedAt ?? '',
    approval: f.approval,
  };
}

/** Fields of the edit form that must not be blank. */
export function factProblems(v: FactValues): Partial<Record<keyof FactValues, MessageKey>> {
  const problems: Partial<Record<keyof FactValues, MessageKey>> = {};
  if (!v.title.trim()) problems.title = 'findingForm.needText';
  if (!v.description.trim()) problems.description = 'findingForm.needText';
  if (!v.discoveredAt) problems.discoveredAt = 'findingForm.needDate';
  return problems;
}

/**
 * Only the facts that changed, so the audit trail records what was really edited; blank optional
 * fields (batch, built on) become null, which clears them.
 */
export function factsPatch(before: FindingSummary, v: FactValues): FactsPatch {
  const patch: FactsPatch = {};
  const title = v.title.trim();
  const description = v.description.trim();
  const batch = v.batch.trim() || null;
  const constructedAt = v.constructedAt || null;
  if (title !== before.title) patch.title = title;
  if (description !== before.description) patch.description = description;
  if (v.category !== before.category) patch.category = v.category;
  if (v.source !== before.source) patch.source = v.source;
  if (batch !== before.batch) patch.batch = batch;
  if (v.discoveredAt !== before.discoveredAt) patch.discoveredAt = v.discoveredAt;
  if (constructedAt !== before.constructedAt) patch.constructedAt = constructedAt;
  if (v.approval !== before.approval) patch.approval = v.approval;
  return patch;
}
