/**
 * Password-guess throttling, kept in the database so every server process shares one count.
 *
 * Each attempt is counted atomically *before* its password is checked (one `insert … on conflict
 * … do update … returning` per key), so parallel guesses cannot all slip past the check while the
 * slow hash runs. A success gives its reservation back. Keys are per account (5 attempts) and per
 * client address (50: an office behind one NAT address must survive one person's typos). Reaching a
 * key's limit locks it for 30 s, doubling with every further attempt after the lock up to 15
 * minutes; the count is forgotten after an hour without attempts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/backend.ts';

export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 50;
export const FIRST_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 15 * 60;
// Caps the stored count so it can never overflow, however long a key is hammered.
const MAX_COUNT = 1_000_000;

/** One throttle key with its own limit. */
export interface ThrottleKey {
  key: string;
  limit: number;
}

/** Keys of a password attempt: the account (by its lower-case name) and the client address. */
export const throttleKeys = (username: string, ip: string): ThrottleKey[] => [
  { key: `user:${username}`, limit: ACCOUNT_LIMIT },
  { key: `ip:${ip}`, limit: ADDRESS_LIMIT },
];

/** When a key with `count` attempts is locked until; the exponent is capped first so the interval cannot overflow. */
const lockUntil = (count: SQL, limit: number) =>
  sql`case when ${count} >= ${limit}
        then now() + make_interval(secs => least(${FIRST_LOCK_SECONDS} * power(2, least(greatest(${count} - ${limit}, 0), 10)), ${MAX_LOCK_SECONDS}))
        else null end`;

/**
 * Counts one attempt against every key, in order. Answers 0 when the attempt may go ahead, or the
 * seconds to wait when a key is locked (the keys already counted are then given back).
 */
export async function reserveAttempt(exec: Executor, keys: ThrottleKey[]): Promise<number> {
  const taken: ThrottleKey[] = [];
  for (const k of keys) {
    const count = sql`(case when t.last_attempt_at < now() - interval '1 hour' then 1 else least(t.failures + 1, ${MAX_COUNT}) end)`;
    const rows = await queryRows<{ failures: number }>(
      exec,
      sql`insert into login_throttle as t (key, failures, last_attempt_at, locked_until)
          values (${k.key}, 1, now(), ${lockUntil(sql`1`, k.limit)})
          on conflict (key) do update set
            failures = ${count},
            last_attempt_at = now(),
            locked_until = ${lockUntil(count, k.limit)}
          where t.locked_until is null or t.locked_until <= now()
          returning failures`,
    );
    if (rows.length === 0) {
      await releaseAttempt(exec, taken);
      return waitSeconds(exec, k.key);
    }
    taken.push(k);
  }
  return 0;
}

/** Seconds until a locked key opens again; at least 1, since the lock was seen a moment ago. */
async function waitSeconds(exec: Executor, key: string): Promise<number> {
  const [row] = await queryRows<{ seconds: number | null }>(
    exec,
    sql`select ceil(extract(epoch from locked_until - now()))::int as seconds from login_throttle where key = ${key}`,
  );
  return Math.max(1, row?.seconds ?? 1);
}

/** Gives back attempts that turned out not to be guesses (a success, or another key was locked). */
export async function releaseAttempt(exec: Executor, keys: ThrottleKey[]): Promise<void> {
  for (const k of keys) {
    await queryRows(
      exec,
      sql`update login_throttle set
            failures = greatest(failures - 1, 0),
            locked_until = case when failures - 1 < ${k.limit} then null else locked_until end
          where key = ${k.key}`,
    );
  }
}

/** After the right password: the account's count is cleared, the address gets its attempt back. */
export async function recordSuccess(exec: Executor, keys: ThrottleKey[]): Promise<void> {
  const [account, ...others] = keys;
  await queryRows(exec, sql`delete from login_throttle where key = ${account.key}`);
  await releaseAttempt(exec, others);
}
