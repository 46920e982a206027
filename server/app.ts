import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.ts';
import type { Config } from './config.ts';
import {
  causedBy,
  DatabaseBusyError,
  isDatabaseUnavailable,
  isStatementTimeout,
  RequestAbortedError,
  rootMessage,
  type Database,
} from './db/backend.ts';
import { areasRoutes } from './features/areas/areas.routes.ts';
import { authorize, sameOriginWrites } from './features/auth/access.ts';
import { authRoutes } from './features/auth/auth.routes.ts';
import { departmentsRoutes } from './features/departments/departments.routes.ts';
import { eventsRoutes } from './features/events/events.routes.ts';
import { attachmentsRoutes } from './features/attachments/attachments.routes.ts';
import { findingsRoutes } from './features/findings/findings.routes.ts';
import { inspectionsRoutes } from './features/inspections/inspections.routes.ts';
import { tasksRoutes } from './features/tasks/tasks.routes.ts';
import { rulesRoutes } from './features/rules/rules.routes.ts';
import { supervisionRoutes } from './features/supervision/supervision.routes.ts';
import { TrackParseError } from './features/inspections/tracks/parse.ts';
import { usersRoutes } from './features/users/users.routes.ts';
import { countiesRoutes } from './features/counties/counties.routes.ts';
import { coverageRoutes } from './features/coverage/coverage.routes.ts';
import { healthRoutes } from './features/health/health.routes.ts';
import { ApiError, databaseInputError, errorBody } from './lib/errors.ts';
import { compressibleFile } from './web-precompress.ts';
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
    .route('/supervision', supervisionRoutes)
    .route('/attachments', attachmentsRoutes)
    .route('/', rulesRoutes);

  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('database', database);
      c.set('config', config);
      c.set('log', log);
      await next();
    })
    .use(
      secureHeaders({
        contentSecurityPolicy,
        crossOriginEmbedderPolicy: false,
        crossOriginResourcePolicy: 'same-origin',
        xFrameOptions: 'DENY',
      }),
    )
    .use('/api/*', compress(), sameOriginWrites, jsonBodyLimit, (c, next) =>
      // Every query of the request stops at the statement timeout and is cancelled when the client leaves.
      database.scoped({ signal: c.req.raw.signal, statementTimeoutMs: config.statementTimeoutMs }, next),
    )
    .use('/api/*', authorize)
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
    const badData = databaseInputError(err);
    if (badData) {
      // Reaching the database means an edge check is missing; logged so it can be added.
      log.warn('request data refused by the database', { path: c.req.path, error: String((err as Error).message ?? err) });
      return c.json(errorBody(badData.code, badData.message, badData.issues), badData.status);
    }
    if (causedBy(err, DatabaseBusyError)) {
      log.warn('no database connection free in time', { path: c.req.path });
      return c.json(errorBody('database_busy', '系统繁忙，请稍后重试'), 503, { 'retry-after': '2' });
    }
    if (isStatementTimeout(err)) {
      log.warn('statement timeout', { path: c.req.path, limitMs: config.statementTimeoutMs });
      return c.json(errorBody('query_timeout', '查询耗时过长，已中止：请缩小时间或范围后重试'), 503, { 'retry-after': '10' });
    }
    if (causedBy(err, RequestAbortedError)) {
      // The client has gone; this answer is never read.
      log.debug('request abandoned by the client', { path: c.req.path });
      return c.json(errorBody('database_unavailable', '请求已被客户端取消'), 503);
    }
    if (isDatabaseUnavailable(err)) {
      log.warn('database unavailable', { path: c.req.path, error: String((err as Error).message ?? err) });
      return c.json(errorBody('database_unavailable', '数据库暂时无法访问，请稍后重试'), 503, { 'retry-after': '5' });
    }
    log.error('unhandled error', { path: c.req.path, error: (err as Error).stack ?? String(err), cause: rootMessage(err) });
    return c.json(errorBody('internal_error', '服务器内部错误，已记录，请稍后重试'), 500);
  });
  return app;
}

/**
 * What the web app needs and nothing more (test/e2e/csp.test.ts loads the pages under it).
 * maplibre's worker is a same-origin module (setWorkerUrl), so no blob: workers; its controls draw
 * data: SVG icons. Styles are set through the CSSOM (svelte's style: directives, maplibre), which
 * style-src does not restrict, so no 'unsafe-inline'. frame-ancestors 'none': no site may frame the
 * portal (clickjacking).
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Caps every request body but an upload (those keep UPLOAD_MAX_MB on their routes) while it arrives:
 * by Content-Length before a byte is read, and by counting for a chunked body, so an oversized one is
 * never held in memory.
 */
const jsonBodyLimit: MiddlewareHandler<AppEnv> = (c, next) => {
  if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) return next();
  const maxKb = c.var.config.jsonBodyMaxKb;
  return bodyLimit({
    maxSize: maxKb * 1024,
    onError: (cc) => cc.json(errorBody('payload_too_large', `请求内容超过 ${maxKb} KB 的上限`), 413),
  })(c, next);
};

/** Serves the built SPA: hashed assets cached for long, and index.html for every client-side route. */
function mountWebApp(app: Hono<AppEnv>, webDir: string) {
  const root = path.relative(process.cwd(), webDir) || '.';
  // Read on every request (a few hundred bytes): a rebuild while the server runs must not leave it
  // pointing at asset names that no longer exist.
  const loadIndex = () => readFile(path.join(webDir, 'index.html'), 'utf8').catch(() => null);

  // The .br/.gz copies written at build time (server/web-precompress.ts) are sent when the browser
  // accepts them; the plain file otherwise.
  const staticFiles = serveStatic({ root, index: '__no_index__', precompressed: true });
  const fileHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    if (!c.res.ok || c.res.headers.get('content-type') === null) return;
    // Every compressible file may differ by Accept-Encoding, the plain fallback too: caches must key on it.
    if (!c.res.headers.has('vary') && compressibleFile.test(c.req.path)) c.header('vary', 'Accept-Encoding');
    if (c.req.path.endsWith('.geojson')) c.header('content-type', 'application/geo+json');
    // Hashed names under /assets never change content; the few unhashed files are revalidated.
    c.header('cache-control', c.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  app.use('*', fileHeaders, staticFiles);
  // A missing hashed asset is a 404: the page in its place would be cached for a year under its name.
  app.get('/assets/*', (c) => c.json(errorBody('not_found', `没有这个地址：${c.req.path}`), 404));
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
