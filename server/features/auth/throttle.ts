/**
 * Sign-in throttling, per account and per client address, kept in the database so every server
 * process sees the same count. Five failures within 15 minutes lock the key for 30 s, doubling with
 * each further failure up to 15 minutes.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/backend.ts';

export const MAX_FAILURES = 5;

/** Throttle keys of one attempt: the account name and the client address. */
export const throttleKeys = (username: string, ip: string) => [`user:${username}`, `ip:${ip}`];

/** Seconds until the attempt may be made, or 0 when none of its keys is locked. */
export async function lockedForSeconds(exec: Executor, keys: string[]): Promise<number> {
  const [row] = await queryRows<{ seconds: number | null }>(
    exec,
    sql`select ceil(extract(epoch from max(locked_until) - now()))::int as seconds
        from login_throttle where key in ${keys} and locked_until > now()`,
  );
  return row?.seconds ?? 0;
}

/** Counts a failed attempt against every key. */
export async function recordFailure(exec: Executor, keys: string[]): Promise<void> {
  for (const key of keys) {
    await queryRows(
      exec,
      sql`insert into login_throttle as t (key, failures, window_started_at, locked_until)
          values (${key}, 1, now(), null)
          on conflict (key) do update set
            failures = case when t.window_started_at < now() - interval '15 minutes' then 1 else t.failures + 1 end,
            window_started_at = case when t.window_started_at < now() - interval '15 minutes' then now() else t.window_started_at end,
            locked_until = case
              when t.window_started_at >= now() - interval '15 minutes' and t.failures + 1 >= ${MAX_FAILURES}
              then now() + least(interval '30 seconds' * power(2, t.failures + 1 - ${MAX_FAILURES}), interval '15 minutes')
              else null end`,
    );
  }
}

/** Clears an account's failures after a successful sign-in (the address keeps its count). */
export async function clearAccount(exec: Executor, username: string): Promise<void> {
  await queryRows(exec, sql`delete from login_throttle where key = ${`user:${username}`}`);
}
