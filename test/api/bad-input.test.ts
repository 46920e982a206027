/**
 * No bad input gives a 5xx. Generated from the routes the app really registers and the zod schemas
 * their validators hold: every path parameter, query parameter and body field of every API route gets
 * the corpus (test/helpers/bad-input-corpus.ts) one field at a time on an otherwise valid request, as a
 * role allowed to call it, and every error must carry the standard body with a Chinese message.
 */
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { createApp } from '../../server/app.ts';
import type { Database } from '../../server/db/backend.ts';
import { routeAccess } from '../../server/features/auth/access.ts';
import { rolePermissions } from '../../server/features/auth/roles.ts';
import { actionBodies, actionNames, actionStates, transitionBody, type ActionName } from '../../server/features/findings/workflow.ts';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import { createLogger } from '../../server/lib/log.ts';
import { sweepSupervision } from '../../server/features/supervision/supervision.service.ts';
import { uploadLimit } from '../../server/lib/uploads.ts';
import { routeSchemas } from '../../server/lib/validate.ts';
import {
  anyField,
  chainLists,
  cursorOf,
  dateLike,
  geometryLike,
  kindOf,
  multipartBodies,
  objectsOf,
  optional,
  pathValues,
  queryValues,
  sample,
  sampleObject,
  wholeBodies,
  type BadValue,
} from '../helpers/bad-input-corpus.ts';
import { client, SAME_ORIGIN, signIn } from '../helpers/auth.ts';
import { describeEachBackend, testConfig } from '../helpers/backends.ts';
import { Chain, realToday } from '../helpers/chain.ts';

// Walks past observation periods and the 公示 move the server's "today" (test/helpers/today.ts).
vi.mock('../../server/lib/clock.ts', async (original) => (await import('../helpers/today.ts')).movableClock(await original()));

type App = ReturnType<typeof createApp>;

/** What one registered API route takes, read from its validators. */
interface RouteSpec {
  key: string;
  method: string;
  path: string;
  params: string[];
  query?: z.ZodType;
  bodies: z.ZodObject[];
  multipart: boolean;
}

// Bodies a route reads itself and hands to a service that validates them (the workflow picks the
// schema by the requested step), so no validator middleware carries them.
const validatedInside: Record<string, z.ZodType> = { 'POST /api/findings/:id/transitions': transitionBody };

/** Every API route with the schemas of its query, path and body, from `app.routes`. */
function routeSpecs(app: App): RouteSpec[] {
  const specs = new Map<string, RouteSpec>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/') || r.path.endsWith('*')) continue;
    const key = `${r.method} ${r.path}`;
    const spec = specs.get(key) ?? {
      key,
      method: r.method,
      path: r.path,
      params: [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]),
      bodies: validatedInside[key] ? objectsOf(validatedInside[key]) : [],
      multipart: false,
    };
    const checked = routeSchemas.get(r.handler as MiddlewareHandler);
    if (checked?.target === 'query') spec.query = checked.schema;
    if (checked?.target === 'json') spec.bodies.push(...objectsOf(checked.schema));
    if (r.handler === uploadLimit) spec.multipart = true;
    specs.set(key, spec);
  }
  return [...specs.values()];
}

// Routes are static: read them from an app that is never asked to reach its database.
const specs = routeSpecs(createApp({ database: null as unknown as Database, config: testConfig(), log: createLogger('silent') }));

/** The chain action whose request body this object schema is. */
const actionOf = (body: z.ZodObject): ActionName | undefined => actionNames.find((a) => objectsOf(actionBodies[a]).includes(body));

/** Tables behind path parameters that do not name their table by the path segment before them. */
const paramTables: Record<string, string> = { trackId: 'inspection_tracks' };
/** Tables behind path segments that are not their table's name (a clue is a finding in state `clue`). */
const segmentTables: Record<string, string> = { clues: 'clues', notices: 'supervision_notices', 'rule-changes': 'rule_changes' };

