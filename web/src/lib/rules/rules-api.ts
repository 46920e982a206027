/** The rule table over the API (GET /api/rules, rule changes, determinations of a finding's facts). */
import { getJson, request } from '../api/client.ts';
import type { FindingRule } from '../findings/types.ts';

/** One closing condition of a rule row, with its catalogue labels. */
export interface RuleCondition {
  code: string;
  labelZh: string;
  labelEn: string;
  evidenceHintZh: string;
  evidenceKinds: string[];
  observationDays: number | null;
  observationSourceZh?: string;
  sourceZh: string;
}

/** One row of the rule table. */
export interface Rule {
  id: number;
  code: string;
  areaCategory: string;
  zoneScheme: string;
  zone: string;
  activityClass: string;
  approval: 'approved' | 'unapproved' | '*';
  timing: 'historical' | 'new' | '*';
  route: string;
  allowedMeasures: string[];
  requiredMeasures: string[];
  requiresAssessment: boolean;
  reviewerKinds: string[];
  conditions: RuleCondition[];
  sourceKind: string;
  source: string;
  sourceZh: string;
  sourceEn: string;
  basisZh: string;
  basisEn: string;
  priority: number;
  specificity: number;
  version: number;
  active: boolean;
}

/** A proposed change waiting for review. */
export interface RuleChange {
  id: number;
  ruleId: number;
  ruleCode: string;
  baseVersion: number;
  changes: Record<string, unknown>;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  proposedBy: { userId: number; displayName: string };
  proposedAt: string;
  reviewedBy: { userId: number; displayName: string } | null;
  reviewedAt: string | null;
  reviewOpinion: string | null;
}

/** Body of `GET /api/rules`. */
export interface RulesAnswer {
  rules: Rule[];
  activityClasses: { code: string; labelZh: string; labelEn: string; sourceZh: string; sourceEn: string; findingCategories: string[] }[];
  categoryActivityClass: Record<string, string>;
  zoneSchemes: { code: string; labelZh: string; labelEn: string; sourceZh: string; sourceEn: string; zones: { code: string; labelZh: string; labelEn: string }[] }[];
  categoryZoneSchemes: Record<string, string[]>;
  lawDates: { areaCategory: string; activityClass: string; effectiveOn: string; sourceZh: string; sourceEn: string }[];
  pendingChanges: RuleChange[];
}

/** A determination of one fact of a finding. */
export interface Determination {
  fact: 'zone' | 'approval' | 'timing' | 'legality';
  value: string;
  basis: string;
  determinedBy: { userId: number; displayName: string } | null;
  determinedAt: string;
  eventId: number | null;
}

/** The rule table, optionally only the rows that can apply to one area category. */
export function fetchRules(areaCategory: string | null, signal?: AbortSignal): Promise<RulesAnswer> {
  return getJson<RulesAnswer>(`/api/rules${areaCategory ? `?areaCategory=${encodeURIComponent(areaCategory)}` : ''}`, signal);
}

/** An admin proposes a change to a rule. */
export function proposeRuleChange(ruleId: number, body: { changes: Record<string, unknown>; reason: string }): Promise<RuleChange> {
  return request<RuleChange>('POST', `/api/rules/${ruleId}/changes`, { body });
}

/** Another admin or a coordinator approves or rejects a change. */
export function reviewRuleChange(changeId: number, body: { decision: 'approve' | 'reject'; opinion: string }): Promise<{ change: RuleChange; rule: Rule }> {
  return request('POST', `/api/rule-changes/${changeId}/review`, { body });
}

/** A coordinator records a determination; answers the rule as it now resolves. */
export function recordDetermination(findingId: number, body: { fact: string; value: string; basis: string }): Promise<{ rule: FindingRule; determinations: Determination[] }> {
  return request('POST', `/api/findings/${findingId}/determinations`, { body });
}
