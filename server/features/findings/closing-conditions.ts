/**
 * What must be true, with evidence, before a finding may be closed (销号). The conditions follow the
 * handling rules of 国环规生态〔2022〕1号 and its annex (the 整改销号 standards for human activities in
 * protected areas), as applied by Shandong's 2023 实施细则: which rule applies depends on the kind of
 * activity, the functional zone it lies in, whether it was approved and whether it predates the area.
 */
import { approvalStatuses, findingCategories, type FindingCategory, type ZoneKind } from '../../lib/vocabulary.ts';

export { approvalStatuses, findingCategories, type FindingCategory };
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** historical: built before the area was established; new: after; unknown: a date is missing. */
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

const catalogue: Readonly<Record<ConditionCode, Omit<ClosingCondition, 'code' | 'evidenceRequired'>>> = {
  water_power_cut: {
    labelZh: '断水断电',
    labelEn: 'Water and power supply cut',
    evidenceHintZh: '现场照片，或供水、供电单位的停供证明',
  },
  materials_cleared: {
    labelZh: '清除原料、产品',
    labelEn: 'Raw materials and products removed',
    evidenceHintZh: '清理前后现场照片',
  },
  equipment_cleared: {
    labelZh: '清除设备',
    labelEn: 'Equipment removed',
    evidenceHintZh: '清理前后现场照片、设备拆除记录',
  },
  demolished_or_converted: {
    labelZh: '建筑物拆除或合规转用',
    labelEn: 'Buildings demolished or converted to a permitted use',
    evidenceHintZh: '拆除后照片或无人机影像；转用的须附批准文件',
  },
  project_exited: {
    labelZh: '项目退出',
    labelEn: 'Project withdrawn from the area',
    evidenceHintZh: '关停、撤出或注销的文书，以及现场照片',
  },
  restoration_stable: {
    labelZh: '生态修复稳定向好',
    labelEn: 'Ecological restoration stable and improving',
    evidenceHintZh: '修复后的现场照片或遥感影像，必要时附修复验收意见',
  },
  scientific_assessment: {
    labelZh: '已按科学评估结论处置',
    labelEn: 'Handled as the scientific assessment concluded',
    evidenceHintZh: '科学评估报告及按结论处置的材料',
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
    evidenceHintZh: '恢复后的现场照片或遥感影像',
  },
};

function conditions(...codes: ConditionCode[]): ClosingCondition[] {
  return codes.map((code) => ({ code, ...catalogue[code], evidenceRequired: true }));
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
  /** The nature recorded on the finding, used only when a date is missing. */
  nature?: 'historical' | 'new' | null;
}

/** Which rule of the annex produced the list. */
export type ClosingRule = 'leave_area' | 'exit' | 'assessment' | 'stop_discharge' | 'remove_structures';

export interface ClosingConditionsResult {
  conditions: ClosingCondition[];
  rule: ClosingRule;
  /** Why these conditions apply, in one zh-CN sentence. */
  basis: string;
  zoneUnknown: boolean;
  history: History;
}

const categoryZh: Readonly<Record<FindingCategory, string>> = {
  mining: '采矿采砂',
  industrial: '工矿企业',
  energy: '能源、水电设施',
  tourism: '旅游设施',
  road: '道路交通设施',
  dam: '筑坝、水利设施',
  aquaculture: '养殖',
  pollution: '排污',
  construction: '建设项目',
  other: '人类活动',
};

const zoneZh: Readonly<Record<ZoneKind, string>> = {
  core: '核心区',
  buffer: '缓冲区',
  experimental: '实验区',
  general_control: '一般控制区',
};

/** Activities that must leave the core and buffer zones, and the experimental zone unless lawfully approved. */
const exitCategories: readonly FindingCategory[] = ['energy', 'tourism', 'road', 'dam', 'aquaculture'];

/** Built before or after the area was established; dates decide, the recorded nature is the fallback. */
export function historyOf(input: Pick<ClosingConditionInput, 'constructionDate' | 'areaEstablishedDate' | 'nature'>): History {
  if (input.constructionDate && input.areaEstablishedDate) {
    return input.constructionDate < input.areaEstablishedDate ? 'historical' : 'new';
  }
  return input.nature ?? 'unknown';
}

/** The conditions that must be met, with evidence, before a finding of this kind and place may be closed. */
export function closingConditions(input: ClosingConditionInput): ClosingConditionsResult {
  const zoneUnknown = input.zone === null;
  const history = historyOf(input);
  const where = input.zone === null ? '（所在功能区不明，按最严格情形）' : `位于${zoneZh[input.zone]}`;
  const what = categoryZh[input.category];
  const result = (rule: ClosingRule, basis: string, list: ClosingCondition[]): ClosingConditionsResult => ({
    conditions: list,
    rule,
    basis,
    zoneUnknown,
    history,
  });

  // Mining and industrial production are barred from every zone (自然保护区条例 art. 26 and 32); the
  // annex's standard for their exit is 两断三清 followed by restoration, whatever the zone or approval.
  if (input.category === 'mining' || input.category === 'industrial') {
    return result(
      'leave_area',
      `${what}${where}，无论功能区和审批情况均须退出，按“两断三清”并完成生态修复后销号。`,
      conditions('water_power_cut', 'materials_cleared', 'equipment_cleared', 'demolished_or_converted', 'restoration_stable'),
    );
  }

  // Outfalls are closed on stopping the discharge and a monitoring report showing the water meets the standard.
  if (input.category === 'pollution') {
    return result('stop_discharge', `${what}问题${where}，须封堵排污口、停止排放，并经监测水质达标后销号。`, conditions('discharge_stopped', 'water_quality_restored'));
  }

  // Only a lawfully approved activity that predates the area, in the experimental (or general-control)
  // zone, is handled as a scientific assessment decides. Everything else in that zone — unapproved,
  // approval unknown, built after the area was established or when that is unknown — is treated as
  // strictly as the annex allows: an approval granted after the area existed does not make an activity
  // a 历史遗留 case, and missing facts must not loosen the standard.
  const lenientZone = input.zone === 'experimental' || input.zone === 'general_control';
  if (lenientZone && input.approval === 'approved' && history === 'historical') {
    return result(
      'assessment',
      `${what}${where}，经依法审批且建于保护地设立之前，按科学评估结论分类处置后销号。`,
      conditions('scientific_assessment'),
    );
  }

  const reason = lenientZone
    ? input.approval !== 'approved'
      ? input.approval === 'unapproved'
        ? '未经审批'
        : '审批情况不明'
      : history === 'new'
        ? '建于保护地设立之后'
        : '建设时间不明'
    : '';
  const why = reason ? `${where}且${reason}` : where;

  if (exitCategories.includes(input.category)) {
    return result('exit', `${what}${why}，须退出并完成生态修复后销号。`, conditions('project_exited', 'restoration_stable'));
  }
  return result('remove_structures', `${what}${why}，须拆除违法建筑、恢复场地后销号。`, conditions('illegal_structures_removed', 'site_restored'));
}

/** Codes of the conditions not yet ticked with at least one evidence attachment. */
export function missingConditions(
  required: readonly Pick<ClosingCondition, 'code'>[],
  ticks: ReadonlyArray<{ code: string; evidenceIds: readonly number[] }>,
): ConditionCode[] {
  const evidenced = new Set(ticks.filter((t) => t.evidenceIds.length > 0).map((t) => t.code));
  return required.map((c) => c.code).filter((code) => !evidenced.has(code));
}
