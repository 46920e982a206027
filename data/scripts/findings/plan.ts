/**
 * The story the sample findings tell: how many end in each state, which are overdue or escalated,
 * which kinds of problem fit which kind of area, and who in the demo accounts does what. Invented.
 */
import type { FindingCategory, FindingState } from '../../../server/lib/vocabulary.ts';
import { COASTAL, TODAY } from '../inspections/plan.ts';

export { TODAY };

/** Seed of every random choice in the findings generator. */
export const SEED = 'weifang-findings-v2';

/** The first day a sample finding may be recorded. */
export const PERIOD_START = '2024-01-02';

/** What a finding's history comes to: its final state and the turns on the way (history.ts lays them out). */
export interface Story {
  final: FindingState;
  /** The running deadline on TODAY (clue, verifying, planning and rectifying have one). */
  role: 'on_time' | 'overdue' | 'escalated';
  /** Dismissals: 不属实, 合法合规, 已消失, 已整改. */
  outcome?: 'not_true' | 'lawful' | 'vanished' | 'rectified';
  /** Dismissed first, then overturned by a coordinator's spot check (抽查推翻). */
  overturned?: boolean;
  /** Where the plan stands while planning. */
  planning?: 'drafting' | 'submitted' | 'returned' | 'resubmitted';
  /** A plan returned by a reviewer, resubmitted and approved. */
  planReturned?: boolean;
  /** An extension of the plan's due date (planning) or of the deadline (rectifying). */
  planExtension?: 'approved' | 'refused';
  extension?: 'approved' | 'refused';
  /** Rectifying: some departments have reported their part, others not yet (joint sign-off). */
  partlyReported?: boolean;
  /** A failed acceptance at that level (new deadline), before the final state. */
  failedAt?: 'county' | 'city';
  /** Pending acceptance: which level waits, and whether its site check is done. */
  waiting?: 'county' | 'county_checked' | 'city' | 'city_checked';
  /** 公示 objections: one not upheld, or one upheld that sent it back. */
  objection?: 'rejected' | 'upheld';
  /** Closed: how many re-checks (回头看) found it still rectified. */
  rechecks?: 0 | 1 | 2;
  /** 回头看 found it recurred (back to verification), or a coordinator reopened it; and where it stands now. */
  recurred?: 'verifying' | 'planning';
  reopened?: 'verifying';
  /** Area this story is told in (so every area category has a closed finding). */
  area?: string;
  /**
   * An old tourism facility in a reserve's 实验区, approved before the reserve existed (a coordinator
   * determines the approval from the archive): the annex's 科学评估 route.
   */
  assessed?: boolean;
}

const many = (n: number, story: Story): Story[] => Array.from({ length: n }, () => ({ ...story }));

/**
 * The 150 stories. Counts per final state: 20 clue, 14 verifying, 14 dismissed, 6 confirmed,
 * 12 planning, 36 rectifying, 12 pending acceptance, 6 publicising, 30 closed.
 */
