import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app-env.ts';
import { queryRows } from '../../db/backend.ts';
import { errorBody } from '../../lib/errors.ts';
import { zQuery } from '../../lib/validate.ts';
import { can, type Actor } from '../auth/roles.ts';

export const eventEntities = ['user', 'department', 'area', 'finding', 'task', 'inspection'] as const;

export const listEventsQuery = z
  .object({
    entity: z.enum(eventEntities),
    id: z.string().trim().min(1).max(64),
  })
  .strict();

/**
 * Whether the actor may read this timeline. Every signed-in reader reads the records themselves, so
 * their timelines too; an account's timeline (sign-ins, addresses, role changes) is for the admins who
 * manage accounts (as `/api/users` is) and for the person it belongs to.
 */
export function mayReadTimeline(actor: Actor, entity: (typeof eventEntities)[number], id: string): boolean {
  if (entity === 'user') return can(actor, 'users.manage') || id === String(actor.userId);
  return can(actor, 'read');
}

/** `/api/events`: the timeline of one record, oldest first. */
export const eventsRoutes = new Hono<AppEnv>().get('/', zQuery(listEventsQuery), async (c) => {
  const { entity, id } = c.req.valid('query');
  if (!mayReadTimeline(c.var.actor!, entity, id)) {
    return c.json(errorBody('forbidden', '只有系统管理员可以查看其他账号的登录和变更记录'), 403);
  }
  const rows = await queryRows<{ row: unknown }>(
    c.var.database.db,
    sql`select json_build_object(
          'id', e.id, 'at', e.at, 'action', e.action, 'entity', e.entity, 'entityId', e.entity_id,
          'actor', json_build_object('userId', e.actor_user_id, 'label', e.actor_label, 'displayName', u.display_name),
          'department', case when d.id is null then null
                        else json_build_object('id', d.id, 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en) end,
          'before', e.before, 'after', e.after
        ) as row
        from events e
        left join users u on u.id = e.actor_user_id
        left join departments d on d.id = e.actor_department_id
        where e.entity = ${entity} and e.entity_id = ${id}
        order by e.at, e.id`,
  );
  return c.json({ events: rows.map((r) => r.row) }, 200);
});
