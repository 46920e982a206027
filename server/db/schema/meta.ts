import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Facts about this database itself: when the sample data was loaded, and from which data version. */
export const portalMeta = pgTable('portal_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