export const STORIES: readonly Story[] = [
  ...many(14, { final: 'clue', role: 'on_time' }),
  ...many(4, { final: 'clue', role: 'overdue' }),
  ...many(2, { final: 'clue', role: 'escalated' }),
  ...many(8, { final: 'verifying', role: 'on_time' }),
  ...many(3, { final: 'verifying', role: 'overdue' }),
  { final: 'verifying', role: 'escalated' },
  { final: 'verifying', role: 'on_time', overturned: true },
  { final: 'verifying', role: 'on_time', recurred: 'verifying' },
  ...many(5, { final: 'dismissed', role: 'on_time', outcome: 'not_true' }),
  ...many(4, { final: 'dismissed', role: 'on_time', outcome: 'lawful' }),
  ...many(2, { final: 'dismissed', role: 'on_time', outcome: 'vanished' }),
  ...many(3, { final: 'dismissed', role: 'on_time', outcome: 'rectified' }),
  ...many(5, { final: 'confirmed', role: 'on_time' }),
  { final: 'confirmed', role: 'on_time', reopened: 'verifying' },
  ...many(3, { final: 'planning', role: 'on_time', planning: 'drafting' }),
  { final: 'planning', role: 'overdue', planning: 'drafting' },
  { final: 'planning', role: 'on_time', planning: 'drafting', planExtension: 'approved' },
  { final: 'planning', role: 'overdue', planning: 'drafting', planExtension: 'refused' },
  ...many(2, { final: 'planning', role: 'on_time', planning: 'submitted' }),
  { final: 'planning', role: 'on_time', planning: 'submitted', area: 'WF-PA-02', assessed: true },
  { final: 'planning', role: 'on_time', planning: 'returned' },
  { final: 'planning', role: 'on_time', planning: 'resubmitted' },
  { final: 'planning', role: 'on_time', planning: 'drafting', recurred: 'planning' },
  ...many(11, { final: 'rectifying', role: 'on_time' }),
  { final: 'rectifying', role: 'on_time', area: 'WF-PA-01', assessed: true },
  ...many(3, { final: 'rectifying', role: 'on_time', planReturned: true }),
  ...many(4, { final: 'rectifying', role: 'on_time', partlyReported: true }),
  ...many(4, { final: 'rectifying', role: 'overdue' }),
  ...many(3, { final: 'rectifying', role: 'escalated' }),
  ...many(3, { final: 'rectifying', role: 'on_time', extension: 'approved' }),
  ...many(2, { final: 'rectifying', role: 'overdue', extension: 'refused' }),
  ...many(2, { final: 'rectifying', role: 'on_time', failedAt: 'county' }),
  ...many(2, { final: 'rectifying', role: 'on_time', failedAt: 'city' }),
  { final: 'rectifying', role: 'on_time', objection: 'upheld' },
  ...many(3, { final: 'pending_acceptance', role: 'on_time', waiting: 'county' }),
  ...many(2, { final: 'pending_acceptance', role: 'on_time', waiting: 'county_checked' }),
  ...many(3, { final: 'pending_acceptance', role: 'on_time', waiting: 'city' }),
  ...many(2, { final: 'pending_acceptance', role: 'on_time', waiting: 'city_checked' }),
  { final: 'pending_acceptance', role: 'on_time', waiting: 'city', failedAt: 'city' },
  { final: 'pending_acceptance', role: 'on_time', waiting: 'county', failedAt: 'county' },
  ...many(4, { final: 'publicising', role: 'on_time' }),
  { final: 'publicising', role: 'on_time', objection: 'rejected' },
  { final: 'publicising', role: 'on_time', planReturned: true },
  // Closed: one in each area category first, then the rest.
  { final: 'closed', role: 'on_time', rechecks: 1, area: 'WF-PA-01' },
  { final: 'closed', role: 'on_time', rechecks: 1, area: 'WF-PA-03' },
  { final: 'closed', role: 'on_time', rechecks: 0, area: 'WF-PA-05' },
  { final: 'closed', role: 'on_time', rechecks: 2, area: 'WF-PA-17' },
  { final: 'closed', role: 'on_time', rechecks: 1, area: 'WF-PA-40' },
  { final: 'closed', role: 'on_time', rechecks: 0, area: 'WF-PA-42' },
  ...many(5, { final: 'closed', role: 'on_time', rechecks: 0 }),
  { final: 'closed', role: 'on_time', rechecks: 0, area: 'WF-PA-02', assessed: true },
  ...many(6, { final: 'closed', role: 'on_time', rechecks: 1 }),
  ...many(2, { final: 'closed', role: 'on_time', rechecks: 2 }),
  ...many(2, { final: 'closed', role: 'on_time', rechecks: 1, failedAt: 'county' }),
  ...many(2, { final: 'closed', role: 'on_time', rechecks: 0, failedAt: 'city' }),
  { final: 'closed', role: 'on_time', rechecks: 0, objection: 'upheld' },
  { final: 'closed', role: 'on_time', rechecks: 0, objection: 'rejected' },
  { final: 'closed', role: 'on_time', rechecks: 1, extension: 'approved' },
  { final: 'closed', role: 'on_time', rechecks: 0, planReturned: true },
  { final: 'closed', role: 'on_time', rechecks: 1, overturned: true },
  { final: 'closed', role: 'on_time', rechecks: 0, extension: 'refused' },
];

/** Remote-sensing batches give a clue its dispatch deadline: 20 days after issue (本市规定 in the sample, invented). */
export const BATCH_VERIFY_DAYS = 20;

