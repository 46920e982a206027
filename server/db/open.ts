/** Opens the configured database, migrated and (when asked) seeded; used by the server and scripts. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../lib/log.ts';
import { DatabaseSetupError, openPglite, openPostgres, type Database } from './backend.ts';
import { seedSampleFindings } from './seed-findings.ts';
import { seedSampleInspections } from './seed-inspections.ts';
import { namedDemoAccounts, seedDemoAccounts, seedSampleData } from './seed.ts';

/** PGlite has no lock of its own on its folder; two processes on one folder would corrupt it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'portal.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DatabaseSetupError(
          `The data folder ${dataDir} is in use by another portal process (pid ${pid}); stop it first or set DATA_DIR to another folder.`,
        );
      }
      await rm(lockFile, { force: true }); // left behind by a process that no longer runs
    }
  }
  throw new DatabaseSetupError(`Could not lock the data folder ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Loads what an empty database should start with: the sample areas, the demo accounts, then the
 * sample inspections and findings (whose history is recorded by the demo accounts). Each step does
 * nothing when its data is already there, so every start may call this.
 */
async function seedOnStart(database: Database, config: Config, log: Logger) {
  if (config.seedSample) {
    const result = await seedSampleData(database);
    if (result.seeded) {
      log.info(
        `loaded the sample data: ${result.areas} protected areas, ${result.zones} zones, ${result.counties} counties, ${result.departments} departments`,
      );
    } else {
      log.info(`sample data not loaded again: ${result.reason}`);
    }
  }
  if (config.seedDemo) {
    // A generated password is printed this once; later starts find the accounts and print nothing.
    const password = config.demoPassword ?? randomBytes(9).toString('base64url');
    const created = await seedDemoAccounts(database, password);
    const listed = demoAccountList(created);
    if (created.length > 0 && config.demoPassword) {
      log.info(`created demo accounts ${listed} with the password from DEMO_PASSWORD`);
    } else if (created.length > 0) {
      // Written whatever LOG_LEVEL says: without it nobody could sign in.
      process.stdout.write(
        `\n  Demo accounts ${listed} were created with the password:  ${password}\n` +
          `  It is shown only this once. Set DEMO_PASSWORD before the first start to choose it.\n\n`,
      );
    }
  }
  if (config.seedSample) {
    const inspections = await seedSampleInspections(database);
    if (inspections.seeded) log.info(`loaded ${inspections.inspections} sample joint inspections with ${inspections.tracks} tracks`);
    if (config.seedDemo) {
      const findings = await seedSampleFindings(database, { storageDir: config.storageDir });
      if (findings.seeded) log.info(`loaded ${findings.findings} sample findings with their history`);
    } else {
      log.info('sample findings not loaded: their history is recorded by the demo accounts (set SEED_DEMO=true)');
    }
  }
}

/** Opens, migrates and seeds the database the configuration names; returns it with a closer. */
export async function openConfiguredDatabase(config: Config, log: Logger): Promise<Database> {
  let database: Database;
  let unlock: (() => Promise<void>) | null = null;
  if (config.databaseUrl) {
    database = await openPostgres(config.databaseUrl, {
      max: config.databasePoolMax,
      poolWaitMs: config.databasePoolWaitMs,
      longStatementTimeoutMs: config.longStatementTimeoutMs,
    });
  } else {
    unlock = await lockDataDir(config.dataDir);
    try {
      database = await openPglite(path.join(config.dataDir, 'pgdata'));
    } catch (err) {
      await unlock();
      throw err;
    }
  }
  try {
    await database.migrate();
    await seedOnStart(database, config, log);
  } catch (err) {
    await database.close().catch(() => {});
    await unlock?.();
    throw err;
  }
  const close = database.close;
  database.close = async () => {
    await close();
    await unlock?.();
  };
  return database;
}

/** The created demo accounts for the start-up message: the named ones, then how many department officers. */
function demoAccountList(created: readonly string[]): string {
  const named = new Set(namedDemoAccounts.map((a) => a.username));
  const shown = created.filter((u) => named.has(u));
  const officers = created.length - shown.length;
  if (officers === 0) return shown.join(', ');
  return `${shown.join(', ')} (and ${officers} department officers named by department code, e.g. gov-linqu)`;
}
