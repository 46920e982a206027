import type { FeatureCollection, MultiLineString, Point } from 'geojson';
import { fetchInspection, fetchInspections } from '../inspections/inspections-api.ts';
import { fetchAreaCoverage, fetchCoverage, fetchEffortGrid } from './coverage-api.ts';
import { mergeCollections } from './coverage-style.ts';
import { coverageApiQuery, windowRange, type CoverageParams } from './period.ts';
import { Resource } from '../api/resource.svelte.ts';
import type { AreaCoverageDetail, CoverageReport, EffortGrid } from './types.ts';

/** The tracks and checkpoints of a window's completed inspections, and whether some were left out. */
export interface PeriodTracks {
  tracks: FeatureCollection<MultiLineString>;
  checkpoints: FeatureCollection<Point>;
  shown: number;
  total: number;
}

/**
 * At most this many inspections' tracks are fetched for the map: one request each (the API has no
 * per-period track collection yet), so the newest are drawn and the view says how many are left out.
 */
export const TRACK_INSPECTIONS_CAP = 60;
const PARALLEL = 6;

/** Fetches the tracks of the window's completed inspections, a few requests at a time. */
async function fetchPeriodTracks(params: CoverageParams, signal: AbortSignal): Promise<PeriodTracks> {
  const [from, to] = windowRange(params);
  const listed = await fetchInspections({ status: 'completed', from, to }, signal);
  const withGeometry = listed.filter((i) => i.trackCount > 0 || i.checkpointCount > 0);
  const chosen = withGeometry.slice(0, TRACK_INSPECTIONS_CAP);
  const details = new Array<Awaited<ReturnType<typeof fetchInspection>>>(chosen.length);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const i = next++;
      details[i] = await fetchInspection(chosen[i]!.id, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, chosen.length) }, worker));
  return {
    tracks: mergeCollections(details.map((d) => d.tracks)),
    checkpoints: mergeCollections(details.map((d) => d.checkpoints)),
    shown: chosen.length,
    total: withGeometry.length,
  };
}

/** Everything the coverage view shows for one window: the report, and the layers asked for. */
export class CoverageState {
  readonly report = new Resource<CoverageReport>();
  readonly grid = new Resource<EffortGrid>();
  readonly tracks = new Resource<PeriodTracks>();
  readonly area = new Resource<AreaCoverageDetail>();

  /** Fetches the report for the window (nothing when it is already shown). */
  loadReport(params: CoverageParams, force = false): Promise<void> {
    return this.report.load(coverageApiQuery(params), (signal) => fetchCoverage(params, signal), force);
  }

  /** Fetches the effort grid of the window. */
  loadGrid(params: CoverageParams, force = false): Promise<void> {
    return this.grid.load(coverageApiQuery(params, { swath: false }), (signal) => fetchEffortGrid(params, signal), force);
  }

  /** Fetches the tracks of the window. */
  loadTracks(params: CoverageParams, force = false): Promise<void> {
    return this.tracks.load(coverageApiQuery(params, { swath: false }), (signal) => fetchPeriodTracks(params, signal), force);
  }

  /** Fetches the selected area's covered and uncovered parts, or forgets them when none is selected. */
  loadArea(params: CoverageParams, force = false): Promise<void> {
    const code = params.area;
    if (!code) {
      this.area.clear();
      return Promise.resolve();
    }
    return this.area.load(`${code}${coverageApiQuery(params)}`, (signal) => fetchAreaCoverage(code, params, signal), force);
  }

  /** Stops every pending request (the page is closing). */
  destroy(): void {
    this.report.clear();
    this.grid.clear();
    this.tracks.clear();
    this.area.clear();
  }
}
