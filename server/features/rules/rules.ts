/**
 * Which rule of the rule table (migration 0011, data/reference/rules.json) applies to a finding, from
 * the facts the rules are keyed on: the area's category and zoning scheme, the zone, the activity
 * class, the approval and the timing (historical or new). Facts a coordinator has determined override
 * the derived ones; a fact that is unknown and would change the outcome is reported as missing, never
 * replaced by the strictest route.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { categoryZoneSchemes, zoneKinds, zoneSchemeZones, type AreaCategory, type ZoneKind, type ZoneScheme } from '../../lib/vocabulary.ts';
import type { Actor } from '../auth/roles.ts';
import { conditionDetails, type RuleConditionDetail } from '../findings/closing-conditions.ts';
import {
  activityClassOf,
  lawDateFor,
  routeSeverity,
  ruleSourceKinds,
  type ActivityClass,
  type DeterminationFact,
  type RuleMeasure,
  type RuleRoute,
  type RuleRow,
  type RuleSourceKind,
  type RuleTiming,
} from './rule-pack.ts';
import { determinations, findingAreaFacts, findingRuleFacts, ruleRows } from './rules.sql.ts';

/** The rule that applies to a finding, with its source and the conditions its closing needs. */
export interface ResolvedRule {
  status: 'resolved' | 'missing_facts';
  /** What a coordinator must determine before a plan can be assigned. */
  missing: Array<'zone' | 'approval' | 'timing' | 'area'>;
  ruleId: number | null;
  ruleCode: string | null;
  ruleVersion: number | null;
  areaCode: string | null;
  areaCategory: AreaCategory | null;
  zoneScheme: ZoneScheme | null;
  zone: ZoneKind | null;
  activityClass: ActivityClass;
  approval: 'approved' | 'unapproved' | 'unknown';
  timing: 'historical' | 'new' | 'unknown';
  route: RuleRoute | '';
  sourceKind: RuleSourceKind | null;
  sourceZh: string;
  sourceEn: string;
  basisZh: string;
  basisEn: string;
  allowedMeasures: RuleMeasure[];
  requiredMeasures: RuleMeasure[];
  requiresAssessment: boolean;
  reviewerKinds: string[];
  conditions: RuleConditionDetail[];
  /** How each fact was arrived at (zh), e.g. "批准日期 2001-05-01 早于保护区设立（1994-10-01 起施行的条例）". */
  factNotesZh: string[];
  /** 规模扩大: the original footprint, judged by its own dates (the expansion is judged as new). */
  original: { timing: RuleTiming | 'unknown'; ruleCode: string | null; route: RuleRoute | ''; sourceZh: string } | null;
}

/** The facts a rule is matched on; null where the fact is not known. */
export interface RuleFacts {
  areaCategory: AreaCategory;
  zoneScheme: ZoneScheme | null;
  zone: ZoneKind | null;
  activityClass: ActivityClass;
  approval: 'approved' | 'unapproved' | null;
  timing: RuleTiming | null;
}

/** Number of keys a row names (not `*`): the more it names, the more specific it is. */
export function specificity(r: Pick<RuleRow, 'areaCategory' | 'zoneScheme' | 'zone' | 'activityClass' | 'approval' | 'timing'>): number {
  return [r.areaCategory, r.zoneScheme, r.zone, r.activityClass, r.approval, r.timing].filter((k) => k !== '*').length;
}

type KnownFacts = { [K in keyof RuleFacts]: NonNullable<RuleFacts[K]> };

function matches(r: RuleRow, f: KnownFacts): boolean {
  return (
    r.active &&
    (r.areaCategory === '*' || r.areaCategory === f.areaCategory) &&
    (r.zoneScheme === '*' || r.zoneScheme === f.zoneScheme) &&
    (r.zone === '*' || r.zone === f.zone) &&
    (r.activityClass === '*' || r.activityClass === f.activityClass) &&
    (r.approval === '*' || r.approval === f.approval) &&
    (r.timing === '*' || r.timing === f.timing)
  );
}

