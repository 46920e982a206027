/**
 * Who goes on each sample inspection: the county branch of the ecology-and-environment bureau or
 * the municipal bureau with natural resources and planning (forestry) as the usual pair, the water
 * bureau on some wetland trips, agriculture (fisheries) on the coast, now and then the county
 * government; single-department patrols by forestry or the county branch alone.
 */
import type { Member } from './people.ts';
import { COASTAL } from './plan.ts';

/** A department as listed in data/sample/departments.json. */
export interface Department {
  code: string;
  nameZh: string;
  kind: string;
  parent: string | null;
  county: string | null;
}

export interface Team {
  lead: string;
  departments: string[];
  members: Member[];
}

const FORESTRY_LED = new Set(['forest_park', 'geopark', 'scenic_area', 'nature_reserve']);

/** Picks the departments and members of a trip to areas of the given categories in one county. */
export function team(
  opts: { joint: boolean; areas: string[]; categories: string[]; countyCode: string },
  departments: Department[],
  roster: Map<string, string[]>,
  rand: () => number,
): Team {
  const byKind = (kind: string) => departments.find((d) => d.kind === kind && d.county === opts.countyCode)?.code;
  const branch = byKind('ecology_environment') ?? 'eco';
  const government = byKind('county_government');
  const forestry = opts.categories.some((c) => FORESTRY_LED.has(c));
  const chosen = new Set<string>();
  let lead: string;
  if (!opts.joint) {
    lead = forestry && rand() < 0.6 ? 'nr' : branch;
    chosen.add(lead);
  } else {
    const r = rand();
    // The ecology-and-environment side usually leads; forestry leads more often in forest-type areas.
    lead = r < (forestry ? 0.5 : 0.65) ? branch : r < (forestry ? 0.7 : 0.85) ? 'eco' : 'nr';
    chosen.add(lead);
    chosen.add(lead === 'nr' ? branch : 'nr');
    if (lead === 'eco' && rand() < 0.6) chosen.add(branch);
    if (lead === branch && rand() < 0.15) chosen.add('eco');
    if (opts.categories.includes('wetland_park') && rand() < 0.35) chosen.add('water');
    if (opts.areas.some((a) => COASTAL.has(a)) && rand() < 0.55) chosen.add('agri');
    if (government && rand() < 0.08) chosen.add(government);
  }
  // Lead first, the others in the order of departments.json.
  const ordered = [lead, ...departments.map((d) => d.code).filter((c) => c !== lead && chosen.has(c))];
  const members: Member[] = [];
  for (const code of ordered) {
    const pool = [...(roster.get(code) ?? [])];
    const n = Math.min(pool.length, code === lead ? 2 + (rand() < 0.25 ? 1 : 0) : 1 + (rand() < 0.25 ? 1 : 0));
    for (let i = 0; i < n; i++) members.push({ name: pool.splice(Math.floor(rand() * pool.length), 1)[0], department: code });
  }
  return { lead, departments: ordered, members };
}
