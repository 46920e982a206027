/** The sample findings as seeded: the promises data/README.md makes about data/sample/findings.json. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedSampleFindings, type SampleFindingsFile } from '../../server/db/seed-findings.ts';
import { DEFAULT_TIME_ZONE, today as todayIn } from '../../server/lib/clock.ts';
import { conditionsFor } from '../../server/features/findings/transitions.service.ts';
import { checkTransition, daysOverdue, type FindingState, type WorkflowFinding } from '../../server/features/findings/workflow.ts';
import type { Role, ZoneKind } from '../../server/lib/vocabulary.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const sample = JSON.parse(readFileSync(new URL('../../data/sample/findings.json', import.meta.url), 'utf8')) as SampleFindingsFile;
const finalState = (f: SampleFindingsFile['findings'][number]): FindingState => f.steps.at(-1)?.to ?? 'clue';
/** The day the sample data treats as today (data/README.md). */
const SAMPLE_TODAY = '2026-11-20';

describeEachBackend('sample findings', (ctx) => {
  const rows = <T>(q: ReturnType<typeof sql>) => ctx().database.rows<T>(q);
  let storageDir = '';

  beforeAll(async () => {
    storageDir = mkdtempSync(path.join(os.tmpdir(), 'portal-sample-findings-'));
    const result = await seedSampleFindings(ctx().database, { storageDir });
    expect(result).toEqual({ seeded: true, findings: sample.findings.length });
  }, 60_000);
  afterAll(() => rmSync(storageDir, { recursive: true, force: true }));

  it('loads about 150 findings, with their serials and counters', async () => {
    expect(sample.findings.length).toBeGreaterThanOrEqual(140);
    expect(sample.findings.length).toBeLessThanOrEqual(160);
    expect(sample.note).toMatch(/sample/i);
    const [r] = await rows<{ n: number; serials: number; clue_v1: number }>(sql`
      select count(*)::int as n, count(distinct serial)::int as serials,
             count(*) filter (where state = 'clue' and version = 1)::int as clue_v1
      from findings`);
    expect(r.n).toBe(sample.findings.length);
    expect(r.serials).toBe(r.n);
    const counters = await rows<{ year: number; last: number; max: number }>(sql`
      select s.year, s.last, (select max(split_part(serial, '-', 3)::int) from findings where split_part(serial, '-', 2)::int = s.year) as max
      from finding_serials s order by s.year`);
    expect(counters.length).toBeGreaterThanOrEqual(3);
    for (const c of counters) expect(c.last).toBe(c.max);
  });

  it('ends each finding in the state its history leads to, in the designed proportions', async () => {
    const db = await rows<{ serial: string; state: FindingState; version: number; steps: number }>(sql`
      select serial, state, version,
             (select count(*)::int from events e where e.entity = 'finding' and e.entity_id = f.id::text
                and e.action not in ('finding.created', 'finding.attachment_added')) as steps
      from findings f`);
    const bySerial = new Map(db.map((r) => [r.serial, r]));
    for (const f of sample.findings) {
      const r = bySerial.get(f.serial)!;
      expect(r.state, f.serial).toBe(finalState(f));
      expect(r.steps, f.serial).toBe(f.steps.length);
      expect(r.version, f.serial).toBe(f.steps.length + 1);
    }
    const share = (s: FindingState) => db.filter((r) => r.state === s).length / db.length;
    const expected: Partial<Record<FindingState, number>> = { clue: 0.15, verifying: 0.1, dismissed: 0.08, confirmed: 0.05, rectifying: 0.3, pending_acceptance: 0.1, closed: 0.2 };
    for (const [state, target] of Object.entries(expected)) expect(Math.abs(share(state as FindingState) - target), state).toBeLessThanOrEqual(0.03);
    const reopened = db.filter((r) => r.state === 'reopened').length;
    expect(reopened).toBeGreaterThanOrEqual(3);
    expect(reopened).toBeLessThanOrEqual(4);
  });

  it('places every finding wholly inside its areas, in the zones of the reserves, with its county', async () => {
    const [r] = await rows<{ without: number; outside: number; zoned: number; zoneless: number; strict: number; no_county: number; polygons: number }>(sql`
      select (select count(*)::int from findings f where not exists (select 1 from finding_areas fa where fa.finding_id = f.id)) as without,
             (select count(*)::int from finding_areas fa join findings f on f.id = fa.finding_id join protected_areas a on a.id = fa.area_id
               where not ST_CoveredBy(f.geom, a.geom)) as outside,
             (select count(*)::int from finding_areas fa join protected_areas a on a.id = fa.area_id where a.code in ('WF-PA-01', 'WF-PA-02', 'WF-PA-03')) as zoned,
             (select count(*)::int from finding_areas fa join protected_areas a on a.id = fa.area_id where a.code in ('WF-PA-01', 'WF-PA-02', 'WF-PA-03') and fa.zone is null) as zoneless,
             (select count(*)::int from findings where zone in ('core', 'buffer')) as strict,
             (select count(*)::int from findings where county_code is null) as no_county,
             (select count(*)::int from findings where GeometryType(geom) = 'POLYGON'
                and ST_Area(geom::geography) between 900 and 51000) as polygons`);
    expect(r.without).toBe(0);
    expect(r.outside).toBe(0);
    expect(r.zoned).toBeGreaterThan(0);
    expect(r.zoneless).toBe(0);
    expect(r.strict).toBeGreaterThan(0);
    expect(r.no_county).toBe(0);
    expect(r.polygons).toBe(sample.findings.filter((f) => f.geometry.type === 'Polygon').length);
  });

  it('holds only histories the workflow accepts, replayed from the audit trail', async () => {
    const users = new Map(
      (await rows<{ id: number; role: Role; department_id: number | null }>(sql`select id, role, department_id from users`)).map((u) => [
        Number(u.id),
        { role: u.role, departmentId: u.department_id === null ? null : Number(u.department_id) },
      ]),
    );
    const facts = await rows<{ id: number; serial: string; state: FindingState; category: never; zone: ZoneKind | null; approval: never; constructed_on: string | null; established: string | null }>(sql`
      select f.id, f.serial, f.state, f.category, f.zone, f.approval, f.constructed_on::text as constructed_on,
             (select min(a.established_on)::text from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id) as established
      from findings f`);
    const events = await rows<{ id: number; entity_id: string; action: string; at: string; actor_user_id: number; after: Record<string, unknown>; evidence: number }>(sql`
      select e.id, e.entity_id, e.action, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, e.actor_user_id, e.after,
             (select count(*)::int from attachments x where x.event_id = e.id) as evidence
      from events e
      where e.entity = 'finding' and e.action like 'finding.%' and e.action not in ('finding.created', 'finding.attachment_added')
      order by e.at, e.id`);
    const byFinding = new Map<string, typeof events>();
    for (const e of events) byFinding.set(e.entity_id, [...(byFinding.get(e.entity_id) ?? []), e]);

    for (const f of facts) {
      const closing = conditionsFor({
        id: f.id,
        serial: f.serial,
        state: f.state,
        verifyingDepartmentId: null,
        leadDepartmentId: null,
        cooperatingDepartmentIds: [],
        category: f.category,
        zone: f.zone,
        approval: f.approval,
        constructedOn: f.constructed_on,
        areaEstablishedOn: f.established,
      }).conditions;
      const finding: WorkflowFinding & { version: number } = { state: 'clue', version: 1, verifyingDepartmentId: null, leadDepartmentId: null, cooperatingDepartmentIds: [], acceptingDepartmentId: null };
      let previous = '';
      for (const e of byFinding.get(String(f.id)) ?? []) {
        expect(e.at > previous, `${f.serial}: steps in time order`).toBe(true);
        previous = e.at;
        const { state: _state, ...request } = e.after;
        const body = { ...request, version: finding.version };
        const result = checkTransition(finding, users.get(Number(e.actor_user_id))!, body, {
          today: todayIn(DEFAULT_TIME_ZONE, new Date(e.at)),
          evidenceCount: e.evidence,
          closingConditions: closing,
        });
        expect(result.ok ? result.next : result.error.message, `${f.serial} ${e.action}`).toBe(e.action.slice('finding.'.length));
        if (!result.ok) break;
        const d = result.data as Record<string, unknown>;
        if ('verifyingDepartmentId' in d) finding.verifyingDepartmentId = d.verifyingDepartmentId as number;
        if ('leadDepartmentId' in d) {
          finding.leadDepartmentId = d.leadDepartmentId as number;
          finding.cooperatingDepartmentIds = d.cooperatingDepartmentIds as number[];
          finding.acceptingDepartmentId = (d.acceptingDepartmentId as number | null | undefined) ?? null;
        }
        finding.state = result.next;
        finding.version += 1;
      }
      expect(finding.state, f.serial).toBe(f.state);
    }
  });

  it('records each finding, its evidence and every step in the audit trail at the historical times', async () => {
    const [r] = await rows<{ created: number; uploads: number; attachments: number; linked: number; future: number; misdated: number; by_cli: number }>(sql`
      select (select count(*)::int from events where action = 'finding.created') as created,
             (select count(*)::int from events where action = 'finding.attachment_added') as uploads,
             (select count(*)::int from attachments where owner_type = 'finding') as attachments,
             (select count(*)::int from attachments where owner_type = 'finding' and event_id is not null) as linked,
             (select count(*)::int from events where entity = 'finding' and at > '2026-11-21T00:00:00+08'::timestamptz) as future,
             (select count(*)::int from findings f where f.created_at <> (select e.at from events e where e.entity = 'finding' and e.entity_id = f.id::text and e.action = 'finding.created')) as misdated,
             (select count(*)::int from events where entity = 'finding' and actor_user_id is null) as by_cli`);
    const evidence = sample.findings.reduce((n, f) => n + f.steps.reduce((k, s) => k + (s.evidence?.length ?? 0), 0), 0);
    expect(r).toEqual({ created: sample.findings.length, uploads: evidence, attachments: evidence, linked: evidence, future: 0, misdated: 0, by_cli: 0 });
    const [file] = await rows<{ sha256: string }>(sql`select sha256 from attachments limit 1`);
    expect((await stat(path.join(storageDir, file.sha256.slice(0, 2), file.sha256.slice(2, 4), file.sha256))).size).toBeGreaterThan(0);
  });

  it('keeps each department’s tasks in step with the state of the finding', async () => {
    const findings = await rows<{ id: number; serial: string; state: FindingState; verifying: number | null; lead: number | null; accepting: number | null; cooperating: number[] | null }>(sql`
      select f.id, f.serial, f.state, f.verifying_department_id as verifying, f.lead_department_id as lead, f.accepting_department_id as accepting,
             (select array_agg(c.department_id order by c.department_id) from finding_cooperators c where c.finding_id = f.id) as cooperating
      from findings f`);
    const tasks = await rows<{ finding_id: number; kind: string; department_id: number | null; due_on: string | null }>(sql`
      select finding_id, kind, department_id, due_on::text as due_on from tasks where status in ('open', 'in_progress', 'returned')`);
    const active = new Map<number, typeof tasks>();
    for (const t of tasks) active.set(Number(t.finding_id), [...(active.get(Number(t.finding_id)) ?? []), t]);
    const sorted = (ids: (number | null)[]) => ids.map((d) => (d === null ? null : Number(d))).sort();
    for (const f of findings) {
      const mine = active.get(Number(f.id)) ?? [];
      const of = (kind: string) => sorted(mine.filter((t) => t.kind === kind).map((t) => t.department_id));
      const expected: Record<string, (number | null)[]> = { verify: [], rectify: [], accept: [] };
      if (f.state === 'verifying') expected.verify = [f.verifying];
      if (f.state === 'rectifying') expected.rectify = [f.lead, ...(f.cooperating ?? [])];
      if (f.state === 'pending_acceptance') expected.accept = [f.accepting];
      for (const kind of ['verify', 'rectify', 'accept']) expect(of(kind), `${f.serial} ${f.state} ${kind}`).toEqual(sorted(expected[kind]));
      if (f.state === 'verifying' || f.state === 'rectifying') expect(mine.every((t) => t.due_on !== null), f.serial).toBe(true);
    }
  });

  it('shows overdue and escalated findings in the list, as of the day the API runs', async () => {
    const as = await ctx().as('coord');
    const list = async (query: string) => {
      const res = await as(`/api/findings?${query}&limit=500`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { findings: { serial: string }[] }).findings.map((f) => f.serial).sort();
    };
    const [overdue, escalated] = [await list('overdue=1'), await list('escalated=1')];

    const facts = await rows<{ serial: string; state: FindingState; deadline: string | null; verify_due: string | null }>(sql`
      select f.serial, f.state, f.deadline::text as deadline,
             (select min(t.due_on)::text from tasks t where t.finding_id = f.id and t.kind = 'verify' and t.status in ('open', 'in_progress', 'returned')) as verify_due
      from findings f`);
    const late = (today: string) => facts.map((f) => ({ serial: f.serial, days: daysOverdue({ state: f.state, deadline: f.deadline, verifyDueDate: f.verify_due }, today) }));
    const now = late(todayIn());
    expect(overdue).toEqual(now.filter((f) => f.days > 0).map((f) => f.serial).sort());
    expect(escalated).toEqual(now.filter((f) => f.days > 30).map((f) => f.serial).sort());

    // As of the sample's own today: some overdue, 4–6 escalated; later days can only add to these.
    const then = late(SAMPLE_TODAY);
    const overdueThen = then.filter((f) => f.days > 0).map((f) => f.serial);
    const escalatedThen = then.filter((f) => f.days > 30).map((f) => f.serial);
    expect(overdueThen.length).toBeGreaterThanOrEqual(10);
    expect(escalatedThen.length).toBeGreaterThanOrEqual(4);
    expect(escalatedThen.length).toBeLessThanOrEqual(6);
    if (todayIn() >= SAMPLE_TODAY) {
      expect(overdue).toEqual(expect.arrayContaining(overdueThen));
      expect(escalated).toEqual(expect.arrayContaining(escalatedThen));
    }
  });

  it('adds nothing when seeded again', async () => {
    const count = () => rows<{ f: number; t: number; e: number; a: number }>(sql`
      select (select count(*)::int from findings) as f, (select count(*)::int from tasks) as t,
             (select count(*)::int from events) as e, (select count(*)::int from attachments) as a`);
    const [before] = await count();
    expect(await seedSampleFindings(ctx().database, { storageDir })).toEqual({ seeded: false, findings: sample.findings.length });
    const [after] = await count();
    expect(after).toEqual(before);
  });
});
