/**
 * Checks data/sample/findings.json as written: the contract, serial order, every geometry inside its
 * areas, dates in order and in working hours; then loads it into a fresh database through the portal's
 * own seeder, which replays every step through the workflow as the API would decide it (any refusal is
 * a violation), and reads back the designed distribution. Returns a summary and the violations.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as turf from '@turf/turf';
import { sql } from 'drizzle-orm';
import { seedSampleInspections } from '../../../server/db/seed-inspections.ts';
import { seedSampleFindings, type SampleFindingsFile } from '../../../server/db/seed-findings.ts';
import { namedDemoAccounts } from '../../../server/db/seed.ts';
import { daysOverdue } from '../../../server/features/findings/workflow.ts';
import { findingCategories, findingSources, type FindingState } from '../../../server/lib/vocabulary.ts';
import { epochToShanghai } from '../inspections/calendar.ts';
import { isWorking } from './history.ts';
import { ESCALATE_AFTER_DAYS, PERIOD_START, STORIES, TODAY } from './plan.ts';
import type { Shape } from './places.ts';
import { scratchDatabase } from './rules.ts';

export interface World {
  areas: { code: string; category: string; shape: Shape }[];
  /** Usernames of the officer accounts (one per department). */
  officers: Set<string>;
}

const sixDecimals = (x: number) => Math.abs(x * 1e6 - Math.round(x * 1e6)) < 1e-6;

