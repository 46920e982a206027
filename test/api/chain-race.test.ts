/**
 * Races in the rectification chain, on PostgreSQL with a pool of four (two requests started together
 * run in two transactions at once; PGlite's single connection would serialise them). The last parts of
 * a joint sign-off, the last approvals of a plan and two closings: each step happens once, whole.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { describeOnPostgres } from '../helpers/backends.ts';
import { Chain, daysBetween, moveToday, realToday, today, type Account, type Detail, type StepResult } from '../helpers/chain.ts';

// Walks past observation periods and the 公示 move the server's "today" (test/helpers/today.ts).
vi.mock('../../server/lib/clock.ts', async (original) => (await import('../helpers/today.ts')).movableClock(await original()));

/** Walks through the chain make dozens of requests each; on a loaded machine they need longer than the default. */
const WALK = { timeout: 240_000 };

const RACES = 4;

describeOnPostgres('races in the rectification chain', (ctx) => {
  const chain = new Chain(ctx);
  let ids: Record<string, number> = {};
  beforeAll(async () => {
    ids = await chain.departments(['water', 'agri', 'nr']);
  });
  afterEach(realToday);

  /** Sends one action as two parties at once, from the same version. */
  const together = async (f: Detail, action: string, a: [Account, Record<string, unknown>], b: [Account, Record<string, unknown>]): Promise<[StepResult, StepResult]> => {
    const send = async ([who, fields]: [Account, Record<string, unknown>]) => {
      const res = await who.request(`/api/findings/${f.id}/transitions`, { json: { action, version: f.version, ...fields } });
      return { status: res.status, body: (await res.json()) as StepResult['body'] };
    };
    return Promise.all([send(a), send(b)]);
  };
  const count = async (q: ReturnType<typeof sql>) => Number((await ctx().database.rows<{ n: number }>(q))[0].n);
  const transitionsTo = (id: number, state: string) =>
    count(sql`select count(*)::int as n from events where entity = 'finding' and entity_id = ${String(id)} and after->>'state' = ${state} and before->>'state' is distinct from ${state}`);

  it('lets exactly one of the last two part reports move the finding to acceptance, and stores each report once', WALK, async () => {
    for (let i = 0; i < RACES; i++) {
      const { finding } = await chain.walkTo('rectifying', { title: `会签竞争 ${i}`, parties: { cooperating: [ids.water, ids.agri] } });
      let f = await chain.reportParts(finding, [finding.leadDepartmentId!]);
      const water = await chain.account(ids.water);
      const agri = await chain.account(ids.agri);
      const [a, b] = await together(
        f,
        'report_part',
        [water, { report: '水利部分完成', evidenceIds: [await chain.upload(water, f.id)] }],
        [agri, { report: '农业部分完成', evidenceIds: [await chain.upload(agri, f.id)] }],
      );
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const [won, lost] = a.status === 200 ? [a, b] : [b, a];
      expect(won.body.state).toBe('rectifying');
      expect(lost.body.error!.code).toBe('conflict');
      // The loser's report was not stored with its refused request; sent again, it is the last part.
      const loser = a.status === 200 ? agri : water;
      f = await chain.step(loser, f.id, 'report_part', { report: '再次提交本部门部分', evidenceIds: [await chain.upload(loser, f.id)] });
      expect(f.state).toBe('pending_acceptance');
      expect(f.reports.map((r) => r.department.id).sort()).toEqual([finding.leadDepartmentId!, ids.water, ids.agri].sort());
      expect(await transitionsTo(f.id, 'pending_acceptance')).toBe(1);
      const acceptTasks = f.tasks.filter((t) => t.kind === 'accept' && ['open', 'in_progress'].includes(t.status));
      expect(acceptTasks).toHaveLength(1);
      expect(f.tasks.filter((t) => t.kind === 'rectify' && ['open', 'in_progress', 'returned'].includes(t.status))).toEqual([]);
    }
  });

  it('lets exactly one of the last two approvals start rectification, with one set of rectify tasks', WALK, async () => {
    for (let i = 0; i < RACES; i++) {
      const { finding } = await chain.walkTo('planning', { title: `会审竞争 ${i}` });
      const reviewers = finding.plan!.reviewers.map((r) => r.department.id);
      expect(reviewers.length).toBeGreaterThanOrEqual(2);
      let f = finding;
      for (const dep of reviewers.slice(0, -2)) f = await chain.step(await chain.account(dep), f.id, 'review_plan', { decision: 'approve', opinion: '同意' });
      const [x, y] = await Promise.all(reviewers.slice(-2).map((d) => chain.account(d)));
      const [a, b] = await together(f, 'review_plan', [x, { decision: 'approve', opinion: '同意（甲）' }], [y, { decision: 'approve', opinion: '同意（乙）' }]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      expect((a.status === 200 ? a : b).body.state).toBe('planning');
      f = await chain.step(a.status === 200 ? y : x, f.id, 'review_plan', { decision: 'approve', opinion: '同意（再次提交）' });
      expect(f.state).toBe('rectifying');
      expect(f.plan!.reviewers.every((r) => r.decision === 'approve')).toBe(true);
      expect(await transitionsTo(f.id, 'rectifying')).toBe(1);
      const rectify = f.tasks.filter((t) => t.kind === 'rectify').map((t) => t.department!.id).sort();
      expect(rectify).toEqual([f.leadDepartmentId!, ...f.cooperatingDepartmentIds].sort());
      expect(await count(sql`select count(*)::int as n from tasks where finding_id = ${f.id} and kind = 'rectify'`)).toBe(rectify.length);
    }
  });

  it('closes once when two coordinators close together: one 200, one 409, one snapshot, one set of re-checks', WALK, async () => {
    const coord = await chain.coordinator();
    const other = await chain.account(coord.departmentId, 'coordinator');
    for (let i = 0; i < RACES; i++) {
      const { finding } = await chain.walkTo('publicising', { title: `销号竞争 ${i}` });
      moveToday(daysBetween(today(), finding.publicityEndOn!));
      const f = await chain.detail(finding.id);
      const [a, b] = await together(f, 'close', [coord, { closedOn: today(), closingDocumentNo: `潍环销〔2026〕${100 + i}号` }], [other, { closedOn: today(), closingDocumentNo: `潍环销〔2026〕${200 + i}号` }]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const won = a.status === 200 ? a : b;
      expect((a.status === 200 ? b : a).body.error!.code).toBe('conflict');
      const stored = await chain.detail(f.id);
      expect(stored).toMatchObject({ state: 'closed', closingDocumentNo: won.body.closingDocumentNo });
      expect(await count(sql`select count(*)::int as n from finding_closures where finding_id = ${f.id}`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from tasks where finding_id = ${f.id} and kind = 'recheck'`)).toBe(2);
      expect(await transitionsTo(f.id, 'closed')).toBe(1);
      realToday();
    }
  });
});
