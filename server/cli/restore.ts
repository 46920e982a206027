/**
 * `npm run restore -- FILE.tar.gz` brings a backup made by `npm run backup` back into an empty
 * DATA_DIR (and STORAGE_DIR). Every file is checked against the manifest's SHA-256 as it is
 * written, and the database is opened once before it takes its place, so a damaged archive leaves
 * nothing behind that a portal could start on.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import type { Config } from '../config.ts';
import { openPglite, rootMessage } from '../db/backend.ts';
import {
  ARCHIVE_FORMAT_VERSION,
  CliError,
  MANIFEST_NAME,
  cliConfig,
  exitWith,
  fromCallerDir,
  journal,
  lockForMaintenance,
  manifestSchema,
  migrationLevel,
  parseCli,
  pgdataOf,
  postgresInstructions,
  type Manifest,
} from './backup-archive.ts';

const usage = 'usage: npm run restore -- FILE.tar.gz';
const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;

const damaged = (file: string, zh: string, en: string) => new CliError(`备份文件 ${file} 不可用：${zh}。没有恢复任何内容。`, `The archive ${file} cannot be used: ${en}. Nothing was restored.`);

/** The entries of a folder, or none when it does not exist. */
async function entriesOf(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function refuseNonEmpty(dir: string, label: { zh: string; en: string; key: string }, allowed: string[] = []): Promise<void> {
  const found = (await entriesOf(dir)).filter((name) => !allowed.includes(name));
  if (found.length === 0) return;
  const shown = found.slice(0, 5).join(', ') + (found.length > 5 ? ', …' : '');
  throw new CliError(
    `${label.zh} ${dir} 不是空的（${shown}）：恢复只写入空目录，不会覆盖现有数据。请指定新的 ${label.key}，或先移走这些内容。`,
    `The ${label.en} ${dir} is not empty (${shown}): restore only writes into an empty folder and never overwrites data. Point ${label.key} at a new folder, or move these away first.`,
  );
}

/** Checks the manifest against what this code can open. */
async function checkManifest(file: string, manifest: Manifest): Promise<void> {
  if (manifest.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw damaged(file, `它由更新的门户版本写成（格式 ${manifest.formatVersion}），请先升级门户`, `it was written by a newer portal (format ${manifest.formatVersion}); upgrade the portal first`);
  }
  const tags = (await journal()).map((e) => e.tag);
  const latest = manifest.migrations.latest;
  if (latest !== null && !tags.includes(latest)) {
    throw damaged(
      file,
      `其数据库已应用本版本不认识的迁移 ${latest}（门户 ${manifest.portalVersion}），请先升级门户`,
      `its database has migration ${latest}, which this version does not know (portal ${manifest.portalVersion}); upgrade the portal first`,
    );
  }
}

/** Reads the archive, writing `database/…` under `pgdataStaging` and `files/…` under the storage folder. */
async function extractArchive(file: string, pgdataStaging: string, storageDir: string): Promise<Manifest> {
  const extract = tarExtract();
  const source = createReadStream(file);
  const gunzip = createGunzip();
  // tar-stream's streams are streamx, not Node streams: piped, with errors passed on by hand.
  source.on('error', (err) => extract.destroy(err));
  gunzip.on('error', (err) => extract.destroy(err));
  source.pipe(gunzip).pipe(extract as unknown as NodeJS.WritableStream);
  let manifest: Manifest | null = null;
  const directories = new Set<string>();
  const files = new Map<string, Manifest['files'][number]>();
  const target = (name: string) =>
    name.startsWith('database/') ? path.join(pgdataStaging, ...name.slice('database/'.length).split('/')) : path.join(storageDir, ...name.slice('files/'.length).split('/'));
  try {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/\/+$/, '');
      if (!manifest) {
        if (name !== MANIFEST_NAME || entry.header.type !== 'file' || (entry.header.size ?? 0) > MANIFEST_MAX_BYTES) {
          throw damaged(file, '它不是门户备份（第一项不是 manifest.json）', 'it is not a portal backup (its first entry is not manifest.json)');
        }
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        let parsed;
        try {
          parsed = manifestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          parsed = null;
        }
        if (!parsed?.success) throw damaged(file, 'manifest.json 内容无效', 'its manifest.json is not valid');
        manifest = parsed.data;
        await checkManifest(file, manifest);
        for (const dir of manifest.directories) directories.add(dir);
        for (const f of manifest.files) files.set(f.path, f);
        continue;
      }
      if (entry.header.type === 'directory' && directories.delete(name)) {
        await mkdir(target(name), { recursive: true });
        entry.resume();
        continue;
      }
      const listed = entry.header.type === 'file' ? files.get(name) : undefined;
      if (!listed) throw damaged(file, `其中的 ${name} 不在清单中`, `its entry ${name} is not in the manifest`);
      files.delete(name);
      await mkdir(path.dirname(target(name)), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      await pipeline(
        Readable.from(entry),
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(target(name), { flags: 'wx', mode: listed.mode & 0o777 }),
      );
      if (size !== listed.size || hash.digest('hex') !== listed.sha256) {
        throw damaged(file, `${name} 的内容与清单中的 SHA-256 不符`, `the content of ${name} does not match the SHA-256 in its manifest`);
      }
    }
  } catch (err) {
    extract.destroy();
    source.destroy();
    if (err instanceof CliError) throw err;
    throw damaged(file, `读取失败（${rootMessage(err)}）`, `reading it failed (${rootMessage(err)})`);
  }
  if (!manifest) throw damaged(file, '它是空的', 'it is empty');
  const missing = [...directories, ...files.keys()];
  if (missing.length > 0) throw damaged(file, `它不完整，缺少 ${missing[0]} 等 ${missing.length} 项`, `it is incomplete: ${missing.length} entries are missing, e.g. ${missing[0]}`);
  return manifest;
}

