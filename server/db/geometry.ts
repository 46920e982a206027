import { customType } from 'drizzle-orm/pg-core';

/** PostGIS geometry types the schema stores; the column carries SRID 4326 in its typmod. */
export type GeometryKind = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon' | 'Geometry';

/**
 * A `geometry(<kind>, 4326)` column. Reads and writes go through PostGIS functions in SQL
 * (ST_AsGeoJSON / ST_GeomFromGeoJSON), never WKB parsing in JS, so the driver value is opaque text.
 */
export const geometry = (name: string, kind: GeometryKind) =>
  customType<{ data: string; driverData: string }>({
    dataType: () => `geometry(${kind},4326)`,
  })(name);
