/**
 * The wording of the sample findings: what was found (by category and terrain), how it was described
 * by each source, and the notes, reasons and reports of each workflow step. Invented, in the plain
 * style of a 台账.
 */
import type { FindingCategory, ZoneKind } from '../../../server/lib/vocabulary.ts';
import type { Terrain } from './plan.ts';

type Pick = <T>(items: readonly T[]) => T;

/** An activity as a title names it, with a sentence of what was seen on the ground. */
interface Activity {
  what: string;
  seen: string;
}

const A = (what: string, seen: string): Activity => ({ what, seen });

const ACTIVITIES: Readonly<Record<FindingCategory, Partial<Record<Terrain | 'any', Activity[]>>>> = {
  mining: {
    quarry_hills: [
      A('非法采石', '山体有新开采面，堆放碎石，现场有挖掘机作业痕迹'),
      A('私挖乱采山皮石', '林缘地表被剥离，散落片石，有运输车辆碾压痕迹'),
      A('废弃采石宕口未修复', '原采石宕口裸露，未见复绿和边坡治理'),
      A('违规开采建筑石料', '开采面有爆破痕迹，旁设简易破碎设备'),
    ],
    hills: [A('私挖乱采山皮石', '林缘地表被剥离，散落片石'), A('非法取土', '坡地被挖出取土坑，有运土车辆往来')],
    fossil: [A('私挖化石层', '含化石页岩层被挖开，散落碎片'), A('非法采石', '山体有新开采面，堆放碎石')],
    river: [
      A('非法采砂', '河道内有采砂坑和砂堆，岸边停放装载机'),
      A('河道内私挖滥采砂石', '河床被挖出深坑，水流改道'),
      A('非法洗砂点', '岸边设洗砂设备和沉淀池，泥水外溢'),
    ],
    coast: [A('非法采挖滩涂砂', '滩涂被挖出条状坑槽，有车辆进出痕迹')],
  },
  industrial: {
    any: [
      A('石材加工厂', '厂区堆放荒料和成品板材，设切割设备'),
      A('违规建设砂石料加工场', '设破碎筛分设备，堆放砂石料'),
      A('建有石灰窑', '窑体冒烟，周边堆放石灰石原料'),
    ],
    coast: [A('盐化工企业占用滩涂', '厂区围堰向滩涂延伸，堆放卤水管道'), A('卤水晒盐池扩建', '新建晒盐池和卤水渠，占用湿地')],
  },
  industrial_park: {
    any: [A('工业园区企业占地', '园区内企业厂房延伸进入保护地，场地硬化')],
  },
  energy: {
    any: [A('光伏板阵列占地', '成片架设光伏板，地表植被被清除'), A('架设输电线路塔基', '新建铁塔基础，修筑施工便道')],
    coast: [A('光伏板阵列占用滩涂', '滩涂上成片架设光伏支架'), A('风电机组检修道路', '修筑碎石检修道路通往风机')],
    river: [A('小水电站', '河道内建引水渠和发电机房')],
  },
  tourism: {
    any: [
      A('新建农家乐', '新建餐饮用房和停车场，正在营业'),
      A('违规建设民宿', '新建两层民宿建筑，周边硬化'),
      A('建设玻璃滑道游乐设施', '山坡上架设滑道和售票用房'),
      A('私建观景平台', '山顶新建混凝土观景平台'),
      A('露营基地硬化场地', '林地被平整硬化，搭建帐篷营位'),
    ],
    river: [A('新建水上游乐设施', '水面设浮桥和游船码头'), A('违规建设垂钓园', '岸边建垂钓平台和餐饮用房')],
  },
  road: {
    any: [A('违规修建山路', '新修土石路面，开挖边坡，林木被毁'), A('新修砂石道路', '新铺砂石路面，两侧植被被清除'), A('拓宽林区道路未批先建', '原有步道被拓宽为机动车道')],
    coast: [A('修建海堤道路', '滩涂上新修堤顶道路'), A('新修进滩道路', '碎石道路向滩涂延伸')],
  },
  dam: {
    river: [A('违规筑坝拦河', '河道被土石坝截断，上游壅水'), A('新建拦河闸坝', '河道内新建混凝土闸坝'), A('修建溢流堰', '河道内新建浆砌石溢流堰'), A('私建塘坝', '支沟内筑土坝蓄水')],
    any: [A('私建塘坝', '山沟内筑土坝蓄水，淹没林地')],
  },
  aquaculture: {
    coast: [A('新增海参养殖池', '滩涂上新挖养殖池并筑围堰'), A('扩建对虾养殖池', '养殖池向保护地内扩展，设进排水渠'), A('滩涂网围养殖', '潮间带设网围和木桩')],
    river: [A('违规网箱养殖', '水面布设网箱，投喂饲料'), A('开挖鱼塘', '湿地内新挖鱼塘，堆土成埂')],
    any: [A('开挖鱼塘', '低洼地新挖鱼塘')],
  },
  pollution: {
    coast: [A('入海排污口超标排放', '排口出水浑浊有异味，周边滩涂发黑'), A('养殖尾水直排', '养殖池尾水经明渠直排入海')],
    river: [A('入河排污口偷排', '排口间歇排放黑色污水'), A('生活污水直排', '村庄生活污水经沟渠直排入河'), A('畜禽养殖场粪污直排', '养殖场粪污未经处理排入河道')],
    any: [A('生活污水直排', '周边生活污水经沟渠直排'), A('畜禽养殖场粪污直排', '养殖场粪污未经处理外排')],
  },
  construction: {
    any: [
      A('违建看护房', '新建砖混看护房一处，周边圈占土地'),
      A('违规建设厂房', '新建钢结构厂房，场地硬化'),
      A('新建仓储大棚', '新建钢架大棚用于堆放物料'),
      A('私建别墅', '新建独栋住宅，院落硬化'),
      A('占用林地建设停车场', '林地被平整硬化为停车场'),
    ],
    coast: [A('违规建设冷库', '滩涂边新建冷库和晾晒场')],
  },
  other: {
    any: [A('毁林开垦', '林地被砍伐后开垦种植'), A('倾倒建筑垃圾', '倾倒建筑垃圾和渣土，覆盖植被'), A('林缘开垦种植', '林缘新开垦地块，种植农作物'), A('堆放固体废物', '堆放废旧塑料和生活垃圾')],
    coast: [A('倾倒建筑垃圾', '滩涂上倾倒建筑垃圾和渣土'), A('柽柳林被毁', '成片柽柳被砍伐，地表推平')],
  },
};