async function restore(config: Config, file: string): Promise<string> {
  const pgdata = pgdataOf(config);
  const storageDir = path.resolve(config.storageDir);
  const storageInside = !path.relative(path.resolve(config.dataDir), storageDir).startsWith('..');
  await refuseNonEmpty(config.dataDir, { zh: '数据目录', en: 'data folder', key: 'DATA_DIR' });
  if (!storageInside) await refuseNonEmpty(storageDir, { zh: '存储目录', en: 'storage folder', key: 'STORAGE_DIR' });

  const unlock = await lockForMaintenance(config.dataDir, { zh: '恢复', en: 'run the restore' });
  const staging = path.join(config.dataDir, 'pgdata.restoring');
  const storageExisted = existsSync(storageDir);
  try {
    // Another process may have written here between the check and the lock.
    await refuseNonEmpty(config.dataDir, { zh: '数据目录', en: 'data folder', key: 'DATA_DIR' }, ['portal.lock']);
    const manifest = await extractArchive(file, staging, storageDir);
    const database = await openPglite(staging).catch((err) => {
      throw damaged(file, `其数据库无法打开（${rootMessage(err)}）`, `its database does not open (${rootMessage(err)})`);
    });
    try {
      const level = await migrationLevel(database);
      if (level.applied !== manifest.migrations.applied || level.latest !== manifest.migrations.latest) {
        throw damaged(file, '其数据库的迁移级别与清单不符', 'the migration level of its database differs from its manifest');
      }
    } finally {
      await database.close();
    }
    await rename(staging, pgdata);
    const stored = manifest.files.filter((f) => f.path.startsWith('files/')).length;
    return (
      `恢复完成：${manifest.createdAt} 的备份（门户 ${manifest.portalVersion}，迁移 ${manifest.migrations.latest ?? '无'}）已写入 ${path.resolve(config.dataDir)}，含 ${stored} 个存储文件。现在可以 npm start。\n` +
      `Restored the backup of ${manifest.createdAt} (portal ${manifest.portalVersion}, migration ${manifest.migrations.latest ?? 'none'}) into ${path.resolve(config.dataDir)} with ${stored} stored files. Start the portal with npm start; it applies any newer migrations.\n`
    );
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (storageExisted) {
      for (const name of await entriesOf(storageDir)) await rm(path.join(storageDir, name), { recursive: true, force: true });
    } else {
      await rm(storageDir, { recursive: true, force: true });
    }
    throw err;
  } finally {
    await unlock();
  }
}

async function main() {
  const { positionals } = parseCli({ options: {}, allowPositionals: true, strict: true }, usage);
  if (positionals.length !== 1) throw new CliError(`请指定一个备份文件。\n${usage}`, 'Name the archive to restore.');
  const file = fromCallerDir(positionals[0]!);
  const config = cliConfig();
  if (config.databaseUrl) throw postgresInstructions(config, 'restore');
  if (!existsSync(file)) throw new CliError(`找不到备份文件 ${file}。`, `No archive at ${file}.`);
  process.stdout.write(await restore(config, file));
}

main().catch(exitWith);
