import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and applied from code on both backends (server/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './migrations',
});