/** The activities that fit a category on a terrain (falling back to the general list). */
export function activitiesFor(category: FindingCategory, terrain: Terrain): Activity[] {
  const lists = ACTIVITIES[category];
  return lists[terrain] ?? lists.any ?? Object.values(lists).flat();
}

/** Names of the functional zones of every scheme (vocabulary.ts zoneKinds). */
export const ZONE_ZH: Readonly<Record<ZoneKind, string>> = {
  core: '核心区',
  buffer: '缓冲区',
  experimental: '实验区',
  general_control: '一般控制区',
  key_protection: '重点保护区',
  moderate_use: '适度利用区',
  resource_restoration: '生态与资源恢复区',
  reserved: '预留区',
  core_scenic: '核心景观区',
  eco_conservation: '生态保育区',
  general_recreation: '一般游憩区',
  management_service: '管理服务区',
  wetland_conservation: '湿地保育区',
  restoration_rebuild: '恢复重建区',
  rational_use: '合理利用区',
  grade_special: '特级保护区',
  grade_1: '一级保护区',
  grade_2: '二级保护区',
  grade_3: '三级保护区',
};

/** The area's name as a title uses it: 仰天山自然保护区 → 仰天山保护区 when a zone follows. */
export function titlePlace(short: string, zone: ZoneKind | null): string {
  if (!zone) return `${short}内`;
  return `${short.replace(/自然保护区$/, '保护区')}${ZONE_ZH[zone]}内`;
}

/** The description as the source reported it. */
export function describe(input: {
  source: string;
  batch: string | null;
  place: string;
  activity: Activity;
  mu: number | null;
  inspectionTitle: string | null;
  pick: Pick;
}): string {
  const { place, activity, mu } = input;
  const size = mu !== null ? `，图斑面积约${mu.toFixed(1)}亩` : '';
  const lead = (() => {
    switch (input.source) {
      case 'remote_sensing':
        return `${input.batch}卫星遥感监测变化图斑显示，${place}疑似${activity.what}${size}。`;
      case 'joint_inspection':
        return `${input.inspectionTitle}中，检查组在${place}发现${activity.what}。`;
      case 'patrol':
        return `管护站日常巡护发现${place}${activity.what}。`;
      case 'public_report':
        return `${input.pick(['群众通过12345热线反映', '群众来信举报', '网络舆情反映'])}${place}${activity.what}。`;
      case 'drone':
        return `无人机巡查航拍发现${place}${activity.what}${size}。`;
      default:
        return `${input.batch}交办：${place}${activity.what}。`;
    }
  })();
  return `${lead}${activity.seen}。`;
}

/** Batch label of a supervision hand-over (督察交办). */
export function supervisionBatch(date: string, n: number): string {
  return `${date.slice(0, 4)}年省生态环境保护督察交办第${n}批`;
}

