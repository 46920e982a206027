import type { Database } from '../../db/backend.ts';
import type { ListAreasQuery } from './areas.schemas.ts';
import { areaDetail, areasFeatureCollection } from './areas.sql.ts';

/** The filtered areas as GeoJSON text, ready to send. */
export async function listAreas(database: Database, filter: ListAreasQuery): Promise<string> {
  const [row] = await database.rows<{ body: string }>(areasFeatureCollection(filter));
  return row.body;
}

/** One area as JSON text, or null when no area has that code. */
export async function getArea(database: Database, code: string): Promise<string | null> {
  const [row] = await database.rows<{ body: string }>(areaDetail(code));
  return row?.body ?? null;
}
