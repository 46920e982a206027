import { describe, expect, it } from 'vitest';
import type { AreaCollection } from '../../web/src/lib/api/types.ts';
import {
  COVERAGE_CLASSES,
  COVERAGE_COLORS,
  COVERAGE_LAYER,
  coverageClass,
  coverageColorExpression,
  coverageLegend,
  coverageOverlay,
  dueBadge,
  gridColorExpression,
  GRID_STEPS,
  LAYER_TOGGLES,
  TOGGLES,
  withCoverage,
} from '../../web/src/lib/coverage/coverage-style.ts';
import { formatPercent } from '../../web/src/lib/coverage/format.ts';
import {
  convertPeriod,
  coverageApiQuery,
  coverageSearch,
  currentQuarter,
  parseCoverageSearch,
  periodRange,
  shiftPeriod,
  windowRange,
} from '../../web/src/lib/coverage/period.ts';
import { DEFAULT_SORT, nextSort, sortCoverageRows } from '../../web/src/lib/coverage/sort.ts';
import type { AreaCoverage } from '../../web/src/lib/coverage/types.ts';
import { isMessageKey, translate } from '../../web/src/lib/i18n/messages.ts';
import { LAND_COLOR, SEA_COLOR } from '../../web/src/lib/map/style.ts';
import { parseRoute, routePath } from '../../web/src/lib/router/route.ts';

