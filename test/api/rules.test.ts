/**
 * The rule table over the API: its shape and sources, reviewed changes (a second person approves,
 * with events), and coordinators' determinations of a finding's facts changing the resolved rule.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../server/db/backend.ts';
import { ruleForFinding } from '../../server/features/rules/rules.ts';
import { client, signIn } from '../helpers/auth.ts';
import { describeEachBackend, describeOnPostgres, type TestContext } from '../helpers/backends.ts';
import { pointInside } from '../helpers/places.ts';

const PASSWORD = 'second-admin-pass';

/** Resolves once `done()` holds, checking on every turn of the event loop (no fixed sleeps). */
async function until(done: () => Promise<boolean>, what: string, turns = 200_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await done()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** A second admin account, made through the admin API, signed in. */
async function secondAdmin(ctx: TestContext, username: string) {
  const admin = await ctx.as('admin');
  const res = await admin('/api/users', { json: { username, displayName: '第二管理员', role: 'admin', departmentId: null, password: PASSWORD } });
  expect(res.status).toBe(201);
  return client(ctx.app, await signIn(ctx.app, username, PASSWORD));
}

async function ruleId(ctx: TestContext, code: string): Promise<number> {
  const [r] = await ctx.database.rows<{ id: number }>(sql`select id from rules where code = ${code}`);
  return Number(r.id);
}

/** A clue recorded by the inspector at a point inside the area. */
async function clueIn(ctx: TestContext, area: string, category: string, extra: Record<string, unknown> = {}) {
  const insp = await ctx.as('insp');
  const res = await insp('/api/findings', {
    json: {
      title: `规则测试 ${category}`,
      category,
      source: 'patrol',
      description: '测试用问题',
      discoveredAt: '2026-03-01',
      geometry: { type: 'Point', coordinates: await pointInside(ctx.database, area) },
      ...extra,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; version: number; zone: string | null };
}

describeEachBackend('GET /api/rules', (ctx) => {
  it('answers every rule with its source, the activity classes with the category mapping, and the zoning schemes', async () => {
    const viewer = await ctx().as('viewer');
    const res = await viewer('/api/rules');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.rules.length).toBeGreaterThan(100);
    const mining = body.rules.find((r: { code: string }) => r.code === 'nr.mineral');
    expect(mining).toMatchObject({
      areaCategory: 'nature_reserve',
      zone: '*',
      activityClass: 'mineral',
      route: 'leave_area',
      sourceKind: 'national_annex',
      source: '国环规生态〔2022〕1号 附件 一',
      sourceZh: '国环规生态〔2022〕1号 附件 一',
      version: 1,
      active: true,
    });
    expect(mining.conditions.map((c: { code: string }) => c.code)).toEqual([
      'water_power_cut',
      'materials_cleared',
      'equipment_cleared',
      'demolished_or_converted',
      'restoration_stable',
    ]);
    expect(mining.conditions.at(-1)).toMatchObject({ labelZh: '生态修复效果呈稳定或趋好状态', observationDays: 90, sourceZh: '国环规生态〔2022〕1号 附件 一；观察期 90 天：门户默认' });
    // Local choices are never labelled as the national annex.
    const discharge = body.rules.find((r: { code: string }) => r.code === 'any.discharge');
    expect(discharge.sourceKind).toBe('portal_default');
    expect(discharge.sourceZh).not.toContain('国环规');
    for (const r of body.rules) expect(r.source).toBe(r.sourceZh);

    expect(body.activityClasses.find((a: { code: string }) => a.code === 'mineral')).toMatchObject({ labelZh: '矿产资源开发', findingCategories: ['mining'] });
    expect(body.activityClasses.find((a: { code: string }) => a.code === 'industrial_park').findingCategories).toEqual(['industrial_park']);
    expect(body.activityClasses.find((a: { code: string }) => a.code === 'water_works')).toMatchObject({ labelZh: '水利开发', sourceZh: '本市分类（附件未列明）' });
    expect(body.categoryActivityClass).toMatchObject({ industrial: 'industrial', road: 'transport', dam: 'water_works' });
    const marine = body.zoneSchemes.find((s: { code: string }) => s.code === 'marine');
    expect(marine.zones.map((z: { labelZh: string }) => z.labelZh)).toEqual(['重点保护区', '生态与资源恢复区', '预留区', '适度利用区']);
    expect(body.lawDates[0]).toMatchObject({ areaCategory: 'nature_reserve', effectiveOn: '1994-10-01' });
    // Viewers see no pending changes.
    expect(body.pendingChanges).toEqual([]);
  });

  it('narrows to the rules that can apply to one area category', async () => {
    const viewer = await ctx().as('viewer');
    const body = await (await viewer('/api/rules?areaCategory=scenic_area')).json();
    expect(new Set(body.rules.map((r: { areaCategory: string }) => r.areaCategory))).toEqual(new Set(['scenic_area', '*']));
    const bad = await viewer('/api/rules?areaCategory=park');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_request');
  });

  it('is refused without a session', async () => {
    const res = await client(ctx().app, null)('/api/rules');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: '请先登录' } });
  });
});

