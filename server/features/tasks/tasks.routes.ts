import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { zJson, zParam, zQuery } from '../../lib/validate.ts';
import { clientIp } from '../auth/access.ts';
import { listTasksQuery, taskParams, updateTaskBody } from './tasks.schemas.ts';
import { listTasks, taskCounts, updateTask } from './tasks.service.ts';

/** `/api/tasks`: inboxes (`?mine=1`), header counts, and a department's own updates. */
export const tasksRoutes = new Hono<AppEnv>()
  .get('/', zQuery(listTasksQuery), async (c) => c.json({ tasks: await listTasks(c.var.database.db, c.var.actor!, c.req.valid('query'), c.var.config.timeZone) }, 200))
  .get('/counts', async (c) => c.json(await taskCounts(c.var.database.db, c.var.actor!, c.var.config.timeZone), 200))
  .patch('/:id', zParam(taskParams), zJson(updateTaskBody), async (c) =>
    c.json(await updateTask(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c), c.var.config.timeZone), 200),
  );