const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
const dist = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]!));
/** Relative luminance (WCAG), to check the ramp runs light to dark. */
const luminance = (h: string) => {
  const [r, g, b] = rgb(h).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

const row = (over: Partial<AreaCoverage>): AreaCoverage => ({
  code: 'WF-PA-01',
  nameZh: '甲',
  nameEn: 'A',
  visited: false,
  joint: false,
  coverage: 0,
  inspections: 0,
  lastVisit: null,
  lastJointVisit: null,
  daysSince: null,
  frequency: 'quarter',
  due: 'overdue',
  ...over,
});

describe('coverage classes and colours', () => {
  it('puts each share in the class the legend names', () => {
    expect(coverageClass(undefined)).toBe('unvisited');
    expect(coverageClass({ visited: false, coverage: 0.9 })).toBe('unvisited');
    expect(coverageClass({ visited: true, coverage: 0 })).toBe('zero');
    expect(coverageClass({ visited: true, coverage: 0.0001 })).toBe('lt25');
    expect(coverageClass({ visited: true, coverage: 0.2499 })).toBe('lt25');
    expect(coverageClass({ visited: true, coverage: 0.25 })).toBe('lt50');
    expect(coverageClass({ visited: true, coverage: 0.5 })).toBe('lt75');
    expect(coverageClass({ visited: true, coverage: 0.75 })).toBe('ge75');
    expect(coverageClass({ visited: true, coverage: 1 })).toBe('ge75');
  });

  it('runs the ramp from light to dark, 0 % to ≥ 75 %', () => {
    const ramp = (['zero', 'lt25', 'lt50', 'lt75', 'ge75'] as const).map((c) => luminance(COVERAGE_COLORS[c]));
    for (let i = 1; i < ramp.length; i++) expect(ramp[i]!, `step ${i}`).toBeLessThan(ramp[i - 1]!);
  });

  it('keeps "not visited" clearly apart from every ramp colour, and every class apart from land and sea', () => {
    for (const cls of COVERAGE_CLASSES.filter((c) => c !== 'unvisited')) {
      expect(dist(COVERAGE_COLORS.unvisited, COVERAGE_COLORS[cls]), cls).toBeGreaterThan(80);
    }
    for (const cls of COVERAGE_CLASSES) {
      expect(dist(COVERAGE_COLORS[cls], LAND_COLOR), `${cls} vs land`).toBeGreaterThan(40);
      expect(dist(COVERAGE_COLORS[cls], SEA_COLOR), `${cls} vs sea`).toBeGreaterThan(40);
    }
  });

  it('paints the map with the same colours the legend lists, in the same order', () => {
    const expression = coverageColorExpression() as unknown[];
    expect(expression.slice(0, 2)).toEqual(['match', ['get', 'coverageClass']]);
    const legend = coverageLegend();
    expect(legend.map((e) => e.cls)).toEqual(['unvisited', 'zero', 'lt25', 'lt50', 'lt75', 'ge75']);
    for (const entry of legend) {
      const at = expression.indexOf(entry.cls);
      expect(expression[at + 1], entry.cls).toBe(entry.color);
      expect(isMessageKey(entry.key), entry.key).toBe(true);
    }
    expect(translate('zh-CN', legend[0]!.key)).toBe('本期未检查');
    expect(translate('en', legend[5]!.key)).toBe('75 % or more');
  });

  it('steps the effort grid by inspection count', () => {
    expect(gridColorExpression()).toEqual(['step', ['get', 'count'], GRID_STEPS[0]!.color, 2, GRID_STEPS[1]!.color, 3, GRID_STEPS[2]!.color, 5, GRID_STEPS[3]!.color]);
  });

  it('gives each due status a readable badge', () => {
    expect(dueBadge('ok').key).toBe('coverage.due.ok');
    expect(dueBadge('due_soon').key).toBe('coverage.due.due_soon');
    expect(dueBadge('overdue').key).toBe('coverage.due.overdue');
    for (const due of ['ok', 'due_soon', 'overdue'] as const) {
      const badge = dueBadge(due);
      expect(contrast(badge.color, badge.background), due).toBeGreaterThanOrEqual(4.5);
    }
    expect(translate('zh-CN', dueBadge('overdue').key)).toBe('已逾期');
  });

  it('joins coverage into the areas for the map, unvisited when the area has no row', () => {
    const areas = {
      type: 'FeatureCollection',
      features: ['WF-PA-01', 'WF-PA-02'].map((code) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { code } })),
    } as unknown as AreaCollection;
    const joined = withCoverage(areas, [row({ code: 'WF-PA-01', visited: true, coverage: 0.8, due: 'ok' })]);
    expect(joined.features.map((f) => f.properties)).toEqual([
      { code: 'WF-PA-01', coverageClass: 'ge75', due: 'ok', coverage: 0.8 },
      { code: 'WF-PA-02', coverageClass: 'unvisited', due: null, coverage: 0 },
    ]);
    expect(areas.features[0]!.properties).toEqual({ code: 'WF-PA-01' });
  });

  it('has every switchable layer in the overlay, the grid off at first, overdue drawn from the areas', () => {
    const overlay = coverageOverlay();
    const ids = overlay.layers.map((l) => l.id);
    for (const toggle of LAYER_TOGGLES) for (const id of TOGGLES[toggle]) expect(ids, id).toContain(id);
    const grid = overlay.layers.find((l) => l.id === COVERAGE_LAYER.grid)!;
    expect(grid.layout).toEqual({ visibility: 'none' });
    const overdue = overlay.layers.find((l) => l.id === COVERAGE_LAYER.overdue)! as { source: string; filter: unknown };
    expect(overdue.source).toBe('areas');
    expect(overdue.filter).toEqual(['==', ['get', 'due'], 'overdue']);
    // Tracks above the grid and the uncovered part, so they stay visible.
    expect(ids.indexOf(COVERAGE_LAYER.track)).toBeGreaterThan(ids.indexOf(COVERAGE_LAYER.grid));
    expect(ids.indexOf(COVERAGE_LAYER.track)).toBeGreaterThan(ids.indexOf(COVERAGE_LAYER.uncoveredFill));
  });

  it('formats shares as whole percentages', () => {
    expect(formatPercent(0.4712, 'en')).toBe('47%');
    expect(formatPercent(1, 'zh-CN')).toBe('100%');
    expect(formatPercent(0, 'en')).toBe('0%');
    expect(formatPercent(0.001, 'en')).toBe('<1%');
  });
});

