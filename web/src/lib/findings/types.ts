import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import {
  approvalStatuses,
  changeTypes,
  findingCategories,
  findingSources,
  findingStates,
  inputCoordinateSystems,
  taskKinds,
  taskStatuses,
  verificationOutcomes,
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

export const VERIFICATION_OUTCOMES = verificationOutcomes;
export type VerificationOutcome = (typeof verificationOutcomes)[number];
export const CHANGE_TYPES = changeTypes;
export type ChangeType = (typeof changeTypes)[number];

/**
 * Rectification measures a plan may name (the server's workflow keeps the same list): 退出, 两断三清,
 * 拆除, 整治, 生态修复, 科学评估后分类处置, 封堵排污口, 限定用途/规范管理.
 */
export const MEASURES = ['exit', 'two_cuts_three_clears', 'demolish', 'remediate', 'restore', 'assess', 'seal_outfall', 'limit_use'] as const;
export type Measure = (typeof MEASURES)[number];

/** The acceptance levels in their order: 县级自查, 市级验收, 省级抽查. */
export const ACCEPTANCE_LEVELS = ['county', 'city', 'province'] as const;
export type AcceptanceLevelCode = (typeof ACCEPTANCE_LEVELS)[number];

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
  /** The deadline running now (clue, verification, plan or rectification); null while paused. */
  deadline: string | null;
  /** The rectification deadline itself, kept while the clock is paused. */
  rectificationDeadline: string | null;
  overdue: boolean;
  daysOverdue?: number | null;
  escalated: boolean;
  measures: Measure[] | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  verificationOutcome: VerificationOutcome | null;
  round: number;
  planDueOn: string | null;
  drafterDepartmentId: number | null;
  /** The level being accepted while pending_acceptance. */
  acceptanceLevel: AcceptanceLevelCode | null;
  publicityStartOn: string | null;
  publicityEndOn: string | null;
  closedOn: string | null;
  closingDocumentNo: string | null;
  clueDueOn: string | null;
  clueOwner: { id: number; displayName: string } | null;
  /** Earliest due date of an active 回头看 task (closed findings). */
  recheckDueOn?: string | null;
  approvalNo: string | null;
  approvalAuthority: string | null;
  approvedOn: string | null;
  changeType: ChangeType | null;
  expanded: boolean;
  /** The footprint before a 规模扩大, when one was recorded. */
  originalGeometry: Polygon | MultiPolygon | null;
  originalAreaHa: number | null;
}

export type FindingFeature = Feature<FindingGeometry, FindingSummary>;
export interface FindingCollection extends FeatureCollection<FindingGeometry, FindingSummary> {
  nextCursor: string | null;
}

export interface FindingPage {
  findings: FindingSummary[];
  nextCursor: string | null;
  /** How many findings match the filters in all (every page). */
  total?: number;
}

/** One closing condition of a finding's rule, with the evidence it needs. */
export interface ClosingCondition {
  code: string;
  labelZh: string;
  labelEn: string;
  evidenceHintZh: string;
  evidenceKinds?: string[];
  /** Days after the last completion report before it may be ticked (e.g. restoration stable). */
  observationDays?: number | null;
  sourceZh?: string;
}

/** The rule the server resolved for a finding (server/features/rules/rules.ts ResolvedRule). */
export interface FindingRule {
  status: 'resolved' | 'missing_facts';
  missing: Array<'zone' | 'approval' | 'timing' | 'area'>;
  ruleId: number | null;
  ruleCode: string | null;
  ruleVersion: number | null;
  areaCategory: string | null;
  zoneScheme: string | null;
  zone: string | null;
  activityClass: string;
  approval: 'approved' | 'unapproved' | 'unknown';
  timing: 'historical' | 'new' | 'unknown';
  route: string;
  sourceKind: 'national_annex' | 'national_regulation' | 'provincial' | 'local' | 'portal_default';
  sourceZh: string;
  sourceEn: string;
  basisZh: string;
  basisEn: string;
  allowedMeasures: Measure[];
  requiredMeasures: Measure[];
  requiresAssessment: boolean;
  reviewerKinds: string[];
  conditions: ClosingCondition[];
}

