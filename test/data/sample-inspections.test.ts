/** The sample joint inspections tell the story data/README.md promises, through the real coverage API. */
import { beforeAll, expect, it } from 'vitest';
import { seedSampleInspections } from '../../server/db/seed-inspections.ts';
import { describeEachBackend } from '../helpers/backends.ts';

describeEachBackend('sample inspections', (ctx) => {
  beforeAll(async () => {
    expect(await seedSampleInspections(ctx().database)).toMatchObject({ seeded: true, inspections: 192 });
  });

  it('loads every inspection once, with departments, areas, tracks and checkpoints', async () => {
    expect(await seedSampleInspections(ctx().database)).toMatchObject({ seeded: false });
    const list = (await (await (await ctx().as('viewer'))('/api/inspections?status=completed')).json()).inspections;
    expect(list.length).toBe(183);
    const joint = list.filter((i: { joint: boolean }) => i.joint).length / list.length;
    expect(joint).toBeGreaterThan(0.8);
    expect(list.every((i: { trackCount: number; areaCodes: string[] }) => i.trackCount >= 1 && i.areaCodes.length >= 1)).toBe(true);
  });

  it('covers most areas every quarter, misses a few, and leaves parts of the large areas unreached', async () => {
    const viewer = await ctx().as('viewer');
    for (const period of ['2025-Q1', '2025-Q3', '2026-Q2']) {
      const { totals } = await (await viewer(`/api/coverage?period=${period}`)).json();
      expect(totals.joint, period).toBeGreaterThanOrEqual(40);
      expect(totals.joint, period).toBeLessThan(43);
    }
    const q3 = await (await viewer('/api/coverage?period=2026-Q3')).json();
    const wulong = q3.areas.find((a: { code: string }) => a.code === 'WF-PA-09');
    expect(wulong).toMatchObject({ visited: false, coverage: 0 });
    const year = await (await viewer('/api/coverage?from=2025-01-01&to=2026-11-20')).json();
    const share = (code: string) => year.areas.find((a: { code: string }) => a.code === code).coverage;
    for (const large of ['WF-PA-04', 'WF-PA-39', 'WF-PA-40', 'WF-PA-42']) expect(share(large), large).toBeLessThan(0.6);
    expect(share('WF-PA-01')).toBeGreaterThan(0.9);
    const grid = await (await viewer('/api/coverage/grid?period=2026-Q2')).json();
    expect(grid.features.length).toBeGreaterThan(100);
  });
});
