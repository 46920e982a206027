/** Pure logic of the findings pages: the list's query, typed coordinates, the map's style and the steps' forms. */
import type { ExpressionSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { closeRing, formatGeometry, parseCoordinates, parsePosition } from '../../web/src/lib/findings/coordinates.ts';
import { findingsQuery } from '../../web/src/lib/findings/findings-api.ts';
import {
  FINDINGS_LAYER,
  FINDINGS_SOURCE,
  findingMarkers,
  findingShapes,
  findingsOverlay,
  geometryBbox,
  markerPosition,
  OVERDUE_COLOR,
  shapeFeatures,
  STATE_COLORS,
  stateColorExpression,
} from '../../web/src/lib/findings/findings-style.ts';
import { today } from '../../server/lib/clock.ts';
import { addDays, emptyStepValues, stepBody, stepKind, stepProblems } from '../../web/src/lib/findings/steps.ts';
import { FINDING_STATES, type FindingCollection, type FindingFilters } from '../../web/src/lib/findings/types.ts';
import { parseRoute, routePath } from '../../web/src/lib/router/route.ts';

const noFilters: FindingFilters = { states: [], category: '', area: '', county: '', department: null, overdue: false, escalated: false, q: '' };

describe('the findings query', () => {
  it('is empty without filters and names only what is set', () => {
    expect(findingsQuery(noFilters)).toBe('');
    expect(findingsQuery({ ...noFilters, states: ['clue', 'verifying'], area: 'WF-PA-15', department: 7, overdue: true, q: '  采砂 ' })).toBe(
      '?state=clue%2Cverifying&area=WF-PA-15&department=7&overdue=1&q=%E9%87%87%E7%A0%82',
    );
  });

  it('adds sort, paging and the GeoJSON format, leaving the default sort out', () => {
    expect(findingsQuery(noFilters, { sort: 'newest', limit: 50 })).toBe('?limit=50');
    expect(findingsQuery({ ...noFilters, escalated: true }, { sort: 'overdue_first', limit: 50, cursor: 'abc' })).toBe('?escalated=1&sort=overdue_first&limit=50&cursor=abc');
    expect(findingsQuery(noFilters, { limit: 500, format: 'geojson' })).toBe('?limit=500&format=geojson');
  });

  it('cuts the search text to the 100 characters the server accepts', () => {
    const q = new URLSearchParams(findingsQuery({ ...noFilters, q: 'x'.repeat(150) })).get('q');
    expect(q).toHaveLength(100);
  });
});

describe('typed coordinates', () => {
  it('reads decimal degrees, longitude first, with comma, space or Chinese comma', () => {
    expect(parsePosition('119.123456, 36.654321')).toEqual([119.123456, 36.654321]);
    expect(parsePosition('119.123456 36.654321')).toEqual([119.123456, 36.654321]);
    expect(parsePosition('119.5，36.5')).toEqual([119.5, 36.5]);
  });

  it('reads full-width digits and marks as typed with a Chinese input method', () => {
    expect(parsePosition('１１９．５，３６．５')).toEqual([119.5, 36.5]);
    expect(parsePosition('北纬３６°３４′０４″，东经１１９°０７′２４．５″')).toEqual([
      Math.round((119 + 7 / 60 + 24.5 / 3600) * 1e7) / 1e7,
      Math.round((36 + 34 / 60 + 4 / 3600) * 1e7) / 1e7,
    ]);
    expect(parseCoordinates('１１９．１，３６．１\n１１９．２，３６．１；１１９．２，３６．２')).toMatchObject({ ok: true, geometry: { type: 'Polygon' } });
  });

  it('swaps a latitude written first, when only the second number can be a longitude', () => {
    expect(parsePosition('36.654321, 119.123456')).toEqual([119.123456, 36.654321]);
  });

  it('reads 度分秒 in the spellings officers copy from GPS units and reports', () => {
    const expected = [119 + 7 / 60 + 24.5 / 3600, 36 + 34 / 60 + 4 / 3600].map((n) => Math.round(n * 1e7) / 1e7);
    expect(parsePosition(`119°07'24.5"E, 36°34'04"N`)).toEqual(expected);
    expect(parsePosition('N36°34′04″ E119°07′24.5″')).toEqual(expected);
    expect(parsePosition('东经119度7分24.5秒，北纬36度34分4秒')).toEqual(expected);
    expect(parsePosition(`36°34'04"N 119°07'24.5"E`)).toEqual(expected);
    expect(parsePosition('119°07.5′E 36°34′N')).toEqual([Math.round((119 + 7.5 / 60) * 1e7) / 1e7, Math.round((36 + 34 / 60) * 1e7) / 1e7]);
  });

  it('says what is wrong with a line', () => {
    expect(parsePosition('119.1')).toBe('format');
    expect(parsePosition('1, 2, 3')).toBe('format');
    expect(parsePosition('here')).toBe('format');
    expect(parsePosition(`119°61'0"E 36°0'0"N`)).toBe('minutes');
    expect(parsePosition('190, 36')).toBe('range');
    expect(parsePosition('W119, S36')).toEqual([-119, -36]);
  });

  it('makes a point of one position and a closed polygon of three or more', () => {
    expect(parseCoordinates('119.1, 36.1')).toEqual({ ok: true, geometry: { type: 'Point', coordinates: [119.1, 36.1] } });
    expect(parseCoordinates('119.1, 36.1\n119.2, 36.1\n\n119.2, 36.2')).toEqual({
      ok: true,
      geometry: { type: 'Polygon', coordinates: [[[119.1, 36.1], [119.2, 36.1], [119.2, 36.2], [119.1, 36.1]]] },
    });
    expect(parseCoordinates('119.1, 36.1; 119.2, 36.1; 119.2, 36.2; 119.1, 36.1')).toMatchObject({ ok: true, geometry: { type: 'Polygon' } });
    expect(parseCoordinates('   ')).toEqual({ ok: false, problem: 'empty', line: 0 });
    expect(parseCoordinates('119.1, 36.1\n119.2, 36.1')).toEqual({ ok: false, problem: 'twoPoints', line: 0 });
    expect(parseCoordinates('119.1, 36.1\nnonsense')).toEqual({ ok: false, problem: 'format', line: 2 });
  });

  it('closes a ring once and writes geometries back one position per line', () => {
    expect(closeRing([[0, 0], [1, 0], [1, 1], [0, 0]])).toHaveLength(4);
    expect(formatGeometry({ type: 'Point', coordinates: [119.1, 36.1] })).toBe('119.100000, 36.100000');
    expect(formatGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }).split('\n')).toHaveLength(3);
  });
});

