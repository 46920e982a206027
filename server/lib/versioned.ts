/**
 * The optimistic-lock rule of every edited record: a change is written only to the version the person
 * read. The version condition sits in the UPDATE itself, so of two writers racing from one version the
 * second waits for the first's row lock, then finds no row at that version and gets 409 — never a lost
 * or mixed update.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/backend.ts';
import { ApiError } from './errors.ts';

/** The tables under the rule; identifiers come from here, never from a request. */
export type VersionedTable = 'findings' | 'tasks' | 'inspections' | 'users' | 'departments';

export interface VersionedUpdate {
  table: VersionedTable;
  id: number;
  /** The version the client read (and sent back). */
  version: number;
  /** The assignments, e.g. sql`title = ${title}, updated_at = now()`; the version is bumped here. */
  set: SQL;
  /** How the record is named in messages, e.g. `问题“WF-2026-0001”` or `编号为 12 的任务`. */
  label: string;
}

/** 409 telling the person the record changed since they read it, with its current version. */
export function staleVersion(label: string, current: number, sent: number): ApiError {
  return new ApiError(409, 'conflict', `${label}已被他人修改（当前版本 ${current}，您提交的是版本 ${sent}），请刷新页面、核对后再改`, [
    { path: 'version', message: `当前版本为 ${current}` },
  ]);
}

/** `update … where id = $1 and version = $2 returning version`; no row → 409 with the current version (404 if gone). */
export async function updateVersioned(tx: Executor, u: VersionedUpdate): Promise<number> {
  const table = sql.identifier(u.table);
  const [row] = await queryRows<{ version: number }>(
    tx,
    sql`update ${table} set ${u.set}, version = version + 1 where id = ${u.id} and version = ${u.version} returning version`,
  );
  if (row) return Number(row.version);
  const [current] = await queryRows<{ version: number }>(tx, sql`select version from ${table} where id = ${u.id}`);
  if (!current) throw new ApiError(404, 'not_found', `${u.label}不存在`);
  throw staleVersion(u.label, Number(current.version), u.version);
}
