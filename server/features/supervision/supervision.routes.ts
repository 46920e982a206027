import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { zParam, zQuery } from '../../lib/validate.ts';
import { listNoticesQuery, noticeParams } from './supervision.schemas.ts';
import { getNotice, listNotices } from './supervision.service.ts';

/** `/api/supervision`: the 督办 notices the sweep issued (通报 / 约谈 / 挂牌督办), for the record and for printing. */
export const supervisionRoutes = new Hono<AppEnv>()
  .get('/notices', zQuery(listNoticesQuery), async (c) => c.json({ notices: await listNotices(c.var.database.db, c.req.valid('query').finding) }, 200))
  .get('/notices/:id', zParam(noticeParams), async (c) => c.json(await getNotice(c.var.database.db, c.req.valid('param').id), 200));
