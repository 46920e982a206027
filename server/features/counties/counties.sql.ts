import { sql, type SQL } from 'drizzle-orm';

/** Counties and functional zones as a GeoJSON FeatureCollection (functional zones have no boundary). */
export function countiesFeatureCollection(): SQL {
  return sql`
    select json_build_object(
      'type', 'FeatureCollection',
      'meta', json_build_object(
        'source', (select value from portal_meta where key = 'counties_source'),
        'datumNote', (select value from portal_meta where key = 'counties_datum_note')
      ),
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', c.code,
        'geometry', ST_AsGeoJSON(c.geom, 6)::json,
        'properties', json_build_object(
          'code', c.code,
          'nameZh', c.name_zh,
          'nameEn', c.name_en,
          'kind', c.kind,
          'seat', json_build_array(round(ST_X(c.seat)::numeric, 6), round(ST_Y(c.seat)::numeric, 6))
        )
      ) order by c.kind = 'functional_zone', c.code), '[]'::json)
    )::text as body
    from counties c`;
}
