/**
 * The history of one sample finding along the rectification chain: which actions it went through, on
 * which working days and at what time, by which demo account, with which plan, reports, site checks,
 * acceptances, objections and re-checks. Steps are planned first (kind, gap, earliest day), laid out
 * forward from the day it was recorded so that the last one falls where the story needs it, and only
 * then written, so every date a step names (deadlines, 公示 end, observation periods) is known.
 */
import type { SampleEvidence, SampleStep } from '../../../server/db/seed-findings.ts';
import { addMonths } from '../../../server/features/findings/workflow.ts';
import type { FindingCategory } from '../../../server/lib/vocabulary.ts';
import { addDays, isWorkingDay, shanghaiToEpoch, utcStamp } from '../inspections/calendar.ts';
import { COORDINATOR, HOLIDAYS_2024, OFFICER_OF, PERIOD_START, TODAY, type Story } from './plan.ts';
import * as words from './texts.ts';

/** The departments (codes) a finding calls for. */
export interface Cast {
  verifying: string;
  lead: string;
  cooperating: string[];
  /** The management body of the area: drafts the plan. */
  drafter: string;
  /** The plan's reviewer departments, as workflow.ts planReviewers resolves the rule's kinds. */
  reviewers: string[];
  /** 县级自查: the county eco branch (the department the accept task goes to). */
  countyAcceptor: string;
  /** 市级验收: a city department independent of every rectifier. */
  cityAcceptor: string;
  /** Whether the assignment names the city acceptor (otherwise the city eco bureau's queue takes it). */
  namedAcceptor: boolean;
}

/** What the finding's rule asks of its plan and acceptance (from rules.ts ResolvedRule). */
export interface ChainRule {
  measures: string[];
  requiresAssessment: boolean;
  conditions: { code: string; observationDays: number | null; document: boolean }[];
  /** Facts a coordinator determines after verification, before the plan (the rule lacked them). */
  determinations: { fact: string; value: string; basis: string }[];
}

export interface HistoryInput {
  story: Story;
  category: FindingCategory;
  cast: Cast;
  /** Null for findings that never reach a plan. */
  rule: ChainRule | null;
  /** 属实 outcome when verification confirms it. */
  confirmAs: 'historical' | 'illegal';
  /** The finding's county name and area, for texts. */
  countyZh: string;
  /** Random streams: dates, and wording. */
  rand: () => number;
  pick: <T>(items: readonly T[]) => T;
  /** Serial placeholder for evidence file names. */
  serial: string;
}

export const isWorking = (d: string) => isWorkingDay(d) && !HOLIDAYS_2024.some(([a, b]) => d >= a && d <= b);
export const snapForward = (d: string) => {
  while (!isWorking(d)) d = addDays(d, 1);
  return d;
};
export const snapBack = (d: string) => {
  while (!isWorking(d)) d = addDays(d, -1);
  return d;
};
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const maxDate = (...ds: (string | null | undefined)[]) => ds.filter((d): d is string => !!d).sort().at(-1)!;

/** The demo account acting for a department (the named ones, else the officer named by its code). */
export const officerOf = (code: string) => OFFICER_OF[code] ?? code;

interface Planned {
  /** Days after the step before (or the recording, for the first). */
  gap: number;
  /** The earliest day this step may fall on, from the days laid out before it. */
  notBefore?: (dates: string[]) => string | null;
  make: (on: string, at: string, dates: string[]) => SampleStep;
}

