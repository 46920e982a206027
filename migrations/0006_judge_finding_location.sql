-- Where a finding lies — every protected area it falls in (overlapping designations all count), the
-- strictest functional zone it touches and its county — is judged in the database, so that a
-- boundary change re-judges the findings it affects, whatever changed the boundary.
CREATE FUNCTION judge_finding_location(fid integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM finding_areas WHERE finding_id = fid;
  INSERT INTO finding_areas (finding_id, area_id, zone, boundary_version)
  SELECT f.id, a.id,
         (SELECT z.zone FROM area_zones z
          WHERE z.area_id = a.id AND z.geom && f.geom AND ST_Intersects(z.geom, f.geom)
          ORDER BY array_position(ARRAY['core', 'buffer', 'general_control', 'experimental']::text[], z.zone)
          LIMIT 1),
         a.boundary_version
  FROM findings f
  JOIN protected_areas a ON a.geom && f.geom AND ST_Intersects(a.geom, f.geom)
  WHERE f.id = fid;
  UPDATE findings f SET
    zone = (SELECT fa.zone FROM finding_areas fa
            WHERE fa.finding_id = f.id AND fa.zone IS NOT NULL
            ORDER BY array_position(ARRAY['core', 'buffer', 'general_control', 'experimental']::text[], fa.zone)
            LIMIT 1),
    county_code = (SELECT c.code FROM counties c
                   WHERE c.geom IS NOT NULL AND c.geom && f.geom AND ST_Intersects(c.geom, ST_PointOnSurface(f.geom))
                   ORDER BY c.code LIMIT 1),
    boundary_judged_at = now()
  WHERE f.id = fid;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION rejudge_findings_on_boundary_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_geom geometry;
  new_geom geometry;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN old_geom := OLD.geom; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN new_geom := NEW.geom; END IF;
  PERFORM judge_finding_location(f.id)
  FROM findings f
  WHERE f.deleted_at IS NULL
    AND ((old_geom IS NOT NULL AND f.geom && old_geom AND ST_Intersects(f.geom, old_geom))
      OR (new_geom IS NOT NULL AND f.geom && new_geom AND ST_Intersects(f.geom, new_geom)));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER protected_areas_rejudge_findings AFTER INSERT OR DELETE OR UPDATE OF geom, boundary_version ON protected_areas
  FOR EACH ROW EXECUTE FUNCTION rejudge_findings_on_boundary_change();
--> statement-breakpoint
CREATE TRIGGER area_zones_rejudge_findings AFTER INSERT OR DELETE OR UPDATE OF geom, zone ON area_zones
  FOR EACH ROW EXECUTE FUNCTION rejudge_findings_on_boundary_change();
