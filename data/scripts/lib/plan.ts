/**
 * Where and how each schematic boundary is drawn. Centres come from the reference CSV where it has
 * one; otherwise they are placed from general knowledge of the place (a lake, a river reach, a
 * hill range) and only need to be plausible. Sizes are targets only where the CSV has no published
 * area; they are never written out as published figures.
 */
import type { ShapeSpec } from './shapes.ts';

/** Pairs of areas that are different designations on the same ground, so they overlap by design. */
export const SHARED_GROUND: [string, string][] = [
  ['WF-PA-01', 'WF-PA-38'],
  ['WF-PA-02', 'WF-PA-05'],
  ['WF-PA-10', 'WF-PA-16'],
  ['WF-PA-03', 'WF-PA-21'],
  ['WF-PA-03', 'WF-PA-26'],
  ['WF-PA-21', 'WF-PA-26'],
];

/** Areas that get legacy functional zones (core/buffer/experimental): the two reserves and the marine SPA. */
export const ZONED_AREAS = ['WF-PA-01', 'WF-PA-02', 'WF-PA-03'];

export interface UnitPlan {
  /** label for messages only */
  name: string;
  centre: [number, number];
  /** share of the area's total size */
  share: number;
  shape: ShapeSpec;
}

export interface AreaPlan {
  /** centre when the CSV has none */
  centre?: [number, number];
  /** metres east/north to move the outline's centre off a published point that sits on a county edge */
  shift?: [number, number];
  /** size in ha when the CSV has no published area */
  plausibleHa?: number;
  shape: ShapeSpec;
  /** draw inside another area (a reserve inside the geopark that contains it) */
  within?: string;
  /** separate units of one designation; they replace centre/shape */
  units?: UnitPlan[];
}

const hill = (elongation: number, bearing: number, roughness = 0.22): ShapeSpec => ({ kind: 'blob', elongation, bearing, roughness });
const lake = (elongation: number, bearing: number): ShapeSpec => ({ kind: 'blob', elongation, bearing, roughness: 0.3 });
const coast = (elongation: number, bearing: number): ShapeSpec => ({ kind: 'blob', elongation, bearing, roughness: 0.18 });
const river = (elongation: number, bearing: number, meander = 0.6): ShapeSpec => ({ kind: 'strip', elongation, bearing, meander });

