import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { activityClasses, ruleRoutes, ruleSourceKinds } from '../../lib/rule-vocabulary.ts';
import { areaCategories, zoneKinds, zoneSchemes } from '../../lib/vocabulary.ts';
import { inList } from './checks.ts';
import { findings } from './findings.ts';
import { users } from './users.ts';

/**
 * The closing rules (migration 0011): one row per area category × zoning scheme × zone × activity
 * class × approval × timing, `*` for "any"; the most specific matching row applies.
 */
export const rules = pgTable(
  'rules',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    areaCategory: text('area_category').notNull().default('*'),
    zoneScheme: text('zone_scheme').notNull().default('*'),
    zone: text('zone').notNull().default('*'),
    activityClass: text('activity_class').notNull().default('*'),
    approval: text('approval').notNull().default('*'),
    timing: text('timing').notNull().default('*'),
    route: text('route', { enum: ruleRoutes }).notNull(),
    allowedMeasures: jsonb('allowed_measures').notNull(),
    requiredMeasures: jsonb('required_measures').notNull(),
    requiresAssessment: boolean('requires_assessment').notNull().default(false),
    reviewerKinds: jsonb('reviewer_kinds').notNull(),
    /** [{ code, evidenceKinds, observationDays }]. */
    conditions: jsonb('conditions').notNull(),
    sourceKind: text('source_kind', { enum: ruleSourceKinds }).notNull(),
    sourceZh: text('source_zh').notNull(),
    sourceEn: text('source_en').notNull(),
    basisZh: text('basis_zh').notNull(),
    basisEn: text('basis_en').notNull(),
    /** Breaks ties between rows equally specific. */
    priority: integer('priority').notNull().default(0),
    version: integer('version').notNull().default(1),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('rules_area_category_check', inList(t.areaCategory, ['*', ...areaCategories])),
    check('rules_zone_scheme_check', inList(t.zoneScheme, ['*', ...zoneSchemes])),
    check('rules_zone_check', inList(t.zone, ['*', ...zoneKinds])),
    check('rules_activity_class_check', inList(t.activityClass, ['*', ...activityClasses])),
    check('rules_approval_check', inList(t.approval, ['*', 'approved', 'unapproved'])),
    check('rules_timing_check', inList(t.timing, ['*', 'historical', 'new'])),
    check('rules_route_check', inList(t.route, ruleRoutes)),
    check('rules_source_kind_check', inList(t.sourceKind, ruleSourceKinds)),
    check(
      'rules_lists_are_arrays',
      sql`jsonb_typeof(${t.allowedMeasures}) = 'array' and jsonb_typeof(${t.requiredMeasures}) = 'array' and jsonb_typeof(${t.reviewerKinds}) = 'array' and jsonb_typeof(${t.conditions}) = 'array'`,
    ),
    check('rules_version_positive', sql`${t.version} >= 1`),
  ],
);

/** A proposed change to a rule: proposed by an admin, approved or rejected by another admin or a coordinator. */
export const ruleChanges = pgTable(
  'rule_changes',
  {
    id: serial('id').primaryKey(),
    ruleId: integer('rule_id')
      .notNull()
      .references(() => rules.id),
    /** The rule's version the proposal was made against; approval refuses a rule changed since. */
    baseVersion: integer('base_version').notNull(),
    changes: jsonb('changes').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
    proposedBy: integer('proposed_by')
      .notNull()
      .references(() => users.id),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    proposalEventId: bigint('proposal_event_id', { mode: 'number' }),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewOpinion: text('review_opinion'),
    reviewEventId: bigint('review_event_id', { mode: 'number' }),
  },
  (t) => [
    index('rule_changes_status_btree').on(t.status),
    check('rule_changes_status_check', inList(t.status, ['pending', 'approved', 'rejected'])),
    check('rule_changes_reviewer_not_proposer', sql`${t.reviewedBy} is null or ${t.reviewedBy} <> ${t.proposedBy}`),
    check('rule_changes_reviewed_when_decided', sql`(${t.status} = 'pending') = (${t.reviewedBy} is null)`),
  ],
);

/** A coordinator's determination of one fact of a finding; the latest per fact overrides the derived fact. */
export const findingDeterminations = pgTable(
  'finding_determinations',
  {
    id: serial('id').primaryKey(),
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id),
    fact: text('fact', { enum: ['zone', 'approval', 'timing', 'legality'] }).notNull(),
    value: text('value').notNull(),
    basis: text('basis').notNull(),
    determinedBy: integer('determined_by').references(() => users.id),
    determinedAt: timestamp('determined_at', { withTimezone: true }).notNull().defaultNow(),
    eventId: bigint('event_id', { mode: 'number' }),
  },
  (t) => [
    index('finding_determinations_finding_id_fact_btree').on(t.findingId, t.fact, t.id),
    check('finding_determinations_fact_check', inList(t.fact, ['zone', 'approval', 'timing', 'legality'])),
  ],
);
