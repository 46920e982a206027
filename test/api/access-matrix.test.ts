/**
 * The authorisation matrix, generated from the routes the app really registers: every API route ×
 * every role and anonymous → the expected class of answer. A new route without a rule fails here.
 */
import { expect, it } from 'vitest';
import { routeAccess } from '../../server/features/auth/access.ts';
import { rolePermissions } from '../../server/features/auth/roles.ts';
import { roles, type Role } from '../../server/lib/vocabulary.ts';
import { client, signIn } from '../helpers/auth.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const demoUserOf: Record<Role, string> = { admin: 'admin', coordinator: 'coord', officer: 'eco', inspector: 'insp', viewer: 'viewer' };
const sampleParams: Record<string, string> = { ':code': 'WF-PA-01', ':id': '1' };
/** Valid-looking but harmless requests: writes carry an empty body, which validation refuses (400). */
// A finding's timeline: every reader may read it (an account's timeline is the admins', tested in findings.test.ts).
const queryFor: Record<string, string> = { 'GET /api/events': '?entity=finding&id=1' };

describeEachBackend('authorisation matrix', (ctx) => {
  const apiRoutes = () => {
    const seen = new Set<string>();
    return ctx()
      .app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.endsWith('*'))
      .map((r) => `${r.method} ${r.path}`)
      .filter((k) => !seen.has(k) && seen.add(k));
  };

  it('has a rule for every registered API route, and no rule for a route that does not exist', () => {
    const registered = apiRoutes();
    expect(registered.filter((k) => routeAccess[k] === undefined)).toEqual([]);
    expect(Object.keys(routeAccess).filter((k) => !registered.includes(k))).toEqual([]);
    expect(registered.length).toBeGreaterThanOrEqual(15);
  });

  it('answers every route × role as its rule says', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    const sessions = new Map<string, string>();
    const sessionOf = async (user: string, key: string) => {
      // Logging out ends the session, so that route gets a session of its own.
      if (key === 'POST /api/auth/logout') return signIn(ctx().app, user);
      if (!sessions.has(user)) sessions.set(user, await signIn(ctx().app, user));
      return sessions.get(user)!;
    };
    for (const key of apiRoutes()) {
      const [method, pattern] = key.split(' ');
      const path = pattern.replace(/:[a-z]+/g, (p) => sampleParams[p] ?? '1') + (queryFor[key] ?? '');
      const rule = routeAccess[key];
      for (const who of ['anonymous', ...roles] as const) {
        const cookie = who === 'anonymous' ? null : await sessionOf(demoUserOf[who], key);
        const res = await client(ctx().app, cookie)(path, { method, json: method === 'GET' ? undefined : {} });
        const got = res.status === 401 ? 'unauthorised' : res.status === 403 ? 'forbidden' : 'allowed';
        const want =
          rule === 'public'
            ? 'allowed'
            : who === 'anonymous'
              ? 'unauthorised'
              : rule === 'signed_in' || rolePermissions[who].includes(rule)
                ? 'allowed'
                : 'forbidden';
        outcomes.push(`${key} as ${who}: ${got}`);
        expected.push(`${key} as ${who}: ${want}`);
        expect(res.status, `${key} as ${who}`).toBeLessThan(500);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('lets only admins manage users and departments, and viewers change nothing', async () => {
    for (const user of ['coord', 'eco', 'insp', 'viewer']) {
      const as = client(ctx().app, await signIn(ctx().app, user));
      const res = await as('/api/users', { json: { username: 'x1', displayName: 'x', role: 'viewer', departmentId: null, password: 'long-enough-pw' } });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'forbidden', message: '您的角色无权执行此操作' } });
    }
  });
});
