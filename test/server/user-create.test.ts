/** `npm run user:create` makes the first real admin, reading the password from standard input. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openPglite } from '../../server/db/backend.ts';
import { createLogger } from '../../server/lib/log.ts';
import { signIn } from '../helpers/auth.ts';
import { testConfig } from '../helpers/backends.ts';
import { repoRoot } from '../helpers/fixtures.ts';

function userCreate(dataDir: string, args: string[], stdin: string) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('npm', ['run', '-s', 'user:create', '--', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run user:create', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portal-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an admin who can then sign in, audited as done from the command line', async () => {
    const ok = await userCreate(dataDir, ['--username', 'Chief', '--role', 'admin', '--display-name', '局长'], 'first-admin-password\n');
    expect(ok.out).toContain('Created user chief (admin, id 1).');
    expect(ok.code).toBe(0);
    const short = await userCreate(dataDir, ['--username', 'second', '--role', 'admin'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.out).toContain('password: 密码至少 10 个字符');
    const dup = await userCreate(dataDir, ['--username', 'chief', '--role', 'viewer'], 'another-good-password\n');
    expect(dup.code).toBe(1);
    expect(dup.out).toContain('用户名 chief 已被使用');

    const database = await openPglite(path.join(dataDir, 'pgdata'));
    try {
      const app = createApp({ database, config: testConfig(), log: createLogger('silent') });
      await expect(signIn(app, 'chief', 'first-admin-password')).resolves.toMatch(/^portal_session=/);
      const events = await database.rows<{ action: string; actor_label: string }>(sql`select action, actor_label from events order by id`);
      expect(events[0]).toEqual({ action: 'user.created', actor_label: 'cli' });
    } finally {
      await database.close();
    }
  }, 180_000);
});
