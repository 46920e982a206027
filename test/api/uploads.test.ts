import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../server/db/backend.ts';
import { errorBody } from '../../server/lib/errors.ts';
import { parseTrackFile, TrackParseError } from '../../server/features/inspections/tracks/parse.ts';
import { trackParseLoad } from '../../server/features/inspections/tracks/pool.ts';
import { signIn } from '../helpers/auth.ts';
import { departmentIds } from '../helpers/places.ts';
import { describeEachBackend } from '../helpers/backends.ts';

/** A GPX walked west to east across the Xiashan lake park (WF-PA-15) on `day`, a point every ten minutes from 09:00 China time. */
const gpxOn = (day: string, points: [number, number][], times?: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="36.4200" lon="119.4200"><name>取水口</name></wpt>
  <trk><name>峡山湖巡查</name><trkseg>
${points
  .map(([lon, lat], i) => {
    const time = times?.[i] ?? new Date(Date.parse(`${day}T01:00:00Z`) + i * 600_000).toISOString();
    return `    <trkpt lat="${lat}" lon="${lon}"><time>${time}</time></trkpt>`;
  })
  .join('\n')}
  </trkseg></trk>
</gpx>`;
const across = Array.from({ length: 9 }, (_, i) => [119.36 + i * 0.015, 36.42] as [number, number]);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Resolves once `done()` holds, checking on every turn of the event loop (no fixed sleeps). */
async function until(done: () => boolean | Promise<boolean>, what: string, turns = 200_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await done()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting until ${what}`);
}

