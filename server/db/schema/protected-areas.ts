import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, numeric, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { areaCategories, areaLevels, confidences, inspectionFrequencies, zoneKinds, zoneSchemes, zoneSchemeZones } from '../../lib/vocabulary.ts';
import { geometry } from '../geometry.ts';
import { inList } from './checks.ts';
import { counties } from './counties.ts';
import { departments } from './departments.ts';

/** Protected areas (自然保护地). Designations may overlap: one ground, several areas. */
export const protectedAreas = pgTable(
  'protected_areas',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    category: text('category', { enum: areaCategories }).notNull(),
    level: text('level', { enum: areaLevels }).notNull(),
    countyCode: text('county_code')
      .notNull()
      .references(() => counties.code),
    managingBody: text('managing_body'),
    competentDepartmentId: integer('competent_department_id').references(() => departments.id),
    /** The area's management body (保护地管理机构), a department of kind `management_body`. */
    managingDepartmentId: integer('managing_department_id').references(() => departments.id),
    /** The establishment date as published (free text such as "2011-12" or "c.2012 (pilot)"). */
    established: text('established'),
    establishedOn: date('established_on', { mode: 'string' }),
    establishedPrecision: text('established_precision', { enum: ['day', 'month', 'year'] }),
    /** Legal (published) area in hectares; null where none was found. */
    reportedAreaHa: numeric('reported_area_ha', { precision: 12, scale: 2, mode: 'number' }),
    publishedPoint: geometry('published_point', 'Point'),
    confidence: text('confidence', { enum: confidences }).notNull(),
    source: text('source').notNull(),
    boundarySource: text('boundary_source').notNull(),
    boundaryVersion: integer('boundary_version').notNull().default(1),
    boundarySchematic: boolean('boundary_schematic').notNull().default(true),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    /** Required joint-inspection frequency of this area (国环规生态〔2022〕1号 asks for regular joint checks). */
    inspectionFrequency: text('inspection_frequency', { enum: inspectionFrequencies }).notNull().default('quarter'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('protected_areas_geom_gist').using('gist', t.geom),
    index('protected_areas_county_code_btree').on(t.countyCode),
    index('protected_areas_managing_department_id_btree').on(t.managingDepartmentId),
    check('protected_areas_category_check', inList(t.category, areaCategories)),
    check('protected_areas_level_check', inList(t.level, areaLevels)),
    check('protected_areas_confidence_check', inList(t.confidence, confidences)),
    check(
      'protected_areas_precision_check',
      sql`${t.establishedPrecision} is null or ${t.establishedPrecision} in ('day', 'month', 'year')`,
    ),
    check('protected_areas_reported_area_positive', sql`${t.reportedAreaHa} is null or ${t.reportedAreaHa} > 0`),
    check('protected_areas_geom_valid', sql`ST_IsValid(${t.geom}) and not ST_IsEmpty(${t.geom})`),
    check('protected_areas_published_point_valid', sql`${t.publishedPoint} is null or ST_IsValid(${t.publishedPoint})`),
    check('protected_areas_boundary_version_positive', sql`${t.boundaryVersion} >= 1`),
    check('protected_areas_inspection_frequency_check', inList(t.inspectionFrequency, inspectionFrequencies)),
  ],
);

/** Functional zones of an area, in one of the zoning schemes of its category (vocabulary zoneSchemeZones). */
export const areaZones = pgTable(
  'area_zones',
  {
    id: serial('id').primaryKey(),
    areaId: integer('area_id')
      .notNull()
      .references(() => protectedAreas.id),
    scheme: text('scheme', { enum: zoneSchemes }).notNull(),
    zone: text('zone', { enum: zoneKinds }).notNull(),
    boundaryVersion: integer('boundary_version').notNull().default(1),
    /** Where the zone outline comes from; bundled sample zones say they are schematic (示意). */
    source: text('source'),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [
    index('area_zones_geom_gist').using('gist', t.geom),
    index('area_zones_area_id_btree').on(t.areaId),
    check(
      'area_zones_scheme_zone_check',
      sql.join(
        zoneSchemes.map((s) => sql`(${t.scheme} = ${sql.raw(`'${s}'`)} and ${inList(t.zone, zoneSchemeZones[s])})`),
        sql` or `,
      ),
    ),
    check('area_zones_geom_valid', sql`ST_IsValid(${t.geom}) and not ST_IsEmpty(${t.geom})`),
  ],
);
