import { z } from 'zod';
import { idParams, text } from '../../lib/validate.ts';
import { areaCategories, departmentKinds } from '../../lib/vocabulary.ts';
import { conditionCodes } from '../findings/closing-conditions.ts';
import { determinationFacts, evidenceKinds, ruleMeasures, ruleRoutes, ruleSourceKinds } from './rule-pack.ts';

export const ruleParams = idParams('规则');
export const ruleChangeParams = idParams('规则变更');

/** `GET /api/rules?areaCategory=`: only the rows that can apply to that category. */
export const listRulesQuery = z.object({ areaCategory: z.enum(areaCategories).optional() }).strict();

const measures = z.array(z.enum(ruleMeasures)).max(ruleMeasures.length).refine((m) => new Set(m).size === m.length, '措施不能重复');
const sourceText = (what: string) => text().trim().min(1, `请填写${what}`).max(500, `${what}最多 500 个字符`);
const basisText = (what: string) => text().trim().min(1, `请填写${what}`).max(2000, `${what}最多 2000 个字符`);

/** What a rule change may set; the keys of a rule stay as they are (a new case is a new rule). */
export const ruleChangeFields = z
  .object({
    route: z.enum(ruleRoutes),
    allowedMeasures: measures.refine((m) => m.length > 0, '至少允许一项措施'),
    requiredMeasures: measures,
    requiresAssessment: z.boolean(),
    reviewerKinds: z.array(z.enum(departmentKinds)).min(1, '至少一个审查部门类型').max(departmentKinds.length),
    conditions: z
      .array(
        z
          .object({
            code: z.enum(conditionCodes),
            evidenceKinds: z.array(z.enum(evidenceKinds)).min(1, '每项销号条件至少一种证据').max(evidenceKinds.length),
            observationDays: z.number().int('观察期须为整天数').min(1, '观察期至少 1 天').max(1095, '观察期最多 1095 天').nullable(),
            observationSourceZh: text().trim().min(1).max(200, '观察期依据最多 200 个字符').optional(),
          })
          .strict(),
      )
      .min(1, '至少一项销号条件')
      .max(20)
      .refine((cs) => new Set(cs.map((c) => c.code)).size === cs.length, '销号条件不能重复'),
    sourceKind: z.enum(ruleSourceKinds),
    sourceZh: sourceText('依据（中文）'),
    sourceEn: sourceText('依据（英文）'),
    basisZh: basisText('规则说明（中文）'),
    basisEn: basisText('规则说明（英文）'),
    priority: z.number().int('优先级须为整数').min(-1000).max(1000),
    active: z.boolean(),
  })
  .partial()
  .strict();

export const proposeRuleChangeBody = z
  .object({
    changes: ruleChangeFields.refine((c) => Object.keys(c).length > 0, '请至少修改一项'),
    reason: text().trim().min(1, '请说明变更理由').max(2000, '理由最多 2000 个字符'),
  })
  .strict();

export const reviewRuleChangeBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    opinion: text().trim().min(1, '请填写审核意见').max(2000, '审核意见最多 2000 个字符'),
  })
  .strict();

export const determinationBody = z
  .object({
    fact: z.enum(determinationFacts),
    value: text().trim().min(1, '请选择核定结果').max(50),
    basis: text().trim().min(1, '请填写核定依据').max(4000, '核定依据最多 4000 个字符'),
  })
  .strict();