/** Who wrote a record: the server names a person as an object, older records as a plain label. */
export type PersonRef = { userId?: number | null; id?: number | null; displayName?: string | null; username?: string | null } | string | null;

export interface PlanReviewer {
  department: DepartmentRef | null;
  decision: 'approve' | 'return' | null;
  opinion: string | null;
  by: PersonRef;
  at: string | null;
}

/** The 整改方案: drafted by the management body (or the lead), signed by each reviewer department. */
export interface Plan {
  status: 'drafting' | 'submitted' | 'returned' | 'approved';
  drafterDepartment: DepartmentRef | null;
  responsibleParty: string | null;
  targets: string | null;
  measures: Measure[];
  deadline: string | null;
  assessmentEvidenceIds: number[];
  evidenceIds?: number[];
  submittedAt: string | null;
  submittedBy: PersonRef;
  reviewers: PlanReviewer[];
}

export interface ProgressEntry {
  progressOn: string;
  text: string;
  percent: number | null;
  evidenceIds: number[];
  department?: DepartmentRef | null;
  by: PersonRef;
  at: string;
}

/** One department's report of its own part (joint sign-off). */
export interface PartReport {
  department: DepartmentRef | null;
  report: string;
  evidenceIds: number[];
  by: PersonRef;
  at: string;
}

export interface Extension {
  requestedDeadline: string;
  reason: string;
  currentDeadline?: string | null;
  decision: 'approve' | 'refuse' | null;
  opinion: string | null;
  requestedBy?: PersonRef;
  requestedAt?: string | null;
  decidedBy?: PersonRef;
  decidedAt?: string | null;
  department?: DepartmentRef | null;
  round?: number;
}

export interface SiteCheck {
  checkedOn: string;
  people: string;
  note: string | null;
  evidenceIds: number[];
  department?: DepartmentRef | null;
  by: PersonRef;
  at: string;
}

export interface AcceptanceLevel {
  level: AcceptanceLevelCode;
  labelZh: string;
  status: 'pending' | 'passed' | 'failed';
  department: DepartmentRef | null;
  siteChecks: SiteCheck[];
  ticks: { code: string; evidenceIds: number[] }[];
  opinion: string | null;
  /** Why the level failed, when it did. */
  reason?: string | null;
  by: PersonRef;
  at: string | null;
}

export interface Objection {
  receivedOn: string;
  objector: string;
  content: string;
  handling: string;
  upheld: boolean;
  deadline: string | null;
  by: PersonRef;
  at: string;
}

/** The 公示 of an accepted finding: its window, the notice (zh) and the objections received. */
export interface Publicity {
  startOn: string | null;
  endOn: string | null;
  noticeZh: string | null;
  objections: Objection[];
}

/** A 督办 notice (通报 / 约谈 / 挂牌督办) issued on the finding. */
export interface SupervisionNotice {
  id: number;
  level: 'circular' | 'interview' | 'listed';
  number: string;
  /** Who it is addressed to: the department head of the lead (or verifying) department, or the county government. */
  recipient: { departmentId: number | null; label: string } | null;
  daysOverdue?: number | null;
  issuedAt: string;
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
  /** The coordinator's (or the step's) words to the department, and who gave them. */
  instruction: string | null;
  createdBy?: PersonRef;
  /** The department's answer, kept apart from the instruction. */
  reply?: string | null;
  repliedBy?: PersonRef;
  repliedAt?: string | null;
  cancelReason?: string | null;
  allowedActions?: string[];
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
  /** Exactly the actions the signed-in person may take now. */
  allowedActions: string[];
  rule: FindingRule | null;
  plan: Plan | null;
  reports: PartReport[];
  progress: ProgressEntry[];
  extensions: Extension[];
  acceptance: { levels: AcceptanceLevel[] } | null;
  publicity: Publicity | null;
  determinations?: unknown[];
  closure?: unknown;
  supervision: SupervisionNotice[];
  rechecks: Task[];
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
