import type { Role } from '../api/types.ts';
import { passwordProblem } from '../auth/checks.ts';
import type { MessageKey } from '../i18n/messages.ts';

/** Usernames as the server stores them: lower-case, 2–32 of `a-z 0-9 . _ -`. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{2,32}$/;

/** Roles that act for one department and so cannot be saved without it. */
const DEPARTMENT_ROLES: readonly Role[] = ['officer', 'inspector'];

/** Whether a role needs a department. */
export function roleNeedsDepartment(role: Role): boolean {
  return DEPARTMENT_ROLES.includes(role);
}

/** A username as the server will store it (it lower-cases; spaces around it are a typing slip). */
export function normaliseUsername(value: string): string {
  return value.trim().toLowerCase();
}

export type UserField = 'username' | 'displayName' | 'role' | 'departmentId' | 'password';

/** Checks a user form before it is sent; `password` and `username` only when the form has them. */
export function checkUser(input: {
  username?: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  password?: string;
}): Partial<Record<UserField, MessageKey>> {
  const problems: Partial<Record<UserField, MessageKey>> = {};
  if (input.username !== undefined) {
    const username = normaliseUsername(input.username);
    if (!username) problems.username = 'form.required';
    else if (!USERNAME_PATTERN.test(username)) problems.username = 'users.check.username';
  }
  if (!input.displayName.trim()) problems.displayName = 'form.required';
  if (roleNeedsDepartment(input.role) && input.departmentId === null) problems.departmentId = 'users.check.departmentRequired';
  if (input.password !== undefined) {
    const weak = passwordProblem(input.password);
    if (weak) problems.password = weak;
  }
  return problems;
}