describeEachBackend('rule changes', (ctx) => {
  let admin2: Awaited<ReturnType<typeof secondAdmin>>;
  beforeAll(async () => {
    admin2 = await secondAdmin(ctx(), 'admin2');
  });

  it('an admin proposes, the same admin cannot approve, another admin approves: the rule changes and its version goes up, with events', async () => {
    const admin = await ctx().as('admin');
    const id = await ruleId(ctx(), 'any.discharge');
    const proposed = await admin(`/api/rules/${id}/changes`, {
      json: { changes: { sourceKind: 'local', sourceZh: '本市规定（测试）' }, reason: '本市已发文' },
    });
    expect(proposed.status).toBe(201);
    const change = await proposed.json();
    expect(change).toMatchObject({ ruleId: id, ruleCode: 'any.discharge', baseVersion: 1, status: 'pending', reason: '本市已发文', proposedBy: { displayName: '系统管理员' } });

    const listed = await (await admin('/api/rules')).json();
    expect(listed.pendingChanges.map((c: { id: number }) => c.id)).toContain(change.id);

    const own = await admin(`/api/rule-changes/${change.id}/review`, { json: { decision: 'approve', opinion: '同意' } });
    expect(own.status).toBe(403);
    expect(await own.json()).toEqual({ error: { code: 'forbidden', message: '不能审核自己提出的规则变更，须由另一名管理员或协调员审核' } });

    const approved = await admin2(`/api/rule-changes/${change.id}/review`, { json: { decision: 'approve', opinion: '依据已核实' } });
    expect(approved.status).toBe(200);
    const after = await approved.json();
    expect(after.change).toMatchObject({ status: 'approved', reviewedBy: { displayName: '第二管理员' }, reviewOpinion: '依据已核实' });
    expect(after.rule).toMatchObject({ code: 'any.discharge', sourceKind: 'local', sourceZh: '本市规定（测试）', version: 2 });

    const again = await admin2(`/api/rule-changes/${change.id}/review`, { json: { decision: 'reject', opinion: '再审' } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe('该规则变更已批准，不能再审核');

    const events = await ctx().database.rows<{ action: string; actor_label: string }>(
      sql`select action, actor_label from events where entity = 'rule' and entity_id = ${String(id)} order by id`,
    );
    expect(events).toEqual([
      { action: 'rule.change_proposed', actor_label: 'admin' },
      { action: 'rule.change_approved', actor_label: 'admin2' },
    ]);
  });

  it('an approved change of an observation period is what the table then answers', async () => {
    const admin = await ctx().as('admin');
    const id = await ruleId(ctx(), 'nr.energy.core');
    const before = (await (await admin('/api/rules')).json()).rules.find((r: { id: number }) => r.id === id);
    const conditions = before.conditions.map((c: { code: string; evidenceKinds: string[]; observationDays: number | null }) => ({
      code: c.code,
      evidenceKinds: c.evidenceKinds,
      observationDays: c.observationDays ? 180 : null,
      ...(c.observationDays ? { observationSourceZh: '经规则变更审核设定' } : {}),
    }));
    const change = await (await admin(`/api/rules/${id}/changes`, { json: { changes: { conditions }, reason: '本市要求观察一个生长季' } })).json();
    expect((await admin2(`/api/rule-changes/${change.id}/review`, { json: { decision: 'approve', opinion: '同意' } })).status).toBe(200);
    const after = (await (await admin('/api/rules')).json()).rules.find((r: { id: number }) => r.id === id);
    expect(after.conditions.map((c: { code: string; observationDays: number | null; sourceZh: string }) => [c.code, c.observationDays, c.sourceZh])).toEqual([
      ['project_exited', null, '国环规生态〔2022〕1号 附件 二(一)'],
      ['restoration_stable', 180, '国环规生态〔2022〕1号 附件 二(一)；观察期 180 天：经规则变更审核设定'],
    ]);
  });

  it('a coordinator may reject; a change proposed against an older version cannot be approved', async () => {
    const admin = await ctx().as('admin');
    const coord = await ctx().as('coord');
    const id = await ruleId(ctx(), 'any.construction');
    const first = await (await admin(`/api/rules/${id}/changes`, { json: { changes: { priority: 5 }, reason: '调整优先级' } })).json();
    const second = await (await admin(`/api/rules/${id}/changes`, { json: { changes: { priority: 7 }, reason: '另一方案' } })).json();
    const rejected = await coord(`/api/rule-changes/${first.id}/review`, { json: { decision: 'reject', opinion: '理由不足' } });
    expect(rejected.status).toBe(200);
    expect((await rejected.json()).change).toMatchObject({ status: 'rejected', reviewedBy: { displayName: '联合执法协调员' } });
    const third = await (await admin(`/api/rules/${id}/changes`, { json: { changes: { priority: 9 }, reason: '第三方案' } })).json();
    expect((await coord(`/api/rule-changes/${third.id}/review`, { json: { decision: 'approve', opinion: '同意' } })).status).toBe(200);
    const stale = await coord(`/api/rule-changes/${second.id}/review`, { json: { decision: 'approve', opinion: '同意' } });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toBe('规则 any.construction 在提出变更后已被修改（当前版本 2，变更基于版本 1），请驳回后重新提出');
    const [row] = await ctx().database.rows<{ priority: number; version: number }>(sql`select priority, version from rules where id = ${id}`);
    expect(row).toEqual({ priority: 9, version: 2 });
  });

  it('refuses proposals from non-admins, empty or inconsistent changes, and reviews from officers', async () => {
    const id = await ruleId(ctx(), 'nr.mineral');
    const coord = await ctx().as('coord');
    const byCoord = await coord(`/api/rules/${id}/changes`, { json: { changes: { priority: 1 }, reason: '试' } });
    expect(byCoord.status).toBe(403);
    const admin = await ctx().as('admin');
    const empty = await admin(`/api/rules/${id}/changes`, { json: { changes: {}, reason: '试' } });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.issues).toEqual([{ path: 'changes', message: '请至少修改一项' }]);
    const outside = await admin(`/api/rules/${id}/changes`, { json: { changes: { requiredMeasures: ['seal_outfall'] }, reason: '试' } });
    expect(outside.status).toBe(400);
    expect((await outside.json()).error.issues).toEqual([{ path: 'changes.requiredMeasures', message: '必须采取的措施须在允许的措施之内：seal_outfall' }]);
    const keyChange = await admin(`/api/rules/${id}/changes`, { json: { changes: { zone: 'core' }, reason: '试' } });
    expect(keyChange.status).toBe(400);
    const missing = await admin('/api/rules/999999/changes', { json: { changes: { priority: 1 }, reason: '试' } });
    expect(missing.status).toBe(404);
    const change = await (await admin(`/api/rules/${id}/changes`, { json: { changes: { priority: 1 }, reason: '试' } })).json();
    const officer = await ctx().as('eco');
    expect((await officer(`/api/rule-changes/${change.id}/review`, { json: { decision: 'approve', opinion: '同意' } })).status).toBe(403);
  });
});

describeEachBackend('determinations', (ctx) => {
  it('a coordinator determines a missing zone; the resolved rule changes; an event is written', async () => {
    // A tourism facility in the nature reserve, placed outside its zones' reach by a zone determination only.
    const f = await clueIn(ctx(), 'WF-PA-02', 'tourism', { approval: 'approved', approvedOn: '1985-06-01', approvalNo: '临政发〔1985〕12号', approvalAuthority: '临朐县人民政府' });
    await ctx().database.rows(sql`update finding_areas set zone = null where finding_id = ${f.id}`);
    const before = await ruleForFinding(ctx().database.db, f.id);
    expect(before).toMatchObject({ status: 'missing_facts', missing: ['zone'], route: '' });

    const coord = await ctx().as('coord');
    const res = await coord(`/api/findings/${f.id}/determinations`, { json: { fact: 'zone', value: 'experimental', basis: '经现场核查，位于实验区' } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.rule).toMatchObject({
      status: 'resolved',
      ruleCode: 'nr.tourism.experimental.approved.historical',
      route: 'assessment',
      sourceKind: 'national_annex',
      sourceZh: '国环规生态〔2022〕1号 附件 二(二)',
      timing: 'historical',
      requiresAssessment: true,
    });
    expect(body.determinations).toEqual([
      { fact: 'zone', value: 'experimental', basis: '经现场核查，位于实验区', determinedBy: { userId: expect.any(Number), displayName: '联合执法协调员' }, determinedAt: expect.any(String), eventId: expect.any(Number) },
    ]);
    const [event] = await ctx().database.rows<{ action: string; after: unknown }>(
      sql`select action, after from events where entity = 'finding' and entity_id = ${String(f.id)} and action = 'finding.determined'`,
    );
    expect(event).toEqual({ action: 'finding.determined', after: { fact: 'zone', value: 'experimental', basis: '经现场核查，位于实验区' } });

    // The latest determination of a fact wins.
    const later = await (await coord(`/api/findings/${f.id}/determinations`, { json: { fact: 'zone', value: 'core', basis: '复核：位于核心区' } })).json();
    expect(later.rule).toMatchObject({ ruleCode: 'nr.tourism.core', route: 'exit', sourceZh: '国环规生态〔2022〕1号 附件 二(一)' });
    expect(later.determinations.map((d: { value: string }) => d.value)).toEqual(['core', 'experimental']);
  });

  it('is refused for officers and admins, for bad values, and on closed findings', async () => {
    const f = await clueIn(ctx(), 'WF-PA-01', 'road');
    const officer = await ctx().as('eco');
    const byOfficer = await officer(`/api/findings/${f.id}/determinations`, { json: { fact: 'approval', value: 'approved', basis: '有批文' } });
    expect(byOfficer.status).toBe(403);
    expect(await byOfficer.json()).toEqual({ error: { code: 'forbidden', message: '您的角色无权执行此操作' } });
    const admin = await ctx().as('admin');
    expect((await admin(`/api/findings/${f.id}/determinations`, { json: { fact: 'approval', value: 'approved', basis: '有批文' } })).status).toBe(403);
    const coord = await ctx().as('coord');
    const bad = await coord(`/api/findings/${f.id}/determinations`, { json: { fact: 'timing', value: 'soon', basis: '？' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid_request', message: '请求内容有误：value', issues: [{ path: 'value', message: '“soon”不是历史遗留或新增的有效取值' }] } });
    const missing = await coord('/api/findings/999999/determinations', { json: { fact: 'timing', value: 'new', basis: '？' } });
    expect(missing.status).toBe(404);
    await ctx().database.rows(sql`update findings set state = 'closed' where id = ${f.id}`);
    const closed = await coord(`/api/findings/${f.id}/determinations`, { json: { fact: 'timing', value: 'new', basis: '建于设立后' } });
    expect(closed.status).toBe(409);
    expect((await closed.json()).error.code).toBe('conflict');
    const [{ n }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from finding_determinations where finding_id = ${f.id}`);
    expect(n).toBe(0);
  });

  it('records the facts the rules need on a finding and answers them, with total in the list', async () => {
    const original = { type: 'Polygon', coordinates: [[[118.7, 36.55], [118.7005, 36.55], [118.7005, 36.5505], [118.7, 36.5505], [118.7, 36.55]]] };
    const f = await clueIn(ctx(), 'WF-PA-01', 'tourism', {
      approval: 'approved',
      approvalNo: '鲁政字〔2001〕5号',
      approvalAuthority: '山东省人民政府',
      approvedOn: '2001-05-01',
      changeType: 'expanded',
      expanded: true,
      originalGeometry: original,
    });
    expect(f).toMatchObject({ approvalNo: '鲁政字〔2001〕5号', approvalAuthority: '山东省人民政府', approvedOn: '2001-05-01', changeType: 'expanded', expanded: true, originalGeometry: original });
    expect((f as unknown as { originalAreaHa: number }).originalAreaHa).toBeGreaterThan(0.2);
    const insp = await ctx().as('insp');
    const refused = await insp(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version, expanded: false } });
    expect(refused.status).toBe(400);
    const cleared = await insp(`/api/findings/${f.id}`, { method: 'PATCH', json: { version: f.version, expanded: false, originalGeometry: null, changeType: 'new' } });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toMatchObject({ expanded: false, originalGeometry: null, originalAreaHa: null, changeType: 'new' });

    const viewer = await ctx().as('viewer');
    const page = await (await viewer('/api/findings?limit=1&category=tourism')).json();
    const [{ n }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from findings where category = 'tourism' and deleted_at is null`);
    expect(page.findings).toHaveLength(1);
    expect(page.total).toBe(n);
    const next = await (await viewer(`/api/findings?limit=1&category=tourism&cursor=${page.nextCursor}`)).json();
    expect(next.total).toBe(n);
  });
});

describeOnPostgres('rule change review race', (ctx) => {
  it('two reviewers approving one change at once: exactly one succeeds, the rule moves one version', async () => {
    const admin = await ctx().as('admin');
    const admin3 = await secondAdmin(ctx(), 'admin3');
    const coord = await ctx().as('coord');
    const id = await ruleId(ctx(), 'nr.industrial_park');
    const change = await (await admin(`/api/rules/${id}/changes`, { json: { changes: { priority: 3 }, reason: '并发测试' } })).json();
    const results = await Promise.all([
      admin3(`/api/rule-changes/${change.id}/review`, { json: { decision: 'approve', opinion: '同意' } }),
      coord(`/api/rule-changes/${change.id}/review`, { json: { decision: 'approve', opinion: '同意' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const [row] = await ctx().database.rows<{ version: number }>(sql`select version from rules where id = ${id}`);
    expect(row.version).toBe(2);
    const events = await ctx().database.rows(sql`select id from events where entity = 'rule' and entity_id = ${String(id)} and action = 'rule.change_approved'`);
    expect(events).toHaveLength(1);
  });

  it('a determination racing the step that closes the finding waits for it and is refused: a closed record stays frozen', async () => {
    const f = await clueIn(ctx(), 'WF-PA-01', 'energy');
    const coord = await ctx().as('coord');
    let determination: Promise<Response> | Response | null = null;
    await ctx().database.db.transaction(async (tx) => {
      await queryRows(tx, sql`select id from findings where id = ${f.id} for update`);
      determination = coord(`/api/findings/${f.id}/determinations`, { json: { fact: 'timing', value: 'new', basis: '建于设立后' } });
      await until(async () => {
        const [{ n }] = await ctx().database.rows<{ n: number }>(
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'select state, serial from findings%'`,
        );
        return n === 1;
      }, 'the determination waits on the finding row');
      await queryRows(tx, sql`update findings set state = 'closed' where id = ${f.id}`);
    });
    const res = await determination!;
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'conflict', message: `问题 ${(f as unknown as { serial: string }).serial} 已销号，记录已冻结，不能再核定事实` } });
    const [{ n }] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from finding_determinations where finding_id = ${f.id}`);
    expect(n).toBe(0);
  });
});
