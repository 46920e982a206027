/**
 * `npm run backup` and `npm run restore` on the embedded database: a sample data folder with stored
 * files goes to one archive and comes back, row for row and byte for byte, into an empty folder; a
 * running portal, a non-empty folder, a damaged archive and a PostgreSQL configuration are refused.
 * On PostgreSQL, the pg_dump / pg_restore commands the backup points to are checked to round-trip too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { extract, pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openPglite, type Database } from '../../server/db/backend.ts';
import { lockDataDir } from '../../server/db/open.ts';
import { createLogger } from '../../server/lib/log.ts';
import { storeFile } from '../../server/lib/storage.ts';
import { portalVersion } from '../../server/lib/version.ts';
import { client, signIn } from '../helpers/auth.ts';
import { freshPostgres, testConfig } from '../helpers/backends.ts';
import { repoRoot, withDatabase } from '../helpers/fixtures.ts';

function npmRun(script: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('npm', ['run', '-s', script, '--', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: '', STORAGE_DIR: '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Every entry of a .tar.gz, in order, with its bytes. */
async function readArchive(file: string): Promise<{ name: string; type: string; mode: number; bytes: Buffer }[]> {
  const entries: { name: string; type: string; mode: number; bytes: Buffer }[] = [];
  const reader = extract();
  const source = createReadStream(file).pipe(createGunzip());
  source.on('error', (err) => reader.destroy(err));
  source.pipe(reader as unknown as NodeJS.WritableStream);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    entries.push({ name: entry.header.name, type: entry.header.type, mode: entry.header.mode, bytes: Buffer.concat(chunks) });
  }
  return entries;
}

/** Writes entries back to a .tar.gz (to make a damaged copy of an archive). */
async function writeArchive(file: string, entries: Awaited<ReturnType<typeof readArchive>>): Promise<void> {
  const writer = pack();
  const written = pipeline(Readable.from(writer), createGzip(), createWriteStream(file));
  for (const e of entries) {
    if (e.type === 'directory') writer.entry({ name: e.name, type: 'directory', mode: e.mode });
    else writer.entry({ name: e.name, mode: e.mode, size: e.bytes.length }, e.bytes);
  }
  writer.finalize();
  await written;
}

/** Path → SHA-256 of every file under a folder. */
function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}

/** Every table of the public schema with its rows as JSON text, ordered by primary key. */
async function dumpTables(database: Database): Promise<Record<string, string[]>> {
  const tables = await database.rows<{ name: string; key: string[] | null }>(sql`
    select c.relname as name,
           (select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum))
              from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
             where i.indrelid = c.oid and i.indisprimary) as key
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')
     order by c.relname`);
  const out: Record<string, string[]> = {};
  for (const { name, key } of tables) {
    const order = key?.length ? sql.join(key.map((k) => sql`t.${sql.identifier(k)}`), sql`, `) : sql`t::text`;
    const rows = await database.rows<{ r: string }>(sql`select row_to_json(t)::text as r from ${sql.identifier(name)} t order by ${order}`);
    out[name] = rows.map((row) => row.r);
  }
  return out;
}

function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(image);
}

