import { z } from 'zod';
import { idParams } from '../../lib/validate.ts';
import { roles } from '../../lib/vocabulary.ts';
import { newPassword } from '../auth/auth.schemas.ts';

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,32}$/, '用户名须为 2–32 个小写字母、数字或 . _ -');
const displayName = z.string().trim().min(1, '请输入姓名').max(64, '姓名最多 64 个字符');
const departmentId = z.number().int().positive().nullable();

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
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的内容' });

export const userParams = idParams('用户');
