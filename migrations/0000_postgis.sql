-- PostGIS must exist before any geometry column. On a managed or Debian PostgreSQL only a superuser
-- may create it; server/db/migrate.ts checks first and tells the operator what to run.
CREATE EXTENSION IF NOT EXISTS postgis;
