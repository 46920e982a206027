import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { seedSampleData } from '../../server/db/seed.ts';
import { describeEachBackend } from '../helpers/backends.ts';

describeEachBackend('seeding', (ctx) => {
  it('never loads the sample data twice', async () => {
    expect(await seedSampleData(ctx().database)).toMatchObject({ seeded: false, reason: expect.stringMatching(/^sample data already loaded at /) });
    const [r] = await ctx().database.rows<{ n: number }>(sql`select count(*)::int as n from protected_areas`);
    expect(r.n).toBe(43);
  });
});
