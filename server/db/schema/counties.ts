import { sql } from 'drizzle-orm';
import { check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { countyKinds } from '../../lib/vocabulary.ts';
import { geometry } from '../geometry.ts';
import { inList } from './checks.ts';

/** County-level divisions (GB/T 2260 code) and the city's functional zones (own codes, no boundary). */
export const counties = pgTable(
  'counties',
  {
    code: text('code').primaryKey(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind', { enum: countyKinds }).notNull(),
    seat: geometry('seat', 'Point').notNull(),
    geom: geometry('geom', 'MultiPolygon'),
    boundarySource: text('boundary_source'),
  },
  (t) => [
    index('counties_geom_gist').using('gist', t.geom),
    check('counties_kind_check', inList(t.kind, countyKinds)),
    check('counties_geom_valid', sql`${t.geom} is null or ST_IsValid(${t.geom})`),
    check('counties_seat_valid', sql`ST_IsValid(${t.seat})`),
    check('counties_code_format', sql`${t.code} ~ '^([0-9]{6}|WF-FZ-[A-Z]{2,6})$'`),
  ],
);
