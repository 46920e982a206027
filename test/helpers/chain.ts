/**
 * Driving findings through the rectification chain through the API, as each party would:
 * officer accounts made per department through the admin API, evidence uploads, one step helper, and
 * `walkTo(state)` for any suite that needs a finding in a given state. Walks past observation periods
 * and the 公示 move "today" (test/helpers/today.ts: the suite must mock the clock as described there).
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { addDays, today as todayIn } from '../../server/lib/clock.ts';
import type { Role } from '../../server/lib/vocabulary.ts';
import { client, SAME_ORIGIN, signIn } from './auth.ts';
import { moveToday } from './today.ts';
import type { TestContext } from './backends.ts';

/** Password of the accounts this module makes. */
const PASSWORD = 'chain-test-pass-2026';

/** A finding as the detail (GET /api/findings/:id and every transition) answers it; fields read by tests. */
export interface Detail {
  id: number;
  serial: string;
  version: number;
  state: string;
  round: number;
  countyCode: string | null;
  areas: string[];
  verificationOutcome: string | null;
  verifyingDepartmentId: number | null;
  leadDepartmentId: number | null;
  cooperatingDepartmentIds: number[];
  acceptingDepartmentId: number | null;
  drafterDepartmentId: number | null;
  acceptanceLevel: string | null;
  deadline: string | null;
  planDueOn: string | null;
  publicityStartOn: string | null;
  publicityEndOn: string | null;
  closedOn: string | null;
  closingDocumentNo: string | null;
  overdue: boolean;
  daysOverdue: number | null;
  allowedActions: string[];
  rule: Rule;
  plan: Plan | null;
  reports: { department: Ref; report: string; evidenceIds: number[] }[];
  progress: { progressOn: string; text: string }[];
  extensions: Record<string, unknown>[];
  acceptance: { levels: AcceptanceLevel[] } | null;
  publicity: { startOn: string; endOn: string; noticeZh: string; objections: Record<string, unknown>[] } | null;
  closure: Record<string, unknown> | null;
  rechecks: { id: number; kind?: string; status: string; dueOn: string; department: Ref | null }[];
  tasks: { id: number; kind: string; status: string; dueOn: string | null; department: (Ref & { code?: string }) | null }[];
  [more: string]: unknown;
}
export interface Ref {
  id: number;
  nameZh?: string;
  code?: string;
}
export interface Rule {
  status: 'resolved' | 'missing_facts';
  missing: string[];
  ruleCode: string | null;
  areaCategory: string | null;
  zone: string | null;
  route: string;
  sourceKind: string;
  sourceZh: string;
  basisZh: string;
  allowedMeasures: string[];
  requiredMeasures: string[];
  requiresAssessment: boolean;
  conditions: { code: string; labelZh: string; observationDays: number | null }[];
}
export interface Plan {
  status: string;
  drafterDepartment: Ref | null;
  measures: string[];
  deadline: string | null;
  reviewers: { department: Ref; decision: string | null; opinion: string | null }[];
}
export interface AcceptanceLevel {
  level: string;
  labelZh: string;
  status: 'pending' | 'passed' | 'failed';
  department: Ref | null;
  siteChecks: Record<string, unknown>[];
  ticks: { code: string }[] | null;
}

/** A signed-in account of a department. */
export interface Account {
  username: string;
  userId: number;
  departmentId: number | null;
  cookie: string;
  request: ReturnType<typeof client>;
}

/** A step's answer: the status and the parsed body (the detail when 200). */
export interface StepResult {
  status: number;
  body: Detail & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } };
}

/** Today in the portal's zone, as the server sees it (follows `moveToday` where the clock is mocked). */
export const today = () => todayIn();

export { moveToday, realToday } from './today.ts';

