-- The swath of one track, in metres either side, as a 4326 polygon. GPS jitter from standing still
-- (dozens of vertices centimetres apart, zig-zagging) makes GEOS's buffer fail: PostgreSQL raises an
-- error, PGlite's PostGIS silently ends the statement with no rows. Vertices within 1 m of the line
-- through their neighbours carry no information at GPS accuracy (3-5 m), so the track is simplified
-- and de-duplicated at 1 m in UTM zone 50N (Weifang lies within 117-123 E) before buffering; this moves
-- the swath edge by at most 1 m. Collapsed parts are kept, so a track standing on one spot still
-- counts as a circle of the swath.
CREATE OR REPLACE FUNCTION coverage_swath(track geometry, swath float8) RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ST_Transform(
           ST_Buffer(ST_RemoveRepeatedPoints(ST_Simplify(ST_Transform(track, 32650), 1.0, true), 1.0), swath, 'quad_segs=4'),
           4326)
$$;
