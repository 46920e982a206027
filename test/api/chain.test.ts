/**
 * The rectification chain through the API, as each department's officer would walk it:
 * verification outcomes and overturns, the plan stage tied to the finding's rule, joint sign-off,
 * independent acceptance with site checks and observation periods, 公示 with objections, 销号 with its
 * 文号, 回头看 re-checks, extensions and the deadline pause — on PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { addDays } from '../../server/lib/clock.ts';
import { createLogger } from '../../server/lib/log.ts';
import { client, signIn } from '../helpers/auth.ts';
import { describeEachBackend, testConfig } from '../helpers/backends.ts';
import { addMonths, Chain, daysBetween, jpeg, moveToday, pointIn, realToday, today, type Account, type Detail, type StepResult } from '../helpers/chain.ts';

// Walks past observation periods and the 公示 move the server's "today" (test/helpers/today.ts).
vi.mock('../../server/lib/clock.ts', async (original) => (await import('../helpers/today.ts')).movableClock(await original()));

/** Walks through the chain make dozens of requests each; on a loaded machine they need longer than the default. */
const WALK = { timeout: 240_000 };

const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** Asserts a refusal in the standard body with a Chinese message; returns the message and issues. */
function refused(r: StepResult, status: number, code?: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  const e = r.body.error!;
  expect(Object.keys(r.body)).toEqual(['error']);
  if (code) expect(e.code).toBe(code);
  expect(hasCjk(e.message), e.message).toBe(true);
  for (const i of e.issues ?? []) expect(hasCjk(i.message), i.message).toBe(true);
  return { message: e.message, issues: e.issues ?? [], all: [e.message, ...(e.issues ?? []).map((i) => i.message)].join('；') };
}

/** The issue paths of a 400. */
const paths = (r: StepResult) => (r.body.error?.issues ?? []).map((i) => i.path);

const taskList = (f: Detail) => f.tasks.map((t) => `${t.kind}:${t.department?.id ?? '-'}:${t.status}`).sort();

