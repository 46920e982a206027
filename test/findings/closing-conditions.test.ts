/**
 * Closing conditions per category × zone × approval × history. The expectations are a table of rules
 * as the annex of 国环规生态〔2022〕1号 states them; every one of the 450 combinations must match
 * exactly one row, so a gap or an overlap in the table fails as surely as a wrong answer.
 */
import { describe, expect, it } from 'vitest';
import {
  approvalStatuses,
  closingConditions,
  conditionCodes,
  findingCategories,
  historyOf,
  missingConditions,
  type ApprovalStatus,
  type ConditionCode,
  type FindingCategory,
  type History,
} from '../../server/features/findings/closing-conditions.ts';
import type { ZoneKind } from '../../server/lib/vocabulary.ts';

type Zone = ZoneKind | null;
const zones: Zone[] = ['core', 'buffer', 'experimental', 'general_control', null];
const histories: History[] = ['historical', 'new', 'unknown'];

const twoCutsThreeClears: ConditionCode[] = ['water_power_cut', 'materials_cleared', 'equipment_cleared', 'demolished_or_converted', 'restoration_stable'];
const exit: ConditionCode[] = ['project_exited', 'restoration_stable'];
const assessment: ConditionCode[] = ['scientific_assessment'];
const removal: ConditionCode[] = ['illegal_structures_removed', 'site_restored'];
const pollution: ConditionCode[] = ['discharge_stopped', 'water_quality_restored'];

const exitCategories: FindingCategory[] = ['energy', 'tourism', 'road', 'dam', 'aquaculture'];
const strictZones: Zone[] = ['core', 'buffer', null];
const lenientZones: Zone[] = ['experimental', 'general_control'];
const all = <T>(xs: readonly T[]) => xs;

interface Row {
  categories: readonly FindingCategory[];
  zones: readonly Zone[];
  approvals: readonly ApprovalStatus[];
  histories: readonly History[];
  codes: ConditionCode[];
}

const rules: Row[] = [
  // Mining and industrial production leave every zone: 两断三清 and restoration.
  { categories: ['mining', 'industrial'], zones: all(zones), approvals: approvalStatuses, histories, codes: twoCutsThreeClears },
  // Outfalls: stop the discharge, prove the water meets the standard.
  { categories: ['pollution'], zones: all(zones), approvals: approvalStatuses, histories, codes: pollution },
  // Core and buffer zones (and an unknown zone, judged as strictly): exit and restore.
  { categories: exitCategories, zones: strictZones, approvals: approvalStatuses, histories, codes: exit },
  // Experimental / general-control zone: only lawful historical ones are handled by assessment.
  { categories: exitCategories, zones: lenientZones, approvals: ['approved'], histories: ['historical'], codes: assessment },
  { categories: exitCategories, zones: lenientZones, approvals: ['unapproved', 'unknown'], histories, codes: exit },
  { categories: exitCategories, zones: lenientZones, approvals: ['approved'], histories: ['new', 'unknown'], codes: exit },
  // Other construction: remove and restore, unless lawful and historical in the experimental zone.
  { categories: ['construction', 'other'], zones: strictZones, approvals: approvalStatuses, histories, codes: removal },
  { categories: ['construction', 'other'], zones: lenientZones, approvals: ['approved'], histories: ['historical'], codes: assessment },
  { categories: ['construction', 'other'], zones: lenientZones, approvals: ['unapproved', 'unknown'], histories, codes: removal },
  { categories: ['construction', 'other'], zones: lenientZones, approvals: ['approved'], histories: ['new', 'unknown'], codes: removal },
];

const datesFor: Record<History, { constructionDate: string | null; areaEstablishedDate: string | null }> = {
  historical: { constructionDate: '1998-04-01', areaEstablishedDate: '2003-06-18' },
  new: { constructionDate: '2019-09-01', areaEstablishedDate: '2003-06-18' },
  unknown: { constructionDate: null, areaEstablishedDate: '2003-06-18' },
};

const combinations = findingCategories.flatMap((category) =>
  zones.flatMap((zone) => approvalStatuses.flatMap((approval) => histories.map((history) => ({ category, zone, approval, history })))),
);

