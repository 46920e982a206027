/**
 * The inspection form's own checks, the same rules the server applies
 * (server/features/inspections/inspections.schemas.ts), so most mistakes are said before sending.
 */
import type { MessageKey } from '../i18n/messages.ts';
import type { InspectionDetail, InspectionInput, InspectionMember, InspectionPatch, InspectionStatus } from './types.ts';

export interface InspectionForm {
  title: string;
  status: InspectionStatus;
  plannedStart: string;
  plannedEnd: string;
  actualStart: string;
  actualEnd: string;
  leadDepartmentId: number | null;
  departmentIds: number[];
  members: { name: string; departmentId: number | null; userId: number | null }[];
  areaCodes: string[];
  summary: string;
}

export type InspectionField = 'title' | 'status' | 'plannedEnd' | 'actualStart' | 'actualEnd' | 'leadDepartmentId' | 'departmentIds' | 'members' | 'areaCodes' | 'summary';
export const INSPECTION_FIELDS: readonly InspectionField[] = ['title', 'status', 'plannedEnd', 'actualStart', 'actualEnd', 'leadDepartmentId', 'departmentIds', 'members', 'areaCodes', 'summary'];

/** A new inspection: planned, led by (and including) the person's own department. */
export function emptyForm(ownDepartmentId: number | null): InspectionForm {
  return {
    title: '',
    status: 'planned',
    plannedStart: '',
    plannedEnd: '',
    actualStart: '',
    actualEnd: '',
    leadDepartmentId: ownDepartmentId,
    departmentIds: ownDepartmentId === null ? [] : [ownDepartmentId],
    members: [],
    areaCodes: [],
    summary: '',
  };
}

/** The form filled from a saved inspection. */
export function formFromDetail(d: InspectionDetail): InspectionForm {
  return {
    title: d.title,
    status: d.status,
    plannedStart: d.plannedStart ?? '',
    plannedEnd: d.plannedEnd ?? '',
    actualStart: d.actualStart ?? '',
    actualEnd: d.actualEnd ?? '',
    leadDepartmentId: d.leadDepartmentId,
    departmentIds: d.departments.map((x) => x.id),
    members: d.members.map((m) => ({ name: m.name, departmentId: m.departmentId ?? null, userId: m.userId ?? null })),
    areaCodes: [...d.areaCodes],
    summary: d.summary ?? '',
  };
}

/** What is wrong with the form, field by field (message keys); empty when it can be sent. */
export function checkInspection(f: InspectionForm, ownDepartmentId: number | null): Partial<Record<InspectionField, MessageKey>> {
  const problems: Partial<Record<InspectionField, MessageKey>> = {};
  if (!f.title.trim()) problems.title = 'inspection.check.title';
  if (f.leadDepartmentId === null) problems.leadDepartmentId = 'inspection.check.lead';
  else if (!f.departmentIds.includes(f.leadDepartmentId)) problems.departmentIds = 'inspection.check.leadIncluded';
  if (!problems.departmentIds && (ownDepartmentId === null || !f.departmentIds.includes(ownDepartmentId))) {
    problems.departmentIds = 'inspection.check.notParticipant';
  }
  if (f.plannedStart && f.plannedEnd && f.plannedEnd < f.plannedStart) problems.plannedEnd = 'inspection.check.endBeforeStart';
  if (f.status === 'completed' && (!f.actualStart || !f.actualEnd)) {
    problems[f.actualStart ? 'actualEnd' : 'actualStart'] = 'inspection.check.completedDates';
  } else if (f.actualStart && f.actualEnd && f.actualEnd < f.actualStart) problems.actualEnd = 'inspection.check.endBeforeStart';
  if (f.members.some((m) => !m.name.trim())) problems.members = 'inspection.check.memberName';
  return problems;
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The request body for creating the inspection the form describes. */
export function toInput(f: InspectionForm): InspectionInput {
  return {
    title: f.title.trim(),
    status: f.status,
    plannedStart: orNull(f.plannedStart),
    plannedEnd: orNull(f.plannedEnd),
    actualStart: orNull(f.actualStart),
    actualEnd: orNull(f.actualEnd),
    leadDepartmentId: f.leadDepartmentId!,
    departmentIds: [...f.departmentIds],
    members: f.members.map((m): InspectionMember => ({ name: m.name.trim(), departmentId: m.departmentId, userId: m.userId })),
    areaCodes: [...f.areaCodes],
    summary: orNull(f.summary),
  };
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Only what changed against the saved inspection, with the version it was read at. */
export function toPatch(saved: InspectionDetail, f: InspectionForm): InspectionPatch {
  const next = toInput(f);
  const before = toInput(formFromDetail(saved));
  const patch: InspectionPatch = { version: saved.version };
  for (const key of ['title', 'status', 'plannedStart', 'plannedEnd', 'actualStart', 'actualEnd', 'leadDepartmentId', 'summary'] as const) {
    if (next[key] !== before[key]) (patch as Record<string, unknown>)[key] = next[key];
  }
  if (!sameList([...next.departmentIds].sort(), [...before.departmentIds].sort())) patch.departmentIds = next.departmentIds;
  if (!sameList([...next.areaCodes].sort(), [...before.areaCodes].sort())) patch.areaCodes = next.areaCodes;
  if (JSON.stringify(next.members) !== JSON.stringify(before.members)) patch.members = next.members;
  return patch;
}
