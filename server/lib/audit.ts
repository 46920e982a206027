/**
 * Writes audit events. Always called with the transaction that makes the change, so a change and
 * its event commit or roll back together.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/backend.ts';
import type { Actor } from '../features/auth/roles.ts';

/** Who acted: a signed-in person, or the command line. */
export type EventActor = Pick<Actor, 'userId' | 'username' | 'departmentId'> | { cli: true };

export interface EventInput {
  actor: EventActor;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** Appends one event in the given transaction and returns its id. */
export async function recordEvent(tx: Executor, e: EventInput): Promise<number> {
  const person = 'cli' in e.actor ? null : e.actor;
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`insert into events (actor_user_id, actor_department_id, actor_label, action, entity, entity_id, before, after, ip)
        values (${person?.userId ?? null}, ${person?.departmentId ?? null}, ${person ? person.username : 'cli'},
                ${e.action}, ${e.entity}, ${String(e.entityId)},
                ${e.before === undefined ? null : JSON.stringify(e.before)}::jsonb,
                ${e.after === undefined ? null : JSON.stringify(e.after)}::jsonb,
                ${e.ip ?? null})
        returning id`,
  );
  return Number(row.id);
}
