/**
 * What `npm run backup` and `npm run restore` share: the archive's layout and manifest, the
 * migration level of a data folder, the lock on DATA_DIR, and errors worded in Chinese and English.
 *
 * An archive is one gzipped tar: `manifest.json` first, then `database/…` (the PGlite data folder,
 * DATA_DIR/pgdata, taken while no portal runs on it) and `files/…` (the storage folder, STORAGE_DIR).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DatabaseSetupError, migrationsFolder, type Database } from '../db/backend.ts';
import { lockDataDir } from '../db/open.ts';

export const MANIFEST_NAME = 'manifest.json';
export const ARCHIVE_FORMAT = 'weifang-pa-portal-backup';
/** Raised by the archive layout; a reader refuses an archive of a newer layout than it knows. */
export const ARCHIVE_FORMAT_VERSION = 1;

/** A failure the operator can act on, said in Chinese first, then in English. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh}\n${en}`);
  }
}

/** A path inside the archive: relative, slash-separated, never leaving its folder. */
const entryPath = z
  .string()
  .regex(/^(database|files)(\/[^/\\\0]+)+$/, 'not a database/ or files/ path')
  .refine((p) => !p.split('/').some((part) => part === '.' || part === '..'), 'must not contain . or ..');

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().min(1),
  portalVersion: z.string(),
  /** The embedded PostgreSQL's version: its major version decides whether a data folder opens. */
  postgresVersion: z.string(),
  createdAt: z.iso.datetime(),
  migrations: z.object({ applied: z.number().int().min(0), latest: z.string().nullable() }),
  directories: z.array(entryPath),
  files: z.array(z.object({ path: entryPath, size: z.number().int().min(0), sha256: sha256Hex, mode: z.number().int() })),
});

/** The manifest written first into every archive. */
export type Manifest = z.infer<typeof manifestSchema>;

/** Where the embedded database lives inside DATA_DIR. */
export const pgdataOf = (config: Config) => path.join(config.dataDir, 'pgdata');

/** Which migrations a database has applied: how many, and the tag of the last one (from the journal). */
export interface MigrationLevel {
  applied: number;
  latest: string | null;
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this code knows, in order. */
export async function journal(): Promise<JournalEntry[]> {
  const parsed = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return parsed.entries;
}

/** Reads the migration level from drizzle's bookkeeping table (which records each journal entry's `when`). */
export async function migrationLevel(database: Database): Promise<MigrationLevel> {
  const [exists] = await database.rows<{ present: boolean }>(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!exists?.present) return { applied: 0, latest: null };
  const applied = await database.rows<{ created_at: string | number }>(sql`select created_at from drizzle.__drizzle_migrations order by created_at`);
  if (applied.length === 0) return { applied: 0, latest: null };
  const last = Number(applied[applied.length - 1]!.created_at);
  const entry = (await journal()).find((e) => e.when === last);
  return { applied: applied.length, latest: entry?.tag ?? `unknown (${last})` };
}

/** Reads the configuration as the portal does (a .env beside package.json counts), in both languages on failure. */
export function cliConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`配置有误：\n${err.problems.map((p) => `  - ${p}`).join('\n')}`, err.message);
    throw err;
  }
}

/** An archive path as the operator typed it: npm runs scripts in the package folder, INIT_CWD is where they were. */
export function fromCallerDir(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

/** Takes DATA_DIR's lock, or says which running portal holds it. */
export async function lockForMaintenance(dataDir: string, what: { zh: string; en: string }): Promise<() => Promise<void>> {
  try {
    return await lockDataDir(dataDir);
  } catch (err) {
    if (!(err instanceof DatabaseSetupError)) throw err;
    const lockFile = path.join(dataDir, 'portal.lock');
    const pid = (await readFile(lockFile, 'utf8').catch(() => '')).trim() || '?';
    throw new CliError(
      `门户正在使用数据目录 ${dataDir}（锁文件 ${lockFile}，进程 ${pid}）。内嵌数据库运行时无法得到一致的副本：请先停止门户，再${what.zh}。`,
      `The portal is running on ${dataDir} (lock file ${lockFile}, pid ${pid}). The embedded database cannot be copied consistently while it runs: stop the portal, then ${what.en} again.`,
    );
  }
}

/** One regular file found under a folder, with its archive path. */
export interface FoundFile {
  source: string;
  path: string;
  size: number;
  mode: number;
}

/**
 * Lists a folder for the archive: every directory (PostgreSQL needs its empty ones, e.g. pg_tblspc)
 * and every regular file, sorted, under `prefix`. `skip` leaves out names that are not data.
 */
export async function walk(root: string, prefix: string, skip: (name: string) => boolean = () => false): Promise<{ directories: string[]; files: FoundFile[] }> {
  const directories: string[] = [];
  const files: FoundFile[] = [];
  async function visit(dir: string, rel: string) {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (skip(entry.name)) continue;
      const source = path.join(dir, entry.name);
      const archived = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        directories.push(archived);
        await visit(source, archived);
      } else if (entry.isFile()) {
        const info = await stat(source);
        files.push({ source, path: archived, size: info.size, mode: info.mode & 0o777 });
      } else {
        throw new CliError(`${source} 不是普通文件或目录，无法备份。`, `${source} is neither a regular file nor a folder; it cannot be backed up.`);
      }
    }
  }
  await visit(root, prefix);
  return { directories, files };
}

/** SHA-256 of a file on disk, in hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The pg_dump / pg_restore commands an operator on PostgreSQL uses instead, with the storage folder. */
export function postgresInstructions(config: Config, direction: 'backup' | 'restore'): CliError {
  const storage = path.resolve(config.storageDir);
  if (direction === 'backup') {
    const commands = `  pg_dump -Fc -d "$DATABASE_URL" -f portal.dump\n  tar -czf portal-files.tar.gz -C ${storage} .`;
    return new CliError(
      `已设置 DATABASE_URL：数据库在 PostgreSQL 上，本命令只备份内嵌数据库。请用 pg_dump 备份数据库，并另行打包存储目录：\n${commands}`,
      `DATABASE_URL is set: the database is on PostgreSQL, and this command only backs up the embedded database. Back it up with pg_dump and archive the storage folder:\n${commands}`,
    );
  }
  const commands = `  pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" portal.dump\n  mkdir -p ${storage} && tar -xzf portal-files.tar.gz -C ${storage}`;
  return new CliError(
    `已设置 DATABASE_URL：数据库在 PostgreSQL 上，本命令只恢复内嵌数据库。请用 pg_restore 恢复数据库，并解包存储目录：\n${commands}`,
    `DATABASE_URL is set: the database is on PostgreSQL, and this command only restores the embedded database. Restore it with pg_restore and unpack the storage folder:\n${commands}`,
  );
}

/** Parses the command line, turning a bad option into the usage in both languages. */
export function parseCli<T extends ParseArgsConfig>(options: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(options);
  } catch (err) {
    throw new CliError(`参数有误：${(err as Error).message}\n${usage}`, `Bad arguments: ${(err as Error).message}`);
  }
}

/** Prints a CLI failure (both languages) and exits non-zero. */
export function exitWith(err: unknown): never {
  if (err instanceof CliError) process.stderr.write(`${err.zh}\n${err.en}\n`);
  else process.stderr.write(`出错了 / Failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}