/** Relative luminance-free colour distance: enough to keep two swatches from reading alike. */
function distance(a: string, b: string): number {
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [x, y] = [rgb(a), rgb(b)];
  return Math.hypot(...x.map((v, i) => v - y[i]!));
}

const collection: FindingCollection = {
  type: 'FeatureCollection',
  nextCursor: null,
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [119, 36] }, properties: { id: 1, serial: 'WF-2026-0001', title: 'a', state: 'clue', overdue: false, escalated: false } },
    {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[119, 36], [119.2, 36], [119.2, 36.2], [119, 36.2], [119, 36]]] },
      properties: { id: 2, serial: 'WF-2026-0002', title: 'b', state: 'rectifying', overdue: true, escalated: true },
    },
  ],
} as unknown as FindingCollection;

describe('the findings layer', () => {
  it('gives every state its own colour, none close to another or to the overdue red', () => {
    const colors = FINDING_STATES.map((s) => STATE_COLORS[s]);
    for (const [i, a] of colors.entries()) {
      expect(distance(a, OVERDUE_COLOR), FINDING_STATES[i]).toBeGreaterThan(60);
      for (const b of colors.slice(i + 1)) expect(distance(a, b), `${a} ${b}`).toBeGreaterThan(60);
    }
    const [op, input, ...rest] = stateColorExpression() as unknown[];
    expect([op, input]).toEqual(['match', ['get', 'state']]);
    for (const s of FINDING_STATES) expect(rest[rest.indexOf(s) + 1]).toBe(STATE_COLORS[s]);
  });

  it('clusters the markers and rings overdue ones, haloes escalated ones', () => {
    const overlay = findingsOverlay();
    expect(overlay.sources).toEqual([FINDINGS_SOURCE.points, FINDINGS_SOURCE.shapes]);
    expect(overlay.sourceOptions?.[FINDINGS_SOURCE.points]).toMatchObject({ cluster: true, clusterProperties: { overdueCount: expect.any(Array) } });
    expect(overlay.sourceOptions?.[FINDINGS_SOURCE.shapes]).toBeUndefined();
    const byId = new Map(overlay.layers.map((l) => [l.id, l]));
    const points = byId.get(FINDINGS_LAYER.points)!;
    expect(points.type).toBe('circle');
    expect(JSON.stringify((points as { paint: { 'circle-stroke-color': ExpressionSpecification } }).paint['circle-stroke-color'])).toContain(OVERDUE_COLOR);
    expect(JSON.stringify((byId.get(FINDINGS_LAYER.halo) as { filter?: unknown }).filter)).toContain('escalated');
    expect(byId.get(FINDINGS_LAYER.shapes)).toMatchObject({ type: 'line', source: FINDINGS_SOURCE.shapes });
    expect(byId.get(FINDINGS_LAYER.clusterCount)).toMatchObject({ type: 'symbol', layout: { 'text-field': ['get', 'point_count_abbreviated'] } });
  });

  it('puts one marker per finding (a polygon at the mean of its corners) and outlines the polygons', () => {
    const markers = findingMarkers(collection);
    expect(markers.features.map((f) => f.geometry.coordinates)).toEqual([[119, 36], [119.1, 36.1]]);
    expect(markers.features[1]!.properties).toEqual({ id: 2, serial: 'WF-2026-0002', title: 'b', state: 'rectifying', overdue: true, escalated: true });
    expect(findingShapes(collection).features.map((f) => f.properties.id)).toEqual([2]);
    expect(markerPosition({ type: 'Point', coordinates: [1, 2] })).toEqual([1, 2]);
  });

  it('draws a shape being drawn as its corners and the line between them', () => {
    const drawn = shapeFeatures(null, [[0, 0], [1, 0]]);
    expect(drawn.features.map((f) => [f.geometry.type, f.properties.role])).toEqual([['LineString', 'shape'], ['Point', 'vertex'], ['Point', 'vertex']]);
    expect(shapeFeatures({ type: 'Point', coordinates: [1, 1] }).features).toEqual([{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 1] }, properties: { role: 'point' } }]);
    expect(geometryBbox({ type: 'Point', coordinates: [119, 36] }, 0.01)).toEqual([118.99, 35.99, 119.01, 36.01]);
  });
});