let nextFile = 1;
/** A distinct JPEG each call (attachments are deduplicated per finding by SHA-256). */
export const jpeg = () => {
  const n = nextFile++;
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0xff, 0xd9]);
};
/** A distinct PDF each call. */
export const pdf = () => new TextEncoder().encode(`%PDF-1.4\n% chain test document ${nextFile++}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

/** A point inside an area (and inside one of its zones when `zone` is given), outside every other area when one exists. */
export async function pointIn(ctx: TestContext, areaCode: string, zone: string | null = null): Promise<[number, number]> {
  const [q] = await ctx.database.rows<{ x: number; y: number }>(
    sql`with target as (
          select a.id, ${zone === null ? sql`a.geom` : sql`(select ST_Union(z.geom) from area_zones z where z.area_id = a.id and z.zone = ${zone})`} as geom
          from protected_areas a where a.code = ${areaCode}),
        alone as (
          select ST_Difference(t.geom, coalesce((select ST_Union(o.geom) from protected_areas o where o.id <> t.id and o.geom && t.geom), ST_GeomFromText('POLYGON EMPTY', 4326))) as geom
          from target t)
        select ST_X(p)::float8 as x, ST_Y(p)::float8 as y
        from (select ST_PointOnSurface(case when ST_IsEmpty(alone.geom) then target.geom else alone.geom end) as p from target, alone) q
        where p is not null`,
  );
  if (!q) throw new Error(`no area ${areaCode}${zone ? ` with a ${zone} zone` : ''} in the test database`);
  return [q.x, q.y];
}

/** What a walk needs to know about who plays which part. */
export interface Parties {
  verifying: number;
  lead: number;
  cooperating: number[];
  /** The department that accepts at city level (independent of the rectifiers). */
  cityAcceptor: number;
  /** The department that does the county self-check (any county-level department of the finding's county). */
  countyAcceptor: number;
  /** The provincial department of the optional spot check (省级抽查), or null when there is none. */
  provinceAcceptor: number | null;
}

/** Options of a new finding and of its walk. */
export interface WalkOptions {
  areaCode?: string;
  zone?: string | null;
  category?: string;
  title?: string;
  approval?: 'approved' | 'unapproved' | 'unknown';
  outcome?: 'historical' | 'illegal';
  parties?: Partial<Parties>;
  /** Extra fields of `assign_plan` (acceptingDepartmentId, drafterDepartmentId). */
  assign?: Record<string, unknown>;
}

/** Drives findings through the chain for one backend's suite; make one per suite (`new Chain(ctx)`). */
export class Chain {
  private readonly accounts = new Map<string, Promise<Account>>();
  /** `prefix` names the accounts this instance makes (two instances on one database need different ones). */
  constructor(
    private readonly ctx: () => TestContext,
    private readonly prefix = 'chain',
  ) {}

  /** Ids of departments by code. */
  async departments(codes: string[]): Promise<Record<string, number>> {
    const rows = await this.ctx().database.rows<{ code: string; id: number }>(sql`select code, id from departments where code in ${codes}`);
    return Object.fromEntries(rows.map((r) => [r.code, Number(r.id)]));
  }

  /** A department of `kind` at `level` (in `county` when given), or null. */
  async departmentOf(kind: string, level: string, county: string | null = null): Promise<number | null> {
    const [r] = await this.ctx().database.rows<{ id: number }>(
      sql`select id from departments where kind = ${kind} and level = ${level} and (${county}::text is null or county_code = ${county}) order by id limit 1`,
    );
    return r ? Number(r.id) : null;
  }

  /** A department made for one test (a tree of parents and branches for the independence rules), inserted as a row. */
  async makeDepartment(d: { code: string; nameZh: string; kind: string; level: string; parentId?: number | null; countyCode?: string | null }): Promise<number> {
    const [r] = await this.ctx().database.rows<{ id: number }>(
      sql`insert into departments (code, name_zh, name_en, kind, level, parent_id, county_code)
          values (${d.code}, ${d.nameZh}, ${d.code}, ${d.kind}, ${d.level}, ${d.parentId ?? null}, ${d.countyCode ?? null}) returning id`,
    );
    return Number(r.id);
  }

  /** An account of a department (an officer unless told), made through the admin API on first use. */
  account(departmentId: number | null, role: Role = 'officer'): Promise<Account> {
    const key = `${role}:${departmentId}`;
    if (!this.accounts.has(key)) this.accounts.set(key, this.makeAccount(departmentId, role));
    return this.accounts.get(key)!;
  }

  private async makeAccount(departmentId: number | null, role: Role): Promise<Account> {
    const username = `${this.prefix}-${role.slice(0, 5)}-${departmentId ?? 'none'}`;
    const admin = await this.ctx().as('admin');
    const res = await admin('/api/users', { json: { username, displayName: `测试${role}${departmentId ?? ''}`, role, departmentId, password: PASSWORD } });
    if (res.status !== 201) throw new Error(`could not make account ${username}: ${res.status} ${await res.text()}`);
    const user = (await res.json()) as { id: number };
    const cookie = await signIn(this.ctx().app, username, PASSWORD);
    return { username, userId: user.id, departmentId, cookie, request: client(this.ctx().app, cookie) };
  }

  /** The coordinator demo account (joint-enforcement office, city eco bureau). */
  async coordinator(): Promise<Account> {
    if (!this.accounts.has('coord')) {
      this.accounts.set(
        'coord',
        (async () => {
          const cookie = await signIn(this.ctx().app, 'coord');
          const [u] = await this.ctx().database.rows<{ id: number; department_id: number | null }>(sql`select id, department_id from users where username = 'coord'`);
          return { username: 'coord', userId: Number(u.id), departmentId: u.department_id === null ? null : Number(u.department_id), cookie, request: client(this.ctx().app, cookie) };
        })(),
      );
    }
    return this.accounts.get('coord')!;
  }

  /** Uploads one evidence file as `who`; returns the attachment id. */
  async upload(who: Account, findingId: number, kind: 'jpeg' | 'pdf' = 'jpeg'): Promise<number> {
    const form = new FormData();
    form.set('file', new File([kind === 'jpeg' ? jpeg() : pdf()], kind === 'jpeg' ? `现场${nextFile}.jpg` : `文书${nextFile}.pdf`));
    const res = await this.ctx().app.request(`/api/findings/${findingId}/attachments`, { method: 'POST', body: form, headers: { cookie: who.cookie, origin: SAME_ORIGIN } });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`upload by ${who.username} refused: ${res.status} ${JSON.stringify(body)}`);
    return (body as { id: number }).id;
  }

  /** The finding's detail as `who` (the coordinator when not told) reads it. */
  async detail(findingId: number, who?: Account): Promise<Detail> {
    const as = who ?? (await this.coordinator());
    const res = await as.request(`/api/findings/${findingId}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Detail;
  }

  /** Requests one action on the finding at its current version (re-read first), as `who`. */
  async try(who: Account, findingId: number, action: string, fields: Record<string, unknown> = {}): Promise<StepResult> {
    const { version } = await this.detail(findingId);
    const res = await who.request(`/api/findings/${findingId}/transitions`, { json: { action, version, ...fields } });
    return { status: res.status, body: (await res.json()) as StepResult['body'] };
  }

  /** Like `try`, and expects 200; returns the detail. */
  async step(who: Account, findingId: number, action: string, fields: Record<string, unknown> = {}): Promise<Detail> {
    const r = await this.try(who, findingId, action, fields);
    expect(r.status, `${action} by ${who.username}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  }

  /** The default parties of a finding in `county`: its eco branch verifies and leads, water cooperates, natural resources accepts. */
  async defaultParties(county: string | null): Promise<Parties> {
    const ids = await this.departments(['eco', 'nr', 'water', 'agri']);
    const branch = (county && (await this.departmentOf('ecology_environment', 'county', county))) || ids.eco;
    const countyAcceptor = (county && (await this.departmentOf('ecology_environment', 'county', county))) || branch;
    const provinceAcceptor = await this.departmentOf('ecology_environment', 'province');
    return { verifying: branch, lead: branch, cooperating: [ids.water], cityAcceptor: ids.nr, countyAcceptor, provinceAcceptor };
  }

  /** Records a new clue as the coordinator. */
  async record(o: WalkOptions = {}): Promise<Detail> {
    const coord = await this.coordinator();
    const point = await pointIn(this.ctx(), o.areaCode ?? 'WF-PA-02', o.zone === undefined ? 'core' : o.zone);
    const res = await coord.request('/api/findings', {
      json: {
        title: o.title ?? '保护区内违规建设',
        category: o.category ?? 'construction',
        source: 'remote_sensing',
        description: '遥感监测发现保护地内新增建筑',
        discoveredAt: addDays(today(), -20),
        approval: o.approval ?? 'unapproved',
        geometry: { type: 'Point', coordinates: point },
      },
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    return this.detail((body as { id: number }).id);
  }

  /** Measures that satisfy the finding's rule: every required one, else the first allowed. */
  static measuresFor(rule: Rule): string[] {
    return rule.requiredMeasures.length ? [...rule.requiredMeasures] : rule.allowedMeasures.slice(0, 1);
  }

  /** The plan's fields for the finding's rule (a 科学评估 document when the rule asks for one). */
  async planFields(f: Detail, drafter: Account, over: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const assessment = f.rule.requiresAssessment ? [await this.upload(drafter, f.id, 'pdf')] : [];
    return {
      responsibleParty: '违建单位（责任主体）',
      targets: '拆除违建，恢复原状',
      measures: Chain.measuresFor(f.rule),
      deadline: addDays(today(), 90),
      assessmentEvidenceIds: assessment,
      ...over,
    };
  }

  /** Each reviewer department of the plan approves it (each signs for its own department). */
  async approvePlan(f: Detail): Promise<Detail> {
    let d = f;
    for (const r of f.plan!.reviewers) {
      if (r.decision === 'approve') continue;
      d = await this.step(await this.account(r.department.id), f.id, 'review_plan', { decision: 'approve', opinion: '同意该整改方案' });
    }
    return d;
  }

  /** The lead and each cooperating department report their part, with evidence; returns the detail after the last. */
  async reportParts(f: Detail, only?: number[]): Promise<Detail> {
    let d = f;
    for (const dep of only ?? [f.leadDepartmentId!, ...f.cooperatingDepartmentIds]) {
      const who = await this.account(dep);
      d = await this.step(who, f.id, 'report_part', { report: `部门 ${dep} 承担部分已完成整改`, evidenceIds: [await this.upload(who, f.id)] });
    }
    return d;
  }

  /** The acceptor of the current level checks the site (photos taken now) and ticks every condition. */
  async acceptLevel(f: Detail, acceptor: Account): Promise<Detail> {
    const photo = await this.upload(acceptor, f.id);
    await this.step(acceptor, f.id, 'site_check', { checkedOn: today(), people: '验收组 张三、李四', note: '现场已拆除，场地平整', evidenceIds: [photo] });
    const ticks = f.rule.conditions.map((c) => ({ code: c.code, evidenceIds: [photo] }));
    return this.step(acceptor, f.id, 'accept', { ticks, opinion: '经现场核查，整改到位，同意通过验收' });
  }

  /** Days to wait after the completion report before every condition may be ticked. */
  static observationWait(rule: Rule): number {
    return Math.max(0, ...rule.conditions.map((c) => c.observationDays ?? 0));
  }

  /**
   * A new finding taken through the chain until it is in `state` (moving today past observation
   * periods and the 公示 when it must). Returns the detail and the parties it used.
   */
  async walkTo(state: string, o: WalkOptions = {}): Promise<{ finding: Detail; parties: Parties }> {
    const coord = await this.coordinator();
    let f = await this.record(o);
    const parties = { ...(await this.defaultParties(f.countyCode)), ...o.parties };
    const done = () => f.state === state;
    if (done()) return { finding: f, parties };

    f = await this.step(coord, f.id, 'dispatch', { verifyingDepartmentId: parties.verifying, dueDate: addDays(today(), 10), instruction: '请核实并上传现场照片' });
    if (done()) return { finding: f, parties };

    const verifier = await this.account(parties.verifying);
    f = await this.step(verifier, f.id, 'confirm', { outcome: o.outcome ?? 'illegal', conclusion: '现场核实，问题属实', evidenceIds: [await this.upload(verifier, f.id)] });
    if (done()) return { finding: f, parties };

    f = await this.step(coord, f.id, 'assign_plan', {
      leadDepartmentId: parties.lead,
      cooperatingDepartmentIds: parties.cooperating,
      planDueDate: addDays(today(), 20),
      ...o.assign,
    });
    const drafter = await this.account(f.drafterDepartmentId!);
    f = await this.step(drafter, f.id, 'submit_plan', await this.planFields(f, drafter));
    if (done()) return { finding: f, parties };
    f = await this.approvePlan(f);
    if (done()) return { finding: f, parties };

    f = await this.reportParts(f);
    if (done()) return { finding: f, parties };

    const wait = Chain.observationWait(f.rule);
    if (wait) moveToday(wait);
    for (const level of f.acceptance!.levels) {
      const acceptor = level.level === 'county' ? parties.countyAcceptor : level.level === 'city' ? parties.cityAcceptor : parties.provinceAcceptor!;
      f = await this.acceptLevel(f, await this.account(acceptor));
    }
    if (done()) return { finding: f, parties };

    moveToday(daysBetween(today(), f.publicityEndOn!));
    f = await this.step(coord, f.id, 'close', { closedOn: today(), closingDocumentNo: `潍环销〔${today().slice(0, 4)}〕${f.id}号` });
    if (done()) return { finding: f, parties };
    throw new Error(`walkTo: the chain has no stop at ${state}`);
  }
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** A date `months` after `date`, clamped to the month's end. */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

