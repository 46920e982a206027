/**
 * The rule table against hand-worked cases. The expectations below are written from the texts
 * (国环规生态〔2022〕1号 附件 items 一, 二(一), 二(二); 海洋特别保护区管理办法; the 2019 指导意见 for nature
 * parks; the portal's own defaults), not read from the table: every area category × zone × approval ×
 * timing × activity combination must match exactly one expectation row, and the shipped table must
 * give that row's route, condition codes and source kind — or name exactly the missing facts.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rulePack, type RuleRow } from '../../server/features/rules/rule-pack.ts';
import { resolveRule, ruleForFinding, timingOf, type RuleFacts } from '../../server/features/rules/rules.ts';
import { activityClassOf } from '../../server/features/rules/rule-pack.ts';
import type { AreaCategory, FindingCategory, ZoneKind } from '../../server/lib/vocabulary.ts';
import { describeEachBackend, type TestContext } from '../helpers/backends.ts';

const rows: RuleRow[] = rulePack.rules.map((r, i) => ({ ...r, id: i + 1, version: 1, active: true }));

type Approval = 'approved' | 'unapproved' | null;
type Timing = 'historical' | 'new' | null;
type Zone = ZoneKind | null;

const approvals: Approval[] = ['approved', 'unapproved', null];
const timings: Timing[] = ['historical', 'new', null];

const twoCuts = ['water_power_cut', 'materials_cleared', 'equipment_cleared', 'demolished_or_converted', 'restoration_stable'];
const exitCodes = ['project_exited', 'restoration_stable'];
const assessCodes = ['scientific_assessment'];
const limitedCodes = ['use_regularised'];
const removalCodes = ['illegal_structures_removed', 'site_restored'];
const dischargeCodes = ['discharge_stopped', 'water_quality_restored'];

type Expected =
  | { route: string; codes: string[]; source: 'national_annex' | 'national_regulation' | 'portal_default' }
  | { missing: Array<'zone' | 'approval' | 'timing'> };

interface Case {
  areas: readonly AreaCategory[];
  categories: readonly FindingCategory[];
  zones: readonly Zone[];
  approvals: readonly Approval[];
  timings: readonly Timing[];
  expect: Expected;
}

const itemOne: FindingCategory[] = ['mining', 'industrial_park'];
const itemTwo: FindingCategory[] = ['industrial', 'energy', 'tourism', 'road', 'aquaculture'];
const notNamed: FindingCategory[] = ['dam', 'other'];
const everyCategory: FindingCategory[] = [...itemOne, ...itemTwo, ...notNamed, 'pollution', 'construction'];

const reserveZones: Zone[] = ['core', 'buffer', 'experimental', 'general_control', null];
const marineZones: Zone[] = ['key_protection', 'resource_restoration', 'reserved', 'moderate_use', 'core', 'general_control', null];
const parkZones: Record<string, Zone[]> = {
  forest_park: ['core_scenic', 'eco_conservation', 'general_recreation', 'management_service', 'core', 'general_control', null],
  wetland_park: ['wetland_conservation', 'restoration_rebuild', 'rational_use', 'core', 'general_control', null],
  geopark: ['grade_special', 'grade_1', 'grade_2', 'grade_3', 'core', 'general_control', null],
  scenic_area: ['grade_special', 'grade_1', 'grade_2', 'grade_3', 'core', 'general_control', null],
  other: ['core', 'general_control', null],
};
/** The zone of each park scheme held strictest (其保护区/核心景观区/保育区). */
const parkStrict: Record<string, Zone[]> = {
  forest_park: ['core_scenic'],
  wetland_park: ['wetland_conservation'],
  geopark: ['grade_special'],
  scenic_area: ['grade_special'],
  other: [],
};

const exit = (source: 'national_annex' | 'portal_default'): Expected => ({ route: 'exit', codes: exitCodes, source });
const cases: Case[] = [];
const allZones = (area: AreaCategory) => (area === 'nature_reserve' ? reserveZones : area === 'marine_special' || area === 'marine_park' ? marineZones : parkZones[area]);

