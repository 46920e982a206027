import { z } from 'zod';
import { commaList, id, idParams, queryFlag, queryId, text, version } from '../../lib/validate.ts';
import { isoDate } from '../../lib/dates.ts';
import { taskKinds, taskStatuses } from '../../lib/vocabulary.ts';

export const listTasksQuery = z
  .object({
    /** 1: the signed-in person's department inbox. */
    mine: queryFlag.optional(),
    status: commaList(taskStatuses).optional(),
    kind: commaList(taskKinds).optional(),
    finding: queryId('问题').optional(),
    department: queryId('部门').optional(),
  })
  .strict();

export const taskParams = idParams('任务');

/** What a department does to its own task outside the workflow: take it up, note progress, assign a person. */
export const updateTaskBody = z
  .object({
    version,
    status: z.enum(['in_progress', 'done']).optional(),
    note: text().trim().max(4000, '备注最多 4000 个字符').nullable().optional(),
    assigneeUserId: id('用户').nullable().optional(),
  })
  .strict();

/** A coordinator's ad-hoc task on a finding. */
export const createTaskBody = z
  .object({
    kind: z.enum(['verify', 'inspect']),
    departmentId: id('部门'),
    dueOn: isoDate,
    note: text().trim().max(4000, '备注最多 4000 个字符').nullable().optional(),
    assigneeUserId: id('用户').nullable().optional(),
  })
  .strict();