/** The coordinator's instruction when handing a finding out for verification, fitting its source. */
export function verifyNote(source: string, pick: Pick): string {
  if (source === 'remote_sensing' || source === 'drone') return pick(['请核实图斑所示变化的性质、面积和所在功能区，附核查笔录。', '请于期限内到现场核实图斑，查明建设主体、建设时间及审批手续。']);
  if (source === 'public_report') return '群众反映问题，请尽快到现场核实并反馈。';
  if (source === 'supervision') return '督察交办问题，请按期核实并上报核查结论。';
  return pick(['请于期限内到现场核实问题性质、建设主体、建设时间及审批手续，并上传现场照片。', '请会同属地管护单位现场核查，查明责任主体。']);
}

export const DISPATCH_NOTES = ['请于期限内到现场核实问题性质、建设主体、建设时间及审批手续，并上传现场照片。', '请会同保护地管理机构现场核查，查明责任主体和建设时间。'];

export const CONFIRM_NOTES = [
  '经现场核查，问题属实，未办理任何审批手续，建设时间晚于保护地设立，认定为违法违规。',
  '经现场核查，问题属实，现场已责令停止施工，属未批先建。',
  '问题属实，位置、面积与图斑一致，已制作现场检查笔录，责任主体已查明。',
  '问题属实，责任人承认未经批准擅自实施，已下达责令整改通知书。',
];

export const HISTORICAL_NOTES = [
  '经核查，该设施建于保护地设立之前，属历史遗留问题，现场仍在使用。',
  '经调阅档案，项目形成时间早于保护地批准设立，认定为历史遗留问题。',
];

/** Why verification dismissed a clue, by outcome (不属实, 合法合规, 已消失, 已整改) and category. */
export function dismissReason(outcome: 'not_true' | 'lawful' | 'vanished' | 'rectified', category: FindingCategory, pick: Pick): string {
  if (outcome === 'lawful') return pick(['经核查，该项目依法办理了审批手续，位置和规模与批复一致，合法合规。', '经核查为依法批准建设的保护管理设施，手续齐全。']);
  if (outcome === 'vanished') return pick(['经现场核查，图斑所示堆放物已不存在，现场植被正常。', '现场未见图斑所示设施，系临时搭建后已自行拆除。']);
  if (outcome === 'rectified') return pick(['经核查，问题在交办前已由属地自行整改到位，现场已复绿。', '责任主体已自行拆除并清理场地，现场已恢复原状。']);
  const byCategory: Partial<Record<FindingCategory, string[]>> = {
    mining: ['经现场核查，系山体自然滑塌，无人工开采痕迹。', '现场为季节性植被变化所致，无开采活动。'],
    construction: ['现场为农户临时堆放的农膜和秸秆，不属于建设活动。'],
    road: ['经核查为原有防火通道，未新增占地，图斑系影像差异所致。'],
    pollution: ['经现场核查，该排口为雨水排放口，取样监测水质正常，无污水排放。', '举报所称污水为上游来水，经监测未超标。'],
    aquaculture: ['经核查，养殖池位于保护地边界外侧，系定位偏差所致。'],
  };
  return pick(byCategory[category] ?? ['经现场核查，现场未见所述情况，问题不属实。']);
}

/** An approval as a 合法合规 conclusion cites it: sample number, the county government, a past date. */
export function sampleApproval(on: string, countyZh: string, span: (a: number, b: number) => number) {
  const year = Number(on.slice(0, 4)) - span(2, 8);
  return {
    approvalNo: `示例审批〔${year}〕第${String(span(1, 60)).padStart(3, '0')}号`,
    approvalAuthority: `${countyZh}人民政府（示例）`,
    approvedOn: `${year}-${String(span(1, 12)).padStart(2, '0')}-${String(span(1, 28)).padStart(2, '0')}`,
  };
}

export const OVERTURN_REASONS = [
  '市级抽查发现现场仍有设施和堆放物，原核查结论与实际不符，推翻核查结论，重新核查。',
  '抽查复核时比对最新遥感影像，图斑仍在，原结论依据不足，重新核查。',
];

export const ASSIGN_NOTES = ['请保护地管理机构会同牵头部门开展评估，编制整改方案报审。', '请按适用规则编制整改方案，明确责任主体、目标任务、重点措施和完成时限。'];

/** The 责任主体 a plan names: the lead department, under the county government. */
export function responsibleParty(lead: string, countyZh: string): string {
  return lead.startsWith('gov-') ? `${countyZh}人民政府（属地责任）` : `牵头部门负责，${countyZh}人民政府落实属地责任`;
}