describeEachBackend('the rectification chain', (ctx) => {
  const chain = new Chain(ctx);
  let ids: Record<string, number> = {};
  let coord: Account;
  beforeAll(async () => {
    ids = await chain.departments(['eco', 'nr', 'water', 'agri', 'eco-qingzhou', 'eco-linqu']);
    coord = await chain.coordinator();
  });
  afterEach(realToday);

  /** What the database holds for a finding, read around the API. */
  const stored = async (id: number) => {
    const [r] = await ctx().database.rows<Record<string, unknown>>(
      sql`select state, round, deadline::text as deadline, plan_due_on::text as plan_due_on, accepting_department_id, closed_on::text as closed_on,
                 closing_document_no, publicity_start_on::text as publicity_start_on, publicity_end_on::text as publicity_end_on, version
          from findings where id = ${id}`,
    );
    return r;
  };

  it('walks one finding through every step, each party acting for its own department, refusing what the rules refuse', WALK, async () => {
    const f0 = await chain.record({ areaCode: 'WF-PA-02', zone: 'core', category: 'mining', title: '仰天山核心区采矿' });
    expect(f0).toMatchObject({ state: 'clue', round: expect.any(Number) });
    expect(f0.allowedActions).toContain('dispatch');
    const qz = ids['eco-qingzhou'];
    const officerQz = await chain.account(qz);
    const water = await chain.account(ids.water);

    // Old request shape: refused, naming `action`.
    const old = await coord.request(`/api/findings/${f0.id}/transitions`, { json: { to: 'verifying', version: f0.version, verifyingDepartmentId: qz, dueDate: addDays(today(), 10) } });
    expect(old.status).toBe(400);
    expect(((await old.json()) as StepResult['body']).error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'action', message: expect.stringMatching(/action/) }] });

    // Dispatch: only a coordinator; a stale version is a conflict.
    refused(await chain.try(officerQz, f0.id, 'dispatch', { verifyingDepartmentId: qz, dueDate: addDays(today(), 10) }), 403, 'forbidden');
    const stale = await coord.request(`/api/findings/${f0.id}/transitions`, { json: { action: 'dispatch', version: f0.version - 1, verifyingDepartmentId: qz, dueDate: addDays(today(), 10) } });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as StepResult['body']).error!.code).toBe('conflict');
    let f = await chain.step(coord, f0.id, 'dispatch', { verifyingDepartmentId: qz, dueDate: addDays(today(), 10), instruction: '请三日内到现场核实' });
    expect(f).toMatchObject({ state: 'verifying', verifyingDepartmentId: qz });
    expect(taskList(f)).toEqual([`verify:${qz}:open`]);
    expect(f.tasks[0].dueOn).toBe(addDays(today(), 10));

    // Confirm (属实·违法违规) needs evidence; the outcome is stored.
    const noEvidence = await chain.try(officerQz, f.id, 'confirm', { outcome: 'illegal', conclusion: '属实', evidenceIds: [] });
    expect(paths(noEvidence)).toContain('evidenceIds');
    refused(noEvidence, 400);
    refused(await chain.try(water, f.id, 'confirm', { outcome: 'illegal', conclusion: '属实', evidenceIds: [await chain.upload(coord, f.id)] }), 403);
    f = await chain.step(officerQz, f.id, 'confirm', { outcome: 'illegal', conclusion: '现场核实，核心区内有采矿坑', evidenceIds: [await chain.upload(officerQz, f.id)] });
    expect(f).toMatchObject({ state: 'confirmed', verificationOutcome: 'illegal' });
    expect(taskList(f)).toEqual([`verify:${qz}:done`]);
    expect(f.rule).toMatchObject({ status: 'resolved', areaCategory: 'nature_reserve', zone: 'core' });
    expect(f.rule.requiredMeasures).toEqual(expect.arrayContaining(['exit', 'restore']));

    // Plan stage: the coordinator assigns; the drafter (management body, else the lead) drafts.
    f = await chain.step(coord, f.id, 'assign_plan', { leadDepartmentId: qz, cooperatingDepartmentIds: [ids.water], planDueDate: addDays(today(), 20), instruction: '请管理机构牵头编制整改方案' });
    expect(f).toMatchObject({ state: 'planning', leadDepartmentId: qz, cooperatingDepartmentIds: [ids.water], planDueOn: addDays(today(), 20) });
    const [body] = await ctx().database.rows<{ id: number | null; kind: string }>(
      sql`select d.id, d.kind from protected_areas a join departments d on d.id = a.managing_department_id where a.code = 'WF-PA-02'`,
    );
    expect(body).toMatchObject({ kind: 'management_body' });
    expect(f.drafterDepartmentId).toBe(Number(body.id));
    expect(taskList(f)).toContain(`plan:${f.drafterDepartmentId}:open`);
    const drafter = await chain.account(f.drafterDepartmentId!);

    // Measures that do not satisfy the rule are refused with the rule's text.
    const weak = await chain.try(drafter, f.id, 'submit_plan', await chain.planFields(f, drafter, { measures: ['remediate'] }));
    const weakMsg = refused(weak, 400);
    expect(paths(weak)).toContain('measures');
    expect(weakMsg.all).toContain(f.rule.sourceZh);
    expect(weakMsg.all).toContain(f.rule.basisZh);
    refused(await chain.try(water, f.id, 'submit_plan', await chain.planFields(f, drafter)), 403);
    f = await chain.step(drafter, f.id, 'submit_plan', await chain.planFields(f, drafter));
    expect(f.plan).toMatchObject({ status: 'submitted', measures: Chain.measuresFor(f.rule) });
    expect(f.plan!.reviewers.length).toBeGreaterThanOrEqual(2);
    const reviewerIds = f.plan!.reviewers.map((r) => r.department.id);
    // The county eco branch reviews; the kinds the rule names resolve to departments (forestry folds into natural resources here).
    expect(reviewerIds).toContain(qz);
    expect(new Set(reviewerIds).size).toBe(reviewerIds.length);
    expect(f.state).toBe('planning');

    // A reviewer returns it; the drafter resubmits; every reviewer approves → rectifying.
    const first = await chain.account(reviewerIds[0]);
    f = await chain.step(first, f.id, 'review_plan', { decision: 'return', opinion: '完成时限过长，请压缩' });
    expect(f).toMatchObject({ state: 'planning', plan: { status: 'returned' } });
    f = await chain.step(drafter, f.id, 'submit_plan', await chain.planFields(f, drafter, { deadline: addDays(today(), 60) }));
    expect(f.plan!.status).toBe('submitted');
    expect(f.plan!.reviewers.every((r) => r.decision === null)).toBe(true);
    // Nobody signs for another department, a coordinator not of a reviewer department included.
    const outsider = await chain.account(ids.agri);
    refused(await chain.try(outsider, f.id, 'review_plan', { decision: 'approve', opinion: '同意' }), 403);
    expect(reviewerIds).not.toContain(coord.departmentId);
    refused(await chain.try(coord, f.id, 'review_plan', { decision: 'approve', opinion: '同意' }), 403);
    for (const [i, dep] of reviewerIds.entries()) {
      f = await chain.step(await chain.account(dep), f.id, 'review_plan', { decision: 'approve', opinion: '同意' });
      expect(f.state).toBe(i === reviewerIds.length - 1 ? 'rectifying' : 'planning');
    }
    expect(f).toMatchObject({ plan: { status: 'approved' }, deadline: addDays(today(), 60) });
    expect(taskList(f).filter((t) => t.startsWith('rectify:'))).toEqual([`rectify:${qz}:open`, `rectify:${ids.water}:open`].sort());

    // Progress: dated, never in the future; only the rectifiers.
    const future = await chain.try(officerQz, f.id, 'record_progress', { progressOn: addDays(today(), 1), text: '已拆除一半' });
    expect(paths(future)).toContain('progressOn');
    refused(future, 400);
    refused(await chain.try(outsider, f.id, 'record_progress', { progressOn: today(), text: '已拆除一半' }), 403);
    f = await chain.step(officerQz, f.id, 'record_progress', { progressOn: today(), text: '已断水断电，设备清运中', percent: 40 });
    expect(f.progress).toEqual([expect.objectContaining({ progressOn: today(), text: '已断水断电，设备清运中' })]);

    // A photo the acceptor takes before the completion report cannot serve the site check.
    const early = await chain.upload(officerQz, f.id);

    // Joint sign-off: the lead's report alone does not end rectification; each part once per round.
    f = await chain.step(officerQz, f.id, 'report_part', { report: '矿坑已回填', evidenceIds: [await chain.upload(officerQz, f.id)] });
    expect(f.state).toBe('rectifying');
    const twice = await chain.try(officerQz, f.id, 'report_part', { report: '再报一次', evidenceIds: [await chain.upload(officerQz, f.id)] });
    refused(twice, 409, 'illegal_transition');
    expect(taskList(f)).toContain(`rectify:${ids.water}:open`);
    f = await chain.step(water, f.id, 'report_part', { report: '河道已清理', evidenceIds: [await chain.upload(water, f.id)] });
    expect(f.state).toBe('pending_acceptance');
    expect(f.reports.map((r) => r.department.id).sort()).toEqual([qz, ids.water].sort());
    expect(f.acceptanceLevel).toBe('county');
    expect(f.acceptance!.levels.map((l) => l.level)).toEqual(['county', 'city']);

    // Deadline pause: even a passed deadline does not run while acceptance is pending.
    await ctx().database.rows(sql`update findings set deadline = ${addDays(today(), -5)} where id = ${f.id}`);
    f = await chain.detail(f.id);
    expect(f).toMatchObject({ overdue: false, deadline: null, rectificationDeadline: addDays(today(), -5) });
    expect(f.daysOverdue ?? 0).toBe(0);
    const overdueList = (await (await coord.request('/api/findings?overdue=1&limit=500')).json()) as { findings: { id: number }[] };
    expect(overdueList.findings.map((r) => r.id)).not.toContain(f.id);

    // County self-check: a site check comes first, with photos taken after the completion report.
    const county = officerQz;
    const noCheck = await chain.try(county, f.id, 'accept', { ticks: f.rule.conditions.map((c) => ({ code: c.code, evidenceIds: [early] })), opinion: '同意' });
    expect(refused(noCheck, 409, 'illegal_transition').message).toContain('现场核查');
    const beforeReport = await chain.try(county, f.id, 'site_check', { checkedOn: today(), people: '张三', note: '现场核查', evidenceIds: [early] });
    expect(paths(beforeReport)).toContain('evidenceIds');
    refused(beforeReport, 400);
    const yesterday = await chain.try(county, f.id, 'site_check', { checkedOn: addDays(today(), -1), people: '张三', note: '现场核查', evidenceIds: [await chain.upload(county, f.id)] });
    expect(paths(yesterday)).toContain('checkedOn');
    refused(yesterday, 400);
    // The county self-check is the finding's own county's: another county's branch and a city bureau are refused.
    for (const other of [await chain.account(ids['eco-linqu']), await chain.account(ids.agri)]) {
      const { message } = refused(await chain.try(other, f.id, 'site_check', { checkedOn: today(), people: '张三', note: '现场核查', evidenceIds: [await chain.upload(coord, f.id)] }), 403, 'forbidden');
      expect(message).toContain('县级自查');
    }
    const photo = await chain.upload(county, f.id);
    f = await chain.step(county, f.id, 'site_check', { checkedOn: today(), people: '青州市自查组 张三、李四', note: '已回填复绿', evidenceIds: [photo] });
    expect(f.acceptance!.levels[0].siteChecks).toHaveLength(1);

    // Observation period: a condition that needs one cannot be ticked before it has passed.
    const observed = f.rule.conditions.filter((c) => (c.observationDays ?? 0) > 0);
    expect(observed.length, '修复类条件须有观察期').toBeGreaterThan(0);
    const wait = Chain.observationWait(f.rule);
    const ticks = f.rule.conditions.map((c) => ({ code: c.code, evidenceIds: [photo] }));
    const tooSoon = refused(await chain.try(county, f.id, 'accept', { ticks, opinion: '同意' }), 400);
    expect(tooSoon.all).toContain(addDays(today(), wait));
    moveToday(wait - 1);
    expect(paths(await chain.try(county, f.id, 'accept', { ticks, opinion: '同意' }))).toEqual(observed.filter((c) => c.observationDays === wait).map((c) => `ticks.${f.rule.conditions.indexOf(c)}.code`));
    moveToday(1);
    const photo2 = await chain.upload(county, f.id);
    await chain.step(county, f.id, 'site_check', { checkedOn: today(), people: '张三', note: '复绿稳定', evidenceIds: [photo2] });
    f = await chain.step(county, f.id, 'accept', { ticks: ticks.map((t) => ({ ...t, evidenceIds: [photo2] })), opinion: '县级自查合格' });
    expect(f).toMatchObject({ state: 'pending_acceptance', acceptanceLevel: 'city' });
    expect(f.acceptance!.levels[0]).toMatchObject({ status: 'passed' });

    // City acceptance by an independent city department.
    const nr = await chain.account(ids.nr);
    expect(refused(await chain.try(nr, f.id, 'accept', { ticks, opinion: '同意' }), 409, 'illegal_transition').message).toContain('现场核查');
    f = await chain.acceptLevel(f, nr);
    const publicStart = today();
    expect(f).toMatchObject({ state: 'publicising', acceptingDepartmentId: ids.nr, publicityStartOn: publicStart, publicityEndOn: addDays(publicStart, 7) });
    expect(f.publicity!.noticeZh).toContain(f.serial);
    expect(f.publicity!.noticeZh).toContain('仰天山核心区采矿');
    expect(f.publicity!.noticeZh).toContain('山东仰天山省级自然保护区');
    expect(f.overdue).toBe(false);
    expect(await stored(f.id)).toMatchObject({ state: 'publicising', publicity_start_on: publicStart, publicity_end_on: addDays(publicStart, 7), accepting_department_id: ids.nr });

    // 公示: no closing before its end; an upheld objection goes back to rectifying with a new deadline.
    expect(refused(await chain.try(coord, f.id, 'close', { closedOn: today(), closingDocumentNo: '潍环销〔2026〕1号' }), 409).message).toContain(addDays(publicStart, 7));
    refused(await chain.try(nr, f.id, 'record_objection', { receivedOn: today(), objector: '村民王某', content: '仍有堆料', handling: '现场复核', upheld: false }), 403);
    f = await chain.step(coord, f.id, 'record_objection', { receivedOn: today(), objector: '村民王某', content: '询问复绿范围', handling: '经核对，复绿范围与方案一致，不予采纳', upheld: false });
    expect(f.state).toBe('publicising');
    const noDeadline = await chain.try(coord, f.id, 'record_objection', { receivedOn: today(), objector: '村民李某', content: '仍有堆料未清', handling: '现场复核属实', upheld: true });
    expect(paths(noDeadline)).toContain('deadline');
    refused(noDeadline, 400);
    const round = f.round;
    f = await chain.step(coord, f.id, 'record_objection', { receivedOn: today(), objector: '村民李某', content: '仍有堆料未清', handling: '现场复核属实，退回整改', upheld: true, deadline: addDays(today(), 15) });
    expect(f).toMatchObject({ state: 'rectifying', deadline: addDays(today(), 15), overdue: false, round: round + 1 });
    expect(f.reports).toEqual([]);
    const objections = await ctx().database.rows<{ upheld: boolean }>(sql`select (data->>'upheld')::boolean as upheld from finding_records where finding_id = ${f.id} and kind = 'objection' order by id`);
    expect(objections).toEqual([{ upheld: false }, { upheld: true }]);

    // Second round: both parts again, both levels again, then 公示 runs out and the coordinator closes with the 文号.
    f = await chain.reportParts(f);
    expect(f.state).toBe('pending_acceptance');
    moveToday(wait);
    f = await chain.acceptLevel(f, county);
    f = await chain.acceptLevel(f, nr);
    expect(f.state).toBe('publicising');
    const end = f.publicityEndOn!;
    moveToday(daysBetween(today(), end) - 1);
    refused(await chain.try(coord, f.id, 'close', { closedOn: today(), closingDocumentNo: '潍环销〔2026〕2号' }), 409);
    moveToday(1);
    const noNumber = await chain.try(coord, f.id, 'close', { closedOn: today() });
    expect(paths(noNumber)).toContain('closingDocumentNo');
    refused(noNumber, 400);
    const tomorrow = await chain.try(coord, f.id, 'close', { closedOn: addDays(today(), 1), closingDocumentNo: '潍环销〔2026〕2号' });
    expect(paths(tomorrow)).toContain('closedOn');
    refused(await chain.try(nr, f.id, 'close', { closedOn: today(), closingDocumentNo: '潍环销〔2026〕2号' }), 403);
    f = await chain.step(coord, f.id, 'close', { closedOn: today(), closingDocumentNo: '潍环销〔2026〕2号' });
    const closedOn = today();
    expect(f).toMatchObject({ state: 'closed', closedOn, closingDocumentNo: '潍环销〔2026〕2号', acceptingDepartmentId: ids.nr });
    expect(await stored(f.id)).toMatchObject({ closed_on: closedOn, closing_document_no: '潍环销〔2026〕2号' });

    // Every remaining task is closed; re-check tasks are open for the verifying department at +6 and +12 months.
    const active = f.tasks.filter((t) => ['open', 'in_progress', 'returned'].includes(t.status));
    expect(active.map((t) => `${t.kind}:${t.department?.id}:${t.dueOn}`).sort()).toEqual([`recheck:${qz}:${addMonths(closedOn, 6)}`, `recheck:${qz}:${addMonths(closedOn, 12)}`].sort());
    expect(f.rechecks.map((t) => t.dueOn).sort()).toEqual([addMonths(closedOn, 6), addMonths(closedOn, 12)].sort());

    // The closure snapshot holds the whole record.
    expect(f.closure).toMatchObject({ closedBy: { username: 'coord' }, closing: { ruleCode: f.rule.ruleCode } });
    const snapshot = JSON.stringify(f.closure);
    for (const piece of [closedOn, '潍环销〔2026〕2号', '违建单位（责任主体）', '承担部分已完成整改', '同意通过验收', '验收组 张三、李四', f.rule.ruleCode!]) expect(snapshot).toContain(piece);

    // 回头看: the re-check task's department confirms it stays rectified (with photos), or it recurred → back to verification.
    const [six, twelve] = [...f.rechecks].sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    refused(await chain.try(outsider, f.id, 'recheck', { taskId: six.id, result: 'stays_rectified', note: '未复发', evidenceIds: [await chain.upload(officerQz, f.id)] }), 403);
    f = await chain.step(officerQz, f.id, 'recheck', { taskId: six.id, result: 'stays_rectified', note: '半年回头看，未复发', evidenceIds: [await chain.upload(officerQz, f.id)] });
    expect(f.state).toBe('closed');
    expect(f.rechecks.find((t) => t.id === six.id)!.status).toBe('done');
    const noDue = await chain.try(officerQz, f.id, 'recheck', { taskId: twelve.id, result: 'recurred', note: '发现复采', evidenceIds: [await chain.upload(officerQz, f.id)] });
    expect(paths(noDue)).toContain('dueDate');
    f = await chain.step(officerQz, f.id, 'recheck', { taskId: twelve.id, result: 'recurred', note: '一年回头看发现复采', evidenceIds: [await chain.upload(officerQz, f.id)], dueDate: addDays(today(), 10) });
    expect(f).toMatchObject({ state: 'verifying', round: round + 2, closedOn: null, closingDocumentNo: null });
    // The frozen closure keeps what the finding was closed with.
    const [frozen] = await ctx().database.rows<{ no: string; reopened: boolean }>(
      sql`select record->>'closingDocumentNo' as no, reopened_at is not null as reopened from finding_closures where finding_id = ${f.id}`,
    );
    expect(frozen).toEqual({ no: '潍环销〔2026〕2号', reopened: true });
    expect(f.tasks.filter((t) => t.kind === 'verify' && t.status === 'open').map((t) => [t.department?.id, t.dueOn])).toEqual([[qz, addDays(today(), 10)]]);
    expect(await stored(f.id)).toMatchObject({ state: 'verifying' });
  });

  // An area of every category with zones in the sample data (zones.geojson, schematic), its strictest
  // zone that lies outside every other area; each walked to 销号 by the parties of its county.
  // Hand-worked expectations: annex 一 (core: 退出 + 两断三清 + 修复) and 二(一) (实验区 未批先建: 退出) for
  // the reserve; the annex is written for 自然保护区, so elsewhere no rule may claim it or demand 退出
  // of an unapproved facility in a zone that allows limited use (the issue's 青州风景名胜区 case).
  const categories = [
    { label: '自然保护区 核心区', category: 'nature_reserve', zone: 'core', activity: 'mining', required: ['exit', 'two_cuts_three_clears', 'restore'], annex: true },
    { label: '自然保护区 实验区', category: 'nature_reserve', zone: 'experimental', activity: 'tourism', required: ['exit'], annex: true },
    { label: '海洋特别保护区', category: 'marine_special', zone: null, activity: 'aquaculture', required: [], annex: false },
    { label: '森林公园', category: 'forest_park', zone: null, activity: 'tourism', required: [], annex: false },
    { label: '湿地公园', category: 'wetland_park', zone: null, activity: 'construction', required: [], annex: false },
    { label: '地质公园', category: 'geopark', zone: null, activity: 'construction', required: [], annex: false },
    { label: '风景名胜区', category: 'scenic_area', zone: null, activity: 'tourism', required: [], annex: false },
  ];
  for (const c of categories) {
    it(`takes a finding in a ${c.label} from clue to 销号 under its own rule`, WALK, async () => {
      const [z] = await ctx().database.rows<{ code: string; zone: string }>(
        sql`select a.code, z.zone from area_zones z join protected_areas a on a.id = z.area_id
            where a.category = ${c.category} ${c.zone ? sql`and z.zone = ${c.zone}` : sql``}
            order by ST_IsEmpty(ST_Difference(z.geom, coalesce((select ST_Union(o.geom) from protected_areas o where o.id <> a.id and o.geom && z.geom), ST_GeomFromText('POLYGON EMPTY', 4326)))), a.code, z.id
            limit 1`,
      );
      expect(z, `an area of category ${c.category} has sample zones`).toBeDefined();
      const { finding: f, parties } = await chain.walkTo('closed', { areaCode: z.code, zone: z.zone, category: c.activity, title: `${c.label}问题`, outcome: 'historical' });
      expect(f.areas).toContain(z.code);
      expect(f.rule).toMatchObject({ status: 'resolved', missing: [], areaCategory: c.category, zone: z.zone });
      expect(['national_annex', 'national_regulation', 'provincial', 'local', 'portal_default']).toContain(f.rule.sourceKind);
      expect(hasCjk(f.rule.sourceZh)).toBe(true);
      if (c.annex) {
        expect(f.rule.sourceKind).toBe('national_annex');
        expect(f.rule.sourceZh).toContain('国环规生态〔2022〕1号');
        expect(f.rule.requiredMeasures).toEqual(expect.arrayContaining(c.required));
      } else {
        expect(f.rule.sourceKind).not.toBe('national_annex');
        expect(f.rule.requiredMeasures).not.toContain('exit');
      }
      expect(f).toMatchObject({ state: 'closed', verificationOutcome: 'historical', leadDepartmentId: parties.lead, acceptingDepartmentId: parties.cityAcceptor, closedOn: today() });
      expect(f.closingDocumentNo).toMatch(/^潍环销〔\d{4}〕\d+号$/);
      expect(f.acceptance!.levels.map((l) => [l.level, l.status])).toEqual([['county', 'passed'], ['city', 'passed']]);
      expect(f.rechecks.map((t) => [t.department?.id, t.dueOn]).sort()).toEqual([[parties.verifying, addMonths(today(), 6)], [parties.verifying, addMonths(today(), 12)]].sort());
      const plan = f.plan!;
      expect(plan.measures.every((m) => f.rule.allowedMeasures.includes(m) || f.rule.requiredMeasures.includes(m))).toBe(true);
      expect(f.rule.requiredMeasures.every((m) => plan.measures.includes(m))).toBe(true);
    });
  }

  it('refuses a plan while a fact the rule needs is missing, until a coordinator determines it', WALK, async () => {
    // 历史遗留 in an experimental zone: approved → 科学评估, unapproved → 退出 (annex 二), so the approval decides.
    let f = await chain.walkTo('confirmed', { areaCode: 'WF-PA-02', zone: 'experimental', category: 'tourism', approval: 'unknown', outcome: 'historical', title: '审批情况不明' }).then((w) => w.finding);
    expect(f.rule).toMatchObject({ status: 'missing_facts' });
    expect(f.rule.missing).toContain('approval');
    const parties = await chain.defaultParties(f.countyCode);
    const assign = { leadDepartmentId: parties.lead, cooperatingDepartmentIds: [], planDueDate: addDays(today(), 20) };
    const refusal = refused(await chain.try(coord, f.id, 'assign_plan', assign), 400);
    expect(refusal.all).toMatch(/审批/);
    expect(refusal.all).toMatch(/协调员/);
    expect((await stored(f.id)).state).toBe('confirmed');
    const officer = await chain.account(parties.verifying);
    const notCoordinator = await officer.request(`/api/findings/${f.id}/determinations`, { json: { fact: 'approval', value: 'unapproved', basis: '经查无审批手续' } });
    expect(notCoordinator.status).toBe(403);
    const determined = await coord.request(`/api/findings/${f.id}/determinations`, { json: { fact: 'approval', value: 'unapproved', basis: '经查无审批手续（县自然资源局函）' } });
    expect(determined.status, await determined.clone().text()).toBe(200);
    f = await chain.detail(f.id);
    expect(f.rule.status).toBe('resolved');
    const [event] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from events where entity = 'finding' and entity_id = ${String(f.id)} and action like '%determin%'`);
    expect(event.n).toBeGreaterThanOrEqual(1);
    f = await chain.step(coord, f.id, 'assign_plan', assign);
    expect(f.state).toBe('planning');
  });

  it('dismisses with each outcome’s own fields and evidence, and lets a coordinator overturn each', WALK, async () => {
    const outcomes: { outcome: string; extra: Record<string, unknown>; required: string[] }[] = [
      { outcome: 'not_true', extra: {}, required: [] },
      { outcome: 'lawful', extra: { approvalNo: '鲁环审〔2019〕12号', approvalAuthority: '山东省生态环境厅', approvedOn: '2019-05-10' }, required: ['approvalNo', 'approvalAuthority', 'approvedOn'] },
      { outcome: 'vanished', extra: { observedOn: addDays(today(), -2) }, required: ['observedOn'] },
      { outcome: 'rectified', extra: { rectifiedOn: addDays(today(), -30) }, required: ['rectifiedOn'] },
    ];
    for (const o of outcomes) {
      const { finding, parties } = await chain.walkTo('verifying', { title: `核查结论 ${o.outcome}` });
      const verifier = await chain.account(parties.verifying);
      const evidence = await chain.upload(verifier, finding.id);
      const noEvidence = await chain.try(verifier, finding.id, 'dismiss', { outcome: o.outcome, reason: '经核查', evidenceIds: [], ...o.extra });
      expect(paths(noEvidence), o.outcome).toContain('evidenceIds');
      refused(noEvidence, 400);
      if (o.required.length) {
        const bare = await chain.try(verifier, finding.id, 'dismiss', { outcome: o.outcome, reason: '经核查', evidenceIds: [evidence] });
        refused(bare, 400);
        expect(paths(bare).sort(), o.outcome).toEqual([...o.required].sort());
      }
      let f = await chain.step(verifier, finding.id, 'dismiss', { outcome: o.outcome, reason: '经核查', evidenceIds: [evidence], ...o.extra });
      expect(f).toMatchObject({ state: 'dismissed', verificationOutcome: o.outcome });
      expect(f.tasks.filter((t) => ['open', 'in_progress', 'returned'].includes(t.status))).toEqual([]);
      expect(f.allowedActions).toEqual([]);
      // Spot-check overturn: only a coordinator, with a reason and a new verification deadline.
      refused(await chain.try(verifier, f.id, 'overturn', { reason: '抽查发现仍存在', verifyingDepartmentId: parties.verifying, dueDate: addDays(today(), 7) }), 403);
      const noReason = await chain.try(coord, f.id, 'overturn', { verifyingDepartmentId: parties.verifying, dueDate: addDays(today(), 7) });
      expect(paths(noReason)).toContain('reason');
      expect((await chain.detail(f.id, coord)).allowedActions).toContain('overturn');
      const round = f.round;
      f = await chain.step(coord, f.id, 'overturn', { reason: '抽查发现仍存在', verifyingDepartmentId: ids.nr, dueDate: addDays(today(), 7) });
      expect(f).toMatchObject({ state: 'verifying', verifyingDepartmentId: ids.nr, round: round + 1 });
      expect(f.tasks.filter((t) => t.status === 'open').map((t) => `${t.kind}:${t.department?.id}:${t.dueOn}`)).toEqual([`verify:${ids.nr}:${addDays(today(), 7)}`]);
    }
  });

  it('keeps the history of extensions, approved or refused, and moves only the approved deadline', WALK, async () => {
    const { finding, parties } = await chain.walkTo('rectifying', { title: '延期申请' });
    const lead = await chain.account(parties.lead);
    const cooperating = await chain.account(parties.cooperating[0]);
    const deadline = finding.deadline!;
    const notLater = await chain.try(lead, finding.id, 'request_extension', { requestedDeadline: deadline, reason: '雨季无法施工' });
    expect(paths(notLater)).toContain('requestedDeadline');
    refused(notLater, 400);
    refused(await chain.try(cooperating, finding.id, 'request_extension', { requestedDeadline: addDays(deadline, 30), reason: '雨季' }), 403);
    await chain.step(lead, finding.id, 'request_extension', { requestedDeadline: addDays(deadline, 30), reason: '雨季无法施工' });
    refused(await chain.try(lead, finding.id, 'decide_extension', { decision: 'approve', opinion: '同意' }), 403);
    let f = await chain.step(coord, finding.id, 'decide_extension', { decision: 'refuse', opinion: '理由不充分' });
    expect(f.deadline).toBe(deadline);
    await chain.step(lead, finding.id, 'request_extension', { requestedDeadline: addDays(deadline, 20), reason: '补充：设备进场受阻，附说明' });
    f = await chain.step(coord, finding.id, 'decide_extension', { decision: 'approve', opinion: '同意延期 20 天' });
    expect(f.deadline).toBe(addDays(deadline, 20));
    expect(f.extensions).toHaveLength(2);
    expect(f.extensions).toEqual([
      expect.objectContaining({ requestedDeadline: addDays(deadline, 30), reason: '雨季无法施工', decision: 'refuse', opinion: '理由不充分' }),
      expect.objectContaining({ requestedDeadline: addDays(deadline, 20), decision: 'approve', opinion: '同意延期 20 天' }),
    ]);
    expect((await stored(f.id)).deadline).toBe(addDays(deadline, 20));

    // While planning the drafter asks, and an approval moves the plan's due date.
    const { finding: p } = await chain.walkTo('planning', { title: '方案延期' });
    const drafter = await chain.account(p.drafterDepartmentId!);
    const planDue = p.planDueOn!;
    await chain.step(drafter, p.id, 'request_extension', { requestedDeadline: addDays(planDue, 10), reason: '科学评估尚未完成' });
    const q = await chain.step(coord, p.id, 'decide_extension', { decision: 'approve', opinion: '同意' });
    expect(q).toMatchObject({ state: 'planning', planDueOn: addDays(planDue, 10) });
    expect((await stored(p.id)).plan_due_on).toBe(addDays(planDue, 10));
  });

  it('runs the deadline while rectifying, pauses it during acceptance, and a failed acceptance sets a new one', WALK, async () => {
    const { finding, parties } = await chain.walkTo('rectifying', { title: '期限暂停' });
    await ctx().database.rows(sql`update findings set deadline = ${addDays(today(), -3)} where id = ${finding.id}`);
    let f = await chain.detail(finding.id);
    expect(f).toMatchObject({ overdue: true, daysOverdue: 3 });
    expect((await (await coord.request('/api/findings?overdue=1&limit=500')).json()).findings.map((r: { id: number }) => r.id)).toContain(f.id);
    f = await chain.reportParts(f);
    expect(f).toMatchObject({ state: 'pending_acceptance', overdue: false, deadline: null });
    const overdueIds = async () => ((await (await coord.request('/api/findings?overdue=1&limit=500')).json()) as { findings: { id: number }[] }).findings.map((r) => r.id);
    expect(await overdueIds()).not.toContain(f.id);
    const county = await chain.account(parties.countyAcceptor);
    const past = await chain.try(county, f.id, 'fail_acceptance', { reason: '仍有堆料', deadline: addDays(today(), -1) });
    expect(paths(past)).toContain('deadline');
    refused(past, 400);
    f = await chain.step(county, f.id, 'fail_acceptance', { reason: '仍有堆料未清运', deadline: addDays(today(), 14) });
    expect(f).toMatchObject({ state: 'rectifying', deadline: addDays(today(), 14), overdue: false, reports: [] });
    expect(f.tasks.filter((t) => t.kind === 'rectify').map((t) => [t.department?.id, t.status, t.dueOn]).sort()).toEqual(
      [parties.lead, ...parties.cooperating].map((d) => [d, 'returned', addDays(today(), 14)]).sort(),
    );
  });

  it('adds the provincial spot check when configured, which only a provincial department may do', WALK, async () => {
    const threeLevels = createApp({ database: ctx().database, config: testConfig({ acceptanceLevels: ['county', 'city', 'province'] }), log: createLogger('silent') });
    const province = new Chain(() => ({ ...ctx(), app: threeLevels }), 'prov');
    const { finding, parties } = await province.walkTo('pending_acceptance', { title: '省级抽查' });
    expect(parties.provinceAcceptor).not.toBeNull();
    expect(finding.acceptance!.levels.map((l) => l.level)).toEqual(['county', 'city', 'province']);
    moveToday(Chain.observationWait(finding.rule));
    let f = await province.acceptLevel(finding, await province.account(parties.countyAcceptor));
    f = await province.acceptLevel(f, await province.account(parties.cityAcceptor));
    expect(f).toMatchObject({ state: 'pending_acceptance', acceptanceLevel: 'province', acceptingDepartmentId: parties.cityAcceptor });
    const cityOfficer = await province.account(ids.agri);
    const photo = await province.upload(await province.account(parties.provinceAcceptor!), f.id);
    const { message } = refused(await province.try(cityOfficer, f.id, 'site_check', { checkedOn: today(), people: '市农业农村局', note: '抽查', evidenceIds: [photo] }), 403, 'forbidden');
    expect(message).toContain('省级');
    f = await province.acceptLevel(f, await province.account(parties.provinceAcceptor!));
    expect(f).toMatchObject({ state: 'publicising', acceptingDepartmentId: parties.cityAcceptor });
    expect(f.acceptance!.levels.map((l) => [l.level, l.status, l.department?.id])).toEqual([
      ['county', 'passed', parties.countyAcceptor],
      ['city', 'passed', parties.cityAcceptor],
      ['province', 'passed', parties.provinceAcceptor],
    ]);
  });

  it('writes the office’s own objection channel into the 公示 notice when it is configured', WALK, async () => {
    const channel = '书面寄送至示例地址联合执法办公室，联系电话 0536-0000000';
    const office = createApp({ database: ctx().database, config: testConfig({ publicityObjectionsTo: channel }), log: createLogger('silent') });
    const { finding } = await new Chain(() => ({ ...ctx(), app: office }), 'notice').walkTo('publicising', { title: '公示异议渠道' });
    expect(finding.publicity!.noticeZh.split('\n').at(-1)).toBe(`对公示内容有异议的，请于公示期内${channel}`);
    // Unset, the notice keeps the generic sentence and names no office.
    const { finding: plain } = await chain.walkTo('publicising', { title: '公示默认渠道' });
    expect(plain.publicity!.noticeZh.split('\n').at(-1)).toBe('对公示内容有异议的，请于公示期内以书面形式向发布本公示的单位反映，并提供联系方式和相关证据');
  });

  it('lists findings by the new states', WALK, async () => {
    const planning = (await chain.walkTo('planning', { title: '列表 方案' })).finding;
    const publicising = (await chain.walkTo('publicising', { title: '列表 公示' })).finding;
    for (const [state, f] of [['planning', planning], ['publicising', publicising]] as const) {
      const res = await coord.request(`/api/findings?state=${state}&limit=500`);
      expect(res.status).toBe(200);
      const list = (await res.json()) as { findings: { id: number; state: string }[]; total: number };
      expect(list.findings.map((r) => r.id)).toContain(f.id);
      expect(list.findings.every((r) => r.state === state)).toBe(true);
    }
    const both = (await (await coord.request('/api/findings?state=planning,publicising&limit=500')).json()) as { findings: { id: number }[] };
    expect(both.findings.map((r) => r.id)).toEqual(expect.arrayContaining([planning.id, publicising.id]));
  });

  it('answers the rule table, every row naming its source', WALK, async () => {
    const res = await coord.request('/api/rules');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rules: { source: string; code?: string }[] } | { source: string }[];
    const rows = Array.isArray(body) ? body : body.rules;
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(hasCjk(r.source), JSON.stringify(r)).toBe(true);
    expect(rows.some((r) => r.source.includes('国环规生态〔2022〕1号'))).toBe(true);
    expect(rows.some((r) => /门户默认|本市规定|山东/.test(r.source))).toBe(true);
  });

  describe('the self-acceptance matrix (city acceptance must be independent of the rectifiers)', () => {
    it('refuses the lead, a cooperating department, the lead’s parent, a cooperating department’s branch and coordinators whose department rectified; an independent city department accepts', WALK, async () => {
      // A small tree of city departments made for this test: 上级局 ⊃ 牵头局; 配合局 ⊃ 配合局直属中心.
      const parent = await chain.makeDepartment({ code: 'm-parent', nameZh: '测试市上级局', kind: 'other', level: 'city' });
      const lead = await chain.makeDepartment({ code: 'm-lead', nameZh: '测试市牵头局', kind: 'other', level: 'city', parentId: parent });
      const coop = await chain.makeDepartment({ code: 'm-coop', nameZh: '测试市配合局', kind: 'other', level: 'city' });
      const coopBranch = await chain.makeDepartment({ code: 'm-coop-unit', nameZh: '测试市配合局直属中心', kind: 'other', level: 'city', parentId: coop });
      const independent = await chain.makeDepartment({ code: 'm-indep', nameZh: '测试市独立局', kind: 'other', level: 'city' });
      const { finding, parties } = await chain.walkTo('pending_acceptance', { title: '自验收矩阵', parties: { lead, cooperating: [coop] } });
      let f = finding;
      moveToday(Chain.observationWait(f.rule));
      // County self-check (the county's own check; rectifiers may do it).
      f = await chain.acceptLevel(f, await chain.account(parties.countyAcceptor));
      expect(f).toMatchObject({ state: 'pending_acceptance', acceptanceLevel: 'city' });

      const cases: [string, Account][] = [
        ['牵头部门', await chain.account(lead)],
        ['配合部门', await chain.account(coop)],
        ['牵头部门的上级', await chain.account(parent)],
        ['配合部门的下属单位', await chain.account(coopBranch)],
        ['本部门牵头整改的协调员', await chain.account(lead, 'coordinator')],
        ['下属部门牵头整改的协调员', await chain.account(parent, 'coordinator')],
        ['本部门配合整改的协调员', await chain.account(coop, 'coordinator')],
      ];
      for (const [who, acceptor] of cases) {
        const photo = await chain.upload(acceptor, f.id).catch(() => chain.upload(coord, f.id));
        const check = await chain.try(acceptor, f.id, 'site_check', { checkedOn: today(), people: who, note: '现场核查', evidenceIds: [photo] });
        const accept = await chain.try(acceptor, f.id, 'accept', { ticks: f.rule.conditions.map((c) => ({ code: c.code, evidenceIds: [photo] })), opinion: '同意' });
        for (const r of [check, accept]) {
          const { message } = refused(r, 403, 'forbidden');
          expect(message, who).toMatch(/验收/);
        }
        expect((await chain.detail(f.id, acceptor)).allowedActions, who).not.toContain('accept');
      }
      expect(await stored(f.id)).toMatchObject({ state: 'pending_acceptance', accepting_department_id: null });
      f = await chain.detail(f.id);
      expect(f.acceptance!.levels[1]).toMatchObject({ status: 'pending', siteChecks: [] });

      const indep = await chain.account(independent);
      expect((await chain.detail(f.id, indep)).allowedActions).toEqual(expect.arrayContaining(['site_check']));
      f = await chain.acceptLevel(f, indep);
      expect(f).toMatchObject({ state: 'publicising', acceptingDepartmentId: independent });
      expect(f.acceptance!.levels[1]).toMatchObject({ status: 'passed', department: { id: independent } });
    });

    it('makes a one-account run from clue to 销号 impossible, even with city acceptance only', WALK, async () => {
      const cityOnly = createApp({ database: ctx().database, config: testConfig({ acceptanceLevels: ['city'] }), log: createLogger('silent') });
      const as = client(cityOnly, await signIn(cityOnly, 'coord'));
      const own = coord.departmentId!;
      const created = await as('/api/findings', {
        json: { title: '一人包办', category: 'construction', source: 'patrol', description: '一人包办测试', discoveredAt: addDays(today(), -3), approval: 'unapproved', geometry: { type: 'Point', coordinates: await pointIn(ctx(), 'WF-PA-02', 'core') } },
      });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as { id: number }).id;
      const attach = async () => {
        const form = new FormData();
        form.set('file', new File([jpeg()], '一人.jpg'));
        const r = await cityOnly.request(`/api/findings/${id}/attachments`, { method: 'POST', body: form, headers: { cookie: coord.cookie, origin: 'http://localhost' } });
        return ((await r.json()) as { id: number }).id;
      };
      const go = async (action: string, fields: Record<string, unknown>) => {
        const { version } = (await (await as(`/api/findings/${id}`)).json()) as Detail;
        const res = await as(`/api/findings/${id}/transitions`, { json: { action, version, ...fields } });
        return { status: res.status, body: (await res.json()) as StepResult['body'] };
      };
      // The coordinator plays every part with its own department, the most favourable choice at each step.
      const steps: [string, () => Promise<Record<string, unknown>>][] = [
        ['dispatch', async () => ({ verifyingDepartmentId: own, dueDate: addDays(today(), 5) })],
        ['confirm', async () => ({ outcome: 'illegal', conclusion: '属实', evidenceIds: [await attach()] })],
        ['assign_plan', async () => ({ leadDepartmentId: own, cooperatingDepartmentIds: [], drafterDepartmentId: own, planDueDate: addDays(today(), 5) })],
        ['submit_plan', async () => ({ responsibleParty: '自己', targets: '拆除', measures: Chain.measuresFor((await chain.detail(id)).rule), deadline: addDays(today(), 10), assessmentEvidenceIds: [await attach()] })],
        ['review_plan', async () => ({ decision: 'approve', opinion: '同意' })],
        ['report_part', async () => ({ report: '完成', evidenceIds: [await attach()] })],
        ['site_check', async () => ({ checkedOn: today(), people: '自己', note: '自查', evidenceIds: [await attach()] })],
        ['accept', async () => ({ ticks: (await chain.detail(id)).rule.conditions.map((c) => ({ code: c.code, evidenceIds: [] })), opinion: '同意' })],
      ];
      let stopped: { action: string; r: StepResult } | null = null;
      for (const [action, fields] of steps) {
        let r = await go(action, await fields());
        // review_plan may need every reviewer; the coordinator signs only for its own department.
        while (r.status === 200 && action === 'review_plan' && r.body.state === 'planning' && r.body.allowedActions.includes('review_plan')) r = await go(action, await fields());
        if (r.status !== 200) {
          stopped = { action, r };
          break;
        }
      }
      expect(stopped, 'the coordinator alone reached the end').not.toBeNull();
      // Refused for who the coordinator is, not for what it sent.
      refused(stopped!.r, 403, 'forbidden');
      const [row] = await ctx().database.rows<{ state: string }>(sql`select state from findings where id = ${id}`);
      expect(['closed', 'publicising']).not.toContain(row.state);
    });
  });
});
