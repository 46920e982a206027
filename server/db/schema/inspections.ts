import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { inputCoordinateSystems, inspectionStatuses } from '../../lib/vocabulary.ts';
import { geometry } from '../geometry.ts';
import { inList } from './checks.ts';
import { departments } from './departments.ts';
import { protectedAreas } from './protected-areas.ts';
import { users } from './users.ts';

/** Joint inspections (联合检查): two or more participating departments make one joint. */
export const inspections = pgTable(
  'inspections',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    status: text('status', { enum: inspectionStatuses }).notNull().default('planned'),
    plannedStart: date('planned_start', { mode: 'string' }),
    plannedEnd: date('planned_end', { mode: 'string' }),
    actualStart: date('actual_start', { mode: 'string' }),
    actualEnd: date('actual_end', { mode: 'string' }),
    leadDepartmentId: integer('lead_department_id')
      .notNull()
      .references(() => departments.id),
    summary: text('summary'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Optimistic concurrency: every change must name the version it read. */
    version: integer('version').notNull().default(1),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    check('inspections_status_check', inList(t.status, inspectionStatuses)),
    check('inspections_planned_order', sql`${t.plannedEnd} is null or ${t.plannedStart} is null or ${t.plannedEnd} >= ${t.plannedStart}`),
    check('inspections_actual_order', sql`${t.actualEnd} is null or ${t.actualStart} is null or ${t.actualEnd} >= ${t.actualStart}`),
    // A completed inspection has dates, which coverage periods are judged by.
    check('inspections_completed_dated', sql`${t.status} <> 'completed' or (${t.actualStart} is not null and ${t.actualEnd} is not null)`),
    index('inspections_actual_btree').on(t.actualStart, t.actualEnd),
  ],
);

/** Departments taking part in an inspection, the lead among them. */
export const inspectionDepartments = pgTable(
  'inspection_departments',
  {
    inspectionId: integer('inspection_id')
      .notNull()
      .references(() => inspections.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
  },
  (t) => [primaryKey({ columns: [t.inspectionId, t.departmentId] })],
);

/** People on an inspection: an account where they have one, otherwise a name. */
export const inspectionMembers = pgTable(
  'inspection_members',
  {
    id: serial('id').primaryKey(),
    inspectionId: integer('inspection_id')
      .notNull()
      .references(() => inspections.id),
    userId: integer('user_id').references(() => users.id),
    name: text('name').notNull(),
    departmentId: integer('department_id').references(() => departments.id),
  },
  (t) => [index('inspection_members_inspection_id_btree').on(t.inspectionId)],
);

/** Protected areas an inspection set out to visit. */
export const inspectionAreas = pgTable(
  'inspection_areas',
  {
    inspectionId: integer('inspection_id')
      .notNull()
      .references(() => inspections.id),
    areaId: integer('area_id')
      .notNull()
      .references(() => protectedAreas.id),
  },
  (t) => [primaryKey({ columns: [t.inspectionId, t.areaId] })],
);

/** Imported tracks, one row per uploaded file; the original file is kept in storage by SHA-256. */
export const inspectionTracks = pgTable(
  'inspection_tracks',
  {
    id: serial('id').primaryKey(),
    inspectionId: integer('inspection_id')
      .notNull()
      .references(() => inspections.id),
    fileName: text('file_name').notNull(),
    format: text('format').notNull(),
    sha256: text('sha256').notNull(),
    coordinateSystem: text('coordinate_system', { enum: inputCoordinateSystems }).notNull().default('wgs84'),
    pointCount: integer('point_count').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    geom: geometry('geom', 'MultiLineString').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('inspection_tracks_geom_gist').using('gist', t.geom),
    index('inspection_tracks_inspection_id_btree').on(t.inspectionId),
    // One live copy of a file per inspection (migration 0009); a removed track may be imported again.
    uniqueIndex('inspection_tracks_inspection_id_sha256_unique').on(t.inspectionId, t.sha256).where(sql`${t.deletedAt} is null`),
    check('inspection_tracks_geom_valid', sql`ST_IsValid(${t.geom}) and not ST_IsEmpty(${t.geom})`),
    check('inspection_tracks_coordinate_system_check', inList(t.coordinateSystem, inputCoordinateSystems)),
    check('inspection_tracks_point_count_positive', sql`${t.pointCount} > 0`),
  ],
);

/** Checkpoints: points of an inspection with a note (waypoints of a track file, or entered). */
export const inspectionCheckpoints = pgTable(
  'inspection_checkpoints',
  {
    id: serial('id').primaryKey(),
    inspectionId: integer('inspection_id')
      .notNull()
      .references(() => inspections.id),
    trackId: integer('track_id').references(() => inspectionTracks.id),
    name: text('name'),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }),
    geom: geometry('geom', 'Point').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('inspection_checkpoints_geom_gist').using('gist', t.geom),
    index('inspection_checkpoints_inspection_id_btree').on(t.inspectionId),
  ],
);
