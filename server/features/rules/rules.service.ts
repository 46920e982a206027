/** The rule table: reading it, reviewed changes to it, and coordinators' determinations of a finding's facts. */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows, type Database } from '../../db/backend.ts';
import { recordEvent } from '../../lib/audit.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { areaCategories, categoryZoneSchemes, findingCategories, zoneSchemes, zoneSchemeZones, type AreaCategory } from '../../lib/vocabulary.ts';
import { can, type Actor } from '../auth/roles.ts';
import { conditionDetails } from '../findings/closing-conditions.ts';
import type { determinationBody, listRulesQuery, proposeRuleChangeBody, reviewRuleChangeBody } from './rules.schemas.ts';
import { activityClasses, activityClassInfo, categoryActivityClass, rulePack, type RuleRow } from './rule-pack.ts';
import { determinationHistory, recordDetermination, ruleForFinding, specificity } from './rules.ts';
import { ruleChanges, ruleRow, ruleRows } from './rules.sql.ts';
import { zoneSchemeInfo } from './zones.ts';

type ProposeChange = z.output<typeof proposeRuleChangeBody>;
type ReviewChange = z.output<typeof reviewRuleChangeBody>;


/** A rule as the API shows it: `source` is its source text (zh), conditions carry their catalogue labels. */
function ruleJson(r: RuleRow & { updatedAt?: string }) {
  return { ...r, source: r.sourceZh, specificity: specificity(r), conditions: conditionDetails(r.conditions, r.sourceZh) };
}


/**
 * The rule table with what reading it needs: activity classes and the category mapping, the zoning
 * schemes with zone labels, the law dates timing uses, and (for admins and coordinators) the changes
 * waiting for review.
 */
export async function listRules(database: Database, actor: Actor, q: z.output<typeof listRulesQuery>) {
  const exec = database.db;
  const rows = await queryRows<RuleRow & { updatedAt: string }>(exec, ruleRows({ areaCategory: q.areaCategory }));
  const mayReview = can(actor, 'rules.review') || can(actor, 'rules.propose');
  const pendingChanges = mayReview
    ? await queryRows(exec, ruleChanges({ pending: true }))
    : [];
  const categories: readonly AreaCategory[] = q.areaCategory ? [q.areaCategory] : areaCategories;
  return {
    rules: rows.map(ruleJson),
    activityClasses: activityClasses.map((code) => ({
      code,
      ...activityClassInfo[code],
      findingCategories: findingCategories.filter((c) => categoryActivityClass[c] === code),
    })),
    categoryActivityClass,
    zoneSchemes: zoneSchemes.map((code) => ({ code, ...zoneSchemeInfo[code], zones: zoneSchemeZones[code].map((z) => ({ code: z, ...zoneSchemeInfo[code].zoneLabels[z]! })) })).map(({ zoneLabels: _l, ...s }) => s),
    categoryZoneSchemes: Object.fromEntries(categories.map((c) => [c, categoryZoneSchemes[c]])),
    lawDates: rulePack.lawDates,
    pendingChanges,
  };
}

async function ruleById(exec: Database['db'], id: number, lock = false): Promise<RuleRow | null> {
  const [r] = await queryRows<RuleRow>(exec, ruleRow(id, lock));
  return r ?? null;
}

/** The measures and conditions a rule has after a change, checked as a whole. */
function checkMerged(rule: RuleRow, changes: ProposeChange['changes']) {
  const merged = { ...rule, ...changes };
  const outside = merged.requiredMeasures.filter((m) => !merged.allowedMeasures.includes(m));
  if (outside.length) {
    throw invalidRequest([{ path: 'changes.requiredMeasures', message: `必须采取的措施须在允许的措施之内：${outside.join('、')}` }]);
  }
  if (merged.requiresAssessment && !merged.allowedMeasures.includes('assess')) {
    throw invalidRequest([{ path: 'changes.requiresAssessment', message: '要求科学评估的规则须允许“科学评估后分类处置”措施' }]);
  }
}

/** An admin proposes a change to a rule; it takes effect only when another admin or a coordinator approves it. */
export async function proposeRuleChange(database: Database, actor: Actor, ruleId: number, body: ProposeChange, ip: string) {
  return database.db.transaction(async (tx) => {
    const rule = await ruleById(tx, ruleId);
    if (!rule) throw new ApiError(404, 'not_found', `没有编号为 ${ruleId} 的规则`);
    checkMerged(rule, body.changes);
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`insert into rule_changes (rule_id, base_version, changes, reason, proposed_by)
          values (${ruleId}, ${rule.version}, ${JSON.stringify(body.changes)}::jsonb, ${body.reason}, ${actor.userId}) returning id`,
    );
    const eventId = await recordEvent(tx, {
      actor,
      action: 'rule.change_proposed',
      entity: 'rule',
      entityId: ruleId,
      after: { changeId: Number(id), code: rule.code, baseVersion: rule.version, changes: body.changes, reason: body.reason },
      ip,
    });
    await queryRows(tx, sql`update rule_changes set proposal_event_id = ${eventId} where id = ${id}`);
    return changeById(tx, Number(id));
  });
}

