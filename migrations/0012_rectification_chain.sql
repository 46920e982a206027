ALTER TABLE "findings" ADD COLUMN "verification_outcome" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "plan_due_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "drafter_department_id" integer;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "acceptance_level" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "publicity_start_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "publicity_end_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "publicity_notice" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "closed_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "closing_document_no" text;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_drafter_department_id_departments_id_fk" FOREIGN KEY ("drafter_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Rows made before outcomes were told apart: 不属实 was the only dismissal.
UPDATE "findings" SET "verification_outcome" = 'not_true' WHERE "state" = 'dismissed';--> statement-breakpoint
UPDATE "findings" f SET "closed_on" = (SELECT (c."closed_at" AT TIME ZONE 'Asia/Shanghai')::date FROM "finding_closures" c WHERE c."finding_id" = f."id" ORDER BY c."id" DESC LIMIT 1) WHERE f."state" = 'closed';--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_state_check";--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_state_check" CHECK ("findings"."state" in ('clue', 'verifying', 'dismissed', 'confirmed', 'planning', 'rectifying', 'pending_acceptance', 'publicising', 'closed', 'reopened'));--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_verification_outcome_check" CHECK ("findings"."verification_outcome" in ('historical', 'illegal', 'not_true', 'lawful', 'vanished', 'rectified'));--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_acceptance_level_check" CHECK ("findings"."acceptance_level" in ('county', 'city', 'province'));--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_round_positive" CHECK ("findings"."round" > 0);--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_publicity_order" CHECK ("findings"."publicity_end_on" is null or "findings"."publicity_start_on" <= "findings"."publicity_end_on");--> statement-breakpoint
CREATE TABLE "finding_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"finding_id" integer NOT NULL,
	"kind" text NOT NULL,
	"round" integer NOT NULL,
	"department_id" integer,
	"data" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_id" bigint,
	CONSTRAINT "finding_records_kind_check" CHECK ("finding_records"."kind" in ('plan_assignment', 'plan_submission', 'plan_review', 'progress', 'part_report', 'extension_request', 'extension_decision', 'site_check', 'acceptance', 'acceptance_failure', 'objection', 'recheck')),
	CONSTRAINT "finding_records_round_positive" CHECK ("finding_records"."round" > 0)
);--> statement-breakpoint
ALTER TABLE "finding_records" ADD CONSTRAINT "finding_records_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_records" ADD CONSTRAINT "finding_records_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_records" ADD CONSTRAINT "finding_records_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "finding_records_finding_id_btree" ON "finding_records" USING btree ("finding_id","id");--> statement-breakpoint
-- Sub-step records are the official trail of the chain, like the events: written once, never rewritten.
CREATE TRIGGER finding_records_no_update_delete BEFORE UPDATE OR DELETE ON "finding_records"
  FOR EACH ROW EXECUTE FUNCTION events_append_only();--> statement-breakpoint
ALTER TABLE "finding_closures" ADD COLUMN "record" jsonb;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "level" text;--> statement-breakpoint
UPDATE "departments" SET "level" = CASE WHEN "kind" = 'county_government' OR "parent_id" IS NOT NULL OR "county_code" IS NOT NULL THEN 'county' ELSE 'city' END;--> statement-breakpoint
ALTER TABLE "departments" ALTER COLUMN "level" SET NOT NULL;--> statement-breakpoint
-- Writers that do not name a level yet (older seeders, the departments API) get the backfill rule.
CREATE FUNCTION departments_default_level() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.level IS NULL THEN
    NEW.level := CASE WHEN NEW.kind = 'county_government' OR NEW.parent_id IS NOT NULL OR NEW.county_code IS NOT NULL THEN 'county' ELSE 'city' END;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER departments_default_level BEFORE INSERT ON "departments"
  FOR EACH ROW EXECUTE FUNCTION departments_default_level();--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_level_check" CHECK ("departments"."level" in ('province', 'city', 'county', 'area'));--> statement-breakpoint
ALTER TABLE "departments" DROP CONSTRAINT "departments_kind_check";--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_kind_check" CHECK ("departments"."kind" in ('ecology_environment', 'natural_resources', 'forestry', 'water', 'agriculture', 'county_government', 'management_body', 'other'));
