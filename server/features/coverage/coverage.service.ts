/** Coverage per area and for the city: what was visited, jointly, how much of it was seen, what is due. */
import type { Executor } from '../../db/backend.ts';
import { queryRows } from '../../db/backend.ts';
import type { InspectionFrequency } from '../../lib/vocabulary.ts';
import { areaCoverageRows, type CoverageWindow } from './coverage.sql.ts';
import { sql } from 'drizzle-orm';

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

/** Coverage of every area (or those the filter picks) in the window, with city totals. */
export async function coverageReport(exec: Executor, w: CoverageWindow, areaFilter = sql`true`, today = new Date().toISOString().slice(0, 10)) {
  const reference = w.to < today ? w.to : today;
  const rows = await queryRows<{
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
  }>(exec, areaCoverageRows(w, areaFilter));
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