async function changeById(exec: Database['db'], id: number) {
  const [c] = await queryRows<Record<string, unknown>>(exec, ruleChanges({ id }));
  return c;
}

/**
 * Another admin, or a coordinator, approves or rejects a pending change. Approval applies it to the
 * version it was proposed against and bumps the rule's version; a rule changed since → 409.
 */
export async function reviewRuleChange(database: Database, actor: Actor, changeId: number, body: ReviewChange, ip: string) {
  return database.db.transaction(async (tx) => {
    const [change] = await queryRows<{ id: number; rule_id: number; base_version: number; changes: ProposeChange['changes']; status: string; proposed_by: number }>(
      tx,
      sql`select id, rule_id, base_version, changes, status, proposed_by from rule_changes where id = ${changeId} for update`,
    );
    if (!change) throw new ApiError(404, 'not_found', `没有编号为 ${changeId} 的规则变更`);
    if (change.status !== 'pending') {
      throw new ApiError(409, 'conflict', `该规则变更已${change.status === 'approved' ? '批准' : '驳回'}，不能再审核`);
    }
    if (Number(change.proposed_by) === actor.userId) throw new ApiError(403, 'forbidden', '不能审核自己提出的规则变更，须由另一名管理员或协调员审核');
    const before = await ruleById(tx, Number(change.rule_id), true);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${change.rule_id} 的规则`);
    let after: RuleRow | null = null;
    if (body.decision === 'approve') {
      if (before.version !== Number(change.base_version)) {
        throw new ApiError(409, 'conflict', `规则 ${before.code} 在提出变更后已被修改（当前版本 ${before.version}，变更基于版本 ${change.base_version}），请驳回后重新提出`);
      }
      checkMerged(before, change.changes);
      const c = change.changes;
      const keep = <T>(v: T | undefined, column: ReturnType<typeof sql>, json = false) => (v === undefined ? column : json ? sql`${JSON.stringify(v)}::jsonb` : sql`${v}`);
      await queryRows(
        tx,
        sql`update rules set
              route = ${keep(c.route, sql`route`)},
              allowed_measures = ${keep(c.allowedMeasures, sql`allowed_measures`, true)},
              required_measures = ${keep(c.requiredMeasures, sql`required_measures`, true)},
              requires_assessment = ${keep(c.requiresAssessment, sql`requires_assessment`)},
              reviewer_kinds = ${keep(c.reviewerKinds, sql`reviewer_kinds`, true)},
              conditions = ${keep(c.conditions, sql`conditions`, true)},
              source_kind = ${keep(c.sourceKind, sql`source_kind`)},
              source_zh = ${keep(c.sourceZh, sql`source_zh`)},
              source_en = ${keep(c.sourceEn, sql`source_en`)},
              basis_zh = ${keep(c.basisZh, sql`basis_zh`)},
              basis_en = ${keep(c.basisEn, sql`basis_en`)},
              priority = ${keep(c.priority, sql`priority`)},
              active = ${keep(c.active, sql`active`)},
              version = version + 1, updated_at = now()
            where id = ${before.id} and version = ${before.version}`,
      );
      after = await ruleById(tx, before.id);
    }
    const eventId = await recordEvent(tx, {
      actor,
      action: body.decision === 'approve' ? 'rule.change_approved' : 'rule.change_rejected',
      entity: 'rule',
      entityId: before.id,
      before: body.decision === 'approve' ? before : undefined,
      after: { changeId, opinion: body.opinion, ...(after ? { rule: after } : {}) },
      ip,
    });
    await queryRows(
      tx,
      sql`update rule_changes set status = ${body.decision === 'approve' ? 'approved' : 'rejected'}, reviewed_by = ${actor.userId},
            reviewed_at = now(), review_opinion = ${body.opinion}, review_event_id = ${eventId}
          where id = ${changeId}`,
    );
    return { change: await changeById(tx, changeId), rule: ruleJson(after ?? before) };
  });
}

/** A coordinator determines one fact of a finding; answers the rule as it now resolves and the determinations. */
export async function determineFact(database: Database, actor: Actor, findingId: number, body: z.output<typeof determinationBody>) {
  return database.db.transaction(async (tx) => {
    await recordDetermination(tx, actor, findingId, body);
    return { rule: await ruleForFinding(tx, findingId), determinations: await determinationHistory(tx, findingId) };
  });
}
