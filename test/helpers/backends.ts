/**
 * Runs a suite once per database backend: always embedded PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set. Each test file gets its own fresh copy of the seeded database.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { openPglite, openPostgres, type BackendKind, type Database } from '../../server/db/backend.ts';
import { createLogger } from '../../server/lib/log.ts';
import { client, signIn } from './auth.ts';
import { withDatabase } from './fixtures.ts';

export { DEMO_PASSWORD_FOR_TESTS } from './fixtures.ts';

/** Configuration for tests: defaults, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // trustProxy lets each test choose its client address (X-Forwarded-For) for sign-in throttling.
  return { ...loadConfig({ LOG_LEVEL: 'silent' }), trustProxy: true, ...overrides };
}

/** What a backend suite receives: the open database, the app wired to it, and signed-in clients. */
export interface TestContext {
  kind: BackendKind;
  database: Database;
  app: ReturnType<typeof createApp>;
  /** A request function signed in as a demo account (one session per account, made on first use). */
  as(username: string): Promise<ReturnType<typeof client>>;
}

/** Opens a fresh copy of the seeded PGlite database (in memory). */
export async function freshPglite(): Promise<{ database: Database; dispose: () => Promise<void> }> {
  const snapshot = await readFile(inject('pgliteSnapshot'));
  const database = await openPglite(undefined, { loadDataDir: new Blob([snapshot]) });
  return { database, dispose: () => database.close() };
}

/** Creates a fresh PostgreSQL database from the seeded template; dropped on dispose. */
export async function freshPostgres(url: string): Promise<{ database: Database; dispose: () => Promise<void> }> {
  const template = inject('postgresTemplate');
  if (!template) throw new Error('the PostgreSQL template was not prepared (global setup)');
  const name = `portal_test_${randomBytes(5).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  const database = await openPostgres(withDatabase(url, name), { max: 4 });
  return {
    database,
    dispose: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

const pgUrl = process.env.TEST_DATABASE_URL;

/** Declares `suite` once per backend; the PostgreSQL run is reported as skipped, with why, when no URL is set. */
export function describeEachBackend(title: string, suite: (ctx: () => TestContext) => void) {
  describeOn(['pglite', 'postgres'], title, suite);
}

/**
 * Declares `suite` on PostgreSQL only (a pool of four connections), for races PGlite's one connection
 * cannot have; reported as skipped, with why, when no URL is set.
 */
export function describeOnPostgres(title: string, suite: (ctx: () => TestContext) => void) {
  describeOn(['postgres'], title, suite);
}

function describeOn(kinds: BackendKind[], title: string, suite: (ctx: () => TestContext) => void) {
  const all: { kind: BackendKind; label: string; skipReason: string | null; open: () => ReturnType<typeof freshPglite> }[] = [
    { kind: 'pglite', label: 'PGlite', skipReason: null, open: freshPglite },
    {
      kind: 'postgres',
      label: 'PostgreSQL',
      skipReason: pgUrl ? null : 'TEST_DATABASE_URL is not set',
      open: () => freshPostgres(pgUrl!),
    },
  ];
  const backends = all.filter((b) => kinds.includes(b.kind));
  for (const backend of backends) {
    const name = backend.skipReason ? `${title} [${backend.label}] — skipped: ${backend.skipReason}` : `${title} [${backend.label}]`;
    describe.skipIf(backend.skipReason !== null)(name, () => {
      let current: TestContext | null = null;
      let dispose: (() => Promise<void>) | null = null;
      beforeAll(async () => {
        const opened = await backend.open();
        dispose = opened.dispose;
        const app = createApp({ database: opened.database, config: testConfig(), log: createLogger('silent') });
        const sessions = new Map<string, Promise<string>>();
        current = {
          kind: backend.kind,
          database: opened.database,
          app,
          as: async (username) => {
            if (!sessions.has(username)) sessions.set(username, signIn(app, username));
            return client(app, await sessions.get(username)!);
          },
        };
      });
      afterAll(async () => {
        await dispose?.();
      });
      suite(() => {
        if (!current) throw new Error('database not open');
        return current;
      });
    });
  }
}
