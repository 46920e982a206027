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
