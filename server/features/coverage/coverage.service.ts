/** Coverage per area and for the city: what was visited, jointly, how much of it was seen, what is due. */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/backend.ts';
import { queryRows } from '../../db/backend.ts';
import { ApiError } from '../../lib/errors.ts';
import type { InspectionFrequency } from '../../lib/vocabulary.ts';
import { areaCoverageGeometry, areaCoverageRows, areasInScope, type CoverageWindow } from './coverage.sql.ts';

/** Longest gap between joint inspections each frequency allows, in days. */
export const frequencyDays: Record<InspectionFrequency, number> = { month: 31, quarter: 92, half_year: 183, year: 366 };
/** "Due soon" this many days before the gap runs out. */
const DUE_SOON_DAYS = 14;

export type DueStatus = 'ok' | 'due_soon' | 'overdue';

const dayMs = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / dayMs);

/** Due status of an area on a reference date, from its last joint inspection and its frequency. */
export function dueStatus(lastJointVisit: string | null, frequency: InspectionFrequency, referenceDate: string): DueStatus {
  if (!lastJointVisit) return 'overdue';
  const gap = daysBetween(lastJointVisit, referenceDate);
  const allowed = frequencyDays[frequency];
  if (gap > allowed) return 'overdue';
  return gap > allowed - DUE_SOON_DAYS ? 'due_soon' : 'ok';
}

export interface AreaCoverage {
  code: string;
  nameZh: string;
  nameEn: string;
  visited: boolean;
  joint: boolean;
  /** Share of the area within the swath of the window's tracks, 0–1. */
  coverage: number;
  inspections: number;
  lastVisit: string | null;
  lastJointVisit: string | null;
  daysSince: number | null;
  frequency: InspectionFrequency;
  due: DueStatus;
}

/**
 * Coverage could not be computed for some areas. Never answered as an empty success: a missing row
 * would read as "nobody inspected it".
 */
export class CoverageFailure extends ApiError {
  constructor(
    readonly areas: readonly { code: string; name_zh: string }[],
    readonly window: CoverageWindow,
    override readonly cause: unknown,
  ) {
    const names = areas.slice(0, 5).map((a) => `${a.name_zh}（${a.code}）`).join('、');
    const more = areas.length > 5 ? ` 等 ${areas.length} 处` : '';
    super(500, 'coverage_failed', `无法计算${names}${more}在 ${window.from} 至 ${window.to} 的巡查覆盖，已记录，请联系管理员检查其轨迹`);
    this.name = 'CoverageFailure';
  }
}

/** Whether a database error came from the geometry engine (PostGIS raises them as SQLSTATE XX000). */
function isGeometryError(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'XX000' || /GEOS|TopologyException|lwgeom/i.test(String(e.message ?? ''))) return true;
  }
  return false;
}

type Scope = { code: string; name_zh: string }[];

/**
 * Runs a query that must give exactly one row per area in `scope` (PGlite's PostGIS can end a failed
 * buffer with no rows and no error). On a shortfall or a geometry error, each area is retried
 * alone so the error names the ones that fail.
 */
async function rowPerArea<T extends { code: string }>(exec: Executor, scope: Scope, w: CoverageWindow, query: (filter: SQL) => SQL, filter: SQL): Promise<T[]> {
  let cause: unknown = null;
  try {
    const rows = await queryRows<T>(exec, query(filter));
    if (rows.length === scope.length && rows.every((r, i) => r.code === scope[i]!.code)) return rows;
  } catch (err) {
    if (!isGeometryError(err)) throw err;
    cause = err;
  }
  // Only on failure: areas that no track reaches cannot fail, so retrying all of them costs little.
  const failing: Scope = [];
  for (const area of scope) {
    try {
      if ((await queryRows(exec, query(sql`a.code = ${area.code}`))).length !== 1) failing.push(area);
    } catch (err) {
      if (!isGeometryError(err)) throw err;
      failing.push(area);
    }
  }
  throw new CoverageFailure(failing.length ? failing : scope, w, cause);
}

/** Coverage of every area (or those the filter picks) in the window, with city totals; `today` in the portal's time zone. */
export async function coverageReport(exec: Executor, w: CoverageWindow, today: string, areaFilter = sql`true`) {
  const reference = w.to < today ? w.to : today;
  const scope = await queryRows<Scope[number]>(exec, areasInScope(areaFilter));
  const rows = scope.length === 0 ? [] : await rowPerArea<{
    code: string;
    name_zh: string;
    name_en: string;
    inspection_frequency: InspectionFrequency;
    visited: boolean;
    joint: boolean;
    coverage: number;
    last_visit: string | null;
    last_joint_visit: string | null;
    inspections: number;
  }>(exec, scope, w, (filter) => areaCoverageRows(w, filter), areaFilter);
  const areas: AreaCoverage[] = rows.map((r) => ({
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    visited: r.visited,
    joint: r.joint,
    coverage: Math.round(r.coverage * 10_000) / 10_000,
    inspections: r.inspections,
    lastVisit: r.last_visit,
    lastJointVisit: r.last_joint_visit,
    daysSince: r.last_visit ? daysBetween(r.last_visit, reference) : null,
    frequency: r.inspection_frequency,
    due: dueStatus(r.last_joint_visit, r.inspection_frequency, reference),
  }));
  const n = areas.length;
  return {
    from: w.from,
    to: w.to,
    swath: w.swath,
    referenceDate: reference,
    areas,
    totals: {
      areas: n,
      visited: areas.filter((a) => a.visited).length,
      joint: areas.filter((a) => a.joint).length,
      meanCoverage: n ? Math.round((areas.reduce((s, a) => s + a.coverage, 0) / n) * 10_000) / 10_000 : 0,
      overdue: areas.filter((a) => a.due === 'overdue').length,
    },
  };
}

/** Covered and uncovered parts of one area (which must exist) as GeoJSON geometries. */
export async function areaCoverageParts(exec: Executor, w: CoverageWindow, code: string) {
  const filter = sql`a.code = ${code}`;
  const scope = await queryRows<Scope[number]>(exec, areasInScope(filter));
  const [parts] = await rowPerArea<{ code: string; covered: unknown; uncovered: unknown }>(exec, scope, w, (f) => areaCoverageGeometry(w, f), filter);
  return parts!;
}
