import type { FeatureCollection, MultiLineString, Point } from 'geojson';
import {
  inputCoordinateSystems,
  inspectionStatuses,
  type InspectionStatus,
} from '../../../../server/lib/vocabulary.ts';
import type { DepartmentRef } from '../api/types.ts';

/** Inspection statuses in their order of progress (shared with the server). */
export const INSPECTION_STATUSES = inspectionStatuses;
export type { InspectionStatus };

/** Coordinate systems a track may be recorded in; WGS84 first, the default. */
export const COORDINATE_SYSTEMS = inputCoordinateSystems;
export type CoordinateSystem = (typeof inputCoordinateSystems)[number];

/** One inspection as `GET /api/inspections` lists it. */
export interface InspectionSummary {
  id: number;
  title: string;
  status: InspectionStatus;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  leadDepartmentId: number;
  /** The lead first. */
  departments: DepartmentRef[];
  joint: boolean;
  areaCodes: string[];
  trackCount: number;
  checkpointCount: number;
  summary: string | null;
  version: number;
  updatedAt: string;
}

export interface InspectionMember {
  name: string;
  userId?: number | null;
  departmentId?: number | null;
}

export interface TrackProperties {
  id: number;
  fileName: string;
  format: string;
  pointCount: number;
  startedAt: string | null;
  endedAt: string | null;
  lengthKm: number;
  coordinateSystem: CoordinateSystem;
}

export interface CheckpointProperties {
  id: number;
  name: string | null;
  note: string | null;
  at: string | null;
  trackId: number | null;
}

/** Body of `GET /api/inspections/:id`. */
export interface InspectionDetail extends InspectionSummary {
  members: InspectionMember[];
  tracks: FeatureCollection<MultiLineString, TrackProperties>;
  checkpoints: FeatureCollection<Point, CheckpointProperties>;
}

/** Body of `POST /api/inspections` (and, every field optional plus `version`, of PATCH). */
export interface InspectionInput {
  title: string;
  status: InspectionStatus;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  leadDepartmentId: number;
  departmentIds: number[];
  members: InspectionMember[];
  areaCodes: string[];
  summary: string | null;
}

export type InspectionPatch = Partial<InspectionInput> & { version: number };

/** Where in the file a note of the import is about. */
export interface TrackWarning {
  code: string;
  message: string;
}

/** Body of a 201 from `POST /api/inspections/:id/tracks`. */
export interface TrackImportResult {
  fileName: string;
  format: string;
  pointCount: number;
  checkpoints: number;
  coordinateSystem: CoordinateSystem;
  trackId: number | null;
  timeRange: { start: string; end: string } | null;
  warnings: TrackWarning[];
  inspection: InspectionDetail;
}

/** Body of a 200 from `POST /api/inspections/:id/tracks?dryRun=1`: what an import would store, stored nowhere. */
export interface TrackPreview {
  dryRun: true;
  format: string;
  pointCount: number;
  checkpoints: number;
  timeRange: { start: string; end: string } | null;
  warnings: TrackWarning[];
  /** Already in WGS84, converted from the chosen coordinate system; null when the file has waypoints only. */
  tracks: MultiLineString | null;
  checkpointFeatures: FeatureCollection<Point>;
}

/** The list's filters; empty strings mean "any". */
export interface InspectionFilters {
  status: InspectionStatus | '';
  area: string;
  department: number | null;
  from: string;
  to: string;
}
