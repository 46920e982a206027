/**
 * The story the sample inspections tell: which areas are inspected together on one trip, which
 * area–quarter pairs are deliberately missed, which large areas are only ever walked on one side,
 * and how far the current quarter has got. Everything here is invented for the demonstration.
 */

/** First day of the sample period and the day the sample data pretends is "today". */
export const PERIOD_START = '2025-01-01';
export const TODAY = '2026-11-20';

/** Quarters of the sample period, oldest first; the last one is the current, partly done quarter. */
export const QUARTERS = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] as const;
export type Quarter = (typeof QUARTERS)[number];
export const CURRENT_QUARTER: Quarter = '2026-Q4';

/** Short Chinese name for titles and summaries, and an ASCII slug for track file names. */
export const AREA_LABELS: Record<string, { short: string; slug: string }> = {
  'WF-PA-01': { short: '山旺古生物化石保护区', slug: 'shanwang' },
  'WF-PA-02': { short: '仰天山自然保护区', slug: 'yangtianshan' },
  'WF-PA-03': { short: '柽柳林海洋特别保护区', slug: 'chengliulin' },
  'WF-PA-04': { short: '沂山国家森林公园', slug: 'yishan' },
  'WF-PA-05': { short: '仰天山国家森林公园', slug: 'yangtianshan-fp' },
  'WF-PA-06': { short: '首阳山国家森林公园', slug: 'shouyangshan' },
  'WF-PA-07': { short: '密州国家森林公园', slug: 'mizhou' },
  'WF-PA-08': { short: '马耳山森林公园', slug: 'maershan' },
  'WF-PA-09': { short: '五龙山森林公园', slug: 'wulongshan' },
  'WF-PA-10': { short: '渤海森林公园', slug: 'bohai' },
  'WF-PA-11': { short: '圣水峪森林公园', slug: 'shengshuiyu' },
  'WF-PA-12': { short: '九龙涧森林公园', slug: 'jiulongjian' },
  'WF-PA-13': { short: '逄山森林公园', slug: 'pangshan' },
  'WF-PA-14': { short: '八喜谷森林公园', slug: 'baxigu' },
  'WF-PA-15': { short: '峡山湖国家湿地公园', slug: 'xiashanhu' },
  'WF-PA-16': { short: '寿光滨海国家湿地公园', slug: 'shouguang-binhai' },
  'WF-PA-17': { short: '拥翠湖国家湿地公园', slug: 'yongcuihu' },
  'WF-PA-18': { short: '白浪河国家湿地公园', slug: 'bailanghe' },
  'WF-PA-19': { short: '禹王国家湿地公园', slug: 'yuwang' },
  'WF-PA-20': { short: '弥河国家湿地公园', slug: 'mihe-qingzhou' },
  'WF-PA-21': { short: '昌邑滨海国家湿地公园', slug: 'changyi-binhai' },
  'WF-PA-22': { short: '潍河国家湿地公园', slug: 'weihe-zhucheng' },
  'WF-PA-23': { short: '胶河国家湿地公园', slug: 'jiaohe' },
  'WF-PA-24': { short: '峡山潍河湿地公园', slug: 'weihe-xiashan' },
  'WF-PA-25': { short: '巨淀湖湿地公园', slug: 'judianhu' },
  'WF-PA-26': { short: '柽柳林湿地公园', slug: 'chengliulin-wp' },
  'WF-PA-27': { short: '仙月湖湿地公园', slug: 'xianyuehu' },
  'WF-PA-28': { short: '巨洋湖湿地公园', slug: 'juyanghu' },
  'WF-PA-29': { short: '南阳河湿地公园', slug: 'nanyanghe' },
  'WF-PA-30': { short: '王吴湿地公园', slug: 'wangwu' },
  'WF-PA-31': { short: '寿光弥河湿地公园', slug: 'mihe-shouguang' },
  'WF-PA-32': { short: '潍坊滨海湿地公园', slug: 'weifang-binhai' },
  'WF-PA-33': { short: '浞河湿地公园', slug: 'zhuohe' },
  'WF-PA-34': { short: '官河湿地公园', slug: 'guanhe' },
  'WF-PA-35': { short: '月牙湖湿地公园', slug: 'yueyahu' },
  'WF-PA-36': { short: '圣水湖湿地公园', slug: 'shengshuihu' },
  'WF-PA-37': { short: '太公湖湿地公园', slug: 'taigonghu' },
  'WF-PA-38': { short: '山旺国家地质公园', slug: 'shanwang-geopark' },
  'WF-PA-39': { short: '恐龙国家地质公园', slug: 'konglong' },
  'WF-PA-40': { short: '青州国家地质公园', slug: 'qingzhou-geopark' },
  'WF-PA-41': { short: '昌乐火山国家地质公园', slug: 'changle-huoshan' },
  'WF-PA-42': { short: '青州风景名胜区', slug: 'qingzhou-scenic' },
  'WF-PA-43': { short: '石门坊风景名胜区', slug: 'shimenfang' },
};

