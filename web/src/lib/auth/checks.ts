import type { MessageKey } from '../i18n/messages.ts';

/** The server's bounds on a password (it says so again with a 400 if these ever drift). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** What is wrong with a new password on its own, if anything. */
export function passwordProblem(password: string): MessageKey | null {
  if (password.length < PASSWORD_MIN) return 'password.tooShort';
  if (password.length > PASSWORD_MAX) return 'password.tooLong';
  return null;
}

/** Checks the change-password form before it is sent: each field's problem, by field name. */
export function checkPasswordChange(input: {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}): Partial<Record<'currentPassword' | 'newPassword' | 'repeat', MessageKey>> {
  const problems: Partial<Record<'currentPassword' | 'newPassword' | 'repeat', MessageKey>> = {};
  if (!input.currentPassword) problems.currentPassword = 'form.required';
  const weak = passwordProblem(input.newPassword);
  if (weak) problems.newPassword = weak;
  if (input.repeat !== input.newPassword) problems.repeat = 'password.mismatch';
  return problems;
}
