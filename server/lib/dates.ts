import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that exists (no 30 February), as every API field with a date takes it. */
export const isoDate = z.iso.date({ error: '日期须为 YYYY-MM-DD 格式的有效日期' });
