import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { zJson, zParam } from '../../lib/validate.ts';
import { clientIp } from '../auth/access.ts';
import { createUserBody, updateUserBody, userParams } from './users.schemas.ts';
import { createUser, listUsers, updateUser } from './users.service.ts';

/** `/api/users`: account administration (admin). */
export const usersRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ users: await listUsers(c.var.database.db) }, 200))
  .post('/', zJson(createUserBody), async (c) => {
    const row = await createUser(c.var.database, c.var.actor!, c.req.valid('json'), clientIp(c));
    return c.json(row, 201);
  })
  .patch('/:id', zParam(userParams), zJson(updateUserBody), async (c) => {
    const row = await updateUser(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c));
    return c.json(row, 200);
  });
