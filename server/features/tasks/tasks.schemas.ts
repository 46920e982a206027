import { z } from 'zod';
import { commaList, id, idParams, queryFlag, queryId, text, version } from '../../lib/validate.ts';
import { isoDate } from '../../lib/dates.ts';
import { taskKinds, taskStatuses } from '../../lib/vocabulary.ts';
import { patchTaskActions } from './task-actions.ts';

/** Which tasks a list shows: still to do (the default), 已办 (done and cancelled, newest first), or all. */
export const taskViews = ['active', 'done', 'all'] as const;

export const listTasksQuery = z
  .object({
    /** 1: the signed-in person's department inbox (and, for a coordinator, the clues they must dispatch). */
    mine: queryFlag.optional(),
    view: z.enum(taskViews).optional(),
    status: commaList(taskStatuses).optional(),
    kind: commaList(taskKinds).optional(),
    finding: queryId('问题').optional(),
    department: queryId('部门').optional(),
  })
  .strict();

export const taskParams = idParams('任务');

const longText = (label: string) => text().trim().min(1, `${label}不能为空`).max(4000, `${label}最多 4000 个字符`);

/**
 * One action on a task, named as `allowedActions` names it: take it up, write the department's reply,
 * name who handles it, complete an ad-hoc task (with a reply, given now or before), or cancel it (a
 * coordinator, with the reason).
 */
export const updateTaskBody = z
  .object({
    version,
    action: z.enum(patchTaskActions, { message: `action 须为 ${patchTaskActions.join('、')} 之一` }),
    reply: longText('办理回复').optional(),
    assigneeUserId: id('用户').nullable().optional(),
    reason: longText('取消原因').optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const need = (field: 'reply' | 'assigneeUserId' | 'reason', message: string) => {
      if (b[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    const only = (allowed: string[]) => {
      for (const field of ['reply', 'assigneeUserId', 'reason'] as const) {
        if (b[field] !== undefined && !allowed.includes(field)) ctx.addIssue({ code: 'custom', path: [field], message: `操作 ${b.action} 不接受此字段` });
      }
    };
    if (b.action === 'reply') (need('reply', '请填写办理回复'), only(['reply']));
    if (b.action === 'assign') (need('assigneeUserId', '请选择承办人（或传 null 取消指定）'), only(['assigneeUserId']));
    if (b.action === 'cancel') (need('reason', '取消任务须说明原因'), only(['reason']));
    if (b.action === 'take_up') only([]);
    if (b.action === 'complete') only(['reply']);
  });

/** A coordinator's ad-hoc task on a finding. */
export const createTaskBody = z
  .object({
    kind: z.enum(['verify', 'inspect']),
    departmentId: id('部门'),
    dueOn: isoDate,
    instruction: text().trim().max(4000, '交办说明最多 4000 个字符').nullable().optional(),
    assigneeUserId: id('用户').nullable().optional(),
  })
  .strict();

export const clueParams = idParams('问题');

/** A coordinator hands a clue to another coordinator to dispatch, or moves its dispatch deadline. */
export const updateClueBody = z
  .object({
    version,
    ownerUserId: id('用户'),
    dueOn: isoDate.optional(),
  })
  .strict();

/** A monitoring batch (e.g. a remote-sensing issue): its clues' dispatch deadline and the coordinator who owns them. */
export const createBatchBody = z
  .object({
    code: text().trim().min(1, '请输入批次编号').max(100, '批次最多 100 个字符'),
    name: text().trim().min(1, '请输入批次名称').max(200, '批次名称最多 200 个字符'),
    issuedOn: isoDate.nullable().optional(),
    verifyBy: isoDate.nullable().optional(),
    ownerUserId: id('用户').nullable().optional(),
  })
  .strict();
