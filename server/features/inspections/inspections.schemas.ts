import { z } from 'zod';
import { idParams } from '../../lib/validate.ts';
import { isoDate } from '../../lib/dates.ts';
import { areaCode } from '../../lib/geo.ts';
import { inputCoordinateSystems, inspectionStatuses } from '../../lib/vocabulary.ts';

const id = z.number().int().positive();

const fields = {
  title: z.string().trim().min(1, '请输入标题').max(200, '标题最多 200 个字符'),
  status: z.enum(inspectionStatuses),
  plannedStart: isoDate.nullable(),
  plannedEnd: isoDate.nullable(),
  actualStart: isoDate.nullable(),
  actualEnd: isoDate.nullable(),
  leadDepartmentId: id,
  /** Every participating department, the lead included. */
  departmentIds: z.array(id).min(1, '至少一个参与部门').max(20, '参与部门最多 20 个'),
  members: z
    .array(z.object({ name: z.string().trim().min(1, '请输入姓名').max(64), userId: id.nullable().optional(), departmentId: id.nullable().optional() }).strict())
    .max(50, '人员最多 50 名'),
  areaCodes: z.array(areaCode).max(60, '目标保护地最多 60 处'),
  summary: z.string().max(5000, '小结最多 5000 个字符').nullable(),
};

/** A completed inspection needs its dates; the lead must take part; departments are listed once. */
const consistent = <T extends Partial<{ status: string; actualStart: string | null; actualEnd: string | null; leadDepartmentId: number; departmentIds: number[] }>>(
  v: T,
  ctx: z.RefinementCtx,
) => {
  if (v.status === 'completed' && (!v.actualStart || !v.actualEnd)) {
    ctx.addIssue({ code: 'custom', path: [v.actualStart ? 'actualEnd' : 'actualStart'], message: '已完成的检查须填写实际起止日期' });
  }
  if (v.actualStart && v.actualEnd && v.actualEnd < v.actualStart) {
    ctx.addIssue({ code: 'custom', path: ['actualEnd'], message: '结束日期不能早于开始日期' });
  }
  if (v.departmentIds && new Set(v.departmentIds).size !== v.departmentIds.length) {
    ctx.addIssue({ code: 'custom', path: ['departmentIds'], message: '参与部门有重复' });
  }
  if (v.leadDepartmentId !== undefined && v.departmentIds && !v.departmentIds.includes(v.leadDepartmentId)) {
    ctx.addIssue({ code: 'custom', path: ['departmentIds'], message: '牵头部门须在参与部门之中' });
  }
};

export const createInspectionBody = z
  .object({
    title: fields.title,
    status: fields.status.default('planned'),
    plannedStart: fields.plannedStart.optional(),
    plannedEnd: fields.plannedEnd.optional(),
    actualStart: fields.actualStart.optional(),
    actualEnd: fields.actualEnd.optional(),
    leadDepartmentId: fields.leadDepartmentId,
    departmentIds: fields.departmentIds,
    members: fields.members.default([]),
    areaCodes: fields.areaCodes.default([]),
    summary: fields.summary.optional(),
  })
  .strict()
  .superRefine(consistent);

export const updateInspectionBody = z
  .object({ ...fields, version: z.number().int().positive() })
  .partial()
  .required({ version: true })
  .strict();

export const inspectionParams = idParams('检查');

export const listInspectionsQuery = z
  .object({
    status: z.enum(inspectionStatuses).optional(),
    area: areaCode.optional(),
    department: z.coerce.number().int().positive().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

export const trackUploadFields = z.object({ coordinateSystem: z.enum(inputCoordinateSystems).default('wgs84') });