/** Reads the file back and checks it, in the file and in a database seeded from it. */
export async function verifyFindings(file: string, world: World) {
  const violations: string[] = [];
  const text = readFileSync(file, 'utf8');
  const data = JSON.parse(text) as SampleFindingsFile;
  const findings = data.findings;
  if (!data.note || !/sample|示例/i.test(data.note)) violations.push('the file is not labelled as sample data');
  if (text.split('\n').length !== findings.length + 3) violations.push('not one finding per line');
  const accounts = new Set([...namedDemoAccounts.map((a) => a.username), ...world.officers]);

  const lastSerial = new Map<number, number>();
  let previousCreated = '';
  for (const f of findings) {
    const fail = (message: string) => violations.push(`${f.serial} (${f.key}): ${message}`);
    const m = /^WF-(\d{4})-(\d{4})$/.exec(f.serial);
    if (!m || Number(m[1]) !== Number(f.discoveredAt.slice(0, 4))) fail('serial does not match the discovery year');
    else {
      if (Number(m[2]) !== (lastSerial.get(Number(m[1])) ?? 0) + 1) fail('serials are not consecutive in recording order');
      lastSerial.set(Number(m[1]), Number(m[2]));
    }
    if (f.createdAt < previousCreated) fail('findings are not in recording order');
    previousCreated = f.createdAt;
    if (!findingCategories.includes(f.category)) fail(`unknown category ${f.category}`);
    if (!(findingSources as readonly string[]).includes(f.source)) fail(`unknown source ${f.source}`);
    if (f.source === 'remote_sensing' && !data.batches.some((b) => b.code === f.batch)) fail('remote-sensing finding without its batch');
    if (f.constructedAt && f.constructedAt >= f.discoveredAt) fail('constructed on or after discovery');
    if (f.discoveredAt !== epochToShanghai(Date.parse(f.createdAt) / 1000).date) fail('not recorded on the day of discovery');
    if (f.discoveredAt < PERIOD_START || f.discoveredAt > TODAY) fail('discovered outside the period');
    const g = f.geometry;
    const coordinates = g.type === 'Point' ? [g.coordinates] : g.coordinates[0];
    if (!coordinates.every(([x, y]) => sixDecimals(x) && sixDecimals(y))) fail('coordinates not at 6 decimals');
    const containing = world.areas.filter((a) => (g.type === 'Point' ? turf.booleanPointInPolygon(g.coordinates, a.shape) : turf.booleanIntersects(a.shape, g)));
    if (containing.length === 0) fail('outside every area');
    for (const a of containing) if (g.type === 'Polygon' && !coordinates.every((p) => turf.booleanPointInPolygon(p, a.shape))) fail(`not wholly inside ${a.code}`);
    if (g.type === 'Polygon') {
      const ha = turf.area(g) / 1e4;
      if (ha < 0.09 || ha > 5.1) fail(`patch of ${ha.toFixed(2)} ha`);
    }
    let previous = f.createdAt;
    for (const step of f.steps) {
      const at = `${step.at} ${step.action}`;
      if (step.at <= previous) fail(`${at}: not after the step before`);
      previous = step.at;
      const local = epochToShanghai(Date.parse(step.at) / 1000);
      if (!isWorking(local.date) || local.seconds < 8.5 * 3600 || local.seconds > 17.5 * 3600) fail(`${at}: outside working hours`);
      if (local.date > TODAY) fail(`${at}: after ${TODAY}`);
      if (!accounts.has(step.by)) fail(`${at}: unknown account ${step.by}`);
    }
  }

  // The history as the portal replays it: the seeder throws at the first step the API would refuse.
  const database = await scratchDatabase();
  const storage = mkdtempSync(path.join(os.tmpdir(), 'findings-verify-'));
  const lines: string[] = [];
  try {
    await seedSampleInspections(database);
    await seedSampleFindings(database, { storageDir: storage, file });
    const rows = await database.rows<{ serial: string; state: FindingState; outcome: string | null; category: string; deadline: string | null; plan_due: string | null; clue_due: string | null; verify_due: string | null }>(sql`
      select f.serial, f.state, f.verification_outcome as outcome, (select a.category from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id order by a.code limit 1) as category,
             f.deadline::text as deadline, f.plan_due_on::text as plan_due, f.clue_due_on::text as clue_due,
             (select min(t.due_on)::text from tasks t where t.finding_id = f.id and t.kind = 'verify' and t.status in ('open', 'in_progress', 'returned')) as verify_due
      from findings f order by f.serial`);
    const count = (key: (r: (typeof rows)[number]) => string | null) =>
      [...rows.reduce((m, r) => m.set(key(r) ?? '—', (m.get(key(r) ?? '—') ?? 0) + 1), new Map<string, number>())].sort().map(([k, n]) => `${k} ${n}`).join(', ');
    const designed = STORIES.reduce((m, s) => m.set(s.final, (m.get(s.final) ?? 0) + 1), new Map<string, number>());
    for (const [state, n] of designed) {
      const got = rows.filter((r) => r.state === state).length;
      if (got !== n) violations.push(`${state}: ${got} findings, designed ${n}`);
    }
    const late = rows.map((r) => daysOverdue({ state: r.state, deadline: r.deadline, planDueOn: r.plan_due, clueDueOn: r.clue_due, verifyDueDate: r.verify_due }, TODAY));
    const [records] = await database.rows<{ records: number; tasks: number; events: number; closures: number }>(sql`
      select (select count(*)::int from finding_records) as records, (select count(*)::int from tasks) as tasks,
             (select count(*)::int from events where entity = 'finding') as events, (select count(*)::int from finding_closures) as closures`);
    lines.push(
      `findings: ${rows.length}; by state: ${count((r) => r.state)}`,
      `by area category: ${count((r) => r.category)}`,
      `by verification outcome: ${count((r) => r.outcome)}`,
      `by category: ${count((r) => findings.find((f) => f.serial === r.serial)!.category)}`,
      `on ${TODAY} (today in the sample): ${late.filter((d) => d > 0).length} overdue, ${late.filter((d) => d > ESCALATE_AFTER_DAYS).length} escalated (> ${ESCALATE_AFTER_DAYS} days)`,
      `records: ${records.records}; tasks: ${records.tasks}; events: ${records.events}; closures: ${records.closures}; file: ${(statSync(file).size / 1024).toFixed(0)} KB`,
    );
  } catch (err) {
    violations.push(`the portal refuses the history: ${(err as Error).message}`);
  } finally {
    await database.close();
    rmSync(storage, { recursive: true, force: true });
  }
  return { lines, violations };
}
