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

/** A comma-separated, strictly increasing list of whole numbers within [min, max] (e.g. "6,12"). */
const increasingList = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'must be whole numbers separated by commas, e.g. 6,12')
    .transform((v) => v.split(',').map((n) => Number(n.trim())))
    .refine((list) => list.every((n) => n >= min && n <= max), `each number must be between ${min} and ${max}`)
    .refine((list) => list.every((n, i) => i === 0 || n > list[i - 1]), 'numbers must increase');

const acceptanceLevels = ['county', 'city', 'province'] as const;

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
  UPLOAD_MAX_MB: z.coerce.number({ message: 'must be a number' }).positive('must be more than 0').max(500, 'must be at most 500').default(20),
  JSON_BODY_MAX_KB: wholeNumber(1, 102400).default(1024),
  STATEMENT_TIMEOUT_MS: wholeNumber(100, 600000).default(5000),
  LONG_STATEMENT_TIMEOUT_MS: wholeNumber(1000, 3600000).default(120000),
  DATABASE_POOL_MAX: wholeNumber(1, 200).default(10),
  DATABASE_POOL_WAIT_MS: wholeNumber(10, 600000).default(3000),
  PUBLICITY_DAYS: wholeNumber(1, 90).default(7),
  PUBLICITY_OBJECTIONS_TO: z.string().trim().min(4, 'must say how and where to object').max(500, 'must be at most 500 characters').optional(),
  ACCEPTANCE_LEVELS: z
    .string()
    .trim()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .refine((list) => list.every((l) => (acceptanceLevels as readonly string[]).includes(l)), `each level must be one of ${acceptanceLevels.join(', ')}`)
    .refine((list) => list.includes('city'), 'must include city (市级验收)')
    .refine((list) => list.every((l, i) => i === 0 || acceptanceLevels.indexOf(l as never) > acceptanceLevels.indexOf(list[i - 1] as never)), 'levels must be in the order county, city, province')
    .default(['county', 'city'])
    .transform((list) => list as Array<(typeof acceptanceLevels)[number]>),
  RECHECK_MONTHS: increasingList(1, 60).default([6, 12]),
  SUPERVISION_DAYS: increasingList(1, 730)
    .refine((list) => list.length === 3, 'must be three numbers of days: 通报, 约谈, 挂牌督办 (e.g. 30,60,90)')
    .default([30, 60, 90]),
  CLUE_DISPATCH_DAYS: wholeNumber(1, 90).default(5),
  VERIFY_DAYS: wholeNumber(1, 180).default(15),
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
  /** Length of the 公示 before a finding may be closed, in days. */
  publicityDays: number;
  /** How and where the public objects to a 公示, as the notice says it (e.g. the office's address); unset: generic wording. */
  publicityObjectionsTo: string | undefined;
  /** Acceptance levels in order: county self-check, city acceptance, optional provincial spot check. */
  acceptanceLevels: Array<'county' | 'city' | 'province'>;
  /** 回头看: months after closing at which a re-check task falls due. */
  recheckMonths: number[];
  /** Days overdue at which 通报, 约谈 and 挂牌督办 are issued; from the first a finding counts as escalated (督办). */
  supervisionDays: number[];
  /** Days a coordinator has to dispatch a clue that no batch gives a deadline. */
  clueDispatchDays: number;
  /** Default days for verifying a clue once dispatched. */
  verifyDays: number;
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
    publicityDays: v.PUBLICITY_DAYS,
    publicityObjectionsTo: v.PUBLICITY_OBJECTIONS_TO,
    acceptanceLevels: v.ACCEPTANCE_LEVELS,
    recheckMonths: v.RECHECK_MONTHS,
    supervisionDays: v.SUPERVISION_DAYS,
    clueDispatchDays: v.CLUE_DISPATCH_DAYS,
    verifyDays: v.VERIFY_DAYS,
    longStatementTimeoutMs: v.LONG_STATEMENT_TIMEOUT_MS,
    databasePoolMax: v.DATABASE_POOL_MAX,
    databasePoolWaitMs: v.DATABASE_POOL_WAIT_MS,
    timeZone: v.TIME_ZONE,
  };
}
