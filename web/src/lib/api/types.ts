import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';

import {
  areaCategories,
  areaLevels,
  departmentKinds,
  roles,
  categoryZoneSchemes,
  zoneKinds,
  zoneSchemes,
  zoneSchemeZones,
  type AreaCategory,
  type AreaLevel,
  type ZoneKind,
} from '../../../../server/lib/vocabulary.ts';

/** Protected-area categories, in the order the legend and filters list them (shared with the server). */
export const CATEGORIES = areaCategories;
export type Category = AreaCategory;

/** Designation levels, highest first. */
export const LEVELS = areaLevels;
export type Level = AreaLevel;

export const ZONES = zoneKinds;
export type Zone = ZoneKind;
export type ZoneScheme = (typeof zoneSchemes)[number];
/** The zones of each scheme, strictest first (shared with the server). */
export const SCHEME_ZONES = zoneSchemeZones;
/** The zoning schemes an area of each category may use. */
export const CATEGORY_SCHEMES = categoryZoneSchemes;

export type LonLat = [number, number];
export type Bbox = [number, number, number, number];

/** Properties of one feature of `GET /api/areas`. */
export interface AreaProperties {
  code: string;
  nameZh: string;
  nameEn: string;
  category: Category;
  level: Level;
  countyCode: string | null;
  countyNameZh: string | null;
  countyNameEn: string | null;
  reportedAreaHa: number | null;
  gisAreaHa: number;
  established: string | null;
  confidence: 'high' | 'medium';
  boundarySchematic: boolean;
  labelPoint: LonLat;
  bbox: Bbox;
}

export type AreaFeature = Feature<MultiPolygon | Polygon, AreaProperties>;
export type AreaCollection = FeatureCollection<MultiPolygon | Polygon, AreaProperties>;

export interface ZoneProperties {
  zone: Zone;
  scheme: ZoneScheme;
  /** Where the outline comes from; bundled zones say they are schematic (示意). */
  source?: string | null;
  areaHa: number;
}
export type ZoneCollection = FeatureCollection<MultiPolygon | Polygon, ZoneProperties>;

export interface AreaOverlap {
  code: string;
  nameZh: string;
  nameEn: string;
  category: Category;
  overlapHa: number;
}

/** Enough of an area to name it and show its colour. */
export type AreaRef = Pick<AreaOverlap, 'code' | 'nameZh' | 'nameEn' | 'category'>;

/** Body of `GET /api/areas/:code`. */
export interface AreaDetail {
  code: string;
  nameZh: string;
  nameEn: string;
  category: Category;
  level: Level;
  county: { code: string | null; nameZh: string; nameEn: string } | null;
  managingBody: string | null;
  established: string | null;
  establishedOn: string | null;
  reportedAreaHa: number | null;
  gisAreaHa: number;
  publishedPoint: LonLat | null;
  labelPoint: LonLat;
  bbox: Bbox;
  boundary: { schematic: boolean; source: string | null; version: string | number | null };
  provenance: { confidence: 'high' | 'medium'; source: string | null };
  zones: ZoneCollection;
  overlaps: AreaOverlap[];
  geometry: MultiPolygon | Polygon;
}

export interface CountyProperties {
  code: string | null;
  nameZh: string;
  nameEn: string;
  kind: string;
  seat: LonLat;
}
export type CountyFeature = Feature<MultiPolygon | Polygon | null, CountyProperties>;

/** Body of `GET /api/counties`: the collection plus where the boundaries come from. */
export interface CountyCollection extends FeatureCollection<MultiPolygon | Polygon | null, CountyProperties> {
  meta?: { source?: string; datumNote?: string };
}

/** Seat points of the counties, for their name labels. */
export type CountySeatCollection = FeatureCollection<Point, CountyProperties>;

/** Roles, in the order the role select lists them (shared with the server). */
export const ROLES = roles;
export type Role = (typeof roles)[number];

/** Kinds of department (shared with the server). */
export const DEPARTMENT_KINDS = departmentKinds;
export type DepartmentKind = (typeof departmentKinds)[number];

/** Enough of a department to name it. */
export interface DepartmentRef {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Body of `GET /api/auth/me`: the signed-in person, their department and what they may do. */
export interface Me {
  user: { id: number; username: string; displayName: string; role: Role; active: boolean };
  department: DepartmentRef | null;
  permissions: string[];
  /** The portal's time zone (TIME_ZONE): "today" and periods follow it. */
  timeZone: string;
}

/** One account in `GET /api/users`. */
export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  department: DepartmentRef | null;
  createdAt: string;
  lastLoginAt: string | null;
  version: number;
}

/** Body of `POST /api/users`. */
export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  password: string;
}

/** Body of `PATCH /api/users/:id`: only what changes. */
export type UserPatch = Partial<Pick<NewUser, 'displayName' | 'role' | 'departmentId' | 'password'> & { active: boolean }>;

/** One department in `GET /api/departments`. */
export interface Department extends DepartmentRef {
  kind: DepartmentKind;
  parentId: number | null;
  countyCode: string | null;
  version: number;
}

/** Body of `POST /api/departments` (and, partly, of PATCH, where null clears parent or county). */
export interface DepartmentInput {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: DepartmentKind;
  parentId?: number | null;
  countyCode?: string | null;
}