describe('coverage period and URL', () => {
  it('reads a preset period and the swath', () => {
    expect(parseCoverageSearch('?period=2026-Q3&swath=200')).toEqual({ period: '2026-Q3', from: null, to: null, swath: 200, area: null });
    expect(parseCoverageSearch('?period=2026&swath=50&area=WF-PA-37')).toEqual({ period: '2026', from: null, to: null, swath: 50, area: 'WF-PA-37' });
    expect(parseCoverageSearch('?period=2026-07').period).toBe('2026-07');
  });

  it('reads a custom range only when both dates are real and in order', () => {
    expect(parseCoverageSearch('?from=2026-03-01&to=2026-05-31')).toMatchObject({ period: null, from: '2026-03-01', to: '2026-05-31' });
    expect(parseCoverageSearch('?from=2026-06-01&to=2026-05-31')).toMatchObject({ from: null, to: null });
    expect(parseCoverageSearch('?from=2026-02-30&to=2026-05-31')).toMatchObject({ from: null, to: null });
    expect(parseCoverageSearch('?from=2026-02-01')).toMatchObject({ from: null, to: null });
  });

  it('drops what the server would refuse, keeping a working view', () => {
    expect(parseCoverageSearch('?period=2026-Q5&swath=5000&area=<x>')).toEqual({ period: null, from: null, to: null, swath: 200, area: null });
    expect(parseCoverageSearch('?period=2026-13&swath=9').period).toBeNull();
    expect(parseCoverageSearch('?swath=12.5').swath).toBe(200);
    expect(parseCoverageSearch('?swath=10').swath).toBe(10);
    expect(parseCoverageSearch('?swath=2000').swath).toBe(2000);
    // A preset wins over a range given alongside it, as only one may be sent.
    expect(parseCoverageSearch('?period=2026&from=2026-01-01&to=2026-02-01')).toMatchObject({ period: '2026', from: null, to: null });
  });

  it('writes the window back to the URL and to the API query', () => {
    const p = { period: '2026-Q3', from: null, to: null, swath: 200, area: 'WF-PA-37' };
    expect(coverageSearch(p)).toBe('?period=2026-Q3&swath=200&area=WF-PA-37');
    expect(coverageApiQuery(p)).toBe('?period=2026-Q3&swath=200');
    expect(coverageApiQuery(p, { swath: false })).toBe('?period=2026-Q3');
    const custom = { period: null, from: '2026-03-01', to: '2026-04-15', swath: 300, area: null };
    expect(coverageSearch(custom)).toBe('?from=2026-03-01&to=2026-04-15&swath=300');
    expect(parseCoverageSearch(coverageSearch(custom))).toEqual(custom);
    expect(coverageSearch({ period: null, from: null, to: null, swath: 200, area: null })).toBe('');
  });

  it('routes /coverage with its window, and back', () => {
    const route = parseRoute('/coverage', '?period=2026-Q3&swath=200');
    expect(route).toEqual({ kind: 'coverage', params: { period: '2026-Q3', from: null, to: null, swath: 200, area: null } });
    expect(routePath(route)).toBe('/coverage?period=2026-Q3&swath=200');
    expect(routePath(parseRoute('/coverage/'))).toBe('/coverage');
    expect(parseRoute('/inspections')).toEqual({ kind: 'inspections' });
    expect(parseRoute('/inspections/12')).toEqual({ kind: 'inspection', id: 12 });
    expect(routePath({ kind: 'inspection', id: 12 })).toBe('/inspections/12');
    expect(parseRoute('/inspections/0')).toEqual({ kind: 'home' });
    expect(parseRoute('/inspections/99999999999')).toEqual({ kind: 'home' });
  });

  it('works out ranges, steps and conversions of presets as the server does', () => {
    expect(periodRange('2026')).toEqual(['2026-01-01', '2026-12-31']);
    expect(periodRange('2026-Q1')).toEqual(['2026-01-01', '2026-03-31']);
    expect(periodRange('2024-02')).toEqual(['2024-02-01', '2024-02-29']);
    expect(shiftPeriod('2026-Q1', -1)).toBe('2025-Q4');
    expect(shiftPeriod('2026-Q4', 1)).toBe('2027-Q1');
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2026', -2)).toBe('2024');
    expect(convertPeriod('2026-Q3', 'month')).toBe('2026-07');
    expect(convertPeriod('2026-08', 'quarter')).toBe('2026-Q3');
    expect(convertPeriod('2026-08', 'year')).toBe('2026');
    expect(currentQuarter(new Date('2026-11-28T12:00:00Z'))).toBe('2026-Q4');
    expect(windowRange({ period: null, from: null, to: null, swath: 200, area: null }, new Date('2026-05-02T00:00:00Z'))).toEqual(['2026-04-01', '2026-06-30']);
  });

  it('takes the default quarter from China’s calendar, as the server does', () => {
    // 23:30 UTC on 30 September is 07:30 on 1 October in Beijing: the fourth quarter has begun.
    const now = Date.parse('2026-09-30T23:30:00Z');
    expect(currentQuarter(now)).toBe('2026-Q4');
    expect(windowRange({ period: null, from: null, to: null, swath: 200, area: null }, now)).toEqual(['2026-10-01', '2026-12-31']);
  });

  it('drops periods and dates outside 2000–2100 from the address bar, as the server refuses them', () => {
    expect(parseCoverageSearch('?period=0050')).toMatchObject({ period: null, from: null, to: null });
    expect(parseCoverageSearch('?period=2101')).toMatchObject({ period: null });
    expect(parseCoverageSearch('?from=1999-01-01&to=2000-01-31')).toMatchObject({ from: null, to: null });
    expect(parseCoverageSearch('?period=2026-Q2')).toMatchObject({ period: '2026-Q2' });
  });
});