export const PLAN_TARGETS = [
  '全面清理违法设施和堆放物，恢复地表植被，消除对主要保护对象的影响。',
  '按期完成整改并通过验收，恢复原有生态功能，建立长效管护机制。',
  '退出违法占用区域，实施生态修复，修复区植被盖度达到周边水平。',
];

export const REVIEW_APPROVE = ['方案措施符合适用规则，责任明确，同意实施。', '经审查，同意该整改方案，请按期实施。'];
export const REVIEW_RETURN = ['修复措施不具体，未明确植被恢复的树种和面积，请修改后重新报送。', '完成时限安排不合理，请细化分阶段目标后重新报送。'];

export const PROGRESS = [
  '已完成设施拆除的前期准备，施工队伍已进场。',
  '违法建筑已拆除完毕，正在清运建筑垃圾。',
  '场地已平整，已补植苗木，正在养护。',
  '已完成主要整改任务，正在开展扫尾和自查。',
];

export const REPORTS = [
  '已按整改方案完成整改，违法设施全部拆除，场地已清理平整并补植复绿，现报请验收。',
  '整改任务已完成：已断水断电，设备和原料已清运，建筑已拆除，生态修复已实施。',
  '整改完成，现场已恢复原貌，附整改前后对比照片及整改报告。',
];

export const PART_REPORTS = ['本部门承担的整改任务已完成，附相关佐证材料。', '已按分工完成配合事项，现场已核实，附照片。'];

export const COUNTY_CHECK_PEOPLE = '县级自查组：生态环境分局执法人员2名、保护地管理机构工作人员1名（示例）';
export const CITY_CHECK_PEOPLE = '市级验收组：验收部门工作人员2名、特邀专家1名（示例）';
export const SITE_CHECK_NOTES = ['现场核查：设施已拆除，场地已平整，植被恢复良好。', '现场核查：整改措施已落实，未见新的扰动。', '现场核查：与整改报告一致，现场照片已拍摄存档。'];

export const COUNTY_OPINIONS = ['县级自查：整改措施已落实，同意报请市级验收。', '经县级自查，各项销号条件已具备，报请市级验收。'];
export const ACCEPT_NOTES = ['经现场验收，整改措施落实到位，同意销号并公示。', '验收组现场核查，各项销号条件均已满足，同意进入公示。'];

export const RETURN_REASONS = [
  '现场验收发现仍有部分建筑未拆除，修复不到位，退回继续整改。',
  '整改佐证材料不全，现场仍有堆放物料，退回整改。',
  '植被恢复未达标，成活率低，退回补植。',
];

export const EXTENSION_REASONS = ['受雨季影响施工无法进行，申请延长整改期限。', '涉及补偿安置，需履行法定程序，申请延期。'];
export const PLAN_EXTENSION_REASONS = ['科学评估尚在进行，申请延长方案报送期限。'];
export const EXTENSION_APPROVE = ['理由充分，同意延期，请按新的期限完成。'];
export const EXTENSION_REFUSE = ['延期理由不充分，不同意延期，请按原期限完成。'];

export const OBJECTORS = ['附近村民（实名来信）', '群众（12345热线）'];
export const OBJECTIONS_UPHELD = ['反映现场仍有部分设施未拆除，夜间仍有人员作业。'];
export const OBJECTIONS_REJECTED = ['反映整改后场地仍有垃圾堆放。'];
export const HANDLING_UPHELD = ['经现场复核，异议属实，退回继续整改，重新确定整改期限。'];
export const HANDLING_REJECTED = ['经现场复核，所称垃圾位于保护地范围外，已转属地处理，异议不成立。'];

export const RECHECK_NOTES = ['回头看：现场整改成效保持良好，未见反弹。', '回头看：修复区植被长势良好，未发现新的违法活动。'];

export const REOPEN_REASONS = [
  '回头看发现原址又出现新的开采痕迹，问题反弹。',
  '回头看发现已拆除设施被重新搭建，问题复发。',
];

export const COORDINATOR_REOPEN = ['群众举报原址复建，协调员重新打开核查。'];

/** Short labels of the closing conditions, for evidence file names. */
const CONDITION_LABELS: Readonly<Record<string, string>> = {
  water_power_cut: '断水断电',
  materials_cleared: '原料清除',
  equipment_cleared: '设备清除',
  demolished_or_converted: '拆除后',
  project_exited: '关停退出文书',
  restoration_stable: '修复后',
  scientific_assessment: '科学评估报告',
  discharge_stopped: '排口封堵',
  water_quality_restored: '水质监测报告',
  illegal_structures_removed: '拆除后',
  site_restored: '场地恢复',
  use_regularised: '规范管理',
};

/** The label of a closing condition in evidence file names. */
export function conditionLabel(code: string): string {
  return CONDITION_LABELS[code] ?? code;
}
