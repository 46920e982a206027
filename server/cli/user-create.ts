/**
 * `npm run user:create -- --username … --role … [--department CODE] [--display-name …]`
 * Makes an account (the first real admin, typically). The password is asked for twice on a
 * terminal, or read from the first line of standard input when piped.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.ts';
import { DatabaseSetupError } from '../db/backend.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { createUserBody } from '../features/users/users.schemas.ts';
import { createUser } from '../features/users/users.service.ts';
import { ApiError } from '../lib/errors.ts';
import { createLogger } from '../lib/log.ts';
import { zodIssues } from '../lib/validate.ts';

const usage = 'usage: npm run user:create -- --username NAME --role admin|coordinator|officer|inspector|viewer [--department CODE] [--display-name TEXT]';

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  process.stdout.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await askHidden('Password (at least 10 characters): ');
    const second = await askHidden('Password again: ');
    if (first !== second) throw new Error('The two passwords differ; nothing was created.');
    return first;
  }
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return input.split(/\r?\n/)[0] ?? '';
}

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
      'display-name': { type: 'string' },
    },
    strict: true,
  });
  if (!values.username || !values.role) throw new Error(usage);
  const config = { ...loadConfig(), seedSample: false, seedDemo: false };
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const password = await readPassword();
  const database = await openConfiguredDatabase(config, log);
  try {
    let departmentId: number | null = null;
    if (values.department) {
      const [dep] = await database.rows<{ id: number }>(sql`select id from departments where code = ${values.department.toLowerCase()}`);
      if (!dep) throw new Error(`No department has the code "${values.department}".`);
      departmentId = dep.id;
    }
    const parsed = createUserBody.safeParse({
      username: values.username,
      displayName: values['display-name'] ?? values.username,
      role: values.role,
      departmentId,
      password,
    });
    if (!parsed.success) {
      throw new Error(zodIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('\n'));
    }
    const user = (await createUser(database, { cli: true }, parsed.data)) as { id: number; username: string; role: string };
    process.stdout.write(`Created user ${user.username} (${user.role}, id ${user.id}).\n`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof ApiError) {
    process.stderr.write(`${err.message}${err.issues ? '\n' + err.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n') : ''}\n`);
  } else if (err instanceof ConfigError || err instanceof DatabaseSetupError || err instanceof Error) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`${String(err)}\n`);
  }
  process.exit(1);
});