/** The most specific active row matching fully known facts (ties: higher priority, then lower id), or null. */
function bestRow(rows: readonly RuleRow[], f: KnownFacts): RuleRow | null {
  let best: RuleRow | null = null;
  for (const r of rows) {
    if (!matches(r, f)) continue;
    if (
      best === null ||
      specificity(r) > specificity(best) ||
      (specificity(r) === specificity(best) && (r.priority > best.priority || (r.priority === best.priority && r.id < best.id)))
    ) {
      best = r;
    }
  }
  return best;
}

/** The (scheme, zone) pairs an area of this category can have, for a zone that is not known. */
function zoneCandidates(category: AreaCategory, scheme: ZoneScheme | null): Array<[ZoneScheme, ZoneKind]> {
  const schemes = scheme ? [scheme] : categoryZoneSchemes[category];
  return schemes.flatMap((s) => zoneSchemeZones[s].map((z) => [s, z] as [ZoneScheme, ZoneKind]));
}

/** Outcome of matching: the row, or which unknown facts would change which row applies. */
export type Resolution =
  | { status: 'resolved'; row: RuleRow }
  | { status: 'missing_facts'; missing: Array<'zone' | 'approval' | 'timing'>; candidates: RuleRow[] }
  | { status: 'no_rule' };

/**
 * The rule for these facts: the most specific matching row wins, ties broken by priority. A fact that
 * is null is tried with every value it could take; if the winning row is the same for all of them the
 * fact does not matter, otherwise it is reported missing (with the rows it could lead to).
 */
export function resolveRule(rows: readonly RuleRow[], facts: RuleFacts): Resolution {
  const zones: Array<[ZoneScheme, ZoneKind]> =
    facts.zone !== null && facts.zoneScheme !== null ? [[facts.zoneScheme, facts.zone]] : facts.zone !== null ? schemesOfZone(facts.areaCategory, facts.zone) : zoneCandidates(facts.areaCategory, facts.zoneScheme);
  const approvals = facts.approval ? [facts.approval] : (['approved', 'unapproved'] as const);
  const timings = facts.timing ? [facts.timing] : (['historical', 'new'] as const);
  const outcomes: Array<{ zone: string; approval: string; timing: string; row: RuleRow | null }> = [];
  for (const [zoneScheme, zone] of zones) {
    for (const approval of approvals) {
      for (const timing of timings) {
        const row = bestRow(rows, { areaCategory: facts.areaCategory, zoneScheme, zone, activityClass: facts.activityClass, approval, timing });
        outcomes.push({ zone: `${zoneScheme}:${zone}`, approval, timing, row });
      }
    }
  }
  const ids = new Set(outcomes.map((o) => o.row?.id ?? null));
  if (ids.size === 1) {
    const row = outcomes[0]?.row ?? null;
    return row ? { status: 'resolved', row } : { status: 'no_rule' };
  }
  // A fact matters when, the other facts held equal, changing it alone changes the row.
  const missing: Array<'zone' | 'approval' | 'timing'> = [];
  const varies = (key: 'zone' | 'approval' | 'timing') => {
    const others = (o: (typeof outcomes)[number]) => (['zone', 'approval', 'timing'] as const).filter((k) => k !== key).map((k) => o[k]).join('|');
    const groups = new Map<string, Set<number | null>>();
    for (const o of outcomes) {
      const g = groups.get(others(o)) ?? new Set();
      g.add(o.row?.id ?? null);
      groups.set(others(o), g);
    }
    return [...groups.values()].some((g) => g.size > 1);
  };
  if (facts.zone === null && varies('zone')) missing.push('zone');
  if (facts.approval === null && varies('approval')) missing.push('approval');
  if (facts.timing === null && varies('timing')) missing.push('timing');
  const candidates = [...new Map(outcomes.filter((o) => o.row).map((o) => [o.row!.id, o.row!])).values()];
  return { status: 'missing_facts', missing, candidates };
}

/** The schemes of this category that contain a zone (e.g. `core` is in both the legacy and the new scheme). */
function schemesOfZone(category: AreaCategory, zone: ZoneKind): Array<[ZoneScheme, ZoneKind]> {
  const list = categoryZoneSchemes[category].filter((s) => zoneSchemeZones[s].includes(zone)).map((s) => [s, zone] as [ZoneScheme, ZoneKind]);
  return list.length ? list : [[categoryZoneSchemes[category][0], zone]];
}