/** Builds the dated steps of a finding and the day it was recorded. */
export function buildHistory(input: HistoryInput): { createdOn: string; createdAt: string; steps: SampleStep[] } {
  const { story, cast, rand, pick } = input;
  const span = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const plan: Planned[] = [];
  const add = (p: Planned) => {
    plan.push(p);
    return plan.length; // the step's index in dates (dates[0] is the recording)
  };
  let photos = 0;
  const files = (label: string, n: number, kind: 'photo' | 'document'): SampleEvidence[] =>
    Array.from({ length: n }, () => {
      photos += 1;
      return { fileName: kind === 'photo' ? `${input.serial}-${label}-${photos}.jpg` : `${input.serial}-${label}-${photos}.pdf`, kind };
    });
  const verifier = () => (rand() < 0.15 ? COORDINATOR : officerOf(cast.verifying));
  const rule = input.rule;
  const rectifyingFinal = story.final === 'rectifying';
  // The deadline that runs on TODAY for a finding still being rectified: set by the last step that sets one.
  const finalDeadline =
    story.role === 'on_time' ? addDays(TODAY, span(20, 200)) : story.role === 'overdue' ? addDays(TODAY, -span(3, 28)) : addDays(TODAY, -span(35, 100));
  const deadlineFor = (on: string, normal: string, last: boolean) => (rectifyingFinal && last ? maxDate(finalDeadline, addDays(on, 1)) : maxDate(normal, addDays(on, 20)));

  // ---- Verification ---------------------------------------------------------------------------------
  const dispatch = (gap: number) =>
    add({
      gap,
      make: (on, at) => ({ action: 'dispatch', at, by: COORDINATOR, verifyingDepartment: cast.verifying, dueDate: addDays(on, 15), instruction: pick(words.DISPATCH_NOTES) }),
    });
  const confirm = (gap: number) =>
    add({
      gap,
      make: (on, at) => ({
        action: 'confirm',
        at,
        by: verifier(),
        outcome: input.confirmAs,
        conclusion: input.confirmAs === 'historical' ? pick(words.HISTORICAL_NOTES) : pick(words.CONFIRM_NOTES),
        evidence: [...files('核查现场', span(1, 3), 'photo'), ...files('现场检查笔录', 1, 'document')],
      }),
    });
  const dismiss = (gap: number, outcome: NonNullable<Story['outcome']>) =>
    add({
      gap,
      make: (on, at) => {
        const step: SampleStep = {
          action: 'dismiss',
          at,
          by: verifier(),
          outcome,
          reason: words.dismissReason(outcome, input.category, pick),
          evidence: [...files('核查现场', span(1, 2), 'photo'), ...files('核查报告', 1, 'document')],
        };
        if (outcome === 'lawful') Object.assign(step, words.sampleApproval(on, input.countyZh, span));
        if (outcome === 'vanished') step.observedOn = on;
        if (outcome === 'rectified') step.rectifiedOn = snapBack(addDays(on, -span(5, 60)));
        return step;
      },
    });

  const steps: SampleStep[] = [];
  let planExtensionIndex = -1;
  const extensionRequests: { index: number; last: boolean }[] = [];
  // A story that closes and comes back (回头看, reopening) tells its first cycle to the end.
  const firstCycleEnds = !story.recurred && !story.reopened;
  if (story.final === 'clue') return finishWith();
  dispatch(span(1, 4));
  if (story.overturned) {
    dismiss(span(5, 12), rand() < 0.5 ? 'vanished' : 'rectified');
    add({
      gap: span(15, 45),
      make: (on, at) => ({ action: 'overturn', at, by: COORDINATOR, reason: pick(words.OVERTURN_REASONS), verifyingDepartment: cast.verifying, dueDate: addDays(on, 15) }),
    });
  }
  if (story.final === 'verifying' && !story.recurred) return finishWith();
  if (story.final === 'dismissed') {
    dismiss(span(5, 14), story.outcome!);
    return finishWith();
  }
  confirm(span(5, 14));
  if (!rule) throw new Error(`a confirmed finding needs its rule: ${JSON.stringify(story)}`);
  for (const d of rule.determinations) add({ gap: span(1, 4), make: (on, at) => ({ action: 'determine', at, by: COORDINATOR, ...d }) });
  if (story.final === 'confirmed' && firstCycleEnds) return finishWith();

  // ---- One rectification: plan, work, reports, acceptance, 公示 ----------------------------------------
  let assignAt = 0;
  const assign = () => {
    assignAt = add({
      gap: span(2, 8),
      make: (on, at) => ({
        action: 'assign_plan',
        at,
        by: COORDINATOR,
        leadDepartment: cast.lead,
        cooperatingDepartments: cast.cooperating,
        drafterDepartment: cast.drafter,
        ...(cast.namedAcceptor ? { acceptingDepartment: cast.cityAcceptor } : {}),
        planDueDate: addDays(on, 40),
        instruction: pick(words.ASSIGN_NOTES),
      }),
    });
  };
  const submit = (gap: number, revised: boolean, lastSetter: () => boolean) =>
    add({
      gap,
      make: (on, at) => {
        const assessment = rule.requiresAssessment ? files('科学评估报告', 1, 'document') : [];
        const planFile = files(revised ? '整改方案修改稿' : '整改方案', 1, 'document');
        return {
          action: 'submit_plan',
          at,
          by: officerOf(cast.drafter),
          responsibleParty: words.responsibleParty(cast.lead, input.countyZh),
          targets: pick(words.PLAN_TARGETS),
          measures: rule.measures,
          deadline: deadlineFor(on, addDays(on, span(90, 240)), lastSetter()),
          ...(assessment.length ? { assessment: assessment.map((f) => f.fileName) } : {}),
          evidence: [...planFile, ...assessment],
        };
      },
    });
  const review = (who: string, decision: 'approve' | 'return') =>
    add({
      gap: span(2, 6),
      make: (on, at) => ({ action: 'review_plan', at, by: officerOf(who), decision, opinion: decision === 'approve' ? pick(words.REVIEW_APPROVE) : pick(words.REVIEW_RETURN) }),
    });
  const progress = (gap: number, by: string, percent: number) =>
    add({
      gap,
      make: (on, at) => ({
        action: 'record_progress',
        at,
        by: officerOf(by),
        progressOn: on,
        text: pick(words.PROGRESS),
        percent,
        ...(rand() < 0.6 ? { evidence: files('整改进展', 1, 'photo') } : {}),
      }),
    });
  let roundNo = 1;
  let lastReport = 0;
  const reports = (depts: string[]) => {
    depts.forEach((d, i) => {
      lastReport = add({
        gap: i === 0 ? span(10, 35) : span(1, 8),
        make: (on, at) => ({
          action: 'report_part',
          at,
          by: officerOf(d),
          report: d === cast.lead ? pick(words.REPORTS) : pick(words.PART_REPORTS),
          evidence: [...files(`整改后-${roundNo}`, span(1, 2), 'photo'), ...files(`整改报告-${roundNo}`, 1, 'document')],
        }),
      });
    });
  };
  const observation = Math.max(0, ...(rule.conditions.map((c) => c.observationDays ?? 0)));
  // Acceptors go to the site once the rule's observation period has run (as the accept step requires).
  const siteCheck = (who: string, level: 'county' | 'city') => {
    const reported = lastReport;
    return add({
      gap: span(3, 12),
      notBefore: (dates) => (observation ? addDays(dates[reported], observation - span(0, 5)) : null),
      make: (on, at) => ({
        action: 'site_check',
        at,
        by: who,
        checkedOn: on,
        people: level === 'county' ? words.COUNTY_CHECK_PEOPLE : words.CITY_CHECK_PEOPLE,
        note: pick(words.SITE_CHECK_NOTES),
        evidence: files(`验收核查-${level}`, span(2, 3), 'photo'),
      }),
    });
  };
  const accept = (who: string, level: 'county' | 'city') => {
    const reported = lastReport;
    return add({
      gap: span(1, 5),
      // Observation periods run from the day of the round's last part report.
      notBefore: (dates) => (observation ? addDays(dates[reported], observation) : null),
      make: (on, at) => {
        const evidence: SampleEvidence[] = [];
        const ticks = rule.conditions.map((c) => {
          const file = files(`验收-${level}-${words.conditionLabel(c.code)}`, 1, c.document ? 'document' : 'photo')[0];
          evidence.push(file);
          return { code: c.code, evidence: [file.fileName] };
        });
        return { action: 'accept', at, by: who, ticks, opinion: level === 'county' ? pick(words.COUNTY_OPINIONS) : pick(words.ACCEPT_NOTES), evidence };
      },
    });
  };
  const fail = (who: string, last: boolean) =>
    add({
      gap: span(1, 5),
      make: (on, at) => ({ action: 'fail_acceptance', at, by: who, reason: pick(words.RETURN_REASONS), deadline: deadlineFor(on, addDays(on, span(30, 75)), last) }),
    });
  const countyActor = officerOf(cast.countyAcceptor);
  const cityActor = cast.cityAcceptor === 'eco' && rand() < 0.4 ? COORDINATOR : officerOf(cast.cityAcceptor);
  const rectifiers = [cast.lead, ...cast.cooperating];
  const objectionUpheld = story.objection === 'upheld';
  let cityAccepted = 0;

  /** Works one round from rectifying to the end of the story or to 公示; false when the story stops inside. */
  const round = (opts: { extension?: Story['extension']; failAt?: Story['failedAt']; lastRound: boolean }): boolean => {
    const n = rectifyingFinal && opts.lastRound && story.role !== 'on_time' ? 3 : span(1, 2);
    for (let i = 0; i < n; i++) progress(i === 0 ? span(20, 45) : span(25, 50), i % 2 === 0 || !cast.cooperating.length ? cast.lead : cast.cooperating[0], Math.min(90, 30 * (i + 1)));
    if (opts.extension) {
      const last = rectifyingFinal && opts.lastRound && opts.extension === 'approved';
      add({
        gap: span(5, 15),
        // The requested date is filled in once the days are laid out (finishWith).
        make: (on, at) => ({ action: 'request_extension', at, by: officerOf(cast.lead), requestedDeadline: '', reason: pick(words.EXTENSION_REASONS) }),
      });
      const requestIndex = plan.length - 1;
      add({
        gap: span(2, 5),
        make: (on, at) => ({
          action: 'decide_extension',
          at,
          by: COORDINATOR,
          decision: opts.extension === 'approved' ? 'approve' : 'refuse',
          opinion: opts.extension === 'approved' ? pick(words.EXTENSION_APPROVE) : pick(words.EXTENSION_REFUSE),
        }),
      });
      extensionRequests.push({ index: requestIndex, last });
      if (rectifyingFinal && opts.lastRound) {
        progress(span(10, 30), cast.lead, 70);
        return false;
      }
    }
    if (rectifyingFinal && opts.lastRound) {
      if (story.partlyReported) reports(rectifiers.slice(0, Math.max(1, rectifiers.length - 1)));
      return false;
    }
    reports(rectifiers);
    if (story.final === 'pending_acceptance' && opts.lastRound && story.waiting === 'county') return false;
    siteCheck(countyActor, 'county');
    if (opts.failAt === 'county') {
      fail(countyActor, rectifyingFinal && !objectionUpheld);
      return true;
    }
    if (story.final === 'pending_acceptance' && opts.lastRound && story.waiting === 'county_checked') return false;
    accept(countyActor, 'county');
    if (story.final === 'pending_acceptance' && opts.lastRound && story.waiting === 'city') return false;
    siteCheck(cityActor, 'city');
    if (opts.failAt === 'city') {
      fail(cityActor, rectifyingFinal && !objectionUpheld);
      return true;
    }
    if (story.final === 'pending_acceptance' && opts.lastRound) return false;
    cityAccepted = accept(cityActor, 'city');
    return true;
  };
  assign();
  if (story.planExtension) {
    add({ gap: span(28, 33), make: (on, at) => ({ action: 'request_extension', at, by: officerOf(cast.drafter), requestedDeadline: '', reason: pick(words.PLAN_EXTENSION_REASONS) }) });
    planExtensionIndex = plan.length - 1;
    add({
      gap: span(2, 4),
      make: (on, at) => ({
        action: 'decide_extension',
        at,
        by: COORDINATOR,
        decision: story.planExtension === 'approved' ? 'approve' : 'refuse',
        opinion: story.planExtension === 'approved' ? pick(words.EXTENSION_APPROVE) : pick(words.EXTENSION_REFUSE),
      }),
    });
  }
  if (story.final === 'planning' && story.planning === 'drafting' && firstCycleEnds) return finishWith();
  const planning = firstCycleEnds ? story.planning : undefined;
  const returned = story.planReturned || planning === 'returned' || planning === 'resubmitted';
  // The deadline-setting step that runs on TODAY for a story ending in rectifying: the plan's approval,
  // unless an approved extension, a failed acceptance or an upheld objection comes later.
  const planSetsFinal = () => rectifyingFinal && !story.failedAt && story.objection !== 'upheld' && story.extension !== 'approved';
  submit(span(10, 25), false, () => planSetsFinal() && !returned);
  if (returned) {
    review(cast.reviewers[0], 'return');
    if (planning === 'returned') return finishWith();
    submit(span(5, 12), true, planSetsFinal);
    if (planning === 'resubmitted') return finishWith();
  }
  if (planning === 'submitted') {
    if (cast.reviewers.length > 1) review(cast.reviewers[0], 'approve');
    return finishWith();
  }
  for (const r of cast.reviewers) review(r, 'approve');

  const failedFirst = story.failedAt !== undefined;
  let goOn = round({ extension: story.extension, failAt: story.failedAt, lastRound: !failedFirst && !objectionUpheld });
  if (goOn && failedFirst) {
    roundNo += 1;
    goOn = round({ lastRound: !objectionUpheld });
  }
  if (goOn && story.objection) {
    const upheld = story.objection === 'upheld';
    const accepted = cityAccepted;
    add({
      gap: span(2, 5),
      notBefore: (dates) => addDays(dates[accepted], 1),
      make: (on, at, dates) => ({
        action: 'record_objection',
        at,
        by: COORDINATOR,
        receivedOn: snapBack(addDays(on, -1)) > dates[accepted] ? snapBack(addDays(on, -1)) : on,
        objector: pick(words.OBJECTORS),
        content: upheld ? pick(words.OBJECTIONS_UPHELD) : pick(words.OBJECTIONS_REJECTED),
        handling: upheld ? pick(words.HANDLING_UPHELD) : pick(words.HANDLING_REJECTED),
        upheld,
        ...(upheld ? { deadline: deadlineFor(on, addDays(on, span(30, 60)), rectifyingFinal) } : {}),
      }),
    });
    if (upheld) {
      roundNo += 1;
      goOn = round({ lastRound: true });
    }
  }
  if (!goOn || story.final === 'publicising') return finishWith();

  // ---- 销号 and 回头看 --------------------------------------------------------------------------------
  const publicityFrom = cityAccepted;
  const closeIndex = add({
    gap: span(1, 4),
    notBefore: (dates) => addDays(dates[publicityFrom], 7),
    make: (on, at) => ({ action: 'close', at, by: COORDINATOR, closedOn: on, closingDocumentNo: '{closingNo}' }),
  });
  const recheck = (months: number, result: 'stays_rectified' | 'recurred') =>
    add({
      gap: 1,
      notBefore: (dates) => snapBack(addDays(addMonths(dates[closeIndex], months), -span(2, 20))),
      make: (on, at) => ({
        action: 'recheck',
        at,
        by: officerOf(cast.verifying),
        recheckMonths: months,
        result,
        note: result === 'recurred' ? pick(words.REOPEN_REASONS) : pick(words.RECHECK_NOTES),
        evidence: files(`回头看-${months}个月`, span(1, 2), 'photo'),
        ...(result === 'recurred' ? { dueDate: addDays(on, 15) } : {}),
      }),
    });
  for (let i = 0; i < (story.rechecks ?? 0); i++) recheck(i === 0 ? 6 : 12, 'stays_rectified');
  if (story.recurred) {
    recheck(6, 'recurred');
    if (story.recurred === 'planning') {
      confirm(span(5, 12));
      assign();
    }
  }
  if (story.reopened) {
    add({
      gap: span(30, 90),
      make: (on, at) => ({ action: 'reopen', at, by: COORDINATOR, reason: pick(words.COORDINATOR_REOPEN), verifyingDepartment: cast.verifying, dueDate: addDays(on, 15) }),
    });
    confirm(span(5, 12));
  }
  return finishWith();

  function finishWith() {
    const result = layout(input, plan, steps);
    // Requested dates lie after the deadline then running; the decided request sets it (approve) or lets it pass.
    const fixRequest = (index: number, base: (dates: string[]) => string, last: boolean) => {
      const step = result.steps[index];
      const current = base(result.dates);
      step.requestedDeadline = last ? maxDate(finalDeadline, addDays(current, 1), addDays(result.dates[index + 1], 1)) : maxDate(addDays(current, span(30, 75)), addDays(result.dates[index + 1], 1));
    };
    if (planExtensionIndex >= 0) fixRequest(planExtensionIndex, (dates) => addDays(dates[assignAt], 40), false);
    for (const r of extensionRequests) fixRequest(r.index, () => runningDeadlineBefore(result.steps, r.index), r.last);
    return { createdOn: result.createdOn, createdAt: result.createdAt, steps: result.steps };
  }
}

