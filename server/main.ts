/** Entry point of `npm start`: configuration, database, web build, HTTP server. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp, webDistDir } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseSetupError } from './db/backend.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { createLogger } from './lib/log.ts';
import { ensureWebBuild } from './web-build.ts';
import { startSupervisionSweeps } from './features/supervision/supervision.service.ts';

async function main() {
  // A .env file beside package.json is read like the environment (keys already set win).
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every key and its default.\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const started = Date.now();

  const database = await openConfiguredDatabase(config, log);
  log.info(
    database.kind === 'pglite'
      ? `database: embedded PGlite + PostGIS in ${path.resolve(config.dataDir, 'pgdata')}`
      : `database: PostgreSQL + PostGIS at ${database.location}`,
  );

  await ensureWebBuild(webDistDir, log);

  const app = createApp({ database, config, log });
  // 督办 notices fall due by the calendar, not by requests: swept now and every hour.
  const stopSweeps = startSupervisionSweeps(database, config, log);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    log.info(`portal ready in ${((Date.now() - started) / 1000).toFixed(1)} s at http://${host}:${config.port}/`);
  });
  server.on('error', async (err: NodeJS.ErrnoException) => {
    log.error(
      err.code === 'EADDRINUSE' ? `port ${config.port} is already in use: stop the other program or set PORT` : String(err),
    );
    await database.close().catch(() => {});
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    server.close();
    await stopSweeps();
    // PGlite writes its folder on close; closing cleanly keeps the data safe.
    await database.close().catch((err) => log.error('closing the database failed', { error: String(err) }));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof DatabaseSetupError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`The portal could not start: ${(err as Error).stack ?? err}\n`);
  }
  process.exit(1);
});
