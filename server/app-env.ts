import type { Config } from './config.ts';
import type { Database } from './db/backend.ts';
import type { Actor } from './features/auth/roles.ts';
import type { Logger } from './lib/log.ts';

/** What every handler finds on the context: the database, configuration, logger and the signed-in person. */
export interface AppEnv {
  Variables: {
    database: Database;
    config: Config;
    log: Logger;
    /** Null on public routes without a session; set on every route that requires one. */
    actor: Actor | null;
  };
}
