import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { demoAccountsFor, namedDemoAccounts, seedSampleData, type SampleDepartment } from '../../server/db/seed.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const sampleDepartments = JSON.parse(readFileSync(new URL('../../data/sample/departments.json', import.meta.url), 'utf8')) as SampleDepartment[];

describeEachBackend('seeding', (ctx) => {
  const rows = <T>(q: ReturnType<typeof sql>) => ctx().database.rows<T>(q);

  it('never loads the sample data twice', async () => {
    expect(await seedSampleData(ctx().database)).toMatchObject({ seeded: false, reason: expect.stringMatching(/^sample data already loaded at /) });
    const [r] = await rows<{ n: number }>(sql`select count(*)::int as n from protected_areas`);
    expect(r.n).toBe(43);
  });

  it('gives every department its level, and the province its ecology department', async () => {
    const levels = await rows<{ level: string; n: number }>(sql`select level, count(*)::int as n from departments group by level order by level`);
    expect(levels).toEqual([
      { level: 'area', n: 43 },
      { level: 'city', n: 4 },
      { level: 'county', n: 32 },
      { level: 'province', n: 1 },
    ]);
    const [province] = await rows<{ code: string; name_zh: string; kind: string; county_code: string | null }>(
      sql`select code, name_zh, kind, county_code from departments where level = 'province'`,
    );
    expect(province).toEqual({ code: 'sd-eco', name_zh: '山东省生态环境厅', kind: 'ecology_environment', county_code: null });
  });

  it('links every area to a management body of its own, in its county, named after it', async () => {
    const areas = await rows<{ code: string; name_zh: string; county_code: string; body_code: string | null; body_name: string | null; kind: string | null; level: string | null; body_county: string | null; managing_body: string | null }>(sql`
      select a.code, a.name_zh, a.county_code, d.code as body_code, d.name_zh as body_name, d.kind, d.level, d.county_code as body_county, a.managing_body
      from protected_areas a left join departments d on d.id = a.managing_department_id order by a.code`);
    expect(areas).toHaveLength(43);
    for (const a of areas) {
      expect(a, a.code).toMatchObject({
        body_code: `mb-${a.code.toLowerCase()}`,
        body_name: `${a.name_zh}管理机构`,
        kind: 'management_body',
        level: 'area',
        body_county: a.county_code,
        managing_body: `${a.name_zh}管理机构`,
      });
    }
    const [shared] = await rows<{ n: number }>(sql`select count(distinct managing_department_id)::int as n from protected_areas`);
    expect(shared.n).toBe(43);
  });

  it('creates one officer account for every department besides the named demo accounts', async () => {
    const users = await rows<{ username: string; role: string; department: string | null }>(
      sql`select u.username, u.role, d.code as department from users u left join departments d on d.id = u.department_id order by u.username`,
    );
    const byName = new Map(users.map((u) => [u.username, u]));
    for (const a of namedDemoAccounts) expect(byName.get(a.username), a.username).toEqual({ username: a.username, role: a.role, department: a.department });
    const departments = await rows<{ code: string }>(sql`select code from departments`);
    for (const { code } of departments) {
      const officers = users.filter((u) => u.department === code && u.role === 'officer');
      expect(officers.length, code).toBeGreaterThanOrEqual(1);
    }
    // The parties the README names: the county government of 临朐, a management body, the water bureau, the province.
    expect(byName.get('gov-linqu')).toEqual({ username: 'gov-linqu', role: 'officer', department: 'gov-linqu' });
    expect(byName.get('mb-wf-pa-01')).toEqual({ username: 'mb-wf-pa-01', role: 'officer', department: 'mb-wf-pa-01' });
    expect(byName.get('water')).toEqual({ username: 'water', role: 'officer', department: 'water' });
    expect(byName.get('sd-eco')).toEqual({ username: 'sd-eco', role: 'officer', department: 'sd-eco' });
    expect(users).toHaveLength(demoAccountsFor(sampleDepartments).length);
  });

  it('names an account after a department only where no named officer serves it', () => {
    const accounts = demoAccountsFor([
      { code: 'eco', nameZh: '潍坊市生态环境局' },
      { code: 'eco-linqu', nameZh: '潍坊市生态环境局临朐分局' },
      { code: 'gov-linqu', nameZh: '临朐县人民政府' },
    ]);
    expect(accounts.slice(namedDemoAccounts.length)).toEqual([{ username: 'gov-linqu', displayName: '临朐县人民政府工作人员', role: 'officer', department: 'gov-linqu' }]);
  });
});
