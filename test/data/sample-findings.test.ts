/** The sample findings as seeded: the promises data/README.md makes about data/sample/findings.json. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sampleChainConfig, seedSampleFindings, type SampleFindingsFile } from '../../server/db/seed-findings.ts';
import { DEFAULT_TIME_ZONE, today as todayIn } from '../../server/lib/clock.ts';
import { loadDepartments, loadRecords, workflowRule, type StoredRecord } from '../../server/features/findings/transitions.service.ts';
import { addDays, addMonths, applyStep, checkAction, daysOverdue, newClue, type StepTask } from '../../server/features/findings/workflow.ts';
import { ruleForFinding } from '../../server/features/rules/rules.ts';
import type { FindingState, Role } from '../../server/lib/vocabulary.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const sample = JSON.parse(readFileSync(new URL('../../data/sample/findings.json', import.meta.url), 'utf8')) as SampleFindingsFile;
/** The day the sample data treats as today (data/README.md). */
const SAMPLE_TODAY = '2026-11-20';

describeEachBackend('sample findings', (ctx) => {
  const rows = <T>(q: ReturnType<typeof sql>) => ctx().database.rows<T>(q);
  let storageDir = '';

  beforeAll(async () => {
    storageDir = mkdtempSync(path.join(os.tmpdir(), 'portal-sample-findings-'));
    const result = await seedSampleFindings(ctx().database, { storageDir });
    expect(result).toEqual({ seeded: true, findings: sample.findings.length });
  }, 120_000);
  afterAll(() => rmSync(storageDir, { recursive: true, force: true }));

  it('loads 150 findings labelled as sample data, with their serials and counters', async () => {
    expect(sample.findings).toHaveLength(150);
    expect(sample.note).toMatch(/sample/i);
    expect(sample.note).toMatch(/示例/);
    const [r] = await rows<{ n: number; serials: number }>(sql`select count(*)::int as n, count(distinct serial)::int as serials from findings`);
    expect(r).toEqual({ n: 150, serials: 150 });
    const counters = await rows<{ year: number; last: number; max: number }>(sql`
      select s.year, s.last, (select max(split_part(serial, '-', 3)::int) from findings where split_part(serial, '-', 2)::int = s.year) as max
      from finding_serials s order by s.year`);
    expect(counters.length).toBeGreaterThanOrEqual(3);
    for (const c of counters) expect(c.last).toBe(c.max);
  });

  it('ends the findings in the designed states, one step and one version per request', async () => {
    const states = await rows<{ state: FindingState; n: number }>(sql`select state, count(*)::int as n from findings group by state order by state`);
    expect(Object.fromEntries(states.map((s) => [s.state, s.n]))).toEqual({
      clue: 20,
      verifying: 14,
      dismissed: 14,
      confirmed: 6,
      planning: 12,
      rectifying: 36,
      pending_acceptance: 12,
      publicising: 6,
      closed: 30,
    });
    const versions = await rows<{ serial: string; version: number; steps: number }>(sql`
      select f.serial, f.version,
             (select count(*)::int from events e where e.entity = 'finding' and e.entity_id = f.id::text
                and e.action not in ('finding.created', 'finding.attachment_added', 'finding.determined')) as steps
      from findings f`);
    const bySerial = new Map(sample.findings.map((f) => [f.serial, f.steps.filter((s) => s.action !== 'determine').length]));
    for (const v of versions) expect([v.serial, v.steps, v.version]).toEqual([v.serial, bySerial.get(v.serial), bySerial.get(v.serial)! + 1]);
  });

  it('tells a closed story in every area category, and each verification outcome', async () => {
    const closed = await rows<{ category: string }>(sql`
      select distinct a.category from findings f join finding_areas fa on fa.finding_id = f.id join protected_areas a on a.id = fa.area_id
      where f.state = 'closed' order by 1`);
    expect(closed.map((c) => c.category)).toEqual(expect.arrayContaining(['forest_park', 'geopark', 'marine_special', 'nature_reserve', 'scenic_area', 'wetland_park']));
    const outcomes = await rows<{ outcome: string }>(sql`
      select distinct after ->> 'outcome' as outcome from events where action in ('finding.confirm', 'finding.dismiss') order by 1`);
    expect(outcomes.map((o) => o.outcome)).toEqual(['historical', 'illegal', 'lawful', 'not_true', 'rectified', 'vanished']);
    const [lawful] = await rows<{ n: number; sample: number }>(sql`
      select count(*)::int as n, count(*) filter (where after ->> 'approvalNo' like '示例%')::int as sample
      from events where action = 'finding.dismiss' and after ->> 'outcome' = 'lawful'`);
    expect(lawful.n).toBeGreaterThan(0);
    expect(lawful.sample).toBe(lawful.n);
  });

  it('holds every turn of the chain the README promises', async () => {
    const [r] = await rows<Record<string, number>>(sql`
      select (select count(*)::int from events where action = 'finding.overturn') as overturns,
             (select count(*)::int from events where action = 'finding.determined') as determinations,
             (select count(*)::int from finding_records where kind = 'plan_submission' and jsonb_array_length(coalesce(data -> 'assessmentEvidenceIds', '[]'::jsonb)) > 0) as assessed,
             (select count(*)::int from finding_records where kind = 'plan_review' and data ->> 'decision' = 'return') as returned_plans,
             (select count(distinct r.finding_id)::int from finding_records r join findings f on f.id = r.finding_id
               where r.kind = 'plan_review' and r.data ->> 'decision' = 'return' and f.state in ('rectifying', 'publicising', 'closed')) as returned_then_approved,
             (select count(*)::int from finding_records where kind = 'progress') as progress,
             (select count(*)::int from (select finding_id, round from finding_records where kind = 'part_report' group by 1, 2 having count(distinct department_id) >= 2) j) as joint_rounds,
             (select count(*)::int from finding_records where kind = 'acceptance_failure' and data ->> 'level' = 'county') as failed_county,
             (select count(*)::int from finding_records where kind = 'acceptance_failure' and data ->> 'level' = 'city') as failed_city,
             (select count(*)::int from finding_records where kind = 'extension_decision' and data ->> 'decision' = 'approve' and data ->> 'target' = 'rectify') as extended,
             (select count(*)::int from finding_records where kind = 'extension_decision' and data ->> 'decision' = 'refuse' and data ->> 'target' = 'rectify') as refused,
             (select count(*)::int from finding_records where kind = 'extension_decision' and data ->> 'target' = 'plan') as plan_extensions,
             (select count(*)::int from finding_records where kind = 'site_check') as site_checks,
             (select count(*)::int from finding_records where kind = 'objection' and (data ->> 'upheld')::boolean) as upheld,
             (select count(*)::int from finding_records where kind = 'objection' and not (data ->> 'upheld')::boolean) as rejected,
             (select count(*)::int from finding_records where kind = 'recheck' and data ->> 'result' = 'stays_rectified') as stays,
             (select count(*)::int from finding_records where kind = 'recheck' and data ->> 'result' = 'recurred') as recurred,
             (select count(*)::int from events where action = 'finding.reopen') as reopened,
             (select count(*)::int from findings where state = 'closed' and closing_document_no ~ '^示例销号〔\\d{4}〕第\\d{3}号$' and closed_on is not null) as closed_with_number`);
    expect(r.overturns).toBeGreaterThanOrEqual(2);
    expect(r.determinations).toBeGreaterThanOrEqual(3);
    expect(r.assessed).toBeGreaterThanOrEqual(1);
    expect(r.returned_plans).toBeGreaterThanOrEqual(4);
    expect(r.returned_then_approved).toBeGreaterThanOrEqual(3);
    expect(r.progress).toBeGreaterThanOrEqual(100);
    expect(r.joint_rounds).toBeGreaterThanOrEqual(30);
    expect(r.failed_county).toBeGreaterThanOrEqual(3);
    expect(r.failed_city).toBeGreaterThanOrEqual(3);
    expect(r.extended).toBeGreaterThanOrEqual(3);
    expect(r.refused).toBeGreaterThanOrEqual(2);
    expect(r.plan_extensions).toBe(2);
    expect(r.site_checks).toBeGreaterThanOrEqual(80);
    expect(r.upheld).toBe(2);
    expect(r.rejected).toBe(2);
    expect(r.stays).toBeGreaterThanOrEqual(15);
    expect(r.recurred).toBe(2);
    expect(r.reopened).toBe(1);
    expect(r.closed_with_number).toBe(30);
  });

  it('accepts at county then city level, the city by a department independent of every rectifier', async () => {
    const acceptances = await rows<{ serial: string; level: string; dept: number; dept_level: string; county: string | null; finding_county: string | null; rectifiers: number[]; parents: (number | null)[]; dept_parent: number | null }>(sql`
      select f.serial, r.data ->> 'level' as level, r.department_id as dept, d.level as dept_level, d.county_code as county, f.county_code as finding_county, d.parent_id as dept_parent,
             array_append((select array_agg(c.department_id) from finding_cooperators c where c.finding_id = f.id), f.lead_department_id) as rectifiers,
             (select array_agg(p.parent_id) from departments p where p.id = any(array_append((select array_agg(c.department_id) from finding_cooperators c where c.finding_id = f.id), f.lead_department_id))) as parents
      from finding_records r join findings f on f.id = r.finding_id join departments d on d.id = r.department_id
      where r.kind = 'acceptance'`);
    expect(acceptances.filter((a) => a.level === 'city').length).toBeGreaterThanOrEqual(36);
    for (const a of acceptances) {
      if (a.level === 'county') {
        expect([a.serial, a.dept_level, a.county], 'county self-check by a county department of the finding’s county').toEqual([a.serial, 'county', a.finding_county]);
      } else {
        expect([a.serial, a.level, a.dept_level]).toEqual([a.serial, 'city', 'city']);
        expect(a.rectifiers.map(Number), `${a.serial}: the acceptor rectified`).not.toContain(Number(a.dept));
        expect(a.parents.map((p) => (p === null ? null : Number(p))), `${a.serial}: the acceptor is the parent of a rectifier`).not.toContain(Number(a.dept));
        if (a.dept_parent !== null) expect(a.rectifiers.map(Number), `${a.serial}: the acceptor is a branch of a rectifier`).not.toContain(Number(a.dept_parent));
      }
    }
    // Each acceptance comes after a site check of the same department and level in the same round.
    const [unchecked] = await rows<{ n: number }>(sql`
      select count(*)::int as n from finding_records a
      where a.kind = 'acceptance' and not exists (
        select 1 from finding_records s where s.kind = 'site_check' and s.finding_id = a.finding_id and s.round = a.round
          and s.department_id = a.department_id and s.data ->> 'level' = a.data ->> 'level' and s.created_at < a.created_at)`);
    expect(unchecked.n).toBe(0);
  });

  it('ticks no condition before its observation period has passed since the round’s last part report', async () => {
    const accepted = await rows<{ finding_id: number; state: FindingState; ticked_on: string; reported_on: string; codes: string[] }>(sql`
      select a.finding_id, f.state, to_char(a.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as ticked_on,
             (select to_char(max(p.created_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') from finding_records p
               where p.kind = 'part_report' and p.finding_id = a.finding_id and p.round = a.round) as reported_on,
             (select array_agg(t ->> 'code') from jsonb_array_elements(a.data -> 'ticks') t) as codes
      from finding_records a join findings f on f.id = a.finding_id where a.kind = 'acceptance'`);
    let observed = 0;
    for (const a of accepted) {
      const frozen = a.state === 'closed' ? (await rows<{ closing: { conditions: { code: string; observationDays: number | null }[] } }>(sql`select closing from finding_closures where finding_id = ${a.finding_id} order by id desc limit 1`))[0].closing : null;
      const rule = frozen ?? (await ruleForFinding(ctx().database.db, Number(a.finding_id)));
      for (const code of a.codes) {
        const days = rule.conditions.find((c) => c.code === code)?.observationDays ?? 0;
        if (days) observed += 1;
        expect(a.ticked_on >= addDays(a.reported_on, days), `finding ${a.finding_id} ticked ${code} on ${a.ticked_on}`).toBe(true);
      }
    }
    expect(observed).toBeGreaterThan(20);
  });

  it('keeps 公示 for seven days before closing, and opens the re-checks at six and twelve months', async () => {
    const closed = await rows<{ serial: string; start: string; end: string; closed_on: string; rechecks: { due: string; status: string }[] | null; round: number }>(sql`
      select f.serial, f.publicity_start_on::text as start, f.publicity_end_on::text as end, f.closed_on::text as closed_on, f.round,
             (select json_agg(json_build_object('due', t.due_on::text, 'status', t.status) order by t.due_on) from tasks t where t.finding_id = f.id and t.kind = 'recheck'
                and t.created_at >= (select max(c.closed_at) from finding_closures c where c.finding_id = f.id)) as rechecks
      from findings f where f.state = 'closed'`);
    for (const f of closed) {
      expect(f.end, f.serial).toBe(addDays(f.start, 7));
      expect(f.closed_on >= f.end, f.serial).toBe(true);
      expect((f.rechecks ?? []).map((t) => t.due), f.serial).toEqual([addMonths(f.closed_on, 6), addMonths(f.closed_on, 12)]);
    }
    const publicising = await rows<{ serial: string; start: string; end: string; notice: string | null }>(sql`
      select serial, publicity_start_on::text as start, publicity_end_on::text as end, publicity_notice as notice from findings where state = 'publicising'`);
    for (const f of publicising) {
      expect(f.end, f.serial).toBe(addDays(f.start, 7));
      expect(f.notice, f.serial).toContain(`关于问题 ${f.serial} 整改销号的公示`);
    }
  });

  it('keeps each department’s tasks in step with the finding, with the deadline that runs', async () => {
    const findings = await rows<{ id: number; serial: string; state: FindingState; deadline: string | null; plan_due: string | null; level: string | null; tasks: { kind: string; due: string | null; status: string }[] | null }>(sql`
      select f.id, f.serial, f.state, f.deadline::text as deadline, f.plan_due_on::text as plan_due, f.acceptance_level as level,
             (select json_agg(json_build_object('kind', t.kind, 'due', t.due_on::text, 'status', t.status)) from tasks t
               where t.finding_id = f.id and t.status in ('open', 'in_progress', 'returned')) as tasks
      from findings f`);
    for (const f of findings) {
      const active = f.tasks ?? [];
      const kinds = [...new Set(active.map((t) => t.kind))].sort();
      const expected: Partial<Record<FindingState, string[]>> = { clue: [], verifying: ['verify'], dismissed: [], confirmed: [], publicising: [], pending_acceptance: ['accept'] };
      if (f.state in expected) expect([f.serial, kinds], f.state).toEqual([f.serial, expected[f.state]]);
      if (f.state === 'planning') expect(kinds.every((k) => k === 'plan' || k === 'review'), f.serial).toBe(true);
      if (f.state === 'planning') for (const t of active) expect([f.serial, t.due]).toEqual([f.serial, f.plan_due]);
      if (f.state === 'rectifying') {
        expect(kinds, f.serial).toEqual(['rectify']);
        for (const t of active) expect([f.serial, t.due]).toEqual([f.serial, f.deadline]);
      }
      if (f.state === 'closed') expect(kinds.every((k) => k === 'recheck'), f.serial).toBe(true);
      if (f.state === 'pending_acceptance') expect(['county', 'city']).toContain(f.level);
    }
  });

  it('shows overdue clues and rectifications in the list, as of the day the API runs', async () => {
    const as = await ctx().as('coord');
    const list = async (query: string) => {
      const res = await as(`/api/findings?${query}&limit=500`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { findings: { serial: string }[] }).findings.map((f) => f.serial).sort();
    };
    const [overdue, escalated] = [await list('overdue=1'), await list('escalated=1')];
    const facts = await rows<{ serial: string; state: FindingState; deadline: string | null; plan_due: string | null; clue_due: string | null; verify_due: string | null }>(sql`
      select f.serial, f.state, f.deadline::text as deadline, f.plan_due_on::text as plan_due, f.clue_due_on::text as clue_due,
             (select min(t.due_on)::text from tasks t where t.finding_id = f.id and t.kind = 'verify' and t.status in ('open', 'in_progress', 'returned')) as verify_due
      from findings f`);
    const late = (day: string) => facts.map((f) => ({ serial: f.serial, state: f.state, days: daysOverdue({ state: f.state, deadline: f.deadline, planDueOn: f.plan_due, clueDueOn: f.clue_due, verifyDueDate: f.verify_due }, day) }));
    const now = late(todayIn());
    expect(overdue).toEqual(now.filter((f) => f.days > 0).map((f) => f.serial).sort());
    expect(escalated).toEqual(now.filter((f) => f.days >= 30).map((f) => f.serial).sort());

    // As of the sample's own today: overdue clues, verifications, plans and rectifications, and a few escalated.
    const then = late(SAMPLE_TODAY).filter((f) => f.days > 0);
    for (const state of ['clue', 'verifying', 'planning', 'rectifying'] as const) expect(then.filter((f) => f.state === state).length, state).toBeGreaterThanOrEqual(2);
    expect(then.filter((f) => f.days >= 30).length).toBeGreaterThanOrEqual(4);
    expect(then.filter((f) => f.days >= 30).length).toBeLessThanOrEqual(12);
    // Nothing waits on acceptance or 公示 with a running deadline (the clock pauses there).
    expect(then.filter((f) => f.state === 'pending_acceptance' || f.state === 'publicising')).toEqual([]);
  });

  it('keeps the batch’s 变化类型 apart from the legal facts, and 规模扩大 with its original footprint', async () => {
    const kinds = await rows<{ source: string; change_type: string | null; expanded: boolean; n: number }>(sql`
      select source = 'remote_sensing' as source, change_type, expanded, count(*)::int as n from findings group by 1, 2, 3 order by 1, 2, 3`);
    for (const k of kinds) if (k.change_type !== null) expect(k.source, 'only remote-sensing batches report a change type').toBe(true);
    expect(kinds.find((k) => k.change_type === 'new')?.n ?? 0).toBeGreaterThan(10);
    const [grown] = await rows<{ n: number; inside: number; smaller: number }>(sql`
      select count(*)::int as n, count(*) filter (where ST_CoveredBy(original_geom, geom))::int as inside,
             count(*) filter (where original_area_ha > 0 and original_area_ha < ST_Area(geom::geography) / 10000)::int as smaller
      from findings where expanded`);
    expect(grown.n).toBeGreaterThanOrEqual(3);
    expect(grown).toEqual({ n: grown.n, inside: grown.n, smaller: grown.n });
  });

  it('gives every clue its owner and dispatch deadline (per batch for remote sensing)', async () => {
    const clues = await rows<{ serial: string; owner: string | null; due: string | null; created: string; batch_due: string | null; source: string }>(sql`
      select f.serial, u.username as owner, f.clue_due_on::text as due, to_char(f.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as created,
             b.verify_by::text as batch_due, f.source
      from findings f left join users u on u.id = f.clue_owner_user_id left join monitoring_batches b on b.code = f.batch`);
    for (const c of clues) {
      expect([c.serial, c.owner]).toEqual([c.serial, 'coord']);
      expect([c.serial, c.due]).toEqual([c.serial, c.batch_due ?? addDays(c.created, sampleChainConfig.clueDispatchDays)]);
    }
    expect(clues.filter((c) => c.source === 'remote_sensing' && c.batch_due !== null).length).toBeGreaterThan(10);
  });

  it('holds only steps the workflow accepts, replayed from the audit trail and the stored records', async () => {
    const exec = ctx().database.db;
    const departments = await loadDepartments(exec);
    const users = new Map(
      (await rows<{ id: number; role: Role; department_id: number | null }>(sql`select id, role, department_id from users`)).map((u) => [
        Number(u.id),
        { role: u.role, departmentId: u.department_id === null ? null : Number(u.department_id) },
      ]),
    );
    const findings = await rows<{ id: number; serial: string; state: FindingState; county_code: string | null; managing: number | null }>(sql`
      select f.id, f.serial, f.state, f.county_code,
             (select a.managing_department_id from finding_areas fa join protected_areas a on a.id = fa.area_id
               where fa.finding_id = f.id and a.managing_department_id is not null order by a.code limit 1) as managing
      from findings f where f.state in ('rectifying', 'publicising', 'closed', 'pending_acceptance') order by f.id limit 40`);
    expect(findings.length).toBe(40);
    for (const f of findings) {
      const events = await rows<{ id: number; action: string; at: string; actor: number; after: Record<string, unknown> }>(sql`
        select id, action, to_json(at) #>> '{}' as at, actor_user_id as actor, after from events
        where entity = 'finding' and entity_id = ${String(f.id)} and action not in ('finding.created', 'finding.attachment_added', 'finding.determined') order by id`);
      const stored = await loadRecords(exec, Number(f.id));
      const taskRows = await rows<{ id: number; kind: StepTask['kind']; department_id: number | null; due_on: string | null; status: StepTask['status'] }>(sql`
        select id, kind, department_id, due_on::text as due_on, status from tasks where finding_id = ${f.id} order by created_at, id`);
      const evidence = await rows<{ id: number; uploaded_at: string }>(sql`select id, to_json(uploaded_at) #>> '{}' as uploaded_at from attachments where owner_type = 'finding' and owner_id = ${f.id}`);
      const frozen = await rows<{ closing: unknown }>(sql`select closing from finding_closures where finding_id = ${f.id} order by id`);
      const rule = frozen.length ? (frozen[0].closing as Awaited<ReturnType<typeof ruleForFinding>>) : await ruleForFinding(exec, Number(f.id));
      let finding = newClue(f.county_code);
      let tasks: StepTask[] = [];
      let records: StoredRecord[] = [];
      for (const e of events) {
        const at = new Date(e.at).toISOString();
        const { state: _state, ...request } = e.after;
        // Tasks replayed here get the stored ids in creation order, so a re-check names the same task.
        tasks = tasks.map((t, i) => ({ ...t, id: t.id ?? Number(taskRows[i]?.id) }));
        const result = checkAction(finding, users.get(Number(e.actor))!, { ...request, version: finding.version }, {
          today: todayIn(DEFAULT_TIME_ZONE, new Date(at)),
          timeZone: DEFAULT_TIME_ZONE,
          config: sampleChainConfig,
          departments,
          records,
          tasks,
          rule: workflowRule(rule),
          evidence: evidence.filter((x) => new Date(x.uploaded_at).toISOString() <= at).map((x) => ({ id: Number(x.id), uploadedAt: new Date(x.uploaded_at).toISOString() })),
          managingDepartmentId: f.managing === null ? null : Number(f.managing),
        });
        expect(result.ok ? result.action : result.error.message, `${f.serial} ${e.action}`).toBe(e.action.slice('finding.'.length));
        if (!result.ok) break;
        const applied = applyStep(finding, tasks, result, at);
        finding = applied.finding;
        tasks = applied.tasks.map(({ changed: _c, ...t }) => t);
        const written = stored.filter((r) => r.at === at && r.kind && applied.records.some((a) => a.kind === r.kind));
        expect(applied.records.map((r) => [r.kind, r.round, r.departmentId]), `${f.serial} ${e.action} records`).toEqual(written.map((r) => [r.kind, r.round, r.departmentId]));
        records = stored.filter((r) => r.at <= at);
      }
      expect(finding.state, f.serial).toBe(f.state);
      expect(tasks.map((t) => [t.kind, t.departmentId, t.dueOn, t.status]), `${f.serial} tasks`).toEqual(taskRows.map((t) => [t.kind, t.department_id === null ? null : Number(t.department_id), t.due_on, t.status]));
    }
  }, 120_000);

  it('adds nothing when seeded again', async () => {
    const count = () => rows<{ f: number; t: number; e: number; a: number; r: number }>(sql`
      select (select count(*)::int from findings) as f, (select count(*)::int from tasks) as t,
             (select count(*)::int from events) as e, (select count(*)::int from attachments) as a, (select count(*)::int from finding_records) as r`);
    const [before] = await count();
    expect(await seedSampleFindings(ctx().database, { storageDir })).toEqual({ seeded: false, findings: sample.findings.length });
    const [after] = await count();
    expect(after).toEqual(before);
  });
});
