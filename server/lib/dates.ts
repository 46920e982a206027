import { z } from 'zod';

/**
 * A calendar date `YYYY-MM-DD` that exists (no 30 February), as every API field with a date takes it.
 * Limited to 1900–2100: the oldest sample record is a 1980s construction, and outside such a range a
 * date is a typo (or year 0000, which PostgreSQL cannot store).
 */
export const isoDate = z.iso
  .date({ error: '日期须为 YYYY-MM-DD 格式的有效日期' })
  .refine((d) => d >= '1900-01-01' && d <= '2100-12-31', { message: '日期须在 1900-01-01 至 2100-12-31 之间', abort: true });
