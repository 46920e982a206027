/** Findings end to end through the API: capture and spatial join, the chain to closure, tasks, evidence, lists. */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { today as todayIn } from '../../server/lib/clock.ts';
import { createLogger } from '../../server/lib/log.ts';
import { client, signIn } from '../helpers/auth.ts';
import { describeEachBackend, testConfig } from '../helpers/backends.ts';
import { Chain, realToday } from '../helpers/chain.ts';

// Walks past observation periods and the 公示 move the server's "today" (test/helpers/today.ts).
vi.mock('../../server/lib/clock.ts', async (original) => (await import('../helpers/today.ts')).movableClock(await original()));

/** Walks through the chain make dozens of requests each; on a loaded machine they need longer than the default. */
const WALK = { timeout: 240_000 };

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = todayIn();

describeEachBackend('findings', (ctx) => {
  const chain = new Chain(ctx);
  afterEach(realToday);
  const ids: Record<string, number> = {};
  let coreOf01: [number, number];
  let insideXiashan: [number, number];
  beforeAll(async () => {
    for (const r of await ctx().database.rows<{ code: string; id: number }>(sql`select code, id from departments where code in ('eco', 'nr', 'water', 'eco-linqu')`)) ids[r.code] = r.id;
    const [p] = await ctx().database.rows<{ x: number; y: number }>(
      sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(z.geom) as p from area_zones z join protected_areas a on a.id = z.area_id where a.code = 'WF-PA-01' and z.zone = 'core') q`,
    );
    coreOf01 = [p.x, p.y];
    const [q] = await ctx().database.rows<{ x: number; y: number }>(
      sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(geom) as p from protected_areas where code = 'WF-PA-15') q`,
    );
    insideXiashan = [q.x, q.y];
  });

  const newFinding = (over: Record<string, unknown> = {}) => ({
    title: '河道内非法采砂',
    category: 'mining',
    source: 'remote_sensing',
    description: '遥感监测发现河道内新增采砂坑',
    discoveredAt: '2026-05-20',
    geometry: { type: 'Point', coordinates: insideXiashan },
    ...over,
  });
  const upload = async (username: string, findingId: number, name: string, bytes: Uint8Array<ArrayBuffer>) => {
    const cookie = await signIn(ctx().app, username);
    const form = new FormData();
    form.set('file', new File([bytes], name));
    return ctx().app.request(`/api/findings/${findingId}/attachments`, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
  };

  it('captures a clue with a serial, the areas and zone it lies in, and its county', async () => {
    const insp = await ctx().as('insp');
    const res = await insp('/api/findings', { json: newFinding({ geometry: { type: 'Point', coordinates: coreOf01 }, constructedAt: '1975-06-01' }) });
    expect(res.status).toBe(201);
    const f = await res.json();
    expect(f).toMatchObject({ serial: expect.stringMatching(/^WF-2026-\d{4}$/), state: 'clue', version: 1, areas: ['WF-PA-01', 'WF-PA-38'], zone: 'core', countyCode: '370724', nature: 'historical', warnings: [] });
    const next = await (await insp('/api/findings', { json: newFinding() })).json();
    expect(Number(next.serial.slice(-4))).toBe(Number(f.serial.slice(-4)) + 1);
    expect(next).toMatchObject({ areas: ['WF-PA-15'], zone: null, nature: null });
    const older = await (await insp('/api/findings', { json: newFinding({ discoveredAt: '2025-03-02' }) })).json();
    expect(older.serial).toMatch(/^WF-2025-\d{4}$/);
  });

  it('judges its findings again when a boundary changes', async () => {
    const insp = await ctx().as('insp');
    const f = await (await insp('/api/findings', { json: newFinding({ title: '边界调整测试' }) })).json();
    expect(f.areas).toEqual(['WF-PA-15']);
    // A new boundary version that no longer covers the finding (as an imported official boundary might).
    await ctx().database.rows(sql`update protected_areas set geom = ST_Multi(ST_Translate(geom, 0.5, 0)), boundary_version = boundary_version + 1 where code = 'WF-PA-15'`);
    expect((await (await insp(`/api/findings/${f.id}`)).json()).areas).toEqual([]);
    await ctx().database.rows(sql`update protected_areas set geom = ST_Multi(ST_Translate(geom, -0.5, 0)), boundary_version = boundary_version + 1 where code = 'WF-PA-15'`);
    const back = await (await insp(`/api/findings/${f.id}`)).json();
    expect(back.areasDetail).toEqual([expect.objectContaining({ code: 'WF-PA-15', zone: null })]);
    const [row] = await ctx().database.rows<{ v: number }>(sql`select boundary_version as v from finding_areas where finding_id = ${f.id}`);
    expect(row.v).toBe(3);
  });

  it('measures a polygon in m² and 亩, and accepts a place outside every area only as "other", with a warning', async () => {
    const insp = await ctx().as('insp');
    const [x, y] = insideXiashan;
    const d = 0.0005;
    const polygon = { type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]] };
    const f = await (await insp('/api/findings', { json: newFinding({ category: 'construction', geometry: polygon }) })).json();
    expect(f.areaM2).toBeGreaterThan(8000);
    expect(f.areaM2).toBeLessThan(10_000);
    expect(f.areaMu).toBeCloseTo(f.areaM2 / 666.6667, 1);
    const far = { type: 'Point', coordinates: [119.9, 35.6] };
    const refused = await insp('/api/findings', { json: newFinding({ geometry: far }) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.issues).toEqual([{ path: 'geometry', message: '位置不在任何自然保护地内；保护地外的问题只能按“其他”类别登记' }]);
    const other = await (await insp('/api/findings', { json: newFinding({ category: 'other', geometry: far }) })).json();
    expect(other.areas).toEqual([]);
    expect(other.warnings).toEqual([{ code: 'outside_areas', message: '位置不在任何自然保护地内，已按“其他”登记，请核实坐标' }]);
  });

  it('converts GCJ-02 input to WGS84 before storing it', async () => {
    const insp = await ctx().as('insp');
    const gcj = [insideXiashan[0] + 0.006, insideXiashan[1] + 0.0005];
    const f = await (await insp('/api/findings', { json: newFinding({ geometry: { type: 'Point', coordinates: gcj }, coordinateSystem: 'gcj02' }) })).json();
    const detail = await (await insp(`/api/findings/${f.id}`)).json();
    const [lon, lat] = detail.geometry.coordinates;
    expect(Math.abs(lon - insideXiashan[0])).toBeLessThan(0.0008);
    expect(Math.abs(lat - insideXiashan[1])).toBeLessThan(0.0008);
    expect(lon).toBeLessThan(gcj[0]);
  });

  it('refuses bad findings with the fields named', async () => {
    const insp = await ctx().as('insp');
    const bowtie = { type: 'Polygon', coordinates: [[[119.40, 36.40], [119.41, 36.41], [119.41, 36.40], [119.40, 36.41], [119.40, 36.40]]] };
    const invalid = await insp('/api/findings', { json: newFinding({ geometry: bowtie }) });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.issues[0]).toEqual({ path: 'geometry', message: expect.stringMatching(/^几何图形无效：Self-intersection/) });
    const bad = await insp('/api/findings', { json: { title: '', category: 'logging', source: 'rumour', description: 'x', discoveredAt: '2026-13-01', geometry: { type: 'Point', coordinates: [121.9, 36] } } });
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(['title', 'category', 'source', 'discoveredAt', 'geometry.coordinates']);
    const viewer = await ctx().as('viewer');
    expect((await viewer('/api/findings', { json: newFinding() })).status).toBe(403);
  });

  it('walks a finding from clue to 销号, each party acting for its department, tasks and timeline following', WALK, async () => {
    const coord = await chain.coordinator();
    const { finding: f, parties } = await chain.walkTo('closed', { areaCode: 'WF-PA-15', zone: null, category: 'mining', title: '峡山湖采砂' });
    const officerOf = async (id: number) => (await chain.account(id)).username;
    const reviewers = f.plan!.reviewers.map((r) => r.department.id);
    const levels = f.acceptance!.levels;
    // Every step by the party the chain names; evidence uploads between them are left out here.
    const steps = [
      'finding.created by coord',
      'finding.dispatch by coord',
      `finding.confirm by ${await officerOf(parties.verifying)}`,
      'finding.assign_plan by coord',
      `finding.submit_plan by ${await officerOf(f.drafterDepartmentId!)}`,
      ...(await Promise.all(reviewers.map(async (d) => `finding.review_plan by ${await officerOf(d)}`))),
      ...(await Promise.all([parties.lead, ...parties.cooperating].map(async (d) => `finding.report_part by ${await officerOf(d)}`))),
      ...(
        await Promise.all(
          levels.map(async (l) => {
            const who = await officerOf(l.level === 'county' ? parties.countyAcceptor : parties.cityAcceptor);
            return [`finding.site_check by ${who}`, `finding.accept by ${who}`];
          }),
        )
      ).flat(),
      'finding.close by coord',
    ];
    const timeline = (await (await coord.request(`/api/events?entity=finding&id=${f.id}`)).json()).events as { action: string; actor: { label: string } }[];
    expect(timeline.filter((e) => e.action !== 'finding.attachment_added').map((e) => `${e.action} by ${e.actor.label}`)).toEqual(steps);
    expect(levels.map((l) => l.level)).toEqual(['county', 'city']);

    // The tasks follow: each one done by its step, the re-checks open.
    const tasks = f.tasks.map((t) => `${t.kind}:${t.department?.id ?? '-'}:${t.status}`).sort();
    expect(tasks).toEqual(
      [
        `verify:${parties.verifying}:done`,
        `plan:${f.drafterDepartmentId}:done`,
        ...reviewers.map((d) => `review:${d}:done`),
        ...[parties.lead, ...parties.cooperating].map((d) => `rectify:${d}:done`),
        `accept:${parties.countyAcceptor}:done`,
        `accept:${parties.cityAcceptor}:done`,
        `recheck:${parties.verifying}:open`,
        `recheck:${parties.verifying}:open`,
      ].sort(),
    );
    const verifier = await chain.account(parties.verifying);
    const inbox = (await (await verifier.request('/api/tasks?mine=1')).json()).tasks as { kind: string; finding: { id: number } }[];
    expect(inbox.filter((t) => t.finding.id === f.id).map((t) => t.kind)).toEqual(['recheck', 'recheck']);

    // Evidence is kept with the step that cited it and downloads as uploaded.
    const files = (await chain.detail(f.id)).attachments as { eventId: number | null; url: string; mimeType: string }[];
    // One photo for the verification, the 科学评估 where the rule asks, one per part report and one per site check.
    expect(files).toHaveLength(1 + (f.rule.requiresAssessment ? 1 : 0) + 1 + parties.cooperating.length + levels.length);
    expect(files.every((a) => a.eventId !== null)).toBe(true);
    const download = await coord.request(files[0].url);
    expect(download.headers.get('content-type')).toBe(files[0].mimeType);
  });

  it('never loses an update: of two edits from the same version one gets 409', async () => {
    const coord = await ctx().as('coord');
    const insp = await ctx().as('insp');
    const f = await (await insp('/api/findings', { json: newFinding() })).json();
    const [a, b] = await Promise.all([
      coord(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version, title: '标题甲' } }),
      insp(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version, title: '标题乙' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await (a.status === 409 ? a : b).json()).toEqual({
      error: {
        code: 'conflict',
        message: `问题“${f.serial}”已被他人修改（当前版本 ${f.version + 1}，您提交的是版本 ${f.version}），请刷新页面、核对后再改`,
        issues: [{ path: 'version', message: `当前版本为 ${f.version + 1}` }],
      },
    });
    const kept = (await (await coord(`/api/findings/${f.id}`)).json()).title;
    const winner = a.status === 200 ? '标题甲' : '标题乙';
    expect(kept).toBe(winner);
    const lq = await ctx().as('lq');
    const outsider = await lq(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version + 1, title: '临朐改' } });
    expect(outsider.status).toBe(403);
    expect(await outsider.json()).toEqual({ error: { code: 'forbidden', message: '只有登记人、承办部门或联合执法协调员可以修改问题信息' } });
    const stale = await coord(`/api/findings/${f.id}/transitions`, { json: { action: 'dispatch', version: f.version, verifyingDepartmentId: ids.nr, dueDate: addDays(today, 5) } });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('conflict');
  });

  it('accepts only JPEG, PNG, WebP and PDF evidence, under UPLOAD_MAX_MB', async () => {
    const coord = await ctx().as('coord');
    const f = await (await coord('/api/findings', { json: newFinding() })).json();
    const text = await upload('coord', f.id, 'notes.jpg', new TextEncoder().encode('just text pretending'));
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ error: { code: 'unsupported_format', message: '文件 notes.jpg 不是 JPEG、PNG、WebP 图片或 PDF 文档，不能作为证据上传' } });
    const small = createApp({ database: ctx().database, config: testConfig({ uploadMaxMb: 0.001 }), log: createLogger('silent') });
    const cookie = await signIn(small, 'coord');
    const form = new FormData();
    form.set('file', new File([new Uint8Array(4096).fill(0xff)], 'big.jpg'));
    const big = await small.request(`/api/findings/${f.id}/attachments`, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
    expect(big.status).toBe(413);
  });

  it('lists with filters, keyset paging stable under inserts, and GeoJSON for the map', async () => {
    const coord = await ctx().as('coord');
    const batch = `B-${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 5; i++) await coord('/api/findings', { json: newFinding({ title: `分页测试 ${i}`, batch, discoveredAt: `2026-06-0${i + 1}` }) });
    const page1 = await (await coord(`/api/findings?q=${encodeURIComponent('分页测试')}&limit=2`)).json();
    expect(page1.findings.map((f: { title: string }) => f.title)).toEqual(['分页测试 4', '分页测试 3']);
    await coord('/api/findings', { json: newFinding({ title: '分页测试 新', batch, discoveredAt: '2026-06-09' }) });
    const page2 = await (await coord(`/api/findings?q=${encodeURIComponent('分页测试')}&limit=2&cursor=${page1.nextCursor}`)).json();
    const page3 = await (await coord(`/api/findings?q=${encodeURIComponent('分页测试')}&limit=2&cursor=${page2.nextCursor}`)).json();
    expect([...page2.findings, ...page3.findings].map((f: { title: string }) => f.title)).toEqual(['分页测试 2', '分页测试 1', '分页测试 0']);
    expect(page3.nextCursor).toBeNull();
    expect((await coord('/api/findings?cursor=not-a-cursor')).status).toBe(400);

    const geo = await coord('/api/findings?format=geojson&state=clue&category=mining&bbox=119.0,36.0,120.0,37.0&limit=500');
    expect(geo.headers.get('content-type')).toMatch(/geo\+json/);
    const fc = await geo.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(0);
    for (const feature of fc.features) {
      expect(Object.keys(feature.properties)).toEqual(expect.arrayContaining(['id', 'serial', 'state', 'category', 'overdue']));
      expect(feature.properties.state).toBe('clue');
    }
    const bad = await coord('/api/findings?state=lost&bbox=1,2,3');
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(['state.0', 'bbox']);
  });

  it('lets a coordinator hand extra work to a department, which alone may act on it and end it with a reply', async () => {
    const coord = await ctx().as('coord');
    const f = await (await coord('/api/findings', { json: newFinding({ title: '临时任务测试' }) })).json();
    const created = await coord(`/api/findings/${f.id}/tasks`, { json: { kind: 'inspect', departmentId: ids['eco-linqu'], dueOn: addDays(today, 7), instruction: '请复查现场' } });
    expect(created.status).toBe(201);
    const task = await created.json();
    expect(task).toMatchObject({ kind: 'inspect', status: 'open', instruction: '请复查现场', reply: null, department: { code: 'eco-linqu' }, finding: { id: f.id } });
    expect((await (await ctx().as('nr'))(`/api/findings/${f.id}/tasks`, { json: { kind: 'inspect', departmentId: ids.nr, dueOn: today } })).status).toBe(403);

    const nr = await ctx().as('nr');
    const notTheirs = await nr(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'take_up' } });
    expect(notTheirs.status).toBe(403);
    expect((await notTheirs.json()).error.code).toBe('forbidden');
    const lq = await ctx().as('lq');
    const inbox = (await (await lq('/api/tasks?mine=1')).json()).tasks.map((t: { id: number }) => t.id);
    expect(inbox).toContain(task.id);
    const taken = await (await lq(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'take_up' } })).json();
    expect(taken).toMatchObject({ status: 'in_progress', version: task.version + 1 });
    expect((await lq(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: task.version, action: 'complete', reply: '已复查' } })).status).toBe(409);
    const done = await (await lq(`/api/tasks/${task.id}`, { method: 'PATCH', json: { version: taken.version, action: 'complete', reply: '已复查，现场无新增' } })).json();
    // The coordinator's instruction stays as written; the department's words are its reply.
    expect(done).toMatchObject({ status: 'done', instruction: '请复查现场', reply: '已复查，现场无新增', repliedBy: { username: 'lq' } });
    const events = (await (await coord(`/api/events?entity=finding&id=${f.id}`)).json()).events.map((e: { action: string }) => e.action);
    expect(events[0]).toBe('finding.created');
    expect(events).toContain('finding.task_assigned');
  });

  it('derives overdue and escalated from the running deadline', async () => {
    const coord = await ctx().as('coord');
    const f = await (await coord('/api/findings', { json: newFinding({ title: '逾期测试' }) })).json();
    expect((await coord(`/api/findings/${f.id}/transitions`, { json: { action: 'dispatch', version: f.version, verifyingDepartmentId: ids.nr, dueDate: today } })).status).toBe(200);
    // The due date slips into the past (as days pass): overdue, then escalated after 30 days.
    await ctx().database.rows(sql`update tasks set due_on = ${addDays(today, -3)}::date where finding_id = ${f.id}`);
    expect(await (await coord(`/api/findings/${f.id}`)).json()).toMatchObject({ overdue: true, escalated: false });
    await ctx().database.rows(sql`update tasks set due_on = ${addDays(today, -31)}::date where finding_id = ${f.id}`);
    expect(await (await coord(`/api/findings/${f.id}`)).json()).toMatchObject({ overdue: true, escalated: true });
    const escalatedIds = (await (await coord('/api/findings?escalated=1&limit=500')).json()).findings.map((x: { id: number }) => x.id);
    expect(escalatedIds).toContain(f.id);
    const counts = await (await (await ctx().as('nr'))('/api/tasks/counts')).json();
    expect(counts.overdue).toBeGreaterThanOrEqual(1);
  });
});
