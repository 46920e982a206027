/**
 * When each sample inspection happens: one joint trip per circuit per quarter on a working day
 * spread over the quarter (minus the designed gaps), the current quarter cut off at "today" with a
 * few trips under way and a few still planned, plus occasional single-department patrols.
 */
import { addDays, quarterBounds, workingDays } from './calendar.ts';
import { CIRCUITS, CURRENT_IN_PROGRESS, CURRENT_PLANNED, CURRENT_QUARTER, GAPS, PATROLS, QUARTERS, TODAY, type Quarter } from './plan.ts';

export type Status = 'completed' | 'in_progress' | 'planned';

/** One scheduled inspection before its tracks are drawn. */
export interface Trip {
  quarter: Quarter;
  /** index into CIRCUITS, or -1 for a patrol */
  circuit: number;
  areas: string[];
  /** joint (≥ 2 departments) or a single department */
  joint: boolean;
  status: Status;
  /** the day work starts (actual for completed and in-progress trips, planned otherwise) */
  day: string;
  plannedStart: string | null;
  plannedEnd: string | null;
}

/** Seeded Fisher–Yates shuffle (a copy). */
export function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** n days spread over a list of working days: one random day in each of n equal slots. */
function spread(days: string[], n: number, rand: () => number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const lo = Math.floor((i * days.length) / n);
    const hi = Math.max(lo + 1, Math.floor(((i + 1) * days.length) / n));
    return days[lo + Math.floor(rand() * (hi - lo))];
  });
}

/** The working day `n` working days after (n > 0) or before (n < 0) `day`. */
function shiftWorking(day: string, n: number): string {
  const days = n >= 0 ? workingDays(addDays(day, 1), addDays(day, 3 * n + 21)) : workingDays(addDays(day, 3 * n - 21), addDays(day, -1)).reverse();
  return n === 0 ? day : days[Math.abs(n) - 1];
}

const gapKind = (area: string, quarter: string) => GAPS.find((g) => g.area === area && g.quarter === quarter)?.kind;

/** True when an area must not be visited at all in a quarter (a designed 'missed' gap). */
export function isMissed(area: string, quarter: string): boolean {
  return gapKind(area, quarter) === 'missed';
}

/** Builds every trip of the sample period, in no particular order. */
export function schedule(rand: () => number): Trip[] {
  const trips: Trip[] = [];
  // Planned window around the actual day: usually a day or two of slack, as in a work plan.
  const planned = (day: string): [string, string] => [shiftWorking(day, -Math.floor(rand() * 3)), shiftWorking(day, Math.floor(rand() * 3))];

  for (const quarter of QUARTERS) {
    const [first, last] = quarterBounds(quarter);
    const circuits = shuffle(CIRCUITS.map((areas, circuit) => ({ areas, circuit })), rand)
      .map(({ areas, circuit }) => ({ circuit, areas: areas.filter((a) => !isMissed(a, quarter)), single: areas.some((a) => gapKind(a, quarter) === 'single') }))
      .filter((c) => c.areas.length > 0);
    const make = (c: (typeof circuits)[number], status: Status, day: string, window: [string, string]): Trip => ({
      quarter, circuit: c.circuit, areas: c.areas, joint: !c.single, status, day, plannedStart: window[0], plannedEnd: window[1],
    });
    if (quarter !== CURRENT_QUARTER) {
      const days = spread(workingDays(first, last), circuits.length, rand);
      circuits.forEach((c, i) => trips.push(make(c, 'completed', days[i], planned(days[i]))));
      continue;
    }
    // The current quarter: work done up to three days before today, a few trips under way, some planned, one not yet scheduled.
    const done = circuits.length - CURRENT_IN_PROGRESS - CURRENT_PLANNED - 1;
    const doneDays = spread(workingDays(first, addDays(TODAY, -3)), done, rand);
    const underWay = workingDays(addDays(TODAY, -6), TODAY).slice(-CURRENT_IN_PROGRESS);
    const later = spread(workingDays(addDays(TODAY, 3), addDays(last, -10)), CURRENT_PLANNED, rand);
    circuits.forEach((c, i) => {
      if (i < done) trips.push(make(c, 'completed', doneDays[i], planned(doneDays[i])));
      else if (i < done + CURRENT_IN_PROGRESS) {
        const day = underWay[i - done];
        trips.push(make(c, 'in_progress', day, [day, shiftWorking(day, 2 + Math.floor(rand() * 2))]));
      } else if (i < done + CURRENT_IN_PROGRESS + CURRENT_PLANNED) {
        const day = later[i - done - CURRENT_IN_PROGRESS];
        trips.push(make(c, 'planned', day, [day, shiftWorking(day, Math.floor(rand() * 2))]));
      }
    });
  }

  // Patrols: one department, one area, on an ordinary working day; never in a designed gap.
  const allAreas = CIRCUITS.flat().sort();
  while (trips.filter((t) => t.circuit < 0).length < PATROLS) {
    const quarter = QUARTERS[Math.floor(rand() * QUARTERS.length)];
    const area = allAreas[Math.floor(rand() * allAreas.length)];
    if (gapKind(area, quarter)) continue;
    const [first, last] = quarterBounds(quarter);
    const days = workingDays(first, quarter === CURRENT_QUARTER ? addDays(TODAY, -3) : last);
    const day = days[Math.floor(rand() * days.length)];
    trips.push({ quarter, circuit: -1, areas: [area], joint: false, status: 'completed', day, plannedStart: null, plannedEnd: null });
  }
  return trips;
}
