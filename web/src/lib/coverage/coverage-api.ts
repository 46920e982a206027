import { getJson } from '../api/client.ts';
import { coverageApiQuery, type CoverageParams } from './period.ts';
import type { AreaCoverageDetail, CoverageReport, EffortGrid } from './types.ts';

/** Coverage of every area in the window, with the city totals. */
export function fetchCoverage(params: CoverageParams, signal?: AbortSignal): Promise<CoverageReport> {
  return getJson<CoverageReport>(`/api/coverage${coverageApiQuery(params)}`, signal);
}

/** One area's coverage with its covered and uncovered parts. */
export function fetchAreaCoverage(code: string, params: CoverageParams, signal?: AbortSignal): Promise<AreaCoverageDetail> {
  return getJson<AreaCoverageDetail>(`/api/coverage/${encodeURIComponent(code)}${coverageApiQuery(params)}`, signal);
}

/** The effort grid of the window (the swath does not apply to it). */
export function fetchEffortGrid(params: CoverageParams, signal?: AbortSignal): Promise<EffortGrid> {
  return getJson<EffortGrid>(`/api/coverage/grid${coverageApiQuery(params, { swath: false })}`, signal);
}
