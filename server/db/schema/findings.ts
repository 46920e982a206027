import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  acceptanceLevelCodes,
  approvalStatuses,
  attachmentOwners,
  changeTypes,
  findingRecordKinds,
  findingCategories,
  findingSources,
  findingStates,
  taskKinds,
  taskStatuses,
  verificationOutcomes,
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
    /** Facts the rules need (migration 0011): the approval's number, authority and date. */
    approvalNo: text('approval_no'),
    approvalAuthority: text('approval_authority'),
    approvedOn: date('approved_on', { mode: 'string' }),
    /** 变化类型 as the monitoring batch reports it; kept apart from the legal historical/new judgement. */
    changeType: text('change_type', { enum: changeTypes }),
    /** 规模扩大: an old site that grew; the original footprint is judged by its own dates. */
    expanded: boolean('expanded').notNull().default(false),
    originalGeom: geometry('original_geom', 'Polygon'),
    originalAreaHa: numeric('original_area_ha', { precision: 12, scale: 4, mode: 'number' }),
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
    /** 属实 (historical, illegal) or the dismissal's outcome; null until verified. */
    verificationOutcome: text('verification_outcome', { enum: verificationOutcomes }),
    /** Bumped whenever the finding goes back to verifying or rectifying; sub-step records carry it. */
    round: integer('round').notNull().default(1),
    /** Department drafting the plan: the area's management body, else the lead. */
    drafterDepartmentId: integer('drafter_department_id').references(() => departments.id),
    planDueOn: date('plan_due_on', { mode: 'string' }),
    measures: jsonb('measures'),
    deadline: date('deadline', { mode: 'string' }),
    /** The acceptance level due while pending_acceptance (config.acceptanceLevels). */
    acceptanceLevel: text('acceptance_level', { enum: acceptanceLevelCodes }),
    publicityStartOn: date('publicity_start_on', { mode: 'string' }),
    publicityEndOn: date('publicity_end_on', { mode: 'string' }),
    /** The 公示 notice generated from the record when publicity started. */
    publicityNotice: text('publicity_notice'),
    closedOn: date('closed_on', { mode: 'string' }),
    closingDocumentNo: text('closing_document_no'),
    /** Closing conditions ticked at acceptance: [{ code, evidenceIds }]. */
    closingTicks: jsonb('closing_ticks'),
    inspectionId: integer('inspection_id').references(() => inspections.id),
    /** The coordinator who must dispatch the clue, and by when (migration 0013). */
    clueOwnerUserId: integer('clue_owner_user_id').references(() => users.id),
    clueDueOn: date('clue_due_on', { mode: 'string' }),
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
    index('findings_clue_owner_user_id_btree').on(t.clueOwnerUserId).where(sql`${t.state} = 'clue'`),
    check('findings_category_check', inList(t.category, findingCategories)),
    check('findings_source_check', inList(t.source, findingSources)),
    check('findings_state_check', inList(t.state, findingStates)),
    check('findings_approval_check', inList(t.approval, approvalStatuses)),
    check('findings_change_type_check', inList(t.changeType, changeTypes)),
    check('findings_original_geom_valid', sql`${t.originalGeom} is null or (ST_IsValid(${t.originalGeom}) and not ST_IsEmpty(${t.originalGeom}))`),
    check('findings_verification_outcome_check', inList(t.verificationOutcome, verificationOutcomes)),
    check('findings_acceptance_level_check', inList(t.acceptanceLevel, acceptanceLevelCodes)),
    check('findings_round_positive', sql`${t.round} > 0`),
    check('findings_publicity_order', sql`${t.publicityEndOn} is null or ${t.publicityStartOn} <= ${t.publicityEndOn}`),
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
    /** The chain as closed: rule, plan and reviews, part reports, acceptance levels, publicity, 销号 date and 文号. */
    record: jsonb('record'),
  },
  (t) => [index('finding_closures_finding_id_btree').on(t.findingId, t.id)],
);

/** Sub-step records of the chain (plans, reviews, reports, site checks, acceptances, objections, …); append-only. */
export const findingRecords = pgTable(
  'finding_records',
  {
    id: serial('id').primaryKey(),
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id),
    kind: text('kind', { enum: findingRecordKinds }).notNull(),
    /** The finding's round when written. */
    round: integer('round').notNull(),
    /** The department the record was made for (the reviewer, the reporting part, the acceptor…). */
    departmentId: integer('department_id').references(() => departments.id),
    data: jsonb('data').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The audit event of the step that wrote it. */
    eventId: bigint('event_id', { mode: 'number' }),
  },
  (t) => [
    index('finding_records_finding_id_btree').on(t.findingId, t.id),
    check('finding_records_kind_check', inList(t.kind, findingRecordKinds)),
    check('finding_records_round_positive', sql`${t.round} > 0`),
  ],
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
    /** Opened by a coordinator outside the workflow steps: completed by its department with a reply. */
    adHoc: boolean('ad_hoc').notNull().default(false),
    /** The coordinator's or the step's words to the department; a reply never overwrites it. */
    instruction: text('instruction'),
    /** The department's answer (an ad-hoc task is completed with one). */
    reply: text('reply'),
    repliedBy: integer('replied_by').references(() => users.id),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    /** Why a coordinator (or the step that ended the finding) cancelled it. */
    cancelReason: text('cancel_reason'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('tasks_department_id_status_btree').on(t.departmentId, t.status),
    index('tasks_finding_id_btree').on(t.findingId),
    index('tasks_closed_at_btree').on(t.closedAt),
    check('tasks_kind_check', inList(t.kind, taskKinds)),
    check('tasks_status_check', inList(t.status, taskStatuses)),
    check('tasks_cancel_reason_required', sql`${t.status} <> 'cancelled' or ${t.cancelReason} is not null`),
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
