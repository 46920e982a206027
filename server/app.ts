import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.ts';
import type { Config } from './config.ts';
import { isDatabaseUnavailable, type Database } from './db/backend.ts';
import { areasRoutes } from './features/areas/areas.routes.ts';
import { authorize, sameOriginWrites } from './features/auth/access.ts';
import { authRoutes } from './features/auth/auth.routes.ts';
import { departmentsRoutes } from './features/departments/departments.routes.ts';
import { eventsRoutes } from './features/events/events.routes.ts';
import { attachmentsRoutes } from './features/attachments/attachments.routes.ts';
import { findingsRoutes } from './features/findings/findings.routes.ts';
import { inspectionsRoutes } from './features/inspections/inspections.routes.ts';
import { tasksRoutes } from './features/tasks/tasks.routes.ts';
import { TrackParseError } from './features/inspections/tracks/parse.ts';
import { usersRoutes } from './features/users/users.routes.ts';
import { countiesRoutes } from './features/counties/counties.routes.ts';
import { coverageRoutes } from './features/coverage/coverage.routes.ts';
import { healthRoutes } from './features/health/health.routes.ts';
import { ApiError, errorBody } from './lib/errors.ts';
import { createLogger, type Logger } from './lib/log.ts';

/** Folder of the built web app (vite output). */
export const webDistDir = fileURLToPath(new URL('../dist/web', import.meta.url));

export interface AppDeps {
  database: Database;
  config: Config;
  log?: Logger;
  /** Folder with the built web app; defaults to dist/web. */
  webDir?: string;
}

/** Builds the whole HTTP application: API under /api, the web app for every other GET. */
export function createApp({ database, config, log = createLogger(config.logLevel), webDir = webDistDir }: AppDeps) {
  const api = new Hono<AppEnv>()
    .route('/health', healthRoutes)
    .route('/auth', authRoutes)
    .route('/areas', areasRoutes)
    .route('/counties', countiesRoutes)
    .route('/departments', departmentsRoutes)
    .route('/users', usersRoutes)
    .route('/events', eventsRoutes)
    .route('/coverage', coverageRoutes)
    .route('/inspections', inspectionsRoutes)
    .route('/findings', findingsRoutes)
    .route('/tasks', tasksRoutes)
    .route('/attachments', attachmentsRoutes);

  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('database', database);
      c.set('config', config);
      c.set('log', log);
      await next();
    })
    .use(secureHeaders({ crossOriginEmbedderPolicy: false, crossOriginResourcePolicy: 'same-origin' }))
    .use('/api/*', compress(), sameOriginWrites, authorize)
    .route('/api', api)
    .all('/api/*', (c) => c.json(errorBody('not_found', `没有这个接口：${c.req.method} ${c.req.path}`), 404));

  mountWebApp(app, webDir);

  app.notFound((c) => c.json(errorBody('not_found', `没有这个地址：${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.issues), err.status);
    if (err instanceof TrackParseError) return c.json(errorBody(err.code, err.message, [{ path: 'file', message: err.message }]), err.status);
    if (err instanceof HTTPException) {
      // Hono's own 4xx (e.g. a body that is not JSON) still gets the standard body.
      const status = err.status;
      const malformed = status === 400 && /json/i.test(err.message);
      return c.json(
        errorBody(malformed ? 'invalid_json' : 'invalid_request', malformed ? '请求内容不是有效的 JSON' : err.message || '请求有误'),
        status as 400,
      );
    }
    if (isDatabaseUnavailable(err)) {
      log.warn('database unavailable', { path: c.req.path, error: String((err as Error).message ?? err) });
      return c.json(errorBody('database_unavailable', '数据库暂时无法访问，请稍后重试'), 503, { 'retry-after': '5' });
    }
    log.error('unhandled error', { path: c.req.path, error: (err as Error).stack ?? String(err) });
    return c.json(errorBody('internal_error', '服务器内部错误，已记录，请稍后重试'), 500);
  });
  return app;
}

/** Serves the built SPA: hashed assets cached for long, and index.html for every client-side route. */
function mountWebApp(app: Hono<AppEnv>, webDir: string) {
  const root = path.relative(process.cwd(), webDir) || '.';
  // Read on every request (a few hundred bytes): a rebuild while the server runs must not leave it
  // pointing at asset names that no longer exist.
  const loadIndex = () => readFile(path.join(webDir, 'index.html'), 'utf8').catch(() => null);

  app.use(
    '/assets/*',
    async (c, next) => {
      await next();
      if (c.res.ok) c.header('cache-control', 'public, max-age=31536000, immutable');
    },
    serveStatic({ root }),
  );
  app.use('*', serveStatic({ root, index: '__no_index__' }));
  app.get('*', async (c) => {
    const html = await loadIndex();
    if (html === null) {
      return c.json(errorBody('not_found', '网页端尚未构建：请运行 npm run build 或 npm start'), 404);
    }
    c.header('cache-control', 'no-cache');
    return c.html(html);
  });
}

export type AppType = ReturnType<typeof createApp>;
