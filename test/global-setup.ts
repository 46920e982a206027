import type { TestProject } from 'vitest/node';
import { webDistDir } from '../server/app.ts';
import { createLogger } from '../server/lib/log.ts';
import { ensureWebBuild } from '../server/web-build.ts';
import { findChromium } from './helpers/chromium.ts';
import { fixtureVersion, preparePgliteSnapshot, preparePostgresTemplate } from './helpers/fixtures.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string | null;
  }
}

/** Checks the environment, builds the web app and the seeded databases every test file copies. */
async function prepare(): Promise<{ snapshot: string; template: string | null }> {
  const required = process.env.E2E_REQUIRED === '1';
  const url = process.env.TEST_DATABASE_URL;
  if (required && !url) throw new Error('E2E_REQUIRED=1 but TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run.');
  if (required && !findChromium()) {
    throw new Error(`E2E_REQUIRED=1 but no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}: the browser tests cannot run.`);
  }
  // Built once here so the test files that serve the web app never build it concurrently.
  await ensureWebBuild(webDistDir, createLogger('warn'));
  const version = await fixtureVersion();
  const [snapshot, template] = await Promise.all([
    preparePgliteSnapshot(version),
    url ? preparePostgresTemplate(url, version) : Promise.resolve(null),
  ]);
  return { snapshot, template };
}

const once = Symbol.for('weifang-pa-portal.test-fixtures');
type WithFixtures = typeof globalThis & { [once]?: ReturnType<typeof prepare> };

/**
 * Vitest calls this for the root and for each project (db, e2e), each with its own module copy;
 * the work is shared through globalThis, so it is done once per run.
 */
export default async function setup(project: TestProject) {
  const holder = globalThis as WithFixtures;
  holder[once] ??= prepare();
  const { snapshot, template } = await holder[once];
  project.provide('pgliteSnapshot', snapshot);
  project.provide('postgresTemplate', template);
}