/** How precisely an area's establishment date is known. */
export type Precision = 'day' | 'month' | 'year';

/** The first and last day the establishment may have fallen on, given its precision. */
export function establishmentWindow(on: string, precision: Precision | null): [string, string] {
  if (precision === 'year') return [`${on.slice(0, 4)}-01-01`, `${on.slice(0, 4)}-12-31`];
  if (precision === 'month') {
    const [y, m] = on.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return [`${on.slice(0, 7)}-01`, `${on.slice(0, 7)}-${String(last).padStart(2, '0')}`];
  }
  return [on, on];
}

/** The facts timing is judged from. */
export interface TimingInput {
  approval: 'approved' | 'unapproved' | 'unknown';
  approvedOn: string | null;
  constructedOn: string | null;
  establishedOn: string | null;
  establishedPrecision: Precision | null;
  /** The date the law that protects this area from this activity took effect, if one is in the pack. */
  lawEffectiveOn: string | null;
}

/**
 * Historical (历史遗留) or new (新增), keyed as the annex keys it: on the approval date of an approved
 * project (附件 二(二): 设立前依法依规批准), on the construction date otherwise, against the later of the
 * area's establishment and the date the relevant law took effect (门户默认: before that law, no approval
 * under it could be required). A date inside the uncertain part of an establishment known only to the
 * month or year is `unknown` (待核定), never `new`.
 */
export function timingOf(t: TimingInput): { timing: RuleTiming | 'unknown'; noteZh: string } {
  const key = t.approval === 'approved' ? t.approvedOn : t.constructedOn;
  const keyLabel = t.approval === 'approved' ? '批准日期' : '建设日期';
  if (!key) return { timing: 'unknown', noteZh: `${keyLabel}不明，时序待核定` };
  if (!t.establishedOn) return { timing: 'unknown', noteZh: '保护地设立日期不明，时序待核定' };
  let [start, end] = establishmentWindow(t.establishedOn, t.establishedPrecision);
  let what = t.establishedPrecision === 'year' ? `保护地设立于 ${start.slice(0, 4)} 年（仅知年份）` : t.establishedPrecision === 'month' ? `保护地设立于 ${start.slice(0, 7)}（仅知月份）` : `保护地设立于 ${start}`;
  if (t.lawEffectiveOn && t.lawEffectiveOn > end) {
    start = end = t.lawEffectiveOn;
    what = `相关法规 ${t.lawEffectiveOn} 起施行（晚于保护地设立）`;
  }
  if (key < start) return { timing: 'historical', noteZh: `${keyLabel} ${key} 早于${what}：历史遗留` };
  if (key > end || (start === end && key >= start)) return { timing: 'new', noteZh: `${keyLabel} ${key} 不早于${what}：新增` };
  return { timing: 'unknown', noteZh: `${keyLabel} ${key} 落在${what}的不确定范围内：时序待核定` };
}

/** Areas whose whole extent is managed as 一般控制区 when they have no zones of their own. */
const natureParks: readonly AreaCategory[] = ['forest_park', 'wetland_park', 'geopark', 'scenic_area', 'other'];

const approvalZh = { approved: '已批准', unapproved: '未批先建' } as const;

/** A determination as stored: the latest per fact overrides the derived fact. */
export interface Determination {
  fact: DeterminationFact;
  value: string;
  basis: string;
  determinedBy: { userId: number; displayName: string } | null;
  determinedAt: string;
  eventId: number | null;
}

interface AreaFacts {
  id: number;
  code: string;
  category: AreaCategory;
  established_on: string | null;
  established_precision: Precision | null;
  zone: ZoneKind | null;
  scheme: ZoneScheme | null;
  zoned: boolean;
}

interface FindingRuleFacts {
  category: Parameters<typeof activityClassOf>[0];
  approval: 'approved' | 'unapproved' | 'unknown';
  approved_on: string | null;
  constructed_on: string | null;
  expanded: boolean;
}

/** Active rule rows as the resolver reads them. */
export async function activeRules(exec: Executor): Promise<RuleRow[]> {
  return queryRows<RuleRow>(exec, ruleRows({ activeOnly: true }));
}