/**
 * Circuits: areas close enough (≤ ~17 km apart) to be inspected on one day, in visiting order.
 * Areas on shared ground always travel together, because walking one also crosses the other.
 */
export const CIRCUITS: string[][] = [
  ['WF-PA-38', 'WF-PA-01'],
  ['WF-PA-41', 'WF-PA-27'],
  ['WF-PA-06', 'WF-PA-37'],
  ['WF-PA-28', 'WF-PA-43', 'WF-PA-36'],
  ['WF-PA-04'],
  ['WF-PA-05', 'WF-PA-02', 'WF-PA-13'],
  ['WF-PA-40'],
  ['WF-PA-11', 'WF-PA-14'],
  ['WF-PA-42', 'WF-PA-29', 'WF-PA-20'],
  ['WF-PA-16', 'WF-PA-10'],
  ['WF-PA-25', 'WF-PA-31'],
  ['WF-PA-21', 'WF-PA-26', 'WF-PA-03'],
  ['WF-PA-35'],
  ['WF-PA-32', 'WF-PA-19'],
  ['WF-PA-18', 'WF-PA-33'],
  ['WF-PA-17', 'WF-PA-12'],
  ['WF-PA-15', 'WF-PA-24'],
  ['WF-PA-23', 'WF-PA-30'],
  ['WF-PA-34'],
  ['WF-PA-09'],
  ['WF-PA-22', 'WF-PA-07'],
  ['WF-PA-39', 'WF-PA-08'],
];

/** How a designed gap shows: the area is left out entirely, or only a single department went. */
export type GapKind = 'missed' | 'single';

/** Area–quarter pairs without a joint inspection, each with the reason the story gives. */
export const GAPS: { area: string; quarter: Quarter; kind: GapKind; why: string }[] = [
  // 官河: remote, small municipal park at the eastern edge of Gaomi; often dropped when time runs short.
  { area: 'WF-PA-34', quarter: '2025-Q2', kind: 'missed', why: 'low priority, remote' },
  { area: 'WF-PA-34', quarter: '2025-Q4', kind: 'missed', why: 'low priority, remote' },
  { area: 'WF-PA-34', quarter: '2026-Q2', kind: 'missed', why: 'low priority, remote' },
  { area: 'WF-PA-04', quarter: '2025-Q1', kind: 'missed', why: 'mountain closed for the winter fire season' },
  { area: 'WF-PA-13', quarter: '2025-Q3', kind: 'missed', why: 'access road washed out in the flood season' },
  { area: 'WF-PA-30', quarter: '2026-Q1', kind: 'missed', why: 'left out of the Gaomi circuit' },
  { area: 'WF-PA-09', quarter: '2026-Q3', kind: 'missed', why: 'never visited that quarter' },
  { area: 'WF-PA-35', quarter: '2025-Q1', kind: 'single', why: 'only the county branch went' },
];

/**
 * Large areas only ever walked in one part: a window along the area's long axis (`side` 0 = the
 * low end, 1 = the high end) covering `share` of its length, plus which units of a multi-unit area
 * are entered (by a point near the unit). The rest stays unreached across the whole period.
 */
export const PARTIAL_REACH: Record<string, { side: 0 | 1; share: number; units?: [number, number][] }> = {
  'WF-PA-04': { side: 0, share: 0.45 },
  'WF-PA-39': { side: 1, share: 0.5 },
  'WF-PA-40': { side: 0, share: 0.55, units: [[118.385, 36.625], [118.31, 36.565]] },
  'WF-PA-42': { side: 1, share: 0.45 },
  // 密州: only the 大山 unit, reached from the Wei River side; 马耳山 is never walked.
  'WF-PA-07': { side: 0, share: 0.6, units: [[119.28, 36.12]] },
  'WF-PA-41': { side: 0, share: 0.5 },
};

/** Areas on the coast, where the agriculture bureau (fisheries) often joins. */
export const COASTAL = new Set(['WF-PA-03', 'WF-PA-21', 'WF-PA-26', 'WF-PA-32', 'WF-PA-16', 'WF-PA-10', 'WF-PA-35']);

/** Joint circuits of the current quarter that are still under way, and how many are only planned. */
export const CURRENT_IN_PROGRESS = 3;
export const CURRENT_PLANNED = 6;

/** Single-department patrols (not joint) over the whole period. */
export const PATROLS = 22;

/** Seed of every random choice in the inspection generator. */
export const SEED = 'weifang-inspections-v1';
