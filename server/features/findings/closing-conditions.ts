/**
 * The catalogue of closing (销号) conditions: what each condition means and what evidence the accepting
 * party expects. Which conditions a finding needs is decided by its rule (server/features/rules/), whose
 * rows list condition codes with their evidence kinds and observation periods.
 */
import { approvalStatuses, findingCategories, type AreaCategory, type FindingCategory, type ZoneKind } from '../../lib/vocabulary.ts';
import { activityClassOf, rulePack, type RuleCondition, type RuleRoute, type RuleRow } from '../rules/rule-pack.ts';
import { factZh, resolveRule, timingOf } from '../rules/rules.ts';

export { approvalStatuses, findingCategories, type FindingCategory };
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** historical: approved or built before the area (and its law) existed; new: after; unknown: not decidable. */
export type History = 'historical' | 'new' | 'unknown';

export const conditionCodes = [
  'water_power_cut',
  'materials_cleared',
  'equipment_cleared',
  'demolished_or_converted',
  'project_exited',
  'restoration_stable',
  'scientific_assessment',
  'discharge_stopped',
  'water_quality_restored',
  'illegal_structures_removed',
  'site_restored',
  'use_regularised',
] as const;
export type ConditionCode = (typeof conditionCodes)[number];

export interface ClosingCondition {
  code: ConditionCode;
  labelZh: string;
  labelEn: string;
  /** Always true: every condition is ticked with at least one attachment. */
  evidenceRequired: true;
  /** What evidence the accepting party expects, shown beside the tick box. */
  evidenceHintZh: string;
}

/** A condition of a resolved rule: the catalogue entry with the row's evidence kinds and observation period. */
export interface RuleConditionDetail {
  code: string;
  labelZh: string;
  labelEn: string;
  evidenceHintZh: string;
  evidenceKinds: string[];
  /** Days after the last completion report before it may be ticked; null: no observation period. */
  observationDays: number | null;
  /** Who set the observation period when a reviewed change did (absent: 门户默认). */
  observationSourceZh?: string;
  sourceZh: string;
}

const catalogue: Readonly<Record<ConditionCode, Omit<ClosingCondition, 'code' | 'evidenceRequired'>>> = {
  water_power_cut: {
    labelZh: '切断工业用水、用电',
    labelEn: 'Industrial water and power supply cut',
    evidenceHintZh: '现场照片，或供水、供电单位的停供证明',
  },
  materials_cleared: {
    labelZh: '清除原料、产品',
    labelEn: 'Raw materials and products removed',
    evidenceHintZh: '清理前后现场照片',
  },
  equipment_cleared: {
    labelZh: '清除生产设备',
    labelEn: 'Production equipment removed',
    evidenceHintZh: '清理前后现场照片、设备拆除记录',
  },
  demolished_or_converted: {
    labelZh: '构筑物依法拆除或转换用途',
    labelEn: 'Structures demolished or converted to a permitted use',
    evidenceHintZh: '拆除后照片或无人机影像；转换用途的须附批准文件',
  },
  project_exited: {
    labelZh: '项目已退出保护地',
    labelEn: 'Project withdrawn from the area',
    evidenceHintZh: '关停、撤出或注销的文书，以及现场照片',
  },
  restoration_stable: {
    labelZh: '生态修复效果呈稳定或趋好状态',
    labelEn: 'Ecological restoration stable or improving',
    evidenceHintZh: '观察期满后的现场照片或遥感影像，必要时附修复验收意见',
  },
  scientific_assessment: {
    labelZh: '已按科学评估结论整改',
    labelEn: 'Rectified as the scientific assessment concluded',
    evidenceHintZh: '科学评估报告及按结论整改的材料',
  },
  discharge_stopped: {
    labelZh: '排污口已封堵、停止排放',
    labelEn: 'Outfall sealed, discharge stopped',
    evidenceHintZh: '封堵现场照片',
  },
  water_quality_restored: {
    labelZh: '水质达标',
    labelEn: 'Water quality meets the standard',
    evidenceHintZh: '具备资质的机构出具的监测报告',
  },
  illegal_structures_removed: {
    labelZh: '违法建筑已拆除',
    labelEn: 'Illegal structures removed',
    evidenceHintZh: '拆除前后现场照片或无人机影像',
  },
  site_restored: {
    labelZh: '场地已恢复',
    labelEn: 'Site restored',
    evidenceHintZh: '观察期满后的现场照片或遥感影像',
  },
  use_regularised: {
    labelZh: '已按批准用途规范管理',
    labelEn: 'Use limited to what was approved and managed accordingly',
    evidenceHintZh: '批准文件、整改后的管理措施和现场照片',
  },
};

