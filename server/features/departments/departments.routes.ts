import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { zJson, zParam } from '../../lib/validate.ts';
import { clientIp } from '../auth/access.ts';
import { createDepartmentBody, departmentParams, updateDepartmentBody } from './departments.schemas.ts';
import { createDepartment, listDepartments, updateDepartment } from './departments.service.ts';

/** `/api/departments`: everyone reads them (to assign and filter); admins change them. */
export const departmentsRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ departments: await listDepartments(c.var.database.db) }, 200))
  .post('/', zJson(createDepartmentBody), async (c) =>
    c.json(await createDepartment(c.var.database, c.var.actor!, c.req.valid('json'), clientIp(c)), 201),
  )
  .patch('/:id', zParam(departmentParams), zJson(updateDepartmentBody), async (c) =>
    c.json(await updateDepartment(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c)), 200),
  );
