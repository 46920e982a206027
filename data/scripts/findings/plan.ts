/**
 * The story the sample findings tell: how many end in each state, which are overdue or escalated,
 * which kinds of problem fit which kind of area, and who in the demo accounts does what. Invented.
 */
import type { FindingCategory, FindingState } from '../../../server/lib/vocabulary.ts';
import { COASTAL, TODAY } from '../inspections/plan.ts';

export { TODAY };

/** Seed of every random choice in the findings generator. */
export const SEED = 'weifang-findings-v1';

/** The first day a sample finding may be recorded. */
export const PERIOD_START = '2024-01-02';

/** How many findings end in each state (150 in all). */
export const STATE_COUNTS: Readonly<Record<FindingState, number>> = {
  clue: 22,
  verifying: 15,
  dismissed: 12,
  confirmed: 8,
  rectifying: 45,
  pending_acceptance: 15,
  closed: 30,
  reopened: 3,
};

/** Findings past their running deadline on TODAY: escalated (> 30 days, 督办) and merely overdue. */
export const DEADLINE_ROLES: Partial<Record<FindingState, { escalated: number; overdue: number }>> = {
  verifying: { escalated: 1, overdue: 2 },
  rectifying: { escalated: 4, overdue: 4 },
  pending_acceptance: { escalated: 0, overdue: 2 },
};

/** Histories with a failed acceptance (验收不通过，退回整改) before their final state. */
export const RETURNED: Partial<Record<FindingState, number>> = { closed: 4, rectifying: 3, pending_acceptance: 2 };

/** Findings closed, found again by 回头看 and handed out for rectification once more. */
export const REOPENED_AND_REPLANNED = 1;

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

/** Share of the zones a finding in a zoned area (the two nature reserves, the marine SPA) lies in. */
export const ZONE_WEIGHTS = { core: 0.17, buffer: 0.25, experimental: 0.58 } as const;

/** Where findings come from, by category (remote sensing cannot see an outfall). */
export function sourceWeights(category: FindingCategory): Record<string, number> {
  if (category === 'pollution') return { public_report: 28, patrol: 18, joint_inspection: 26, supervision: 16, drone: 12 };
  return { remote_sensing: 32, joint_inspection: 22, patrol: 14, public_report: 12, drone: 10, supervision: 10 };
}

/** The demo account acting for a department in the field, where the department has one. */
export const OFFICER_OF: Readonly<Record<string, string>> = { eco: 'eco', nr: 'nr', 'eco-linqu': 'lq' };

/** The coordinator account (joint-enforcement office). */
export const COORDINATOR = 'coord';