/** The rectification deadline in force before step `index` (the latest one a step set). */
function runningDeadlineBefore(steps: SampleStep[], index: number): string {
  let d = '';
  for (let i = 0; i < index; i++) {
    const s = steps[i];
    if ((s.action === 'submit_plan' || s.action === 'fail_acceptance' || s.action === 'record_objection') && typeof s.deadline === 'string') d = s.deadline;
    if (s.action === 'decide_extension' && s.decision === 'approve' && typeof steps[i - 1]?.requestedDeadline === 'string' && steps[i - 1].action === 'request_extension') d = steps[i - 1].requestedDeadline as string;
  }
  return d;
}

/** Where a story's last step should fall, so the running deadline on TODAY is as planned. */
function endTarget(story: Story, rand: () => number): string | null {
  const span = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const back = (a: number, b: number) => snapBack(addDays(TODAY, -span(a, b)));
  switch (story.final) {
    case 'clue':
      return story.role === 'on_time' ? back(0, 4) : story.role === 'overdue' ? back(8, 28) : back(40, 90);
    case 'verifying':
      if (story.recurred) return back(1, 10);
      return story.role === 'on_time' ? back(1, 12) : story.role === 'overdue' ? back(18, 40) : back(50, 95);
    case 'confirmed':
      return back(1, 12);
    case 'planning':
      if (story.role !== 'on_time') return story.planExtension ? back(1, 6) : back(45, 65);
      return story.planning === 'drafting' && !story.planExtension ? back(1, 20) : back(1, 6);
    case 'rectifying':
      return back(1, 20);
    case 'pending_acceptance':
      return back(1, 14);
    case 'publicising':
      return story.objection ? back(0, 2) : back(0, 5);
    case 'dismissed':
      return back(5, 600);
    case 'closed': {
      const r = story.rechecks ?? 0;
      // The last step is the last re-check: the next re-check is not yet due on TODAY.
      return r === 0 ? back(10, 170) : r === 1 ? back(5, 170) : back(5, 300);
    }
    default:
      return null;
  }
}

