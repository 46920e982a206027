import { Resource } from '../api/resource.svelte.ts';
import { fetchRules, proposeRuleChange, reviewRuleChange, type RulesAnswer } from './rules-api.ts';

/** The rule table as the rules page and the area panel read it. */
export class RulesState extends Resource<RulesAnswer> {
  /** Loads the table (only rows that can apply to `areaCategory` when given). */
  open(areaCategory: string | null = null, force = false): Promise<void> {
    return this.load(areaCategory ?? '*', (signal) => fetchRules(areaCategory, signal), force);
  }

  /** Proposes a change, then reloads so it shows among the pending ones; throws the ApiError for the form. */
  async propose(ruleId: number, changes: Record<string, unknown>, reason: string): Promise<void> {
    await proposeRuleChange(ruleId, { changes, reason });
    await this.open(this.key === '*' ? null : this.key, true);
  }

  /** Approves or rejects a change, then reloads; throws the ApiError for the form. */
  async review(changeId: number, decision: 'approve' | 'reject', opinion: string): Promise<void> {
    await reviewRuleChange(changeId, { decision, opinion });
    await this.open(this.key === '*' ? null : this.key, true);
  }
}
