ALTER TABLE "protected_areas" ADD COLUMN "managing_department_id" integer;
--> statement-breakpoint
ALTER TABLE "protected_areas" ADD CONSTRAINT "protected_areas_managing_department_id_departments_id_fk" FOREIGN KEY ("managing_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "protected_areas_managing_department_id_btree" ON "protected_areas" USING btree ("managing_department_id");
