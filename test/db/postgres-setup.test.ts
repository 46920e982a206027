/** On PostgreSQL, a database without PostGIS that the role cannot fix stops the portal with one clear sentence. */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { DatabaseSetupError, openPostgres } from '../../server/db/backend.ts';
import { withDatabase } from '../helpers/fixtures.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)(url ? 'PostGIS missing on PostgreSQL' : 'PostGIS missing on PostgreSQL — skipped: TEST_DATABASE_URL is not set', () => {
  it('names the SQL a superuser must run', async () => {
    const suffix = randomBytes(4).toString('hex');
    const role = `portal_plain_${suffix}`;
    const dbName = `portal_noext_${suffix}`;
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role "${role}" login password 'plain'`);
    await admin.unsafe(`create database "${dbName}" owner "${role}" template template0`);
    const u = new URL(withDatabase(url!, dbName));
    u.username = role;
    u.password = 'plain';
    const database = await openPostgres(u.toString(), { max: 1 });
    try {
      const error = await database.migrate().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseSetupError);
      expect((error as Error).message).toMatch(
        new RegExp(`^PostGIS is missing in database "${dbName}" and the connecting role may not create it: a superuser must run  CREATE EXTENSION postgis;  in that database, then start the portal again \\(the server said: permission denied to create extension "postgis"\\)\\.$`),
      );
    } finally {
      await database.close();
      await admin.unsafe(`drop database "${dbName}" with (force)`);
      await admin.unsafe(`drop role "${role}"`);
      await admin.end();
    }
  });
});
