import { sql, type SQL } from 'drizzle-orm';
import { likePattern } from '../../lib/search.ts';
import type { ListAreasQuery } from './areas.schemas.ts';

/** Rounded hectares of a geometry, measured on the spheroid. */
const hectares = (geom: SQL) => sql`round((ST_Area((${geom})::geography) / 10000)::numeric, 2)`;

/** [minLon, minLat, maxLon, maxLat] of a geometry, 6 decimals. */
const bboxJson = (geom: SQL) =>
  sql`json_build_array(round(ST_XMin(${geom})::numeric, 6), round(ST_YMin(${geom})::numeric, 6), round(ST_XMax(${geom})::numeric, 6), round(ST_YMax(${geom})::numeric, 6))`;

/** [lon, lat] of a point guaranteed to lie on the geometry (for labels and fly-to). */
const labelPointJson = (geom: SQL) =>
  sql`json_build_array(round(ST_X(ST_PointOnSurface(${geom}))::numeric, 6), round(ST_Y(ST_PointOnSurface(${geom}))::numeric, 6))`;

const pointJson = (geom: SQL) =>
  sql`case when ${geom} is null then null else json_build_array(round(ST_X(${geom})::numeric, 6), round(ST_Y(${geom})::numeric, 6)) end`;

/**
 * The areas as one GeoJSON FeatureCollection, built by PostGIS and returned as text.
 * Filters are plain column comparisons; 43 rows need no spatial index here.
 */
export function areasFeatureCollection(filter: ListAreasQuery): SQL {
  const where: SQL[] = [sql`true`];
  if (filter.category) where.push(sql`a.category = ${filter.category}`);
  if (filter.level) where.push(sql`a.level = ${filter.level}`);
  if (filter.county) where.push(sql`a.county_code = ${filter.county}`);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    where.push(sql`(a.name_zh ilike ${pattern} or a.name_en ilike ${pattern} or a.code ilike ${pattern})`);
  }
  return sql`
    select json_build_object(
      'type', 'FeatureCollection',
      'features', coalesce(json_agg(f.feature order by f.code), '[]'::json)
    )::text as body
    from (
      select a.code, json_build_object(
        'type', 'Feature',
        'id', a.code,
        'geometry', ST_AsGeoJSON(a.geom, 6)::json,
        'properties', json_build_object(
          'code', a.code,
          'nameZh', a.name_zh,
          'nameEn', a.name_en,
          'category', a.category,
          'level', a.level,
          'countyCode', a.county_code,
          'countyNameZh', c.name_zh,
          'countyNameEn', c.name_en,
          'reportedAreaHa', a.reported_area_ha,
          'gisAreaHa', ${hectares(sql`a.geom`)},
          'established', a.established,
          'confidence', a.confidence,
          'boundarySchematic', a.boundary_schematic,
          'labelPoint', ${labelPointJson(sql`a.geom`)},
          'bbox', ${bboxJson(sql`a.geom`)}
        )
      ) as feature
      from protected_areas a
      join counties c on c.code = a.county_code
      where ${sql.join(where, sql` and `)}
    ) f`;
}

/**
 * One area with its zones and the designations that share its ground, as JSON text.
 * Overlaps: `o.geom && a.geom` lets the GiST index pick candidates before the exact interior test.
 */
export function areaDetail(code: string): SQL {
  return sql`
    select json_build_object(
      'code', a.code,
      'nameZh', a.name_zh,
      'nameEn', a.name_en,
      'category', a.category,
      'level', a.level,
      'county', json_build_object('code', c.code, 'nameZh', c.name_zh, 'nameEn', c.name_en),
      'managingBody', a.managing_body,
      'established', a.established,
      'establishedOn', a.established_on,
      'establishedPrecision', a.established_precision,
      'reportedAreaHa', a.reported_area_ha,
      'gisAreaHa', ${hectares(sql`a.geom`)},
      'publishedPoint', ${pointJson(sql`a.published_point`)},
      'labelPoint', ${labelPointJson(sql`a.geom`)},
      'bbox', ${bboxJson(sql`a.geom`)},
      'boundary', json_build_object('schematic', a.boundary_schematic, 'source', a.boundary_source, 'version', a.boundary_version),
      'provenance', json_build_object('confidence', a.confidence, 'source', a.source),
      'zones', json_build_object(
        'type', 'FeatureCollection',
        'features', coalesce((
          select json_agg(json_build_object(
            'type', 'Feature',
            'id', z.id,
            'geometry', ST_AsGeoJSON(z.geom, 6)::json,
            'properties', json_build_object('zone', z.zone, 'scheme', z.scheme, 'source', z.source, 'areaHa', ${hectares(sql`z.geom`)})
          ) order by z.scheme, zone_strictness(z.scheme, z.zone))
          from area_zones z
          where z.area_id = a.id
        ), '[]'::json)
      ),
      'overlaps', coalesce((
        select json_agg(json_build_object(
          'code', o.code,
          'nameZh', o.name_zh,
          'nameEn', o.name_en,
          'category', o.category,
          'overlapHa', ${hectares(sql`ST_Intersection(a.geom, o.geom)`)}
        ) order by o.code)
        from protected_areas o
        where o.id <> a.id
          and o.geom && a.geom
          and ST_Relate(a.geom, o.geom, 'T********')
      ), '[]'::json),
      'geometry', ST_AsGeoJSON(a.geom, 6)::json
    )::text as body
    from protected_areas a
    join counties c on c.code = a.county_code
    where a.code = ${code}`;
}
