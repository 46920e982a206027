import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { supervisionLevels } from '../../lib/vocabulary.ts';
import { inList } from './checks.ts';
import { departments } from './departments.ts';
import { findings } from './findings.ts';
import { users } from './users.ts';

/** A monitoring batch of clues (e.g. a remote-sensing issue): its own verification deadline and owner. */
export const monitoringBatches = pgTable('monitoring_batches', {
  /** The text findings.batch carries. */
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  issuedOn: date('issued_on', { mode: 'string' }),
  /** Clues of the batch must be dispatched for verification by this date. */
  verifyBy: date('verify_by', { mode: 'string' }),
  /** The coordinator who must dispatch the batch's clues. */
  ownerUserId: integer('owner_user_id').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Last 督办 notice number handed out per year; numbers are never reused. */
export const supervisionNoticeSerials = pgTable('supervision_notice_serials', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** 督办 notices (通报 / 约谈 / 挂牌督办) issued by the sweep when a finding's running deadline has passed. */
export const supervisionNotices = pgTable(
  'supervision_notices',
  {
    id: serial('id').primaryKey(),
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id),
    level: text('level', { enum: supervisionLevels }).notNull(),
    number: text('number').notNull().unique(),
    /** The state and running deadline the finding was overdue against: one notice per level for each. */
    state: text('state').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    daysOverdue: integer('days_overdue').notNull(),
    recipientDepartmentId: integer('recipient_department_id').references(() => departments.id),
    recipientLabel: text('recipient_label').notNull(),
    textZh: text('text_zh').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    eventId: bigint('event_id', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('supervision_notices_once_unique').on(t.findingId, t.level, t.state, t.dueOn),
    index('supervision_notices_finding_id_btree').on(t.findingId, t.id),
    check('supervision_notices_level_check', inList(t.level, supervisionLevels)),
    check('supervision_notices_number_format', sql`${t.number} ~ '^WF-DB-[0-9]{4}-[0-9]{4,}$'`),
    check('supervision_notices_days_positive', sql`${t.daysOverdue} > 0`),
  ],
);
