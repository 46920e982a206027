CREATE TABLE "attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" integer NOT NULL,
	"event_id" bigint,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"taken_at" timestamp with time zone,
	"taken_point" geometry(Point,4326),
	"uploaded_by" integer,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "attachments_owner_type_check" CHECK ("attachments"."owner_type" in ('finding', 'inspection', 'task')),
	CONSTRAINT "attachments_size_positive" CHECK ("attachments"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "finding_areas" (
	"finding_id" integer NOT NULL,
	"area_id" integer NOT NULL,
	"zone" text,
	"boundary_version" integer NOT NULL,
	CONSTRAINT "finding_areas_finding_id_area_id_pk" PRIMARY KEY("finding_id","area_id")
);
--> statement-breakpoint
CREATE TABLE "finding_cooperators" (
	"finding_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	CONSTRAINT "finding_cooperators_finding_id_department_id_pk" PRIMARY KEY("finding_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "finding_serials" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"serial" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"batch" text,
	"discovered_on" date NOT NULL,
	"constructed_on" date,
	"approval" text DEFAULT 'unknown' NOT NULL,
	"geom" geometry(Geometry,4326) NOT NULL,
	"county_code" text,
	"zone" text,
	"boundary_judged_at" timestamp with time zone,
	"state" text DEFAULT 'clue' NOT NULL,
	"verifying_department_id" integer,
	"lead_department_id" integer,
	"accepting_department_id" integer,
	"measures" jsonb,
	"deadline" date,
	"closing_ticks" jsonb,
	"inspection_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "findings_serial_unique" UNIQUE("serial"),
	CONSTRAINT "findings_category_check" CHECK ("findings"."category" in ('mining', 'industrial', 'energy', 'tourism', 'road', 'dam', 'aquaculture', 'pollution', 'construction', 'other')),
	CONSTRAINT "findings_source_check" CHECK ("findings"."source" in ('remote_sensing', 'joint_inspection', 'patrol', 'public_report', 'drone', 'supervision')),
	CONSTRAINT "findings_state_check" CHECK ("findings"."state" in ('clue', 'verifying', 'dismissed', 'confirmed', 'rectifying', 'pending_acceptance', 'closed', 'reopened')),
	CONSTRAINT "findings_approval_check" CHECK ("findings"."approval" in ('approved', 'unapproved', 'unknown')),
	CONSTRAINT "findings_geom_valid" CHECK (ST_IsValid("findings"."geom") and ST_SRID("findings"."geom") = 4326 and GeometryType("findings"."geom") in ('POINT', 'POLYGON')),
	CONSTRAINT "findings_serial_format" CHECK ("findings"."serial" ~ '^WF-[0-9]{4}-[0-9]{4,}$')
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"finding_id" integer,
	"inspection_id" integer,
	"department_id" integer,
	"assignee_user_id" integer,
	"due_on" date,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "tasks_kind_check" CHECK ("tasks"."kind" in ('verify', 'rectify', 'accept', 'inspect')),
	CONSTRAINT "tasks_status_check" CHECK ("tasks"."status" in ('open', 'in_progress', 'done', 'returned')),
	CONSTRAINT "tasks_owner" CHECK ("tasks"."finding_id" is not null or "tasks"."inspection_id" is not null),
	CONSTRAINT "tasks_department_required" CHECK ("tasks"."department_id" is not null or "tasks"."kind" = 'accept')
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_areas" ADD CONSTRAINT "finding_areas_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_areas" ADD CONSTRAINT "finding_areas_area_id_protected_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."protected_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_cooperators" ADD CONSTRAINT "finding_cooperators_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_cooperators" ADD CONSTRAINT "finding_cooperators_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_verifying_department_id_departments_id_fk" FOREIGN KEY ("verifying_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_lead_department_id_departments_id_fk" FOREIGN KEY ("lead_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_accepting_department_id_departments_id_fk" FOREIGN KEY ("accepting_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_owner_btree" ON "attachments" USING btree ("owner_type","owner_id");--> statement-breakpoint
CREATE INDEX "findings_geom_gist" ON "findings" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "findings_state_btree" ON "findings" USING btree ("state");--> statement-breakpoint
CREATE INDEX "findings_discovered_on_id_btree" ON "findings" USING btree ("discovered_on","id");--> statement-breakpoint
CREATE INDEX "tasks_department_id_status_btree" ON "tasks" USING btree ("department_id","status");--> statement-breakpoint
CREATE INDEX "tasks_finding_id_btree" ON "tasks" USING btree ("finding_id");