import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { departments } from './departments.ts';
import { users } from './users.ts';

/**
 * The audit trail: who did what to which record, when, with the values before and after.
 * Append-only in the database itself (trigger in migration 0003): UPDATE, DELETE and TRUNCATE fail.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer('actor_user_id').references(() => users.id),
    actorDepartmentId: integer('actor_department_id').references(() => departments.id),
    /** Who acted, as shown even if the account changes later: a username, or `cli` for the command line. */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
  },
  (t) => [index('events_entity_entity_id_at_btree').on(t.entity, t.entityId, t.at)],
);
