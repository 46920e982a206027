/**
 * The vocabulary of the rule table and the reference data that goes with it: activity classes and
 * how finding categories map onto them, routes, measures, source kinds, and the dates the laws that
 * decide timing took effect. The rows themselves are data (data/reference/rules.json, loaded by
 * migration 0011) and change only through a reviewed rule change.
 */
import { readFileSync } from 'node:fs';
import { activityClasses, ruleRoutes, ruleSourceKinds, type ActivityClass, type RuleRoute, type RuleSourceKind } from '../../lib/rule-vocabulary.ts';
import type { AreaCategory, FindingCategory, ZoneKind, ZoneScheme } from '../../lib/vocabulary.ts';

export { activityClasses, ruleRoutes, ruleSourceKinds, type ActivityClass, type RuleRoute, type RuleSourceKind };

/** Labels and where each class comes from. */
export const activityClassInfo: Readonly<Record<ActivityClass, { labelZh: string; labelEn: string; sourceZh: string; sourceEn: string }>> = {
  mineral: { labelZh: '矿产资源开发', labelEn: 'Mineral resource development', sourceZh: '国环规生态〔2022〕1号 附件 一', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 1' },
  industrial_park: { labelZh: '工业园区', labelEn: 'Industrial park', sourceZh: '国环规生态〔2022〕1号 附件 一', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 1' },
  industrial: { labelZh: '工业开发', labelEn: 'Industrial development', sourceZh: '国环规生态〔2022〕1号 附件 二', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 2' },
  energy: { labelZh: '能源开发', labelEn: 'Energy development', sourceZh: '国环规生态〔2022〕1号 附件 二', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 2' },
  tourism: { labelZh: '旅游开发', labelEn: 'Tourism development', sourceZh: '国环规生态〔2022〕1号 附件 二', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 2' },
  transport: { labelZh: '交通开发', labelEn: 'Transport development', sourceZh: '国环规生态〔2022〕1号 附件 二', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 2' },
  water_works: { labelZh: '水利开发', labelEn: 'Water works', sourceZh: '本市分类（附件未列明）', sourceEn: 'City class (not named in the annex)' },
  aquaculture: { labelZh: '养殖开发', labelEn: 'Aquaculture', sourceZh: '国环规生态〔2022〕1号 附件 二', sourceEn: 'Guohuangui Shengtai [2022] No. 1, annex item 2' },
  discharge: { labelZh: '排污', labelEn: 'Pollutant discharge', sourceZh: '本市分类', sourceEn: 'City class' },
  construction: { labelZh: '其他建设', labelEn: 'Other construction', sourceZh: '本市分类', sourceEn: 'City class' },
  other: { labelZh: '其他人类活动', labelEn: 'Other human activity', sourceZh: '门户默认', sourceEn: 'Portal default' },
};

/** How each finding category maps onto an activity class. */
export const categoryActivityClass: Readonly<Record<FindingCategory, ActivityClass>> = {
  mining: 'mineral',
  industrial_park: 'industrial_park',
  industrial: 'industrial',
  energy: 'energy',
  tourism: 'tourism',
  road: 'transport',
  dam: 'water_works',
  aquaculture: 'aquaculture',
  pollution: 'discharge',
  construction: 'construction',
  other: 'other',
};

/** The activity class of a finding category. */
export function activityClassOf(category: FindingCategory): ActivityClass {
  return categoryActivityClass[category];
}

/** Higher is stricter; used to pick the strictest rule among overlapping areas. */
export function routeSeverity(route: RuleRoute): number {
  return ruleRoutes.length - ruleRoutes.indexOf(route);
}

/** Rectification measures a plan may name (the list workflow.ts validates plans with). */
export const ruleMeasures = ['exit', 'two_cuts_three_clears', 'demolish', 'remediate', 'restore', 'assess', 'seal_outfall', 'limit_use'] as const;
export type RuleMeasure = (typeof ruleMeasures)[number];

export const ruleApprovals = ['approved', 'unapproved', '*'] as const;
export type RuleApproval = (typeof ruleApprovals)[number];
export const ruleTimings = ['historical', 'new', '*'] as const;
export type RuleTiming = 'historical' | 'new';

/** Evidence a condition may be ticked with. */
export const evidenceKinds = ['photo', 'drone', 'remote_sensing', 'document', 'monitoring_report', 'assessment_report'] as const;

/** The facts a coordinator may determine for a finding. */
export const determinationFacts = ['zone', 'approval', 'timing', 'legality'] as const;
export type DeterminationFact = (typeof determinationFacts)[number];

/** One closing condition of a rule row. */
export interface RuleCondition {
  code: string;
  evidenceKinds: string[];
  /** Days that must pass after the completion report before it may be ticked; null: none. */
  observationDays: number | null;
  /** Who set the observation period; absent: the portal's default. */
  observationSourceZh?: string;
}

/** One row of the rule table as stored. */
export interface RuleRow {
  id: number;
  code: string;
  areaCategory: AreaCategory | '*';
  zoneScheme: ZoneScheme | '*';
  zone: ZoneKind | '*';
  activityClass: ActivityClass | '*';
  approval: RuleApproval;
  timing: RuleTiming | '*';
  route: RuleRoute;
  allowedMeasures: RuleMeasure[];
  requiredMeasures: RuleMeasure[];
  requiresAssessment: boolean;
  reviewerKinds: string[];
  conditions: RuleCondition[];
  sourceKind: RuleSourceKind;
  sourceZh: string;
  sourceEn: string;
  basisZh: string;
  basisEn: string;
  priority: number;
  version: number;
  active: boolean;
}

/** The date a law that decides timing took effect, for an area category and activity class. */
export interface LawDate {
  areaCategory: AreaCategory | '*';
  activityClass: ActivityClass | '*';
  effectiveOn: string;
  sourceZh: string;
  sourceEn: string;
}

interface RulePackFile {
  lawDates: LawDate[];
  rules: Omit<RuleRow, 'id' | 'version' | 'active'>[];
}

/** The rule pack as shipped (data/reference/rules.json): what migration 0011 loaded, and the law dates. */
export const rulePack: RulePackFile = JSON.parse(readFileSync(new URL('../../../data/reference/rules.json', import.meta.url), 'utf8'));

/** The latest effective date of the laws that apply to this category and class, or null. */
export function lawDateFor(category: AreaCategory, activity: ActivityClass): LawDate | null {
  const applicable = rulePack.lawDates.filter(
    (l) => (l.areaCategory === '*' || l.areaCategory === category) && (l.activityClass === '*' || l.activityClass === activity),
  );
  return applicable.sort((a, b) => (a.effectiveOn < b.effectiveOn ? 1 : -1))[0] ?? null;
}
