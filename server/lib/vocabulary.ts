/**
 * The closed vocabularies of the domain, in display order. Dependency-free so the database schema,
 * the API validators and the web app all read the same lists.
 */

/** Protected-area categories, in the order the legend and filters list them. */
export const areaCategories = [
  'nature_reserve',
  'forest_park',
  'wetland_park',
  'geopark',
  'marine_special',
  'marine_park',
  'scenic_area',
  'other',
] as const;
export type AreaCategory = (typeof areaCategories)[number];

/** Designation levels, highest first. */
export const areaLevels = ['national', 'provincial', 'municipal', 'county'] as const;
export type AreaLevel = (typeof areaLevels)[number];

/** How sure the reference data is of a row (high: read in the cited source; medium: inferred). */
export const confidences = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof confidences)[number];

/**
 * Functional-zone schemes. Nature reserves: legacy core/buffer/experimental (自然保护区条例 art. 18) or
 * the new core/general-control (2019 指导意见); `new` is also the whole-area 一般控制区 of a nature
 * park. Marine special protected areas and marine parks, forest parks, wetland parks, geoparks and
 * scenic areas each have their own scheme (see zoneSchemeZones).
 */
export const zoneSchemes = ['legacy', 'new', 'marine', 'forest_park', 'wetland_park', 'geopark', 'scenic_area'] as const;
export type ZoneScheme = (typeof zoneSchemes)[number];
export const zoneKinds = [
  'core',
  'buffer',
  'experimental',
  'general_control',
  'key_protection',
  'moderate_use',
  'resource_restoration',
  'reserved',
  'core_scenic',
  'eco_conservation',
  'general_recreation',
  'management_service',
  'wetland_conservation',
  'restoration_rebuild',
  'rational_use',
  'grade_special',
  'grade_1',
  'grade_2',
  'grade_3',
] as const;
export type ZoneKind = (typeof zoneKinds)[number];

/** The zones of each scheme, strictest first. */
export const zoneSchemeZones: Readonly<Record<ZoneScheme, readonly ZoneKind[]>> = {
  legacy: ['core', 'buffer', 'experimental'],
  new: ['core', 'general_control'],
  marine: ['key_protection', 'resource_restoration', 'reserved', 'moderate_use'],
  forest_park: ['core_scenic', 'eco_conservation', 'general_recreation', 'management_service'],
  wetland_park: ['wetland_conservation', 'restoration_rebuild', 'rational_use'],
  geopark: ['grade_special', 'grade_1', 'grade_2', 'grade_3'],
  scenic_area: ['grade_special', 'grade_1', 'grade_2', 'grade_3'],
};

/** The zoning schemes an area of each category may use (its own scheme, and `new` for the 2019 system). */
export const categoryZoneSchemes: Readonly<Record<AreaCategory, readonly ZoneScheme[]>> = {
  nature_reserve: ['legacy', 'new'],
  marine_special: ['marine', 'new'],
  marine_park: ['marine', 'new'],
  forest_park: ['forest_park', 'new'],
  wetland_park: ['wetland_park', 'new'],
  geopark: ['geopark', 'new'],
  scenic_area: ['scenic_area', 'new'],
  other: ['new'],
};

export const countyKinds = ['district', 'county', 'county_city', 'functional_zone'] as const;

export const departmentKinds = [
  'ecology_environment',
  'natural_resources',
  'forestry',
  'water',
  'agriculture',
  'county_government',
  'management_body',
  'other',
] as const;

/** The administrative level a department works at (a management body works for one protected area). */
export const departmentLevels = ['province', 'city', 'county', 'area'] as const;

/** Roles of the people who use the portal (see server/features/auth/roles.ts for what each may do). */
export const roles = ['admin', 'coordinator', 'officer', 'inspector', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Stages of a joint inspection (联合检查). */
export const inspectionStatuses = ['planned', 'in_progress', 'completed'] as const;
export type InspectionStatus = (typeof inspectionStatuses)[number];

/** Coordinate systems a track or point may arrive in; only WGS84 is stored. */
export const inputCoordinateSystems = ['wgs84', 'gcj02', 'bd09'] as const;

/** How often an area must be jointly inspected; the default is once a quarter. */
export const inspectionFrequencies = ['month', 'quarter', 'half_year', 'year'] as const;
export type InspectionFrequency = (typeof inspectionFrequencies)[number];

/** Kinds of problem a finding records (the five concerns plus the national human-activity classes). */
export const findingCategories = [
  'mining',
  'industrial_park',
  'industrial',
  'energy',
  'tourism',
  'road',
  'dam',
  'aquaculture',
  'pollution',
  'construction',
  'other',
] as const;
export type FindingCategory = (typeof findingCategories)[number];

/** Where a finding came from. */
export const findingSources = ['remote_sensing', 'joint_inspection', 'patrol', 'public_report', 'drone', 'supervision'] as const;

/**
 * States of the rectification chain (see server/features/findings/workflow.ts). `dismissed` holds every
 * verification outcome other than 属实; `reopened` is kept for records made before re-checks went back
 * to verification, and no step enters it any more.
 */
export const findingStates = [
  'clue',
  'verifying',
  'dismissed',
  'confirmed',
  'planning',
  'rectifying',
  'pending_acceptance',
  'publicising',
  'closed',
  'reopened',
] as const;
export type FindingState = (typeof findingStates)[number];

/** Verification outcomes: 属实 (历史遗留 / 违法违规) confirm; the rest dismiss (不属实, 合法合规, 已消失, 已整改). */
export const verificationOutcomes = ['historical', 'illegal', 'not_true', 'lawful', 'vanished', 'rectified'] as const;
export type VerificationOutcome = (typeof verificationOutcomes)[number];

/** Acceptance levels in their order: 县级自查, 市级验收, 省级抽查 (config ACCEPTANCE_LEVELS picks which apply). */
export const acceptanceLevelCodes = ['county', 'city', 'province'] as const;

/** Kinds of sub-step record the chain writes (finding_records; see server/features/findings/workflow.ts). */
export const findingRecordKinds = [
  'plan_assignment',
  'plan_submission',
  'plan_review',
  'progress',
  'part_report',
  'extension_request',
  'extension_decision',
  'site_check',
  'acceptance',
  'acceptance_failure',
  'objection',
  'recheck',
] as const;

/** 变化类型 as a monitoring batch reports it, kept apart from the legal historical/new judgement. */
export const changeTypes = ['new', 'expanded', 'changed_use', 'unchanged', 'other'] as const;
export type ChangeType = (typeof changeTypes)[number];

/** Whether the activity had its permits. */
export const approvalStatuses = ['approved', 'unapproved', 'unknown'] as const;

/** Tasks handed to departments. */
export const taskKinds = ['verify', 'plan', 'review', 'rectify', 'accept', 'recheck', 'inspect'] as const;
export const taskStatuses = ['open', 'in_progress', 'done', 'returned', 'cancelled'] as const;

/** Records an attachment can belong to. */
export const attachmentOwners = ['finding', 'inspection', 'task'] as const;

/** 督办 levels, mildest first: 通报, 约谈, 挂牌督办 (issued at the SUPERVISION_DAYS thresholds). */
export const supervisionLevels = ['circular', 'interview', 'listed'] as const;
export type SupervisionLevel = (typeof supervisionLevels)[number];
