import type { Extension, FindingState, FindingSummary, PersonRef } from './types.ts';

/** States in which no deadline runs: the acceptor's own task carries the date (spec: deadline pause). */
export const PAUSED_STATES: readonly FindingState[] = ['pending_acceptance', 'publicising'];

/** The deadline running now, by state, and whether the clock is paused. */
export interface RunningDeadline {
  date: string | null;
  paused: boolean;
}

/**
 * The running deadline: the server sends it as `deadline` (a clue's dispatch deadline, the verify
 * task's due date, the plan due date, the rectification deadline) and none while the clock is paused.
 */
export function runningDeadline(f: Pick<FindingSummary, 'state' | 'deadline'>): RunningDeadline {
  if (PAUSED_STATES.includes(f.state)) return { date: null, paused: true };
  return { date: f.deadline, paused: false };
}

/** The deadline an extension must go beyond: the plan due date while planning, else the rectification deadline. */
export function extensionBase(f: Pick<FindingSummary, 'state' | 'planDueOn' | 'rectificationDeadline'>): string | null {
  return f.state === 'planning' ? f.planDueOn : f.rectificationDeadline;
}

/** The name of whoever wrote a record. */
export function personName(p: PersonRef | undefined): string {
  if (!p) return '';
  if (typeof p === 'string') return p;
  return p.displayName ?? p.username ?? (p.id ? `#${p.id}` : '');
}

/** The extension request still waiting for a coordinator's decision, if any. */
export function pendingExtension(extensions: readonly Extension[]): Extension | null {
  return [...extensions].reverse().find((e) => e.decision === null) ?? null;
}

/** The ids in `ids` that name attachments of the finding, in the finding's order. */
export function citedAttachments<T extends { id: number }>(attachments: readonly T[], ids: readonly number[] | null | undefined): T[] {
  if (!ids?.length) return [];
  return attachments.filter((a) => ids.includes(a.id));
}