/** True when the code is in the catalogue. */
export function isConditionCode(code: string): code is ConditionCode {
  return (conditionCodes as readonly string[]).includes(code);
}

/** The catalogue entries of a rule row's conditions, with the row's evidence kinds and observation periods. */
export function conditionDetails(conditions: readonly RuleCondition[], sourceZh: string): RuleConditionDetail[] {
  return conditions.map((c) => {
    const entry = isConditionCode(c.code) ? catalogue[c.code] : { labelZh: c.code, labelEn: c.code, evidenceHintZh: '' };
    return {
      code: c.code,
      ...entry,
      evidenceKinds: c.evidenceKinds,
      observationDays: c.observationDays,
      ...(c.observationSourceZh ? { observationSourceZh: c.observationSourceZh } : {}),
      // The length of an observation period is the portal's choice unless a reviewed change set it; the
      // annex only asks for 稳定或趋好.
      sourceZh: c.observationDays ? `${sourceZh}；观察期 ${c.observationDays} 天：${c.observationSourceZh ?? '门户默认'}` : sourceZh,
    };
  });
}

/** Codes of the conditions not yet ticked with at least one evidence attachment. */
export function missingConditions(
  required: readonly Pick<ClosingCondition, 'code'>[] | readonly Pick<RuleConditionDetail, 'code'>[],
  ticks: ReadonlyArray<{ code: string; evidenceIds: readonly number[] }>,
): string[] {
  const evidenced = new Set(ticks.filter((t) => t.evidenceIds.length > 0).map((t) => t.code));
  return required.map((c) => c.code).filter((code) => !evidenced.has(code));
}

export interface ClosingConditionInput {
  category: FindingCategory;
  /** Zone the finding lies in; null when outside any zoning or not yet known. */
  zone: ZoneKind | null;
  approval: ApprovalStatus;
  /** YYYY-MM-DD; null when not known. */
  constructionDate: string | null;
  /** The protected area's establishment date, YYYY-MM-DD; null when not known. */
  areaEstablishedDate: string | null;
  /** The area's category; nature reserve when not given. */
  areaCategory?: AreaCategory;
}

/** Which route the rule takes (see server/features/rules/rule-pack.ts). */
export type ClosingRule = RuleRoute;

export interface ClosingConditionsResult {
  conditions: ClosingCondition[];
  rule: ClosingRule | null;
  /** Why these conditions apply, in one zh-CN sentence; says which facts are missing when they are. */
  basis: string;
  zoneUnknown: boolean;
  history: History;
}

const packRows: RuleRow[] = rulePack.rules.map((r, i) => ({ ...r, id: i + 1, version: 1, active: true }));

/**
 * The shipped pack's conditions for a finding known only by category, zone, approval and dates, for
 * callers that have no database at hand (sample data, unit tests); the server resolves with
 * ruleForFinding over the live table. Missing facts give no conditions and a basis naming them.
 */
export function closingConditions(input: ClosingConditionInput): ClosingConditionsResult {
  const areaCategory = input.areaCategory ?? 'nature_reserve';
  const { timing } = timingOf({
    approval: input.approval,
    approvedOn: input.approval === 'approved' ? input.constructionDate : null,
    constructedOn: input.constructionDate,
    establishedOn: input.areaEstablishedDate,
    establishedPrecision: 'day',
    lawEffectiveOn: null,
  });
  const res = resolveRule(packRows, {
    areaCategory,
    zoneScheme: null,
    zone: input.zone,
    activityClass: activityClassOf(input.category),
    approval: input.approval === 'unknown' ? null : input.approval,
    timing: timing === 'unknown' ? null : timing,
  });
  const base = { zoneUnknown: input.zone === null, history: timing };
  if (res.status !== 'resolved') {
    const missing = res.status === 'missing_facts' ? res.missing : [];
    return { ...base, conditions: [], rule: null, basis: missing.length ? `尚缺事实：${missing.map((m) => factZh[m]).join('、')}，须由协调员核定后才能确定整改规则` : '规则表中没有适用的规则' };
  }
  return {
    ...base,
    rule: res.row.route,
    basis: res.row.basisZh,
    conditions: res.row.conditions.filter((c) => isConditionCode(c.code)).map((c) => ({ code: c.code as ConditionCode, ...catalogue[c.code as ConditionCode], evidenceRequired: true })),
  };
}