/** The latest determination of each fact of a finding. */
export async function latestDeterminations(exec: Executor, findingId: number): Promise<Determination[]> {
  return queryRows<Determination>(exec, determinations(findingId, true));
}

/** Every determination of a finding, newest first (the detail's history). */
export async function determinationHistory(exec: Executor, findingId: number): Promise<Determination[]> {
  return queryRows<Determination>(exec, determinations(findingId, false));
}

interface AreaOutcome {
  area: AreaFacts;
  facts: RuleFacts;
  resolution: Resolution;
  original: { timing: RuleTiming | 'unknown'; resolution: Resolution } | null;
  notes: string[];
}

/** Judges one area: its facts (determinations first) and the rule they lead to. */
function judgeArea(rows: readonly RuleRow[], area: AreaFacts, f: FindingRuleFacts, dets: Map<DeterminationFact, Determination>): AreaOutcome {
  const notes: string[] = [];
  const activityClass = activityClassOf(f.category);
  let zone: ZoneKind | null = area.zone;
  let scheme: ZoneScheme | null = area.scheme;
  const zoneDet = dets.get('zone');
  if (zoneDet && (zoneKinds as readonly string[]).includes(zoneDet.value)) {
    zone = zoneDet.value as ZoneKind;
    scheme = categoryZoneSchemes[area.category].find((s) => zoneSchemeZones[s].includes(zone!)) ?? null;
    notes.push(`功能区经协调员核定为 ${zone}`);
  } else if (!area.zoned && natureParks.includes(area.category)) {
    // 2019 指导意见: 自然公园原则上按一般控制区管理 — a park without zones of its own is one 一般控制区.
    zone = 'general_control';
    scheme = 'new';
    notes.push('该自然公园未划功能区，整体按一般控制区管理（2019 指导意见）');
  }
  const approvalDet = dets.get('approval');
  const legality = dets.get('legality');
  let approval: 'approved' | 'unapproved' | null = f.approval === 'unknown' ? null : f.approval;
  if (approvalDet && (approvalDet.value === 'approved' || approvalDet.value === 'unapproved')) {
    approval = approvalDet.value;
    notes.push(`审批情况经协调员核定为${approvalZh[approval]}`);
  } else if (legality?.value === 'illegal' && approval === null) {
    // 附件 二(二) needs 依法依规批准; a project determined 违法违规 with no approval on record has none.
    approval = 'unapproved';
    notes.push('经核定违法违规，且无审批记录：按未批先建');
  }
  const law = lawDateFor(area.category, activityClass);
  const derived = timingOf({
    approval: approval ?? 'unknown',
    approvedOn: f.approved_on,
    constructedOn: f.constructed_on,
    establishedOn: area.established_on,
    establishedPrecision: area.established_precision,
    lawEffectiveOn: law?.effectiveOn ?? null,
  });
  const timingDet = dets.get('timing');
  const ownTiming: RuleTiming | 'unknown' = timingDet && (timingDet.value === 'historical' || timingDet.value === 'new') ? timingDet.value : derived.timing;
  notes.push(timingDet ? `时序经协调员核定为${ownTiming === 'historical' ? '历史遗留' : '新增'}` : derived.noteZh);
  const base = { areaCategory: area.category, zoneScheme: scheme, zone, activityClass, approval };
  if (f.expanded) {
    // 规模扩大: the original footprint keeps its own dates; the expansion is judged as new.
    notes.push('规模扩大：原有部分按原有日期判定，扩大部分按新增判定');
    return {
      area,
      facts: { ...base, timing: 'new' },
      resolution: resolveRule(rows, { ...base, timing: 'new' }),
      original: { timing: ownTiming, resolution: resolveRule(rows, { ...base, timing: ownTiming === 'unknown' ? null : ownTiming }) },
      notes,
    };
  }
  const facts = { ...base, timing: ownTiming === 'unknown' ? null : ownTiming };
  return { area, facts, resolution: resolveRule(rows, facts), original: null, notes };
}

