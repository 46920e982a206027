import { z } from 'zod';

/** Weifang's extent (WGS84), from the reference data README; a margin is added where input is checked. */
export const WEIFANG_EXTENT = { minLon: 118.17, minLat: 35.53, maxLon: 120.02, maxLat: 37.43 } as const;

/** County-level code: GB/T 2260 (6 digits) or a functional-zone code of the portal (WF-FZ-…). */
export const countyCode = z
  .string()
  .regex(/^([0-9]{6}|WF-FZ-[A-Z]{2,6})$/, '须为 6 位行政区划代码（如 370724）或功能区代码（如 WF-FZ-XSQ）');

/** Code of a protected area, e.g. WF-PA-01. */
export const areaCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, '须为字母、数字和连字符组成的编码（如 WF-PA-01），最长 40 个字符');

/** Margin around Weifang's extent inside which input coordinates are accepted (about 10 km). */
export const EXTENT_MARGIN_DEG = 0.1;
/** Most vertices one drawn or typed geometry may have. */
export const MAX_VERTICES = 5000;

// Positions are 2D only: the columns are 2D, and a height (Z) or measure (M) from a GPS or CAD export
// would be refused by PostGIS, so it is refused here with a message instead of being dropped unseen.
const lonLat = z
  .tuple([z.number().finite(), z.number().finite()], { message: '坐标须为 [经度, 纬度]（不含高程或其他分量）' })
  .superRefine(([lon, lat], ctx) => {
    const e = WEIFANG_EXTENT;
    if (lon < e.minLon - EXTENT_MARGIN_DEG || lon > e.maxLon + EXTENT_MARGIN_DEG || lat < e.minLat - EXTENT_MARGIN_DEG || lat > e.maxLat + EXTENT_MARGIN_DEG) {
      ctx.addIssue({ code: 'custom', message: `坐标 ${lon}, ${lat} 不在潍坊市范围内（经度 ${e.minLon}–${e.maxLon}，纬度 ${e.minLat}–${e.maxLat}）` });
    }
  });

const ring = z
  .array(lonLat)
  .min(4, '多边形的环至少 4 个坐标（首尾相同）')
  .refine((r) => r.length < 4 || (r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]), '多边形的环须首尾闭合');

/** A GeoJSON Point or Polygon in WGS84 inside Weifang, under the vertex cap (validity is checked by PostGIS). */
export const pointOrPolygon = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: lonLat }).strict(),
  z
    .object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1, '多边形至少一个环').max(50, '多边形最多 50 个环') })
    .strict()
    .refine((p) => p.coordinates.reduce((n, r) => n + r.length, 0) <= MAX_VERTICES, `顶点数不能超过 ${MAX_VERTICES}`),
]);
