import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter } from '../../web/src/lib/api/client.ts';
import { formErrors, issueText } from '../../web/src/lib/api/form-errors.ts';
import { checkPasswordChange, passwordProblem } from '../../web/src/lib/auth/checks.ts';
import { checkDepartment, parentCandidates } from '../../web/src/lib/departments/checks.ts';
import type { Department } from '../../web/src/lib/api/types.ts';
import { checkUser, normaliseUsername, roleNeedsDepartment } from '../../web/src/lib/users/checks.ts';

const badRequest = new ApiError(400, 'invalid_request', '请求内容有误：username、password', [
  { path: 'username', message: '用户名只能包含小写字母、数字和 . _ -' },
  { path: 'password', message: '至少 10 个字符' },
  { path: 'password', message: '不能全是数字' },
]);

describe('server errors on forms', () => {
  it('puts each issue next to its field, in Chinese as the server words it', () => {
    expect(formErrors(badRequest, 'zh-CN', ['username', 'password'])).toEqual({
      fields: { username: '用户名只能包含小写字母、数字和 . _ -', password: '至少 10 个字符；不能全是数字' },
      form: null,
    });
  });

  it("gives English readers the catalogue's rule for the field", () => {
    expect(formErrors(badRequest, 'en', ['username', 'password'])).toEqual({
      fields: { username: 'A username is 2–32 lower-case letters, digits or . _ -', password: 'A password is 10–200 characters.' },
      form: null,
    });
    expect(issueText({ path: 'departmentId', message: '部门执法人员必须有部门' }, 'en')).toBe(
      'Choose a valid department; officers and inspectors need one.',
    );
    expect(issueText({ path: 'mystery.0', message: '不对' }, 'en')).toBe('This value was not accepted.');
  });

  it('says issues for fields the form does not have above the form', () => {
    const error = new ApiError(400, 'invalid_request', '请求内容有误', [{ path: '(root)', message: '请求内容必须是对象' }]);
    expect(formErrors(error, 'zh-CN', ['username'])).toEqual({ fields: {}, form: '请求内容必须是对象' });
  });

  it('puts a conflict next to the field it is about', () => {
    const conflict = new ApiError(409, 'conflict', '用户名 eco 已存在');
    expect(formErrors(conflict, 'zh-CN', ['username'], { conflict: 'username' })).toEqual({
      fields: { username: '用户名 eco 已存在' },
      form: null,
    });
    expect(formErrors(conflict, 'en', ['username'], { conflict: 'username' }).fields.username).toBe('This is already taken; choose another.');
  });

  it('says a wrong current password next to that field, in either language', () => {
    const wrong = new ApiError(403, 'wrong_password', '当前密码不正确', [{ path: 'currentPassword', message: '当前密码不正确' }]);
    const codes = { wrong_password: 'currentPassword', invalid_credentials: 'currentPassword' };
    expect(formErrors(wrong, 'zh-CN', ['currentPassword', 'newPassword'], codes)).toEqual({ fields: { currentPassword: '当前密码不正确' }, form: null });
    expect(formErrors(wrong, 'en', ['currentPassword', 'newPassword'], codes)).toEqual({
      fields: { currentPassword: 'The current password is wrong.' },
      form: null,
    });
    // The same refusal without issues still lands on the field.
    const bare = new ApiError(401, 'invalid_credentials', '用户名或密码不正确');
    expect(formErrors(bare, 'en', ['currentPassword'], codes)).toEqual({ fields: { currentPassword: 'Wrong username or password.' }, form: null });
  });

  it('says other failures once, in the reader’s language', () => {
    expect(formErrors(new ApiError(401, 'invalid_credentials', '用户名或密码错误'), 'en', ['username'])).toEqual({
      fields: {},
      form: 'Wrong username or password.',
    });
    expect(formErrors(new ApiError(0, 'network', 'Failed to fetch'), 'zh-CN', [])).toEqual({
      fields: {},
      form: '无法连接服务器，请检查网络后重试。',
    });
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('42')).toBe(42);
    expect(parseRetryAfter(' 7 ')).toBe(7);
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('has nothing to say about a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('-5')).toBeNull();
  });
});

describe('form checks before sending', () => {
  it('wants new passwords of 10 to 200 characters, typed the same twice', () => {
    expect(passwordProblem('123456789')).toBe('password.tooShort');
    expect(passwordProblem('1234567890')).toBeNull();
    expect(passwordProblem('x'.repeat(201))).toBe('password.tooLong');
    expect(checkPasswordChange({ currentPassword: '', newPassword: 'short', repeat: 'other' })).toEqual({
      currentPassword: 'form.required',
      newPassword: 'password.tooShort',
      repeat: 'password.mismatch',
    });
    expect(checkPasswordChange({ currentPassword: 'old', newPassword: 'long enough!', repeat: 'long enough!' })).toEqual({});
  });

  it('checks usernames as the server stores them', () => {
    expect(normaliseUsername('  Wang.Li ')).toBe('wang.li');
    const base = { displayName: '王力', role: 'viewer' as const, departmentId: null, password: 'long enough!' };
    expect(checkUser({ ...base, username: 'Wang.Li' })).toEqual({});
    expect(checkUser({ ...base, username: 'lq' })).toEqual({});
    expect(checkUser({ ...base, username: 'w' })).toEqual({ username: 'users.check.username' });
    expect(checkUser({ ...base, username: '王力' })).toEqual({ username: 'users.check.username' });
    expect(checkUser({ ...base, username: '' })).toEqual({ username: 'form.required' });
    expect(checkUser({ ...base, username: 'a'.repeat(33) })).toEqual({ username: 'users.check.username' });
  });

  it('wants a department for officers and inspectors only', () => {
    expect(roleNeedsDepartment('officer')).toBe(true);
    expect(roleNeedsDepartment('inspector')).toBe(true);
    expect(roleNeedsDepartment('coordinator')).toBe(false);
    expect(checkUser({ displayName: '王力', role: 'officer', departmentId: null })).toEqual({ departmentId: 'users.check.departmentRequired' });
    expect(checkUser({ displayName: ' ', role: 'inspector', departmentId: 3 })).toEqual({ displayName: 'form.required' });
    expect(checkUser({ displayName: '王力', role: 'admin', departmentId: null })).toEqual({});
  });

  it('checks department codes and names', () => {
    expect(checkDepartment({ code: 'eco-linqu', nameZh: '临朐分局', nameEn: 'Linqu Branch' })).toEqual({});
    expect(checkDepartment({ code: '-eco', nameZh: '', nameEn: ' ' })).toEqual({
      code: 'departments.check.code',
      nameZh: 'form.required',
      nameEn: 'form.required',
    });
    expect(checkDepartment({ code: 'Eco', nameZh: 'a', nameEn: 'b' })).toEqual({ code: 'departments.check.code' });
    expect(checkDepartment({ nameZh: 'a', nameEn: 'b' })).toEqual({});
  });

  it('never offers a department, or one below it, as its own parent', () => {
    const d = (id: number, parentId: number | null): Department => ({
      id,
      parentId,
      version: 1,
      code: `d${id}`,
      nameZh: `部门${id}`,
      nameEn: `Dept ${id}`,
      kind: 'other',
      countyCode: null,
    });
    const all = [d(1, null), d(2, 1), d(3, 2), d(4, 1), d(5, null)];
    expect(parentCandidates(all, 2).map((x) => x.id)).toEqual([1, 4, 5]);
    expect(parentCandidates(all, 1).map((x) => x.id)).toEqual([5]);
    expect(parentCandidates(all, null).map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
