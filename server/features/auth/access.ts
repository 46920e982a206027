/**
 * Who may call which API route, as one table, and the middleware that enforces it. A route with no
 * entry is refused (fail closed), and the authorisation-matrix test fails for it.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../../app-env.ts';
import { errorBody } from '../../lib/errors.ts';
import { requestOrigin } from '../../lib/origin.ts';
import type { Permission } from './roles.ts';
import { can } from './roles.ts';
import { lookupSession, readSessionCookie } from './sessions.ts';

/** `public`: no session needed; `signed_in`: any active session; otherwise the named permission. */
export type Access = 'public' | 'signed_in' | Permission;

/** Access rule of every API route, keyed `METHOD /api/path` exactly as the route is registered. */
export const routeAccess: Readonly<Record<string, Access>> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed_in',
  'GET /api/auth/me': 'signed_in',
  'POST /api/auth/password': 'signed_in',
  'GET /api/areas': 'read',
  'GET /api/areas/:code': 'read',
  'GET /api/counties': 'read',
  'GET /api/departments': 'read',
  'POST /api/departments': 'departments.manage',
  'PATCH /api/departments/:id': 'departments.manage',
  'GET /api/users': 'users.manage',
  'POST /api/users': 'users.manage',
  'PATCH /api/users/:id': 'users.manage',
  'GET /api/events': 'read',
  'GET /api/coverage': 'read',
  'GET /api/coverage/grid': 'read',
  'GET /api/coverage/tracks': 'read',
  'GET /api/coverage/:code': 'read',
  'GET /api/inspections': 'read',
  'POST /api/inspections': 'inspections.record',
  'GET /api/inspections/:id': 'read',
  'PATCH /api/inspections/:id': 'inspections.record',
  'POST /api/inspections/:id/tracks': 'inspections.record',
  // The service narrows it to people of a participating department, or a coordinator.
  'DELETE /api/inspections/:id/tracks/:trackId': 'inspections.record',
  'GET /api/findings': 'read',
  'POST /api/findings': 'findings.record',
  'GET /api/findings/:id': 'read',
  'PATCH /api/findings/:id': 'findings.record',
  // The workflow decides which party may take which step; viewers and admins take none.
  'POST /api/findings/:id/transitions': 'findings.record',
  'POST /api/findings/:id/tasks': 'findings.assign',
  'POST /api/findings/:id/attachments': 'findings.record',
  'GET /api/attachments/:id/file': 'read',
  'GET /api/tasks': 'read',
  'GET /api/tasks/counts': 'read',
  'PATCH /api/tasks/:id': 'tasks.work',
  'GET /api/rules': 'signed_in',
  // A change needs a second person: the service refuses the proposer as its reviewer.
  'POST /api/rules/:id/changes': 'rules.propose',
  'POST /api/rule-changes/:id/review': 'rules.review',
  'POST /api/findings/:id/determinations': 'findings.assign',
  'PATCH /api/tasks/clues/:id': 'findings.assign',
  'POST /api/tasks/batches': 'findings.assign',
  'GET /api/supervision/notices': 'read',
  'GET /api/supervision/notices/:id': 'read',
};

/** The client's address: the socket's, or X-Forwarded-For's first hop behind a trusted proxy. */
export function clientIp(c: Context<AppEnv>): string {
  if (c.var.config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // requests built in-process (tests) have no socket
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses cross-site writes: a browser always sends `Origin` (or at least `Sec-Fetch-Site`) on a
 * POST, and a page on another site cannot forge it. Clients that send neither (scripts) still need a
 * session, which a cross-site page cannot read.
 */
export const sameOriginWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!unsafeMethods.has(c.req.method)) return next();
  const origin = c.req.header('origin');
  const fetchSite = c.req.header('sec-fetch-site');
  let crossSite = false;
  if (origin !== undefined) {
    try {
      // Scheme too: an http:// page on the same host is another origin and must not write to the https portal.
      crossSite = origin === 'null' || new URL(origin).origin !== requestOrigin(c);
    } catch {
      crossSite = true;
    }
  } else if (fetchSite !== undefined) {
    crossSite = fetchSite !== 'same-origin' && fetchSite !== 'none';
  }
  if (crossSite) return c.json(errorBody('forbidden', '拒绝跨站请求：写操作只能来自本系统页面'), 403);
  return next();
};

/** The registered path of the route that will answer this request (its handler, not a middleware). */
function answeringRoute(c: Context): string | null {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  // Middlewares are registered as ALL; the web app's fallback `*` is not an API route.
  const route = matchedRoutes(c).find((r) => r.method === method && r.path.startsWith('/api/'));
  return route?.path ?? null;
}

/** Resolves the session and enforces `routeAccess` for every /api route. */
export const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
  const path = answeringRoute(c);
  const rule = path === null ? undefined : routeAccess[`${c.req.method === 'HEAD' ? 'GET' : c.req.method} ${path}`];
  // Public routes never read the session, so /api/health needs no pool connection behind a busy pool.
  if (rule === 'public') {
    c.set('actor', null);
    return next();
  }
  const lookup = await lookupSession(c.var.database.db, c.var.config, readSessionCookie(c));
  c.set('actor', lookup.state === 'active' ? lookup.actor : null);
  if (path === null) return next(); // no such route: the 404 handler answers
  if (rule === undefined) {
    c.var.log.error('route has no access rule; refused', { method: c.req.method, path });
    return c.json(errorBody('forbidden', '此接口尚未配置访问权限'), 403);
  }
  if (lookup.state !== 'active') {
    const message = lookup.state === 'ended' ? '登录已过期或已退出，请重新登录' : '请先登录';
    return c.json(errorBody('unauthorized', message), 401);
  }
  if (rule !== 'signed_in' && !can(lookup.actor, rule)) {
    return c.json(errorBody('forbidden', '您的角色无权执行此操作'), 403);
  }
  return next();
};