describe('closingConditions', () => {
  it('covers all 450 combinations, each by exactly one rule, with that rule’s conditions', () => {
    expect(combinations).toHaveLength(10 * 5 * 3 * 3);
    const mismatches: string[] = [];
    for (const c of combinations) {
      const matching = rules.filter(
        (r) => r.categories.includes(c.category) && r.zones.includes(c.zone) && r.approvals.includes(c.approval) && r.histories.includes(c.history),
      );
      const label = `${c.category}/${c.zone}/${c.approval}/${c.history}`;
      if (matching.length !== 1) {
        mismatches.push(`${label}: ${matching.length} rules`);
        continue;
      }
      const result = closingConditions({ category: c.category, zone: c.zone, approval: c.approval, ...datesFor[c.history] });
      const got = result.conditions.map((x) => x.code);
      if (JSON.stringify(got) !== JSON.stringify(matching[0].codes)) mismatches.push(`${label}: got ${got.join(',')}`);
      if (result.zoneUnknown !== (c.zone === null)) mismatches.push(`${label}: zoneUnknown ${result.zoneUnknown}`);
      if (result.history !== c.history) mismatches.push(`${label}: history ${result.history}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('says why in a zh-CN sentence naming the activity and the zone', () => {
    const r = closingConditions({ category: 'tourism', zone: 'experimental', approval: 'approved', ...datesFor.historical });
    expect(r.rule).toBe('assessment');
    expect(r.basis).toBe('旅游设施位于实验区，经依法审批且建于保护地设立之前，按科学评估结论分类处置后销号。');
    const strict = closingConditions({ category: 'road', zone: 'general_control', approval: 'unknown', ...datesFor.historical });
    expect(strict.basis).toBe('道路交通设施位于一般控制区且审批情况不明，须退出并完成生态修复后销号。');
    const unknownZone = closingConditions({ category: 'dam', zone: null, approval: 'approved', ...datesFor.historical });
    expect(unknownZone).toMatchObject({ rule: 'exit', zoneUnknown: true });
    expect(unknownZone.basis).toContain('所在功能区不明');
    expect(closingConditions({ category: 'mining', zone: 'buffer', approval: 'approved', ...datesFor.new }).basis).toContain('两断三清');
  });

  it('labels every condition in both languages and always requires evidence', () => {
    const seen = new Set<string>();
    for (const c of combinations) {
      for (const condition of closingConditions({ category: c.category, zone: c.zone, approval: c.approval, ...datesFor[c.history] }).conditions) {
        expect(condition.evidenceRequired).toBe(true);
        expect(condition.labelZh).toMatch(/[\u4e00-\u9fff]/);
        expect(condition.labelEn).toMatch(/^[A-Z][a-z]/);
        expect(condition.evidenceHintZh.length).toBeGreaterThan(0);
        seen.add(condition.code);
      }
    }
    expect([...seen].sort()).toEqual([...conditionCodes].sort());
    const outfall = closingConditions({ category: 'pollution', zone: 'core', approval: 'unknown', ...datesFor.new }).conditions;
    expect(outfall.find((c) => c.code === 'water_quality_restored')?.evidenceHintZh).toContain('监测报告');
  });
});

describe('historyOf', () => {
  it('reads the dates first; built on the day the area was established is not historical', () => {
    expect(historyOf({ constructionDate: '2003-06-17', areaEstablishedDate: '2003-06-18' })).toBe('historical');
    expect(historyOf({ constructionDate: '2003-06-18', areaEstablishedDate: '2003-06-18' })).toBe('new');
    expect(historyOf({ constructionDate: '1990-01-01', areaEstablishedDate: '2003-06-18', nature: 'new' })).toBe('historical');
  });

  it('falls back to the recorded nature, then to unknown', () => {
    expect(historyOf({ constructionDate: null, areaEstablishedDate: '2003-06-18', nature: 'historical' })).toBe('historical');
    expect(historyOf({ constructionDate: '2010-01-01', areaEstablishedDate: null, nature: null })).toBe('unknown');
    expect(historyOf({ constructionDate: null, areaEstablishedDate: null })).toBe('unknown');
  });
});

describe('missingConditions', () => {
  const required = closingConditions({ category: 'pollution', zone: 'core', approval: 'unknown', constructionDate: null, areaEstablishedDate: null }).conditions;

  it('lists conditions not ticked, or ticked without evidence', () => {
    expect(missingConditions(required, [])).toEqual(['discharge_stopped', 'water_quality_restored']);
    expect(missingConditions(required, [{ code: 'discharge_stopped', evidenceIds: [1] }, { code: 'water_quality_restored', evidenceIds: [] }])).toEqual([
      'water_quality_restored',
    ]);
    expect(
      missingConditions(required, [
        { code: 'discharge_stopped', evidenceIds: [1] },
        { code: 'water_quality_restored', evidenceIds: [2, 3] },
        { code: 'site_restored', evidenceIds: [4] },
      ]),
    ).toEqual([]);
  });

  it('counts a condition ticked twice once, if either tick has evidence', () => {
    expect(
      missingConditions(required, [
        { code: 'discharge_stopped', evidenceIds: [] },
        { code: 'discharge_stopped', evidenceIds: [5] },
        { code: 'water_quality_restored', evidenceIds: [6] },
      ]),
    ).toEqual([]);
  });
});
