/**
 * `npm run backup [-- --out FILE]` writes the embedded database (DATA_DIR/pgdata) and the storage
 * folder (STORAGE_DIR) to one .tar.gz with a manifest (portal version, migration level, time, and
 * the SHA-256 of every file). The portal must be stopped: PGlite keeps its pages in the running
 * process, so files copied beside it would not be a consistent database.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { pack, type Pack } from 'tar-stream';
import { openPglite, rootMessage } from '../db/backend.ts';
import { portalVersion } from '../lib/version.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  CliError,
  MANIFEST_NAME,
  cliConfig,
  exitWith,
  fromCallerDir,
  lockForMaintenance,
  migrationLevel,
  parseCli,
  pgdataOf,
  postgresInstructions,
  sha256File,
  walk,
  type FoundFile,
  type Manifest,
} from './backup-archive.ts';

const usage = 'usage: npm run backup [-- --out FILE.tar.gz]';

/** Inside `dir` (or `dir` itself)? */
const isWithin = (file: string, dir: string) => {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Streams one file into the archive, failing if its bytes are not those the manifest lists. */
async function addFile(archive: Pack, file: FoundFile, sha256: string): Promise<void> {
  const hash = createHash('sha256');
  let entry!: ReturnType<Pack['entry']>;
  const added = new Promise<void>((resolve, reject) => {
    entry = archive.entry({ name: file.path, size: file.size, mode: file.mode, mtime: new Date(0), type: 'file' }, (err) => (err ? reject(err) : resolve()));
  });
  for await (const chunk of createReadStream(file.source)) {
    hash.update(chunk as Buffer);
    if (!entry.write(chunk)) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
  }
  entry.end(null);
  await added;
  if (hash.digest('hex') !== sha256) {
    throw new CliError(`备份期间 ${file.source} 被改动，备份已放弃。`, `${file.source} changed during the backup; the backup was abandoned.`);
  }
}

async function main() {
  const { values, positionals } = parseCli({ options: { out: { type: 'string' } }, allowPositionals: true, strict: true }, usage);
  if (positionals.length > 1 || (positionals.length === 1 && values.out)) throw new CliError(`只能指定一个备份文件。\n${usage}`, 'Name one archive only.');
  const config = cliConfig();
  if (config.databaseUrl) throw postgresInstructions(config, 'backup');

  const pgdata = pgdataOf(config);
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    throw new CliError(`${pgdata} 中没有内嵌数据库，没有可备份的内容（请检查 DATA_DIR）。`, `There is no embedded database in ${pgdata}: nothing to back up (check DATA_DIR).`);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const out = fromCallerDir(values.out ?? positionals[0] ?? `portal-backup-${stamp}.tar.gz`);
  if (existsSync(out)) throw new CliError(`${out} 已存在，不会覆盖。`, `${out} already exists; it is not overwritten.`);
  if (!existsSync(path.dirname(out))) throw new CliError(`目录 ${path.dirname(out)} 不存在。`, `The folder ${path.dirname(out)} does not exist.`);
  if (isWithin(out, pgdata) || isWithin(out, config.storageDir)) {
    throw new CliError(`备份文件不能写在数据库目录或存储目录内：${out}`, `The archive cannot be written inside the database or storage folder: ${out}`);
  }

  const unlock = await lockForMaintenance(config.dataDir, { zh: '运行备份', en: 'run the backup' });
  const partial = `${out}.partial`;
  try {
    // Opening and closing once replays any unfinished shutdown and leaves the folder checkpointed.
    const database = await openPglite(pgdata).catch((err) => {
      throw new CliError(`${pgdata} 中的数据库无法打开（${rootMessage(err)}）。`, `The database in ${pgdata} does not open (${rootMessage(err)}).`);
    });
    let migrations;
    let postgresVersion: string;
    try {
      migrations = await migrationLevel(database);
      [{ postgresVersion }] = await database.rows<{ postgresVersion: string }>(sql`select current_setting('server_version') as "postgresVersion"`);
    } finally {
      await database.close();
    }

    const db = await walk(pgdata, 'database');
    // `*.tmp` in the storage folder are uploads a stopped process never finished; they are no one's file.
    const storage = existsSync(config.storageDir) ? await walk(config.storageDir, 'files', (name) => name.endsWith('.tmp')) : { directories: [], files: [] };
    const files = [...db.files, ...storage.files];
    const hashes = new Map<string, string>();
    for (const file of files) hashes.set(file.path, await sha256File(file.source));

    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      portalVersion,
      postgresVersion,
      createdAt: new Date().toISOString(),
      migrations,
      directories: [...db.directories, ...storage.directories],
      files: files.map((f) => ({ path: f.path, size: f.size, sha256: hashes.get(f.path)!, mode: f.mode })),
    };

    const archive = pack();
    const handle = await open(partial, 'w');
    const archiveHash = createHash('sha256');
    // tar-stream's streams are streamx, not Node streams: Readable.from reads it as an async iterable.
    const written = pipeline(
      Readable.from(archive),
      createGzip(),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          archiveHash.update(chunk);
          done(null, chunk);
        },
      }),
      handle.createWriteStream(),
    );
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    archive.entry({ name: MANIFEST_NAME, size: manifestBytes.length, mode: 0o644, mtime: new Date(manifest.createdAt) }, manifestBytes);
    for (const dir of manifest.directories) archive.entry({ name: dir, type: 'directory', mode: 0o755, mtime: new Date(0) });
    for (const file of files) await addFile(archive, file, hashes.get(file.path)!);
    archive.finalize();
    await written;

    // The archive is complete on disk before it takes its final name.
    const synced = await open(partial, 'r+');
    await synced.sync();
    await synced.close();
    await rename(partial, out);

    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    const summary = `${db.files.length} database files, ${storage.files.length} stored files, ${(bytes / 1048576).toFixed(1)} MiB before compression`;
    process.stdout.write(
      `备份完成：${out}\nBackup written: ${out}\n  ${summary}; migrations: ${migrations.applied} (${migrations.latest ?? 'none'})\n  SHA-256 of the archive: ${archiveHash.digest('hex')}\n`,
    );
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await unlock();
  }
}

main().catch(exitWith);
