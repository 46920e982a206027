-- The same file imported twice before this rule existed: the later copies (and the checkpoints they brought) are
-- soft-deleted, so the unique indexes below can be built; the first import stays.
UPDATE "inspection_checkpoints" c SET "deleted_at" = now()
WHERE c."deleted_at" IS NULL AND c."track_id" IN (
  SELECT t."id" FROM "inspection_tracks" t
  WHERE t."deleted_at" IS NULL AND EXISTS (
    SELECT 1 FROM "inspection_tracks" o
    WHERE o."inspection_id" = t."inspection_id" AND o."sha256" = t."sha256" AND o."deleted_at" IS NULL AND o."id" < t."id"));
--> statement-breakpoint
UPDATE "inspection_tracks" t SET "deleted_at" = now()
WHERE t."deleted_at" IS NULL AND EXISTS (
  SELECT 1 FROM "inspection_tracks" o
  WHERE o."inspection_id" = t."inspection_id" AND o."sha256" = t."sha256" AND o."deleted_at" IS NULL AND o."id" < t."id");
--> statement-breakpoint
UPDATE "attachments" a SET "deleted_at" = now()
WHERE a."deleted_at" IS NULL AND EXISTS (
  SELECT 1 FROM "attachments" o
  WHERE o."owner_type" = a."owner_type" AND o."owner_id" = a."owner_id" AND o."sha256" = a."sha256" AND o."deleted_at" IS NULL AND o."id" < a."id");
--> statement-breakpoint
-- One live copy of a file per owner: two concurrent uploads of the same file cannot both be stored.
CREATE UNIQUE INDEX "inspection_tracks_inspection_id_sha256_unique" ON "inspection_tracks" USING btree ("inspection_id", "sha256") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "attachments_owner_sha256_unique" ON "attachments" USING btree ("owner_type", "owner_id", "sha256") WHERE "deleted_at" IS NULL;
