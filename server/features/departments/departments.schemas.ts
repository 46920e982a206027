import { z } from 'zod';
import { id, idParams, text, version } from '../../lib/validate.ts';
import { countyCode } from '../../lib/geo.ts';
import { departmentKinds } from '../../lib/vocabulary.ts';

const code = text()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, '编码须为 2–64 个小写字母、数字或连字符，以字母或数字开头');
const name = (label: string) => text().trim().min(1, `请输入${label}`).max(100, `${label}最多 100 个字符`);

export const createDepartmentBody = z
  .object({
    code,
    nameZh: name('中文名称'),
    nameEn: name('英文名称'),
    kind: z.enum(departmentKinds),
    parentId: id('上级部门').nullable().optional(),
    countyCode: countyCode.nullable().optional(),
  })
  .strict();

export const updateDepartmentBody = createDepartmentBody
  .omit({ code: true })
  .partial()
  /** The version the admin read; a change made since then → 409. */
  .extend({ version })
  .strict()
  .refine((v) => Object.keys(v).some((k) => k !== 'version'), { message: '没有要修改的内容' });

export const departmentParams = idParams('部门');