describe('the steps along the chain', () => {
  const conditions = [
    { code: 'water_power_cut', labelZh: '断水断电', labelEn: 'Water and power cut', evidenceHintZh: '' },
    { code: 'equipment_removed', labelZh: '清除设备', labelEn: 'Equipment removed', evidenceHintZh: '' },
  ];

  it('tells a new plan from a failed acceptance, both of which lead to rectifying', () => {
    expect(stepKind('confirmed', 'rectifying')).toBe('plan');
    expect(stepKind('reopened', 'rectifying')).toBe('plan');
    expect(stepKind('pending_acceptance', 'rectifying')).toBe('return');
    expect(stepKind('pending_acceptance', 'closed')).toBe('closed');
  });

  it('asks for what each step needs before sending it', () => {
    const empty = emptyStepValues('2026-05-01');
    expect(empty.dueDate).toBe('2026-05-15');
    expect(stepProblems('verifying', empty, [])).toEqual({ verifyingDepartmentId: 'findingForm.needDepartment' });
    expect(stepProblems('dismissed', empty, [])).toEqual({ reason: 'findingForm.needText', evidenceIds: 'findingForm.needEvidence' });
    expect(stepProblems('confirmed', empty, [])).toEqual({ note: 'findingForm.needText' });
    expect(stepProblems('plan', empty, [])).toEqual({ measures: 'findingForm.needMeasure', leadDepartmentId: 'findingForm.needDepartment' });
    expect(stepProblems('pending_acceptance', { ...empty, text: 'done' }, [])).toEqual({ evidenceIds: 'findingForm.needEvidence' });
    const halfTicked = { ...empty, ticks: { water_power_cut: { checked: true, evidenceIds: [4] }, equipment_removed: { checked: true, evidenceIds: [] } } };
    expect(stepProblems('closed', halfTicked, conditions)).toEqual({ ticks: 'findingForm.needTick' });
    expect(stepProblems('return', { ...empty, text: 'not yet' }, [])).toEqual({});
  });

  it('sends exactly the fields of the step', () => {
    const v = { ...emptyStepValues('2026-05-01'), text: '  属实 ', departmentId: 3, evidenceIds: [9] };
    expect(stepBody('verifying', v, [])).toEqual({ to: 'verifying', note: '属实', verifyingDepartmentId: 3, dueDate: '2026-05-15' });
    expect(stepBody('confirmed', v, [])).toEqual({ to: 'confirmed', note: '属实', evidenceIds: [9] });
    expect(stepBody('confirmed', { ...v, evidenceIds: [] }, [])).toEqual({ to: 'confirmed', note: '属实' });
    expect(stepBody('return', v, [])).toEqual({ to: 'rectifying', reason: '属实' });
    const plan = { ...v, text: '', measures: ['exit' as const], leadDepartmentId: 3, cooperatingDepartmentIds: [3, 5] };
    expect(stepBody('plan', plan, [])).toEqual({ to: 'rectifying', measures: ['exit'], leadDepartmentId: 3, cooperatingDepartmentIds: [5], deadline: '2026-07-30' });
    const ticks = { water_power_cut: { checked: true, evidenceIds: [1] }, equipment_removed: { checked: true, evidenceIds: [2, 3] } };
    expect(stepBody('closed', { ...v, text: '', ticks }, conditions)).toEqual({
      to: 'closed',
      ticks: [
        { code: 'water_power_cut', evidenceIds: [1] },
        { code: 'equipment_removed', evidenceIds: [2, 3] },
      ],
    });
  });

  it('counts days on the calendar and today in China', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(today(undefined, Date.parse('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
    expect(today(undefined, Date.parse('2026-03-01T15:59:00Z'))).toBe('2026-03-01');
  });
});

describe('the findings routes', () => {
  it('reads and writes the ledger, a finding, the new-finding page and the inbox', () => {
    expect(parseRoute('/findings')).toEqual({ kind: 'findings' });
    expect(parseRoute('/findings/new')).toEqual({ kind: 'finding-new' });
    expect(parseRoute('/findings/42/')).toEqual({ kind: 'finding', id: 42 });
    expect(parseRoute('/findings/0')).toEqual({ kind: 'home' });
    expect(parseRoute('/findings/99999999999')).toEqual({ kind: 'home' });
    expect(parseRoute('/tasks')).toEqual({ kind: 'tasks' });
    for (const route of [{ kind: 'findings' }, { kind: 'finding-new' }, { kind: 'finding', id: 7 }, { kind: 'tasks' }] as const) {
      expect(parseRoute(routePath(route))).toEqual(route);
    }
  });
});
