/**
 * Invented people and wording for the sample inspections: a small, stable roster per department
 * (the same officers recur, as they would), checkpoint notes fitting each kind of area, findings
 * and short Chinese summaries. No name refers to a real person.
 */
import { hashSeed, prng } from '../lib/shapes.ts';

// Common surnames of Shandong first, so the roster reads as local.
const SURNAMES = '王张李刘孙赵杨陈徐马高于郭韩宋丁曹周吴董隋单邢焦崔任姜田袁冯秦';
const GIVEN = [
  '磊', '伟', '强', '军', '静', '敏', '芳', '娜', '涛', '鹏', '超', '勇', '杰', '刚', '斌', '辉',
  '建国', '志强', '海燕', '晓东', '文博', '春雷', '玉兰', '振华', '立新', '红梅', '建华', '庆国',
  '德胜', '海涛', '丽娟', '雪梅', '晓明', '国栋', '宏伟', '俊杰', '凤霞', '永刚', '新民', '亚楠',
  '思远', '佳琪', '浩然', '雨欣', '金凤', '长青', '学文', '明远', '瑞华', '秀珍',
];

/** A member of an inspection team. */
export interface Member {
  name: string;
  department: string;
}

/** Builds a roster of `perDepartment` distinct invented names for each department code, stable for a seed. */
export function roster(departments: string[], perDepartment: (code: string) => number, seed: string): Map<string, string[]> {
  const rand = prng(hashSeed(`${seed}:roster`));
  const taken = new Set<string>();
  const out = new Map<string, string[]>();
  for (const code of departments) {
    const names: string[] = [];
    while (names.length < perDepartment(code)) {
      const name = SURNAMES[Math.floor(rand() * SURNAMES.length)] + GIVEN[Math.floor(rand() * GIVEN.length)];
      if (taken.has(name)) continue;
      taken.add(name);
      names.push(name);
    }
    out.set(code, names);
  }
  return out;
}

/** Checkpoint places and what was seen there, by area category (note = place，observation). */
const CHECKPOINTS: Record<string, [string, string][]> = {
  wetland_park: [
    ['拦河坝下游', '未见新增违建'], ['湖岸芦苇带', '未见非法捕捞痕迹'], ['入河排水口', '水体无异色异味'],
    ['木栈道沿线', '警示牌完好'], ['岸边农田', '未见侵占湿地'], ['湿地保育区', '水鸟活动正常'],
    ['河道拐弯处', '未见非法采砂'], ['观鸟台', '设施完好'],
  ],
  forest_park: [
    ['防火检查站', '设施完好，值守到位'], ['林区主干道', '未发现乱砍滥伐'], ['林缘地带', '未见新增开垦'],
    ['山顶瞭望台', '监控设备运行正常'], ['护林房', '巡护记录齐全'], ['沟谷步道', '未见违规用火痕迹'],
  ],
  geopark: [
    ['化石产地', '保护围栏完好'], ['地质遗迹点', '标识牌清晰'], ['原采石场旧址', '未见复采'],
    ['火山口遗迹', '未见人为破坏'], ['科普步道', '设施完好'],
  ],
  nature_reserve: [
    ['核心区界桩', '界桩完好'], ['缓冲区巡护道路', '未见人为活动'], ['保护站', '值守正常'], ['实验区入口', '未见违规建设'],
  ],
  marine_special: [
    ['潮间带', '未见非法养殖扩张'], ['柽柳林内', '未见新增道路'], ['海堤外侧', '未见倾倒废弃物'], ['滩涂', '未见非法采挖'],
  ],
  scenic_area: [
    ['景区入口', '游客管理有序'], ['登山步道', '未见违规建设'], ['防火通道', '通道畅通'], ['山门附近', '未见违规经营'],
  ],
};

/** Problems occasionally found, with the kinds of area they fit: the summary sentence and the checkpoint note. */
const ISSUES: { summary: string; note: string; fits: string[] }[] = [
  { summary: '发现1处疑似新建看护房，已拍照取证并移交属地核查。', note: '疑似新建看护房一处，已拍照取证', fits: ['wetland_park', 'forest_park', 'geopark', 'scenic_area', 'nature_reserve'] },
  { summary: '发现少量建筑垃圾倾倒，已通知属地清理。', note: '有少量建筑垃圾倾倒，已通知清理', fits: ['wetland_park', 'forest_park', 'geopark', 'scenic_area', 'marine_special'] },
  { summary: '发现非法垂钓人员2名，已劝离并宣传保护规定。', note: '非法垂钓2人，已劝离', fits: ['wetland_park'] },
  { summary: '发现林缘新开垦地块约0.3亩，已登记并移交调查。', note: '新开垦地块约0.3亩，已登记', fits: ['forest_park', 'geopark', 'scenic_area'] },
  { summary: '发现1处界桩损坏，已报请管护单位修复。', note: '界桩损坏一处，已报修', fits: ['nature_reserve', 'forest_park', 'marine_special', 'geopark'] },
  { summary: '发现滩涂新设养殖网围一处，已登记并通报渔业部门。', note: '新设养殖网围一处，已登记', fits: ['marine_special'] },
];

const CLEAN = ['未发现新增违法违规问题。', '未发现新增违建和破坏生态行为。', '区内情况总体稳定，标识标牌完好。', '未发现乱砍滥伐、非法采砂等问题。'];

/** Picks `n` distinct checkpoint places for a category. */
export function checkpointPlaces(category: string, n: number, rand: () => number): [string, string][] {
  const pool = [...(CHECKPOINTS[category] ?? CHECKPOINTS.wetland_park)];
  const out: [string, string][] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

/** A finding for an inspection in an area of `category`: usually nothing new, sometimes (about one in six) an issue. */
export function finding(category: string, rand: () => number): { summary: string; note: string | null } {
  const fitting = ISSUES.filter((i) => i.fits.includes(category));
  if (rand() < 0.17 && fitting.length > 0) return fitting[Math.floor(rand() * fitting.length)];
  return { summary: CLEAN[Math.floor(rand() * CLEAN.length)], note: null };
}

/** Short form of a department's Chinese name for running text (潍坊市… → 市…). */
export function departmentShort(nameZh: string): string {
  return nameZh.replace(/^潍坊市/, '市');
}
