CREATE TABLE "inspection_areas" (
	"inspection_id" integer NOT NULL,
	"area_id" integer NOT NULL,
	CONSTRAINT "inspection_areas_inspection_id_area_id_pk" PRIMARY KEY("inspection_id","area_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_checkpoints" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspection_id" integer NOT NULL,
	"track_id" integer,
	"name" text,
	"note" text,
	"at" timestamp with time zone,
	"geom" geometry(Point,4326) NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inspection_departments" (
	"inspection_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	CONSTRAINT "inspection_departments_inspection_id_department_id_pk" PRIMARY KEY("inspection_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspection_id" integer NOT NULL,
	"user_id" integer,
	"name" text NOT NULL,
	"department_id" integer
);
--> statement-breakpoint
CREATE TABLE "inspection_tracks" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspection_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"coordinate_system" text DEFAULT 'wgs84' NOT NULL,
	"point_count" integer NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"uploaded_by" integer,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"geom" geometry(MultiLineString,4326) NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "inspection_tracks_geom_valid" CHECK (ST_IsValid("inspection_tracks"."geom") and not ST_IsEmpty("inspection_tracks"."geom")),
	CONSTRAINT "inspection_tracks_coordinate_system_check" CHECK ("inspection_tracks"."coordinate_system" in ('wgs84', 'gcj02', 'bd09')),
	CONSTRAINT "inspection_tracks_point_count_positive" CHECK ("inspection_tracks"."point_count" > 0)
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"planned_start" date,
	"planned_end" date,
	"actual_start" date,
	"actual_end" date,
	"lead_department_id" integer NOT NULL,
	"summary" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "inspections_status_check" CHECK ("inspections"."status" in ('planned', 'in_progress', 'completed')),
	CONSTRAINT "inspections_planned_order" CHECK ("inspections"."planned_end" is null or "inspections"."planned_start" is null or "inspections"."planned_end" >= "inspections"."planned_start"),
	CONSTRAINT "inspections_actual_order" CHECK ("inspections"."actual_end" is null or "inspections"."actual_start" is null or "inspections"."actual_end" >= "inspections"."actual_start"),
	CONSTRAINT "inspections_completed_dated" CHECK ("inspections"."status" <> 'completed' or ("inspections"."actual_start" is not null and "inspections"."actual_end" is not null))
);
--> statement-breakpoint
ALTER TABLE "protected_areas" ADD COLUMN "inspection_frequency" text DEFAULT 'quarter' NOT NULL;--> statement-breakpoint
ALTER TABLE "inspection_areas" ADD CONSTRAINT "inspection_areas_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_areas" ADD CONSTRAINT "inspection_areas_area_id_protected_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."protected_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_checkpoints" ADD CONSTRAINT "inspection_checkpoints_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_checkpoints" ADD CONSTRAINT "inspection_checkpoints_track_id_inspection_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."inspection_tracks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_departments" ADD CONSTRAINT "inspection_departments_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_departments" ADD CONSTRAINT "inspection_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_members" ADD CONSTRAINT "inspection_members_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_members" ADD CONSTRAINT "inspection_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_members" ADD CONSTRAINT "inspection_members_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_tracks" ADD CONSTRAINT "inspection_tracks_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_tracks" ADD CONSTRAINT "inspection_tracks_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_lead_department_id_departments_id_fk" FOREIGN KEY ("lead_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_checkpoints_geom_gist" ON "inspection_checkpoints" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "inspection_checkpoints_inspection_id_btree" ON "inspection_checkpoints" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_members_inspection_id_btree" ON "inspection_members" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_tracks_geom_gist" ON "inspection_tracks" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "inspection_tracks_inspection_id_btree" ON "inspection_tracks" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspections_actual_btree" ON "inspections" USING btree ("actual_start","actual_end");--> statement-breakpoint
ALTER TABLE "protected_areas" ADD CONSTRAINT "protected_areas_inspection_frequency_check" CHECK ("protected_areas"."inspection_frequency" in ('month', 'quarter', 'half_year', 'year'));