/** The strictest route an outcome can lead to (every candidate when facts are missing). */
function worstSeverity(o: AreaOutcome): number {
  const of = (r: Resolution) => (r.status === 'resolved' ? routeSeverity(r.row.route) : r.status === 'missing_facts' ? Math.max(0, ...r.candidates.map((c) => routeSeverity(c.route))) : 0);
  return Math.max(of(o.resolution), o.original ? of(o.original.resolution) : 0);
}

function resolvedSeverity(o: AreaOutcome): number | null {
  if (o.resolution.status !== 'resolved') return null;
  if (o.original && o.original.resolution.status !== 'resolved') return null;
  return worstSeverity(o);
}

const emptyRule = (activityClass: ActivityClass): ResolvedRule => ({
  status: 'missing_facts',
  missing: [],
  ruleId: null,
  ruleCode: null,
  ruleVersion: null,
  areaCode: null,
  areaCategory: null,
  zoneScheme: null,
  zone: null,
  activityClass,
  approval: 'unknown',
  timing: 'unknown',
  route: '',
  sourceKind: null,
  sourceZh: '',
  sourceEn: '',
  basisZh: '',
  basisEn: '',
  allowedMeasures: [],
  requiredMeasures: [],
  requiresAssessment: false,
  reviewerKinds: [],
  conditions: [],
  factNotesZh: [],
  original: null,
});

const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];

/** Builds the answer for one area's outcome. */
function ruleOf(o: AreaOutcome): ResolvedRule {
  const r = emptyRule(o.facts.activityClass);
  Object.assign(r, {
    areaCode: o.area.code,
    areaCategory: o.area.category,
    zoneScheme: o.facts.zoneScheme,
    zone: o.facts.zone,
    approval: o.facts.approval ?? 'unknown',
    timing: o.original ? 'new' : (o.facts.timing ?? 'unknown'),
    factNotesZh: o.notes,
  });
  const missing = new Set<ResolvedRule['missing'][number]>();
  for (const res of [o.resolution, o.original?.resolution]) {
    if (res?.status === 'missing_facts') res.missing.forEach((m) => missing.add(m));
  }
  const main = o.resolution.status === 'resolved' ? o.resolution.row : null;
  const orig = o.original?.resolution.status === 'resolved' ? o.original.resolution.row : null;
  if (o.original) {
    r.original = { timing: o.original.timing, ruleCode: orig?.code ?? null, route: orig?.route ?? '', sourceZh: orig?.sourceZh ?? '' };
  }
  if (!main || (o.original && !orig)) {
    r.missing = [...missing];
    if (o.resolution.status === 'no_rule' || o.original?.resolution.status === 'no_rule') {
      r.basisZh = '规则表中没有适用于该保护地类型、功能区和活动类型的规则，请系统管理员补充规则';
      r.basisEn = 'The rule table has no rule for this area category, zone and activity; an administrator must add one';
    }
    return r;
  }
  const rows = orig ? [main, orig] : [main];
  const conditions = new Map<string, RuleConditionDetail>();
  for (const row of rows) for (const c of conditionDetails(row.conditions, row.sourceZh)) if (!conditions.has(c.code)) conditions.set(c.code, c);
  Object.assign(r, {
    status: 'resolved',
    missing: [],
    ruleId: main.id,
    ruleCode: main.code,
    ruleVersion: main.version,
    route: main.route,
    sourceKind: main.sourceKind,
    sourceZh: main.sourceZh,
    sourceEn: main.sourceEn,
    basisZh: orig && orig.id !== main.id ? `${main.basisZh}（原有部分：${orig.basisZh}）` : main.basisZh,
    basisEn: orig && orig.id !== main.id ? `${main.basisEn} (original footprint: ${orig.basisEn})` : main.basisEn,
    allowedMeasures: orig ? union(main.allowedMeasures, orig.allowedMeasures) : main.allowedMeasures,
    requiredMeasures: orig ? union(main.requiredMeasures, orig.requiredMeasures) : main.requiredMeasures,
    requiresAssessment: main.requiresAssessment || (orig?.requiresAssessment ?? false),
    reviewerKinds: orig ? union(main.reviewerKinds, orig.reviewerKinds) : main.reviewerKinds,
    conditions: [...conditions.values()],
  });
  return r;
}

