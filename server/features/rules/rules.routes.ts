import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { zJson, zParam, zQuery } from '../../lib/validate.ts';
import { clientIp } from '../auth/access.ts';
import { findingParams } from '../findings/findings.schemas.ts';
import { determinationBody, listRulesQuery, proposeRuleChangeBody, reviewRuleChangeBody, ruleChangeParams, ruleParams } from './rules.schemas.ts';
import { determineFact, listRules, proposeRuleChange, reviewRuleChange } from './rules.service.ts';

/**
 * The rule table (`/api/rules`, `/api/rule-changes`) and coordinators' determinations of a finding's
 * facts (`/api/findings/:id/determinations`); mounted at `/api`.
 */
export const rulesRoutes = new Hono<AppEnv>()
  .get('/rules', zQuery(listRulesQuery), async (c) => c.json(await listRules(c.var.database, c.var.actor!, c.req.valid('query')), 200))
  .post('/rules/:id/changes', zParam(ruleParams), zJson(proposeRuleChangeBody), async (c) =>
    c.json(await proposeRuleChange(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c)), 201),
  )
  .post('/rule-changes/:id/review', zParam(ruleChangeParams), zJson(reviewRuleChangeBody), async (c) =>
    c.json(await reviewRuleChange(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json'), clientIp(c)), 200),
  )
  .post('/findings/:id/determinations', zParam(findingParams), zJson(determinationBody), async (c) =>
    c.json(await determineFact(c.var.database, c.var.actor!, c.req.valid('param').id, c.req.valid('json')), 200),
  );
