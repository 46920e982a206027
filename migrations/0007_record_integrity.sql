-- Accounts and departments join the optimistic-lock rule every other edited record follows.
ALTER TABLE "users" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- What a finding was closed (销号) on, frozen at that moment: the portal keeps a closed problem's rule,
-- place and evidence as they were accepted. One row per closing; reopening marks it, never rewrites it.
CREATE TABLE "finding_closures" (
  "id" serial PRIMARY KEY NOT NULL,
  "finding_id" integer NOT NULL REFERENCES "findings"("id"),
  "event_id" bigint NOT NULL,
  "closed_at" timestamp with time zone DEFAULT now() NOT NULL,
  "closed_by" integer REFERENCES "users"("id"),
  "zone" text,
  "county_code" text,
  "areas" jsonb NOT NULL,
  "closing" jsonb NOT NULL,
  "ticks" jsonb NOT NULL,
  "reopened_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "finding_closures_finding_id_btree" ON "finding_closures" USING btree ("finding_id", "id");
--> statement-breakpoint
-- A closure record is evidence: only its reopening time may be set, once; nothing is deleted.
CREATE FUNCTION finding_closures_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.reopened_at IS NULL AND NEW.reopened_at IS NOT NULL
     AND (to_jsonb(NEW) - 'reopened_at') = (to_jsonb(OLD) - 'reopened_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'finding_closures is frozen: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER finding_closures_no_rewrite BEFORE UPDATE OR DELETE ON finding_closures
  FOR EACH ROW EXECUTE FUNCTION finding_closures_frozen();
--> statement-breakpoint
-- Where a finding lies, as the events table records it: zone, county and each area with its boundary version.
CREATE FUNCTION finding_location_json(fid integer) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'zone', f.zone,
    'countyCode', f.county_code,
    'areas', coalesce((SELECT jsonb_agg(jsonb_build_object('code', a.code, 'zone', fa.zone, 'boundaryVersion', fa.boundary_version) ORDER BY a.code)
                       FROM finding_areas fa JOIN protected_areas a ON a.id = fa.area_id WHERE fa.finding_id = f.id), '[]'::jsonb))
  FROM findings f WHERE f.id = fid;
$$;
--> statement-breakpoint
-- Re-judges one finding after a boundary change and, when the judgement moved, says so in the audit trail
-- (and bumps the version, so an edit begun on the old judgement is refused rather than mixed with it).
CREATE FUNCTION rejudge_finding_recorded(fid integer, cause text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  before_place jsonb;
  after_place jsonb;
BEGIN
  before_place := finding_location_json(fid);
  PERFORM judge_finding_location(fid);
  after_place := finding_location_json(fid);
  IF after_place IS DISTINCT FROM before_place THEN
    UPDATE findings SET version = version + 1, updated_at = now() WHERE id = fid;
    INSERT INTO events (actor_user_id, actor_department_id, actor_label, action, entity, entity_id, before, after, ip)
    VALUES (NULL, NULL, 'system', 'finding.rejudged', 'finding', fid::text, before_place, after_place || jsonb_build_object('cause', cause), NULL);
  END IF;
END;
$$;
--> statement-breakpoint
-- Closed findings keep the judgement they were closed on; the others are judged again, each change recorded.
CREATE OR REPLACE FUNCTION rejudge_findings_on_boundary_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_geom geometry;
  new_geom geometry;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN old_geom := OLD.geom; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN new_geom := NEW.geom; END IF;
  PERFORM rejudge_finding_recorded(f.id, TG_TABLE_NAME || '.' || lower(TG_OP))
  FROM findings f
  WHERE f.deleted_at IS NULL AND f.state <> 'closed'
    AND ((old_geom IS NOT NULL AND f.geom && old_geom AND ST_Intersects(f.geom, old_geom))
      OR (new_geom IS NOT NULL AND f.geom && new_geom AND ST_Intersects(f.geom, new_geom)));
  RETURN NULL;
END;
$$;
