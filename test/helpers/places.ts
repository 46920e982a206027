/** Look-ups that tests of findings share: department ids by code, and a point inside an area. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/backend.ts';

/** Ids of the departments with these codes, by code. */
export async function departmentIds(database: Database, codes: string[]): Promise<Record<string, number>> {
  const rows = await database.rows<{ code: string; id: number }>(sql`select code, id from departments where code in ${codes}`);
  return Object.fromEntries(rows.map((r) => [r.code, Number(r.id)]));
}

/** A point surely inside the area with this code (PostGIS's point on surface), as [lon, lat]. */
export async function pointInside(database: Database, areaCode: string): Promise<[number, number]> {
  const [q] = await database.rows<{ x: number; y: number }>(
    sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(geom) as p from protected_areas where code = ${areaCode}) q`,
  );
  if (!q) throw new Error(`no protected area ${areaCode} in the test database`);
  return [q.x, q.y];
}
