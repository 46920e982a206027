/**
 * The rule of each sample finding, asked of the portal itself: the findings are recorded in a scratch
 * in-memory database (PGlite, migrated and seeded like a real one), given the timing and legality a
 * confirmed verification determines, and `ruleForFinding` says which rule applies or which facts are
 * missing. A missing fact gets a coordinator's determination, as a coordinator would record one, and
 * the rule is asked again; the story then plans what that rule requires.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openPglite, queryRows, type Database } from '../../../server/db/backend.ts';
import { seedDemoAccounts, seedSampleData } from '../../../server/db/seed.ts';
import { seedSampleFindings, type SampleFinding, type SampleFindingsFile } from '../../../server/db/seed-findings.ts';
import type { Actor } from '../../../server/features/auth/roles.ts';
import { recordDetermination, ruleForFinding, type ResolvedRule } from '../../../server/features/rules/rules.ts';
import { categoryZoneSchemes, zoneSchemeZones, type AreaCategory } from '../../../server/lib/vocabulary.ts';

/** What a finding is, as far as its rule is concerned. */
export interface RuleQuestion {
  key: string;
  finding: Omit<SampleFinding, 'steps' | 'serial' | 'key'>;
  confirmAs: 'historical' | 'illegal';
}

/** The rule that applies once verified, and the determinations a coordinator had to make for it. */
export interface RuleAnswer {
  rule: ResolvedRule;
  /** The county the portal judges the finding to lie in (functional zones have no boundary of their own). */
  countyCode: string | null;
  determinations: { fact: 'zone' | 'approval'; value: string; basis: string }[];
}

/** A fresh migrated database holding the sample areas, departments and demo accounts. */
export async function scratchDatabase(): Promise<Database> {
  const database = await openPglite(undefined);
  await database.migrate();
  await seedSampleData(database);
  await seedDemoAccounts(database, 'generator-only-password');
  return database;
}

/** Asks the portal for the rule of each finding once verification has confirmed it. */
export async function rulesOf(questions: RuleQuestion[]): Promise<Map<string, RuleAnswer>> {
  const database = await scratchDatabase();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'findings-rules-'));
  try {
    const file: SampleFindingsFile = {
      note: 'scratch',
      batches: [],
      findings: questions.map((q, i) => ({ ...q.finding, key: q.key, serial: `WF-2026-${String(i + 1).padStart(4, '0')}`, steps: [] })),
    };
    const name = path.join(dir, 'findings.json');
    writeFileSync(name, JSON.stringify(file));
    await seedSampleFindings(database, { storageDir: dir, file: name });
    const [coord] = await database.rows<{ id: number; department_id: number }>(sql`select id, department_id from users where username = 'coord'`);
    const actor: Actor = { userId: Number(coord.id), username: 'coord', displayName: '联合执法协调员', role: 'coordinator', departmentId: Number(coord.department_id), sessionId: 'generator' };
    const answers = new Map<string, RuleAnswer>();
    await database.db.transaction(async (tx) => {
      const judged = await queryRows<{ id: number; serial: string; county_code: string | null }>(tx, sql`select id, serial, county_code from findings`);
      const ids = new Map(judged.map((r) => [r.serial, Number(r.id)]));
      const countyOf = new Map(judged.map((r) => [r.serial, r.county_code]));
      for (const [i, q] of questions.entries()) {
        const id = ids.get(file.findings[i].serial)!;
        // What confirming with this outcome records (workflow.ts confirm).
        await recordDetermination(tx, actor, id, { fact: 'timing', value: q.confirmAs === 'historical' ? 'historical' : 'new', basis: '核查结论' });
        if (q.confirmAs === 'illegal') await recordDetermination(tx, actor, id, { fact: 'legality', value: 'illegal', basis: '核查结论' });
        let rule = await ruleForFinding(tx, id);
        const determinations: RuleAnswer['determinations'] = [];
        for (const fact of rule.missing) {
          const d = determinationFor(fact, q, rule);
          if (!d) continue;
          determinations.push(d);
          await recordDetermination(tx, actor, id, d);
        }
        if (determinations.length) rule = await ruleForFinding(tx, id);
        answers.set(q.key, { rule, countyCode: countyOf.get(file.findings[i].serial) ?? null, determinations });
      }
    });
    return answers;
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value a coordinator determines for a fact the rule lacks, with the basis they would cite. */
function determinationFor(fact: string, q: RuleQuestion, rule: ResolvedRule): RuleAnswer['determinations'][number] | null {
  if (fact === 'approval') {
    return q.confirmAs === 'historical'
      ? { fact: 'approval', value: 'approved', basis: '调阅县档案馆存档的原批准文件（示例），项目于保护地设立前经批准建设' }
      : { fact: 'approval', value: 'unapproved', basis: '经向自然资源、林业等部门核实，未办理任何审批手续' };
  }
  if (fact === 'zone') {
    const category = (rule.areaCategory ?? 'other') as AreaCategory;
    const scheme = rule.zoneScheme ?? categoryZoneSchemes[category][0];
    // Most of an area's ground is in its least strict zone; the management body's zoning map says which.
    const zone = zoneSchemeZones[scheme].at(-1)!;
    return { fact: 'zone', value: zone, basis: '依据保护地管理机构提供的功能分区图（示意）核定所在功能区' };
  }
  return null;
}
