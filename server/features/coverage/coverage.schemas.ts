import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { areaCode } from '../../lib/geo.ts';


/** A period preset: a year (2026), a quarter (2026-Q3) or a month (2026-07). */
const period = z.string().regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, '期间须为年（2026）、季度（2026-Q3）或月份（2026-07）');

const windowFields = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  period: period.optional(),
};

/** Resolves `period` or `from`/`to` (default: the current quarter) to a date range. */
function toRange<T extends { from?: string; to?: string; period?: string }>(v: T, ctx: z.RefinementCtx) {
  if (v.period && (v.from || v.to)) {
    ctx.addIssue({ code: 'custom', path: ['period'], message: '期间与起止日期只能给一种' });
    return z.NEVER;
  }
  if ((v.from === undefined) !== (v.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: [v.from ? 'to' : 'from'], message: '起止日期须同时给出' });
    return z.NEVER;
  }
  let from = v.from;
  let to = v.to;
  const p = v.period ?? (from ? undefined : currentQuarter());
  if (p) [from, to] = periodRange(p);
  if (from! > to!) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
    return z.NEVER;
  }
  return { ...v, from: from!, to: to! };
}

/** The quarter containing today, as a period preset. */
export function currentQuarter(today = new Date()): string {
  return `${today.getUTCFullYear()}-Q${Math.floor(today.getUTCMonth() / 3) + 1}`;
}

/** First and last day of a period preset. */
export function periodRange(p: string): [string, string] {
  const year = Number(p.slice(0, 4));
  const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
  if (p.length === 4) return [iso(year, 0, 1), iso(year, 11, 31)];
  if (p[5] === 'Q') {
    const q = Number(p[6]) - 1;
    return [iso(year, q * 3, 1), iso(year, q * 3 + 3, 0)];
  }
  const m = Number(p.slice(5)) - 1;
  return [iso(year, m, 1), iso(year, m + 1, 0)];
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
