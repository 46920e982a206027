import { z } from 'zod';

/** Password rules for new passwords (sign-in accepts any length up to the cap, to be able to say "wrong"). */
export const newPassword = z.string().min(10, '密码至少 10 个字符').max(200, '密码最多 200 个字符');

export const loginBody = z
  .object({
    username: z.string().trim().min(1, '请输入用户名').max(64, '用户名最多 64 个字符'),
    password: z.string().min(1, '请输入密码').max(200, '密码最多 200 个字符'),
  })
  .strict();

export const changePasswordBody = z
  .object({
    currentPassword: z.string().min(1, '请输入当前密码').max(200, '密码最多 200 个字符'),
    newPassword,
  })
  .strict();
