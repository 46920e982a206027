/**
 * Dates for the sample inspections: quarters, working days (weekends and the main public holidays
 * left out) and Asia/Shanghai clock times stored as UTC. Pure date arithmetic, no Date.now().
 */
import type { Quarter } from './plan.ts';

/** Main public holidays of 2025–2026 (inclusive ranges); inspections are not scheduled on them. */
const HOLIDAYS: [string, string][] = [
  ['2025-01-01', '2025-01-01'],
  ['2025-01-28', '2025-02-04'],
  ['2025-04-04', '2025-04-06'],
  ['2025-05-01', '2025-05-05'],
  ['2025-05-31', '2025-06-02'],
  ['2025-10-01', '2025-10-08'],
  ['2026-01-01', '2026-01-03'],
  ['2026-02-15', '2026-02-23'],
  ['2026-04-04', '2026-04-06'],
  ['2026-05-01', '2026-05-05'],
  ['2026-06-19', '2026-06-21'],
  ['2026-09-25', '2026-09-27'],
  ['2026-10-01', '2026-10-07'],
];

/** Asia/Shanghai has had no daylight saving since 1991: a fixed +8 h. */
const SHANGHAI_OFFSET_S = 8 * 3600;

const DAY_MS = 86_400_000;

/** ISO date of a UTC-midnight timestamp. */
function isoOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function msOf(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** Adds whole days to an ISO date. */
export function addDays(iso: string, days: number): string {
  return isoOf(msOf(iso) + days * DAY_MS);
}

/** The quarter an ISO date falls in, e.g. `2026-Q2`. */
export function quarterOf(iso: string): string {
  return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
}

/** First and last day of a quarter. */
export function quarterBounds(q: Quarter | string): [string, string] {
  const year = Number(q.slice(0, 4));
  const n = Number(q.slice(6));
  const first = `${year}-${String(3 * n - 2).padStart(2, '0')}-01`;
  const next = n === 4 ? `${year + 1}-01-01` : `${year}-${String(3 * n + 1).padStart(2, '0')}-01`;
  return [first, addDays(next, -1)];
}

/** True on Monday–Friday outside the listed holidays. */
export function isWorkingDay(iso: string): boolean {
  const weekday = new Date(msOf(iso)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !HOLIDAYS.some(([from, to]) => iso >= from && iso <= to);
}

/** Working days from `from` to `to`, inclusive. */
export function workingDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) days.push(d);
  return days;
}

/** UTC epoch seconds of a local (Asia/Shanghai) clock time on an ISO date. */
export function shanghaiToEpoch(iso: string, localSeconds: number): number {
  return msOf(iso) / 1000 + localSeconds - SHANGHAI_OFFSET_S;
}

/** The local (Asia/Shanghai) date and seconds after local midnight of a UTC epoch time. */
export function epochToShanghai(epoch: number): { date: string; seconds: number } {
  const local = epoch + SHANGHAI_OFFSET_S;
  const day = Math.floor(local / 86_400);
  return { date: isoOf(day * DAY_MS), seconds: local - day * 86_400 };
}

/** Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ`. */
export function utcStamp(epoch: number): string {
  return `${new Date(Math.round(epoch) * 1000).toISOString().slice(0, 19)}Z`;
}
