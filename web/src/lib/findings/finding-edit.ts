import type { MultiPolygon, Polygon } from 'geojson';
import type { MessageKey } from '../i18n/messages.ts';
import { formatGeometry, parseCoordinates } from './coordinates.ts';
import type { Approval, ChangeType, FindingCategory, FindingSource, FindingSummary } from './types.ts';

/** The kinds of task a coordinator may assign outside the chain: 核查 and 复查. */
export const AD_HOC_TASK_KINDS = ['verify', 'inspect'] as const;
export type AdHocTaskKind = (typeof AD_HOC_TASK_KINDS)[number];

/** Body of `POST /api/findings/:id/tasks`. */
export interface NewTask {
  kind: AdHocTaskKind;
  departmentId: number;
  dueOn: string;
  instruction?: string;
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

/** The request body for a filled-in task form (the instruction only when written). */
export function taskBody(v: TaskValues): NewTask {
  const instruction = v.note.trim();
  return { kind: v.kind, departmentId: v.departmentId ?? 0, dueOn: v.dueOn, ...(instruction ? { instruction } : {}) };
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
  approvalNo: string;
  approvalAuthority: string;
  approvedOn: string;
  changeType: ChangeType | '';
  expanded: boolean;
  /** The footprint before the site grew, as typed coordinates (one vertex a line). */
  originalText: string;
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
  approvalNo: string | null;
  approvalAuthority: string | null;
  approvedOn: string | null;
  changeType: ChangeType | null;
  expanded: boolean;
  originalGeometry: Polygon | null;
}>;

/** The original footprint as the edit form shows it: its outer ring, one vertex a line. */
function originalText(geometry: Polygon | MultiPolygon | null): string {
  if (!geometry) return '';
  const polygon: Polygon = geometry.type === 'Polygon' ? geometry : { type: 'Polygon', coordinates: geometry.coordinates[0] ?? [] };
  return formatGeometry(polygon);
}

/** The typed original footprint read as a polygon; null when blank, 'invalid' when it is not a polygon. */
export function originalPolygon(text: string): Polygon | null | 'invalid' {
  if (!text.trim()) return null;
  const parsed = parseCoordinates(text);
  return parsed.ok && parsed.geometry.type === 'Polygon' ? parsed.geometry : 'invalid';
}

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
    approvalNo: f.approvalNo ?? '',
    approvalAuthority: f.approvalAuthority ?? '',
    approvedOn: f.approvedOn ?? '',
    changeType: f.changeType ?? '',
    expanded: f.expanded === true,
    originalText: originalText(f.originalGeometry ?? null),
  };
}

/** Fields of the edit form that must not be blank. */
export function factProblems(v: FactValues): Partial<Record<keyof FactValues, MessageKey>> {
  const problems: Partial<Record<keyof FactValues, MessageKey>> = {};
  if (!v.title.trim()) problems.title = 'findingForm.needText';
  if (!v.description.trim()) problems.description = 'findingForm.needText';
  if (!v.discoveredAt) problems.discoveredAt = 'findingForm.needDate';
  if (v.expanded && originalPolygon(v.originalText) === 'invalid') problems.originalText = 'findingEdit.originalInvalid';
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
  const text = (value: string) => value.trim() || null;
  if (text(v.approvalNo) !== (before.approvalNo ?? null)) patch.approvalNo = text(v.approvalNo);
  if (text(v.approvalAuthority) !== (before.approvalAuthority ?? null)) patch.approvalAuthority = text(v.approvalAuthority);
  if ((v.approvedOn || null) !== (before.approvedOn ?? null)) patch.approvedOn = v.approvedOn || null;
  if ((v.changeType || null) !== (before.changeType ?? null)) patch.changeType = v.changeType || null;
  if (v.expanded !== (before.expanded === true)) patch.expanded = v.expanded;
  // Not expanded means no original footprint: unticking clears one that was recorded.
  if (!v.expanded) {
    if (before.originalGeometry) patch.originalGeometry = null;
  } else if (v.originalText.trim() !== originalText(before.originalGeometry ?? null)) {
    const original = originalPolygon(v.originalText);
    if (original !== 'invalid') patch.originalGeometry = original;
  }
  return patch;
}
