/**
 * The portal's one clock: what day it is and where a year, quarter or month starts and ends, in the
 * configured time zone (TIME_ZONE, default Asia/Shanghai — officers' deadlines and the quarterly
 * inspection duty run on China's calendar, so a UTC date would still show yesterday before 08:00).
 * Pure and importing nothing: the web app imports this same module, so server and pages agree.
 */

/** The zone officers' calendar runs in when TIME_ZONE is not set. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Earliest and latest year a period or window may name; outside them a date is a typo (0050, 9999). */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

export type PeriodKind = 'year' | 'quarter' | 'month';

/** A period preset: a year (2026), a quarter (2026-Q3) or a month (2026-07). */
export const PERIOD_PATTERN = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;

/** Whether the runtime knows an IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) it is at `now` in `timeZone`. */
export function today(timeZone: string = DEFAULT_TIME_ZONE, now: Date | number = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: 'year' | 'month' | 'day') => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** Whether a preset names a year, a quarter or a month. */
export function periodKind(period: string): PeriodKind {
  if (period.length === 4) return 'year';
  return period[5] === 'Q' ? 'quarter' : 'month';
}

// Years 0–99 would be read as 1900–1999 by Date.UTC; periods are refused outside FIRST_YEAR–LAST_YEAR first.
const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** First and last day of a period preset. */
export function periodRange(period: string): [string, string] {
  const year = Number(period.slice(0, 4));
  const kind = periodKind(period);
  if (kind === 'year') return [`${period}-01-01`, `${period}-12-31`];
  const first = kind === 'quarter' ? (Number(period[6]) - 1) * 3 : Number(period.slice(5)) - 1;
  const months = kind === 'quarter' ? 3 : 1;
  return [iso(year, first, 1), iso(year, first + months, 0)];
}

/** The preset of the given kind that contains a date (YYYY-MM-DD). */
export function periodContaining(date: string, kind: PeriodKind): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (kind === 'year') return year;
  if (kind === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The preset of the given kind that contains today in `timeZone` (the default coverage window is the quarter). */
export function currentPeriod(kind: PeriodKind, timeZone: string = DEFAULT_TIME_ZONE, now: Date | number = Date.now()): string {
  return periodContaining(today(timeZone, now), kind);
}

/** A date `days` later (or earlier, when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A date `years` later, clamped to the month's end (29 February → 28 February). */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const m = Number(date.slice(5, 7)) - 1;
  const d = Number(date.slice(8, 10));
  const last = Number(iso(y, m + 1, 0).slice(8, 10));
  return iso(y, m, Math.min(d, last));
}
