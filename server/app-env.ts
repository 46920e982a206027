import type { Config } from './config.ts';
import type { Database } from './db/backend.ts';
import type { Logger } from './lib/log.ts';

/** What every handler finds on the context: the database, configuration and logger of this process. */
export interface AppEnv {
  Variables: {
    database: Database;
    config: Config;
    log: Logger;
  };
}
