import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { zJson, zParam, zQuery } from '../../lib/validate.ts';
import { clientIp } from '../auth/access.ts';
import { clueParams, createBatchBody, listTasksQuery, taskParams, updateClueBody, updateTaskBody } from './tasks.schemas.ts';
import { createBatch, listOwnedClues, listTasks, taskCounts, updateClue, updateTask } from './tasks.service.ts';

/** `/api/tasks`: inboxes (`?mine=1`, `view=active|done|all`), header counts, actions on a task, clue owners and monitoring batches. */
export const tasksRoutes = new Hono<AppEnv>()
  .get('/', zQuery(listTasksQuery), async (c) => {
    const q = c.req.valid('query');
    const view = q.view ?? 'active';
    const { db } = c.var.database;
    const tasks = await listTasks(db, c.var.actor!, { ...q, view }, c.var.config.timeZone);
    // The inbox also lists the clues the signed-in coordinator must dispatch.
    const clues = q.mine && view === 'active' ? await listOwnedClues(db, c.var.actor!, c.var.config.timeZone) : [];
    return c.json({ tasks, clues }, 200);
  })
  .get('/counts', async (c) => c.json(await taskCounts(c.var.database.db, c.var.actor!, c.var.config.timeZone), 200))
  .post('/batches', zJson(createBatchBody), async (c) =>
    c.json(await createBatch(c.var.database, c.var.actor!, c.req.valid('json'), clientIp(c)), 201),
  )
  .patch('/clues/:id', zParam(clueParams), zJson(updateClueBody), async (c) =>
    c.json(await updateClue(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c)), 200),
  )
  .patch('/:id', zParam(taskParams), zJson(updateTaskBody), async (c) =>
    c.json(await updateTask(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c), c.var.config.timeZone), 200),
  );