/** Records a finding through the API as the coordinator; returns its id. */
async function recordFinding(app: ReturnType<typeof createApp>, database: Database): Promise<number> {
  const coord = client(app, await signIn(app, 'coord'));
  const [p] = await database.rows<{ x: number; y: number }>(
    sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(geom) as p from protected_areas where code = 'WF-PA-15') q`,
  );
  const created = await coord('/api/findings', {
    json: { title: '河道内非法采砂', category: 'mining', source: 'patrol', description: '巡护发现', discoveredAt: '2026-05-20', geometry: { type: 'Point', coordinates: [p.x, p.y] } },
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: number }).id;
}

/** Runs a PostgreSQL client program and returns its exit code and output. */
function runTool(command: string, args: string[]) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', (err) => resolve({ code: -1, out: String(err) }));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run backup and npm run restore', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'portal-backup-'));
  const source = path.join(work, 'source');
  const archive = path.join(work, 'portal.tar.gz');
  const stored: string[] = [];
  let backup: { code: number | null; out: string };
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // A data folder as a portal leaves it (the seeded sample database, a finding recorded through the
  // API with two uploaded files, one file put in storage directly), and its backup.
  beforeAll(async () => {
    const snapshot = await readFile(inject('pgliteSnapshot'));
    const database = await openPglite(path.join(source, 'pgdata'), { loadDataDir: new Blob([snapshot]) });
    try {
      const config = testConfig({ dataDir: source, storageDir: path.join(source, 'files') });
      const app = createApp({ database, config, log: createLogger('silent') });
      const id = await recordFinding(app, database);
      const cookie = await signIn(app, 'coord');
      for (const [name, bytes] of [
        ['现场照片.png', png(24, 16, [180, 120, 60])],
        ['检查笔录.pdf', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')],
      ] as const) {
        const form = new FormData();
        form.set('file', new File([new Uint8Array(bytes)], name));
        const res = await app.request(`/api/findings/${id}/attachments`, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
        expect(res.status, await res.clone().text()).toBe(201);
        stored.push(createHash('sha256').update(bytes).digest('hex'));
      }
      stored.push(await storeFile(config.storageDir, Buffer.from('整改报告（扫描件）')));
    } finally {
      await database.close();
    }
    backup = await npmRun('backup', ['--out', archive], { DATA_DIR: source });
  }, 240_000);

  it('refuses to back up while a portal holds the data folder, naming the lock', async () => {
    const unlock = await lockDataDir(source);
    try {
      const refused = await npmRun('backup', ['--out', path.join(work, 'refused.tar.gz')], { DATA_DIR: source });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain(`门户正在使用数据目录 ${source}（锁文件 ${path.join(source, 'portal.lock')}，进程 ${process.pid}）`);
      expect(refused.out).toContain(`The portal is running on ${source} (lock file ${path.join(source, 'portal.lock')}, pid ${process.pid})`);
      expect(existsSync(path.join(work, 'refused.tar.gz'))).toBe(false);
    } finally {
      await unlock();
    }
  }, 60_000);

  it('round-trips every table row and every stored file into an empty folder', async () => {
    expect(backup.out).toContain(`备份完成：${archive}`);
    expect(backup.code).toBe(0);
    expect(existsSync(path.join(source, 'portal.lock'))).toBe(false);

    const entries = await readArchive(archive);
    expect(entries[0]!.name).toBe('manifest.json');
    const manifest = JSON.parse(entries[0]!.bytes.toString('utf8'));
    const journal = JSON.parse(await readFile(path.join(repoRoot, 'migrations/meta/_journal.json'), 'utf8')).entries as { tag: string }[];
    expect(manifest).toMatchObject({
      format: 'weifang-pa-portal-backup',
      formatVersion: 1,
      portalVersion,
      migrations: { applied: journal.length, latest: journal[journal.length - 1]!.tag },
    });
    expect(Date.now() - Date.parse(manifest.createdAt)).toBeLessThan(10 * 60_000);
    // Every file is listed with the SHA-256 of the bytes stored for it, stored files under their own hash.
    const listed = new Map((manifest.files as { path: string; sha256: string }[]).map((f) => [f.path, f.sha256]));
    for (const e of entries.slice(1).filter((e) => e.type === 'file')) expect(listed.get(e.name), e.name).toBe(createHash('sha256').update(e.bytes).digest('hex'));
    expect(listed.size).toBe(entries.filter((e) => e.type === 'file').length - 1);
    for (const sha of stored) expect(listed.get(`files/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`)).toBe(sha);
    expect([...listed.keys()]).toContain('database/PG_VERSION');

    const target = path.join(work, 'restored');
    const restore = await npmRun('restore', [archive], { DATA_DIR: target });
    expect(restore.out).toContain('恢复完成');
    expect(restore.code).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['files', 'pgdata']);
    expect(hashTree(path.join(target, 'files'))).toEqual(hashTree(path.join(source, 'files')));
    expect(Object.keys(hashTree(path.join(target, 'files')))).toHaveLength(stored.length);

    const before = await openPglite(path.join(source, 'pgdata'));
    const after = await openPglite(path.join(target, 'pgdata'));
    try {
      const [a, b] = [await dumpTables(before), await dumpTables(after)];
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['attachments', 'events', 'findings', 'protected_areas', 'users']));
      expect(a.findings!.length).toBeGreaterThan(0);
      expect(a.attachments!.length).toBeGreaterThanOrEqual(2);
      expect(b).toEqual(a);
    } finally {
      await before.close();
      await after.close();
    }
  }, 300_000);

  it('refuses a folder that is not empty, and a damaged archive, leaving nothing behind', async () => {
    const full = await npmRun('restore', [archive], { DATA_DIR: source });
    expect(full.code).toBe(1);
    expect(full.out).toContain(`数据目录 ${source} 不是空的（files, pgdata）：恢复只写入空目录，不会覆盖现有数据。`);
    expect(full.out).toContain(`The data folder ${source} is not empty (files, pgdata)`);

    const entries = await readArchive(archive);
    const victim = entries.find((e) => e.name === `files/${stored[0]!.slice(0, 2)}/${stored[0]!.slice(2, 4)}/${stored[0]}`)!;
    victim.bytes = Buffer.from(victim.bytes);
    victim.bytes[victim.bytes.length - 1] ^= 0xff;
    const damaged = path.join(work, 'damaged.tar.gz');
    await writeArchive(damaged, entries);
    const target = path.join(work, 'from-damaged');
    const refused = await npmRun('restore', [damaged], { DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`${victim.name} 的内容与清单中的 SHA-256 不符`);
    expect(refused.out).toContain(`the content of ${victim.name} does not match the SHA-256 in its manifest. Nothing was restored.`);
    expect(readdirSync(target)).toEqual([]);
  }, 120_000);

  it('points to pg_dump and pg_restore when the database is PostgreSQL', async () => {
    const env = { DATA_DIR: source, DATABASE_URL: 'postgres://portal:secret@db.example/portal' };
    const refused = await npmRun('backup', [], env);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('已设置 DATABASE_URL：数据库在 PostgreSQL 上');
    expect(refused.out).toContain('pg_dump -Fc -d "$DATABASE_URL" -f portal.dump');
    expect(refused.out).toContain(`tar -czf portal-files.tar.gz -C ${path.join(source, 'files')} .`);
    const restore = await npmRun('restore', [archive], env);
    expect(restore.code).toBe(1);
    expect(restore.out).toContain('pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" portal.dump');
    expect(refused.out + restore.out).not.toContain('secret');
  }, 60_000);
});

const pgUrl = process.env.TEST_DATABASE_URL;
const noPgDump = spawnSync('pg_dump', ['--version']).status !== 0;
const pgSkip = !pgUrl ? 'TEST_DATABASE_URL is not set' : noPgDump ? 'pg_dump is not installed' : null;

describe.skipIf(pgSkip !== null)(pgSkip ? `pg_dump and pg_restore — skipped: ${pgSkip}` : 'pg_dump and pg_restore on PostgreSQL', () => {
  it('bring the portal database back over an older copy with the commands the backup points to', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'portal-pgdump-'));
    const source = await freshPostgres(pgUrl!);
    const target = await freshPostgres(pgUrl!);
    try {
      await recordFinding(createApp({ database: source.database, config: testConfig(), log: createLogger('silent') }), source.database);
      const urlOf = async (database: Database) => withDatabase(pgUrl!, (await database.rows<{ name: string }>(sql`select current_database() as name`))[0]!.name);
      const count = async (database: Database) => (await database.rows<{ n: number }>(sql`select count(*)::int as n from findings`))[0]!.n;
      expect(await count(target.database)).toBe((await count(source.database)) - 1);
      const dump = path.join(work, 'portal.dump');
      const dumped = await runTool('pg_dump', ['-Fc', '-d', await urlOf(source.database), '-f', dump]);
      expect(dumped, dumped.out).toMatchObject({ code: 0 });
      const restored = await runTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '-d', await urlOf(target.database), dump]);
      expect(restored, restored.out).toMatchObject({ code: 0 });
      const [a, b] = [await dumpTables(source.database), await dumpTables(target.database)];
      expect(a.findings!.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    } finally {
      await source.dispose();
      await target.dispose();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