describe('coverage table order', () => {
  const rows = [
    row({ code: 'WF-PA-03', nameZh: '丙', nameEn: 'Charlie', visited: true, joint: true, coverage: 0.9, daysSince: 3, lastVisit: '2026-11-25', due: 'ok' }),
    row({ code: 'WF-PA-01', nameZh: '甲', nameEn: 'Alpha', due: 'overdue' }),
    row({ code: 'WF-PA-02', nameZh: '乙', nameEn: 'Bravo', visited: true, coverage: 0.2, daysSince: 40, lastVisit: '2026-10-19', due: 'due_soon' }),
  ];
  const codes = (sort: Parameters<typeof sortCoverageRows>[1], english = false) => sortCoverageRows(rows, sort, english ? 'en' : 'zh-CN', english).map((r) => r.code);

  it('puts the most urgent first by default', () => {
    expect(codes(DEFAULT_SORT)).toEqual(['WF-PA-01', 'WF-PA-02', 'WF-PA-03']);
  });

  it('sorts by each column, both ways', () => {
    expect(codes({ key: 'coverage', dir: 'asc' })).toEqual(['WF-PA-01', 'WF-PA-02', 'WF-PA-03']);
    expect(codes({ key: 'coverage', dir: 'desc' })).toEqual(['WF-PA-03', 'WF-PA-02', 'WF-PA-01']);
    expect(codes({ key: 'visited', dir: 'asc' })).toEqual(['WF-PA-01', 'WF-PA-02', 'WF-PA-03']);
    expect(codes({ key: 'joint', dir: 'desc' })).toEqual(['WF-PA-03', 'WF-PA-01', 'WF-PA-02']);
    expect(codes({ key: 'name', dir: 'asc' }, true)).toEqual(['WF-PA-01', 'WF-PA-02', 'WF-PA-03']);
    expect(codes({ key: 'name', dir: 'desc' }, true)).toEqual(['WF-PA-03', 'WF-PA-02', 'WF-PA-01']);
  });

  it('treats "never visited" as the longest gap', () => {
    expect(codes({ key: 'lastVisit', dir: 'desc' })).toEqual(['WF-PA-01', 'WF-PA-02', 'WF-PA-03']);
    expect(codes({ key: 'lastVisit', dir: 'asc' })).toEqual(['WF-PA-03', 'WF-PA-02', 'WF-PA-01']);
  });

  it('flips the same column and starts another in its useful direction', () => {
    expect(nextSort({ key: 'coverage', dir: 'asc' }, 'coverage')).toEqual({ key: 'coverage', dir: 'desc' });
    expect(nextSort({ key: 'coverage', dir: 'asc' }, 'lastVisit')).toEqual({ key: 'lastVisit', dir: 'desc' });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });
});