// Everywhere: outfalls and construction are the city's choices, whatever the zone or facts.
for (const area of ['nature_reserve', 'marine_special', 'marine_park', 'forest_park', 'wetland_park', 'geopark', 'scenic_area', 'other'] as const) {
  cases.push({ areas: [area], categories: ['pollution'], zones: allZones(area), approvals, timings, expect: { route: 'stop_discharge', codes: dischargeCodes, source: 'portal_default' } });
  cases.push({ areas: [area], categories: ['construction'], zones: allZones(area), approvals, timings, expect: { route: 'remove_structures', codes: removalCodes, source: 'portal_default' } });
}

// ── Nature reserves: the annex ──
// 附件 一: mining and industrial parks leave whatever the zone, approval or timing.
cases.push({ areas: ['nature_reserve'], categories: itemOne, zones: reserveZones, approvals, timings, expect: { route: 'leave_area', codes: twoCuts, source: 'national_annex' } });
for (const [categories, named] of [
  [itemTwo, true],
  [notNamed, false],
] as const) {
  const src = (annexSays: 'national_annex') => (named ? annexSays : 'portal_default');
  // 附件 二(一): core and buffer zones exit.
  cases.push({ areas: ['nature_reserve'], categories, zones: ['core', 'buffer'], approvals, timings, expect: exit(src('national_annex')) });
  // 附件 二(一): 实验区 未批先建 exits.
  cases.push({ areas: ['nature_reserve'], categories, zones: ['experimental'], approvals: ['unapproved'], timings, expect: exit(src('national_annex')) });
  // 附件 二(二): lawfully approved before the reserve existed → scientific assessment.
  cases.push({ areas: ['nature_reserve'], categories, zones: ['experimental'], approvals: ['approved'], timings: ['historical'], expect: { route: 'assessment', codes: assessCodes, source: src('national_annex') } });
  // Approved after the reserve existed: the annex's assessment does not apply (门户默认: exit).
  cases.push({ areas: ['nature_reserve'], categories, zones: ['experimental'], approvals: ['approved'], timings: ['new'], expect: exit('portal_default') });
  // 一般控制区 of the new scheme, treated as the annex treats 实验区 (门户默认).
  cases.push({ areas: ['nature_reserve'], categories, zones: ['general_control'], approvals: ['unapproved'], timings, expect: exit('portal_default') });
  cases.push({ areas: ['nature_reserve'], categories, zones: ['general_control'], approvals: ['approved'], timings: ['historical'], expect: { route: 'assessment', codes: assessCodes, source: 'portal_default' } });
  cases.push({ areas: ['nature_reserve'], categories, zones: ['general_control'], approvals: ['approved'], timings: ['new'], expect: exit('portal_default') });
  // Unknown facts that decide between those rows are asked for.
  cases.push({ areas: ['nature_reserve'], categories, zones: ['experimental', 'general_control'], approvals: ['approved'], timings: [null], expect: { missing: ['timing'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: ['experimental', 'general_control'], approvals: [null], timings: ['historical', 'new'], expect: { missing: ['approval'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: ['experimental', 'general_control'], approvals: [null], timings: [null], expect: { missing: ['approval', 'timing'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: [null], approvals: ['approved'], timings: ['historical', 'new'], expect: { missing: ['zone'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: [null], approvals: ['approved'], timings: [null], expect: { missing: ['zone', 'timing'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: [null], approvals: ['unapproved'], timings, expect: { missing: ['zone'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: [null], approvals: [null], timings: ['historical', 'new'], expect: { missing: ['zone', 'approval'] } });
  cases.push({ areas: ['nature_reserve'], categories, zones: [null], approvals: [null], timings: [null], expect: { missing: ['zone', 'approval', 'timing'] } });
}

// ── Marine special protected areas and marine parks ──
const marine = ['marine_special', 'marine_park'] as const;
cases.push({ areas: marine, categories: itemOne, zones: marineZones, approvals, timings, expect: { route: 'leave_area', codes: twoCuts, source: 'portal_default' } });
const otherActivities = [...itemTwo, ...notNamed];
cases.push({ areas: marine, categories: otherActivities, zones: ['key_protection', 'resource_restoration', 'reserved', 'core'], approvals, timings, expect: exit('portal_default') });
cases.push({ areas: marine, categories: otherActivities, zones: ['moderate_use', 'general_control'], approvals: ['approved'], timings, expect: { route: 'limited_use', codes: limitedCodes, source: 'national_regulation' } });
cases.push({ areas: marine, categories: otherActivities, zones: ['moderate_use', 'general_control'], approvals: ['unapproved'], timings, expect: { route: 'remove_structures', codes: removalCodes, source: 'portal_default' } });
cases.push({ areas: marine, categories: otherActivities, zones: ['moderate_use', 'general_control'], approvals: [null], timings, expect: { missing: ['approval'] } });
cases.push({ areas: marine, categories: otherActivities, zones: [null], approvals: ['approved', 'unapproved'], timings, expect: { missing: ['zone'] } });
cases.push({ areas: marine, categories: otherActivities, zones: [null], approvals: [null], timings, expect: { missing: ['zone', 'approval'] } });

// ── Nature parks: managed as 一般控制区 (2019 指导意见), strict zones of their own schemes ──
for (const park of ['forest_park', 'wetland_park', 'geopark', 'scenic_area', 'other'] as const) {
  const zones = parkZones[park];
  const strict = [...parkStrict[park], 'core' as Zone];
  const lenient = zones.filter((z) => z !== null && !strict.includes(z));
  const miningSource = park === 'scenic_area' ? 'national_regulation' : 'portal_default';
  cases.push({ areas: [park], categories: ['mining'], zones, approvals, timings, expect: { route: 'leave_area', codes: twoCuts, source: miningSource } });
  cases.push({ areas: [park], categories: ['industrial_park'], zones, approvals, timings, expect: { route: 'leave_area', codes: twoCuts, source: 'portal_default' } });
  cases.push({ areas: [park], categories: otherActivities, zones: strict, approvals, timings, expect: exit('portal_default') });
  cases.push({ areas: [park], categories: otherActivities, zones: lenient, approvals: ['approved'], timings, expect: { route: 'limited_use', codes: limitedCodes, source: 'national_regulation' } });
  cases.push({ areas: [park], categories: otherActivities, zones: lenient, approvals: ['unapproved'], timings, expect: { route: 'remove_structures', codes: removalCodes, source: 'portal_default' } });
  cases.push({ areas: [park], categories: otherActivities, zones: lenient, approvals: [null], timings, expect: { missing: ['approval'] } });
  cases.push({ areas: [park], categories: otherActivities, zones: [null], approvals: ['approved', 'unapproved'], timings, expect: { missing: ['zone'] } });
  cases.push({ areas: [park], categories: otherActivities, zones: [null], approvals: [null], timings, expect: { missing: ['zone', 'approval'] } });
}

const areaCategories = ['nature_reserve', 'marine_special', 'marine_park', 'forest_park', 'wetland_park', 'geopark', 'scenic_area', 'other'] as const;
const combinations = areaCategories.flatMap((area) =>
  everyCategory.flatMap((category) => allZones(area).flatMap((zone) => approvals.flatMap((approval) => timings.map((timing) => ({ area, category, zone, approval, timing }))))),
);

/** What the shipped table gives for one combination, in the shape of an expectation. */
function outcome(c: (typeof combinations)[number]): Expected | { noRule: true } {
  const facts: RuleFacts = { areaCategory: c.area, zoneScheme: null, zone: c.zone, activityClass: activityClassOf(c.category), approval: c.approval, timing: c.timing };
  const r = resolveRule(rows, facts);
  if (r.status === 'resolved') return { route: r.row.route, codes: r.row.conditions.map((k) => k.code), source: r.row.sourceKind as 'portal_default' };
  if (r.status === 'missing_facts') return { missing: r.missing };
  return { noRule: true };
}

describe('the shipped rule table against hand-worked cases', () => {
  it('matches every combination with exactly one expectation, and gives that expectation', () => {
    expect(combinations.length).toBe(everyCategory.length * 3 * 3 * (5 + 7 + 7 + 7 + 6 + 7 + 7 + 3));
    const problems: string[] = [];
    for (const c of combinations) {
      const label = `${c.area}/${c.category}/${c.zone}/${c.approval}/${c.timing}`;
      const matching = cases.filter(
        (k) => k.areas.includes(c.area) && k.categories.includes(c.category) && k.zones.includes(c.zone) && k.approvals.includes(c.approval) && k.timings.includes(c.timing),
      );
      if (matching.length !== 1) {
        problems.push(`${label}: ${matching.length} expectations`);
        continue;
      }
      const got = outcome(c);
      if (JSON.stringify(got) !== JSON.stringify(matching[0].expect)) problems.push(`${label}: expected ${JSON.stringify(matching[0].expect)}, got ${JSON.stringify(got)}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('names its sources honestly: only annex rows cite 国环规 as their source kind, and every row has zh and en text', () => {
    for (const r of rows) {
      expect(r.sourceZh.length, r.code).toBeGreaterThan(0);
      expect(r.sourceEn.length, r.code).toBeGreaterThan(0);
      if (r.sourceKind === 'national_annex') expect(r.sourceZh, r.code).toMatch(/^国环规生态〔2022〕1号 附件 (一|二\(一\)|二\(二\))$/);
      if (r.sourceKind === 'portal_default') expect(r.sourceZh, r.code).toMatch(/^门户默认：/);
    }
    const discharge = rows.find((r) => r.code === 'any.discharge')!;
    expect(discharge.sourceKind).toBe('portal_default');
    // Observation periods are the portal's choice: 90 days on restoration conditions.
    const restoration = rows.flatMap((r) => r.conditions).filter((c) => c.code === 'restoration_stable' || c.code === 'site_restored');
    expect(new Set(restoration.map((c) => c.observationDays))).toEqual(new Set([90]));
  });

  it('breaks ties between equally specific rows by priority', () => {
    const base = rows.find((r) => r.code === 'any.construction')!;
    const rival = { ...base, id: 9001, code: 'rival', route: 'exit' as const, priority: 1 };
    expect(resolveRule([base, rival], { areaCategory: 'geopark', zoneScheme: null, zone: 'grade_1', activityClass: 'construction', approval: null, timing: null })).toMatchObject({
      status: 'resolved',
      row: { code: 'rival' },
    });
    expect(resolveRule([{ ...base, priority: 2 }, rival], { areaCategory: 'geopark', zoneScheme: null, zone: 'grade_1', activityClass: 'construction', approval: null, timing: null })).toMatchObject({
      status: 'resolved',
      row: { code: 'any.construction' },
    });
    expect(resolveRule([{ ...base, active: false }], { areaCategory: 'geopark', zoneScheme: null, zone: 'grade_1', activityClass: 'construction', approval: null, timing: null })).toEqual({ status: 'no_rule' });
  });
});

describe('timing (historical / new)', () => {
  const base = { approval: 'unapproved' as const, approvedOn: null, constructedOn: null, establishedOn: '2000-02-22', establishedPrecision: 'day' as const, lawEffectiveOn: null };
  it('keys an approved project on its approval date, others on the construction date', () => {
    expect(timingOf({ ...base, approval: 'approved', approvedOn: '2000-02-21', constructedOn: '2005-01-01' }).timing).toBe('historical');
    expect(timingOf({ ...base, approval: 'approved', approvedOn: '2000-02-22', constructedOn: '1990-01-01' }).timing).toBe('new');
    expect(timingOf({ ...base, constructedOn: '2000-02-21' }).timing).toBe('historical');
    expect(timingOf({ ...base, constructedOn: '2000-02-22' }).timing).toBe('new');
    expect(timingOf({ ...base, approval: 'approved', approvedOn: null, constructedOn: '1990-01-01' })).toEqual({ timing: 'unknown', noteZh: '批准日期不明，时序待核定' });
    expect(timingOf({ ...base, establishedOn: null, constructedOn: '1990-01-01' })).toEqual({ timing: 'unknown', noteZh: '保护地设立日期不明，时序待核定' });
  });

  it('honours an establishment known only to the year or month: inside it is 待核定, never 新增', () => {
    const year = { ...base, establishedOn: '1992-01-01', establishedPrecision: 'year' as const };
    expect(timingOf({ ...year, constructedOn: '1991-12-31' }).timing).toBe('historical');
    expect(timingOf({ ...year, constructedOn: '1992-01-01' }).timing).toBe('unknown');
    expect(timingOf({ ...year, constructedOn: '1992-06-30' })).toEqual({ timing: 'unknown', noteZh: '建设日期 1992-06-30 落在保护地设立于 1992 年（仅知年份）的不确定范围内：时序待核定' });
    expect(timingOf({ ...year, constructedOn: '1992-12-31' }).timing).toBe('unknown');
    expect(timingOf({ ...year, constructedOn: '1993-01-01' }).timing).toBe('new');
    const month = { ...base, establishedOn: '2011-12-01', establishedPrecision: 'month' as const };
    expect(timingOf({ ...month, constructedOn: '2011-11-30' }).timing).toBe('historical');
    expect(timingOf({ ...month, constructedOn: '2011-12-31' }).timing).toBe('unknown');
    expect(timingOf({ ...month, constructedOn: '2012-01-01' }).timing).toBe('new');
  });

  it('counts from the later of establishment and the date the relevant law took effect', () => {
    const early = { ...base, approval: 'approved' as const, establishedOn: '1980-01-17', lawEffectiveOn: '1994-10-01' };
    expect(timingOf({ ...early, approvedOn: '1990-05-01' })).toEqual({ timing: 'historical', noteZh: '批准日期 1990-05-01 早于相关法规 1994-10-01 起施行（晚于保护地设立）：历史遗留' });
    expect(timingOf({ ...early, approvedOn: '1994-10-01' }).timing).toBe('new');
    expect(timingOf({ ...early, establishedOn: '2001-01-01', approvedOn: '1999-01-01' }).timing).toBe('historical');
  });
});

/** A point inside the zone of an area (PostGIS's point on surface). */
async function pointInZone(ctx: TestContext, area: string, zone: string): Promise<[number, number]> {
  const [p] = await ctx.database.rows<{ x: number; y: number }>(
    sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(z.geom) p from area_zones z join protected_areas a on a.id = z.area_id where a.code = ${area} and z.zone = ${zone}) q`,
  );
  return [p.x, p.y];
}

async function create(ctx: TestContext, point: [number, number], body: Record<string, unknown>) {
  const insp = await ctx.as('insp');
  const res = await insp('/api/findings', {
    json: { title: '规则核对', source: 'patrol', description: '规则核对', discoveredAt: '2026-03-01', geometry: { type: 'Point', coordinates: point }, ...body },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; zone: string | null };
}

describeEachBackend('ruleForFinding', (ctx) => {
  it('a fresh database holds exactly the shipped rule pack', async () => {
    const stored = await ctx().database.rows<{ code: string; route: string; conditions: unknown; source_zh: string; source_kind: string }>(
      sql`select code, route, conditions, source_zh, source_kind from rules order by id`,
    );
    expect(stored).toEqual(rulePack.rules.map((r) => ({ code: r.code, route: r.route, conditions: r.conditions, source_zh: r.sourceZh, source_kind: r.sourceKind })));
  });

  it('judges zones within each scheme: a marine area has its own zones, a park its own', async () => {
    const marine = await create(ctx(), await pointInZone(ctx(), 'WF-PA-03', 'moderate_use'), { category: 'aquaculture', approval: 'approved', approvedOn: '2015-01-01' });
    expect(marine.zone).toBe('moderate_use');
    const rule = await ruleForFinding(ctx().database.db, marine.id);
    expect(rule).toMatchObject({ status: 'resolved', areaCode: 'WF-PA-03', areaCategory: 'marine_special', zoneScheme: 'marine', zone: 'moderate_use', route: 'limited_use', sourceKind: 'national_regulation' });

    // A lawful tourism facility in a use zone of 青州风景名胜区: 规范管理, not exit.
    const scenic = await create(ctx(), await pointInZone(ctx(), 'WF-PA-42', 'grade_3'), { category: 'tourism', approval: 'approved', approvedOn: '2008-04-01' });
    expect(await ruleForFinding(ctx().database.db, scenic.id)).toMatchObject({ status: 'resolved', zoneScheme: 'scenic_area', zone: 'grade_3', route: 'limited_use', ruleCode: 'scenic_area.tourism.approved' });
    const core = await create(ctx(), await pointInZone(ctx(), 'WF-PA-42', 'grade_special'), { category: 'tourism', approval: 'approved', approvedOn: '2008-04-01' });
    expect(await ruleForFinding(ctx().database.db, core.id)).toMatchObject({ zone: 'grade_special', route: 'exit', sourceKind: 'portal_default' });
  });

  it('manages a park without zones of its own as one 一般控制区, and asks for approval when it decides the route', async () => {
    const [[x, y]] = (await ctx().database.rows<{ x: number; y: number }>(sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(geom) p from protected_areas where code = 'WF-PA-20') q`)).map((r) => [r.x, r.y]);
    const f = await create(ctx(), [x, y], { category: 'road' });
    const rule = await ruleForFinding(ctx().database.db, f.id);
    expect(rule).toMatchObject({ status: 'missing_facts', missing: ['approval'], zoneScheme: 'new', zone: 'general_control', route: '' });
    expect(rule.factNotesZh).toContain('该自然公园未划功能区，整体按一般控制区管理（2019 指导意见）');
  });

  it('in overlapping designations the strictest rule decides', async () => {
    // 山旺: the reserve (WF-PA-01) and the geopark (WF-PA-38) share ground; a lawful tourism facility there.
    const [p] = await ctx().database.rows<{ x: number; y: number }>(
      sql`select ST_X(p)::float8 as x, ST_Y(p)::float8 as y from (select ST_PointOnSurface(ST_Intersection(z.geom, g.geom)) p
          from area_zones z join protected_areas a on a.id = z.area_id, protected_areas g
          where a.code = 'WF-PA-01' and z.zone = 'core' and g.code = 'WF-PA-38' and ST_Intersects(z.geom, g.geom)) q`,
    );
    const f = await create(ctx(), [p.x, p.y], { category: 'tourism', approval: 'approved', approvedOn: '2003-01-01' });
    const rule = await ruleForFinding(ctx().database.db, f.id);
    expect(rule).toMatchObject({ status: 'resolved', areaCode: 'WF-PA-01', route: 'exit', ruleCode: 'nr.tourism.core', sourceZh: '国环规生态〔2022〕1号 附件 二(一)' });
  });

  it('规模扩大: the original footprint by its own dates, the expansion as new', async () => {
    const f = await create(ctx(), await pointInZone(ctx(), 'WF-PA-01', 'experimental'), {
      category: 'tourism',
      approval: 'approved',
      approvedOn: '1990-05-01',
      changeType: 'expanded',
      expanded: true,
    });
    const rule = await ruleForFinding(ctx().database.db, f.id);
    expect(rule).toMatchObject({
      status: 'resolved',
      timing: 'new',
      ruleCode: 'nr.tourism.experimental.approved.new',
      route: 'exit',
      requiresAssessment: true,
      original: { timing: 'historical', ruleCode: 'nr.tourism.experimental.approved.historical', route: 'assessment', sourceZh: '国环规生态〔2022〕1号 附件 二(二)' },
    });
    expect(rule.conditions.map((c) => c.code)).toEqual(['project_exited', 'restoration_stable', 'scientific_assessment']);
    expect(rule.requiredMeasures).toEqual(['exit', 'restore', 'assess']);
  });

  it('an establishment known only to the year leaves timing 待核定 and asks for it', async () => {
    await ctx().database.rows(sql`update protected_areas set established_on = '2012-01-01', established_precision = 'year' where code = 'WF-PA-02'`);
    const f = await create(ctx(), await pointInZone(ctx(), 'WF-PA-02', 'experimental'), { category: 'energy', approval: 'approved', approvedOn: '2012-06-01' });
    const rule = await ruleForFinding(ctx().database.db, f.id);
    expect(rule).toMatchObject({ status: 'missing_facts', missing: ['timing'], timing: 'unknown' });
    expect(rule.factNotesZh).toContain('批准日期 2012-06-01 落在保护地设立于 2012 年（仅知年份）的不确定范围内：时序待核定');
  });
});
