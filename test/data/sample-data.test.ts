/** The bundled sample data as loaded into the database: the promises data/README.md makes. */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const sharedGround: [string, string][] = JSON.parse(
  readFileSync(new URL('../../data/sample/shared-ground.json', import.meta.url), 'utf8'),
);
const key = (a: string, b: string) => [a, b].sort().join('+');

describeEachBackend('sample data', (ctx) => {
  const rows = <T>(q: ReturnType<typeof sql>) => ctx().database.rows<T>(q);

  it('holds the 43 areas, every boundary valid and schematic', async () => {
    const [r] = await rows<{ n: number; valid: number; multi: number; srid4326: number; schematic: number }>(sql`
      select count(*)::int as n,
             count(*) filter (where ST_IsValid(geom))::int as valid,
             count(*) filter (where GeometryType(geom) = 'MULTIPOLYGON')::int as multi,
             count(*) filter (where ST_SRID(geom) = 4326)::int as srid4326,
             count(*) filter (where boundary_schematic)::int as schematic
      from protected_areas`);
    expect(r).toEqual({ n: 43, valid: 43, multi: 43, srid4326: 43, schematic: 43 });
  });

  it('keeps every boundary inside Weifang, and inside its own county where that county has a boundary', async () => {
    const outside = await rows<{ code: string }>(sql`
      with weifang as (select ST_Union(geom) as g from counties where geom is not null)
      select a.code from protected_areas a, weifang w
      where not ST_CoveredBy(a.geom, ST_Buffer(w.g, 0.00001))
      order by a.code`);
    expect(outside).toEqual([]);
    const outsideCounty = await rows<{ code: string; share: number }>(sql`
      select a.code, round((ST_Area(ST_Intersection(a.geom, c.geom)::geography) / ST_Area(a.geom::geography))::numeric, 4)::float8 as share
      from protected_areas a join counties c on c.code = a.county_code
      where c.geom is not null and not ST_CoveredBy(a.geom, ST_Buffer(c.geom, 0.00001))
      order by a.code`);
    expect(outsideCounty).toEqual([]);
  });

  it('matches each published area within ±5 % (geodesic)', async () => {
    const off = await rows<{ code: string; reported: number; gis: number }>(sql`
      select code, reported_area_ha::float8 as reported, (ST_Area(geom::geography) / 10000)::float8 as gis
      from protected_areas
      where reported_area_ha is not null
        and abs(ST_Area(geom::geography) / 10000 - reported_area_ha::float8) > 0.05 * reported_area_ha::float8`);
    expect(off).toEqual([]);
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from protected_areas where reported_area_ha is not null`);
    expect(n).toBe(10);
  });

  it('overlaps exactly the designations listed as sharing ground', async () => {
    const pairs = await rows<{ a: string; b: string }>(sql`
      select a.code as a, b.code as b
      from protected_areas a join protected_areas b on a.code < b.code and a.geom && b.geom
      where ST_Relate(a.geom, b.geom, 'T********')
      order by 1, 2`);
    expect(pairs.map((p) => key(p.a, p.b)).sort()).toEqual(sharedGround.map(([a, b]) => key(a, b)).sort());
  });

  it('gives one area of each category schematic zones of its own scheme that partition it', async () => {
    const zones = await rows<{ code: string; zones: string; inside: boolean; covers: boolean; overlap_ha: number }>(sql`
      select a.code,
             string_agg(z.scheme || ':' || z.zone, ',' order by zone_strictness(z.scheme, z.zone)) as zones,
             bool_and(ST_CoveredBy(z.geom, ST_Buffer(a.geom, 0.000001))) as inside,
             abs(ST_Area(ST_Union(z.geom)::geography) - ST_Area(a.geom::geography)) < 1000 as covers,
             coalesce((select sum(ST_Area(ST_Intersection(z1.geom, z2.geom)::geography)) / 10000
                       from area_zones z1 join area_zones z2 on z1.area_id = z2.area_id and z1.id < z2.id
                       where z1.area_id = a.id), 0)::float8 as overlap_ha
      from protected_areas a join area_zones z on z.area_id = a.id
      group by a.id, a.code order by a.code`);
    const schemes: Record<string, string> = {
      'WF-PA-01': 'legacy:core,legacy:buffer,legacy:experimental',
      'WF-PA-02': 'legacy:core,legacy:buffer,legacy:experimental',
      'WF-PA-03': 'marine:key_protection,marine:resource_restoration,marine:moderate_use',
      'WF-PA-05': 'forest_park:core_scenic,forest_park:eco_conservation,forest_park:general_recreation,forest_park:management_service',
      'WF-PA-17': 'wetland_park:wetland_conservation,wetland_park:restoration_rebuild,wetland_park:rational_use',
      'WF-PA-38': 'geopark:grade_special,geopark:grade_1,geopark:grade_2,geopark:grade_3',
      'WF-PA-42': 'scenic_area:grade_special,scenic_area:grade_1,scenic_area:grade_2,scenic_area:grade_3',
    };
    expect(zones.map((z) => ({ ...z, overlap_ha: z.overlap_ha < 0.01 }))).toEqual(
      Object.entries(schemes).map(([code, list]) => ({ code, zones: list, inside: true, covers: true, overlap_ha: true })),
    );
    const [labelled] = await rows<{ unlabelled: number }>(sql`select count(*)::int as unlabelled from area_zones where source is null or source not like '示意分区：%'`);
    expect(labelled.unlabelled).toBe(0);
  });

  it('keeps the reference attributes and provenance of every area', async () => {
    const [r] = await rows<{ with_source: number; with_point: number; with_established: number; medium: number }>(sql`
      select count(*) filter (where source <> '')::int as with_source,
             count(*) filter (where published_point is not null)::int as with_point,
             count(*) filter (where established_on is not null)::int as with_established,
             count(*) filter (where confidence = 'medium')::int as medium
      from protected_areas`);
    expect(r.with_source).toBe(43);
    expect(r.with_point).toBe(17);
    expect(r.medium).toBe(5);
    expect(r.with_established).toBeGreaterThanOrEqual(12);
  });

  it('has the departments of the joint-enforcement office', async () => {
    const deps = await rows<{ code: string; name_zh: string; parent: string | null }>(sql`
      select d.code, d.name_zh, p.code as parent from departments d left join departments p on p.id = d.parent_id
      where d.code in ('eco', 'eco-linqu', 'nr', 'water', 'agri', 'gov-linqu') order by d.code`);
    expect(deps).toEqual([
      { code: 'agri', name_zh: '潍坊市农业农村局', parent: null },
      { code: 'eco', name_zh: '潍坊市生态环境局', parent: null },
      { code: 'eco-linqu', name_zh: '潍坊市生态环境局临朐分局', parent: 'eco' },
      { code: 'gov-linqu', name_zh: '临朐县人民政府', parent: null },
      { code: 'nr', name_zh: '潍坊市自然资源和规划局', parent: null },
      { code: 'water', name_zh: '潍坊市水利局', parent: null },
    ]);
  });
});
