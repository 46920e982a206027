/** SQL of the rule table, its changes and findings' determinations; values bound, identifiers from code. */
import { sql, type SQL } from 'drizzle-orm';

const ruleColumns = sql`r.id, r.code, r.area_category as "areaCategory", r.zone_scheme as "zoneScheme", r.zone, r.activity_class as "activityClass",
  r.approval, r.timing, r.route, r.allowed_measures as "allowedMeasures", r.required_measures as "requiredMeasures",
  r.requires_assessment as "requiresAssessment", r.reviewer_kinds as "reviewerKinds", r.conditions,
  r.source_kind as "sourceKind", r.source_zh as "sourceZh", r.source_en as "sourceEn", r.basis_zh as "basisZh", r.basis_en as "basisEn",
  r.priority, r.version, r.active, r.updated_at as "updatedAt"`;

/** Rule rows (RuleRow), all or only the active ones, optionally only those that can apply to an area category. */
export function ruleRows(opts: { activeOnly?: boolean; areaCategory?: string } = {}): SQL {
  const where: SQL[] = [];
  if (opts.activeOnly) where.push(sql`r.active`);
  if (opts.areaCategory) where.push(sql`r.area_category in ('*', ${opts.areaCategory})`);
  return sql`select ${ruleColumns} from rules r ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``} order by r.id`;
}

/** One rule row, locked FOR UPDATE when asked (approving a change). */
export function ruleRow(id: number, lock = false): SQL {
  return sql`select ${ruleColumns} from rules r where r.id = ${id} ${lock ? sql`for update` : sql``}`;
}

const changeColumns = sql`c.id, c.rule_id as "ruleId", r.code as "ruleCode", c.base_version as "baseVersion", c.changes, c.reason, c.status,
  json_build_object('userId', p.id, 'displayName', p.display_name) as "proposedBy", c.proposed_at as "proposedAt",
  case when v.id is null then null else json_build_object('userId', v.id, 'displayName', v.display_name) end as "reviewedBy",
  c.reviewed_at as "reviewedAt", c.review_opinion as "reviewOpinion"`;

/** Rule changes as the API shows them: pending ones, or one by id. */
export function ruleChanges(filter: { pending: true } | { id: number }): SQL {
  return sql`select ${changeColumns} from rule_changes c join rules r on r.id = c.rule_id join users p on p.id = c.proposed_by
             left join users v on v.id = c.reviewed_by
             where ${'pending' in filter ? sql`c.status = 'pending'` : sql`c.id = ${filter.id}`} order by c.id`;
}

const determinationColumns = sql`d.fact, d.value, d.basis, d.determined_at as "determinedAt", d.event_id as "eventId",
  case when u.id is null then null else json_build_object('userId', u.id, 'displayName', u.display_name) end as "determinedBy"`;

/** A finding's determinations: the latest per fact, or every one newest first. */
export function determinations(findingId: number, latestPerFact: boolean): SQL {
  return latestPerFact
    ? sql`select distinct on (d.fact) ${determinationColumns}
          from finding_determinations d left join users u on u.id = d.determined_by
          where d.finding_id = ${findingId} order by d.fact, d.id desc`
    : sql`select ${determinationColumns}
          from finding_determinations d left join users u on u.id = d.determined_by
          where d.finding_id = ${findingId} order by d.id desc`;
}

/** The facts of a finding its rule is keyed on. */
export function findingRuleFacts(findingId: number): SQL {
  return sql`select category, approval, approved_on::text as approved_on, constructed_on::text as constructed_on, expanded
             from findings where id = ${findingId}`;
}

/**
 * Each area a finding lies in, with its category, establishment date and precision, the zone judged
 * there (judge_finding_location) with that zone's scheme, and whether the area has zones at all.
 */
export function findingAreaFacts(findingId: number): SQL {
  return sql`select a.id, a.code, a.category, a.established_on::text as established_on, a.established_precision, fa.zone,
                    (select z.scheme from area_zones z where z.area_id = a.id and (fa.zone is null or z.zone = fa.zone) order by z.id limit 1) as scheme,
                    exists (select 1 from area_zones z where z.area_id = a.id) as zoned
             from finding_areas fa join protected_areas a on a.id = fa.area_id
             where fa.finding_id = ${findingId}
             order by a.code`;
}
