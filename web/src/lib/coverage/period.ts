/**
 * The coverage window as the address bar carries it (`/coverage?period=2026-Q3&swath=200`): a
 * preset period (year, quarter, month) or a custom from–to range, the swath, and the selected area.
 * The server applies the same rules (server/features/coverage/coverage.schemas.ts); anything it
 * would refuse is dropped here, so a hand-edited URL still opens a working view. Today and period
 * edges come from the clock module the server uses, so both agree on the current quarter.
 */
import { FIRST_YEAR, LAST_YEAR, PERIOD_PATTERN, periodContaining, periodKind, periodRange, type PeriodKind } from '../../../../server/lib/clock.ts';
import { portalCurrentPeriod } from '../time/portal-clock.ts';

export { periodKind, periodRange, type PeriodKind };

export const SWATH_DEFAULT = 200;
export const SWATH_MIN = 10;
export const SWATH_MAX = 2000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const AREA_CODE = /^[A-Za-z0-9-]{1,32}$/;

export interface CoverageParams {
  /** A preset: `2026`, `2026-Q3` or `2026-07`; null with a custom range or for the current quarter. */
  period: string | null;
  from: string | null;
  to: string | null;
  /** Metres either side of a track counted as seen. */
  swath: number;
  /** The area selected on the map or in the table. */
  area: string | null;
}

const inYears = (year: number) => year >= FIRST_YEAR && year <= LAST_YEAR;

/** Whether a string is a period preset the server accepts. */
export function isPeriod(value: string | null | undefined): value is string {
  return typeof value === 'string' && PERIOD_PATTERN.test(value) && inYears(Number(value.slice(0, 4)));
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string | null | undefined): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return inYears(Number(value.slice(0, 4))) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Reads the coverage window from a query string; invalid or conflicting parts fall back to defaults. */
export function parseCoverageSearch(search: string): CoverageParams {
  const q = new URLSearchParams(search);
  const rawSwath = q.get('swath');
  const swathNumber = rawSwath !== null && /^\d+$/.test(rawSwath) ? Number(rawSwath) : NaN;
  const swath = swathNumber >= SWATH_MIN && swathNumber <= SWATH_MAX ? swathNumber : SWATH_DEFAULT;
  const rawArea = q.get('area');
  const area = rawArea && AREA_CODE.test(rawArea) ? rawArea : null;
  const period = q.get('period');
  if (isPeriod(period)) return { period, from: null, to: null, swath, area };
  const from = q.get('from');
  const to = q.get('to');
  if (isIsoDate(from) && isIsoDate(to) && from <= to) return { period: null, from, to, swath, area };
  return { period: null, from: null, to: null, swath, area };
}

/** The query string of a coverage window for the address bar (empty parts left out). */
export function coverageSearch(p: CoverageParams): string {
  const q = new URLSearchParams();
  if (p.period) q.set('period', p.period);
  else if (p.from && p.to) {
    q.set('from', p.from);
    q.set('to', p.to);
  }
  if (p.period || (p.from && p.to) || p.swath !== SWATH_DEFAULT) q.set('swath', String(p.swath));
  if (p.area) q.set('area', p.area);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The query string the coverage API takes for a window (no area; the swath only where it applies). */
export function coverageApiQuery(p: CoverageParams, { swath = true }: { swath?: boolean } = {}): string {
  const q = new URLSearchParams();
  if (p.period) q.set('period', p.period);
  else if (p.from && p.to) {
    q.set('from', p.from);
    q.set('to', p.to);
  }
  if (swath) q.set('swath', String(p.swath));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The quarter containing today on the portal's calendar (the server's default window), as a preset. */
export function currentQuarter(now: Date | number = Date.now()): string {
  return portalCurrentPeriod('quarter', now);
}

/** The date range a window stands for; a window without period or range is the current quarter. */
export function windowRange(p: CoverageParams, now: Date | number = Date.now()): [string, string] {
  if (p.period) return periodRange(p.period);
  if (p.from && p.to) return [p.from, p.to];
  return periodRange(currentQuarter(now));
}

/** The preset of the same kind `delta` steps earlier or later (previous/next buttons). */
export function shiftPeriod(period: string, delta: number): string {
  const year = Number(period.slice(0, 4));
  const kind = periodKind(period);
  if (kind === 'year') return String(year + delta);
  const perYear = kind === 'quarter' ? 4 : 12;
  const index = year * perYear + (kind === 'quarter' ? Number(period[6]) - 1 : Number(period.slice(5)) - 1) + delta;
  const y = Math.floor(index / perYear);
  const n = (index % perYear) + 1;
  return kind === 'quarter' ? `${y}-Q${n}` : `${y}-${String(n).padStart(2, '0')}`;
}

/** The same period expressed as another kind, keeping its start (2026-Q3 as a month is 2026-07). */
export function convertPeriod(period: string, kind: PeriodKind): string {
  return periodContaining(periodRange(period)[0], kind);
}

/** Year, and quarter or month number, of a preset, for wording it in either language. */
export function periodParts(period: string): { kind: PeriodKind; year: number; n: number } {
  const kind = periodKind(period);
  const year = Number(period.slice(0, 4));
  if (kind === 'year') return { kind, year, n: 0 };
  return { kind, year, n: kind === 'quarter' ? Number(period[6]) : Number(period.slice(5)) };
}