/** The escalation limit the portal uses by default (ESCALATE_AFTER_DAYS). */
export const ESCALATE_AFTER_DAYS = 30;

/** Main public holidays of 2024 (the inspection calendar lists 2025–2026); no step falls on them. */
export const HOLIDAYS_2024: [string, string][] = [
  ['2024-01-01', '2024-01-01'],
  ['2024-02-10', '2024-02-17'],
  ['2024-04-04', '2024-04-06'],
  ['2024-05-01', '2024-05-05'],
  ['2024-06-10', '2024-06-10'],
  ['2024-09-16', '2024-09-17'],
  ['2024-10-01', '2024-10-07'],
];

/** Issue dates of the remote-sensing change batches (遥感监测图斑批次), about every two months. */
export const REMOTE_SENSING_BATCHES: { date: string; label: string }[] = [
  ['2024-01-15', '2024-03-12', '2024-05-14', '2024-07-09', '2024-09-10', '2024-11-12'],
  ['2025-01-14', '2025-03-11', '2025-05-13', '2025-07-08', '2025-09-09', '2025-11-11'],
  ['2026-01-13', '2026-03-10', '2026-05-12', '2026-07-14', '2026-09-08', '2026-11-10'],
].flatMap((dates) => dates.map((date, i) => ({ date, label: `${date.slice(0, 4)}年第${i + 1}批` })));

/** What kind of ground an area is, for the problems it plausibly has. */
export type Terrain = 'quarry_hills' | 'hills' | 'coast' | 'river' | 'fossil';

/** Hill areas of Linqu, Qingzhou and Changle, where quarrying (采石) has long been the main pressure. */
const QUARRY_COUNTIES = new Set(['370724', '370781', '370725']);

/** The terrain of an area from its category, county and coast. */
export function terrainOf(area: { code: string; category: string; countyCode: string }): Terrain {
  if (COASTAL.has(area.code)) return 'coast';
  if (area.code === 'WF-PA-01' || area.code === 'WF-PA-38' || area.code === 'WF-PA-39') return 'fossil';
  if (area.category === 'wetland_park') return 'river';
  return QUARRY_COUNTIES.has(area.countyCode) ? 'quarry_hills' : 'hills';
}

/** Relative frequency of each category by terrain. */
export const CATEGORY_WEIGHTS: Readonly<Record<Terrain, Partial<Record<FindingCategory, number>>>> = {
  quarry_hills: { mining: 34, construction: 18, tourism: 14, road: 12, industrial: 6, energy: 4, other: 12 },
  hills: { construction: 24, tourism: 20, road: 15, mining: 14, energy: 6, industrial: 5, other: 16 },
  coast: { aquaculture: 34, pollution: 24, energy: 10, road: 10, industrial: 10, construction: 6, other: 6 },
  river: { mining: 22, pollution: 20, dam: 15, construction: 14, aquaculture: 10, tourism: 10, other: 9 },
  fossil: { mining: 26, construction: 24, tourism: 22, road: 14, other: 14 },
};

/** Relative number of findings per area beyond the one every area gets. */
export const TERRAIN_WEIGHT: Readonly<Record<Terrain, number>> = { quarry_hills: 5, coast: 5, river: 3, hills: 3, fossil: 3 };

/** Share of the zones (strictest first, by how many the scheme has) a finding in a zoned area lies in. */
export const ZONE_WEIGHTS_BY_COUNT: Readonly<Record<number, readonly number[]>> = { 1: [1], 2: [0.3, 0.7], 3: [0.17, 0.25, 0.58], 4: [0.1, 0.2, 0.3, 0.4] };

/** Where findings come from, by category (remote sensing cannot see an outfall). */
export function sourceWeights(category: FindingCategory): Record<string, number> {
  if (category === 'pollution') return { public_report: 28, patrol: 18, joint_inspection: 26, supervision: 16, drone: 12 };
  return { remote_sensing: 32, joint_inspection: 22, patrol: 14, public_report: 12, drone: 10, supervision: 10 };
}

/** The demo account acting for a department in the field, where the department has one. */
export const OFFICER_OF: Readonly<Record<string, string>> = { eco: 'eco', nr: 'nr', 'eco-linqu': 'lq' };

/** The coordinator account (joint-enforcement office). */
export const COORDINATOR = 'coord';