const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** Why an answer breaks the rules (5xx, or an error body not in the standard shape), or null. */
async function problemOf(res: Response): Promise<string | null> {
  const text = await res.text();
  if (res.status >= 500) return `${res.status} ${text.slice(0, 200)}`;
  if (res.status < 400) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${res.status} with a body that is not JSON: ${text.slice(0, 120)}`;
  }
  const e = (body as { error?: Record<string, unknown> })?.error;
  const keysOk = body && Object.keys(body).length === 1 && e && Object.keys(e).every((k) => ['code', 'message', 'issues'].includes(k));
  const issuesOk =
    e?.issues === undefined ||
    (Array.isArray(e.issues) && e.issues.every((i) => typeof i?.path === 'string' && typeof i?.message === 'string' && Object.keys(i).length === 2));
  if (!keysOk || typeof e.code !== 'string' || typeof e.message !== 'string' || !hasCjk(e.message) || !issuesOk) {
    return `${res.status} without the standard error body: ${text.slice(0, 200)}`;
  }
  return null;
}

/** Spliced into JSON text where a bad value goes. */
const SLOT = '"__bad_input_slot__"';
const bodyWith = (base: Record<string, unknown>, field: string, bad: BadValue) =>
  JSON.stringify({ ...base, [field]: '__bad_input_slot__' }).replace(SLOT, bad.raw ?? JSON.stringify(bad.value));

const queryString = (q: Record<string, unknown>) =>
  Object.entries(q)
    .map(([k, val]) => `${k}=${encodeURIComponent(String(val))}`)
    .join('&');

describeEachBackend('bad input never gives a 5xx', (ctx) => {
  const sessions = new Map<string, Promise<string>>();
  const sessionFor = (spec: RouteSpec) => {
    // Logging out ends the session, so each of those requests gets its own.
    if (spec.key === 'POST /api/auth/logout') return signIn(ctx().app, 'coord');
    const rule = routeAccess[spec.key];
    const user = rule === 'public' || rule === 'signed_in' || rolePermissions.coordinator.includes(rule) ? 'coord' : 'admin';
    if (!sessions.has(user)) sessions.set(user, signIn(ctx().app, user));
    return sessions.get(user)!;
  };

  const db = () => ctx().database;
  const one = async (query: ReturnType<typeof sql>) => (await db().rows<{ v: number | null }>(query))[0]?.v ?? null;

  const coordCookie = () => sessionFor(specs.find((x) => x.key === 'POST /api/findings')!);
  const coordinator = async () => client(ctx().app, await coordCookie());
  const bodyOf = (key: string) => sampleObject(specs.find((x) => x.key === key)!.bodies[0]);
  const upload = (name: string, type: string, content: string) => {
    const form = new FormData();
    form.set('file', new File([content], name, { type }));
    return form;
  };

  const chain = new Chain(ctx);
  const made = new Map<string, Promise<number | null>>();
  /**
   * A finding in `state`, made through the API when the database has none: walked along the chain by
   * each party (test/helpers/chain.ts), a dismissal by its verifying department. Made once per state.
   */
  async function findingIn(state: string): Promise<number | null> {
    const existing = await one(sql`select max(id) as v from findings where deleted_at is null and state = ${state}`);
    if (existing) return existing;
    if (!made.has(state)) {
      made.set(
        state,
        (async () => {
          try {
            if (state !== 'dismissed') return (await chain.walkTo(state, { title: `坏输入样本 ${state}` })).finding.id;
            const { finding, parties } = await chain.walkTo('verifying', { title: '坏输入样本 dismissed' });
            const verifier = await chain.account(parties.verifying);
            const evidence = await chain.upload(verifier, finding.id);
            return (await chain.step(verifier, finding.id, 'dismiss', { outcome: 'not_true', reason: '经核查不属实', evidenceIds: [evidence] })).id;
          } finally {
            // The walk moves "today" past observation periods and the 公示; the corpus runs on the real clock.
            realToday();
          }
        })(),
      );
    }
    return made.get(state)!;
  }

  /** Some row of a table the corpus needs and the seeded database lacks, made through the API. */
  async function ensureRow(table: string): Promise<number | null> {
    if (table === 'clues') return findingIn('clue');
    const existing = await one(sql`select max(id) as v from ${sql.identifier(table)}`);
    if (existing) return existing;
    const as = await coordinator();
    if (table === 'findings') return findingIn('clue');
    if (table === 'tasks') return (await findingIn('verifying')) && one(sql`select max(id) as v from tasks`);
    if (table === 'attachments') return (await findingIn('pending_acceptance')) && one(sql`select max(id) as v from attachments`);
    if (table === 'rule_changes') {
      // Proposing a change is an admin's; the review route is then tried on it.
      const rule = await one(sql`select min(id) as v from rules`);
      const admin = client(ctx().app, await signIn(ctx().app, 'admin'));
      const res = await admin(`/api/rules/${rule}/changes`, { json: bodyOf('POST /api/rules/:id/changes') });
      return res.status === 201 ? ((await res.json()) as { id: number }).id : null;
    }
    if (table === 'supervision_notices') {
      // A rectification 40 days past its deadline, and the sweep the server runs hourly issues its 通报.
      const { finding } = await chain.walkTo('rectifying', { title: '坏输入样本 督办' });
      await db().rows(sql`update findings set deadline = ${addDays(todayIn(), -40)} where id = ${finding.id}`);
      await sweepSupervision(db(), testConfig(), new Date());
      return one(sql`select max(id) as v from supervision_notices`);
    }
    if (table === 'inspections') {
      const res = await as('/api/inspections', { json: bodyOf('POST /api/inspections') });
      return res.status === 201 ? ((await res.json()) as { id: number }).id : null;
    }
    if (table === 'inspection_tracks') {
      const inspection = await ensureRow('inspections');
      const geojson = JSON.stringify({ type: 'LineString', coordinates: [[119.1, 36.7], [119.12, 36.71], [119.14, 36.73]] });
      await ctx().app.request(`/api/inspections/${inspection}/tracks`, {
        method: 'POST',
        headers: { origin: SAME_ORIGIN, cookie: await coordCookie() },
        body: upload('track.geojson', 'application/geo+json', geojson),
      });
      return one(sql`select max(id) as v from inspection_tracks`);
    }
    return null;
  }

  /** A real row for each path parameter, so the bad value of another part reaches the service. */
  async function sampleParams(spec: RouteSpec, body?: z.ZodObject): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const segments = spec.path.split('/');
    for (const name of spec.params) {
      if (name === 'code') {
        out[name] = 'WF-PA-01';
        continue;
      }
      const segment = segments[segments.indexOf(`:${name}`) - 1];
      const table = paramTables[name] ?? segmentTables[segment] ?? segment;
      // An action is tried on a finding in a state it can be taken from, so its body reaches the workflow.
      const action = body && spec.key === 'POST /api/findings/:id/transitions' ? actionOf(body) : undefined;
      const id = action ? await findingIn(actionStates[action][0]) : await ensureRow(table);
      out[name] = String(id ?? 1);
    }
    return out;
  }

  /** The current optimistic-lock version of the row the path names. */
  async function currentVersion(spec: RouteSpec, params: Record<string, string>): Promise<number> {
    if (!params.id) return 1;
    const segments = spec.path.split('/');
    const segment = segments[segments.indexOf(':id') - 1];
    // A clue's version is its finding's.
    const table = segment === 'clues' ? 'findings' : (segmentTables[segment] ?? segment);
    return (await one(sql`select version as v from ${sql.identifier(table)} where id = ${Number(params.id)}`).catch(() => null)) ?? 1;
  }

  const pathOf = (spec: RouteSpec, params: Record<string, string>) => spec.path.replace(/:([A-Za-z]+)/g, (_, n: string) => params[n]);

  async function send(spec: RouteSpec, url: string, init: { contentType?: string | null; body?: string } = {}) {
    const headers: Record<string, string> = { origin: SAME_ORIGIN, cookie: await sessionFor(spec), 'x-forwarded-for': '10.9.8.7' };
    if (init.contentType) headers['content-type'] = init.contentType;
    return ctx().app.request(url, { method: spec.method, headers, body: init.body });
  }

  it('has records in the states the corpus needs, made through the API', { timeout: 600_000 }, async () => {
    const states = [...new Set(actionNames.map((a) => actionStates[a][0]))];
    expect(states.sort()).toEqual(['closed', 'clue', 'confirmed', 'dismissed', 'pending_acceptance', 'planning', 'publicising', 'rectifying', 'verifying']);
    for (const state of states) {
      const id = await findingIn(state);
      expect(id, state).toEqual(expect.any(Number));
      expect(await one(sql`select 1 as v from findings where id = ${id} and state = ${state}`), state).toBe(1);
    }
    for (const table of ['tasks', 'attachments', 'inspections', 'inspection_tracks', 'clues', 'rule_changes', 'supervision_notices']) expect(await ensureRow(table), table).toEqual(expect.any(Number));
  });

  for (const spec of specs) {
    it(`${spec.key}`, { timeout: 600_000 }, async () => {
      const problems: string[] = [];
      const tryOne = async (what: string, url: string, init?: { contentType?: string | null; body?: string }) => {
        const problem = await problemOf(await send(spec, url, init));
        if (problem) problems.push(`${what}: ${problem}`);
      };
      const withBody = spec.method !== 'GET' && spec.method !== 'DELETE';
      const baseQuery = spec.query ? objectsOf(spec.query).map((o) => sampleObject(o, true))[0] ?? {} : {};
      const queryBase = async (params: Record<string, string>) => {
        const q = { ...baseQuery };
        if ('version' in q) q.version = String(await currentVersion(spec, params));
        return q;
      };
      const firstBody = spec.bodies[0];
      const baseBody = async (body: z.ZodObject | undefined, params: Record<string, string>) => {
        const b = body ? sampleObject(body) : {};
        if (body && 'version' in body.shape) b.version = await currentVersion(spec, params);
        return b;
      };
      const url = async (params: Record<string, string>, q?: string) => {
        const query = q ?? queryString(await queryBase(params));
        return `${pathOf(spec, params)}${query ? `?${query}` : ''}`;
      };

      // Path parameters.
      for (const name of spec.params) {
        for (const bad of pathValues) {
          const params = { ...(await sampleParams(spec, firstBody)), [name]: bad };
          const body = withBody && !spec.multipart ? JSON.stringify(await baseBody(firstBody, params)) : undefined;
          await tryOne(`path ${name}=${bad.slice(0, 20)}`, await url(params), { contentType: body ? 'application/json' : null, body });
        }
      }

      // Query parameters: each known one with every value, plus an unknown and a repeated one.
      const queryFields = spec.query ? objectsOf(spec.query).flatMap((o) => Object.keys(o.shape)) : [];
      {
        const params = await sampleParams(spec, firstBody);
        const body = withBody && !spec.multipart ? JSON.stringify(await baseBody(firstBody, params)) : undefined;
        const init = { contentType: body ? 'application/json' : null, body };
        const base = await queryBase(params);
        for (const field of queryFields) {
          const others = queryString(Object.fromEntries(Object.entries(base).filter(([k]) => k !== field)));
          for (const bad of queryValues) {
            await tryOne(`query ${field}=${bad.slice(0, 30)}`, await url(params, [others, `${field}=${bad}`].filter(Boolean).join('&')), init);
          }
          const good = base[field] ?? sample(objectsOf(spec.query!)[0].shape[field] as z.ZodType, true) ?? '1';
          await tryOne(`query ${field} repeated`, await url(params, [others, `${field}=${encodeURIComponent(String(good))}&${field}=x`].filter(Boolean).join('&')), init);
        }
        await tryOne('unknown query parameter', await url(params, [queryString(base), 'no_such_parameter=1'].filter(Boolean).join('&')), init);
      }

      // Body fields, one at a time, on an otherwise valid body.
      for (const body of spec.bodies) {
        for (const [field, schema] of Object.entries(body.shape as Record<string, z.ZodType>)) {
          const kind = kindOf(schema);
          const values = [...anyField, ...(kind === 'string' ? dateLike : []), ...(kind === 'structured' ? [...geometryLike, ...chainLists] : [])];
          for (const bad of values) {
            const params = await sampleParams(spec, body);
            const text = bodyWith(await baseBody(body, params), field, bad);
            await tryOne(`body ${field}=${bad.label}${optional(schema) ? '' : ' (required)'}`, await url(params), { contentType: 'application/json', body: text });
          }
        }
        // A body missing everything it needs, and one with a field nobody asked for.
        const params = await sampleParams(spec, body);
        await tryOne('body {}', await url(params), { contentType: 'application/json', body: '{}' });
        await tryOne('body with an extra field', await url(params), {
          contentType: 'application/json',
          body: JSON.stringify({ ...(await baseBody(body, params)), noSuchField: 1 }),
        });
      }

      // Whole bodies: malformed JSON, wrong types, wrong content types.
      if (withBody) {
        const params = await sampleParams(spec, firstBody);
        for (const [contentType, body] of [...(spec.multipart ? [] : wholeBodies), ...multipartBodies.map(([t, b]) => [t, b] as const)]) {
          await tryOne(`whole body ${contentType} ${body.slice(0, 30)}`, await url(params), { contentType, body });
        }
      }

      expect(problems).toEqual([]);
    });
  }

  it('walks every API route and knows the fields of every body it validates', () => {
    expect(specs.length).toBe(Object.keys(routeAccess).length);
    const missing = specs.filter((s) => s.method !== 'GET' && s.method !== 'DELETE' && !s.multipart && s.bodies.length === 0).map((s) => s.key);
    // Routes that take no body at all.
    expect(missing).toEqual(['POST /api/auth/logout']);
    // Each body has a valid sample, so a bad field is the only thing wrong with the requests above.
    const unsampled = specs.flatMap((s) => s.bodies.filter((b) => !b.safeParse(sampleObject(b)).success).map(() => s.key));
    expect(unsampled).toEqual([]);
  });
});

describeEachBackend('the edge refuses what the database cannot hold, naming the field', (ctx) => {
  const invalid = (message: string, issues: { path: string; message: string }[]) => ({ error: { code: 'invalid_request', message, issues } });
  const finding = {
    title: '河道采砂',
    category: 'mining',
    source: 'patrol',
    description: '巡查发现河道内有采砂痕迹',
    discoveredAt: '2026-03-01',
    geometry: { type: 'Point', coordinates: [118.7151, 36.55] },
  };

  it('refuses NUL and lone surrogates in any text, in queries and bodies', async () => {
    const as = await ctx().as('coord');
    const nul = await as('/api/findings?q=%00');
    expect(nul.status).toBe(400);
    expect(await nul.json()).toEqual(invalid('查询参数有误：q', [{ path: 'q', message: '含有无法保存的字符（如 NUL 或不完整的 Unicode 字符）' }]));
    const surrogate = await as('/api/findings', { json: { ...finding, description: '备注 \ud800' } });
    expect(await surrogate.json()).toEqual(invalid('请求内容有误：description', [{ path: 'description', message: '含有无法保存的字符（如 NUL 或不完整的 Unicode 字符）' }]));
    // A proper pair (an emoji) is a character like any other.
    expect((await as('/api/findings', { json: { ...finding, description: '现场照片 📷' } })).status).toBe(201);
  });

  it('keeps ids within int4 and dates within 1900–2100', async () => {
    const as = await ctx().as('coord');
    const big = await as('/api/tasks?department=2147483648');
    expect(await big.json()).toEqual(invalid('查询参数有误：department', [{ path: 'department', message: '部门编号超出范围' }]));
    const path = await as('/api/findings/2147483648');
    expect(await path.json()).toEqual(invalid('路径参数有误：id', [{ path: 'id', message: '问题编号超出范围' }]));
    const from = await as('/api/findings?from=0000-01-01');
    expect(await from.json()).toEqual(invalid('查询参数有误：from', [{ path: 'from', message: '日期须在 1900-01-01 至 2100-12-31 之间' }]));
    const discovered = await as('/api/findings', { json: { ...finding, discoveredAt: '0001-01-01', inspectionId: 2147483648 } });
    expect(await discovered.json()).toEqual(
      invalid('请求内容有误：discoveredAt、inspectionId', [
        { path: 'discoveredAt', message: '日期须在 1900-01-01 至 2100-12-31 之间' },
        { path: 'inspectionId', message: '检查编号超出范围' },
      ]),
    );
  });

  it('refuses a planned end before the planned start, and a point with a height', async () => {
    const as = await ctx().as('coord');
    const inspection = { title: '联合检查', leadDepartmentId: 1, departmentIds: [1], plannedStart: '2026-05-02', plannedEnd: '2026-05-01' };
    const planned = await as('/api/inspections', { json: inspection });
    expect(await planned.json()).toEqual(invalid('请求内容有误：plannedEnd', [{ path: 'plannedEnd', message: '计划结束日期不能早于计划开始日期' }]));
    const z = await as('/api/findings', { json: { ...finding, geometry: { type: 'Point', coordinates: [118.7151, 36.55, 12] } } });
    expect(z.status).toBe(400);
    expect(((await z.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toEqual(['geometry.coordinates']);
  });

  it('refuses crafted paging cursors', async () => {
    const as = await ctx().as('coord');
    for (const cursor of [cursorOf({ v: [{}], id: 1 }), cursorOf({ v: ['2026-01-01'], id: 2147483648 }), cursorOf({ v: ['2026-01-01', 1], id: 1 })]) {
      const res = await as(`/api/findings?cursor=${cursor}`);
      expect(await res.json()).toEqual(invalid('查询参数有误：cursor', [{ path: 'cursor', message: '分页游标无效，请从第一页重新查询' }]));
    }
    // The cursors the server writes still page, in both sorts.
    for (let i = 0; i < 2; i++) expect((await as('/api/findings', { json: finding })).status).toBe(201);
    for (const sort of ['newest', 'overdue_first']) {
      const first = (await (await as(`/api/findings?limit=1&sort=${sort}`)).json()) as { nextCursor: string };
      expect(first.nextCursor).toEqual(expect.any(String));
      expect((await as(`/api/findings?limit=1&sort=${sort}&cursor=${first.nextCursor}`)).status).toBe(200);
    }
  });

  it('answers a foreign id that names no row with 422 naming the field', async () => {
    const as = await ctx().as('coord');
    const res = await as('/api/inspections', {
      json: { title: '联合检查', leadDepartmentId: 1, departmentIds: [1], members: [{ name: '张三', userId: 999999 }] },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual(invalid('请求内容有误：userId 引用的记录不存在', [{ path: 'userId', message: 'userId 引用的记录不存在' }]));
  });
});
