import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { InspectionFrequency } from '../../../../server/lib/vocabulary.ts';

/** Whether an area's next joint inspection is in time, close, or late. */
export type DueStatus = 'ok' | 'due_soon' | 'overdue';
export const DUE_STATUSES: readonly DueStatus[] = ['ok', 'due_soon', 'overdue'];

/** One row of `GET /api/coverage`. */
export interface AreaCoverage {
  code: string;
  nameZh: string;
  nameEn: string;
  visited: boolean;
  joint: boolean;
  /** Share of the area within the swath of the period's tracks, 0–1. */
  coverage: number;
  inspections: number;
  lastVisit: string | null;
  lastJointVisit: string | null;
  daysSince: number | null;
  frequency: InspectionFrequency;
  due: DueStatus;
}

export interface CoverageTotals {
  areas: number;
  visited: number;
  joint: number;
  meanCoverage: number;
  overdue: number;
}

/** Body of `GET /api/coverage`. */
export interface CoverageReport {
  from: string;
  to: string;
  swath: number;
  referenceDate: string;
  areas: AreaCoverage[];
  totals: CoverageTotals;
}

/** Body of `GET /api/coverage/:code`: the row plus the parts seen and not seen. */
export interface AreaCoverageDetail extends AreaCoverage {
  from: string;
  to: string;
  swath: number;
  referenceDate: string;
  covered: MultiPolygon | null;
  uncovered: MultiPolygon | null;
}

/** Body of `GET /api/coverage/grid`: ~500 m cells with the number of inspections through each. */
export type EffortGrid = FeatureCollection<Polygon, { count: number }>;
