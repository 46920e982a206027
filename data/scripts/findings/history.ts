/**
 * The history of one sample finding: which workflow steps it went through, on which working days
 * and at what time, by whom, with which plan, notes and evidence. Dates are laid out around one
 * pivot step so that the running deadline on TODAY is on time, overdue or escalated as planned.
 */
import type { ClosingCondition } from '../../../server/features/findings/closing-conditions.ts';
import type { RectificationMeasure } from '../../../server/features/findings/workflow.ts';
import type { SampleEvidence, SampleStep } from '../../../server/db/seed-findings.ts';
import type { FindingCategory, FindingState } from '../../../server/lib/vocabulary.ts';
import { addDays, isWorkingDay, shanghaiToEpoch, utcStamp } from '../inspections/calendar.ts';
import { COORDINATOR, HOLIDAYS_2024, OFFICER_OF, PERIOD_START, TODAY } from './plan.ts';
import * as words from './texts.ts';

/** What a finding's history must come to. */
export interface Slot {
  state: FindingState;
  /** The running deadline on TODAY (only verifying, rectifying and pending_acceptance have one). */
  role: 'on_time' | 'overdue' | 'escalated';
  /** A failed acceptance sent it back once. */
  returned: boolean;
  /** Closed, found again (回头看) and handed out once more. */
  replanned: boolean;
}

/** The departments a finding's county and category call for. */
export interface Cast {
  verifying: string;
  lead: string;
  cooperating: string[];
  accepting: string | null;
}

export interface HistoryInput {
  slot: Slot;
  serial: () => string;
  category: FindingCategory;
  cast: Cast;
  /** The closing conditions and plan measures, once the day it was recorded is known (for its dates). */
  plan: (createdOn: string) => { conditions: ClosingCondition[]; measures: RectificationMeasure[] };
  rand: () => number;
}

type Kind = 'V' | 'D' | 'C' | 'P' | 'R' | 'Rt' | 'A' | 'O';

export const isWorking = (d: string) => isWorkingDay(d) && !HOLIDAYS_2024.some(([a, b]) => d >= a && d <= b);
export const snapForward = (d: string) => {
  while (!isWorking(d)) d = addDays(d, 1);
  return d;
};
export const snapBack = (d: string) => {
  while (!isWorking(d)) d = addDays(d, -1);
  return d;
};
const days = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/** The steps a final state is reached by. */
function kindsOf(slot: Slot): Kind[] {
  switch (slot.state) {
    case 'clue':
      return [];
    case 'verifying':
      return ['V'];
    case 'dismissed':
      return ['V', 'D'];
    case 'confirmed':
      return ['V', 'C'];
    case 'rectifying':
      if (slot.replanned) return ['V', 'C', 'P', 'R', 'A', 'O', 'P'];
      return slot.returned ? ['V', 'C', 'P', 'R', 'Rt'] : ['V', 'C', 'P'];
    case 'pending_acceptance':
      return slot.returned ? ['V', 'C', 'P', 'R', 'Rt', 'R'] : ['V', 'C', 'P', 'R'];
    case 'closed':
      return slot.returned ? ['V', 'C', 'P', 'R', 'Rt', 'R', 'A'] : ['V', 'C', 'P', 'R', 'A'];
    case 'reopened':
      return ['V', 'C', 'P', 'R', 'A', 'O'];
  }
}

/** Days from the previous step (or the recording) to a step, by kind and what preceded it. */
function gapBefore(kind: Kind, previous: Kind | null, rand: () => number, span: (a: number, b: number) => number): number {
  switch (kind) {
    case 'V':
      return span(1, 8);
    case 'D':
    case 'C':
      return span(5, 20);
    case 'P':
      return previous === 'O' ? span(3, 12) : span(3, 15);
    case 'R':
      return previous === 'Rt' ? span(15, 45) : span(40, 200);
    case 'Rt':
      return span(5, 20);
    case 'A':
      return span(5, 25);
    case 'O':
      return span(90, 300);
  }
}