describeEachBackend('uploads: one copy per record, removable tracks, parsing off the event loop', (ctx) => {
  let eco = 0;
  let nr = 0;
  beforeAll(async () => {
    ({ eco, nr } = await departmentIds(ctx().database, ['eco', 'nr']));
  });
  const post = async (username: string, path: string, name: string, body: string | Uint8Array<ArrayBuffer>) => {
    const cookie = await signIn(ctx().app, username);
    const form = new FormData();
    form.set('file', new File([body], name));
    return ctx().app.request(path, { method: 'POST', body: form, headers: { cookie, origin: 'http://localhost' } });
  };
  const uploadTrack = (username: string, id: number, name: string, body: string, query = '') => post(username, `/api/inspections/${id}/tracks${query}`, name, body);
  const newInspection = async (over: Record<string, unknown> = {}, username = 'coord') => {
    const as = await ctx().as(username);
    const res = await as('/api/inspections', {
      json: { title: '峡山湖联合检查', leadDepartmentId: eco, departmentIds: [eco, nr], areaCodes: ['WF-PA-15'], plannedStart: '2026-03-10', plannedEnd: '2026-03-10', ...over },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number; version: number };
  };
  const liveTracks = async (id: number) =>
    ctx().database.rows<{ id: number; file_name: string }>(sql`select id, file_name from inspection_tracks where inspection_id = ${id} and deleted_at is null order by id`);

  it('answers 409 naming the first copy when the same track file is uploaded again, preview included', async () => {
    const { id } = await newInspection();
    const file = gpxOn('2026-03-10', across);
    const first = await uploadTrack('insp', id, 'xiashan.gpx', file);
    expect(first.status).toBe(201);
    const { trackId } = await first.json();
    const [{ on }] = await ctx().database.rows<{ on: string }>(
      sql`select to_char(uploaded_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as on from inspection_tracks where id = ${trackId}`,
    );
    const expected = errorBody('duplicate_file', `文件 copy.gpx 与 ${on} 上传的轨迹 ${trackId}（xiashan.gpx）内容完全相同，未重复保存`, [
      { path: 'file', message: `与轨迹 ${trackId}（xiashan.gpx）相同` },
    ]);
    for (const query of ['', '?dryRun=1']) {
      const again = await uploadTrack('insp', id, 'copy.gpx', file, query);
      expect(again.status).toBe(409);
      expect(await again.json()).toEqual(expected);
    }
    expect(await liveTracks(id)).toEqual([{ id: trackId, file_name: 'xiashan.gpx' }]);
    // Another inspection may hold the same file: the rule is per record.
    const other = await newInspection();
    expect((await uploadTrack('insp', other.id, 'xiashan.gpx', file)).status).toBe(201);
  });

  it('stores one of two concurrent identical uploads and answers the other 409', async () => {
    const { id } = await newInspection();
    const file = gpxOn('2026-03-10', across.slice(1));
    const answers = await Promise.all([uploadTrack('insp', id, 'a.gpx', file), uploadTrack('nr', id, 'b.gpx', file)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const conflict = await answers.find((r) => r.status === 409)!.json();
    const [kept] = await liveTracks(id);
    expect(conflict.error.code).toBe('duplicate_file');
    expect(conflict.error.message).toContain(`轨迹 ${kept.id}（${kept.file_name}）`);
    expect(await liveTracks(id)).toHaveLength(1);
  });

  it('lets the unique index decide when a concurrent copy commits after the check (PostgreSQL, two connections)', async (test) => {
    if (ctx().kind !== 'postgres') test.skip('PGlite has one connection, so no upload can pass the check while another holds a row');
    const { id } = await newInspection();
    const file = gpxOn('2026-03-10', across.slice(2));
    let upload: Promise<Response> | null = null;
    let heldId = 0;
    await ctx().database.db.transaction(async (tx) => {
      const [held] = await queryRows<{ id: number }>(
        tx,
        sql`insert into inspection_tracks (inspection_id, file_name, format, sha256, point_count, geom)
            values (${id}, 'held.gpx', 'gpx', ${sha256(file)}, 2, ST_GeomFromText('MULTILINESTRING((119.40 36.42, 119.41 36.42))', 4326)) returning id`,
      );
      heldId = Number(held.id);
      // The upload's check cannot see the uncommitted row, so it parses and inserts, and waits on the index.
      upload = uploadTrack('insp', id, 'late.gpx', file);
      await until(async () => {
        const [{ n }] = await ctx().database.rows<{ n: number }>(
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into inspection_tracks%'`,
        );
        return n === 1;
      }, 'the upload waits on the unique index');
    });
    const res = await upload!;
    expect(res.status).toBe(409);
    expect((await res.json()).error.issues).toEqual([{ path: 'file', message: `与轨迹 ${heldId}（held.gpx）相同` }]);
    expect(await liveTracks(id)).toEqual([{ id: heldId, file_name: 'held.gpx' }]);
  });

  it('removes a track (soft, audited, versioned): coverage drops it and the same file may be imported again', async () => {
    const { id } = await newInspection({ status: 'completed', actualStart: '2026-03-10', actualEnd: '2026-03-10' });
    const file = gpxOn('2026-03-10', across);
    const coord = await ctx().as('coord');
    const coverage = async () => {
      const area = await (await coord('/api/coverage/WF-PA-15?period=2026-Q1')).json();
      return { inspections: area.inspections as number, coverage: area.coverage as number };
    };
    const baseline = await coverage();
    const imported = await (await uploadTrack('insp', id, 'xiashan.gpx', file)).json();
    const version = imported.inspection.version as number;
    const withTrack = await coverage();
    expect(withTrack.inspections).toBe(baseline.inspections + 1);
    expect(withTrack.coverage).toBeGreaterThan(baseline.coverage);

    const remove = async (username: string, trackId: number, v: number) => (await ctx().as(username))(`/api/inspections/${id}/tracks/${trackId}?version=${v}`, { method: 'DELETE' });
    const lq = await remove('lq', imported.trackId, version);
    expect(lq.status).toBe(403);
    expect(await lq.json()).toEqual({ error: { code: 'forbidden', message: '只有参与部门的人员可以记录本次检查' } });
    expect((await remove('viewer', imported.trackId, version)).status).toBe(403);
    const stale = await remove('insp', imported.trackId, version - 1);
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('conflict');
    const missing = await remove('insp', imported.trackId + 100_000, version);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: `检查 ${id} 没有编号为 ${imported.trackId + 100_000} 的轨迹（或已删除）` } });
    const noVersion = await (await ctx().as('insp'))(`/api/inspections/${id}/tracks/${imported.trackId}`, { method: 'DELETE' });
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.issues).toEqual([{ path: 'version', message: '请提供检查记录的版本号（version）' }]);

    const removed = await remove('insp', imported.trackId, version);
    expect(removed.status).toBe(200);
    const after = await removed.json();
    expect(after).toMatchObject({ id, version: version + 1, trackCount: 0, checkpointCount: 0, tracks: { features: [] }, checkpoints: { features: [] } });
    const [row] = await ctx().database.rows<{ deleted: boolean }>(sql`select deleted_at is not null as deleted from inspection_tracks where id = ${imported.trackId}`);
    expect(row.deleted).toBe(true);
    expect(await coverage()).toEqual(baseline);
    const [event] = (await (await coord(`/api/events?entity=inspection&id=${id}`)).json()).events.filter((e: { action: string }) => e.action === 'inspection.track_removed');
    expect(event.before.track).toMatchObject({ id: imported.trackId, fileName: 'xiashan.gpx', sha256: sha256(file), pointCount: 9 });
    expect(event.before.checkpointIds).toHaveLength(1);
    expect((await remove('insp', imported.trackId, version + 1)).status).toBe(404);

    const again = await uploadTrack('insp', id, 'xiashan.gpx', file);
    expect(again.status).toBe(201);
    expect((await again.json()).trackId).not.toBe(imported.trackId);
    expect(await coverage()).toEqual(withTrack);
    // A coordinator of a department not taking part may remove a track too.
    const nrOnly = await newInspection({ leadDepartmentId: nr, departmentIds: [nr] }, 'nr');
    const nrTrack = await (await uploadTrack('nr', nrOnly.id, 'nr.gpx', file)).json();
    const byCoordinator = await coord(`/api/inspections/${nrOnly.id}/tracks/${nrTrack.trackId}?version=${nrTrack.inspection.version}`, { method: 'DELETE' });
    expect(byCoordinator.status).toBe(200);
  });

  it('lets only one of two removals made from the same version through', async () => {
    const { id } = await newInspection();
    const first = await (await uploadTrack('insp', id, 'one.gpx', gpxOn('2026-03-10', across.slice(0, 5)))).json();
    const second = await (await uploadTrack('insp', id, 'two.gpx', gpxOn('2026-03-10', across.slice(4)))).json();
    const version = second.inspection.version as number;
    const [insp, nrOfficer] = [await ctx().as('insp'), await ctx().as('nr')];
    const answers = await Promise.all([
      insp(`/api/inspections/${id}/tracks/${first.trackId}?version=${version}`, { method: 'DELETE' }),
      nrOfficer(`/api/inspections/${id}/tracks/${second.trackId}?version=${version}`, { method: 'DELETE' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const stale = await answers.find((r) => r.status === 409)!.json();
    expect(stale.error.issues).toEqual([{ path: 'version', message: `当前版本为 ${version + 1}` }]);
    expect(await liveTracks(id)).toHaveLength(1);
  });

  it('warns of device-default times and of times far from the inspection dates, in the preview and the stored answer', async () => {
    const { id } = await newInspection({ plannedStart: '2026-03-10', plannedEnd: '2026-03-11' });
    const times = ['1901-12-13T20:45:52Z', '2026-03-10T01:00:00Z', '2026-03-10T01:10:00Z', '2025-03-10T01:20:00Z'];
    const file = gpxOn('2026-03-10', across.slice(0, 4), times);
    const expected = [
      {
        code: 'implausible_time',
        message: '文件 odd.gpx 第 1 条轨迹第 1 段第 1 个点（第 5 行）的时间为 1901-12-13T20:45:52Z，早于 2000 年，多为设备未定位时的默认值，已按无时间处理',
        location: { file: 'odd.gpx', track: 1, segment: 1, index: 1, line: 5 },
      },
      {
        code: 'time_outside_inspection',
        message: '文件 odd.gpx 第 1 条轨迹第 1 段第 4 个点（第 8 行）的时间为 2025-03-10T01:20:00Z，与本次检查日期（2026-03-10 至 2026-03-11）相差超过一天，请核实设备时间或检查日期',
        location: { file: 'odd.gpx', track: 1, segment: 1, index: 4, line: 8 },
      },
    ];
    const preview = await uploadTrack('insp', id, 'odd.gpx', file, '?dryRun=1');
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ dryRun: true, warnings: expected, timeRange: { start: '2025-03-10T01:20:00.000Z', end: '2026-03-10T01:10:00.000Z' } });
    const stored = await uploadTrack('insp', id, 'odd.gpx', file);
    expect(stored.status).toBe(201);
    expect((await stored.json()).warnings).toEqual(expected);
    const plain = await uploadTrack('insp', id, 'plain.gpx', gpxOn('2026-03-11', across));
    expect((await plain.json()).warnings).toEqual([]);
  });

  it('keeps answering other requests while a maximum-size GPX is parsed, and a bad file gets the same error body', async () => {
    const { id } = await newInspection();
    // 200,000 points, the cap, a second apart along the lake shore: about 15 MB.
    const lines: string[] = [];
    const start = Date.parse('2026-03-10T01:00:00Z');
    for (let i = 0; i < 199_999; i++) {
      lines.push(`<trkpt lat="${(36.42 + (i % 2) * 0.0001).toFixed(6)}" lon="${(119.36 + i * 0.0000006).toFixed(7)}"><time>${new Date(start + i * 1000).toISOString()}</time></trkpt>`);
    }
    const big = `<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="36.42" lon="119.42"/><trk><trkseg>\n${lines.join('\n')}\n</trkseg></trk></gpx>`;
    let finished = false;
    const upload = uploadTrack('insp', id, 'day.gpx', big).then((res) => {
      finished = true;
      return res;
    });
    await until(() => trackParseLoad().running === 1, 'the big file is being parsed in a worker');
    const health = await ctx().app.request('/api/health');
    expect(health.status).toBe(200);
    expect(finished).toBe(false);
    expect(trackParseLoad().running).toBe(1);
    const res = await upload;
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ pointCount: 199_999, checkpoints: 1, timeRange: { start: '2026-03-10T01:00:00.000Z' } });

    const broken = '<gpx><trk><trkseg><trkpt lat="36.4" lon="119.4"/><trkpt lat="36.5"';
    let inThread: TrackParseError | null = null;
    try {
      parseTrackFile({ fileName: 'broken.gpx', bytes: new TextEncoder().encode(broken) });
    } catch (error) {
      inThread = error as TrackParseError;
    }
    expect(inThread).toBeInstanceOf(TrackParseError);
    const refused = await uploadTrack('insp', id, 'broken.gpx', broken);
    expect(refused.status).toBe(inThread!.status);
    expect(await refused.json()).toEqual(errorBody(inThread!.code, inThread!.message, [{ path: 'file', message: inThread!.message }]));
    const tooMany = `<gpx version="1.1">${lines.join('')}<wpt lat="36.42" lon="119.42"/><wpt lat="36.42" lon="119.43"/></gpx>`;
    const over = await uploadTrack('insp', id, 'over.gpx', tooMany);
    expect(over.status).toBe(413);
    expect((await over.json()).error).toMatchObject({ code: 'too_many_points', message: '文件 over.gpx 的点数超过上限 200000 个，请分段导出后再导入' });
    // Parsing, storing and answering with 200,000 vertices takes tens of seconds on a busy two-core machine.
  }, 240_000);

  it('answers 409 naming the first copy when the same evidence file is attached to a finding again', async () => {
    const [p] = await ctx().database.rows<{ x: number; y: number }>(
      sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(geom) as p from protected_areas where code = 'WF-PA-15') q`,
    );
    const created = await (await ctx().as('coord'))('/api/findings', {
      json: { title: '湖岸违建', category: 'construction', source: 'joint_inspection', description: '湖岸新建房屋', discoveredAt: '2026-03-10', geometry: { type: 'Point', coordinates: [p.x, p.y] } },
    });
    expect(created.status).toBe(201);
    const findingId = (await created.json()).id as number;
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0x55, 0x50, 0x4c, 0xff, 0xd9]);
    const first = await post('coord', `/api/findings/${findingId}/attachments`, '现场.jpg', photo);
    expect(first.status).toBe(201);
    const { id: attachmentId } = await first.json();
    const answers = await Promise.all([
      post('coord', `/api/findings/${findingId}/attachments`, '现场2.jpg', photo),
      post('coord', `/api/findings/${findingId}/attachments`, '现场3.jpg', photo),
    ]);
    for (const again of answers) {
      expect(again.status).toBe(409);
      const body = await again.json();
      expect(body.error.code).toBe('duplicate_file');
      expect(body.error.issues).toEqual([{ path: 'file', message: `与附件 ${attachmentId}（现场.jpg）相同` }]);
    }
    const [{ n }] = await ctx().database.rows<{ n: number }>(
      sql`select count(*)::int as n from attachments where owner_type = 'finding' and owner_id = ${findingId} and deleted_at is null and file_name like '现场%'`,
    );
    expect(n).toBe(1);
  });
});
