CREATE TABLE "counties" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"seat" geometry(Point,4326) NOT NULL,
	"geom" geometry(MultiPolygon,4326),
	"boundary_source" text,
	CONSTRAINT "counties_kind_check" CHECK ("counties"."kind" in ('district', 'county', 'county_city', 'functional_zone')),
	CONSTRAINT "counties_geom_valid" CHECK ("counties"."geom" is null or ST_IsValid("counties"."geom")),
	CONSTRAINT "counties_seat_valid" CHECK (ST_IsValid("counties"."seat")),
	CONSTRAINT "counties_code_format" CHECK ("counties"."code" ~ '^([0-9]{6}|WF-FZ-[A-Z]{2,6})$')
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"parent_id" integer,
	"county_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code"),
	CONSTRAINT "departments_kind_check" CHECK ("departments"."kind" in ('ecology_environment', 'natural_resources', 'forestry', 'water', 'agriculture', 'county_government', 'other')),
	CONSTRAINT "departments_code_format" CHECK ("departments"."code" ~ '^[a-z0-9][a-z0-9-]{1,63}$')
);
--> statement-breakpoint
CREATE TABLE "area_zones" (
	"id" serial PRIMARY KEY NOT NULL,
	"area_id" integer NOT NULL,
	"scheme" text NOT NULL,
	"zone" text NOT NULL,
	"boundary_version" integer DEFAULT 1 NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "area_zones_scheme_zone_check" CHECK (("area_zones"."scheme" = 'legacy' and "area_zones"."zone" in ('core', 'buffer', 'experimental')) or ("area_zones"."scheme" = 'new' and "area_zones"."zone" in ('core', 'general_control'))),
	CONSTRAINT "area_zones_geom_valid" CHECK (ST_IsValid("area_zones"."geom") and not ST_IsEmpty("area_zones"."geom"))
);
--> statement-breakpoint
CREATE TABLE "protected_areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"category" text NOT NULL,
	"level" text NOT NULL,
	"county_code" text NOT NULL,
	"managing_body" text,
	"competent_department_id" integer,
	"established" text,
	"established_on" date,
	"established_precision" text,
	"reported_area_ha" numeric(12, 2),
	"published_point" geometry(Point,4326),
	"confidence" text NOT NULL,
	"source" text NOT NULL,
	"boundary_source" text NOT NULL,
	"boundary_version" integer DEFAULT 1 NOT NULL,
	"boundary_schematic" boolean DEFAULT true NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protected_areas_code_unique" UNIQUE("code"),
	CONSTRAINT "protected_areas_category_check" CHECK ("protected_areas"."category" in ('nature_reserve', 'forest_park', 'wetland_park', 'geopark', 'marine_special', 'marine_park', 'scenic_area', 'other')),
	CONSTRAINT "protected_areas_level_check" CHECK ("protected_areas"."level" in ('national', 'provincial', 'municipal', 'county')),
	CONSTRAINT "protected_areas_confidence_check" CHECK ("protected_areas"."confidence" in ('high', 'medium', 'low')),
	CONSTRAINT "protected_areas_precision_check" CHECK ("protected_areas"."established_precision" is null or "protected_areas"."established_precision" in ('day', 'month', 'year')),
	CONSTRAINT "protected_areas_reported_area_positive" CHECK ("protected_areas"."reported_area_ha" is null or "protected_areas"."reported_area_ha" > 0),
	CONSTRAINT "protected_areas_geom_valid" CHECK (ST_IsValid("protected_areas"."geom") and not ST_IsEmpty("protected_areas"."geom")),
	CONSTRAINT "protected_areas_published_point_valid" CHECK ("protected_areas"."published_point" is null or ST_IsValid("protected_areas"."published_point")),
	CONSTRAINT "protected_areas_boundary_version_positive" CHECK ("protected_areas"."boundary_version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "portal_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_parent_id_departments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "area_zones" ADD CONSTRAINT "area_zones_area_id_protected_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."protected_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_areas" ADD CONSTRAINT "protected_areas_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_areas" ADD CONSTRAINT "protected_areas_competent_department_id_departments_id_fk" FOREIGN KEY ("competent_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counties_geom_gist" ON "counties" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "area_zones_geom_gist" ON "area_zones" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "area_zones_area_id_btree" ON "area_zones" USING btree ("area_id");--> statement-breakpoint
CREATE INDEX "protected_areas_geom_gist" ON "protected_areas" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "protected_areas_county_code_btree" ON "protected_areas" USING btree ("county_code");