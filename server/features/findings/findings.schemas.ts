import { z } from 'zod';
import { commaList, id, idParams, queryFlag, queryId, text, version } from '../../lib/validate.ts';
import { isoDate } from '../../lib/dates.ts';
import { areaCode, countyCode, pointOrPolygon } from '../../lib/geo.ts';
import { approvalStatuses, changeTypes, findingCategories, findingSources, findingStates, inputCoordinateSystems } from '../../lib/vocabulary.ts';


const facts = {
  title: text().trim().min(1, '请输入标题').max(200, '标题最多 200 个字符'),
  category: z.enum(findingCategories),
  source: z.enum(findingSources),
  description: text().trim().min(1, '请输入问题描述').max(10_000, '描述最多 10000 个字符'),
  batch: text().trim().max(100, '批次最多 100 个字符').nullable(),
  discoveredAt: isoDate,
  constructedAt: isoDate.nullable(),
  approval: z.enum(approvalStatuses),
  geometry: pointOrPolygon,
  /** The datum of the coordinates sent; GCJ-02 (高德/腾讯) and BD-09 (百度) are converted, only WGS84 is stored. */
  coordinateSystem: z.enum(inputCoordinateSystems),
  inspectionId: id('检查').nullable(),
  /** Facts the rules need: the approval (批准文号, 审批机关, 批准日期), 变化类型 and 规模扩大 with the original footprint. */
  approvalNo: text().trim().min(1, '批准文号不能为空').max(200, '批准文号最多 200 个字符').nullable(),
  approvalAuthority: text().trim().min(1, '审批机关不能为空').max(200, '审批机关最多 200 个字符').nullable(),
  approvedOn: isoDate.nullable(),
  changeType: z.enum(changeTypes).nullable(),
  expanded: z.boolean(),
  originalGeometry: pointOrPolygon.refine((g) => g.type === 'Polygon', '原有范围须为多边形').nullable(),
};

/** The original footprint belongs only to a finding recorded as 规模扩大. */
const originalNeedsExpanded = (f: { expanded?: boolean; originalGeometry?: unknown }, ctx: z.RefinementCtx) => {
  if (f.originalGeometry && f.expanded === false) {
    ctx.addIssue({ code: 'custom', path: ['originalGeometry'], message: '只有规模扩大的问题才记录原有范围' });
  }
};

export const createFindingBody = z
  .object({
    ...facts,
    batch: facts.batch.optional(),
    constructedAt: facts.constructedAt.optional(),
    approval: facts.approval.default('unknown'),
    coordinateSystem: facts.coordinateSystem.default('wgs84'),
    inspectionId: facts.inspectionId.optional(),
    approvalNo: facts.approvalNo.optional(),
    approvalAuthority: facts.approvalAuthority.optional(),
    approvedOn: facts.approvedOn.optional(),
    changeType: facts.changeType.optional(),
    expanded: facts.expanded.default(false),
    originalGeometry: facts.originalGeometry.optional(),
  })
  .strict()
  .superRefine(originalNeedsExpanded);

export const updateFindingBody = z
  .object({ ...facts, version })
  .partial()
  .required({ version: true })
  .strict()
  .superRefine(originalNeedsExpanded);

export const findingParams = idParams('问题');

/** Filters, sort and keyset paging of the findings list (and the map's GeoJSON). */
export const listFindingsQuery = z
  .object({
    state: commaList(findingStates).optional(),
    category: commaList(findingCategories).optional(),
    source: commaList(findingSources).optional(),
    area: areaCode.optional(),
    county: countyCode.optional(),
    department: queryId('部门').optional(),
    overdue: queryFlag.optional(),
    escalated: queryFlag.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    bbox: z
      .string()
      .transform((s) => s.split(',').map(Number))
      .pipe(
        z
          .tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()], { message: 'bbox 须为 最小经度,最小纬度,最大经度,最大纬度' })
          .refine(([a, b, c, d]) => a < c && b < d && a >= -180 && c <= 180 && b >= -90 && d <= 90, 'bbox 须为 最小经度,最小纬度,最大经度,最大纬度'),
      )
      .optional(),
    q: text().trim().min(1).max(100, '搜索词最长 100 个字符').optional(),
    sort: z.enum(['newest', 'overdue_first']).default('newest'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
    format: z.enum(['json', 'geojson']).default('json'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.cursor !== undefined && !cursorShape[q.sort].safeParse(decodedCursor(q.cursor)).success) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: '分页游标无效，请从第一页重新查询' });
    }
  });

/** The cursor's JSON, or undefined when it is not base64url JSON at all. */
function decodedCursor(s: string): unknown {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

// A cursor holds the last row's sort keys and id (see listFindings); each sort has its own key types,
// which the SQL casts, so a crafted cursor must match them exactly. Open deadlines sort as 9999-12-31,
// so any year PostgreSQL has (from 0001) is allowed here.
const cursorDate = z.iso.date().refine((d) => d >= '0001-01-01');
const cursorShape = {
  newest: z.object({ v: z.tuple([cursorDate]), id: id() }).strict(),
  overdue_first: z.object({ v: z.tuple([z.union([z.literal(0), z.literal(1)]), cursorDate]), id: id() }).strict(),
} as const;
