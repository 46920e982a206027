import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from './lib/clock.ts';

const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const portNumber = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const optionalUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
  .optional();

const minutes = z.coerce
  .number({ message: 'must be a number of minutes' })
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(525600, 'must be at most one year');

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** Every environment key the server reads, with its default; `.env.example` documents the same keys. */
export const configSchema = z.object({
  PORT: portNumber.default(8080),
  HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  DATABASE_URL: optionalUrl,
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./.data'),
  STORAGE_DIR: z.string().trim().min(1, 'must not be empty').optional(),
  LOG_LEVEL: z.enum(logLevels, { message: `must be one of ${logLevels.join(', ')}` }).default('info'),
  SEED_SAMPLE: booleanFlag.optional(),
  SEED_DEMO: booleanFlag.optional(),
  DEMO_PASSWORD: z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters').optional(),
  COOKIE_SECURE: booleanFlag.default(false),
  SESSION_IDLE_MINUTES: minutes.default(480),
  SESSION_ABSOLUTE_MINUTES: minutes.default(10080),
  TRUST_PROXY: booleanFlag.default(false),
  TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Shanghai').default(DEFAULT_TIME_ZONE),
  ESCALATE_AFTER_DAYS: z.coerce.number({ message: 'must be a number of days' }).int('must be a whole number of days').min(1, 'must be at least 1').max(365, 'must be at most 365').default(30),
  UPLOAD_MAX_MB: z.coerce.number({ message: 'must be a number' }).positive('must be more than 0').max(500, 'must be at most 500').default(20),
  JSON_BODY_MAX_KB: wholeNumber(1, 102400).default(1024),
  STATEMENT_TIMEOUT_MS: wholeNumber(100, 600000).default(5000),
  LONG_STATEMENT_TIMEOUT_MS: wholeNumber(1000, 3600000).default(120000),
  DATABASE_POOL_MAX: wholeNumber(1, 200).default(10),
  DATABASE_POOL_WAIT_MS: wholeNumber(10, 600000).default(3000),
});

export type LogLevel = (typeof logLevels)[number];

/** The validated configuration the server runs with. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  storageDir: string;
  logLevel: LogLevel;
  /** Load the bundled sample data into an empty database (default: on for PGlite, off for PostgreSQL). */
  seedSample: boolean;
  /** Create the demo accounts (default: with the sample data on PGlite; with PostgreSQL only when asked). */
  seedDemo: boolean;
  /** Password of the demo accounts; generated and printed once when unset. */
  demoPassword: string | undefined;
  /** Mark the session cookie Secure (set behind HTTPS). */
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteMinutes: number;
  /** Take the client address and host from X-Forwarded-For / X-Forwarded-Host (only behind a proxy you run). */
  trustProxy: boolean;
  /** A finding overdue by more than this many days is escalated (督办). */
  escalateAfterDays: number;
  /** Zone whose calendar decides "today", deadlines and period edges (IANA name). */
  timeZone: string;
  /** Largest accepted upload (tracks, photos, documents), in MiB. */
  uploadMaxMb: number;
  /** Largest accepted request body other than an upload, in KiB. */
  jsonBodyMaxKb: number;
  /** Longest a statement of a request may run before it is cancelled (503). */
  statementTimeoutMs: number;
  /** Limit of named heavy jobs and of work outside requests (start-up seeding, scripts). */
  longStatementTimeoutMs: number;
  /** Connections in the PostgreSQL pool. */
  databasePoolMax: number;
  /** Longest a request waits for a free pool connection before it answers 503. */
  databasePoolWaitMs: number;
}

/** Thrown when the environment has bad values; the message lists every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates configuration from an environment object (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty value (KEY= in .env) means "use the default", as .env.example shows.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(environment)');
      // A connection URL may carry a password: never echo it.
      const shown = key === 'DATABASE_URL' || key === 'DEMO_PASSWORD' ? '(value hidden)' : JSON.stringify(env[key] ?? '');
      return `${key}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const v = parsed.data;
  const dataDir = v.DATA_DIR;
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    dataDir,
    storageDir: v.STORAGE_DIR ?? `${dataDir.replace(/\/+$/, '')}/files`,
    logLevel: v.LOG_LEVEL,
    seedSample: v.SEED_SAMPLE ?? v.DATABASE_URL === undefined,
    seedDemo: v.SEED_DEMO ?? v.DATABASE_URL === undefined,
    demoPassword: v.DEMO_PASSWORD,
    cookieSecure: v.COOKIE_SECURE,
    sessionIdleMinutes: v.SESSION_IDLE_MINUTES,
    sessionAbsoluteMinutes: v.SESSION_ABSOLUTE_MINUTES,
    trustProxy: v.TRUST_PROXY,
    uploadMaxMb: v.UPLOAD_MAX_MB,
    jsonBodyMaxKb: v.JSON_BODY_MAX_KB,
    statementTimeoutMs: v.STATEMENT_TIMEOUT_MS,
    longStatementTimeoutMs: v.LONG_STATEMENT_TIMEOUT_MS,
    databasePoolMax: v.DATABASE_POOL_MAX,
    databasePoolWaitMs: v.DATABASE_POOL_WAIT_MS,
    escalateAfterDays: v.ESCALATE_AFTER_DAYS,
    timeZone: v.TIME_ZONE,
  };
}
