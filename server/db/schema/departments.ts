import { sql } from 'drizzle-orm';
import { check, integer, pgTable, serial, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { departmentKinds, departmentLevels } from '../../lib/vocabulary.ts';
import { inList } from './checks.ts';
import { counties } from './counties.ts';

/** Departments that take part in joint enforcement; county branches point at their city bureau. */
export const departments = pgTable(
  'departments',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind', { enum: departmentKinds }).notNull(),
    /** province, city, county, or area (a protected area's management body); filled by rule when omitted (migration 0012). */
    level: text('level', { enum: departmentLevels }).notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => departments.id),
    countyCode: text('county_code').references(() => counties.code),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('departments_kind_check', inList(t.kind, departmentKinds)),
    check('departments_level_check', inList(t.level, departmentLevels)),
    check('departments_code_format', sql`${t.code} ~ '^[a-z0-9][a-z0-9-]{1,63}$'`),
  ],
);
