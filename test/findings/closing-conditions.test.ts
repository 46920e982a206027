/**
 * The closing-condition catalogue: every condition a rule row names is in it with zh/en labels and an
 * evidence hint; observation periods are labelled as the portal's choice; the shipped pack's conditions
 * for the cases the annex names; and which conditions still lack evidence.
 */
import { describe, expect, it } from 'vitest';
import { closingConditions, conditionCodes, conditionDetails, isConditionCode, missingConditions } from '../../server/features/findings/closing-conditions.ts';
import { rulePack } from '../../server/features/rules/rule-pack.ts';

describe('the catalogue', () => {
  it('has every condition the rule pack names, labelled in both languages with an evidence hint', () => {
    const named = new Set(rulePack.rules.flatMap((r) => r.conditions.map((c) => c.code)));
    expect([...named].filter((c) => !isConditionCode(c))).toEqual([]);
    expect([...named].sort()).toEqual([...conditionCodes].sort());
    for (const d of conditionDetails(rulePack.rules.flatMap((r) => r.conditions), '来源')) {
      expect(d.labelZh, d.code).toMatch(/[\u4e00-\u9fff]/);
      expect(d.labelEn, d.code).toMatch(/^[A-Z][a-z]/);
      expect(d.evidenceHintZh.length, d.code).toBeGreaterThan(0);
      expect(d.evidenceKinds.length, d.code).toBeGreaterThan(0);
    }
  });

  it('carries the row’s evidence kinds and observation period, the period labelled 门户默认', () => {
    const [restoration, exited] = conditionDetails(
      [
        { code: 'restoration_stable', evidenceKinds: ['photo', 'remote_sensing'], observationDays: 90 },
        { code: 'project_exited', evidenceKinds: ['document'], observationDays: null },
      ],
      '国环规生态〔2022〕1号 附件 二(一)',
    );
    expect(restoration).toEqual({
      code: 'restoration_stable',
      labelZh: '生态修复效果呈稳定或趋好状态',
      labelEn: 'Ecological restoration stable or improving',
      evidenceHintZh: '观察期满后的现场照片或遥感影像，必要时附修复验收意见',
      evidenceKinds: ['photo', 'remote_sensing'],
      observationDays: 90,
      sourceZh: '国环规生态〔2022〕1号 附件 二(一)；观察期 90 天：门户默认',
    });
    expect(exited).toMatchObject({ code: 'project_exited', labelZh: '项目已退出保护地', observationDays: null, sourceZh: '国环规生态〔2022〕1号 附件 二(一)' });
  });
});

describe('closingConditions over the shipped pack', () => {
  const dates = { historical: { constructionDate: '1998-04-01', areaEstablishedDate: '2003-06-18' }, new: { constructionDate: '2019-09-01', areaEstablishedDate: '2003-06-18' } };

  it('gives the annex’s conditions for a nature reserve', () => {
    expect(closingConditions({ category: 'mining', zone: 'experimental', approval: 'approved', ...dates.historical }).conditions.map((c) => c.code)).toEqual([
      'water_power_cut',
      'materials_cleared',
      'equipment_cleared',
      'demolished_or_converted',
      'restoration_stable',
    ]);
    const assessed = closingConditions({ category: 'tourism', zone: 'experimental', approval: 'approved', ...dates.historical });
    expect(assessed).toMatchObject({ rule: 'assessment', history: 'historical', zoneUnknown: false });
    expect(assessed.conditions.map((c) => c.code)).toEqual(['scientific_assessment']);
    expect(closingConditions({ category: 'road', zone: 'buffer', approval: 'approved', ...dates.new }).conditions.map((c) => c.code)).toEqual(['project_exited', 'restoration_stable']);
  });

  it('gives no conditions, and names the missing facts, when they decide the rule', () => {
    const r = closingConditions({ category: 'energy', zone: null, approval: 'approved', ...dates.new });
    expect(r).toEqual({ conditions: [], rule: null, basis: '尚缺事实：所在功能区，须由协调员核定后才能确定整改规则', zoneUnknown: true, history: 'new' });
  });

  it('follows the area category: a lawful tourism facility in a scenic area is managed, not removed', () => {
    const r = closingConditions({ category: 'tourism', zone: 'grade_2', approval: 'approved', areaCategory: 'scenic_area', ...dates.new });
    expect(r.rule).toBe('limited_use');
    expect(r.conditions.map((c) => c.code)).toEqual(['use_regularised']);
  });
});

describe('missingConditions', () => {
  const required = [{ code: 'discharge_stopped' }, { code: 'water_quality_restored' }];

  it('lists conditions not ticked, or ticked without evidence', () => {
    expect(missingConditions(required, [])).toEqual(['discharge_stopped', 'water_quality_restored']);
    expect(missingConditions(required, [{ code: 'discharge_stopped', evidenceIds: [1] }, { code: 'water_quality_restored', evidenceIds: [] }])).toEqual(['water_quality_restored']);
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
