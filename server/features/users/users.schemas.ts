import { z } from 'zod';
import { id, idParams, text, version } from '../../lib/validate.ts';
import { roles } from '../../lib/vocabulary.ts';
import { newPassword } from '../auth/auth.schemas.ts';

const username = text()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,32}$/, '用户名须为 2–32 个小写字母、数字或 . _ -');
const displayName = text().trim().min(1, '请输入姓名').max(64, '姓名最多 64 个字符');
const departmentId = id('部门').nullable();

export const createUserBody = z
  .object({ username, displayName, role: z.enum(roles), departmentId, password: newPassword })
  .strict();

export const updateUserBody = z
  .object({
    displayName: displayName.optional(),
    role: z.enum(roles).optional(),
    departmentId: departmentId.optional(),
    active: z.boolean().optional(),
    password: newPassword.optional(),
    /** The version the admin read; a change made since then → 409. */
    version,
  })
  .strict()
  .refine((v) => Object.keys(v).some((k) => k !== 'version'), { message: '没有要修改的内容' });

export const userParams = idParams('用户');
