import { z } from 'zod';
import { isoDate } from '../../lib/dates.ts';
import { taskKinds, taskStatuses } from '../../lib/vocabulary.ts';

const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));

export const listTasksQuery = z
  .object({
    /** 1: the signed-in person's department inbox. */
    mine: z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true').optional(),
    status: list(taskStatuses).optional(),
    kind: list(taskKinds).optional(),
    finding: z.coerce.number().int().positive().optional(),
    department: z.coerce.number().int().positive().optional(),
  })
  .strict();

export const taskParams = z.object({ id: z.coerce.number().int().positive('任务编号须为正整数').max(2147483647) });

/** What a department does to its own task outside the workflow: take it up, note progress, assign a person. */
export const updateTaskBody = z
  .object({
    version: z.number().int().positive(),
    status: z.enum(['in_progress', 'done']).optional(),
    note: z.string().trim().max(4000, '备注最多 4000 个字符').nullable().optional(),
    assigneeUserId: z.number().int().positive().nullable().optional(),
  })
  .strict();

/** A coordinator's ad-hoc task on a finding. */
export const createTaskBody = z
  .object({
    kind: z.enum(['verify', 'inspect']),
    departmentId: z.number().int().positive(),
    dueOn: isoDate,
    note: z.string().trim().max(4000, '备注最多 4000 个字符').nullable().optional(),
    assigneeUserId: z.number().int().positive().nullable().optional(),
  })
  .strict();
