-- Throttling counts each attempt before the password is checked, and a count now lasts until a quiet
-- spell after the last attempt rather than a window from the first, so the column says what it holds.
ALTER TABLE "login_throttle" RENAME COLUMN "window_started_at" TO "last_attempt_at";
--> statement-breakpoint
ALTER TABLE "login_throttle" ADD CONSTRAINT "login_throttle_failures_check" CHECK ("failures" >= 0);
--> statement-breakpoint
-- Rows counted under the old rule would lock under the new one with a different meaning; start afresh.
DELETE FROM "login_throttle";