export const PLAN: Record<string, AreaPlan> = {
  // Linqu 临朐: Shanwang fossil site inside the Shanwang geopark; Yishan on the southern border range.
  'WF-PA-01': { shape: hill(1.3, 60, 0.15), within: 'WF-PA-38' },
  'WF-PA-38': { shape: hill(1.5, 40, 0.28) },
  'WF-PA-04': { plausibleHa: 3000, shape: hill(1.8, 70, 0.3) },
  'WF-PA-28': { centre: [118.55, 36.485], plausibleHa: 450, shape: lake(2.0, 10) },
  'WF-PA-36': { centre: [118.45, 36.40], plausibleHa: 100, shape: lake(1.5, 45) },
  'WF-PA-43': { centre: [118.46, 36.50], plausibleHa: 1100, shape: hill(1.6, 120, 0.25) },
  // Qingzhou 青州: Yangtianshan reserve and forest park on one massif at the western edge.
  'WF-PA-02': { shape: hill(1.4, 20, 0.2) },
  'WF-PA-05': { plausibleHa: 2600, shape: hill(1.6, 160, 0.25) },
  'WF-PA-42': { shape: hill(1.4, 100, 0.22) },
  'WF-PA-20': { shape: river(10, 5, 0.7) },
  'WF-PA-11': { centre: [118.25, 36.62], plausibleHa: 250, shape: hill(1.4, 30) },
  'WF-PA-13': { centre: [118.22, 36.53], plausibleHa: 180, shape: hill(1.3, 150) },
  'WF-PA-14': { centre: [118.31, 36.67], plausibleHa: 300, shape: hill(1.7, 80) },
  'WF-PA-29': { centre: [118.50, 36.725], plausibleHa: 350, shape: river(9, 35, 0.5) },
  'WF-PA-40': {
    plausibleHa: 4200,
    shape: hill(1, 0),
    units: [
      { name: 'Yuntuo 云门山-驼山', centre: [118.385, 36.625], share: 0.38, shape: hill(1.5, 110, 0.28) },
      { name: 'Yangtianshan 仰天山', centre: [118.31, 36.565], share: 0.34, shape: hill(1.4, 60, 0.28) },
      { name: "Tangsai'er 唐赛儿寨", centre: [118.39, 36.52], share: 0.28, shape: hill(1.3, 150, 0.28) },
    ],
  },
  // Changle 昌乐: Shouyangshan south-east of the town, the volcano geopark further south.
  'WF-PA-06': { plausibleHa: 2400, shape: hill(1.5, 135, 0.25) },
  'WF-PA-41': { plausibleHa: 3200, shape: hill(1.3, 20, 0.32) },
  'WF-PA-27': { centre: [118.77, 36.64], plausibleHa: 400, shape: lake(1.6, 150) },
  'WF-PA-37': { centre: [118.96, 36.60], plausibleHa: 140, shape: lake(1.4, 60) },
  // Shouguang 寿光: coastal-plain parks north of the city; the Mi River through it.
  'WF-PA-16': { shape: coast(2.2, 165) },
  'WF-PA-10': { plausibleHa: 900, shape: hill(1.9, 20, 0.2) },
  'WF-PA-25': { plausibleHa: 500, shape: lake(1.3, 0) },
  'WF-PA-31': { centre: [118.80, 36.93], plausibleHa: 160, shape: river(8, 10, 0.5) },
  // Changyi 昌邑 coast: tamarisk marine SPA with two wetland parks on the same tidal flats; centred close
  // enough to the county's seaward edge that the clip gives them a coastline.
  'WF-PA-03': { centre: [119.41, 37.113], plausibleHa: 2600, shape: coast(3.2, 85) },
  'WF-PA-21': { centre: [119.36, 37.098], plausibleHa: 1800, shape: coast(2.4, 70) },
  'WF-PA-26': { centre: [119.39, 37.104], plausibleHa: 600, shape: coast(1.6, 100) },
  'WF-PA-35': { centre: [119.545, 37.045], plausibleHa: 180, shape: lake(1.8, 120) },
  // Weifang city districts: the Bailang River strip along the Kuiwen side; Hanting's river and coast parks.
  // The published point lies on the Weicheng/Kuiwen line (the river itself), so the strip is moved onto the Kuiwen bank.
  'WF-PA-18': { shift: [1800, 2500], shape: river(12, 0, 0.5) },
  'WF-PA-19': { centre: [119.12, 36.95], plausibleHa: 1500, shape: lake(1.6, 20) },
  'WF-PA-33': { centre: [119.25, 36.80], plausibleHa: 150, shape: river(9, 5, 0.5) },
  'WF-PA-32': { centre: [119.17, 37.08], plausibleHa: 200, shape: coast(1.8, 90) },
  'WF-PA-12': { centre: [119.20, 36.58], plausibleHa: 200, shape: hill(1.5, 45) },
  // Xiashan 峡山: the reservoir, and the Wei River reach below its dam.
  'WF-PA-15': { shape: lake(1.7, 15) },
  'WF-PA-24': { shape: river(11, 15, 0.6) },
  // Anqiu 安丘: Yongcui Lake on the Wen River by the city; Wulongshan in the southern hills.
  'WF-PA-17': { shape: lake(2.6, 95) },
  'WF-PA-09': { centre: [118.98, 36.26], plausibleHa: 800, shape: hill(1.6, 130) },
  // Gaomi 高密: Jiao River, Guan River, Wangwu reservoir.
  'WF-PA-23': { centre: [119.68, 36.42], plausibleHa: 1400, shape: river(12, 10, 0.6) },
  'WF-PA-30': { centre: [119.66, 36.27], plausibleHa: 220, shape: lake(1.5, 30) },
  'WF-PA-34': { centre: [119.85, 36.46], plausibleHa: 120, shape: river(8, 20, 0.5) },
  // Zhucheng 诸城: Wei River reach by the city, dinosaur sites south-east, Mizhou's two hill units.
  'WF-PA-22': { plausibleHa: 1600, shape: river(12, 20, 0.6) },
  'WF-PA-39': { centre: [119.58, 35.93], plausibleHa: 3500, shape: hill(1.5, 60, 0.3) },
  'WF-PA-08': { centre: [119.55, 35.815], plausibleHa: 700, shape: hill(1.4, 100) },
  'WF-PA-07': {
    plausibleHa: 3000,
    shape: hill(1, 0),
    units: [
      { name: 'Dashan 大山', centre: [119.28, 36.12], share: 0.5, shape: hill(1.6, 50, 0.26) },
      { name: "Ma'ershan 马耳山", centre: [119.455, 35.845], share: 0.5, shape: hill(1.5, 150, 0.26) },
    ],
  },
};
