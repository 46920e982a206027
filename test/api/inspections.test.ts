import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/lib/log.ts';
import { client, signIn } from '../helpers/auth.ts';
import { departmentIds } from '../helpers/places.ts';
import { describeEachBackend, testConfig } from '../helpers/backends.ts';

/** A GPX track walked west to east across the Xiashan lake park (WF-PA-15) on 12 May 2026. */
const gpx = (points: [number, number][]) => `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="36.4200" lon="119.4200"><name>取水口</name><desc>未见异常</desc></wpt>
  <trk><name>峡山湖巡查</name><trkseg>
${points.map(([lon, lat], i) => `    <trkpt lat="${lat}" lon="${lon}"><time>2026-05-12T0${1 + Math.floor(i / 6)}:${String((i % 6) * 10).padStart(2, '0')}:00Z</time></trkpt>`).join('\n')}
  </trkseg></trk>
</gpx>`;
const across = Array.from({ length: 9 }, (_, i) => [119.36 + i * 0.015, 36.42] as [number, number]);

describeEachBackend('joint inspections', (ctx) => {
  let eco = 0;
  let nr = 0;
  beforeAll(async () => {
    ({ eco, nr } = await departmentIds(ctx().database, ['eco', 'nr']));
  });
  const upload = async (as: ReturnType<typeof client>, id: number, name: string, body: string, coordinateSystem?: string) => {
    const form = new FormData();
    form.set('file', new File([body], name));
    if (coordinateSystem) form.set('coordinateSystem', coordinateSystem);
    return as(`/api/inspections/${id}/tracks`, { method: 'POST', body: form } as never);
  };
  const formClient = async (username: string) => {
    const cookie = await signIn(ctx().app, username);
    return (path: string, init: { method?: string; body?: FormData; json?: unknown } = {}) =>
      init.body ? ctx().app.request(path, { method: init.method, body: init.body, headers: { cookie, origin: 'http://localhost' } }) : client(ctx().app, cookie)(path, init);
  };

  it('plans, records and completes a joint inspection with an imported track, and coverage sees it', async () => {
    const coord = await ctx().as('coord');
    const created = await coord('/api/inspections', {
      json: { title: '峡山湖联合检查', leadDepartmentId: eco, departmentIds: [eco, nr], areaCodes: ['WF-PA-15'], plannedStart: '2026-05-12', plannedEnd: '2026-05-12', members: [{ name: '张三' }] },
    });
    expect(created.status).toBe(201);
    const inspection = await created.json();
    expect(inspection).toMatchObject({ title: '峡山湖联合检查', status: 'planned', joint: true, areaCodes: ['WF-PA-15'], trackCount: 0, version: 1, members: [{ name: '张三', userId: null }] });
    expect(inspection.departments.map((d: { code: string }) => d.code)).toEqual(['eco', 'nr']);

    const insp = await formClient('insp');
    const res = await upload(insp as never, inspection.id, 'xiashan.gpx', gpx(across));
    expect(res.status).toBe(201);
    const imported = await res.json();
    expect(imported).toMatchObject({ format: 'gpx', pointCount: 9, checkpoints: 1, coordinateSystem: 'wgs84', timeRange: { start: '2026-05-12T01:00:00.000Z', end: '2026-05-12T02:20:00.000Z' } });
    expect(imported.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(imported.inspection.tracks.features[0].properties.lengthKm).toBeGreaterThan(10);
    expect(imported.inspection.checkpoints.features[0].properties).toMatchObject({ name: '取水口', note: '未见异常' });

    const nrOfficer = await ctx().as('nr');
    const done = await nrOfficer(`/api/inspections/${inspection.id}`, {
      method: 'PATCH',
      json: { version: imported.inspection.version, status: 'completed', actualStart: '2026-05-12', actualEnd: '2026-05-12', summary: '未发现新问题' },
    });
    expect(done.status).toBe(200);
    expect((await done.json()).version).toBe(imported.inspection.version + 1);
    const stale = await coord(`/api/inspections/${inspection.id}`, { method: 'PATCH', json: { version: imported.inspection.version, title: '改名' } });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('conflict');

    const coverage = await (await coord('/api/coverage?period=2026-Q2')).json();
    expect(coverage.areas.find((a: { code: string }) => a.code === 'WF-PA-15')).toMatchObject({ visited: true, joint: true, lastVisit: '2026-05-12' });
    const events = (await (await coord(`/api/events?entity=inspection&id=${inspection.id}`)).json()).events.map((e: { action: string }) => e.action);
    expect(events).toEqual(['inspection.created', 'inspection.track_imported', 'inspection.updated']);
  });

  it('lets only people of a participating department record it; viewers read', async () => {
    const coord = await ctx().as('coord');
    const { id, version } = await (await coord('/api/inspections', { json: { title: '仅市局与自然资源局', leadDepartmentId: eco, departmentIds: [eco, nr] } })).json();
    const lq = await ctx().as('lq');
    const refused = await lq(`/api/inspections/${id}`, { method: 'PATCH', json: { version, title: '临朐改' } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'forbidden', message: '只有参与部门的人员可以记录本次检查' } });
    expect((await upload((await formClient('lq')) as never, id, 'a.gpx', gpx(across))).status).toBe(403);
    const viewer = await ctx().as('viewer');
    expect((await viewer(`/api/inspections/${id}`)).status).toBe(200);
    expect((await viewer(`/api/inspections/${id}`, { method: 'PATCH', json: { version, title: 'x' } })).status).toBe(403);
    const notMine = await lq('/api/inspections', { json: { title: '别人的', leadDepartmentId: eco, departmentIds: [eco, nr] } });
    expect(notMine.status).toBe(403);
  });

  it('refuses bad inspections and bad track files with what and where', async () => {
    const coord = await ctx().as('coord');
    const bad = await coord('/api/inspections', { json: { title: '', status: 'completed', leadDepartmentId: nr, departmentIds: [eco, eco] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(['title', 'actualStart', 'departmentIds', 'departmentIds']);
    const ghost = await coord('/api/inspections', { json: { title: 'x', leadDepartmentId: eco, departmentIds: [eco], areaCodes: ['WF-PA-99'] } });
    expect((await ghost.json()).error.issues).toEqual([{ path: 'areaCodes', message: '保护地不存在：WF-PA-99' }]);

    const { id } = await (await coord('/api/inspections', { json: { title: '文件测试', leadDepartmentId: eco, departmentIds: [eco] } })).json();
    const as = await formClient('coord');
    const outside = await upload(as as never, id, 'far.gpx', gpx([[121.5, 36.2], [121.6, 36.2]]));
    expect(outside.status).toBe(422);
    const body = await outside.json();
    expect(body.error.code).toBe('out_of_extent');
    expect(body.error.message).toMatch(/far\.gpx/);
    expect(body.error.message).toMatch(/121\.5/);
    const broken = await upload(as as never, id, 'broken.gpx', '<gpx><trk><trkseg><trkpt lat="36.4"');
    expect(broken.status).toBe(422);
    expect((await broken.json()).error.code).toBe('malformed_file');
    const form = new FormData();
    form.set('file', new File([gpx(across)], 'preview.gpx'));
    const preview = await as(`/api/inspections/${id}/tracks?dryRun=1`, { method: 'POST', body: form });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ dryRun: true, format: 'gpx', pointCount: 9, checkpoints: 1, tracks: { type: 'MultiLineString' } });
    const noFile = await as(`/api/inspections/${id}/tracks`, { method: 'POST', body: new FormData() });
    expect(noFile.status).toBe(400);
    const [{ n }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from inspection_tracks where inspection_id = ${id}`);
    expect(n).toBe(0);
  });

  it('refuses a file over UPLOAD_MAX_MB with 413', async () => {
    const app = createApp({ database: ctx().database, config: testConfig({ uploadMaxMb: 0.01 }), log: createLogger('silent') });
    const cookie = await signIn(app, 'coord');
    const { id } = await (await client(app, cookie)('/api/inspections', { json: { title: '大文件', leadDepartmentId: eco, departmentIds: [eco] } })).json();
    const form = new FormData();
    form.set('file', new File(['x'.repeat(200_000)], 'big.gpx'));
    const res = await app.request(`/api/inspections/${id}/tracks`, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('file_too_large');
  });
});
