/**
 * The wording of the sample findings: what was found (by category and terrain), how it was described
 * by each source, and the notes, reasons and reports of each workflow step. Invented, in the plain
 * style of a 台账.
 */
import type { ConditionCode } from '../../../server/features/findings/closing-conditions.ts';
import type { FindingCategory } from '../../../server/lib/vocabulary.ts';
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

export const ZONE_ZH = { core: '核心区', buffer: '缓冲区', experimental: '实验区' } as const;

/** The area's name as a title uses it: 仰天山自然保护区 → 仰天山保护区 when a zone follows. */
export function titlePlace(short: string, zone: keyof typeof ZONE_ZH | null): string {
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

export const CONFIRM_NOTES = [
  '经现场核查，问题属实，未办理任何审批手续，责任主体已查明。',
  '经现场核查，问题属实，现场已责令停止施工。',
  '问题属实，位置、面积与图斑一致，已制作现场检查笔录。',
  '问题属实，责任人承认未经批准擅自实施，已下达责令整改通知书。',
];

/** Why a clue was found untrue, fitting its category. */
export function dismissReason(category: FindingCategory, pick: Pick): string {
  const byCategory: Partial<Record<FindingCategory, string[]>> = {
    mining: ['经现场核查，系山体自然滑塌，无人工开采痕迹。', '现场为已完成修复的原采石场，复绿后季节性植被变化所致。'],
    construction: ['经核查为依法批准的保护地巡护管理用房，手续齐全。', '现场为农户临时堆放的农膜和秸秆，已清理，不属于建设活动。'],
    tourism: ['经核查为管理机构设置的科普宣教设施，经批准建设。'],
    road: ['经核查为原有防火通道日常维护，未新增占地。'],
    pollution: ['经现场核查，该排口为雨水排放口，取样监测水质正常，无污水排放。', '举报所称污水为上游来水，经监测未超标。'],
    aquaculture: ['经核查，养殖池位于保护地边界外侧，系定位偏差所致。'],
    other: ['现场为林木采伐后正常抚育，已办理采伐许可。', '经核查为群众临时堆放物，已自行清理完毕。'],
  };
  return pick(byCategory[category] ?? ['经现场核查，现场未见所述情况，问题不属实。']);
}

export const PLAN_NOTES = {
  exit: ['责令停止违法行为，限期拆除设施、退出保护地，并实施生态修复。', '依法关停取缔，两断三清后开展生态修复。'],
  remediate: ['限期整治，消除对保护对象的影响，整治完成后报请验收。', '按科学评估结论分类处置，完善相关手续并落实管控措施。'],
  restore: ['拆除违法建筑，清理场地，补植复绿。', '清理后开展植被恢复，由牵头部门跟踪修复成效。'],
};

export const REPORTS = [
  '已按整改方案完成整改，违法设施全部拆除，场地已清理平整并补植复绿，现报请验收。',
  '整改任务已完成：已断水断电，设备和原料已清运，建筑已拆除，生态修复已实施。',
  '已完成整治并经属地政府初验，附整改前后对比照片及整改报告。',
  '整改完成，现场已恢复原貌，相关责任人已依法处理。',
];

export const ACCEPT_NOTES = ['经现场验收，整改措施落实到位，同意销号。', '验收组现场核查，各项销号条件均已满足，同意销号。', '整改到位，资料齐全，同意销号，纳入回头看清单。'];

export const RETURN_REASONS = [
  '现场验收发现仍有部分建筑未拆除，修复不到位，退回继续整改。',
  '整改佐证材料不全，现场仍有堆放物料，退回整改。',
  '植被恢复未达标，成活率低，退回补植。',
];

export const REOPEN_REASONS = [
  '回头看发现原址又出现新的开采痕迹，问题反弹。',
  '回头看发现已拆除设施被重新搭建，问题复发。',
  '回头看发现排污口被重新打开，存在偷排现象。',
];

/** Evidence labels per closing condition, and whether the proof is a document rather than a photo. */
export const CONDITION_EVIDENCE: Readonly<Record<ConditionCode, { label: string; document: boolean }>> = {
  water_power_cut: { label: '断水断电', document: false },
  materials_cleared: { label: '原料清除', document: false },
  equipment_cleared: { label: '设备清除', document: false },
  demolished_or_converted: { label: '拆除后', document: false },
  project_exited: { label: '关停退出文书', document: true },
  restoration_stable: { label: '修复后', document: false },
  scientific_assessment: { label: '科学评估报告', document: true },
  discharge_stopped: { label: '排口封堵', document: false },
  water_quality_restored: { label: '水质监测报告', document: true },
  illegal_structures_removed: { label: '拆除后', document: false },
  site_restored: { label: '场地恢复', document: false },
};
