ALTER TABLE "tasks" ADD COLUMN "instruction" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "reply" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "replied_by" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "replied_at" timestamp with time zone;--> statement-breakpoint
UPDATE "tasks" SET "instruction" = "note";--> statement-breakpoint
-- Until now a department's note overwrote the coordinator's instruction. Where the audit trail shows
-- that (the task's latest note change wrote its current note), the note becomes that person's reply
-- and the words before the first change the instruction.
UPDATE "tasks" t SET "reply" = t."note", "replied_by" = w."actor_user_id", "replied_at" = w."at", "instruction" = o."original"
FROM (SELECT DISTINCT ON ("entity_id") "entity_id", "actor_user_id", "at", "after" ->> 'note' AS "note"
      FROM "events" WHERE "entity" = 'task' AND "action" = 'task.updated' AND ("before" -> 'note') IS DISTINCT FROM ("after" -> 'note')
      ORDER BY "entity_id", "id" DESC) w,
     (SELECT DISTINCT ON ("entity_id") "entity_id", "before" ->> 'note' AS "original"
      FROM "events" WHERE "entity" = 'task' AND "action" = 'task.updated' AND ("before" -> 'note') IS DISTINCT FROM ("after" -> 'note')
      ORDER BY "entity_id", "id" ASC) o
WHERE w."entity_id" = t."id"::text AND o."entity_id" = t."id"::text AND w."note" IS NOT DISTINCT FROM t."note" AND t."note" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" DROP COLUMN "note";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "ad_hoc" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "tasks" SET "ad_hoc" = true
WHERE "kind" = 'inspect' OR "finding_id" IS NULL
   OR "id" IN (SELECT ("after" ->> 'id')::int FROM "events"
               WHERE "action" = 'finding.task_assigned' AND jsonb_typeof("after" -> 'id') = 'number');--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_replied_by_users_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_kind_check";--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_kind_check" CHECK ("tasks"."kind" in ('verify', 'plan', 'review', 'rectify', 'accept', 'recheck', 'inspect'));--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_status_check";--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_status_check" CHECK ("tasks"."status" in ('open', 'in_progress', 'done', 'returned', 'cancelled'));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_cancel_reason_required" CHECK ("tasks"."status" <> 'cancelled' or "tasks"."cancel_reason" is not null);--> statement-breakpoint
CREATE INDEX "tasks_closed_at_btree" ON "tasks" USING btree ("closed_at");--> statement-breakpoint
CREATE TABLE "monitoring_batches" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"issued_on" date,
	"verify_by" date,
	"owner_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "monitoring_batches" ADD CONSTRAINT "monitoring_batches_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "clue_owner_user_id" integer;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "clue_due_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_clue_owner_user_id_users_id_fk" FOREIGN KEY ("clue_owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Clues recorded before owners existed: the first active coordinator, due 5 days (CLUE_DISPATCH_DAYS' default) after recording.
UPDATE "findings" SET "clue_owner_user_id" = (SELECT min("id") FROM "users" WHERE "role" = 'coordinator' AND "active"),
                      "clue_due_on" = ("created_at" AT TIME ZONE 'Asia/Shanghai')::date + 5
WHERE "state" = 'clue';--> statement-breakpoint
CREATE INDEX "findings_clue_owner_user_id_btree" ON "findings" USING btree ("clue_owner_user_id") WHERE "findings"."state" = 'clue';--> statement-breakpoint
CREATE TABLE "supervision_notice_serials" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);--> statement-breakpoint
CREATE TABLE "supervision_notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"finding_id" integer NOT NULL,
	"level" text NOT NULL,
	"number" text NOT NULL,
	"state" text NOT NULL,
	"due_on" date NOT NULL,
	"days_overdue" integer NOT NULL,
	"recipient_department_id" integer,
	"recipient_label" text NOT NULL,
	"text_zh" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_id" bigint,
	CONSTRAINT "supervision_notices_number_unique" UNIQUE("number"),
	CONSTRAINT "supervision_notices_level_check" CHECK ("supervision_notices"."level" in ('circular', 'interview', 'listed')),
	CONSTRAINT "supervision_notices_number_format" CHECK ("supervision_notices"."number" ~ '^WF-DB-[0-9]{4}-[0-9]{4,}$'),
	CONSTRAINT "supervision_notices_days_positive" CHECK ("supervision_notices"."days_overdue" > 0)
);--> statement-breakpoint
ALTER TABLE "supervision_notices" ADD CONSTRAINT "supervision_notices_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_notices" ADD CONSTRAINT "supervision_notices_recipient_department_id_departments_id_fk" FOREIGN KEY ("recipient_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "supervision_notices_once_unique" ON "supervision_notices" USING btree ("finding_id","level","state","due_on");--> statement-breakpoint
CREATE INDEX "supervision_notices_finding_id_btree" ON "supervision_notices" USING btree ("finding_id","id");
