import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  approvalStatuses,
  attachmentOwners,
  findingCategories,
  findingSources,
  findingStates,
  taskKinds,
  taskStatuses,
  zoneKinds,
} from '../../lib/vocabulary.ts';
import { geometry } from '../geometry.ts';
import { inList } from './checks.ts';
import { counties } from './counties.ts';
import { departments } from './departments.ts';
import { inspections } from './inspections.ts';
import { protectedAreas } from './protected-areas.ts';
import { users } from './users.ts';

/** Last serial number handed out per year; serials are never reused, even for deleted findings. */
export const findingSerials = pgTable('finding_serials', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** Findings (问题): one record per problem, from clue to closure (销号). */
export const findings = pgTable(
  'findings',
  {
    id: serial('id').primaryKey(),
    serial: text('serial').notNull().unique(),
    category: text('category', { enum: findingCategories }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    source: text('source', { enum: findingSources }).notNull(),
    batch: text('batch'),
    discoveredOn: date('discovered_on', { mode: 'string' }).notNull(),
    constructedOn: date('constructed_on', { mode: 'string' }),
    approval: text('approval', { enum: approvalStatuses }).notNull().default('unknown'),
    geom: geometry('geom', 'Geometry').notNull(),
    /** County and zone from the spatial join, with the boundary version they were judged against. */
    countyCode: text('county_code').references(() => counties.code),
    zone: text('zone', { enum: zoneKinds }),
    boundaryJudgedAt: timestamp('boundary_judged_at', { withTimezone: true }),
    state: text('state', { enum: findingStates }).notNull().default('clue'),
    verifyingDepartmentId: integer('verifying_department_id').references(() => departments.id),
    leadDepartmentId: integer('lead_department_id').references(() => departments.id),
    /** Department named to accept the rectification; null: the coordinators or any independent department. */
    acceptingDepartmentId: integer('accepting_department_id').references(() => departments.id),
    measures: jsonb('measures'),
    deadline: date('deadline', { mode: 'string' }),
    /** Closing conditions ticked at acceptance: [{ code, evidenceIds }]. */
    closingTicks: jsonb('closing_ticks'),
    inspectionId: integer('inspection_id').references(() => inspections.id),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('findings_geom_gist').using('gist', t.geom),
    index('findings_state_btree').on(t.state),
    index('findings_discovered_on_id_btree').on(t.discoveredOn, t.id),
    check('findings_category_check', inList(t.category, findingCategories)),
    check('findings_source_check', inList(t.source, findingSources)),
    check('findings_state_check', inList(t.state, findingStates)),
    check('findings_approval_check', inList(t.approval, approvalStatuses)),
    check('findings_geom_valid', sql`ST_IsValid(${t.geom}) and ST_SRID(${t.geom}) = 4326 and GeometryType(${t.geom}) in ('POINT', 'POLYGON')`),
    check('findings_serial_format', sql`${t.serial} ~ '^WF-[0-9]{4}-[0-9]{4,}$'`),
  ],
);

/** The protected areas (several where designations overlap) a finding lies in. */
export const findingAreas = pgTable(
  'finding_areas',
  {
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id),
    areaId: integer('area_id')
      .notNull()
      .references(() => protectedAreas.id),
    zone: text('zone', { enum: zoneKinds }),
    boundaryVersion: integer('boundary_version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.findingId, t.areaId] })],
);

/** What a finding was closed (销号) on, frozen when it closed (migration 0007 refuses rewrites). */
export const findingClosures = pgTable(
  'finding_closures',
  {
    id: serial('id').primaryKey(),
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id),
    /** The `finding.closed` event of this closing. */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
    closedBy: integer('closed_by').references(() => users.id),
    zone: text('zone', { enum: zoneKinds }),
    countyCode: text('county_code'),
    /** [{ code, zone, boundaryVersion }] as judged when it closed. */
    areas: jsonb('areas').notNull(),
    /** The closing rule, its basis and the conditions that applied. */
    closing: jsonb('closing').notNull(),
    /** [{ code, labelZh, tickedBy, evidence: [{ id, fileName, sha256 }] }]. */
    ticks: jsonb('ticks').notNull(),
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
  },
  (t) => [index('finding_closures_finding_id_btree').on(t.findingId, t.id)],
);

/** Cooperating departments of a finding's rectification (the lead is on the finding). */
export const findingCooperators = pgTable(
  'finding_cooperators',
  {
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
  },
  (t) => [primaryKey({ columns: [t.findingId, t.departmentId] })],
);

/** Work handed to a department (派任务): verify, rectify, accept, or an ad-hoc inspection. */
export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: taskKinds }).notNull(),
    findingId: integer('finding_id').references(() => findings.id),
    inspectionId: integer('inspection_id').references(() => inspections.id),
    /** Null only for an accept task in the coordinators' queue (no accepting department named). */
    departmentId: integer('department_id').references(() => departments.id),
    assigneeUserId: integer('assignee_user_id').references(() => users.id),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status', { enum: taskStatuses }).notNull().default('open'),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('tasks_department_id_status_btree').on(t.departmentId, t.status),
    index('tasks_finding_id_btree').on(t.findingId),
    check('tasks_kind_check', inList(t.kind, taskKinds)),
    check('tasks_status_check', inList(t.status, taskStatuses)),
    check('tasks_owner', sql`${t.findingId} is not null or ${t.inspectionId} is not null`),
    check('tasks_department_required', sql`${t.departmentId} is not null or ${t.kind} = 'accept'`),
  ],
);

/** Evidence files (photos, documents); the file itself lives in STORAGE_DIR by SHA-256. */
export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    ownerType: text('owner_type', { enum: attachmentOwners }).notNull(),
    ownerId: integer('owner_id').notNull(),
    /** The audit event of the transition this evidence was attached for, if any. */
    eventId: bigint('event_id', { mode: 'number' }),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    takenPoint: geometry('taken_point', 'Point'),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('attachments_owner_btree').on(t.ownerType, t.ownerId),
    // One live copy of a file per owner (migration 0009).
    uniqueIndex('attachments_owner_sha256_unique').on(t.ownerType, t.ownerId, t.sha256).where(sql`${t.deletedAt} is null`),
    check('attachments_owner_type_check', inList(t.ownerType, attachmentOwners)),
    check('attachments_size_positive', sql`${t.sizeBytes} > 0`),
  ],
);
