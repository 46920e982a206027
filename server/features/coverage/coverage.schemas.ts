import { z } from 'zod';
import { addYears, FIRST_YEAR, LAST_YEAR, PERIOD_PATTERN, periodContaining, periodRange } from '../../lib/clock.ts';
import { isoDate } from '../../lib/dates.ts';
import { areaCode } from '../../lib/geo.ts';

/**
 * Longest window one request may ask for. Coverage buffers every track of the window per request; an
 * all-time window at the widest swath held a database connection for 7–42 s.
 */
export const MAX_WINDOW_YEARS = 3;

const yearsMessage = `须在 ${FIRST_YEAR}–${LAST_YEAR} 年之间`;
const inYears = (date: string) => date >= `${FIRST_YEAR}-01-01` && date <= `${LAST_YEAR}-12-31`;

const period = z
  .string()
  .regex(PERIOD_PATTERN, '期间须为年（2026）、季度（2026-Q3）或月份（2026-07）')
  .refine((p) => Number(p.slice(0, 4)) >= FIRST_YEAR && Number(p.slice(0, 4)) <= LAST_YEAR, `期间${yearsMessage}`);

const windowDate = isoDate.refine(inYears, `日期${yearsMessage}`);

const windowFields = {
  from: windowDate.optional(),
  to: windowDate.optional(),
  period: period.optional(),
};

/**
 * Resolves `period` or `from`/`to` to a date range, capped at MAX_WINDOW_YEARS. Without either both
 * stay unset: the default (the current quarter) depends on today, which the route reads from the clock.
 */
function toRange<T extends { from?: string; to?: string; period?: string }>(v: T, ctx: z.RefinementCtx) {
  if (v.period && (v.from || v.to)) {
    ctx.addIssue({ code: 'custom', path: ['period'], message: '期间与起止日期只能给一种' });
    return z.NEVER;
  }
  if ((v.from === undefined) !== (v.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: [v.from ? 'to' : 'from'], message: '起止日期须同时给出' });
    return z.NEVER;
  }
  const { period: p, ...rest } = v;
  if (p) {
    const [from, to] = periodRange(p);
    return { ...rest, from, to };
  }
  if (v.from && v.to) {
    if (v.from > v.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
      return z.NEVER;
    }
    if (v.to >= addYears(v.from, MAX_WINDOW_YEARS)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `查询期间最长 ${MAX_WINDOW_YEARS} 年，请缩短起止日期` });
      return z.NEVER;
    }
  }
  return { ...rest, from: v.from, to: v.to };
}

/** The window a request asked for, or the quarter containing `today` when it named none. */
export function resolveWindow<T extends { from?: string; to?: string }>(q: T, today: string): T & { from: string; to: string } {
  if (q.from && q.to) return q as T & { from: string; to: string };
  const [from, to] = periodRange(periodContaining(today, 'quarter'));
  return { ...q, from, to };
}

const swath = z.coerce
  .number({ message: 'swath 须为数字（米）' })
  .int('swath 须为整数（米）')
  .min(10, 'swath 须在 10–2000 米之间')
  .max(2000, 'swath 须在 10–2000 米之间')
  .default(200);

export const coverageQuery = z.object({ ...windowFields, swath }).strict().transform(toRange);
export const gridQuery = z.object(windowFields).strict().transform(toRange);
export const coverageParams = z.object({ code: areaCode });
