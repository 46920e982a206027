import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import {
  approvalStatuses,
  findingCategories,
  findingSources,
  findingStates,
  inputCoordinateSystems,
  taskKinds,
  taskStatuses,
} from '../../../../server/lib/vocabulary.ts';
import type { DepartmentRef } from '../api/types.ts';

/** The vocabularies the findings API speaks, shared with the server so a new value cannot be missed. */
export const FINDING_STATES = findingStates;
export type FindingState = (typeof findingStates)[number];
export const FINDING_CATEGORIES = findingCategories;
export type FindingCategory = (typeof findingCategories)[number];
export const FINDING_SOURCES = findingSources;
export type FindingSource = (typeof findingSources)[number];
export const APPROVALS = approvalStatuses;
export type Approval = (typeof approvalStatuses)[number];
export const COORDINATE_SYSTEMS = inputCoordinateSystems;
export type CoordinateSystem = (typeof inputCoordinateSystems)[number];
export const TASK_KINDS = taskKinds;
export type TaskKind = (typeof taskKinds)[number];
export const TASK_STATUSES = taskStatuses;
export type TaskStatus = (typeof taskStatuses)[number];

/** Rectification measures of a plan: 退出, 整治, 生态修复. */
export const MEASURES = ['exit', 'remediate', 'restore'] as const;
export type Measure = (typeof MEASURES)[number];

export type FindingGeometry = Point | Polygon;

/** One finding as the list (and the map's properties) carry it. */
export interface FindingSummary {
  id: number;
  serial: string;
  title: string;
  category: FindingCategory;
  source: FindingSource;
  batch: string | null;
  state: FindingState;
  discoveredAt: string;
  constructedAt: string | null;
  approval: Approval;
  description: string;
  zone: string | null;
  countyCode: string | null;
  areas: string[];
  areaM2: number | null;
  areaMu: number | null;
  nature: 'historical' | 'new' | null;
  verifyingDepartmentId: number | null;
  leadDepartmentId: number | null;
  cooperatingDepartmentIds: number[];
  acceptingDepartmentId: number | null;
  deadline: string | null;
  overdue: boolean;
  escalated: boolean;
  measures: Measure[] | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type FindingFeature = Feature<FindingGeometry, FindingSummary>;
export interface FindingCollection extends FeatureCollection<FindingGeometry, FindingSummary> {
  nextCursor: string | null;
}

export interface FindingPage {
  findings: FindingSummary[];
  nextCursor: string | null;
}

export interface ClosingCondition {
  code: string;
  labelZh: string;
  labelEn: string;
  evidenceHintZh: string;
}

export interface Attachment {
  id: number;
  eventId: number | null;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  takenAt: string | null;
  takenPoint: [number, number] | null;
  distanceM: number | null;
  warning?: string | null;
  uploadedAt: string;
  url: string;
}

export interface Task {
  id: number;
  kind: TaskKind;
  status: TaskStatus;
  dueOn: string | null;
  note: string | null;
  version: number;
  overdue: boolean;
  department: DepartmentRef | null;
  assignee: { id: number; username: string; displayName: string } | null;
  finding: { id: number; serial: string; title: string; state: FindingState; category: FindingCategory } | null;
  inspectionId: number | null;
  createdAt: string;
  closedAt: string | null;
}

/** Body of `GET /api/findings/:id`. */
export interface FindingDetail extends FindingSummary {
  geometry: FindingGeometry;
  areasDetail: { code: string; nameZh: string; nameEn: string; category: string; zone: string | null }[];
  county: { code: string; nameZh: string; nameEn: string } | null;
  tasks: Task[];
  attachments: Attachment[];
  allowedTransitions: FindingState[];
  closing: { conditions: ClosingCondition[]; basis: string; zoneUnknown: boolean };
}

/** One entry of a finding's audit trail. */
export interface FindingEvent {
  id: number;
  at: string;
  action: string;
  actor: { userId: number | null; label: string; displayName: string | null };
  department: DepartmentRef | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What the list and the map filter by (shared between them). */
export interface FindingFilters {
  states: FindingState[];
  category: FindingCategory | '';
  area: string;
  county: string;
  department: number | null;
  overdue: boolean;
  escalated: boolean;
  q: string;
}

export type FindingSort = 'newest' | 'overdue_first';

/** Body of `POST /api/findings`. */
export interface NewFinding {
  title: string;
  category: FindingCategory;
  source: FindingSource;
  description: string;
  discoveredAt: string;
  constructedAt?: string;
  batch?: string;
  approval: Approval;
  geometry: FindingGeometry;
  coordinateSystem: CoordinateSystem;
}

/** Answer of `POST /api/findings`. */
export interface CreatedFinding extends FindingSummary {
  warnings: { code: string; message: string }[];
}