/**
 * The rule that applies to a finding now. Where designations overlap, the area whose rule is strictest
 * decides; an area whose facts are missing decides unless another area's resolved rule is at least as
 * strict as anything the missing facts could lead to.
 */
export async function ruleForFinding(exec: Executor, findingId: number): Promise<ResolvedRule> {
  const [f] = await queryRows<FindingRuleFacts>(exec, findingRuleFacts(findingId));
  if (!f) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
  const areas = await queryRows<AreaFacts>(exec, findingAreaFacts(findingId));
  const activityClass = activityClassOf(f.category);
  if (areas.length === 0) {
    return { ...emptyRule(activityClass), missing: ['area'], basisZh: '问题位置不在任何自然保护地内，请核实坐标或由协调员核定所在保护地', basisEn: 'The finding lies in no protected area' };
  }
  const dets = new Map((await latestDeterminations(exec, findingId)).map((d) => [d.fact, d]));
  const rows = await activeRules(exec);
  const outcomes = areas.map((a) => judgeArea(rows, { ...a, zoned: Boolean(a.zoned) }, { ...f, expanded: Boolean(f.expanded) }, dets));
  // Equally strict rules: the one with the weightier source (the annex before a portal default) is shown.
  const sourceRank = (o: AreaOutcome) => (o.resolution.status === 'resolved' ? ruleSourceKinds.indexOf(o.resolution.row.sourceKind) : ruleSourceKinds.length);
  const resolved = outcomes
    .filter((o) => resolvedSeverity(o) !== null)
    .sort((a, b) => resolvedSeverity(b)! - resolvedSeverity(a)! || sourceRank(a) - sourceRank(b));
  const unresolved = outcomes.filter((o) => resolvedSeverity(o) === null);
  const strictest = resolved[0];
  if (strictest && unresolved.every((o) => worstSeverity(o) <= resolvedSeverity(strictest)!)) return ruleOf(strictest);
  const first = unresolved[0];
  const answer = ruleOf(first);
  answer.missing = [...new Set(unresolved.flatMap((o) => ruleOf(o).missing))];
  return answer;
}

/** Values a determination of each fact may take. */
export const determinationValues: Readonly<Record<DeterminationFact, readonly string[]>> = {
  zone: zoneKinds,
  approval: ['approved', 'unapproved'],
  timing: ['historical', 'new'],
  legality: ['lawful', 'illegal'],
};

/**
 * Records a coordinator's determination of one fact of a finding (the latest per fact overrides the
 * derived fact). Writes the `finding.determined` event unless the caller's step already wrote one
 * (`eventId`). Refused on a closed finding: its record is frozen.
 */
export async function recordDetermination(
  tx: Executor,
  actor: Actor,
  findingId: number,
  d: { fact: DeterminationFact; value: string; basis: string },
  eventId?: number,
): Promise<void> {
  const [f] = await queryRows<{ state: string; serial: string }>(tx, sql`select state, serial from findings where id = ${findingId} and deleted_at is null for update`);
  if (!f) throw new ApiError(404, 'not_found', `没有编号为 ${findingId} 的问题`);
  if (f.state === 'closed') throw new ApiError(409, 'conflict', `问题 ${f.serial} 已销号，记录已冻结，不能再核定事实`);
  if (!determinationValues[d.fact]?.includes(d.value)) {
    throw invalidRequest([{ path: 'value', message: `“${d.value}”不是${factZh[d.fact] ?? d.fact}的有效取值` }]);
  }
  const id =
    eventId ??
    (await recordEvent(tx, { actor, action: 'finding.determined', entity: 'finding', entityId: findingId, after: { fact: d.fact, value: d.value, basis: d.basis } }));
  await queryRows(
    tx,
    sql`insert into finding_determinations (finding_id, fact, value, basis, determined_by, event_id)
        values (${findingId}, ${d.fact}, ${d.value}, ${d.basis}, ${actor.userId}, ${id})`,
  );
}

/** zh names of the facts, for messages. */
export const factZh: Readonly<Record<DeterminationFact | 'area', string>> = {
  zone: '所在功能区',
  approval: '审批情况',
  timing: '历史遗留或新增',
  legality: '是否违法违规',
  area: '所在保护地',
};
