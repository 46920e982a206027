import { z } from 'zod';
import { id as rowId, idParams, queryId, text, version } from '../../lib/validate.ts';
import { isoDate } from '../../lib/dates.ts';
import { areaCode } from '../../lib/geo.ts';
import { inputCoordinateSystems, inspectionStatuses } from '../../lib/vocabulary.ts';

const id = rowId();

const fields = {
  title: text().trim().min(1, '请输入标题').max(200, '标题最多 200 个字符'),
  status: z.enum(inspectionStatuses),
  plannedStart: isoDate.nullable(),
  plannedEnd: isoDate.nullable(),
  actualStart: isoDate.nullable(),
  actualEnd: isoDate.nullable(),
  leadDepartmentId: id,
  /** Every participating department, the lead included. */
  departmentIds: z.array(id).min(1, '至少一个参与部门').max(20, '参与部门最多 20 个'),
  members: z
    .array(z.object({ name: text().trim().min(1, '请输入姓名').max(64), userId: id.nullable().optional(), departmentId: id.nullable().optional() }).strict())
    .max(50, '人员最多 50 名'),
  areaCodes: z.array(areaCode).max(60, '目标保护地最多 60 处'),
  summary: text().max(5000, '小结最多 5000 个字符').nullable(),
};

/** The fields the cross-field rules read. */
type Related = Partial<{
  status: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  leadDepartmentId: number;
  departmentIds: number[];
}>;

/** A completed inspection needs its dates, and the rules among fields given together hold. */
const consistent = (v: Related, ctx: z.RefinementCtx) => {
  if (v.status === 'completed' && (!v.actualStart || !v.actualEnd)) {
    ctx.addIssue({ code: 'custom', path: [v.actualStart ? 'actualEnd' : 'actualStart'], message: '已完成的检查须填写实际起止日期' });
  }
  ordered(v, ctx);
};

/**
 * Rules among fields given together, for new records and changes alike: dates in order, departments
 * listed once, the lead among them. One changed field against the stored rest is the service's to check.
 */
const ordered = (v: Related, ctx: z.RefinementCtx) => {
  if (v.plannedStart && v.plannedEnd && v.plannedEnd < v.plannedStart) {
    ctx.addIssue({ code: 'custom', path: ['plannedEnd'], message: '计划结束日期不能早于计划开始日期' });
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
  .object({ ...fields, version })
  .partial()
  .required({ version: true })
  .strict()
  .superRefine(ordered);

export const inspectionParams = idParams('检查');

export const listInspectionsQuery = z
  .object({
    status: z.enum(inspectionStatuses).optional(),
    area: areaCode.optional(),
    department: queryId('部门').optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

export const trackUploadFields = z.object({ coordinateSystem: z.enum(inputCoordinateSystems).default('wgs84') });

export const trackParams = z.object({ id: queryId('检查'), trackId: queryId('轨迹') });

/** Removing a track changes the inspection, so the request names the inspection version it read. */
export const removeTrackQuery = z
  .object({
    version: z
      .string({ error: '请提供检查记录的版本号（version）' })
      .regex(/^[0-9]{1,10}$/, '版本号须为正整数')
      .transform(Number)
      .pipe(version),
  })
  .strict();
