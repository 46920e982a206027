/** The database refuses bad geometry by itself, whatever code writes to it. */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rootMessage } from '../../server/db/backend.ts';
import { describeEachBackend } from '../helpers/backends.ts';

describeEachBackend('geometry constraints', (ctx) => {
  const insertArea = (code: string, wkt: string, srid = 4326) =>
    ctx().database.rows(sql`
      insert into protected_areas (code, name_zh, name_en, category, level, county_code, confidence, source, boundary_source, geom)
      values (${code}, '测试', 'Test', 'other', 'county', '370724', 'high', 'test', 'test', ST_GeomFromText(${wkt}, ${srid}))`);
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return rootMessage(err);
    }
    return 'no error';
  };

  it('accepts a valid multipolygon', async () => {
    await insertArea('T-OK', 'MULTIPOLYGON(((118.5 36.5,118.51 36.5,118.51 36.51,118.5 36.51,118.5 36.5)))');
    const [r] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from protected_areas where code = 'T-OK'`);
    expect(r.n).toBe(1);
  });

  it('refuses a self-intersecting boundary', async () => {
    expect(await failure(insertArea('T-BOWTIE', 'MULTIPOLYGON(((118.5 36.5,118.51 36.51,118.51 36.5,118.5 36.51,118.5 36.5)))'))).toMatch(
      /protected_areas_geom_valid/,
    );
  });

  it('refuses the wrong geometry type and the wrong SRID', async () => {
    expect(await failure(insertArea('T-POINT', 'POINT(118.5 36.5)'))).toMatch(/MultiPolygon/i);
    expect(await failure(insertArea('T-SRID', 'MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))', 3857))).toMatch(/SRID/i);
  });

  it('refuses an unknown category', async () => {
    const err = await failure(
      ctx().database.rows(sql`update protected_areas set category = 'park' where code = 'WF-PA-01'`),
    );
    expect(err).toMatch(/protected_areas_category_check/);
  });
});
