import type { Department } from '../api/types.ts';
import type { MessageKey } from '../i18n/messages.ts';

/** Department codes as the server accepts them. */
export const DEPARTMENT_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;

export type DepartmentField = 'code' | 'nameZh' | 'nameEn';

/** Checks a department form before it is sent; `code` only when creating. */
export function checkDepartment(input: { code?: string; nameZh: string; nameEn: string }): Partial<Record<DepartmentField, MessageKey>> {
  const problems: Partial<Record<DepartmentField, MessageKey>> = {};
  if (input.code !== undefined) {
    const code = input.code.trim();
    if (!code) problems.code = 'form.required';
    else if (!DEPARTMENT_CODE_PATTERN.test(code)) problems.code = 'departments.check.code';
  }
  if (!input.nameZh.trim()) problems.nameZh = 'form.required';
  if (!input.nameEn.trim()) problems.nameEn = 'form.required';
  return problems;
}

/**
 * Departments that may be the parent of `id`: every other one except those below it, since a
 * department under its own descendant would make a loop. For a new department (`id` null), all.
 */
export function parentCandidates(departments: readonly Department[], id: number | null): Department[] {
  if (id === null) return [...departments];
  const children = new Map<number, number[]>();
  for (const d of departments) {
    if (d.parentId === null) continue;
    const list = children.get(d.parentId) ?? [];
    list.push(d.id);
    children.set(d.parentId, list);
  }
  const excluded = new Set<number>([id]);
  const queue = [id];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!excluded.has(child)) {
        excluded.add(child);
        queue.push(child);
      }
    }
  }
  return departments.filter((d) => !excluded.has(d.id));
}