/** Builds the dated steps of a finding and the day it was recorded. */
export function buildHistory(input: HistoryInput): { createdOn: string; createdAt: string; steps: SampleStep[] } {
  const { slot, rand, cast } = input;
  const span = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const kinds = kindsOf(slot);
  const gaps = kinds.map((k, i) => gapBefore(k, i > 0 ? kinds[i - 1] : null, rand, span));
  const dates: string[] = new Array(kinds.length + 1); // dates[0] is the recording, dates[i + 1] step i
  let deadlineTarget: string | null = null;
  let dueTarget: string | null = null;

  const back = (from: number) => {
    for (let i = from; i > 0; i--) dates[i - 1] = snapBack(addDays(dates[i], -gaps[i - 1]));
  };
  const forward = (from: number) => {
    for (let i = from + 1; i < dates.length; i++) dates[i] = snapForward(addDays(dates[i - 1], gaps[i - 1]));
  };
  const late = (a: number, b: number) => snapBack(addDays(TODAY, -span(a, b)));

  switch (slot.state) {
    case 'clue':
      // Mostly the latest batch and reports; a few older clues still wait to be handed out.
      dates[0] = rand() < 0.8 ? late(1, 35) : late(36, 150);
      break;
    case 'verifying':
      if (slot.role === 'on_time') dates[1] = late(1, 13);
      else {
        dueTarget = addDays(TODAY, -(slot.role === 'overdue' ? span(3, 25) : span(35, 80)));
        dates[1] = snapBack(addDays(dueTarget, -15));
      }
      back(1);
      break;
    case 'confirmed':
      dates[2] = late(1, 20);
      back(2);
      break;
    case 'rectifying': {
      // The pivot is the running plan (or the failed acceptance); earlier steps are laid out backwards.
      const lastPlan = kinds.lastIndexOf('P') + 1;
      let pivot: number;
      if (slot.replanned) {
        pivot = lastPlan;
        dates[pivot] = late(5, 60);
        deadlineTarget = addDays(TODAY, span(30, 200));
      } else if (slot.returned) {
        pivot = kinds.length; // the return
        dates[pivot] = late(1, 40);
        back(pivot);
        deadlineTarget = slot.role === 'overdue' ? addDays(TODAY, -span(3, 28)) : addDays(TODAY, span(15, 90));
        break;
      } else if (slot.role === 'on_time') {
        pivot = lastPlan;
        // Exits and restoration run long (生态修复 over one or two growing seasons), so plans reach back.
        dates[pivot] = late(2, 420);
        deadlineTarget = addDays(TODAY, span(20, 220));
      } else {
        deadlineTarget = addDays(TODAY, -(slot.role === 'overdue' ? span(3, 28) : span(35, 160)));
        pivot = lastPlan;
        dates[pivot] = snapBack(addDays(deadlineTarget, -span(60, 180)));
      }
      back(pivot);
      forward(pivot);
      break;
    }
    case 'pending_acceptance':
      dates[kinds.length] = late(1, 25);
      deadlineTarget = slot.role === 'overdue' ? addDays(TODAY, -span(3, 20)) : addDays(TODAY, span(5, 60));
      back(kinds.length);
      break;
    default: {
      // Finished histories may lie anywhere in the period; room is left for snapping to working days.
      const total = gaps.reduce((a, b) => a + b, 0) + 3 * kinds.length;
      const room = days(PERIOD_START, TODAY) - total - 2;
      if (room < 0) throw new Error(`history of ${total} days does not fit the period`);
      // Older histories are likelier to have been finished, so the start leans towards the period's beginning.
      dates[0] = snapForward(addDays(PERIOD_START, Math.floor(rand() ** 1.6 * room)));
      forward(0);
    }
  }
  if (dates[0] < PERIOD_START) throw new Error(`history starts ${dates[0]}, before ${PERIOD_START}`);

  // Clock times: working hours, later than the step before on the same day.
  const stamps: string[] = [];
  let previous = -Infinity;
  for (let i = 0; i < dates.length; i++) {
    let day = dates[i];
    let t = shanghaiToEpoch(day, (8 * 60 + 40 + Math.floor(rand() * 500)) * 60);
    if (t <= previous + 40 * 60) t = previous + (40 + Math.floor(rand() * 60)) * 60;
    if (t > shanghaiToEpoch(day, 17 * 3600 + 20 * 60)) {
      day = snapForward(addDays(day, 1));
      dates[i] = day;
      t = shanghaiToEpoch(day, (9 * 60 + Math.floor(rand() * 60)) * 60);
    }
    stamps.push(utcStamp(t));
    previous = t;
  }

  const serial = input.serial;
  const { conditions, measures } = input.plan(dates[0]);
  const files = (label: string, n: number, kind: 'photo' | 'document'): SampleEvidence[] =>
    Array.from({ length: n }, (_, i) => ({
      fileName: kind === 'photo' ? `${serial()}-${label}-${i + 1}.jpg` : `${serial()}-${label}.pdf`,
      kind,
    }));
  const officer = (dept: string, fallback = COORDINATOR) => OFFICER_OF[dept] ?? fallback;
  const verifier = () => {
    if (rand() < 0.15) return COORDINATOR;
    return cast.verifying === 'eco' && rand() < 0.45 ? 'insp' : officer(cast.verifying);
  };
  const acceptor = () => (cast.accepting ? officer(cast.accepting) : COORDINATOR);

  const steps: SampleStep[] = [];
  // Rectification rounds and reports within a round, so evidence file names stay unique.
  let round = 0;
  let completion = 0;
  kinds.forEach((kind, i) => {
    const at = stamps[i + 1];
    const on = dates[i + 1];
    switch (kind) {
      case 'V':
        steps.push({
          to: 'verifying',
          at,
          by: COORDINATOR,
          verifyingDepartment: cast.verifying,
          dueDate: dueTarget && dueTarget >= on ? dueTarget : addDays(on, 15),
        });
        break;
      case 'D':
        steps.push({
          to: 'dismissed',
          at,
          by: verifier(),
          reason: words.dismissReason(input.category, pick),
          evidence: [...files('核查现场', span(1, 2), 'photo'), ...files('核查报告', 1, 'document')],
        });
        break;
      case 'C':
        steps.push({
          to: 'confirmed',
          at,
          by: verifier(),
          note: pick(words.CONFIRM_NOTES),
          ...(rand() < 0.8 ? { evidence: [...files('核查现场', span(1, 3), 'photo'), ...files('现场检查笔录', 1, 'document')] } : {}),
        });
        break;
      case 'P': {
        round += 1;
        // The running plan's deadline is as planned; an earlier one lies near the day the work was reported.
        const nextPlan = kinds.indexOf('P', i + 1);
        const nextReport = kinds.indexOf('R', i + 1);
        const reportOn = nextReport >= 0 && (nextPlan < 0 || nextReport < nextPlan) ? dates[nextReport + 1] : null;
        let deadline = nextPlan < 0 && deadlineTarget ? deadlineTarget : reportOn ? addDays(reportOn, span(-10, 45)) : addDays(on, span(60, 200));
        if (deadline < addDays(on, 20)) deadline = addDays(on, 20 + span(0, 10));
        const measure = measures.includes('exit') ? 'exit' : measures.includes('restore') ? 'restore' : 'remediate';
        steps.push({
          to: 'rectifying',
          at,
          by: COORDINATOR,
          measures: measures,
          leadDepartment: cast.lead,
          cooperatingDepartments: cast.cooperating,
          acceptingDepartment: cast.accepting,
          deadline,
          note: pick(words.PLAN_NOTES[measure]),
        });
        break;
      }
      case 'R':
        completion += 1;
        steps.push({
          to: 'pending_acceptance',
          at,
          by: officer(cast.lead),
          report: pick(words.REPORTS),
          evidence: [...files(`整改后-${round}${completion > 1 ? `-${completion}` : ''}`, span(2, 3), 'photo'), ...files(`整改报告-${round}${completion > 1 ? `-${completion}` : ''}`, 1, 'document')],
        });
        break;
      case 'Rt':
        steps.push({ to: 'rectifying', at, by: acceptor(), reason: pick(words.RETURN_REASONS) });
        break;
      case 'A': {
        const evidence: SampleEvidence[] = [];
        const ticks = conditions.map((c) => {
          const proof = words.CONDITION_EVIDENCE[c.code];
          const file = files(`验收-${proof.label}`, 1, proof.document ? 'document' : 'photo')[0];
          evidence.push(file);
          return { code: c.code, evidence: [file.fileName] };
        });
        steps.push({ to: 'closed', at, by: acceptor(), ticks, note: pick(words.ACCEPT_NOTES), evidence });
        completion = 0;
        break;
      }
      case 'O':
        steps.push({ to: 'reopened', at, by: COORDINATOR, reason: pick(words.REOPEN_REASONS), evidence: files('回头看', span(1, 2), 'photo') });
        completion = 0;
        break;
    }
  });
  return { createdOn: dates[0], createdAt: stamps[0], steps };
}
