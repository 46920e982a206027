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

/** Functional-zone schemes: legacy core/buffer/experimental, or the new core/general-control. */
export const zoneSchemes = ['legacy', 'new'] as const;
export const zoneKinds = ['core', 'buffer', 'experimental', 'general_control'] as const;
export type ZoneKind = (typeof zoneKinds)[number];

export const countyKinds = ['district', 'county', 'county_city', 'functional_zone'] as const;

export const departmentKinds = [
  'ecology_environment',
  'natural_resources',
  'forestry',
  'water',
  'agriculture',
  'county_government',
  'other',
] as const;

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

/** States of the rectification chain (see server/features/findings/workflow.ts). */
export const findingStates = ['clue', 'verifying', 'dismissed', 'confirmed', 'rectifying', 'pending_acceptance', 'closed', 'reopened'] as const;
export type FindingState = (typeof findingStates)[number];

/** Whether the activity had its permits. */
export const approvalStatuses = ['approved', 'unapproved', 'unknown'] as const;

/** Tasks handed to departments. */
export const taskKinds = ['verify', 'rectify', 'accept', 'inspect'] as const;
export const taskStatuses = ['open', 'in_progress', 'done', 'returned'] as const;

/** Records an attachment can belong to. */
export const attachmentOwners = ['finding', 'inspection', 'task'] as const;
