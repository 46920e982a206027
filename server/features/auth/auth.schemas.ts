import { z } from 'zod';
import { text } from '../../lib/validate.ts';

/** Password rules for new passwords (sign-in accepts any length up to the cap, to be able to say "wrong"). */
export const newPassword = text().min(10, '密码至少 10 个字符').max(200, '密码最多 200 个字符');

export const loginBody = z
  .object({
    username: text().trim().min(1, '请输入用户名').max(64, '用户名最多 64 个字符'),
    password: text().min(1, '请输入密码').max(200, '密码最多 200 个字符'),
  })
  .strict();

export const changePasswordBody = z
  .object({
    currentPassword: text().min(1, '请输入当前密码').max(200, '密码最多 200 个字符'),
    newPassword,
  })
  .strict();