/** Lays the planned steps out on working days, ending near the story's target, and writes them. */
function layout(input: HistoryInput, plan: Planned[], out: SampleStep[]) {
  const target = endTarget(input.story, input.rand) ?? TODAY;
  const place = (start: string) => {
    const dates = [start];
    for (const p of plan) {
      let d = addDays(dates.at(-1)!, p.gap);
      const floor = p.notBefore?.(dates);
      if (floor && floor > d) d = floor;
      dates.push(snapForward(d));
    }
    return dates;
  };
  const total = plan.reduce((n, p) => n + p.gap, 0);
  let start = snapBack(addDays(target, -Math.max(total, 0)));
  let dates = place(start);
  // Working days and earliest-day floors stretch the gaps, so the start moves until the end lands just before the target.
  for (let i = 0; i < 30; i++) {
    const diff = daysBetween(dates.at(-1)!, target);
    if (diff >= 0 && diff < 5) break;
    start = snapBack(addDays(start, diff >= 0 ? diff : diff - 1));
    dates = place(start);
  }
  while (dates.at(-1)! > target) {
    start = snapBack(addDays(start, -7));
    dates = place(start);
  }
  if (dates[0] < PERIOD_START) {
    start = snapForward(PERIOD_START);
    dates = place(start);
  }
  if (dates.at(-1)! > TODAY) throw new Error(`${input.serial}: history of ${input.story.final} runs past ${TODAY} (${dates.at(-1)})`);

  // Clock times: working hours, later than the step before on the same day.
  const stamps: string[] = [];
  let previous = -Infinity;
  for (let i = 0; i < dates.length; i++) {
    let t = shanghaiToEpoch(dates[i], (8 * 60 + 40 + Math.floor(input.rand() * 480)) * 60);
    if (t <= previous + 30 * 60) t = previous + (30 + Math.floor(input.rand() * 40)) * 60;
    if (t > shanghaiToEpoch(dates[i], 17 * 3600 + 25 * 60)) throw new Error(`${input.serial}: too many steps on ${dates[i]}`);
    stamps.push(utcStamp(t));
    previous = t;
  }
  out.length = 0;
  plan.forEach((p, i) => out.push(p.make(dates[i + 1], stamps[i + 1], dates)));
  return { createdOn: dates[0], createdAt: stamps[0], steps: out, dates };
}

