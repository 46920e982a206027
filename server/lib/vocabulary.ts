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
